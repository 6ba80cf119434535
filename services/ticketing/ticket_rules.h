// The rules of a ticket's fields and life: what a client may write into a
// ticket or a comment (limits from ticket.proto and ticket_comment.proto),
// the status transition table (ticket_enums.proto), and the support form's
// email key. Pure functions.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_RULES_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_comment.pb.h"
#include "clientele/ticketing/v1/ticket_enums.pb.h"
#include "clientele/ticketing/v1/ticket_history.pb.h"
#include "common/errors.h"

namespace clientele::ticketing {

// Limits from the contract.
inline constexpr int kMaxProductChars = 200;
inline constexpr int kMaxSubjectChars = 300;
inline constexpr int kMaxDescriptionChars = 32000;
inline constexpr int kMaxTeamChars = 100;
inline constexpr int kMaxAssigneeChars = 128;
inline constexpr int kMaxTags = 32;
inline constexpr int kMaxTagChars = 64;
inline constexpr int kMaxCommentChars = 32000;
inline constexpr int kMaxRequesterNameChars = 200;
// Not in the contract: an email address is at most 254 bytes (RFC 5321).
inline constexpr int kMaxEmailChars = 254;

// Checks the client-settable fields of `ticket` but account, requester,
// assignee and team (product, subject, description, type, priority,
// channel, tags), in place: text trimmed, unset type and priority read as
// QUESTION and NORMAL, tags lower-cased with repeats dropped. Adds each
// problem to `violations` naming "<prefix><field>" ("ticket.subject").
void CheckTicketFields(v1::Ticket* ticket, absl::string_view prefix,
                       FieldViolations* violations);

// Checks an optional staff user id (assignee) or team name in place
// (trimmed; a team lower-cased), naming `path`.
void CheckAssignee(std::string* assignee, absl::string_view path,
                   FieldViolations* violations);
void CheckTeam(std::string* team, absl::string_view path,
               FieldViolations* violations);

// Checks `comment` (visibility, author_type, author, body; a REQUESTER
// comment must be a PUBLIC_REPLY; a SYSTEM one has no author) in place,
// naming "<prefix><field>". occur_time is checked against the ticket by
// CheckOccurTime.
void CheckComment(v1::TicketComment* comment, absl::string_view prefix,
                  FieldViolations* violations);

// When a comment's occur_time is set: not after `now` and not before the
// ticket's `create_time`. INVALID_ARGUMENT naming `path` otherwise.
absl::Status CheckOccurTime(const v1::TicketComment& comment,
                            absl::Time create_time, absl::Time now,
                            absl::string_view path);

// The status transition table of ticket_enums.proto:
//   NEW -> OPEN, PENDING, ON_HOLD, SOLVED;
//   OPEN, PENDING, ON_HOLD -> each other and SOLVED;
//   SOLVED -> OPEN (reopen), CLOSED;
//   CLOSED -> nothing; nothing -> NEW.
// A status to itself is not a transition (false; the manager answers the
// ticket unchanged before asking).
bool AllowedTransition(v1::TicketStatus from, v1::TicketStatus to);

// NEW, OPEN, PENDING, ON_HOLD: in progress (counts against an agent's
// routing capacity).
bool IsOpenStatus(v1::TicketStatus status);

// How long the ticket was NEW or OPEN (being worked on: neither waiting on
// the requester or a third party, nor solved) between `from` and `to`,
// around the clock, from its CREATED and STATUS_CHANGED entries (any order).
// What TicketSolved reports as durations "pauses excluded".
absl::Duration ActiveTime(const std::vector<v1::TicketHistoryEntry>& history,
                          absl::Time from, absl::Time to);

// "NEW", "ON_HOLD", ...: how messages name a status.
std::string StatusLabel(v1::TicketStatus status);

// The key under which the support form's requester is looked up in the
// projection: trimmed and ASCII-lower-cased. INVALID_ARGUMENT naming `path`
// unless it looks like an address (one '@' with text on both sides, a dot
// in the domain, no spaces or controls, at most kMaxEmailChars). Contacts
// checks the address fully when asked to create the requester.
absl::StatusOr<std::string> EmailKey(absl::string_view email,
                                     absl::string_view path);

// The subject the form derives from `problem`: its first non-blank line,
// trimmed, cut to kMaxSubjectChars characters.
std::string SubjectFromProblem(absl::string_view problem);

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_RULES_H_

// Persistence of tickets, their comments and history, and the tenant's
// routing policy with its round-robin cursors. Every method runs inside the
// caller's transaction (so a change, its history and its events commit
// together) and is scoped by tenant: another tenant's ticket is simply not
// there.
//
// A ticket is stored whole (v1::Ticket); the store derives the columns it
// filters and sorts on from it: account and requester ids (the part after
// "accounts/" and "contacts/"), status, assignee, team, priority, type and
// create time in microseconds. Ids are the part after "tickets/"; comment ids
// the part after ".../comments/".
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/ticketing/v1/routing_policy.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_comment.pb.h"
#include "clientele/ticketing/v1/ticket_history.pb.h"
#include "common/sql/database.h"

namespace clientele::ticketing {

// ListTickets' filters, combined with AND; zero values and empty strings
// match everything.
struct TicketFilter {
  std::string account_id;
  std::string requester_id;
  std::vector<int> statuses;  // v1::TicketStatus; empty: all
  int priority = 0;           // v1::TicketPriority
  std::string assignee;
  std::string team;
  int type = 0;  // v1::TicketType
  // Created within [create_start_us, create_end_us), microseconds since the
  // epoch.
  int64_t create_start_us = std::numeric_limits<int64_t>::min();
  int64_t create_end_us = std::numeric_limits<int64_t>::max();
};

// A position in the (create time descending, id descending) order of
// ListTickets: the next page starts after it.
struct TicketCursor {
  int64_t create_us = 0;
  std::string id;
};

// A position in a comment list (oldest first) or a history (occur time, then
// insertion order): the next page starts after it. `seq` is the row's
// insertion number, returned with each row.
struct SeqCursor {
  int64_t time_us = 0;
  int64_t seq = 0;
};

// A stored comment with its position.
struct StoredComment {
  v1::TicketComment comment;
  int64_t seq = 0;
};

// A stored history entry with its position.
struct StoredHistoryEntry {
  v1::TicketHistoryEntry entry;
  int64_t seq = 0;
};

// A form ticket waiting for contacts to find or create its requester.
struct PendingRequester {
  std::string ticket_id;
  // The request id of intake's FindOrCreateContact call, sent again by every
  // retry so contacts creates the requester at most once.
  std::string request_id;
};

// The microseconds since the epoch that the store sorts `ticket` by (its
// create_time, kept by the manager to whole microseconds).
inline int64_t CreateMicros(const v1::Ticket& ticket) {
  return ticket.create_time().seconds() * 1000000 +
         ticket.create_time().nanos() / 1000;
}

// What erasure writes in place of a requester's text.
inline constexpr char kErasedText[] = "[erased]";

class TicketStore {
 public:
  virtual ~TicketStore() = default;

  // ---- Tickets

  // Ticket `ticket_id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Ticket>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) = 0;

  // Stores `ticket` under `ticket_id`, inserting it or replacing the one
  // there (the manager checks existence and etags).
  virtual absl::Status Put(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view ticket_id,
                           const v1::Ticket& ticket) = 0;

  // Removes ticket `ticket_id` with its comments, history and waiting-
  // requester record. NOT_FOUND when there is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view ticket_id) = 0;

  // Up to `limit` tickets matching `filter`, newest first (create time, then
  // id, both descending), starting after `after` (nullopt: from the start).
  // Empty when none. Account, requester, status, assignee and team are
  // served by indexes; priority, type and time filter what those find.
  virtual absl::StatusOr<std::vector<v1::Ticket>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const TicketFilter& filter, const std::optional<TicketCursor>& after,
      int limit) = 0;

  // Ids of the tickets of account `account_id` not SOLVED nor CLOSED.
  virtual absl::StatusOr<std::vector<std::string>> OpenTicketIdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // How many tickets `assignee` holds in NEW, OPEN, PENDING or ON_HOLD
  // (routing's capacity check; served by an index).
  virtual absl::StatusOr<int64_t> CountOpenAssigned(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view assignee) = 0;

  // Ids of every ticket of account `account_id` (any status), oldest first.
  virtual absl::StatusOr<std::vector<std::string>> TicketIdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Ids of every ticket requested by contact `contact_id` (any status),
  // oldest first.
  virtual absl::StatusOr<std::vector<std::string>> TicketIdsOfRequester(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // ---- Form tickets waiting for their requester (requester_pending)

  // Records that ticket `ticket_id` waits for contacts to find or create its
  // requester with `request_id` (what every retry sends again).
  virtual absl::Status PutPendingRequester(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           absl::string_view ticket_id,
                                           absl::string_view request_id) = 0;

  // Forgets it (linked, or the ticket deleted). OK when absent.
  virtual absl::Status DeletePendingRequester(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view ticket_id) = 0;

  // Up to `limit` waiting tickets of `tenant`, oldest first.
  virtual absl::StatusOr<std::vector<PendingRequester>> PendingRequesters(
      sql::Transaction& txn, absl::string_view tenant, int limit) = 0;

  // Tenants that have at least one waiting ticket (the linker's sweep).
  virtual absl::StatusOr<std::vector<std::string>> TenantsWithPendingRequesters(
      sql::Transaction& txn) = 0;

  // Erasure: blanks requester_display_name and requester_email and replaces
  // subject and description with kErasedText on tickets requested by
  // `contact_id`, and replaces the body of every comment it wrote
  // (author "contacts/{contact_id}") with kErasedText. Keeps counts, status
  // and times (what reports need).
  virtual absl::Status EraseRequester(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view contact_id) = 0;

  // Accounts merged in contacts: tickets of `from_account_id` move to
  // `to_account_id`.
  virtual absl::Status MoveAccount(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view from_account_id,
                                   absl::string_view to_account_id) = 0;

  // Contacts merged in contacts: tickets requested by `from_contact_id` are
  // requested by `to_contact_id` of `to_account_id`, and its comments are
  // authored by it.
  virtual absl::Status MoveRequester(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view from_contact_id,
                                     absl::string_view to_contact_id,
                                     absl::string_view to_account_id) = 0;

  // ---- Comments

  // Stores a new comment of ticket `ticket_id` under `comment_id`; its
  // position is its occur_time (create_time when unset). Returns its seq.
  virtual absl::StatusOr<int64_t> AddComment(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id, absl::string_view comment_id,
      const v1::TicketComment& comment) = 0;

  // Up to `limit` comments of ticket `ticket_id`, oldest first (occur time,
  // then insertion), of `visibility` (0: both), starting after `after`.
  virtual absl::StatusOr<std::vector<StoredComment>> ListComments(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id, int visibility,
      const std::optional<SeqCursor>& after, int limit) = 0;

  // ---- History

  // Appends `entry` to ticket `ticket_id`'s history.
  virtual absl::Status AppendHistory(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view ticket_id,
                                     const v1::TicketHistoryEntry& entry) = 0;

  // Ticket `ticket_id`'s whole history in occur_time order, then insertion
  // order (what SLA clocks are computed from).
  virtual absl::StatusOr<std::vector<v1::TicketHistoryEntry>> History(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) = 0;

  // One page of it, `limit` entries after `after`.
  virtual absl::StatusOr<std::vector<StoredHistoryEntry>> HistoryPage(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id, const std::optional<SeqCursor>& after,
      int limit) = 0;

  // ---- Routing policy and round-robin cursors

  // The tenant's stored routing policy; nullopt while the defaults apply.
  virtual absl::StatusOr<std::optional<v1::RoutingPolicy>> FindRoutingPolicy(
      sql::Transaction& txn, absl::string_view tenant) = 0;

  // Stores the tenant's routing policy.
  virtual absl::Status PutRoutingPolicy(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        const v1::RoutingPolicy& policy) = 0;

  // The last agent round robin chose in `team` ("" when none yet).
  virtual absl::StatusOr<std::string> RoundRobinCursor(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view team) = 0;

  // Records `agent` as the last agent round robin chose in `team`.
  virtual absl::Status SetRoundRobinCursor(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           absl::string_view team,
                                           absl::string_view agent) = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_STORE_H_

// The steps every ticket write shares, for the ticket manager's files
// (ticket_manager.cc, ticket_comments.cc, ticket_status.cc, ticket_merge.cc,
// ticket_intake.cc): loading a ticket, recording history, keeping its SLA in
// step, stamping and storing it, publishing its events, and opening a new
// ticket (CreateTicket, the support form and a reply to a closed ticket all
// open one the same way). One TicketWrites serves one transaction.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_WRITES_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_WRITES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_history.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/sql/database.h"
#include "common/write_pipeline.h"
#include "services/ticketing/projection_store.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class SlaTracker;
class RoutingManager;

// The clock's now to the whole microsecond: every stored time is, so that
// comparisons of stored and fresh times agree.
absl::Time NowMicros(Clock& clock);

// A stored response holding `ticket` mentions it, its account and its
// requester: erasing any of them forgets the response.
void MentionTicket(const v1::Ticket& ticket, WriteScope& write);

// The active account answering for `account_id` (its survivor when merged);
// NOT_FOUND naming "accounts/{account_id}" when ticketing does not know it.
absl::StatusOr<ProjectedAccount> ResolveAccount(sql::Transaction& txn,
                                                const TicketingDeps& deps,
                                                absl::string_view tenant,
                                                absl::string_view account_id);

// Checks that contact `contact_id` belongs to `account` (the survivor of its
// account is `account`). NOT_FOUND naming the contact when ticketing does
// not know it; INVALID_ARGUMENT naming `path` when it belongs to another
// account.
absl::Status CheckRequesterOf(sql::Transaction& txn, const TicketingDeps& deps,
                              absl::string_view tenant,
                              absl::string_view contact_id,
                              const ProjectedAccount& account,
                              absl::string_view path);

// Ticket `id` of `tenant`; NOT_FOUND naming "tickets/{id}".
absl::StatusOr<v1::Ticket> LoadTicket(sql::Transaction& txn,
                                      const TicketingDeps& deps,
                                      absl::string_view tenant,
                                      absl::string_view id);

class TicketWrites {
 public:
  // Nothing is owned; all outlive this.
  TicketWrites(const TicketingDeps& deps, SlaTracker* sla,
               RoutingManager* routing, const Caller& caller,
               sql::Transaction& txn, absl::Time now)
      : deps_(deps),
        sla_(sla),
        routing_(routing),
        caller_(caller),
        txn_(txn),
        now_(now) {}

  sql::Transaction& txn() const { return txn_; }
  absl::Time now() const { return now_; }
  const Caller& caller() const { return caller_; }

  // Ticket `id` of the caller's tenant; NOT_FOUND naming "tickets/{id}".
  absl::StatusOr<v1::Ticket> Load(absl::string_view id);

  // A history entry of `kind` at `time` (now when InfinitePast) by the
  // caller's actor.
  v1::TicketHistoryEntry Entry(v1::TicketHistoryKind kind,
                               absl::Time time = absl::InfinitePast()) const;

  // Appends `entries` to `ticket`'s history, then recomputes its SLA from the
  // whole history (SlaTracker::Refresh, choosing the policy again when
  // `reselect`) and appends what the tracker added. Does not store the
  // ticket (see Store).
  absl::Status Record(const std::vector<v1::TicketHistoryEntry>& entries,
                      bool reselect, v1::Ticket* ticket);

  // Sets update_time to now and a new etag, and stores `ticket`.
  absl::Status Store(v1::Ticket* ticket);

  // Record then Store.
  absl::Status Save(const std::vector<v1::TicketHistoryEntry>& entries,
                    bool reselect, v1::Ticket* ticket);

  // Appends `event` about `subject` to the outbox, with the caller's trace id
  // and actor.
  absl::Status Publish(absl::string_view subject, events::v1::Event event);

  // Opens `ticket` (its name set to "tickets/{id}" and its client fields
  // checked; account, requester, tier and mode set by the caller from
  // `account`): status NEW, created now, routed (MANUAL when an assignee is
  // given, else RoutingManager::Route), SLA chosen; history CREATED (related
  // `related`, e.g. the closed ticket a follow-up follows) and ROUTED;
  // stored; TicketCreated published.
  absl::Status Open(const std::optional<ProjectedAccount>& account,
                    absl::string_view related, v1::Ticket* ticket);

  // Publishes TicketUpdated for `ticket` with `changed_fields`.
  absl::Status PublishUpdated(const v1::Ticket& ticket,
                              const std::vector<std::string>& changed_fields);

  // Publishes TicketStatusChanged for `ticket` (not SOLVED).
  absl::Status PublishStatusChanged(const v1::Ticket& ticket,
                                    v1::TicketStatus previous);

 private:
  const TicketingDeps& deps_;
  SlaTracker* const sla_;
  RoutingManager* const routing_;
  const Caller& caller_;
  sql::Transaction& txn_;
  const absl::Time now_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_WRITES_H_

// Keeps a ticket's SLA in step with its history: which policy applies, the
// targets and calendar kept for the ticket, its clocks, and the clock index
// that ListSlaAlerts and the SLA job read. The ticket manager calls it on
// every ticket write, inside that write's transaction.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_TRACKER_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_TRACKER_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_history.pb.h"
#include "common/sql/database.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class SlaTracker {
 public:
  // Uses deps.sla (policies, kept targets, clock index) and deps.events.
  explicit SlaTracker(const TicketingDeps& deps) : deps_(deps) {}

  // Sets ticket->sla_policy and ticket->sla_clocks from `history` (every
  // entry so far, in any order; read sorted by occur_time) at `now`.
  //
  // When `reselect` (create; priority, tier or mode changed; requester
  // linked) or the ticket has no SLA kept yet, chooses the policy (lowest
  // rank, then most specific, then oldest; disabled ones never; none
  // matching -> no policy and no clocks) and keeps its targets and calendar
  // for this ticket; otherwise reuses what was kept for it, so a policy
  // update or delete does not move running clocks. Clocks are computed from
  // the whole history each time, so a late entry or a new policy recomputes
  // them exactly.
  //
  // Writes the ticket's rows of the clock index: a running cycle's due and
  // at-risk times, else the clock's state as the clock library gives it (a
  // NEXT_RESPONSE clock met after an earlier cycle breached stays BREACHED,
  // with that cycle's due time). When a new cycle replaces one whose breach
  // fell due but the SLA job has not published yet (a requester replying
  // again before the job's next pass), publishes that breach here, as the
  // job would have: SlaBreached, and an SLA_BREACHED entry in `added`.
  // When a policy was (re)applied (a different one, or the same one chosen
  // again with other targets), appends one SLA_POLICY_APPLIED entry to
  // `added`. The caller stores what `added` holds.
  // History kinds that move clocks: CREATED, STATUS_CHANGED, AGENT_REPLY,
  // REQUESTER_REPLY. ticket->name ("tickets/{id}"), priority, account_tier,
  // relationship_mode, status, account, assignee and team must be set.
  // Errors are the database's; INVALID_ARGUMENT for a malformed ticket name.
  absl::Status Refresh(sql::Transaction& txn, absl::string_view tenant,
                       bool reselect,
                       const std::vector<v1::TicketHistoryEntry>& history,
                       absl::Time now, v1::Ticket* ticket,
                       std::vector<v1::TicketHistoryEntry>* added);

  // Removes what is kept for the ticket `ticket_id` (its kept SLA and clock
  // index rows); OK when there was nothing.
  absl::Status Forget(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view ticket_id);

 private:
  TicketingDeps deps_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_TRACKER_H_

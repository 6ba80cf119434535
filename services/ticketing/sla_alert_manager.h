// SLA alerts: the clocks at risk (running past the policy's at-risk
// threshold, not yet due) and breached (past due), read from the clock index
// (sla_store.h) most urgent first; and the publication of SlaAtRisk and
// SlaBreached, once per clock cycle, that the SLA job (sla_job.h) drives.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_ALERT_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_ALERT_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticketing_service.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class SlaAlertManager {
 public:
  // Limits from the contract (ticketing_service.proto).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  // Uses deps.database, events, clock, sla and tickets.
  explicit SlaAlertManager(const TicketingDeps& deps)
      : deps_(deps), tracker_(deps) {}

  // One page of alerts matching every filter of `request`, earliest due
  // time first (so every breach before every warning). The first page is
  // as of the clock's now; the following pages as of the same instant (the
  // page token keeps it), so paging neither skips nor repeats a clock that
  // crossed its due time in between. remaining and overdue_by are measured
  // at that instant. INVALID_ARGUMENT naming the bad filter, page_size or
  // page_token; due_time_range without include_finished_tickets is a bad
  // filter (the range selects historic breaches).
  absl::StatusOr<v1::ListSlaAlertsResponse> List(
      const Caller& caller, const v1::ListSlaAlertsRequest& request);

  // Publishes what has fallen due in the clock index at the clock's now, up
  // to `limit` clocks in one transaction: SlaBreached for a clock past its
  // due time (with an SLA_BREACHED entry in the ticket's history), else
  // SlaAtRisk for one past its at-risk time. Each published clock is marked
  // in the same transaction, so a crash before the commit publishes
  // nothing and the next pass does it all again, and a clock cycle's
  // warning and breach are each published at most once. The ticket's stored
  // clocks are recomputed at now (so GetTicket shows the breach) without a
  // new etag. A ticket whose clocks cannot be handled (its row does not
  // parse, say) is logged and left for the next pass, without holding up
  // the others. Returns how many clocks were looked at; fewer than `limit`
  // means nothing else is due. Errors: the database's.
  absl::StatusOr<int> PublishDue(int limit);

 private:
  // PublishDue for one ticket's clocks.
  absl::Status PublishForTicket(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view ticket_id, absl::Time now);

  TicketingDeps deps_;
  SlaTracker tracker_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_ALERT_MANAGER_H_

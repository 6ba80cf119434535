// Aggregates the projector maintains so that reports need not read every
// account (docs/reports.md, "How reports stay fast"): internal to the
// reporting service, called from the Projector's parts (projector_parts.h).
//
//   report_horizon          per tenant, the newest occurred_at applied: no
//                           account or score version starts after it, so a
//                           report as of at least it sees the current state
//                           (FastPath, report_scope.h).
//   tenant_currency_counts  revenue interactions per currency (what
//                           TenantCurrency ranks), whatever the account's
//                           state, like revenue_days.
//   account_cells           per live account with a current version: its
//                           current tier, segment, mode, band and score (no
//                           row for a deleted, erased or merged account).
//   cell_counts             account_cells counted per (mode, band, tier,
//                           segment), with the sum of their scores.
//   cell_revenue_blocks     the revenue_days of the accounts with a cell,
//                           summed per currency, day block (report_blocks.h)
//                           and the account's current (mode, tier,
//                           segment); moved when an account's cell changes.
//
// Every function below runs inside the projector's transaction; errors are
// the database's.
#ifndef CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_
#define CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_

#include <string>

#include "absl/status/status.h"
#include "clientele/events/v1/event.pb.h"
#include "common/sql/database.h"
#include "services/reporting/projector_parts.h"

namespace clientele::reporting {

// The tables above, filled from the rows an existing database holds.
extern const char kReportAggregatesSql[];

namespace projector_internal {

// AddInteractionShare's part: the currency count and the cell's revenue
// block, for an interaction with revenue (nothing otherwise).
absl::Status AddInteractionToAggregates(sql::Transaction& txn,
                                        const std::string& tenant,
                                        const InteractionRow& row, int sign);

// Before `account_id`'s per-day rows are moved away or erased: takes the
// account out of the cell aggregates (re-added, if it is live, by
// AfterEventAggregates at the end of the event). With `erasing` its revenue
// also leaves the currency counts.
absl::Status DetachAccountFromAggregates(sql::Transaction& txn,
                                         const std::string& tenant,
                                         const std::string& account_id,
                                         bool erasing);

// At the end of every applied event: moves the horizon and brings the cells
// of the accounts the event concerns (and of those detached) up to date.
absl::Status AfterEventAggregates(sql::Transaction& txn,
                                  const EventContext& ctx,
                                  const events::v1::Event& event);

}  // namespace projector_internal
}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_

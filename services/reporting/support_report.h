// The support report (GetSupportReport): CSAT, SLA compliance, first-response
// and resolution times (elapsed and working hours) and the backlog, overall
// and per (mode, tier) of the tickets' accounts at ticket creation. Read from
// the tickets, ticket_versions, sla_clocks and csat_responses tables of
// reporting_schema.cc. Definitions in docs/reports.md, "Support".
//
// Which tickets: those of the accounts in scope at scope.as_of_us
// (ScopedAccounts: the filter applies to the account as of then), not
// deleted nor merged away. Their figures:
//   tickets_created      created in [start_us, end_us);
//   tickets_solved       last solved in [start_us, end_us);
//   csat_*               responses received in [start_us, end_us);
//   sla_*                clocks judged (stopped, or breached while running)
//                        in [start_us, end_us);
//   *_first_response     tickets created in the range whose first public
//                        reply came at or before as_of_us;
//   *_resolution         tickets solved in the range;
//   backlog, on_hold, backlog_*
//                        the ticket's status at as_of_us.
// Medians and p90s are nearest-rank (report_stats.h); a duration with no
// ticket behind it is left unset.
#ifndef CLIENTELE_SERVICES_REPORTING_SUPPORT_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_SUPPORT_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "clientele/reporting/v1/support_report.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The report for `scope`, with Metadata(). A slice is listed for each
// (mode, tier) pair that has a ticket counted in any figure, by mode then
// tier (enum order). Errors are the database's.
absl::StatusOr<v1::SupportReport> BuildSupportReport(sql::Transaction& txn,
                                                     const ReportScope& scope);

// The ids (no "accounts/" prefix, ascending) of the accounts whose tickets
// count in any figure of the aggregate: the overall metrics when mode and
// tier are both UNSPECIFIED, else the (mode, tier) slice (empty when the
// report has no such slice); with backlog_only, only accounts with a ticket
// in the backlog (NEW, OPEN or PENDING) at as_of.
// INVALID_ARGUMENT naming "aggregate.support.mode" or
// "aggregate.support.tier" for a value the enum does not define. Other
// errors are the database's.
absl::StatusOr<std::vector<std::string>> SupportAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::SupportAggregate& aggregate);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_SUPPORT_REPORT_H_

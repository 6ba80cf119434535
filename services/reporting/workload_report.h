// The workload report (GetWorkloadReport): per support agent and per
// account manager, over the accounts in scope at scope.as_of_us. Read from
// the maintained aggregates when FastPath allows (workload_blocks for the
// agents' flows, docs/reports.md "How reports stay fast"), else from
// ticket_versions, tickets, sla_clocks, csat_responses, follow_ups,
// activity_days (with interactions for the partial days at the range's
// ends) and revenue (RevenueByAccount) of reporting_schema.cc. Definitions
// in docs/reports.md, "Workload".
//
// Agents (tickets of accounts in scope, not deleted nor merged away; "the
// agent" is the ticket's assignee at the moment that counts):
//   open_tickets           assigned at as_of with status NEW, OPEN, PENDING
//                          or ON_HOLD;
//   tickets_assigned       assignments to the agent in [start_us, end_us)
//                          (the assignee became the agent);
//   tickets_solved         last solved in the range, assigned at the solve;
//   sla_breaches           clocks judged breached in the range, assigned at
//                          that moment;
//   median_first_response  tickets created in the range whose first public
//                          reply came by as_of, assigned at the reply
//                          (nearest-rank median of the durations counted
//                          as the support report counts them; unset when
//                          none);
//   csat_*                 responses received in the range to the surveys
//                          of the agent's solves.
// A row for every staff member with any of these above 0.
//
// Account managers (rows for every non-empty account_manager of the accounts
// in scope at as_of):
//   accounts, client_accounts (mode CLIENT at as_of), at_risk_accounts (band
//   AT_RISK or NEEDS_ATTENTION at as_of);
//   revenue                the managed accounts' over the range in
//                          scope.currency;
//   interactions           interactions of accounts in scope in the range
//                          whose staff user is the manager;
//   open_follow_ups / overdue_follow_ups
//                          follow-ups of accounts in scope assigned to the
//                          manager, open at as_of (created by then and not
//                          done, cancelled or deleted by then) / of those,
//                          due before as_of;
//   completed_follow_ups   completed in the range;
//   open_tickets           tickets of the managed accounts NEW, OPEN or
//                          PENDING at as_of.
#ifndef CLIENTELE_SERVICES_REPORTING_WORKLOAD_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_WORKLOAD_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "clientele/reporting/v1/workload_report.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The most rows each list of the report holds.
inline constexpr int kMaxWorkloadRows = 10000;

// The report for `scope`, with Metadata(): agents most open tickets first
// (ties: agent id ascending), account managers most accounts first (ties:
// id ascending), each list cut at kMaxWorkloadRows. Errors are the
// database's.
absl::StatusOr<v1::WorkloadReport> BuildWorkloadReport(
    sql::Transaction& txn, const ReportScope& scope);

// The ids (no "accounts/" prefix, ascending) of the accounts in scope that
// aggregate.account_manager manages at as_of: those its `accounts` counts.
// INVALID_ARGUMENT naming "aggregate.workload.account_manager" when it is
// empty. Other errors are the database's.
absl::StatusOr<std::vector<std::string>> WorkloadAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::WorkloadAggregate& aggregate);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_WORKLOAD_REPORT_H_

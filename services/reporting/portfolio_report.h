// The portfolio report (GetPortfolioReport): the accounts in scope split by
// their relationship mode at as_of (customers, transitioning, clients, and
// the accounts not scored yet), with counts, revenue and its share,
// recurring vs transactional revenue, mean score and score bands.
// Definitions in docs/reports.md, "Portfolio".
//
// Which accounts: ScopedAccounts(scope) (live at as_of, matching the
// filter, modes included). Their figures:
//   mode, band, score  the score version in effect at as_of (not scored:
//                      mode and band UNSPECIFIED);
//   revenue            RevenueByAccount over [start_us, end_us) in
//                      scope.currency: recurring (subscription payments,
//                      retainer invoices) + transactional (purchases less
//                      refunds).
#ifndef CLIENTELE_SERVICES_REPORTING_PORTFOLIO_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_PORTFOLIO_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/portfolio_report.pb.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The report for `scope`, with Metadata(). Always four mode slices (CUSTOMER,
// TRANSITIONING, CLIENT, UNSPECIFIED), each with a count for every band
// (UNSPECIFIED, AT_RISK, NEEDS_ATTENTION, HEALTHY, STRONG). account_share
// and revenue_share are 0 when the report's account count or revenue is 0
// (or, for revenue, negative: refunds above sales); average_score is the
// mean over the slice's accounts that have a band, 0 when none has. Money
// sums saturate (common/money.h). Errors are the database's.
absl::StatusOr<v1::PortfolioReport> BuildPortfolioReport(
    sql::Transaction& txn, const ReportScope& scope);

// The ids (no "accounts/" prefix, ascending) of the accounts counted in the
// aggregate: those of the report's account_count, narrowed to the mode slice
// when aggregate.mode is set and to the band when aggregate.band is set.
// INVALID_ARGUMENT naming "aggregate.portfolio.mode" or
// "aggregate.portfolio.band" for a value the enum does not define. Other
// errors are the database's.
absl::StatusOr<std::vector<std::string>> PortfolioAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::PortfolioAggregate& aggregate);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_PORTFOLIO_REPORT_H_

// The drill-down (/accounts?aggregate=... and /accounts.csv): the accounts
// behind one figure of a report, as ListReportAccounts lists them for the
// same parameters, each linking to its account page.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNTS_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNTS_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/reporting/dashboard/account_labels.h"
#include "services/reporting/dashboard/dashboard_query.h"
#include "services/reporting/dashboard/report_calls.h"

namespace clientele::reporting::dashboard {

// Accounts per page of the HTML list, and the most a CSV export holds.
inline constexpr int kAccountsPageSize = 100;
inline constexpr int kMaxCsvRows = 100000;

// The page's body: one page of accounts (`page_token` in `params` for the
// next ones), named from `names` (one call for the page), with a link to the
// next page and to the CSV. Errors: those of ParseAggregate and of
// ListReportAccounts, parameters named as the dashboard's; never the
// names'.
absl::StatusOr<std::string> AccountsBody(ReportCalls& reports,
                                         const QueryParams& params,
                                         const DashboardQuery& query,
                                         absl::Time now,
                                         const AccountNameSource& names);

// Every account of the aggregate as CSV (at most kMaxCsvRows).
absl::StatusOr<std::string> AccountsCsvText(ReportCalls& reports,
                                            const QueryParams& params,
                                            const DashboardQuery& query,
                                            absl::Time now);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNTS_PAGE_H_

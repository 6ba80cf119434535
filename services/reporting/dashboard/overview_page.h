// The dashboard's one page ("/"): the filter form, then every report as a
// section (overview_sections.h), each asked of the reporting service for
// the same parameters.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/reporting/dashboard/account_labels.h"
#include "services/reporting/dashboard/dashboard_query.h"
#include "services/reporting/dashboard/report_calls.h"

namespace clientele::reporting::dashboard {

// The page's body, its accounts named from `names` (one call for all of
// them). Errors are the first report's that failed (INVALID_ARGUMENT naming
// a parameter for a bad one); never the names'.
absl::StatusOr<std::string> OverviewBody(ReportCalls& reports,
                                         const DashboardQuery& query,
                                         absl::Time now,
                                         const AccountNameSource& names);

// The filter form, filled in with what the user gave.
std::string FilterForm(const DashboardQuery& query);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_PAGE_H_

// /reports/<report>.csv: each report asked of the reporting service for the
// page's parameters and written as CSV (report_csv.h). The at-risk export
// holds every page of the list.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_EXPORTS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_EXPORTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/reporting/dashboard/dashboard_query.h"
#include "services/reporting/dashboard/report_calls.h"

namespace clientele::reporting::dashboard {

// The reports with a CSV export, by the name in their URL.
inline constexpr absl::string_view kCsvReports[] = {
    "portfolio", "support",   "workload", "at-risk",
    "funnel",    "retention", "pipeline"};

// The CSV of `report` (one of kCsvReports). NOT_FOUND for another name;
// otherwise the report's errors.
absl::StatusOr<std::string> ReportCsvText(ReportCalls& reports,
                                          absl::string_view report,
                                          const DashboardQuery& query,
                                          absl::Time now);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_EXPORTS_H_

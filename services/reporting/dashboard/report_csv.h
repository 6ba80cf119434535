// Every report as CSV (csv.h): one table per report, one header row naming
// the columns (docs/reports.md, "Dashboard", lists them), values in plain
// form: counts, amounts in the currency's major unit ("1234.50", never
// grouped) with a currency column, rates 0-1 with four decimals, durations in
// whole seconds, times in RFC 3339 UTC, dates YYYY-MM-DD, enum values as short
// tokens ("needs_attention"; "unspecified" for not set).
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CSV_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CSV_H_

#include <string>
#include <vector>

#include "clientele/reporting/v1/reporting_service.pb.h"

namespace clientele::reporting::dashboard {

// One row per mode slice, then "all" with the totals.
std::string PortfolioCsv(const v1::PortfolioReport& report);
// The overall metrics (mode and tier "all"), then one row per slice.
std::string SupportCsv(const v1::SupportReport& report);
// One row per agent (row_type "agent"), then per account manager
// ("account_manager"); columns that do not apply to the row are empty.
std::string WorkloadCsv(const v1::WorkloadReport& report);
// The accounts of every page, in the list's order.
std::string AtRiskCsv(const std::vector<v1::AtRiskAccount>& accounts);
// One row per stage, then "regressed" with its count.
std::string FunnelCsv(const v1::ConversionFunnelReport& report);
// One row per cohort and period (long form of the triangle).
std::string RetentionCsv(const v1::RetentionReport& report);
// row_type "stage" (open deals per stage), "month" (per close month and
// stage, then the month's total with stage "all"), "open" (the totals),
// "won", "lost", "overdue" and "other_currency" (counts only).
std::string PipelineCsv(const v1::PipelineReport& report);
// The accounts of a drill-down, every page.
std::string AccountsCsv(const std::vector<v1::ReportAccount>& accounts);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CSV_H_

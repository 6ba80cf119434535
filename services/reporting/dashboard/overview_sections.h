// The sections of the dashboard's overview page, one per report: its charts
// (svg_chart.h), a table of its figures, a link to its CSV and drill-down
// links from each figure to the accounts behind it. Each renders a report
// the reporting service answered; none computes a figure of its own.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_SECTIONS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_SECTIONS_H_

#include <string>

#include "clientele/reporting/v1/reporting_service.pb.h"
#include "services/reporting/dashboard/account_labels.h"
#include "services/reporting/dashboard/links.h"

namespace clientele::reporting::dashboard {

// The at-risk accounts the overview lists.
inline constexpr int kOverviewAtRiskRows = 10;

// overview_sections_accounts.cc
std::string PortfolioSection(const v1::PortfolioReport& report,
                             const Links& links);
// Each account by its name in `labels` (its id without one).
std::string AtRiskSection(const v1::ListAtRiskAccountsResponse& at_risk,
                          const AccountLabels& labels, const Links& links);
std::string WorkloadSection(const v1::WorkloadReport& report,
                            const Links& links);

// overview_sections_flows.cc
std::string SupportSection(const v1::SupportReport& report, const Links& links);
std::string FunnelSection(const v1::ConversionFunnelReport& report,
                          const Links& links);
std::string RetentionSection(const v1::RetentionReport& report,
                             const Links& links);
// `links` for the pipeline carry its quarter (year and quarter).
std::string PipelineSection(const v1::PipelineReport& report,
                            const Links& links);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_OVERVIEW_SECTIONS_H_

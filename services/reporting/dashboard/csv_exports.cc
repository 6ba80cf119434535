#include "services/reporting/dashboard/csv_exports.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/reporting/dashboard/accounts_page.h"
#include "services/reporting/dashboard/report_csv.h"
#include "services/reporting/report_request.h"

namespace clientele::reporting::dashboard {

absl::StatusOr<std::string> ReportCsvText(ReportCalls& reports,
                                          absl::string_view report,
                                          const DashboardQuery& query,
                                          absl::Time now) {
  if (report == "portfolio") {
    ASSIGN_OR_RETURN(v1::PortfolioReport built, reports.Portfolio(query));
    return PortfolioCsv(built);
  }
  if (report == "support") {
    ASSIGN_OR_RETURN(v1::SupportReport built, reports.Support(query));
    return SupportCsv(built);
  }
  if (report == "workload") {
    ASSIGN_OR_RETURN(v1::WorkloadReport built, reports.Workload(query));
    return WorkloadCsv(built);
  }
  if (report == "at-risk") {
    std::vector<v1::AtRiskAccount> accounts;
    std::string page_token;
    do {
      ASSIGN_OR_RETURN(v1::ListAtRiskAccountsResponse page,
                       reports.AtRisk(query, kMaxPageSize, page_token));
      for (v1::AtRiskAccount& account : *page.mutable_at_risk_accounts()) {
        accounts.push_back(std::move(account));
      }
      page_token = page.next_page_token();
    } while (!page_token.empty() &&
             accounts.size() < static_cast<size_t>(kMaxCsvRows));
    return AtRiskCsv(accounts);
  }
  if (report == "funnel") {
    ASSIGN_OR_RETURN(v1::ConversionFunnelReport built, reports.Funnel(query));
    return FunnelCsv(built);
  }
  if (report == "retention") {
    ASSIGN_OR_RETURN(v1::RetentionReport built, reports.Retention(query));
    return RetentionCsv(built);
  }
  if (report == "pipeline") {
    ASSIGN_OR_RETURN(v1::PipelineReport built, reports.Pipeline(query, now));
    return PipelineCsv(built);
  }
  return absl::NotFoundError(absl::StrCat("no report named ", report));
}

}  // namespace clientele::reporting::dashboard

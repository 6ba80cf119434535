#include "services/reporting/reporting_grpc_service.h"

#include <utility>

#include "common/status_macros.h"
#include "services/reporting/at_risk_report.h"
#include "services/reporting/funnel_report.h"
#include "services/reporting/live_scores.h"
#include "services/reporting/pipeline_report.h"
#include "services/reporting/portfolio_report.h"
#include "services/reporting/report_accounts.h"
#include "services/reporting/report_request.h"
#include "services/reporting/retention_report.h"
#include "services/reporting/support_report.h"
#include "services/reporting/workload_report.h"

namespace clientele::reporting {
namespace {

// Runs `build(txn, *scope)` in one read transaction, the scope's currency
// resolved first, and moves what it answers into *report.
template <typename Report, typename Build>
absl::Status BuildInRead(sql::Database& database, ReportScope* scope,
                         Build&& build, Report* report) {
  return database.Read([&](sql::Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(ResolveCurrency(txn, scope));
    ASSIGN_OR_RETURN(*report, build(txn, *scope));
    return absl::OkStatus();
  });
}

}  // namespace

absl::Status ReportingGrpcService::GetPortfolioReport(
    const Context& context, const v1::GetPortfolioReportRequest& request,
    v1::GetPortfolioReportResponse* response) {
  ASSIGN_OR_RETURN(
      ReportScope scope,
      CheckPortfolioRequest(request, context.tenant(), deps_.clock->Now()));
  return BuildInRead(
      *deps_.database, &scope,
      [](sql::Transaction& txn, const ReportScope& scope) {
        return BuildPortfolioReport(txn, scope);
      },
      response->mutable_report());
}

absl::Status ReportingGrpcService::GetSupportReport(
    const Context& context, const v1::GetSupportReportRequest& request,
    v1::GetSupportReportResponse* response) {
  ASSIGN_OR_RETURN(
      ReportScope scope,
      CheckSupportRequest(request, context.tenant(), deps_.clock->Now()));
  return BuildInRead(
      *deps_.database, &scope,
      [](sql::Transaction& txn, const ReportScope& scope) {
        return BuildSupportReport(txn, scope);
      },
      response->mutable_report());
}

absl::Status ReportingGrpcService::GetWorkloadReport(
    const Context& context, const v1::GetWorkloadReportRequest& request,
    v1::GetWorkloadReportResponse* response) {
  ASSIGN_OR_RETURN(
      ReportScope scope,
      CheckWorkloadRequest(request, context.tenant(), deps_.clock->Now()));
  return BuildInRead(
      *deps_.database, &scope,
      [](sql::Transaction& txn, const ReportScope& scope) {
        return BuildWorkloadReport(txn, scope);
      },
      response->mutable_report());
}

absl::Status ReportingGrpcService::ListAtRiskAccounts(
    const Context& context, const v1::ListAtRiskAccountsRequest& request,
    v1::ListAtRiskAccountsResponse* response) {
  ASSIGN_OR_RETURN(
      AtRiskRequest checked,
      CheckAtRiskRequest(request, context.tenant(), deps_.clock->Now()));
  AtRiskQuery query;
  query.max_band = request.max_band();
  query.page_size = checked.page_size;
  query.page_token = request.page_token();
  query.as_of_defaulted = !request.has_as_of_time();
  RETURN_IF_ERROR(BuildInRead(
      *deps_.database, &checked.scope,
      [&query](sql::Transaction& txn, const ReportScope& scope) {
        return ListAtRisk(txn, scope, query);
      },
      response));
  // After the transaction: a call to engagement never holds the snapshot.
  if (deps_.live_scores != nullptr) {
    RefreshAtRiskScores(*deps_.live_scores, context.caller(), checked.scope,
                        response);
  }
  return absl::OkStatus();
}

absl::Status ReportingGrpcService::GetConversionFunnelReport(
    const Context& context, const v1::GetConversionFunnelReportRequest& request,
    v1::GetConversionFunnelReportResponse* response) {
  ASSIGN_OR_RETURN(
      ReportScope scope,
      CheckFunnelRequest(request, context.tenant(), deps_.clock->Now()));
  return BuildInRead(
      *deps_.database, &scope,
      [](sql::Transaction& txn, const ReportScope& scope) {
        return BuildConversionFunnelReport(txn, scope);
      },
      response->mutable_report());
}

absl::Status ReportingGrpcService::GetRetentionReport(
    const Context& context, const v1::GetRetentionReportRequest& request,
    v1::GetRetentionReportResponse* response) {
  ASSIGN_OR_RETURN(
      RetentionRequest checked,
      CheckRetentionRequest(request, context.tenant(), deps_.clock->Now()));
  RetentionOptions options;
  options.period = checked.period;
  options.split_by_mode = checked.split_by_mode;
  return BuildInRead(
      *deps_.database, &checked.scope,
      [&options](sql::Transaction& txn, const ReportScope& scope) {
        return BuildRetentionReport(txn, scope, options);
      },
      response->mutable_report());
}

absl::Status ReportingGrpcService::GetPipelineReport(
    const Context& context, const v1::GetPipelineReportRequest& request,
    v1::GetPipelineReportResponse* response) {
  ASSIGN_OR_RETURN(
      PipelineRequest checked,
      CheckPipelineRequest(request, context.tenant(), deps_.clock->Now()));
  PipelineOptions options;
  options.year = checked.year;
  options.quarter = checked.quarter;
  options.deal_owner = std::move(checked.deal_owner);
  // No currency asked: the one most of the quarter's deals use, which the
  // pipeline finds itself (not the tenant's).
  return deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(*response->mutable_report(),
                     BuildPipelineReport(txn, checked.scope, options));
    return absl::OkStatus();
  });
}

absl::Status ReportingGrpcService::ListReportAccounts(
    const Context& context, const v1::ListReportAccountsRequest& request,
    v1::ListReportAccountsResponse* response) {
  ASSIGN_OR_RETURN(
      AccountsRequest checked,
      CheckAccountsRequest(request, context.tenant(), deps_.clock->Now()));
  return deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
    // The free function of report_accounts.h, not this method.
    ASSIGN_OR_RETURN(*response,
                     reporting::ListReportAccounts(txn, checked, request));
    return absl::OkStatus();
  });
}

}  // namespace clientele::reporting

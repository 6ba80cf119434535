#include "services/reporting/dashboard/report_calls.h"

#include "absl/strings/str_cat.h"
#include "common/roles.h"

namespace clientele::reporting::dashboard {

template <typename Request, typename Response>
absl::Status ReportCalls::Call(absl::string_view rpc, const Request& request,
                               Response* response,
                               Handler<Request, Response> handler) {
  server::RequestContext context;
  context.principal = principal_;
  context.method =
      absl::StrCat("/", v1::ReportingService::service_full_name(), "/", rpc);
  context.authorization = authorization_;
  context.request = &request;
  // Every report RPC needs viewer (reporting_service.proto).
  absl::Status status =
      CheckRole(context.method, principal_.role, auth::v1::ROLE_VIEWER);
  if (status.ok()) status = (service_->*handler)(context, request, response);
  return ToQueryError(status);
}

absl::StatusOr<v1::PortfolioReport> ReportCalls::Portfolio(
    const DashboardQuery& query) {
  v1::GetPortfolioReportResponse response;
  const absl::Status status =
      Call("GetPortfolioReport", query.PortfolioRequest(), &response,
           &v1::ReportingServiceBase::GetPortfolioReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::SupportReport> ReportCalls::Support(
    const DashboardQuery& query) {
  v1::GetSupportReportResponse response;
  const absl::Status status =
      Call("GetSupportReport", query.SupportRequest(), &response,
           &v1::ReportingServiceBase::GetSupportReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::WorkloadReport> ReportCalls::Workload(
    const DashboardQuery& query) {
  v1::GetWorkloadReportResponse response;
  const absl::Status status =
      Call("GetWorkloadReport", query.WorkloadRequest(), &response,
           &v1::ReportingServiceBase::GetWorkloadReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::ListAtRiskAccountsResponse> ReportCalls::AtRisk(
    const DashboardQuery& query, int page_size, const std::string& page_token) {
  v1::ListAtRiskAccountsRequest request = query.AtRiskRequest(page_size);
  request.set_page_token(page_token);
  v1::ListAtRiskAccountsResponse response;
  const absl::Status status =
      Call("ListAtRiskAccounts", request, &response,
           &v1::ReportingServiceBase::ListAtRiskAccounts);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ConversionFunnelReport> ReportCalls::Funnel(
    const DashboardQuery& query) {
  v1::GetConversionFunnelReportResponse response;
  const absl::Status status =
      Call("GetConversionFunnelReport", query.FunnelRequest(), &response,
           &v1::ReportingServiceBase::GetConversionFunnelReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::RetentionReport> ReportCalls::Retention(
    const DashboardQuery& query) {
  v1::GetRetentionReportResponse response;
  const absl::Status status =
      Call("GetRetentionReport", query.RetentionRequest(), &response,
           &v1::ReportingServiceBase::GetRetentionReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::PipelineReport> ReportCalls::Pipeline(
    const DashboardQuery& query, absl::Time now) {
  v1::GetPipelineReportResponse response;
  const absl::Status status =
      Call("GetPipelineReport", query.PipelineRequest(now), &response,
           &v1::ReportingServiceBase::GetPipelineReport);
  if (!status.ok()) return status;
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::ListReportAccountsResponse> ReportCalls::Accounts(
    const v1::ListReportAccountsRequest& request) {
  v1::ListReportAccountsResponse response;
  const absl::Status status =
      Call("ListReportAccounts", request, &response,
           &v1::ReportingServiceBase::ListReportAccounts);
  if (!status.ok()) return status;
  return response;
}

}  // namespace clientele::reporting::dashboard

// The dashboard asks the reporting service for its reports exactly as a gRPC
// client would: each call goes to the service's RPC handler (the same
// request checks, the same read transaction, the same live refresh of the
// at-risk scores), on behalf of the dashboard user (their tenant, role and
// bearer token, which the at-risk list forwards to engagement). So a page
// and its CSV always show what the API answers, and no report is computed
// twice.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CALLS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CALLS_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.clientele.h"
#include "common/auth.h"
#include "services/reporting/dashboard/dashboard_query.h"

namespace clientele::reporting::dashboard {

class ReportCalls {
 public:
  // `service` (not owned) outlives this. `authorization` is the user's
  // "Bearer <token>".
  ReportCalls(v1::ReportingServiceBase* service, Principal principal,
              std::string authorization)
      : service_(service),
        principal_(std::move(principal)),
        authorization_(std::move(authorization)) {}

  // Each answers the RPC's report, or its error with the request's fields
  // renamed to the dashboard's parameters (ToQueryError):
  // INVALID_ARGUMENT for a bad parameter, PERMISSION_DENIED for a role below
  // viewer, the service's other errors unchanged.
  absl::StatusOr<v1::PortfolioReport> Portfolio(const DashboardQuery& query);
  absl::StatusOr<v1::SupportReport> Support(const DashboardQuery& query);
  absl::StatusOr<v1::WorkloadReport> Workload(const DashboardQuery& query);
  // One page of page_size (1-1000) accounts; page_token "" for the first.
  absl::StatusOr<v1::ListAtRiskAccountsResponse> AtRisk(
      const DashboardQuery& query, int page_size,
      const std::string& page_token);
  absl::StatusOr<v1::ConversionFunnelReport> Funnel(
      const DashboardQuery& query);
  absl::StatusOr<v1::RetentionReport> Retention(const DashboardQuery& query);
  // The quarter of query.year/quarter, else that of as_of (else of `now`).
  absl::StatusOr<v1::PipelineReport> Pipeline(const DashboardQuery& query,
                                              absl::Time now);
  absl::StatusOr<v1::ListReportAccountsResponse> Accounts(
      const v1::ListReportAccountsRequest& request);

  const Principal& principal() const { return principal_; }

 private:
  // Runs one handler the way ServeUnary would after authentication: the
  // role check, then the handler with this user's context.
  // The RPC handler of ReportingServiceBase for Request, spelled out so that
  // the overload set of its name resolves to it.
  template <typename Request, typename Response>
  using Handler = absl::Status (v1::ReportingServiceBase::*)(
      const server::RequestContext&, const Request&, Response*);
  template <typename Request, typename Response>
  absl::Status Call(absl::string_view rpc, const Request& request,
                    Response* response, Handler<Request, Response> handler);

  v1::ReportingServiceBase* const service_;
  const Principal principal_;
  const std::string authorization_;
};

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_REPORT_CALLS_H_

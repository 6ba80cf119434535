// The gRPC face of the reporting service: proto <-> domain and nothing else.
// Every RPC goes through the generated ReportingServiceBase (authentication,
// roles, worker pool, logging, status mapping). Each checks its request
// (report_request.h: INVALID_ARGUMENT naming every bad field), then computes
// its report in one read transaction of the read model, so a report is one
// consistent snapshot; the at-risk list then refreshes its page's scores
// from engagement, outside the transaction (at_risk_report.h).
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_

#include "clientele/reporting/v1/reporting_service.clientele.h"
#include "common/clock.h"
#include "common/sql/database.h"

namespace clientele::reporting {

class LiveScores;  // live_scores.h

// What the RPCs need; not owned, all outlive the service.
struct ReportingDeps {
  sql::Database* database = nullptr;  // the read model
  Clock* clock = nullptr;             // "now" of every report
  LiveScores* live_scores = nullptr;  // engagement's current scores
};

class ReportingGrpcService : public v1::ReportingServiceBase {
 public:
  ReportingGrpcService(server::RpcRuntime* runtime, const ReportingDeps& deps)
      : v1::ReportingServiceBase(runtime), deps_(deps) {}

  using Context = server::RequestContext;

  absl::Status GetPortfolioReport(
      const Context& context, const v1::GetPortfolioReportRequest& request,
      v1::GetPortfolioReportResponse* response) override;
  absl::Status GetSupportReport(
      const Context& context, const v1::GetSupportReportRequest& request,
      v1::GetSupportReportResponse* response) override;
  absl::Status GetWorkloadReport(
      const Context& context, const v1::GetWorkloadReportRequest& request,
      v1::GetWorkloadReportResponse* response) override;
  absl::Status ListAtRiskAccounts(
      const Context& context, const v1::ListAtRiskAccountsRequest& request,
      v1::ListAtRiskAccountsResponse* response) override;
  absl::Status GetConversionFunnelReport(
      const Context& context,
      const v1::GetConversionFunnelReportRequest& request,
      v1::GetConversionFunnelReportResponse* response) override;
  absl::Status GetRetentionReport(
      const Context& context, const v1::GetRetentionReportRequest& request,
      v1::GetRetentionReportResponse* response) override;
  absl::Status GetPipelineReport(
      const Context& context, const v1::GetPipelineReportRequest& request,
      v1::GetPipelineReportResponse* response) override;
  absl::Status ListReportAccounts(
      const Context& context, const v1::ListReportAccountsRequest& request,
      v1::ListReportAccountsResponse* response) override;

 private:
  ReportingDeps deps_;
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_

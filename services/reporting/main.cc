// reporting: portfolio, support, workload, retention and conversion reports.
// Flags -> dependencies -> run; see common/server/process.h.
#include "clientele/reporting/v1/reporting_service.grpc.pb.h"
#include "common/log.h"
#include "common/server/process.h"
#include "services/reporting/reporting_grpc_service.h"
#include "services/reporting/reporting_schema.h"

int main(int argc, char** argv) {
  clientele::server::InitProcess(argc, argv,
                                 "reporting: portfolio, support, workload, "
                                 "retention and conversion reports");
  auto process = clientele::server::ServiceProcess::Open(
      {"reporting", 7004, clientele::reporting::ReportingMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::reporting::ReportingGrpcService service((*process)->runtime());
  const absl::Status status = (*process)->Serve(
      {{&service,
        clientele::reporting::v1::ReportingService::service_full_name()}});
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

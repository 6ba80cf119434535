// ticketing: support tickets, SLA policies and clocks, CSAT surveys.
// Flags -> dependencies -> run; see common/server/process.h.
#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/log.h"
#include "common/server/process.h"
#include "services/ticketing/ticketing_grpc_service.h"
#include "services/ticketing/ticketing_schema.h"

int main(int argc, char** argv) {
  clientele::server::InitProcess(
      argc, argv,
      "ticketing: support tickets, SLA policies and clocks, CSAT surveys");
  auto process = clientele::server::ServiceProcess::Open(
      {"ticketing", 7003, clientele::ticketing::TicketingMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::ticketing::TicketingGrpcService service((*process)->runtime());
  const absl::Status status = (*process)->Serve(
      {{&service,
        clientele::ticketing::v1::TicketingService::service_full_name()}});
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

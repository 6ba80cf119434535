// engagement: the interaction timeline, relationship mode and score, next best
// actions, follow-ups. Flags -> dependencies -> run; see
// common/server/process.h.
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "common/log.h"
#include "common/server/process.h"
#include "services/engagement/engagement_grpc_service.h"
#include "services/engagement/engagement_schema.h"

int main(int argc, char** argv) {
  clientele::server::InitProcess(
      argc, argv,
      "engagement: the interaction timeline, relationship mode and score, next "
      "best actions, follow-ups");
  auto process = clientele::server::ServiceProcess::Open(
      {"engagement", 7002, clientele::engagement::EngagementMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::engagement::EngagementGrpcService service((*process)->runtime());
  const absl::Status status = (*process)->Serve(
      {{&service,
        clientele::engagement::v1::EngagementService::service_full_name()}});
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

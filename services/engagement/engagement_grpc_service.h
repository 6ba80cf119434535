// The gRPC face of the engagement service: proto <-> domain and nothing else.
// Every RPC goes through the generated EngagementServiceBase (authentication,
// worker pool, logging, status mapping); the RPCs not overridden here answer
// UNIMPLEMENTED until the issue that builds them lands.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_

#include "clientele/engagement/v1/engagement_service.clientele.h"

namespace clientele::engagement {

class EngagementGrpcService : public v1::EngagementServiceBase {
 public:
  using v1::EngagementServiceBase::EngagementServiceBase;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_

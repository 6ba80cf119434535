// The gRPC face of the ticketing service: proto <-> domain and nothing else.
// Every RPC goes through the generated TicketingServiceBase (authentication,
// worker pool, logging, status mapping); the RPCs not overridden here answer
// UNIMPLEMENTED until the issue that builds them lands.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_

#include "clientele/ticketing/v1/ticketing_service.clientele.h"

namespace clientele::ticketing {

class TicketingGrpcService : public v1::TicketingServiceBase {
 public:
  using v1::TicketingServiceBase::TicketingServiceBase;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_

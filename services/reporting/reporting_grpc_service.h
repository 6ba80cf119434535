// The gRPC face of the reporting service: proto <-> domain and nothing else.
// Every RPC goes through the generated ReportingServiceBase (authentication,
// worker pool, logging, status mapping); the RPCs not overridden here answer
// UNIMPLEMENTED until the issue that builds them lands.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_

#include "clientele/reporting/v1/reporting_service.clientele.h"

namespace clientele::reporting {

class ReportingGrpcService : public v1::ReportingServiceBase {
 public:
  using v1::ReportingServiceBase::ReportingServiceBase;
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_GRPC_SERVICE_H_

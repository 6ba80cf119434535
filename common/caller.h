// Who asks for a change, as the managers see it: no gRPC types here.
#ifndef CLIENTELE_COMMON_CALLER_H_
#define CLIENTELE_COMMON_CALLER_H_

#include <string>

namespace clientele {

struct Caller {
  // Scopes every row read or written.
  std::string tenant;
  // Recorded on events and audit records ("role:<role>" until staff user ids
  // travel with tokens).
  std::string actor;
  // The call's request id (the request's field or x-request-id), carried on
  // events for tracing. Idempotency keys are passed separately.
  std::string trace_id;
};

}  // namespace clientele

#endif  // CLIENTELE_COMMON_CALLER_H_

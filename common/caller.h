// Who asks for a change, as the managers see it: no gRPC types here.
#ifndef CLIENTELE_COMMON_CALLER_H_
#define CLIENTELE_COMMON_CALLER_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace clientele {

struct Caller {
  // Scopes every row read or written.
  std::string tenant;
  // Recorded on events and audit records ("role:<role>" until staff user ids
  // travel with tokens).
  std::string actor;
  // The call's request id (the request's field or x-request-id), carried on
  // events for tracing.
  std::string trace_id;

  // What a write pipeline (common/write_pipeline.h) keys idempotency on, all
  // taken from the call being served:
  // the RPC, e.g. "/clientele.contacts.v1.ContactsService/CreateAccount";
  std::string method;
  // the request's own `request_id` field (AIP-155), "" when it has none or
  // left it empty (x-request-id never makes a write idempotent);
  std::string request_id;
  // and the request as the client sent it, whose fingerprint a retry must
  // repeat. Not owned: it lives as long as the call. nullptr outside a call.
  const google::protobuf::Message* request = nullptr;

  // What a call to a peer service made on the caller's behalf carries: the
  // caller's "authorization" header ("Bearer <token>"; "" outside a call or
  // for an RPC with its own credential), forwarded as it came,
  std::string authorization;
  // and the caller's deadline, whose remaining budget bounds the peer call.
  absl::Time deadline = absl::InfiniteFuture();
};

}  // namespace clientele

#endif  // CLIENTELE_COMMON_CALLER_H_

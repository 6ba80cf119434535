// How every RPC of every service is served. The generated `<Service>Base`
// classes (cmake/protoc_gen_clientele.py) route each unary RPC through
// ServeUnary, which, in order:
//   1. authenticates the caller (UNAUTHENTICATED ends the call here, on the
//      callback thread, without touching the handler);
//   2. hands the handler to the worker pool, so callback threads never block
//      on SQLite or Redis;
//   3. answers DEADLINE_EXCEEDED / CANCELLED without running the handler when
//      the caller has already given up;
//   4. maps the handler's absl::Status to a grpc::Status once;
//   5. writes one JSON log line: method, code, latency, tenant, request id.
#ifndef CLIENTELE_COMMON_SERVER_UNARY_CALL_H_
#define CLIENTELE_COMMON_SERVER_UNARY_CALL_H_

#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/caller.h"
#include "common/server/thread_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace clientele::server {

// What a handler knows about the call besides its request.
struct RequestContext {
  Principal principal;  // tenant and role of the caller
  std::string method;   // "/clientele.contacts.v1.ContactsService/GetAccount"
  std::string request_id;  // request.request_id, else `x-request-id`, else ""
  absl::Time deadline = absl::InfiniteFuture();

  const std::string& tenant() const { return principal.tenant; }
  // The caller as managers see it: the tenant, "role:<role>" as the actor
  // (until staff user ids travel with tokens), the request id for tracing.
  Caller caller() const {
    return Caller{principal.tenant, absl::StrCat("role:", principal.role),
                  request_id};
  }
};

// What ServeUnary needs; owned by the process and shared by its services.
struct RpcRuntime {
  const TokenAuthenticator* authenticator = nullptr;
  Executor* executor = nullptr;
  bool log_rpcs = true;
};

// UNIMPLEMENTED naming `method`, for RPCs a service does not serve yet.
absl::Status UnimplementedRpc(absl::string_view method);

using UnaryHandler = absl::AnyInvocable<absl::Status(const RequestContext&) &&>;

// See the file comment. `request_id` may be empty.
grpc::ServerUnaryReactor* ServeUnary(RpcRuntime* runtime,
                                     grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     absl::string_view request_id,
                                     UnaryHandler handler);

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_UNARY_CALL_H_

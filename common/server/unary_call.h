// How every RPC of every service is served. The generated `<Service>Base`
// classes (cmake/protoc_gen_clientele.py) register each unary RPC raw and
// route it through ServeUnary, which, in order:
//   0. asks the runtime's CallGate whether the call may run: while the server
//      stops, new calls are answered UNAVAILABLE ("server is shutting down;
//      retry") without running anything;
//   1. parses the request from the call's bytes (common/server/
//      request_parsing.h);
//   2. authenticates the caller (UNAUTHENTICATED ends the call here, on the
//      callback thread, without touching the handler), except for an RPC
//      that carries its own credential (required role ROLE_UNSPECIFIED,
//      from the `credential_in_request` option), whose handler checks it;
//   3. checks the caller's role against the one the RPC declares in its
//      `(clientele.auth.v1.required_role)` option (common/roles.h):
//      PERMISSION_DENIED with a google.rpc.ErrorInfo naming the role needed
//      ends the call here too, whatever the request holds;
//   4. answers INVALID_ARGUMENT when the request did not parse, naming the
//      string field that holds invalid UTF-8 when that is why;
//   5. offers the call to the RPC's inline handler, which may answer at once
//      on the callback thread when it can without blocking (from memory);
//      otherwise hands the handler to the worker pool, so callback threads
//      never block on SQLite or Redis;
//   6. answers DEADLINE_EXCEEDED / CANCELLED without running the handler when
//      the caller has already given up;
//   7. maps the handler's absl::Status to a grpc::Status once, and on OK
//      serializes the response into the call's bytes;
//   8. writes one JSON log line: method, code, latency, tenant, request id.
#ifndef CLIENTELE_COMMON_SERVER_UNARY_CALL_H_
#define CLIENTELE_COMMON_SERVER_UNARY_CALL_H_

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/auth/v1/role.pb.h"
#include "common/auth.h"
#include "common/caller.h"
#include "common/server/call_gate.h"
#include "common/server/thread_pool.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"

namespace clientele::server {

// What a handler knows about the call besides its request.
struct RequestContext {
  Principal principal;  // tenant and role of the caller
  std::string method;   // "/clientele.contacts.v1.ContactsService/GetAccount"
  std::string request_id;  // request.request_id, else `x-request-id`, else ""
  absl::Time deadline = absl::InfiniteFuture();
  // The caller's "authorization" header as sent ("Bearer <token>"), which a
  // service forwards to its peers; "" for an RPC with its own credential.
  std::string authorization;
  // The parsed request (not owned; lives for the call) and its own
  // request_id field, the idempotency key of a write ("" when none).
  const google::protobuf::Message* request = nullptr;
  std::string idempotency_key;

  const std::string& tenant() const { return principal.tenant; }
  // The caller as managers see it: the tenant, "role:<role>" as the actor
  // (until staff user ids travel with tokens), the request id for tracing,
  // and what a write pipeline needs for idempotency (the method, the
  // request's request_id and the request).
  Caller caller() const {
    Caller caller{principal.tenant, absl::StrCat("role:", principal.role),
                  request_id};
    caller.method = method;
    caller.request_id = idempotency_key;
    caller.request = request;
    caller.authorization = authorization;
    caller.deadline = deadline;
    return caller;
  }
};

// What ServeUnary needs; owned by the process and shared by its services.
struct RpcRuntime {
  const TokenAuthenticator* authenticator = nullptr;
  Executor* executor = nullptr;
  bool log_rpcs = true;
  // Admits every call while the server serves, and refuses them with
  // UNAVAILABLE while it stops (give the same gate to Server::Start as
  // ServerOptions::call_gate). nullptr: every call is admitted.
  CallGate* gate = nullptr;
};

// UNIMPLEMENTED naming `method`, for RPCs a service does not serve yet.
absl::Status UnimplementedRpc(absl::string_view method);

// The typed half of one call, which the ServeUnary template below makes for
// the generated code: the request and response messages and the RPC's two
// handlers. ServeUnary owns it from the request's arrival until the call is
// answered.
class UnaryCall {
 public:
  virtual ~UnaryCall() = default;
  virtual google::protobuf::Message* mutable_request() = 0;
  virtual const google::protobuf::Message& response() const = 0;
  // request.request_id when the request has one, else "".
  virtual absl::string_view request_id() const = 0;
  // The RPC's inline handler: a status, or std::nullopt to pass the call to
  // Run on the worker pool. Must not block: it runs on a gRPC callback
  // thread.
  virtual std::optional<absl::Status> RunInline(
      const RequestContext& context) = 0;
  virtual absl::Status Run(const RequestContext& context) = 0;
};

// See the file comment. `required_role` is the least role that may call
// `method`; `request` and `response` are the call's bytes, as a raw callback
// method receives them.
grpc::ServerUnaryReactor* ServeUnary(RpcRuntime* runtime,
                                     grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     auth::v1::Role required_role,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response,
                                     std::unique_ptr<UnaryCall> call);

namespace internal {

// Whether Request has a string `request_id` (an idempotency key, AIP-155).
template <typename Request, typename = void>
struct HasRequestId : std::false_type {};
template <typename Request>
struct HasRequestId<
    Request, std::void_t<decltype(std::declval<const Request&>().request_id())>>
    : std::is_convertible<decltype(std::declval<const Request&>().request_id()),
                          absl::string_view> {};

template <typename Service, typename Request, typename Response>
class TypedUnaryCall final : public UnaryCall {
 public:
  using InlineMethod = std::optional<absl::Status> (Service::*)(
      const RequestContext&, const Request&, Response*);
  using Method = absl::Status (Service::*)(const RequestContext&,
                                           const Request&, Response*);

  TypedUnaryCall(Service* service, InlineMethod inline_method, Method method)
      : service_(service), inline_method_(inline_method), method_(method) {}

  google::protobuf::Message* mutable_request() override { return &request_; }
  const google::protobuf::Message& response() const override {
    return response_;
  }
  absl::string_view request_id() const override {
    if constexpr (HasRequestId<Request>::value) {
      return request_.request_id();
    } else {
      return {};
    }
  }
  std::optional<absl::Status> RunInline(
      const RequestContext& context) override {
    return (service_->*inline_method_)(context, request_, &response_);
  }
  absl::Status Run(const RequestContext& context) override {
    return (service_->*method_)(context, request_, &response_);
  }

 private:
  Service* const service_;
  const InlineMethod inline_method_;
  const Method method_;
  Request request_;
  Response response_;
};

}  // namespace internal

// What a generated raw method calls: ServeUnary with `service`'s two
// handlers of the RPC (virtual methods, so overrides are called).
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeUnary(
    RpcRuntime* runtime, grpc::CallbackServerContext* context,
    absl::string_view method, auth::v1::Role required_role,
    const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
    Service* service,
    std::optional<absl::Status> (Service::*inline_handler)(
        const RequestContext&, const Request&, Response*),
    absl::Status (Service::*handler)(const RequestContext&, const Request&,
                                     Response*)) {
  return ServeUnary(
      runtime, context, method, required_role, request, response,
      std::make_unique<internal::TypedUnaryCall<Service, Request, Response>>(
          service, inline_handler, handler));
}

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_UNARY_CALL_H_

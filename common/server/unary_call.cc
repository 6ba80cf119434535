#include "common/server/unary_call.h"

#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"
#include "common/request_id.h"
#include "common/roles.h"
#include "common/server/call_gate.h"
#include "common/server/request_parsing.h"
#include "common/server/status_mapping.h"

namespace clientele::server {
namespace {

absl::string_view Metadata(const grpc::CallbackServerContext& context,
                           absl::string_view key, bool* found) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  *found = it != metadata.end();
  if (!*found) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

absl::Time DeadlineOf(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

// Logs and answers the call; then, unless the gate refused it, tells the
// gate it has been answered.
void Finish(RpcRuntime* runtime, grpc::ServerUnaryReactor* reactor,
            const RequestContext& request_context, absl::Time start,
            const absl::Status& status, bool admitted = true) {
  if (runtime->log_rpcs) {
    std::vector<LogField> fields = {
        LogField::String("msg", "rpc"),
        LogField::String("method", request_context.method),
        LogField::String("code", absl::StatusCodeToString(status.code())),
        LogField::Raw("latency_ms",
                      absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(
                                                  absl::Now() - start))),
        LogField::String("tenant", request_context.principal.tenant),
        LogField::String("request_id", request_context.request_id),
    };
    if (!status.ok()) {
      fields.push_back(LogField::String("error", status.message()));
    }
    LogFields(status.ok() || status.code() == absl::StatusCode::kNotFound
                  ? LogSeverity::kInfo
                  : LogSeverity::kWarning,
              fields);
  }
  reactor->Finish(ToGrpcStatus(status));
  if (admitted && runtime->gate != nullptr) runtime->gate->Leave();
}

// Finish, with the response serialized into `response` when `status` is OK.
void Answer(RpcRuntime* runtime, grpc::ServerUnaryReactor* reactor,
            const RequestContext& request_context, absl::Time start,
            absl::Status status, const UnaryCall& call,
            grpc::ByteBuffer* response) {
  if (status.ok()) status = SerializeResponse(call.response(), response);
  Finish(runtime, reactor, request_context, start, status);
}

}  // namespace

absl::Status UnimplementedRpc(absl::string_view method) {
  return absl::UnimplementedError(
      absl::StrCat(method, " is not implemented yet"));
}

grpc::ServerUnaryReactor* ServeUnary(RpcRuntime* runtime,
                                     grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     auth::v1::Role required_role,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response,
                                     std::unique_ptr<UnaryCall> call) {
  // Wall time on purpose, here and for the deadline check below: gRPC
  // deadlines are on the system clock, and the log's latency is real
  // elapsed time. Logic behind the handlers reads the injected Clock.
  const absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (runtime->gate != nullptr &&
      !runtime->gate->Enter([runtime, reactor, context, start,
                             method = std::string(method)]() mutable {
        RequestContext refused;
        refused.method = std::move(method);
        bool found = false;
        refused.request_id =
            std::string(Metadata(*context, "x-request-id", &found));
        Finish(runtime, reactor, refused, start, ShuttingDownError(),
               /*admitted=*/false);
      })) {
    return reactor;
  }
  // Parsed before authenticating so the log line of a refused call still
  // carries the request's request_id; explained only after, so an
  // unauthenticated caller learns nothing about the request.
  const bool parsed = ParseRequest(*request, call->mutable_request());
  RequestContext request_context;
  request_context.method = std::string(method);
  bool found = false;
  absl::string_view request_id = parsed ? call->request_id() : "";
  request_context.idempotency_key = std::string(request_id);
  request_context.request = call->mutable_request();
  if (request_id.empty()) {
    request_id = Metadata(*context, "x-request-id", &found);
  }
  request_context.request_id = std::string(request_id);

  // ROLE_UNSPECIFIED marks an RPC that carries its own credential
  // (`credential_in_request`): no token, no role; its handler checks it.
  if (required_role != auth::v1::ROLE_UNSPECIFIED) {
    absl::string_view authorization =
        Metadata(*context, "authorization", &found);
    absl::StatusOr<Principal> principal =
        runtime->authenticator->Authenticate(found ? &authorization : nullptr);
    if (!principal.ok()) {
      Finish(runtime, reactor, request_context, start, principal.status());
      return reactor;
    }
    request_context.principal = *std::move(principal);
    request_context.authorization = std::string(authorization);
    // Before the request is explained: a caller learns nothing about an RPC
    // its role may not call.
    absl::Status allowed =
        CheckRole(method, request_context.principal.role, required_role);
    if (!allowed.ok()) {
      Finish(runtime, reactor, request_context, start, allowed);
      return reactor;
    }
  }
  if (!parsed) {
    Finish(runtime, reactor, request_context, start,
           UnparsableRequestError(*request,
                                  *call->mutable_request()->GetDescriptor()));
    return reactor;
  }
  // Before any field of the request: one rule for every write's key.
  if (absl::Status valid = ValidateRequestId(request_context.idempotency_key);
      !valid.ok()) {
    Finish(runtime, reactor, request_context, start, valid);
    return reactor;
  }
  request_context.deadline = DeadlineOf(*context);
  if (std::optional<absl::Status> answer = call->RunInline(request_context)) {
    Answer(runtime, reactor, request_context, start, *std::move(answer), *call,
           response);
    return reactor;
  }

  // `call` goes with the task: the handler's request and response live until
  // the call is answered. The response bytes belong to gRPC, which keeps them
  // until the reactor is done.
  runtime->executor->Schedule([runtime, reactor, context, response, start,
                               request_context = std::move(request_context),
                               call = std::move(call)]() mutable {
    absl::Status status;
    if (context->IsCancelled()) {
      status = absl::CancelledError("the caller cancelled the call");
    } else if (absl::Now() >= request_context.deadline) {
      status = absl::DeadlineExceededError(
          "the deadline passed before the call could run");
    } else {
      status = call->Run(request_context);
    }
    Answer(runtime, reactor, request_context, start, std::move(status), *call,
           response);
  });
  return reactor;
}

}  // namespace clientele::server

#include "common/peer_channel.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpc/grpc.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/validate_service_config.h"

namespace clientele {
namespace {

// A JSON string literal of `text`.
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
}

// A google.protobuf.Duration in its JSON form: "0.050s".
std::string JsonDuration(absl::Duration duration) {
  return absl::StrFormat("\"%.9fs\"", absl::ToDoubleSeconds(duration));
}

int ToMilliseconds(absl::Duration duration) {
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(duration), INT32_MAX));
}

}  // namespace

absl::StatusOr<std::string> PeerServiceConfigJson(
    const PeerChannelOptions& options) {
  std::vector<std::string> names;
  for (const PeerMethod& method : options.retry_safe_methods) {
    if (method.service.empty() || method.method.empty()) {
      return absl::InvalidArgumentError(
          "a retry-safe peer method needs both its service and method name");
    }
    names.push_back(absl::StrCat("{\"service\":", JsonString(method.service),
                                 ",\"method\":", JsonString(method.method),
                                 "}"));
  }
  if (names.empty()) return std::string("{}");
  if (options.max_attempts < 2) {
    return absl::InvalidArgumentError(
        "max_attempts must be at least 2 when methods are retry-safe");
  }
  if (options.initial_backoff <= absl::ZeroDuration() ||
      options.max_backoff <= absl::ZeroDuration() ||
      options.backoff_multiplier <= 0) {
    return absl::InvalidArgumentError(
        "peer retry backoffs and multiplier must be positive");
  }
  return absl::StrCat(
      "{\"methodConfig\":[{\"name\":[", absl::StrJoin(names, ","),
      "],\"retryPolicy\":{\"maxAttempts\":", options.max_attempts,
      ",\"initialBackoff\":", JsonDuration(options.initial_backoff),
      ",\"maxBackoff\":", JsonDuration(options.max_backoff),
      ",\"backoffMultiplier\":",
      absl::StrFormat("%g", options.backoff_multiplier),
      ",\"retryableStatusCodes\":[\"UNAVAILABLE\"]}}],"
      // Retries stop while more than half of recent calls failed.
      "\"retryThrottling\":{\"maxTokens\":10,\"tokenRatio\":0.1}}");
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(
    absl::string_view target, const PeerChannelOptions& options) {
  absl::StatusOr<std::string> config = PeerServiceConfigJson(options);
  if (!config.ok()) return config.status();
  // gRPC would otherwise make a channel that fails every call.
  const std::string invalid =
      grpc::experimental::ValidateServiceConfigJSON(*config);
  if (!invalid.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid peer service config: ", invalid));
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetServiceConfigJSON(*config);
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  const int max_reconnect_ms = ToMilliseconds(options.max_reconnect_backoff);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_reconnect_ms);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              std::min(1000, max_reconnect_ms));
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      options.credentials != nullptr ? options.credentials
                                     : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(std::string(target), credentials, args);
}

absl::StatusOr<absl::Time> PeerDeadline(absl::Time caller_deadline,
                                        absl::Time now, absl::Duration timeout,
                                        absl::Duration margin) {
  const absl::Time deadline = std::min(caller_deadline - margin, now + timeout);
  if (deadline <= now) {
    return absl::DeadlineExceededError(
        "the caller's deadline leaves no time to call the peer service");
  }
  return deadline;
}

absl::Status PreparePeerContext(const Caller& caller, absl::Time now,
                                absl::Duration timeout,
                                grpc::ClientContext* context) {
  absl::StatusOr<absl::Time> deadline =
      PeerDeadline(caller.deadline, now, timeout);
  if (!deadline.ok()) return deadline.status();
  context->set_deadline(absl::ToChronoTime(*deadline));
  if (!caller.authorization.empty()) {
    context->AddMetadata("authorization", caller.authorization);
  }
  if (!caller.trace_id.empty()) {
    context->AddMetadata("x-request-id", caller.trace_id);
  }
  return absl::OkStatus();
}

}  // namespace clientele

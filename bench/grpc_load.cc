// grpc_load: a closed-loop load generator for any unary RPC of our protos.
//
// Unlike h2load, which counts HTTP 200 as success, it counts every call whose
// grpc-status is not OK as a failure. The request is JSON, turned into bytes
// with the generated descriptors (every message of protos/ is linked in), and
// "{{n}}" inside its string fields becomes a per-call counter. It prints one
// JSON object on stdout; see docs/performance.md.
//
//   grpc_load --target=127.0.0.1:7009 --token=T --connections=8
//             --method=clientele.bench.v1.BenchService/Noop --duration=5s
//   grpc_load --once --target=... --method=... --request='{...}'
//   grpc_load --calls=100000 --duration=1h --target=... (a fixture fill)
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "bench/load_generator.h"
#include "bench/request_template.h"
#include "common/flags.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7009", "Server address, host:port.");
ABSL_FLAG(std::string, method, "clientele.bench.v1.BenchService/Noop",
          "Full method name, package.Service/Method (a leading / is fine).");
ABSL_FLAG(std::string, request, "{}",
          "The request as proto3 JSON. \"{{n}}\" in a string field becomes a "
          "per-call counter (0, 1, 2, ...).");
ABSL_FLAG(std::string, request_file, "",
          "Read the request JSON from this file instead of --request.");
ABSL_FLAG(std::string, token, "",
          "Bearer token sent as the authorization header; empty: none.");
ABSL_FLAG(int, connections, 1,
          "Channels, each its own TCP connection to the target.");
ABSL_FLAG(int, concurrency, 1, "Outstanding calls per connection.");
ABSL_FLAG(int, threads, 0,
          "Client threads (each with its own completion queue); 0: one per "
          "connection, at most 2.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5),
          "Length of the measured window.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "Load before the measured window, not counted.");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(5), "Deadline of each call.");
ABSL_FLAG(double, max_failure_ratio, 0.0,
          "Exit 1 when failed / (ok + failed) is above this.");
ABSL_FLAG(int64_t, calls, 0,
          "When above 0: make exactly this many calls (all counted, no "
          "warm-up; --duration only bounds the run, and a run that ends "
          "before all of them completed fails), e.g. to fill a fixture.");
ABSL_FLAG(bool, once, false,
          "Make one call (\"{{n}}\" = 0), print the response as JSON and exit: "
          "for setting up fixtures.");

namespace clientele::bench {
namespace {

// Exit codes: 0 ok, 1 too many failures (or the --once call failed),
// 2 bad usage or setup.
constexpr int kExitFailures = 1;
constexpr int kExitUsage = 2;

absl::StatusOr<std::string> RequestJson() {
  const std::string path = absl::GetFlag(FLAGS_request_file);
  if (path.empty()) return absl::GetFlag(FLAGS_request);
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// JSON of a latency in microseconds, with one decimal.
std::string Micros(int64_t nanos) {
  return absl::StrFormat("%.1f", static_cast<double>(nanos) / 1000.0);
}

int64_t Mean(const std::vector<int64_t>& latencies_ns) {
  if (latencies_ns.empty()) return 0;
  double sum = 0;
  for (const int64_t nanos : latencies_ns) sum += static_cast<double>(nanos);
  return static_cast<int64_t>(sum / static_cast<double>(latencies_ns.size()));
}

std::string ResultJson(const LoadOptions& options, const std::string& method,
                       const LoadResult& result) {
  const double seconds = absl::ToDoubleSeconds(result.measured);
  std::string failures;
  for (int code = 0; code < kStatusCodes; ++code) {
    if (result.failures_by_code[code] == 0) continue;
    absl::StrAppend(&failures, failures.empty() ? "" : ",", "\"",
                    StatusCodeName(code), "\":", result.failures_by_code[code]);
  }
  const auto& latencies = result.ok_latencies_ns;
  return absl::StrCat(
      "{\"method\":\"", method, "\",\"connections\":", options.connections,
      ",\"concurrency\":", options.concurrency,
      ",\"threads\":", options.threads,
      ",\"duration_s\":", absl::StrFormat("%.3f", seconds),
      ",\"ok\":", result.ok, ",\"failed\":", result.failed,
      ",\"failures_by_code\":{", failures, "},\"qps\":",
      absl::StrFormat(
          "%.1f", seconds > 0 ? static_cast<double>(result.ok) / seconds : 0.0),
      ",\"mean_us\":", Micros(Mean(latencies)),
      ",\"p50_us\":", Micros(Quantile(latencies, 0.50)),
      ",\"p90_us\":", Micros(Quantile(latencies, 0.90)),
      ",\"p99_us\":", Micros(Quantile(latencies, 0.99)),
      ",\"max_us\":", Micros(latencies.empty() ? 0 : latencies.back()), "}");
}

int Run() {
  std::string method(absl::StripPrefix(absl::GetFlag(FLAGS_method), "/"));
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(method, {{"/", "."}}));
  if (descriptor == nullptr) {
    std::cerr << "grpc_load: unknown method " << method
              << " (expected package.Service/Method of protos/)\n";
    return kExitUsage;
  }
  if (descriptor->client_streaming() || descriptor->server_streaming()) {
    std::cerr << "grpc_load: " << method << " is not unary\n";
    return kExitUsage;
  }
  method =
      absl::StrCat(descriptor->service()->full_name(), "/", descriptor->name());

  const absl::StatusOr<std::string> json = RequestJson();
  if (!json.ok()) {
    std::cerr << "grpc_load: " << json.status() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<RequestTemplate>> request =
      RequestTemplate::FromJson(descriptor->input_type(), *json);
  if (!request.ok()) {
    std::cerr << "grpc_load: " << request.status() << "\n";
    return kExitUsage;
  }

  LoadOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.method_path = absl::StrCat("/", method);
  options.token = absl::GetFlag(FLAGS_token);
  options.connections = absl::GetFlag(FLAGS_connections);
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.threads <= 0) options.threads = std::min(options.connections, 2);
  options.threads = std::clamp(options.threads, 1, options.connections);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.deadline = absl::GetFlag(FLAGS_deadline);
  options.calls = absl::GetFlag(FLAGS_calls);
  if (options.calls < 0) {
    std::cerr << "grpc_load: --calls must not be negative\n";
    return kExitUsage;
  }

  if (absl::GetFlag(FLAGS_once)) {
    const absl::StatusOr<std::string> bytes =
        CallOnce(options, (*request)->Render(0));
    if (!bytes.ok()) {
      std::cerr << "grpc_load: " << method << ": "
                << StatusCodeName(static_cast<int>(bytes.status().code()))
                << ": " << bytes.status().message() << "\n";
      return kExitFailures;
    }
    std::unique_ptr<google::protobuf::Message> response(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(descriptor->output_type())
            ->New());
    std::string text;
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    if (!response->ParseFromString(*bytes) ||
        !google::protobuf::util::MessageToJsonString(*response, &text, print)
             .ok()) {
      std::cerr << "grpc_load: cannot decode the response\n";
      return kExitFailures;
    }
    std::cout << text << std::endl;
    return 0;
  }

  const absl::StatusOr<LoadResult> result = RunClosedLoop(options, **request);
  if (!result.ok()) {
    std::cerr << "grpc_load: " << result.status() << "\n";
    return kExitUsage;
  }
  std::cout << ResultJson(options, method, *result) << std::endl;

  const int64_t total = result->ok + result->failed;
  for (const std::string& error : result->first_errors) {
    std::cerr << "grpc_load: failed call: " << error << "\n";
  }
  if (total == 0) {
    std::cerr << "grpc_load: no call completed in the measured window\n";
    return kExitFailures;
  }
  if (options.calls > 0 && total < options.calls) {
    std::cerr << "grpc_load: " << total << " of the " << options.calls
              << " calls completed within --duration\n";
    return kExitFailures;
  }
  const double ratio =
      static_cast<double>(result->failed) / static_cast<double>(total);
  if (ratio > absl::GetFlag(FLAGS_max_failure_ratio)) {
    std::cerr << absl::StrFormat(
        "grpc_load: %d of %d calls failed (%.4f > --max_failure_ratio=%g)\n",
        result->failed, total, ratio, absl::GetFlag(FLAGS_max_failure_ratio));
    return kExitFailures;
  }
  return 0;
}

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) {
  clientele::ParseFlagsWithEnv(
      argc, argv,
      "grpc_load: closed-loop load generator for a unary Clientele RPC; "
      "counts every non-OK grpc-status as a failure");
  return clientele::bench::Run();
}

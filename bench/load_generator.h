// A closed-loop load generator for one unary gRPC method, over generic
// (serialized-bytes) calls, so it needs no per-service code.
//
// Each of `connections` channels is its own TCP connection and keeps
// `concurrency` calls outstanding: when one completes, the next starts.
// Calls that complete during the warm-up are not counted; calls still
// running when the measured window ends are awaited but not counted.
// Any grpc-status other than OK is a failure.
#ifndef CLIENTELE_BENCH_LOAD_GENERATOR_H_
#define CLIENTELE_BENCH_LOAD_GENERATOR_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/request_template.h"
#include "grpcpp/channel.h"

namespace clientele::bench {

struct LoadOptions {
  std::string target;       // host:port
  std::string method_path;  // "/package.Service/Method"
  std::string token;        // sent as "authorization: Bearer <token>"
  int connections = 1;
  int concurrency = 1;  // outstanding calls per connection
  int threads = 1;      // client threads; connections are spread over them
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  absl::Duration deadline = absl::Seconds(5);  // per call
  // When > 0: exactly this many calls, every one counted (no warm-up), and
  // `duration` only bounds the run: a fixture fill rather than a window.
  int64_t calls = 0;
};

// grpc::StatusCode values are 0..16.
inline constexpr int kStatusCodes = 17;

struct LoadResult {
  int64_t ok = 0;
  int64_t failed = 0;
  std::array<int64_t, kStatusCodes> failures_by_code{};
  // The first few failures, as "CODE: message".
  std::vector<std::string> first_errors;
  // Length of the measured window.
  absl::Duration measured;
  // Latency of every OK call in the window, in nanoseconds, sorted.
  std::vector<int64_t> ok_latencies_ns;
};

// A channel that is its own TCP connection: `id` is put in its channel
// arguments and the subchannel pool is local, so gRPC shares nothing.
std::shared_ptr<grpc::Channel> MakeDistinctChannel(const std::string& target,
                                                   int id);

// Connects every channel (UNAVAILABLE if one does not connect within
// `options.deadline`), then runs the load. `request` is cloned per thread.
// With `options.calls`, `measured` is the time the calls took (at most
// `duration`; calls still running then are awaited but not counted).
absl::StatusOr<LoadResult> RunClosedLoop(const LoadOptions& options,
                                         const RequestTemplate& request);

// One call with `request`; the serialized response, or the call's status.
absl::StatusOr<std::string> CallOnce(const LoadOptions& options,
                                     const std::string& request);

// "UNAUTHENTICATED" for grpc::StatusCode 16, etc.
absl::string_view StatusCodeName(int code);

// The latency at quantile q (0..1) of sorted `latencies_ns`, 0 when empty.
int64_t Quantile(const std::vector<int64_t>& latencies_ns, double q);

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_LOAD_GENERATOR_H_

#include "bench/load_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

namespace clientele::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxErrorsKept = 5;

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

std::unique_ptr<grpc::ClientContext> NewContext(const LoadOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options.deadline));
  if (!options.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options.token);
  }
  return context;
}

// Drives the calls of a few channels on one thread and one completion queue.
class Worker {
 public:
  Worker(const LoadOptions& options, std::unique_ptr<RequestTemplate> request,
         std::atomic<uint64_t>* counter, std::atomic<int64_t>* started,
         Clock::time_point measure_start, Clock::time_point measure_end)
      : options_(options),
        request_(std::move(request)),
        counter_(counter),
        started_(started),
        measure_start_(measure_start),
        measure_end_(measure_end) {
    if (!request_->has_placeholders()) {
      fixed_request_ = ToByteBuffer(request_->Render(0));
    }
  }

  void AddChannel(std::shared_ptr<grpc::Channel> channel) {
    stubs_.push_back(std::make_unique<grpc::GenericStub>(std::move(channel)));
  }

  void Run() {
    for (const auto& stub : stubs_) {
      for (int i = 0; i < options_.concurrency; ++i) {
        calls_.push_back(std::make_unique<Call>());
        calls_.back()->stub = stub.get();
      }
    }
    size_t active = 0;
    for (const auto& call : calls_) {
      if (TryStart(call.get())) ++active;
    }
    void* tag = nullptr;
    bool ok = false;
    while (active > 0 && queue_.Next(&tag, &ok)) {
      Call* call = static_cast<Call*>(tag);
      const Clock::time_point now = Clock::now();
      if (now >= measure_start_ && now < measure_end_) Record(*call, now);
      if (now >= measure_end_ || !TryStart(call)) --active;
    }
    queue_.Shutdown();
    while (queue_.Next(&tag, &ok)) {
    }
  }

  LoadResult& result() { return result_; }

 private:
  struct Call {
    grpc::GenericStub* stub = nullptr;
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
    grpc::ByteBuffer response;
    grpc::Status status;
    Clock::time_point start;
  };

  // Starts the next call on `call`'s slot; false once `calls` (when set)
  // have been started by all the workers together.
  bool TryStart(Call* call) {
    if (options_.calls > 0 && started_->fetch_add(1) >= options_.calls) {
      return false;
    }
    call->context = NewContext(options_);
    call->response.Clear();
    const grpc::ByteBuffer request =
        request_->has_placeholders()
            ? ToByteBuffer(request_->Render(counter_->fetch_add(1)))
            : fixed_request_;
    call->start = Clock::now();
    call->reader = call->stub->PrepareUnaryCall(
        call->context.get(), options_.method_path, request, &queue_);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
    return true;
  }

  void Record(const Call& call, Clock::time_point now) {
    if (call.status.ok()) {
      ++result_.ok;
      result_.ok_latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - call.start)
              .count());
      return;
    }
    ++result_.failed;
    const int code = call.status.error_code();
    if (code >= 0 && code < kStatusCodes) ++result_.failures_by_code[code];
    if (result_.first_errors.size() < kMaxErrorsKept) {
      result_.first_errors.push_back(absl::StrCat(StatusCodeName(code), ": ",
                                                  call.status.error_message()));
    }
  }

  const LoadOptions& options_;
  std::unique_ptr<RequestTemplate> request_;
  std::atomic<uint64_t>* counter_;
  std::atomic<int64_t>* started_;
  const Clock::time_point measure_start_;
  const Clock::time_point measure_end_;
  grpc::ByteBuffer fixed_request_;
  grpc::CompletionQueue queue_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<std::unique_ptr<Call>> calls_;
  LoadResult result_;
};

}  // namespace

std::shared_ptr<grpc::Channel> MakeDistinctChannel(const std::string& target,
                                                   int id) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.channel_id", id);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

absl::StatusOr<LoadResult> RunClosedLoop(const LoadOptions& options,
                                         const RequestTemplate& request) {
  if (options.connections < 1 || options.concurrency < 1) {
    return absl::InvalidArgumentError(
        "connections and concurrency must be at least 1");
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < options.connections; ++i) {
    channels.push_back(MakeDistinctChannel(options.target, i));
    if (!channels.back()->WaitForConnected(
            absl::ToChronoTime(absl::Now() + options.deadline))) {
      return absl::UnavailableError(absl::StrCat(
          "connection ", i, " to ", options.target, " did not connect within ",
          absl::FormatDuration(options.deadline)));
    }
  }

  const int threads = std::clamp(options.threads, 1, options.connections);
  std::atomic<uint64_t> counter{0};
  std::atomic<int64_t> started{0};
  const Clock::time_point start = Clock::now();
  // A fixed number of calls counts them all: no warm-up.
  const Clock::time_point measure_start =
      options.calls > 0 ? start
                        : start + absl::ToChronoNanoseconds(options.warmup);
  const Clock::time_point measure_end =
      measure_start + absl::ToChronoNanoseconds(options.duration);
  std::vector<std::unique_ptr<Worker>> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(options, request.Clone(),
                                               &counter, &started,
                                               measure_start, measure_end));
  }
  for (int i = 0; i < options.connections; ++i) {
    workers[i % threads]->AddChannel(channels[i]);
  }
  std::vector<std::thread> running;
  running.reserve(workers.size());
  for (auto& worker : workers) {
    running.emplace_back([&worker] { worker->Run(); });
  }
  for (std::thread& thread : running) thread.join();

  LoadResult total;
  total.measured = options.duration;
  if (options.calls > 0) {
    total.measured = std::min(
        options.duration,
        absl::FromChrono(std::chrono::duration_cast<std::chrono::nanoseconds>(
            Clock::now() - start)));
  }
  for (auto& worker : workers) {
    LoadResult& part = worker->result();
    total.ok += part.ok;
    total.failed += part.failed;
    for (int code = 0; code < kStatusCodes; ++code) {
      total.failures_by_code[code] += part.failures_by_code[code];
    }
    for (std::string& error : part.first_errors) {
      if (total.first_errors.size() < kMaxErrorsKept) {
        total.first_errors.push_back(std::move(error));
      }
    }
    total.ok_latencies_ns.insert(total.ok_latencies_ns.end(),
                                 part.ok_latencies_ns.begin(),
                                 part.ok_latencies_ns.end());
  }
  std::sort(total.ok_latencies_ns.begin(), total.ok_latencies_ns.end());
  return total;
}

absl::StatusOr<std::string> CallOnce(const LoadOptions& options,
                                     const std::string& request) {
  grpc::GenericStub stub(MakeDistinctChannel(options.target, 0));
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::ClientContext> context = NewContext(options);
  grpc::ByteBuffer response;
  grpc::Status status;
  auto reader = stub.PrepareUnaryCall(context.get(), options.method_path,
                                      ToByteBuffer(request), &queue);
  reader->StartCall();
  reader->Finish(&response, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return FromByteBuffer(response);
}

absl::string_view StatusCodeName(int code) {
  static constexpr absl::string_view kNames[kStatusCodes] = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED"};
  if (code < 0 || code >= kStatusCodes) return "UNKNOWN_CODE";
  return kNames[code];
}

int64_t Quantile(const std::vector<int64_t>& latencies_ns, double q) {
  if (latencies_ns.empty()) return 0;
  const double rank = q * static_cast<double>(latencies_ns.size() - 1);
  return latencies_ns[static_cast<size_t>(std::lround(rank))];
}

}  // namespace clientele::bench

// bench_server: the baseline for every benchmark and the subject of the
// graceful-shutdown test. It serves clientele.bench.v1.BenchService on the
// same common/ bootstrap as the real services (authentication, worker pool,
// per-RPC logging, status mapping, health, reflection), with no database.
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clientele/bench/v1/bench_service.clientele.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/server/process.h"

ABSL_FLAG(bool, noop_inline, false,
          "Answer Noop on the gRPC thread instead of the worker pool: the "
          "floor for RPCs that answer from memory.");

namespace clientele::bench {
namespace {

using ::clientele::bench::v1::BenchService;
using ::clientele::bench::v1::BenchServiceBase;
using ::clientele::bench::v1::NoopRequest;
using ::clientele::bench::v1::NoopResponse;
using ::clientele::bench::v1::SleepRequest;
using ::clientele::bench::v1::SleepResponse;

class BenchGrpcService : public BenchServiceBase {
 public:
  BenchGrpcService(server::RpcRuntime* runtime, bool noop_inline)
      : BenchServiceBase(runtime), inline_(noop_inline) {}

  std::optional<absl::Status> NoopInline(const server::RequestContext& context,
                                         const NoopRequest& request,
                                         NoopResponse* response) override {
    if (!inline_) return std::nullopt;
    return Noop(context, request, response);
  }

  absl::Status Noop(const server::RequestContext& context,
                    const NoopRequest& request,
                    NoopResponse* response) override {
    response->set_payload(request.payload());
    return absl::OkStatus();
  }

  absl::Status Sleep(const server::RequestContext& context,
                     const SleepRequest& request,
                     SleepResponse* response) override {
    const absl::Duration duration =
        absl::Seconds(request.duration().seconds()) +
        absl::Nanoseconds(request.duration().nanos());
    if (duration < absl::ZeroDuration() || duration > absl::Seconds(60)) {
      return InvalidFieldError("duration", "must be between 0 and 60 seconds");
    }
    const absl::Time start = absl::Now();
    absl::SleepFor(duration);
    const int64_t slept_nanos = absl::ToInt64Nanoseconds(absl::Now() - start);
    response->mutable_slept()->set_seconds(slept_nanos / 1000000000);
    response->mutable_slept()->set_nanos(
        static_cast<int32_t>(slept_nanos % 1000000000));
    return absl::OkStatus();
  }

 private:
  const bool inline_;
};

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) {
  clientele::server::InitProcess(
      argc, argv,
      "bench_server: no-op baseline for benchmarks and shutdown tests");
  auto process =
      clientele::server::ServiceProcess::Open(clientele::server::ProcessConfig{
          "bench", 7009, {}, /*use_database=*/false});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::bench::BenchGrpcService service((*process)->runtime(),
                                             absl::GetFlag(FLAGS_noop_inline));
  const absl::Status status = (*process)->Serve(
      {{&service, clientele::bench::v1::BenchService::service_full_name()}});
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

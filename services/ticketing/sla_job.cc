#include "services/ticketing/sla_job.h"

#include "common/log.h"

namespace clientele::ticketing {
namespace {

// A pass stops after this many full batches, so that one that cannot make
// progress (it never should) does not hold the thread forever; the next
// pass goes on.
constexpr int kMaxBatchesPerPass = 100;

}  // namespace

void SlaJob::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SlaJob::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> SlaJob::RunPass() {
  int total = 0;
  for (int batch = 0; batch < kMaxBatchesPerPass; ++batch) {
    absl::StatusOr<int> handled = alerts_->PublishDue(kBatch);
    if (!handled.ok()) return handled.status();
    total += *handled;
    if (*handled < kBatch) break;
    absl::MutexLock lock(&mu_);
    if (stopping_) break;
  }
  return total;
}

void SlaJob::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      const auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), period_);
      if (stopping_) return;
    }
    absl::StatusOr<int> handled = RunPass();
    if (!handled.ok()) {
      LOG(WARNING) << "SLA job failed, retrying next period: "
                   << handled.status();
    }
  }
}

}  // namespace clientele::ticketing

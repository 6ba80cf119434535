#include "services/engagement/rescorer.h"

#include "common/log.h"

namespace clientele::engagement {
namespace {

constexpr int kBatch = 64;

}  // namespace

void Rescorer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Rescorer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Rescorer::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void Rescorer::Run() {
  absl::Duration backoff = absl::ZeroDuration();
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || woken_;
      };
      mu_.AwaitWithTimeout(
          absl::Condition(&ready),
          backoff > absl::ZeroDuration() ? backoff : idle_poll_);
      if (stopping_) return;
      woken_ = false;
    }
    for (;;) {
      absl::StatusOr<int> done = scores_->RescoreDirty(kBatch);
      if (!done.ok()) {
        LOG(WARNING) << "rescoring failed, retrying: " << done.status();
        backoff = absl::Seconds(1);
        break;
      }
      backoff = absl::ZeroDuration();
      if (*done < kBatch) break;
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
  }
}

}  // namespace clientele::engagement

#include "common/redis/fault_injecting_redis_client.h"

#include "absl/status/status.h"

namespace clientele::redis {

absl::StatusOr<Reply> FaultInjectingRedisClient::Command(
    absl::Span<const std::string> args) {
  {
    absl::MutexLock lock(&mu_);
    const bool fail = failing_ || fail_next_ > 0;
    if (!failing_ && fail_next_ > 0) --fail_next_;
    if (fail) {
      ++injected_failures_;
      return absl::UnavailableError("Redis: injected failure");
    }
  }
  return target_->Command(args);
}

void FaultInjectingRedisClient::FailNextCalls(int n) {
  absl::MutexLock lock(&mu_);
  fail_next_ += n;
}

void FaultInjectingRedisClient::SetFailing(bool failing) {
  absl::MutexLock lock(&mu_);
  failing_ = failing;
}

int64_t FaultInjectingRedisClient::injected_failures() const {
  absl::MutexLock lock(&mu_);
  return injected_failures_;
}

}  // namespace clientele::redis

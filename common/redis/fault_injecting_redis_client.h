// A RedisClient wrapper for failure-path tests: it forwards to a real client
// but can be told to answer UNAVAILABLE, as a dead or unreachable Redis would.
#ifndef CLIENTELE_COMMON_REDIS_FAULT_INJECTING_REDIS_CLIENT_H_
#define CLIENTELE_COMMON_REDIS_FAULT_INJECTING_REDIS_CLIENT_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/redis/redis_client.h"

namespace clientele::redis {

// Thread-safe. A failed call is not forwarded, so it has no effect in Redis.
class FaultInjectingRedisClient : public RedisClient {
 public:
  // `target` is not owned and must outlive this object.
  explicit FaultInjectingRedisClient(RedisClient* target) : target_(target) {}

  absl::StatusOr<Reply> Command(absl::Span<const std::string> args) override;

  // The next `n` calls answer UNAVAILABLE (on top of any still pending).
  void FailNextCalls(int n);
  // While set, every call answers UNAVAILABLE.
  void SetFailing(bool failing);

  // Calls answered UNAVAILABLE by injection so far.
  int64_t injected_failures() const;

 private:
  RedisClient* const target_;
  mutable absl::Mutex mu_;
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  bool failing_ ABSL_GUARDED_BY(mu_) = false;
  int64_t injected_failures_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace clientele::redis

#endif  // CLIENTELE_COMMON_REDIS_FAULT_INJECTING_REDIS_CLIENT_H_

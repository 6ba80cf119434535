// Time and identifiers, injected so that tests are deterministic.
#ifndef CLIENTELE_COMMON_CLOCK_H_
#define CLIENTELE_COMMON_CLOCK_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clientele {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// The system clock.
class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
  // A process-wide instance.
  static RealClock* Get();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))
      : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }
  void Set(absl::Time to) {
    absl::MutexLock lock(&mutex_);
    now_ = to;
  }

 private:
  absl::Mutex mutex_;
  absl::Time now_ ABSL_GUARDED_BY(mutex_);
};

// Makes the ids of new resources and events.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id: 20 characters of lowercase base32, safe in a resource name and
  // a URL.
  virtual std::string NewId() = 0;
};

// Ids that sort by creation time: 40 bits of milliseconds since 2020
// (enough until 2054) then 60 random bits, like a ULID. New rows then land
// at the end of every index keyed by id instead of at random pages, which
// keeps bulk inserts fast as tables grow; 60 random bits keep ids made in
// the same millisecond apart.
class RandomIdGenerator : public IdGenerator {
 public:
  std::string NewId() override;
  static RandomIdGenerator* Get();

 private:
  absl::Mutex mutex_;
  absl::BitGen bits_ ABSL_GUARDED_BY(mutex_);
};

// "id-1", "id-2", ... for tests. Thread-safe.
class SequentialIdGenerator : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix = "id-")
      : prefix_(std::move(prefix)) {}
  std::string NewId() override;

 private:
  const std::string prefix_;
  absl::Mutex mutex_;
  int64_t next_ ABSL_GUARDED_BY(mutex_) = 1;
};

}  // namespace clientele

#endif  // CLIENTELE_COMMON_CLOCK_H_

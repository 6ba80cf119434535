// Polling for tests that wait on another thread or process.
#ifndef CLIENTELE_COMMON_TESTING_WAIT_FOR_H_
#define CLIENTELE_COMMON_TESTING_WAIT_FOR_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clientele::testing {

// Polls `condition` every 10 ms until it holds or `limit` passes; returns
// its last value. The limit only bounds how long a broken build hangs;
// nothing is timed. (Wall time on purpose: it waits on real threads and
// processes, while the code under test may run on a FakeClock.)
inline bool WaitFor(const std::function<bool()>& condition,
                    absl::Duration limit = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + limit;
  while (!condition()) {
    if (absl::Now() > deadline) return condition();
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_WAIT_FOR_H_

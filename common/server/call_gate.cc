#include "common/server/call_gate.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace clientele::server {

absl::Status ShuttingDownError() {
  return absl::UnavailableError("server is shutting down; retry");
}

bool CallGate::Enter(Refusal refuse) {
  {
    absl::MutexLock lock(&mutex_);
    switch (state_) {
      case State::kOpen:
        ++running_;
        return true;
      case State::kHolding:
        held_.push_back(std::move(refuse));
        last_held_ = absl::Now();
        return false;
      case State::kRefusing:
      case State::kClosed:
        break;
    }
  }
  std::move(refuse)();
  return false;
}

void CallGate::Leave() {
  absl::MutexLock lock(&mutex_);
  --running_;
}

void CallGate::Refuse() {
  absl::MutexLock lock(&mutex_);
  if (state_ == State::kOpen) state_ = State::kRefusing;
}

bool CallGate::AwaitIdle(absl::Time deadline) {
  absl::MutexLock lock(&mutex_);
  return mutex_.AwaitWithDeadline(
      absl::Condition(
          +[](int* running) { return *running == 0; }, &running_),
      deadline);
}

void CallGate::Hold() {
  absl::MutexLock lock(&mutex_);
  if (state_ == State::kOpen || state_ == State::kRefusing) {
    state_ = State::kHolding;
    last_held_ = absl::Now();
  }
}

void CallGate::AwaitQuiet(absl::Duration quiet, absl::Time deadline) {
  absl::MutexLock lock(&mutex_);
  while (!closed_) {
    const absl::Time until = std::min(last_held_ + quiet, deadline);
    if (absl::Now() >= until) return;
    // Wakes at `until`, or early if the gate is closed meanwhile.
    mutex_.AwaitWithDeadline(absl::Condition(&closed_), until);
  }
}

void CallGate::Close() {
  std::vector<Refusal> held;
  {
    absl::MutexLock lock(&mutex_);
    state_ = State::kClosed;
    closed_ = true;
    held.swap(held_);
  }
  for (Refusal& refuse : held) std::move(refuse)();
}

int CallGate::running() const {
  absl::MutexLock lock(&mutex_);
  return running_;
}

int CallGate::held() const {
  absl::MutexLock lock(&mutex_);
  return static_cast<int>(held_.size());
}

}  // namespace clientele::server

#include "common/clock.h"

#include "absl/strings/str_cat.h"

namespace clientele {

RealClock* RealClock::Get() {
  static RealClock* clock = new RealClock();
  return clock;
}

std::string RandomIdGenerator::NewId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  static const absl::Time kEpoch = absl::FromUnixSeconds(1577836800);  // 2020
  const uint64_t millis =
      static_cast<uint64_t>(absl::ToInt64Milliseconds(absl::Now() - kEpoch)) &
      ((uint64_t{1} << 40) - 1);
  uint64_t random;
  {
    absl::MutexLock lock(&mutex_);
    random = absl::Uniform<uint64_t>(bits_);
  }
  std::string id(20, 'a');
  // Most significant first, so that ids compare like their times.
  for (int i = 7; i >= 0; --i) {
    id[i] = kAlphabet[(millis >> (5 * (7 - i))) & 31];
  }
  for (int i = 8; i < 20; ++i) {
    id[i] = kAlphabet[random & 31];
    random >>= 5;
  }
  return id;
}

RandomIdGenerator* RandomIdGenerator::Get() {
  static RandomIdGenerator* generator = new RandomIdGenerator();
  return generator;
}

std::string SequentialIdGenerator::NewId() {
  absl::MutexLock lock(&mutex_);
  return absl::StrCat(prefix_, next_++);
}

}  // namespace clientele

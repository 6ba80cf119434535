#include "common/clock.h"

#include "absl/strings/str_cat.h"

namespace clientele {

RealClock* RealClock::Get() {
  static RealClock* clock = new RealClock();
  return clock;
}

std::string RandomIdGenerator::NewId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  uint64_t high;
  uint64_t low;
  {
    absl::MutexLock lock(&mutex_);
    high = absl::Uniform<uint64_t>(bits_);
    low = absl::Uniform<uint64_t>(bits_);
  }
  std::string id(20, 'a');
  for (int i = 0; i < 20; ++i) {
    uint64_t& source = i < 10 ? high : low;
    id[i] = kAlphabet[source & 31];
    source >>= 5;
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

#include "services/reporting/support_facts.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace clientele::reporting {
namespace {

// The resolutions: from kStarts[i] seconds on, a duration counts to
// kSteps[i] seconds, 10% of kStarts[i] (each start a multiple of the step
// before it, so a range's codes start on a multiple of its step).
constexpr std::array<int64_t, 6> kStarts = {0, 100, 600, 6000, 36000, 864000};
constexpr std::array<int64_t, 6> kSteps = {1, 10, 60, 600, 3600, 86400};

// Longer durations count as this (1,000 days): codes stay below ~1,500.
constexpr int64_t kMaxCountedSeconds = int64_t{1000} * 86400;

// The first code of each range, computed once.
struct Ranges {
  std::array<int64_t, kSteps.size()> first_code{};
  std::array<int64_t, kSteps.size()> start{};

  constexpr Ranges() {
    int64_t code = 0;
    for (size_t i = 0; i < kSteps.size(); ++i) {
      start[i] = kStarts[i];
      first_code[i] = code;
      if (i + 1 < kSteps.size()) {
        code += (kStarts[i + 1] - kStarts[i]) / kSteps[i];
      }
    }
  }
};
constexpr Ranges kRanges;

// The range a duration (>= 0) falls in.
size_t RangeOf(int64_t seconds) {
  size_t i = 0;
  while (i + 1 < kSteps.size() && seconds >= kStarts[i + 1]) ++i;
  return i;
}

}  // namespace

using support_internal::PutVarint;
using support_internal::ReadVarint;
using support_internal::Unzigzag;
using support_internal::Zigzag;

int64_t DurationCode(int64_t seconds) {
  if (seconds <= 0) return 0;
  seconds = std::min(seconds, kMaxCountedSeconds);
  const size_t i = RangeOf(seconds);
  return kRanges.first_code[i] + (seconds - kRanges.start[i]) / kSteps[i];
}

int64_t CodeSeconds(int64_t code) {
  if (code <= 0) return 0;
  size_t i = 0;
  while (i + 1 < kSteps.size() && code >= kRanges.first_code[i + 1]) ++i;
  return kRanges.start[i] + (code - kRanges.first_code[i]) * kSteps[i];
}

std::string EncodeSupportCounts(const SupportCounts& counts) {
  std::string out;
  auto it = counts.begin();
  while (it != counts.end()) {
    // One group: the entries of one (mode, tier, fact) with a count.
    auto end = it;
    size_t n = 0;
    while (end != counts.end() && end->first.mode == it->first.mode &&
           end->first.tier == it->first.tier &&
           end->first.fact == it->first.fact) {
      if (end->second != 0) ++n;
      ++end;
    }
    if (n > 0) {
      PutVarint(Zigzag(it->first.mode), &out);
      PutVarint(Zigzag(it->first.tier), &out);
      PutVarint(static_cast<uint64_t>(it->first.fact), &out);
      PutVarint(n, &out);
      int64_t code = 0;
      for (; it != end; ++it) {
        if (it->second == 0) continue;
        PutVarint(Zigzag(it->first.code - code), &out);
        PutVarint(Zigzag(it->second), &out);
        code = it->first.code;
      }
    }
    it = end;
  }
  return out;
}

// A blob: groups of [zigzag mode, zigzag tier, fact, n] then n entries of
// [zigzag code delta (from the previous entry's code, the first from 0),
// zigzag count].
absl::Status DecodeSupportCounts(absl::string_view blob, SupportCounts* into) {
  size_t pos = 0;
  while (pos < blob.size()) {
    SupportRowKey group;
    uint64_t n = 0;
    if (!support_internal::ReadGroupKey(blob, &pos, &group) ||
        !ReadVarint(blob, &pos, &n)) {
      return support_internal::Malformed();
    }
    SupportKey key{group.mode, group.tier, group.fact, 0};
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t delta = 0, count = 0;
      if (!ReadVarint(blob, &pos, &delta) || !ReadVarint(blob, &pos, &count)) {
        return support_internal::Malformed();
      }
      // Wrapping (defined) on a blob this code did not write.
      key.code = static_cast<int64_t>(static_cast<uint64_t>(key.code) +
                                      static_cast<uint64_t>(Unzigzag(delta)));
      (*into)[key] += Unzigzag(count);
    }
  }
  return absl::OkStatus();
}

void AddToSupportRows(const SupportCounts& counts, int64_t sign,
                      SupportRows* rows) {
  for (const auto& [key, count] : counts) {
    SupportRow& row = (*rows)[{key.mode, key.tier, key.fact}];
    const int64_t code = std::max<int64_t>(0, key.code);
    if (row.counts.empty()) row.first_code = code;
    if (code < row.first_code) {
      row.counts.insert(row.counts.begin(),
                        static_cast<size_t>(row.first_code - code), 0);
      row.first_code = code;
    }
    const auto index = static_cast<size_t>(code - row.first_code);
    if (row.counts.size() <= index) row.counts.resize(index + 1);
    row.counts[index] += sign * count;
  }
}

absl::StatusOr<std::string> EncodeSupportRows(const SupportRows& rows) {
  std::string out;
  for (const auto& [key, row] : rows) {
    size_t begin = 0;
    size_t end = row.counts.size();
    while (begin < end && row.counts[begin] == 0) ++begin;
    while (end > begin && row.counts[end - 1] == 0) --end;
    if (begin == end) continue;
    PutVarint(Zigzag(key.mode), &out);
    PutVarint(Zigzag(key.tier), &out);
    PutVarint(static_cast<uint64_t>(key.fact), &out);
    PutVarint(static_cast<uint64_t>(row.first_code) + begin, &out);
    PutVarint(end - begin, &out);
    int64_t largest = 0;
    for (size_t i = begin; i < end; ++i) {
      const int64_t count = row.counts[i];
      if (count < 0 || count > int64_t{0xffffffff}) {
        return absl::InternalError(
            "a support_blocks count left 0..2^32-1: the sums went wrong");
      }
      largest = std::max(largest, count);
    }
    const int width = largest < 0x100 ? 1 : largest < 0x10000 ? 2 : 4;
    PutVarint(static_cast<uint64_t>(width), &out);
    for (size_t i = begin; i < end; ++i) {
      for (int shift = 0; shift < 8 * width; shift += 8) {
        out.push_back(static_cast<char>((row.counts[i] >> shift) & 0xff));
      }
    }
  }
  return out;
}

absl::Status DecodeSupportRows(absl::string_view blob, SupportRows* rows) {
  return VisitSupportRows(
      blob, [rows](const SupportRowKey& key, int64_t first_code, size_t n,
                   const auto& count) {
        SupportCounts counts;
        for (size_t i = 0; i < n; ++i) {
          if (const int64_t c = count(i); c != 0) {
            counts[{key.mode, key.tier, key.fact,
                    first_code + static_cast<int64_t>(i)}] = c;
          }
        }
        AddToSupportRows(counts, 1, rows);
      });
}

absl::Status AddToSupportTimes(const SupportCounts& counts, int64_t sign,
                               SupportTimes* times) {
  for (const auto& [key, count] : counts) {
    std::vector<int64_t>& run = (*times)[{key.mode, key.tier, key.fact}];
    const int64_t n = sign * count;
    if (n > 0) {
      run.insert(std::upper_bound(run.begin(), run.end(), key.code),
                 static_cast<size_t>(n), key.code);
      continue;
    }
    const auto [first, last] =
        std::equal_range(run.begin(), run.end(), key.code);
    if (last - first < -n) {
      return absl::InternalError(
          "a support_backlog time to take away is not there");
    }
    run.erase(first, first + static_cast<ptrdiff_t>(-n));
  }
  return absl::OkStatus();
}

std::string EncodeSupportTimes(const SupportTimes& times) {
  std::string out;
  for (const auto& [key, run] : times) {
    if (run.empty()) continue;
    PutVarint(Zigzag(key.mode), &out);
    PutVarint(Zigzag(key.tier), &out);
    PutVarint(static_cast<uint64_t>(key.fact), &out);
    PutVarint(run.size(), &out);
    for (const int64_t time : run) {
      const auto bits = static_cast<uint64_t>(time);
      for (int shift = 0; shift < 64; shift += 8) {
        out.push_back(static_cast<char>((bits >> shift) & 0xff));
      }
    }
  }
  return out;
}

// Times: [zigzag mode, zigzag tier, fact, n] then n times of 8 bytes,
// little-endian two's complement.
absl::Status DecodeSupportTimes(absl::string_view blob, SupportTimes* times) {
  size_t pos = 0;
  while (pos < blob.size()) {
    SupportRowKey key;
    uint64_t n = 0;
    if (!support_internal::ReadGroupKey(blob, &pos, &key) ||
        !ReadVarint(blob, &pos, &n) || n > (blob.size() - pos) / 8) {
      return support_internal::Malformed();
    }
    const auto* data =
        reinterpret_cast<const unsigned char*>(blob.data()) + pos;
    std::vector<int64_t>& run = (*times)[key];
    for (size_t i = 0; i < n; ++i) {
      run.push_back(support_internal::Load64(data + 8 * i));
    }
    std::sort(run.begin(), run.end());
    pos += 8 * n;
  }
  return absl::OkStatus();
}

namespace {

constexpr int64_t kThirtyDaysUs = int64_t{30} * 86400 * 1000000;

// The summary of one set of runs: waiting (open, breached) and on hold.
BacklogSummary Summarize(const std::vector<const std::vector<int64_t>*>& open,
                         const std::vector<const std::vector<int64_t>*>& held,
                         int64_t recent_from_us, int64_t breached) {
  BacklogSummary out;
  std::vector<int64_t> waiting;
  for (const std::vector<int64_t>* run : open) {
    waiting.insert(waiting.end(), run->begin(), run->end());
  }
  std::sort(waiting.begin(), waiting.end());
  for (const std::vector<int64_t>* run : held) {
    out.on_hold += static_cast<int64_t>(run->size());
  }
  out.breached = breached;
  out.waiting = static_cast<int64_t>(waiting.size());
  if (waiting.empty()) return out;
  out.oldest_us = waiting.front();
  // The rank-th youngest: the (n - rank + 1)-th oldest.
  const int64_t n = out.waiting;
  const int64_t rank = std::max<int64_t>(1, (50 * n + 99) / 100);
  out.median_us = waiting[static_cast<size_t>(n - rank)];
  const auto recent =
      std::upper_bound(waiting.begin(), waiting.end(), recent_from_us);
  out.old = recent - waiting.begin();
  out.recent_us.assign(recent, waiting.end());
  return out;
}

void PutSummary(const BacklogSummary& summary, std::string* out) {
  for (const int64_t value :
       {summary.waiting, summary.breached, summary.on_hold, summary.oldest_us,
        summary.median_us, summary.old}) {
    PutVarint(Zigzag(value), out);
  }
  PutVarint(summary.recent_us.size(), out);
  for (const int64_t time : summary.recent_us) {
    const auto bits = static_cast<uint64_t>(time);
    for (int shift = 0; shift < 64; shift += 8) {
      out->push_back(static_cast<char>((bits >> shift) & 0xff));
    }
  }
}

bool ReadSummary(absl::string_view blob, size_t* pos, BacklogSummary* summary) {
  for (int64_t* value :
       {&summary->waiting, &summary->breached, &summary->on_hold,
        &summary->oldest_us, &summary->median_us, &summary->old}) {
    uint64_t v = 0;
    if (!ReadVarint(blob, pos, &v)) return false;
    *value = Unzigzag(v);
  }
  uint64_t n = 0;
  if (!ReadVarint(blob, pos, &n) || n > (blob.size() - *pos) / 8) return false;
  const auto* data = reinterpret_cast<const unsigned char*>(blob.data()) + *pos;
  summary->recent_us.resize(static_cast<size_t>(n));
  for (size_t i = 0; i < n; ++i) {
    summary->recent_us[i] = support_internal::Load64(data + 8 * i);
  }
  *pos += 8 * n;
  return true;
}

}  // namespace

BacklogNow SummarizeBacklog(const SupportTimes& times, int64_t now_us) {
  BacklogNow now;
  now.recent_from_us = now_us - kThirtyDaysUs;
  // Per slice, its waiting runs and held ones.
  struct Runs {
    std::vector<const std::vector<int64_t>*> open;
    std::vector<const std::vector<int64_t>*> held;
    int64_t breached = 0;
  };
  absl::btree_map<std::pair<int64_t, int64_t>, Runs> slices;
  Runs all;
  for (const auto& [key, run] : times) {
    if (run.empty()) continue;
    Runs& slice = slices[{key.mode, key.tier}];
    if (key.fact == kOnHold) {
      slice.held.push_back(&run);
      all.held.push_back(&run);
      continue;
    }
    slice.open.push_back(&run);
    all.open.push_back(&run);
    if (key.fact == kBacklogBreached) {
      slice.breached += static_cast<int64_t>(run.size());
      all.breached += static_cast<int64_t>(run.size());
    }
  }
  for (const auto& [slice, runs] : slices) {
    now.slices[slice] =
        Summarize(runs.open, runs.held, now.recent_from_us, runs.breached);
  }
  now.overall = Summarize(all.open, all.held, now.recent_from_us, all.breached);
  // The overall's age buckets are the slices' summed: not kept twice.
  now.overall.old = 0;
  now.overall.recent_us.clear();
  return now;
}

std::string EncodeBacklogNow(const BacklogNow& now) {
  std::string out;
  PutVarint(Zigzag(now.recent_from_us), &out);
  PutSummary(now.overall, &out);
  PutVarint(now.slices.size(), &out);
  for (const auto& [slice, summary] : now.slices) {
    PutVarint(Zigzag(slice.first), &out);
    PutVarint(Zigzag(slice.second), &out);
    PutSummary(summary, &out);
  }
  return out;
}

absl::Status DecodeBacklogNow(absl::string_view blob, BacklogNow* now) {
  size_t pos = 0;
  uint64_t from = 0, slices = 0;
  if (!ReadVarint(blob, &pos, &from) ||
      !ReadSummary(blob, &pos, &now->overall) ||
      !ReadVarint(blob, &pos, &slices)) {
    return support_internal::Malformed();
  }
  now->recent_from_us = Unzigzag(from);
  for (uint64_t i = 0; i < slices; ++i) {
    uint64_t mode = 0, tier = 0;
    BacklogSummary summary;
    if (!ReadVarint(blob, &pos, &mode) || !ReadVarint(blob, &pos, &tier) ||
        !ReadSummary(blob, &pos, &summary)) {
      return support_internal::Malformed();
    }
    now->slices[{Unzigzag(mode), Unzigzag(tier)}] = std::move(summary);
  }
  if (pos != blob.size()) return support_internal::Malformed();
  return absl::OkStatus();
}

namespace support_internal {

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(absl::string_view blob, size_t* pos, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && *pos < blob.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(blob[(*pos)++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

bool ReadGroupKey(absl::string_view blob, size_t* pos, SupportRowKey* key) {
  uint64_t mode = 0, tier = 0, fact = 0;
  if (!ReadVarint(blob, pos, &mode) || !ReadVarint(blob, pos, &tier) ||
      !ReadVarint(blob, pos, &fact) || fact >= kSupportFactCount) {
    return false;
  }
  *key = {Unzigzag(mode), Unzigzag(tier), static_cast<int64_t>(fact)};
  return true;
}

absl::Status Malformed() {
  return absl::DataLossError("a support aggregate's blob is malformed");
}

}  // namespace support_internal
}  // namespace clientele::reporting

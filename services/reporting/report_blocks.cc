#include "services/reporting/report_blocks.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/container/btree_map.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

std::vector<DayBlock> DecomposeDays(int64_t first_day, int64_t end_day) {
  std::vector<DayBlock> blocks;
  int64_t day = first_day;
  while (day < end_day) {
    int level = kBlockLevels - 1;
    while (level > 0 &&
           (BlockDay(day, level) != day || end_day - day < BlockDays(level))) {
      --level;
    }
    blocks.push_back({level, day});
    day += BlockDays(level);
  }
  return blocks;
}

namespace {

// Adds the blocks of "the days from `base` to `day`" (base aligned at the
// top level, day >= base) times `sign` to `net`: per level below the top a
// balanced digit of day - base in base 8 (-3..4), the top level whatever is
// left. Blocks go from `base` outwards: a positive digit adds blocks after
// the position, a negative one takes away blocks before it.
void AddPrefix(int64_t base, int64_t day, int sign,
               absl::btree_map<std::pair<int, int64_t>, int>* net) {
  constexpr int kTop = kBlockLevels - 1;
  std::array<int64_t, kBlockLevels> digits{};
  int64_t rest = day - base;
  for (int level = 0; level < kTop; ++level) {
    int64_t digit = rest % 8;
    rest /= 8;
    if (digit > 4) {
      digit -= 8;
      ++rest;
    }
    digits[level] = digit;
  }
  digits[kTop] = rest;
  int64_t position = base;
  for (int level = kTop; level >= 0; --level) {
    const int64_t size = BlockDays(level);
    for (int64_t i = 0; i < digits[level]; ++i) {
      (*net)[{level, position}] += sign;
      position += size;
    }
    for (int64_t i = 0; i < -digits[level]; ++i) {
      position -= size;
      (*net)[{level, position}] -= sign;
    }
  }
}

}  // namespace

std::vector<SignedBlock> SignedDecomposeDays(int64_t first_day,
                                             int64_t end_day) {
  std::vector<SignedBlock> out;
  if (end_day <= first_day) return out;
  const int64_t base = BlockDay(first_day, kBlockLevels - 1);
  absl::btree_map<std::pair<int, int64_t>, int> net;
  AddPrefix(base, end_day, 1, &net);
  AddPrefix(base, first_day, -1, &net);
  for (const auto& [key, sign] : net) {
    if (sign != 0) out.push_back({{key.first, key.second}, sign});
  }
  // DecomposeDays when that is fewer blocks (about 1 range in 20).
  const std::vector<DayBlock> plain = DecomposeDays(first_day, end_day);
  if (plain.size() <= out.size()) {
    out.clear();
    for (const DayBlock& block : plain) out.push_back({block, 1});
    std::sort(out.begin(), out.end(),
              [](const SignedBlock& a, const SignedBlock& b) {
                return std::make_pair(a.block.level, a.block.block_day) <
                       std::make_pair(b.block.level, b.block.block_day);
              });
  }
  return out;
}

std::vector<BlockRun> SignedBlockRuns(int64_t first_day, int64_t end_day) {
  std::vector<BlockRun> runs;
  for (const SignedBlock& signed_block :
       SignedDecomposeDays(first_day, end_day)) {
    const DayBlock& block = signed_block.block;
    if (!runs.empty() && runs.back().level == block.level &&
        runs.back().sign == signed_block.sign &&
        runs.back().last_block_day + BlockDays(block.level) ==
            block.block_day) {
      runs.back().last_block_day = block.block_day;
      continue;
    }
    runs.push_back(
        {block.level, block.block_day, block.block_day, signed_block.sign});
  }
  return runs;
}

SplitRange SplitTimeRange(int64_t start_us, int64_t end_us) {
  constexpr int64_t kDayUs = int64_t{86400} * 1000000;
  SplitRange out;
  out.first_day = DayOfUs(start_us + kDayUs - 1);
  out.end_day = std::max(out.first_day, DayOfUs(end_us));
  out.start_us = start_us;
  out.head_end_us = std::min(out.first_day * kDayUs, end_us);
  out.tail_start_us = std::max(out.end_day * kDayUs, start_us);
  out.end_us = end_us;
  return out;
}

}  // namespace clientele::reporting

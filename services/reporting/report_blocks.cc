#include "services/reporting/report_blocks.h"

#include <algorithm>

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

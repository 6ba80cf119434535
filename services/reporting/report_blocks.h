// Day blocks: how the maintained flow aggregates (projector_aggregates.h)
// cut time, and how a report's range is read from them. A block at level L
// covers 8^L whole UTC days starting at a day divisible by 8^L (days since
// 1970-01-01), so every fact adds to one block per level and any whole-day
// range is a few blocks per level at each end.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_BLOCKS_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_BLOCKS_H_

#include <cstdint>
#include <vector>

namespace clientele::reporting {

// Levels 0..3: blocks of 1, 8, 64 and 512 days.
inline constexpr int kBlockLevels = 4;

// Days in a block of `level`.
constexpr int64_t BlockDays(int level) { return int64_t{1} << (3 * level); }

// The first day of the block of `level` holding `day` (floor, also before
// 1970).
constexpr int64_t BlockDay(int64_t day, int level) {
  return day & ~(BlockDays(level) - 1);
}

struct DayBlock {
  int level = 0;
  int64_t block_day = 0;

  friend bool operator==(const DayBlock& a, const DayBlock& b) {
    return a.level == b.level && a.block_day == b.block_day;
  }
};

// The blocks that cover the days [first_day, end_day) exactly once, in day
// order: at each position the largest aligned block that fits. At most 7
// blocks per level at each end (empty when end_day <= first_day).
std::vector<DayBlock> DecomposeDays(int64_t first_day, int64_t end_day);

// A time range [start_us, end_us) cut as reports read revenue
// (RevenueByAccount, report_scope.h): whole UTC days [first_day, end_day)
// from the day aggregates, and the partial days at either end,
// [start_us, head_end_us) and [tail_start_us, end_us) (each possibly empty),
// from the facts themselves.
struct SplitRange {
  int64_t first_day = 0;
  int64_t end_day = 0;
  int64_t start_us = 0;
  int64_t head_end_us = 0;
  int64_t tail_start_us = 0;
  int64_t end_us = 0;
};
SplitRange SplitTimeRange(int64_t start_us, int64_t end_us);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_BLOCKS_H_

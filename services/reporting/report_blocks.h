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

// A block read `sign` times (-1: taken away; never 0).
struct SignedBlock {
  DayBlock block;
  int sign = 1;

  friend bool operator==(const SignedBlock& a, const SignedBlock& b) {
    return a.block == b.block && a.sign == b.sign;
  }
};

// Blocks whose signed sum covers the days [first_day, end_day) exactly once
// (nothing when end_day <= first_day), ordered by level then day: the
// blocks from an aligned day to the end less those to the start, each way
// with at most 4 blocks a level below the top (a run of 5 to 7 blocks is
// their parent less the 3 to 1 beside them), unless DecomposeDays has fewer.
// About two thirds as many blocks as DecomposeDays, and those past the
// newest data hold nothing to read: for summed blocks whose rows cost about
// the same whatever their level (support_blocks).
std::vector<SignedBlock> SignedDecomposeDays(int64_t first_day,
                                             int64_t end_day);

// SignedDecomposeDays' blocks as runs of adjacent blocks of one level and
// sign, first_block_day..last_block_day: one range of a block table's key
// each.
struct BlockRun {
  int level = 0;
  int64_t first_block_day = 0;
  int64_t last_block_day = 0;
  int sign = 1;
};
std::vector<BlockRun> SignedBlockRuns(int64_t first_day, int64_t end_day);

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

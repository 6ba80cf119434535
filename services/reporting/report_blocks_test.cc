#include "services/reporting/report_blocks.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

TEST(DecomposeDaysTest, CoversEveryRangeExactlyOnceWithFewAlignedBlocks) {
  for (int start = 0; start < 50; ++start) {
    // Start days around 2025 and around the epoch (negative days).
    for (const int64_t first :
         {int64_t{20000} + int64_t{37} * start, int64_t{-25} + start}) {
      for (int64_t length = 1; length <= 2000; ++length) {
        const std::vector<DayBlock> blocks =
            DecomposeDays(first, first + length);
        // Contiguous and in order from first to first + length: every day
        // covered, none twice.
        int64_t day = first;
        std::vector<int> per_level(kBlockLevels, 0);
        for (const DayBlock& block : blocks) {
          ASSERT_EQ(block.block_day, day) << first << " +" << length;
          ASSERT_GE(block.level, 0);
          ASSERT_LT(block.level, kBlockLevels);
          ASSERT_EQ(BlockDay(block.block_day, block.level), block.block_day);
          ++per_level[block.level];
          day += BlockDays(block.level);
        }
        ASSERT_EQ(day, first + length) << first << " +" << length;
        for (int level = 0; level + 1 < kBlockLevels; ++level) {
          EXPECT_LE(per_level[level], 14) << first << " +" << length;
        }
      }
    }
  }
}

TEST(DecomposeDaysTest, AnEmptyRangeHasNoBlocks) {
  EXPECT_TRUE(DecomposeDays(100, 100).empty());
  EXPECT_TRUE(DecomposeDays(100, 90).empty());
}

TEST(DecomposeDaysTest, AnAlignedYearIsBigBlocks) {
  // 512 + 8 * 64 days from day 0: two blocks.
  EXPECT_EQ(DecomposeDays(0, 1024), (std::vector<DayBlock>{{3, 0}, {3, 512}}));
}

TEST(BlockDayTest, FloorsBeforeTheEpoch) {
  EXPECT_EQ(BlockDay(-1, 1), -8);
  EXPECT_EQ(BlockDay(-8, 1), -8);
  EXPECT_EQ(BlockDay(7, 1), 0);
  EXPECT_EQ(BlockDay(513, 3), 512);
}

TEST(SplitTimeRangeTest, WholeDaysAndTheTwoPartialEnds) {
  const SplitRange split = SplitTimeRange(10 * kDayUs + 5, 20 * kDayUs + 7);
  EXPECT_EQ(split.first_day, 11);
  EXPECT_EQ(split.end_day, 20);
  EXPECT_EQ(split.head_end_us, 11 * kDayUs);
  EXPECT_EQ(split.tail_start_us, 20 * kDayUs);
}

TEST(SplitTimeRangeTest, WithinOneDayAllIsPartialOnce) {
  const SplitRange split = SplitTimeRange(10 * kDayUs + 5, 10 * kDayUs + 9);
  EXPECT_GE(split.first_day, split.end_day);
  EXPECT_EQ(split.head_end_us, 10 * kDayUs + 9);
  // The tail is empty.
  EXPECT_GE(split.tail_start_us, split.end_us);
}

TEST(SplitTimeRangeTest, MidnightEndsHaveNoPartialDays) {
  const SplitRange split = SplitTimeRange(10 * kDayUs, 20 * kDayUs);
  EXPECT_EQ(split.first_day, 10);
  EXPECT_EQ(split.end_day, 20);
  EXPECT_EQ(split.head_end_us, split.start_us);
  EXPECT_EQ(split.tail_start_us, split.end_us);
}

}  // namespace
}  // namespace clientele::reporting

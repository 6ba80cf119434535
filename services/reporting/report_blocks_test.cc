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

TEST(SignedDecomposeDaysTest, CoversEveryRangeExactlyOnceWithFewerBlocks) {
  for (int start = 0; start < 40; ++start) {
    for (const int64_t first :
         {int64_t{20000} + int64_t{37} * start, int64_t{-25} + start}) {
      for (int64_t length = 1; length <= 1500; length += 1 + length / 50) {
        const int64_t end = first + length;
        const std::vector<SignedBlock> blocks = SignedDecomposeDays(first, end);
        // Each day from 1,100 days before to 1,100 after: read once inside
        // the range, never outside it.
        std::vector<int> reads(length + 2200, 0);
        for (const SignedBlock& signed_block : blocks) {
          const DayBlock& block = signed_block.block;
          ASSERT_NE(signed_block.sign, 0);
          ASSERT_EQ(BlockDay(block.block_day, block.level), block.block_day);
          for (int64_t day = block.block_day;
               day < block.block_day + BlockDays(block.level); ++day) {
            const int64_t index = day - (first - 1100);
            ASSERT_GE(index, 0) << first << " +" << length;
            ASSERT_LT(index, static_cast<int64_t>(reads.size()));
            reads[index] += signed_block.sign;
          }
        }
        for (int64_t i = 0; i < static_cast<int64_t>(reads.size()); ++i) {
          const int64_t day = first - 1100 + i;
          ASSERT_EQ(reads[i], day >= first && day < end ? 1 : 0)
              << first << " +" << length << " day " << day;
        }
        EXPECT_LE(blocks.size(), DecomposeDays(first, end).size())
            << first << " +" << length;
      }
    }
  }
  // A quarter from day 20362 (2025-10-01) to 20454 (2026-01-01): two
  // 64-day blocks less 8 smaller ones, 6 of them after its end, instead of
  // 22 blocks.
  EXPECT_EQ(SignedDecomposeDays(20362, 20454).size(), 10u);
  EXPECT_EQ(DecomposeDays(20362, 20454).size(), 22u);
  EXPECT_TRUE(SignedDecomposeDays(5, 5).empty());
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

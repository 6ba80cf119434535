// The support facts' duration codes and blobs (support_facts.h).
#include "services/reporting/support_facts.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

TEST(DurationCodeTest, CountsToAStepOfAtMostATenth) {
  // Exact under 100 s, then 10 s, the minute, 10 minutes, the hour, the day.
  EXPECT_EQ(CountedSeconds(0), 0);
  EXPECT_EQ(CountedSeconds(99), 99);
  EXPECT_EQ(CountedSeconds(107), 100);
  EXPECT_EQ(CountedSeconds(599), 590);
  EXPECT_EQ(CountedSeconds(30 * kMinute + 59), 30 * kMinute);
  EXPECT_EQ(CountedSeconds(2 * kHour + 14 * kMinute), 2 * kHour + 10 * kMinute);
  EXPECT_EQ(CountedSeconds(8 * kHour), 8 * kHour);
  EXPECT_EQ(CountedSeconds(40 * kHour + 59 * kMinute), 40 * kHour);
  EXPECT_EQ(CountedSeconds(7 * kDay), 7 * kDay);
  EXPECT_EQ(CountedSeconds(12 * kDay + 23 * kHour), 12 * kDay);
  EXPECT_EQ(CountedSeconds(-5), 0);
  EXPECT_EQ(CountedSeconds(999 * kDay + 5), 999 * kDay);
  EXPECT_EQ(CountedSeconds(int64_t{300000} * kDay), 1000 * kDay);
  // Never more than 10% under, never over; codes in the order of the
  // durations, each code one duration.
  int64_t previous_code = 0;
  for (int64_t seconds = 0; seconds < 999 * kDay; seconds += 1 + seconds / 97) {
    const int64_t code = DurationCode(seconds);
    const int64_t counted = CodeSeconds(code);
    EXPECT_LE(counted, seconds);
    EXPECT_GE(counted * 10, seconds * 9) << seconds;
    EXPECT_EQ(DurationCode(counted), code);
    EXPECT_GE(code, previous_code);
    previous_code = code;
  }
  // Codes stay few: a year is a few hundred of them, and none is above
  // kMaxSupportCode.
  EXPECT_LT(DurationCode(365 * kDay), 1000);
  EXPECT_LE(DurationCode(INT64_MAX), static_cast<int64_t>(kMaxSupportCode));
}

TEST(SupportCountsTest, ABlobGivesBackItsCountsWithoutTheZeros) {
  SupportCounts counts;
  counts[{1, 2, kTicketsCreated, 0}] = 3;
  counts[{1, 2, kFirstResponse, 5}] = 1;
  counts[{1, 2, kFirstResponse, 400}] = 7;
  counts[{1, 2, kResolution, 9}] = 0;  // left out
  counts[{-1, 70000, kBacklogOpen, -1700000000000000}] = 1;
  counts[{-1, 70000, kBacklogOpen, 1700000000000000}] = 2;
  const std::string blob = EncodeSupportCounts(counts);
  SupportCounts decoded;
  ASSERT_TRUE(DecodeSupportCounts(blob, &decoded).ok());
  counts.erase({1, 2, kResolution, 9});
  EXPECT_EQ(decoded, counts);
  // Decoding adds to what is there.
  ASSERT_TRUE(DecodeSupportCounts(blob, &decoded).ok());
  EXPECT_EQ((decoded[{1, 2, kFirstResponse, 400}]), 14);
  EXPECT_TRUE(EncodeSupportCounts({}).empty());
}

TEST(SupportCountsTest, AMalformedBlobIsDataLoss) {
  SupportCounts counts;
  counts[{1, 1, kTicketsSolved, 0}] = 2;
  const std::string blob = EncodeSupportCounts(counts);
  SupportCounts decoded;
  EXPECT_EQ(
      DecodeSupportCounts(blob.substr(0, blob.size() - 1), &decoded).code(),
      absl::StatusCode::kDataLoss);
  // An unknown fact.
  EXPECT_EQ(
      DecodeSupportCounts(std::string("\x02\x02\x63\x01\x00\x02", 6), &decoded)
          .code(),
      absl::StatusCode::kDataLoss);
}

TEST(BacklogNowTest, SummarizesWhatTheAgesNeed) {
  constexpr int64_t kDayUs = kDay * 1000000;
  const int64_t horizon = 1000 * kDayUs;
  SupportTimes times;
  // Slice (1, 1): waiting tickets created 100, 50, 20 and 2 days before
  // the newest event (the 20-day one breached), one on hold; slice (2, 3):
  // one ticket 31 days old.
  times[{1, 1, kBacklogOpen}] = {horizon - 100 * kDayUs, horizon - 50 * kDayUs,
                                 horizon - 2 * kDayUs};
  times[{1, 1, kBacklogBreached}] = {horizon - 20 * kDayUs};
  times[{1, 1, kOnHold}] = {horizon - kDayUs};
  times[{2, 3, kBacklogOpen}] = {horizon - 31 * kDayUs};
  const BacklogNow now = SummarizeBacklog(times, horizon);
  EXPECT_EQ(now.recent_from_us, horizon - 30 * kDayUs);
  ASSERT_EQ(now.slices.size(), 2u);
  const BacklogSummary& one = now.slices.at({1, 1});
  EXPECT_EQ(one.waiting, 4);
  EXPECT_EQ(one.breached, 1);
  EXPECT_EQ(one.on_hold, 1);
  EXPECT_EQ(one.oldest_us, horizon - 100 * kDayUs);
  // Ages 2, 20, 50, 100 days: the median (nearest rank) is the 2nd, 20.
  EXPECT_EQ(one.median_us, horizon - 20 * kDayUs);
  EXPECT_EQ(one.old, 2);
  EXPECT_EQ(one.recent_us, (std::vector<int64_t>{horizon - 20 * kDayUs,
                                                 horizon - 2 * kDayUs}));
  // Overall: ages 2, 20, 31, 50, 100: the median is the 3rd, 31; its age
  // buckets are the slices' (not kept).
  EXPECT_EQ(now.overall.waiting, 5);
  EXPECT_EQ(now.overall.median_us, horizon - 31 * kDayUs);
  EXPECT_EQ(now.overall.old, 0);
  EXPECT_TRUE(now.overall.recent_us.empty());

  BacklogNow decoded;
  ASSERT_TRUE(DecodeBacklogNow(EncodeBacklogNow(now), &decoded).ok());
  EXPECT_EQ(decoded.recent_from_us, now.recent_from_us);
  EXPECT_EQ(decoded.overall, now.overall);
  EXPECT_EQ(decoded.slices, now.slices);
  EXPECT_EQ(DecodeBacklogNow("\x01", &decoded).code(),
            absl::StatusCode::kDataLoss);
}

TEST(SupportRowsTest, RowsAddAndEncodeAsWideAsTheirLargestCount) {
  SupportCounts counts;
  counts[{1, 2, kFirstResponse, 10}] = 3;
  counts[{1, 2, kFirstResponse, 12}] = 70000;
  counts[{1, 2, kTicketsCreated, 0}] = 5;
  SupportRows rows;
  AddToSupportRows(counts, 1, &rows);
  absl::StatusOr<std::string> blob = EncodeSupportRows(rows);
  ASSERT_TRUE(blob.ok()) << blob.status();
  SupportRows decoded;
  ASSERT_TRUE(DecodeSupportRows(*blob, &decoded).ok());
  const SupportRow& row = decoded.at({1, 2, kFirstResponse});
  EXPECT_EQ(row.first_code, 10);
  EXPECT_EQ(row.counts, (std::vector<int64_t>{3, 0, 70000}));
  // Taking everything away leaves nothing; a count below 0 is an error.
  AddToSupportRows(counts, -1, &decoded);
  blob = EncodeSupportRows(decoded);
  ASSERT_TRUE(blob.ok());
  EXPECT_TRUE(blob->empty());
  AddToSupportRows(counts, -1, &decoded);
  EXPECT_EQ(EncodeSupportRows(decoded).status().code(),
            absl::StatusCode::kInternal);
}

TEST(SupportTimesTest, TakingAwayATimeThatIsNotThereIsAnError) {
  SupportTimes times;
  SupportCounts counts;
  counts[{1, 1, kBacklogOpen, 500}] = 2;
  ASSERT_TRUE(AddToSupportTimes(counts, 1, &times).ok());
  EXPECT_EQ(times[(SupportRowKey{1, 1, kBacklogOpen})],
            (std::vector<int64_t>{500, 500}));
  SupportTimes decoded;
  ASSERT_TRUE(DecodeSupportTimes(EncodeSupportTimes(times), &decoded).ok());
  EXPECT_EQ(decoded[(SupportRowKey{1, 1, kBacklogOpen})],
            (std::vector<int64_t>{500, 500}));
  counts[{1, 1, kBacklogOpen, 500}] = 3;
  EXPECT_EQ(AddToSupportTimes(counts, -1, &times).code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace clientele::reporting

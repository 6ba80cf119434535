// The packed form of an account's activity gives back exactly what was
// packed, whatever the values (extreme times included), keeps only the
// weeks asked for (and every contact and staff member), and refuses what it
// did not write.
#include "services/engagement/packed_activity.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/activity_for_test.h"

namespace clientele::engagement {
namespace {

constexpr int64_t kNoBound = std::numeric_limits<int64_t>::min();

const absl::Time kMonday =
    absl::FromCivil(absl::CivilDay(2025, 12, 29), absl::UTCTimeZone());

KindBucket Bucket(absl::Time week, v1::InteractionKind kind, int64_t seed) {
  KindBucket b;
  b.week_start = week;
  b.kind = kind;
  b.count = seed;
  b.personalized = seed / 2;
  b.standard = seed / 3;
  b.inbound = seed % 5;
  b.amount_minor = -1000 * seed;  // refunds are negative
  b.amount_count = seed % 7;
  b.rating_sum = 4 * seed;
  b.rating_count = seed;
  b.first_time = week + absl::Hours(seed % 100);
  b.last_time = week + absl::Hours(24 * 7) - absl::Microseconds(1);
  return b;
}

std::vector<KindBucket> Buckets() {
  std::vector<KindBucket> buckets;
  for (int week = 0; week < 30; ++week) {
    const absl::Time start = kMonday + absl::Hours(24 * 7 * (week - 15));
    buckets.push_back(Bucket(start, v1::INTERACTION_KIND_EMAIL, week + 1));
    if (week % 3 == 0) {
      buckets.push_back(
          Bucket(start, v1::INTERACTION_KIND_PURCHASE, int64_t{100000} * week));
    }
  }
  return buckets;
}

TEST(PackedActivityTest, UnpacksWhatWasPacked) {
  std::vector<KindBucket> buckets = Buckets();
  // Values at the ends of int64, and times out of any realistic range.
  KindBucket extreme;
  extreme.week_start = kMonday + absl::Hours(24 * 7 * 100);
  extreme.kind = v1::INTERACTION_KIND_TICKET_SLA_BREACHED;
  extreme.count = std::numeric_limits<int64_t>::max();
  extreme.amount_minor = std::numeric_limits<int64_t>::min();
  extreme.rating_sum = -1;
  extreme.first_time = absl::InfinitePast();
  extreme.last_time = absl::InfiniteFuture();
  buckets.push_back(extreme);
  const std::vector<ContactActivity> contacts = {
      {"contacts/", 0, absl::InfinitePast(), absl::InfinitePast()},
      {"contacts/alice", 3, kMonday, kMonday + absl::Hours(1)},
      {"contacts/bob", std::numeric_limits<int64_t>::max(),
       absl::FromUnixMicros(std::numeric_limits<int64_t>::min()),
       absl::FromUnixMicros(std::numeric_limits<int64_t>::max())},
      {absl::StrCat("contacts/", std::string(300, 'x')), 1, kMonday, kMonday},
  };

  const std::vector<StaffActivity> staff = {
      {"", 0, absl::InfinitePast(), absl::InfinitePast()},
      {"dr-lee", 104, kMonday - absl::Hours(24 * 540), kMonday},
      {std::string(128, 's'), std::numeric_limits<int64_t>::max(),
       absl::FromUnixMicros(std::numeric_limits<int64_t>::min()),
       absl::FromUnixMicros(std::numeric_limits<int64_t>::max())},
  };

  ActivitySummary unpacked;
  unpacked.currency = "EUR";
  ASSERT_TRUE(UnpackActivity(PackActivity(buckets, contacts, staff), kNoBound,
                             &unpacked)
                  .ok());
  EXPECT_EQ(DescribeForTest(unpacked.buckets), DescribeForTest(buckets));
  EXPECT_EQ(DescribeForTest(unpacked.contacts), DescribeForTest(contacts));
  EXPECT_EQ(DescribeForTest(unpacked.staff), DescribeForTest(staff));
  EXPECT_EQ(unpacked.currency, "EUR");  // not the codec's to touch
}

TEST(PackedActivityTest, KeepsTheWeeksFromTheBoundOnAndEveryContact) {
  const std::vector<KindBucket> buckets = Buckets();
  const std::vector<ContactActivity> contacts = {
      {"contacts/old", 1, kMonday - absl::Hours(24 * 700),
       kMonday - absl::Hours(24 * 700)}};
  const std::vector<StaffActivity> staff = {{"staff-old", 2,
                                             kMonday - absl::Hours(24 * 700),
                                             kMonday - absl::Hours(24 * 690)}};
  const std::string packed = PackActivity(buckets, contacts, staff);
  for (int week = -16; week <= 15; ++week) {
    const int64_t bound = ToMicros(kMonday + absl::Hours(24 * 7 * week));
    std::vector<KindBucket> expected;
    for (const KindBucket& b : buckets) {
      if (ToMicros(b.week_start) >= bound) expected.push_back(b);
    }
    ActivitySummary unpacked;
    ASSERT_TRUE(UnpackActivity(packed, bound, &unpacked).ok());
    EXPECT_EQ(DescribeForTest(unpacked.buckets), DescribeForTest(expected))
        << "week " << week;
    EXPECT_EQ(DescribeForTest(unpacked.contacts), DescribeForTest(contacts));
    EXPECT_EQ(DescribeForTest(unpacked.staff), DescribeForTest(staff));
  }
}

TEST(PackedActivityTest, EmptyActivityRoundTrips) {
  ActivitySummary unpacked;
  unpacked.buckets.push_back(KindBucket());
  unpacked.staff.push_back(StaffActivity());
  ASSERT_TRUE(
      UnpackActivity(PackActivity({}, {}, {}), kNoBound, &unpacked).ok());
  EXPECT_TRUE(unpacked.buckets.empty());
  EXPECT_TRUE(unpacked.contacts.empty());
  EXPECT_TRUE(unpacked.staff.empty());
}

TEST(PackedActivityTest, RefusesCutShortOrUnknownData) {
  const std::string packed = PackActivity(
      Buckets(), {{"contacts/alice", 3, kMonday, kMonday + absl::Hours(1)}},
      {{"staff-bo", 2, kMonday, kMonday + absl::Hours(2)}});
  for (size_t size = 0; size < packed.size(); ++size) {
    ActivitySummary unpacked;
    EXPECT_EQ(
        UnpackActivity(packed.substr(0, size), kNoBound, &unpacked).code(),
        absl::StatusCode::kDataLoss)
        << "first " << size << " bytes";
  }
  // Neither a later version nor version 1, which had no staff (migration
  // 11 dropped those rows; reading one would lose the staff silently).
  for (int version : {kPackedActivityVersion + 1, 1}) {
    std::string other_version = packed;
    other_version[0] = static_cast<char>(version);
    ActivitySummary unpacked;
    EXPECT_EQ(UnpackActivity(other_version, kNoBound, &unpacked).code(),
              absl::StatusCode::kDataLoss)
        << "version " << version;
  }
}

}  // namespace
}  // namespace clientele::engagement

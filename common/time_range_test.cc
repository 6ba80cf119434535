#include "common/time_range.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace clientele {
namespace {

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(nanos);
  return timestamp;
}

TEST(TimeRangeTest, BoundsRoundUpToWholeMicrosecondsAndUnsetOnesStay) {
  type::v1::TimeRange range;
  *range.mutable_start_time() = At(100, 1500);  // 100 s + 1.5 us
  int64_t start = std::numeric_limits<int64_t>::min();
  int64_t end = std::numeric_limits<int64_t>::max();
  FieldViolations violations;
  CheckTimeRange(range, "create_time_range", &start, &end, &violations);
  EXPECT_TRUE(violations.ToStatus().ok());
  EXPECT_EQ(start, 100000002);
  EXPECT_EQ(end, std::numeric_limits<int64_t>::max());
}

TEST(TimeRangeTest, NamesTheBadBoundAndAnInvertedRange) {
  type::v1::TimeRange range;
  *range.mutable_start_time() = At(int64_t{253402300800});  // year 10000
  *range.mutable_end_time() = At(10);
  int64_t start = 0;
  int64_t end = 0;
  FieldViolations violations;
  CheckTimeRange(range, "due_time_range", &start, &end, &violations);
  const std::string message(violations.ToStatus().message());
  EXPECT_NE(message.find("due_time_range.start_time"), std::string::npos);

  type::v1::TimeRange inverted;
  *inverted.mutable_start_time() = At(20);
  *inverted.mutable_end_time() = At(10);
  FieldViolations more;
  CheckTimeRange(inverted, "send_time_range", &start, &end, &more);
  EXPECT_EQ(more.ToStatus().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(more.ToStatus().message()).find("send_time_range"),
            std::string::npos);
}

}  // namespace
}  // namespace clientele

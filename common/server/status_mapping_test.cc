#include "common/server/status_mapping.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace clientele::server {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(StatusMappingTest, AShortStatusTravelsAsItIs) {
  const absl::Status status = InvalidFieldError("name", "required");
  const grpc::Status sent = ToGrpcStatus(status);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(sent.error_message(), "name: required");
  const std::vector<FieldViolation> back =
      FieldViolationsOf(FromGrpcStatus(sent));
  ASSERT_THAT(back, SizeIs(1));
  EXPECT_EQ(back[0].field, "name");
}

// Thousands of bad fields would make trailers no gRPC client accepts: the
// client gets the code, the first fields and a message that says more were
// left out.
TEST(StatusMappingTest, AHugeBadRequestIsCutToWhatAClientAccepts) {
  FieldViolations violations;
  for (int i = 0; i < 5000; ++i) {
    violations.Add(absl::StrCat("holidays[", i, "]"),
                   "not a date: year 1-9999, month 1-12, a day of the month");
  }
  const grpc::Status sent = ToGrpcStatus(violations.ToStatus());
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(sent.error_message().size(), kMaxStatusMessageBytes + 40);
  EXPECT_THAT(sent.error_message(), HasSubstr("more bytes)"));
  EXPECT_LT(sent.error_details().size(), 4096u);
  const std::vector<FieldViolation> back =
      FieldViolationsOf(FromGrpcStatus(sent));
  ASSERT_THAT(back, SizeIs(kMaxStatusFieldViolations));
  EXPECT_EQ(back[0].field, "holidays[0]");
}

TEST(StatusMappingTest, ALongMessageIsCutOnACharacterBoundary) {
  const std::string long_message(kMaxStatusMessageBytes - 1, 'a');
  const grpc::Status sent = ToGrpcStatus(absl::InternalError(
      absl::StrCat(long_message, "\xc3\xa9\xc3\xa9")));  // "éé"
  EXPECT_EQ(sent.error_message(),
            absl::StrCat(long_message, " ... (4 more bytes)"));
}

}  // namespace
}  // namespace clientele::server

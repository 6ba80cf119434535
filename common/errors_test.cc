#include "common/errors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(Violation, field, description, "") {
  return arg.field == field && arg.description == description;
}

TEST(ErrorsTest, InvalidFieldNamesTheFieldInMessageAndDetails) {
  absl::Status status =
      InvalidFieldError("account.display_name", "must not be empty");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("account.display_name"));
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(Violation("account.display_name", "must not be empty")));
}

TEST(ErrorsTest, FieldViolationsListsEveryBadField) {
  FieldViolations violations;
  EXPECT_TRUE(violations.ToStatus().ok());
  violations.Add("contact.email", "not an email address");
  violations.Add("page_size", "must be at most 1000");
  absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Violation("contact.email", "not an email address"),
                          Violation("page_size", "must be at most 1000")));
}

TEST(ErrorsTest, AlreadyExistsNamesTheExistingResource) {
  absl::Status status =
      AlreadyExistsResourceError("clientele.contacts.v1.Contact", "contacts/17",
                                 "a contact with this email exists");
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(status.message(), HasSubstr("contacts/17"));
  EXPECT_TRUE(status.GetPayload("type.googleapis.com/google.rpc.ResourceInfo")
                  .has_value());
}

TEST(ErrorsTest, NotFoundNamesTheResource) {
  absl::Status status =
      NotFoundResourceError("clientele.contacts.v1.Account", "accounts/9");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("accounts/9"));
  EXPECT_TRUE(FieldViolationsOf(status).empty());
}

}  // namespace
}  // namespace clientele

#include "common/roles.h"

#include <optional>

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr absl::string_view kMethod =
    "/clientele.contacts.v1.ContactsService/CreateAccount";

TEST(RolesTest, NamesAreTheTokenFilesAndRoundTrip) {
  for (Role role : {auth::v1::ROLE_VIEWER, auth::v1::ROLE_AGENT,
                    auth::v1::ROLE_MANAGER, auth::v1::ROLE_ADMIN}) {
    EXPECT_EQ(RoleNamed(RoleName(role)), role) << RoleName(role);
  }
  EXPECT_EQ(RoleName(auth::v1::ROLE_MANAGER), "manager");
  EXPECT_EQ(RoleNamed("Admin"), auth::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(RoleNamed(""), auth::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(RoleName(auth::v1::ROLE_UNSPECIFIED), "");
}

TEST(RolesTest, EachRoleIncludesTheOnesBelowIt) {
  const char* const kOrder[] = {"viewer", "agent", "manager", "admin"};
  for (int caller = 0; caller < 4; ++caller) {
    for (int required = 0; required < 4; ++required) {
      const absl::Status status =
          CheckRole(kMethod, kOrder[caller], RoleNamed(kOrder[required]));
      if (caller >= required) {
        EXPECT_TRUE(status.ok()) << kOrder[caller] << " " << status;
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
            << kOrder[caller] << " calling a " << kOrder[required] << " RPC";
      }
    }
  }
}

TEST(RolesTest, DenialNamesTheRoleNeededInMessageAndErrorInfo) {
  const absl::Status status =
      CheckRole(kMethod, "viewer", auth::v1::ROLE_MANAGER);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr(kMethod));
  EXPECT_THAT(status.message(), HasSubstr("needs role manager"));
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "ROLE_REQUIRED");
  EXPECT_EQ(info->domain(), "clientele");
  EXPECT_THAT(info->metadata(),
              UnorderedElementsAre(Pair("required_role", "manager"),
                                   Pair("role", "viewer")));
}

TEST(RolesTest, UnknownRolesAndUndeclaredRequirementsAdmitNobody) {
  EXPECT_EQ(CheckRole(kMethod, "root", auth::v1::ROLE_VIEWER).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckRole(kMethod, "", auth::v1::ROLE_VIEWER).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckRole(kMethod, "admin", auth::v1::ROLE_UNSPECIFIED).code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace clientele

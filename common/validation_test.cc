#include "common/validation.h"

#include <limits>
#include <string>

#include "clientele/contacts/v1/account.pb.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::testing::ElementsAre;

TEST(ResolvePageSizeTest, DefaultsCoercesToTheMaximumAndRejectsNegatives) {
  EXPECT_EQ(*ResolvePageSize(0, 50, 1000), 50);
  EXPECT_EQ(*ResolvePageSize(7, 50, 1000), 7);
  EXPECT_EQ(*ResolvePageSize(1000, 50, 1000), 1000);
  absl::Status negative = ResolvePageSize(-1, 50, 1000).status();
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(negative)[0].field, "page_size");
  // AIP-158: above the maximum is the maximum, not an error.
  EXPECT_EQ(*ResolvePageSize(1001, 50, 1000), 1000);
  EXPECT_EQ(*ResolvePageSize(std::numeric_limits<int>::max(), 50, 1000), 1000);
}

TEST(ParseResourceNameTest, AcceptsOnlyExactNames) {
  EXPECT_EQ(*ParseResourceName("accounts/abc-1_Z", "accounts", "name"),
            "abc-1_Z");
  const std::string too_long = "accounts/" + std::string(65, '7');
  for (const char* bad :
       {"", "accounts/", "accounts", "contacts/abc", "accounts/a/b",
        "accounts/a b", "accounts/../x", "xaccounts/abc", "accounts/\xc3\xa9",
        too_long.c_str()}) {
    absl::Status status =
        ParseResourceName(bad, "accounts", "account").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << bad;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "account");
  }
}

constexpr absl::string_view kUpdatable[] = {
    "display_name", "tier", "commercial_terms",
    "commercial_terms.contract_end_date"};
constexpr absl::string_view kOutputOnly[] = {"name", "etag", "create_time"};

TEST(ResolveUpdateMaskTest, StarExpandsToTopLevelFields) {
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  EXPECT_THAT(*ResolveUpdateMask(mask, kUpdatable, kOutputOnly),
              ElementsAre("display_name", "tier", "commercial_terms"));
}

TEST(ResolveUpdateMaskTest, RejectsEmptyUnknownAndOutputOnlyPaths) {
  google::protobuf::FieldMask mask;
  EXPECT_EQ(ResolveUpdateMask(mask, kUpdatable, kOutputOnly).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (const char* bad : {"nope", "etag", "name", "tier.x", "*"}) {
    google::protobuf::FieldMask m;
    m.add_paths("tier");
    m.add_paths(bad);
    absl::Status status =
        ResolveUpdateMask(m, kUpdatable, kOutputOnly).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "update_mask") << bad;
  }
  google::protobuf::FieldMask ok;
  ok.add_paths("commercial_terms.contract_end_date");
  ok.add_paths("tier");
  ok.add_paths("tier");
  EXPECT_THAT(*ResolveUpdateMask(ok, kUpdatable, kOutputOnly),
              ElementsAre("commercial_terms.contract_end_date", "tier"));
}

TEST(CopyFieldPathsTest, CopiesSetsAndClearsNamedFieldsOnly) {
  contacts::v1::Account to;
  to.set_display_name("old");
  to.set_owner("u-keep");
  to.add_tags("a");
  to.mutable_commercial_terms()->mutable_contract_start_date()->set_year(2020);
  to.mutable_commercial_terms()->mutable_contract_end_date()->set_year(2021);
  contacts::v1::Account from;
  from.set_display_name("new");
  from.set_owner("u-ignored");
  from.add_tags("b");
  from.add_tags("c");
  CopyFieldPaths(from,
                 {"display_name", "tags", "commercial_terms.contract_end_date"},
                 &to);
  EXPECT_EQ(to.display_name(), "new");
  EXPECT_EQ(to.owner(), "u-keep");
  EXPECT_THAT(to.tags(), ElementsAre("b", "c"));
  EXPECT_EQ(to.commercial_terms().contract_start_date().year(), 2020);
  EXPECT_FALSE(to.commercial_terms().has_contract_end_date());
}

}  // namespace
}  // namespace clientele

#include "services/ticketing/sla_policy_manager.h"

#include <string>
#include <vector>

#include "common/testing/caller_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

class SlaPolicyManagerTest : public SlaFixture {
 protected:
  std::vector<std::string> ListedNames(const Caller& caller) {
    v1::ListSlaPoliciesRequest request;
    request.set_page_size(1000);
    auto listed = policies_->List(caller, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> names;
    if (!listed.ok()) return names;
    for (const v1::SlaPolicy& policy : listed->sla_policies()) {
      names.push_back(policy.display_name());
    }
    return names;
  }
};

TEST_F(SlaPolicyManagerTest, CreateAssignsNameTimesAndEtagAndGetReturnsIt) {
  v1::SlaPolicy policy;
  policy.set_name("slaPolicies/mine");  // ignored
  policy.set_display_name("Clients - urgent");
  policy.set_rank(10);
  policy.add_modes(type::v1::RELATIONSHIP_MODE_CLIENT);
  policy.add_priorities(v1::TICKET_PRIORITY_URGENT);
  *policy.mutable_first_response_target() = Hours(1);
  *policy.mutable_resolution_target() = Hours(8);
  v1::SlaPolicy created = MustCreatePolicy(policy);
  EXPECT_EQ(created.name(), "slaPolicies/id-1");
  EXPECT_EQ(ToTime(created.create_time()), now());
  EXPECT_FALSE(created.etag().empty());

  auto got = policies_->Get(admin_, created.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created.SerializeAsString());
}

TEST_F(SlaPolicyManagerTest, CreateNamesEveryBadField) {
  v1::SlaPolicy policy;
  policy.set_rank(-1);
  policy.add_priorities(v1::TICKET_PRIORITY_UNSPECIFIED);
  *policy.mutable_next_response_target() = Hours(0.001);
  auto created = policies_->Create(admin_, policy);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(created.status()),
              UnorderedElementsAre(
                  "sla_policy.display_name", "sla_policy.priorities[0]",
                  "sla_policy.rank", "sla_policy.next_response_target"));
  EXPECT_THAT(ListedNames(admin_), IsEmpty());
}

TEST_F(SlaPolicyManagerTest, CreateIsIdempotentByRequestId) {
  v1::CreateSlaPolicyRequest request;
  request.set_request_id("req-1");
  request.mutable_sla_policy()->set_display_name("Default");
  request.mutable_sla_policy()->set_rank(1000000);
  *request.mutable_sla_policy()->mutable_resolution_target() = Hours(24);
  const Caller caller = testing::CallerServingForTest(admin_, request);
  auto first = policies_->Create(caller, request.sla_policy());
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = policies_->Create(caller, request.sla_policy());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_THAT(ListedNames(admin_), ElementsAre("Default"));
}

TEST_F(SlaPolicyManagerTest, UpdateAppliesTheMaskOnly) {
  v1::SlaPolicy created = MustCreatePolicy("Default", 100, 24);
  clock_.Advance(absl::Minutes(5));
  v1::SlaPolicy change;
  change.set_name(created.name());
  change.set_display_name("Everyone");
  change.set_rank(7);  // not in the mask
  *change.mutable_first_response_target() = Hours(2);
  auto updated = policies_->Update(
      admin_, change, Mask({"display_name", "first_response_target"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Everyone");
  EXPECT_EQ(updated->rank(), 100);
  EXPECT_EQ(updated->first_response_target().seconds(), 7200);
  EXPECT_EQ(updated->resolution_target().seconds(), 24 * 3600);
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_EQ(ToTime(updated->update_time()), now());
  EXPECT_EQ(ToTime(updated->create_time()), ToTime(created.create_time()));

  // Clearing the last target is refused, naming it.
  change.clear_first_response_target();
  change.clear_resolution_target();
  auto cleared = policies_->Update(
      admin_, change, Mask({"first_response_target", "resolution_target"}));
  EXPECT_EQ(cleared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(cleared.status()),
              ElementsAre("sla_policy.resolution_target"));
}

TEST_F(SlaPolicyManagerTest, UpdateAndDeleteWithAStaleEtagAreAborted) {
  v1::SlaPolicy created = MustCreatePolicy("Default", 100, 24);
  v1::SlaPolicy change = created;
  change.set_rank(5);
  auto updated = policies_->Update(admin_, change, Mask({"rank"}));
  ASSERT_TRUE(updated.ok()) << updated.status();

  // `created` still carries the first etag.
  auto stale = policies_->Update(admin_, created, Mask({"rank"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(policies_->Delete(admin_, created.name(), created.etag()).code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(policies_->Delete(admin_, created.name(), updated->etag()).ok());
  EXPECT_EQ(policies_->Get(admin_, created.name()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SlaPolicyManagerTest, UpdateRefusesOutputOnlyAndUnknownPaths) {
  v1::SlaPolicy created = MustCreatePolicy("Default", 100, 24);
  EXPECT_EQ(policies_->Update(admin_, created, Mask({"etag"})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      policies_->Update(admin_, created, Mask({"colour"})).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(SlaPolicyManagerTest, UpdateOfTheCalendarValidatesIt) {
  v1::SlaPolicy created = MustCreatePolicy("Default", 100, 24);
  v1::SlaPolicy change = created;
  change.mutable_business_calendar()->set_time_zone("Europe/Istanbul");
  auto updated = policies_->Update(admin_, change, Mask({"business_calendar"}));
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(updated.status()),
              ElementsAre("sla_policy.business_calendar.working_hours"));
}

TEST_F(SlaPolicyManagerTest, ListIsByRankThenAgeWithPages) {
  MustCreatePolicy("Default", 1000000, 48);
  clock_.Advance(absl::Seconds(1));
  MustCreatePolicy("Urgent, older", 10, 1);
  clock_.Advance(absl::Seconds(1));
  MustCreatePolicy("Urgent, newer", 10, 2);
  clock_.Advance(absl::Seconds(1));
  MustCreatePolicy("Premium", 20, 4);
  EXPECT_THAT(ListedNames(admin_), ElementsAre("Urgent, older", "Urgent, newer",
                                               "Premium", "Default"));

  std::vector<std::string> paged;
  v1::ListSlaPoliciesRequest request;
  request.set_page_size(1);
  for (int page = 0; page < 10; ++page) {
    auto listed = policies_->List(admin_, request);
    ASSERT_TRUE(listed.ok()) << listed.status();
    for (const v1::SlaPolicy& p : listed->sla_policies()) {
      paged.push_back(p.display_name());
    }
    if (listed->next_page_token().empty()) break;
    request.set_page_token(listed->next_page_token());
  }
  EXPECT_THAT(paged, ElementsAre("Urgent, older", "Urgent, newer", "Premium",
                                 "Default"));

  request.set_page_token("garbage");
  EXPECT_EQ(policies_->List(admin_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SlaPolicyManagerTest, AnotherTenantsPolicyIsNotFound) {
  v1::SlaPolicy created = MustCreatePolicy("Default", 100, 24);
  Caller globex = admin_;
  globex.tenant = "globex";
  EXPECT_EQ(policies_->Get(globex, created.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(policies_->Delete(globex, created.name(), "").code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(ListedNames(globex), IsEmpty());
  EXPECT_EQ(policies_->Get(admin_, "slaPolicies/../x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clientele::ticketing

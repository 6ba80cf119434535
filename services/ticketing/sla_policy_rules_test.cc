#include "services/ticketing/sla_policy_rules.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using type::v1::ACCOUNT_TIER_ENTERPRISE;
using type::v1::ACCOUNT_TIER_PREMIUM;
using type::v1::ACCOUNT_TIER_STANDARD;
using type::v1::ACCOUNT_TIER_UNSPECIFIED;
using type::v1::RELATIONSHIP_MODE_CLIENT;
using type::v1::RELATIONSHIP_MODE_CUSTOMER;
using type::v1::RELATIONSHIP_MODE_UNSPECIFIED;

std::vector<std::string> Fields(const FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(violations.ToStatus())) {
    fields.push_back(v.field);
  }
  return fields;
}

v1::SlaPolicy Valid() {
  v1::SlaPolicy policy;
  policy.set_display_name("  Clients - urgent ");
  policy.set_rank(10);
  policy.mutable_resolution_target()->set_seconds(int64_t{4} * 3600);
  return policy;
}

TEST(CheckSlaPolicyTest, AcceptsAValidPolicyAndTrimsItsName) {
  v1::SlaPolicy policy = Valid();
  policy.add_tiers(ACCOUNT_TIER_PREMIUM);
  policy.add_tiers(ACCOUNT_TIER_PREMIUM);
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  EXPECT_TRUE(violations.empty()) << violations.ToStatus();
  EXPECT_EQ(policy.display_name(), "Clients - urgent");
  EXPECT_THAT(policy.tiers(), ElementsAre(ACCOUNT_TIER_PREMIUM));
}

TEST(CheckSlaPolicyTest, NamesEveryBadField) {
  v1::SlaPolicy policy;
  policy.set_display_name(" ");
  policy.add_tiers(ACCOUNT_TIER_UNSPECIFIED);
  policy.add_modes(static_cast<type::v1::RelationshipMode>(99));
  policy.set_rank(1000001);
  policy.set_at_risk_threshold(1.0);
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  EXPECT_THAT(
      Fields(violations),
      UnorderedElementsAre("sla_policy.display_name", "sla_policy.tiers[0]",
                           "sla_policy.modes[0]", "sla_policy.rank",
                           "sla_policy.resolution_target",  // no target at all
                           "sla_policy.at_risk_threshold"));
}

TEST(CheckSlaPolicyTest, TargetsAreBetweenAMinuteAndAYear) {
  v1::SlaPolicy policy = Valid();
  policy.mutable_first_response_target()->set_seconds(59);
  policy.mutable_next_response_target()->set_seconds(int64_t{366} * 86400);
  policy.mutable_resolution_target()->set_seconds(60);
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  EXPECT_THAT(Fields(violations),
              UnorderedElementsAre("sla_policy.first_response_target",
                                   "sla_policy.next_response_target"));
}

TEST(CheckSlaPolicyTest, NamesTheBadFieldOfTheCalendar) {
  v1::SlaPolicy policy = Valid();
  policy.mutable_business_calendar()->set_time_zone("Mars/Olympus_Mons");
  v1::WorkingHours* hours =
      policy.mutable_business_calendar()->add_working_hours();
  hours->set_weekday(v1::WEEKDAY_MONDAY);
  hours->set_start_minute(9 * 60);
  hours->set_end_minute(17 * 60);
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  EXPECT_THAT(Fields(violations),
              ElementsAre("sla_policy.business_calendar.time_zone"));
}

TEST(CheckSlaPolicyTest, ThresholdZeroMeansTheDefault) {
  v1::SlaPolicy policy = Valid();
  policy.set_at_risk_threshold(0);
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_DOUBLE_EQ(TargetsOf(policy).at_risk_threshold, 0.8);
  policy.set_at_risk_threshold(0.5);
  EXPECT_DOUBLE_EQ(TargetsOf(policy).at_risk_threshold, 0.5);
}

// ---------------------------------------------------------------------------
// Selection, as a table.

struct PolicySpec {
  std::string name;
  int rank;
  std::vector<type::v1::AccountTier> tiers;
  std::vector<type::v1::RelationshipMode> modes;
  std::vector<v1::TicketPriority> priorities;
  int created_minute = 0;  // older first
  bool disabled = false;
};

v1::SlaPolicy PolicyOf(const PolicySpec& spec) {
  v1::SlaPolicy policy;
  policy.set_name("slaPolicies/" + spec.name);
  policy.set_display_name(spec.name);
  policy.set_rank(spec.rank);
  for (auto tier : spec.tiers) policy.add_tiers(tier);
  for (auto mode : spec.modes) policy.add_modes(mode);
  for (auto priority : spec.priorities) policy.add_priorities(priority);
  SetTimestamp(absl::FromUnixSeconds(1767225600 + 60 * spec.created_minute),
               policy.mutable_create_time());
  policy.set_disabled(spec.disabled);
  policy.mutable_resolution_target()->set_seconds(3600);
  return policy;
}

std::string Selected(const std::vector<PolicySpec>& specs,
                     const SlaSubject& subject) {
  std::vector<v1::SlaPolicy> policies;
  policies.reserve(specs.size());
  for (const PolicySpec& spec : specs) policies.push_back(PolicyOf(spec));
  const v1::SlaPolicy* chosen = SelectSlaPolicy(policies, subject);
  return chosen == nullptr ? "none" : chosen->display_name();
}

SlaSubject Subject(type::v1::AccountTier tier, type::v1::RelationshipMode mode,
                   v1::TicketPriority priority) {
  return SlaSubject{tier, mode, priority};
}

struct SelectionCase {
  std::string label;
  std::vector<PolicySpec> policies;
  SlaSubject subject;
  std::string expected;
};

TEST(SelectSlaPolicyTest, Table) {
  const PolicySpec kDefault = {"default", 1000000, {}, {}, {}};
  const std::vector<SelectionCase> cases = {
      {"no policies",
       {},
       Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_URGENT),
       "none"},
      {"a default policy with no criteria matches anything",
       {kDefault},
       Subject(ACCOUNT_TIER_UNSPECIFIED, RELATIONSHIP_MODE_UNSPECIFIED,
               v1::TICKET_PRIORITY_UNSPECIFIED),
       "default"},
      {"tier criterion",
       {{"premium",
         10,
         {ACCOUNT_TIER_PREMIUM, ACCOUNT_TIER_ENTERPRISE},
         {},
         {}},
        kDefault},
       Subject(ACCOUNT_TIER_ENTERPRISE, RELATIONSHIP_MODE_CUSTOMER,
               v1::TICKET_PRIORITY_LOW),
       "premium"},
      {"tier criterion does not match another tier",
       {{"premium", 10, {ACCOUNT_TIER_PREMIUM}, {}, {}}, kDefault},
       Subject(ACCOUNT_TIER_STANDARD, RELATIONSHIP_MODE_CUSTOMER,
               v1::TICKET_PRIORITY_LOW),
       "default"},
      {"an unknown tier matches no tier criterion",
       {{"premium", 10, {ACCOUNT_TIER_PREMIUM}, {}, {}}},
       Subject(ACCOUNT_TIER_UNSPECIFIED, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_LOW),
       "none"},
      {"mode criterion",
       {{"clients", 10, {}, {RELATIONSHIP_MODE_CLIENT}, {}},
        {"customers", 10, {}, {RELATIONSHIP_MODE_CUSTOMER}, {}}},
       Subject(ACCOUNT_TIER_STANDARD, RELATIONSHIP_MODE_CUSTOMER,
               v1::TICKET_PRIORITY_NORMAL),
       "customers"},
      {"unset priority reads as normal",
       {{"normal", 10, {}, {}, {v1::TICKET_PRIORITY_NORMAL}}, kDefault},
       Subject(ACCOUNT_TIER_STANDARD, RELATIONSHIP_MODE_CUSTOMER,
               v1::TICKET_PRIORITY_UNSPECIFIED),
       "normal"},
      {"every criterion must match",
       {{"clients urgent",
         10,
         {},
         {RELATIONSHIP_MODE_CLIENT},
         {v1::TICKET_PRIORITY_URGENT}},
        kDefault},
       Subject(ACCOUNT_TIER_STANDARD, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_HIGH),
       "default"},
      {"lowest rank wins over specificity",
       {{"specific",
         20,
         {ACCOUNT_TIER_PREMIUM},
         {RELATIONSHIP_MODE_CLIENT},
         {v1::TICKET_PRIORITY_URGENT}},
        {"broad", 5, {}, {}, {v1::TICKET_PRIORITY_URGENT}}},
       Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_URGENT),
       "broad"},
      {"rank tie: the most specific",
       {{"broad", 10, {}, {}, {v1::TICKET_PRIORITY_URGENT}, 0},
        {"specific",
         10,
         {},
         {RELATIONSHIP_MODE_CLIENT},
         {v1::TICKET_PRIORITY_URGENT},
         5}},
       Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_URGENT),
       "specific"},
      {"rank and specificity tie: the oldest",
       {{"newer", 10, {ACCOUNT_TIER_PREMIUM}, {}, {}, 9},
        {"older", 10, {}, {RELATIONSHIP_MODE_CLIENT}, {}, 1}},
       Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_URGENT),
       "older"},
      {"disabled is never chosen",
       {{"disabled", 1, {}, {}, {}, 0, /*disabled=*/true}, kDefault},
       Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
               v1::TICKET_PRIORITY_URGENT),
       "default"},
  };
  for (const SelectionCase& c : cases) {
    EXPECT_EQ(Selected(c.policies, c.subject), c.expected) << c.label;
  }
}

TEST(ExplainSelectionTest, NamesThePolicyItsRankAndTheCriteriaThatMatched) {
  v1::SlaPolicy policy = PolicyOf({"Clients - urgent",
                                   10,
                                   {ACCOUNT_TIER_PREMIUM},
                                   {RELATIONSHIP_MODE_CLIENT},
                                   {v1::TICKET_PRIORITY_URGENT}});
  EXPECT_EQ(ExplainSelection(
                policy, Subject(ACCOUNT_TIER_PREMIUM, RELATIONSHIP_MODE_CLIENT,
                                v1::TICKET_PRIORITY_URGENT)),
            "matched 'Clients - urgent' (rank 10): tier premium, mode client, "
            "priority urgent");
  EXPECT_EQ(ExplainSelection(
                PolicyOf({"Default", 1000000, {}, {}, {}}),
                Subject(ACCOUNT_TIER_STANDARD, RELATIONSHIP_MODE_CUSTOMER,
                        v1::TICKET_PRIORITY_LOW)),
            "matched 'Default' (rank 1000000): no criteria, applies to every "
            "ticket");
}

TEST(CalendarOfTest, AroundTheClockWithoutACalendar) {
  absl::StatusOr<sla::BusinessCalendar> calendar = CalendarOf(Valid());
  ASSERT_TRUE(calendar.ok());
  EXPECT_TRUE(calendar->around_the_clock());
}

}  // namespace
}  // namespace clientele::ticketing

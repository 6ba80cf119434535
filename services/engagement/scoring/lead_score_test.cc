#include "services/engagement/scoring/lead_score.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/activity.h"
#include "services/engagement/scoring/scoring.h"
#include "services/engagement/scoring/scoring_policy.h"

namespace clientele::engagement {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kDay = absl::Hours(24);

// Monday 16 November 2026, noon UTC.
const absl::Time kAsOf = absl::FromCivil(
    absl::CivilSecond(2026, 11, 16, 12, 0, 0), absl::UTCTimeZone());

v1::LeadScoring DefaultLeadScoring() {
  return DefaultScoringPolicy().lead_scoring();
}

// A lead and what it did, built the way the store builds it.
class Lead {
 public:
  Lead() {
    state_.account = "accounts/lead";
    state_.profile.set_name(state_.account);
    state_.profile.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
    state_.profile.set_tier(type::v1::ACCOUNT_TIER_STANDARD);
    state_.profile.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_LEAD);
  }
  events::v1::AccountSnapshot& profile() { return state_.profile; }
  const AccountState& state() const { return state_; }

  // `count` interactions of `kind`, one every `step` from `at` backwards.
  Lead& Did(v1::InteractionKind kind, v1::InteractionDirection direction,
            int count, absl::Time at, absl::Duration step = kDay) {
    for (int i = 0; i < count; ++i) {
      v1::Interaction interaction;
      interaction.set_account(state_.account);
      interaction.set_kind(kind);
      interaction.set_direction(direction);
      interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
      *interaction.mutable_occur_time() = ToTimestamp(at - i * step);
      AddToSummary(interaction, &state_.activity);
    }
    return *this;
  }
  Lead& Inbound(v1::InteractionKind kind, int count, absl::Time at) {
    return Did(kind, v1::INTERACTION_DIRECTION_INBOUND, count, at);
  }
  Lead& Outbound(v1::InteractionKind kind, int count, absl::Time at) {
    return Did(kind, v1::INTERACTION_DIRECTION_OUTBOUND, count, at);
  }

 private:
  AccountState state_;
};

const v1::LeadScoreComponent& Find(const v1::LeadScore& score,
                                   v1::LeadScoreComponentKind kind) {
  for (const v1::LeadScoreComponent& c : score.components()) {
    if (c.kind() == kind) {
      return c;
    }
  }
  static const v1::LeadScoreComponent kNone;
  ADD_FAILURE() << "no component " << kind;
  return kNone;
}

// Every lead score adds up and stays in its ranges.
void ExpectWellFormed(const v1::LeadScore& s) {
  ASSERT_EQ(s.components_size(), 7);
  double fit = 0;
  double engagement = 0;
  for (int i = 0; i < s.components_size(); ++i) {
    const v1::LeadScoreComponent& c = s.components(i);
    EXPECT_GE(c.points(), 0) << c.DebugString();
    EXPECT_LE(c.points(), c.max_points()) << c.DebugString();
    EXPECT_FALSE(c.observation().empty());
    (i < 3 ? fit : engagement) += c.points();
  }
  EXPECT_NEAR(s.fit_points(), fit, 1e-9);
  EXPECT_NEAR(s.engagement_points(), engagement, 1e-9);
  EXPECT_LE(s.fit_points(), 50);
  EXPECT_LE(s.engagement_points(), 50);
  EXPECT_EQ(s.score(), std::lround(s.fit_points() + s.engagement_points()));
  EXPECT_EQ(ToDuration(s.engagement_half_life()), 30 * kDay);
}

// A B2B enterprise lead in the business's preferred segment, busy last week:
// two meetings and a video call, four replies, three inbound calls and a
// proposal, between Tuesday and Friday.
Lead BusyEnterpriseLead(absl::Time friday) {
  Lead lead;
  lead.profile().set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  lead.Inbound(v1::INTERACTION_KIND_MEETING, 2, friday)
      .Outbound(v1::INTERACTION_KIND_VIDEO_CALL, 1, friday - 3 * kDay)
      .Inbound(v1::INTERACTION_KIND_EMAIL, 4, friday)
      .Inbound(v1::INTERACTION_KIND_CALL, 3, friday - kDay)
      .Outbound(v1::INTERACTION_KIND_PROPOSAL, 1, friday);
  return lead;
}

v1::LeadScoring PrefersB2B() {
  v1::LeadScoring policy = DefaultLeadScoring();
  policy.set_preferred_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  return policy;
}

TEST(LeadScoreTest, FitAloneIsExplainedAndEngagementIsZero) {
  Lead lead;
  lead.profile().set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  lead.profile().set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
  lead.profile().add_declared_needs("payroll");
  v1::LeadScoring policy = PrefersB2B();
  policy.add_valued_needs("payroll");
  const v1::LeadScore s = ComputeLeadScore(lead.state(), policy, kAsOf);
  ExpectWellFormed(s);
  EXPECT_EQ(s.engagement_points(), 0);
  // Half the segment (not the preferred one), two thirds of the tier, one
  // need the business serves: 7.5 + 10 + 15.
  EXPECT_EQ(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_SEGMENT_FIT).points(), 7.5);
  EXPECT_EQ(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_TIER_FIT).points(), 10);
  EXPECT_EQ(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS).points(), 15);
  EXPECT_EQ(s.fit_points(), 32.5);
  EXPECT_EQ(s.score(), 33);
  EXPECT_EQ(s.grade(), v1::LEAD_GRADE_COLD);
  EXPECT_THAT(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_SEGMENT_FIT).observation(),
              HasSubstr("prefers B2B"));
  EXPECT_EQ(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_MEETINGS).observation(),
            "No meetings");

  // The best fit there is, with nothing done yet, is worth nurturing but not
  // a call today.
  Lead ideal;
  ideal.profile().set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  ideal.profile().add_declared_needs("payroll");
  ideal.profile().add_declared_needs("tax filing");
  policy.add_valued_needs("tax filing");
  const v1::LeadScore best = ComputeLeadScore(ideal.state(), policy, kAsOf);
  ExpectWellFormed(best);
  EXPECT_EQ(best.fit_points(), 50);
  EXPECT_EQ(best.grade(), v1::LEAD_GRADE_WARM);
}

TEST(LeadScoreTest, BusyEnterpriseLeadLastWeekIsHot) {
  const Lead lead = BusyEnterpriseLead(kAsOf - 3 * kDay);
  const v1::LeadScore s = ComputeLeadScore(lead.state(), PrefersB2B(), kAsOf);
  ExpectWellFormed(s);
  EXPECT_EQ(s.fit_points(), 30);  // segment 15 + enterprise 15, no needs
  EXPECT_GE(s.engagement_points(), 40) << s.DebugString();
  EXPECT_GE(s.score(), 70);
  EXPECT_EQ(s.grade(), v1::LEAD_GRADE_HOT) << s.DebugString();
  EXPECT_THAT(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_REPLIES).observation(),
              ::testing::MatchesRegex(
                  R"(4 replies in the last 30 days \(decayed 3\.[0-9]\))"));
  EXPECT_THAT(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_MEETINGS).observation(),
              HasSubstr("3 meetings in the last 30 days"));
  EXPECT_THAT(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_PROPOSALS).observation(),
              HasSubstr("1 proposal in the last 30 days"));
  EXPECT_THAT(
      Find(s, v1::LEAD_SCORE_COMPONENT_KIND_INBOUND_INTERACTIONS).observation(),
      HasSubstr("3 inbound interactions"));
  // Each component is worth something on its own.
  for (int i = 3; i < s.components_size(); ++i) {
    EXPECT_GT(s.components(i).points(), s.components(i).max_points() / 2)
        << s.components(i).DebugString();
  }
}

TEST(LeadScoreTest, TheSameActivitySixMonthsOldDecaysToCold) {
  const Lead lead = BusyEnterpriseLead(kAsOf - 3 * kDay - 26 * 7 * kDay);
  const v1::LeadScore s = ComputeLeadScore(lead.state(), PrefersB2B(), kAsOf);
  ExpectWellFormed(s);
  EXPECT_EQ(s.fit_points(), 30);
  EXPECT_LT(s.engagement_points(), 3) << s.DebugString();
  EXPECT_EQ(s.grade(), v1::LEAD_GRADE_COLD);
  EXPECT_THAT(Find(s, v1::LEAD_SCORE_COMPONENT_KIND_MEETINGS).observation(),
              HasSubstr("No meetings in the last 30 days; 3 before"));

  // A longer half-life keeps it warm: the decay is the policy's.
  v1::LeadScoring slow = PrefersB2B();
  *slow.mutable_engagement_half_life() = ToDurationProto(180 * kDay);
  const v1::LeadScore kept = ComputeLeadScore(lead.state(), slow, kAsOf);
  EXPECT_GT(kept.engagement_points(), 20) << kept.DebugString();
  EXPECT_EQ(ToDuration(kept.engagement_half_life()), 180 * kDay);
}

TEST(LeadScoreTest, VolumeSaturatesEachComponent) {
  Lead lead;
  // A thousand inbound calls and a thousand survey answers in a day.
  lead.Did(v1::INTERACTION_KIND_CALL, v1::INTERACTION_DIRECTION_INBOUND, 1000,
           kAsOf, absl::Seconds(30));
  lead.Did(v1::INTERACTION_KIND_SURVEY_RESPONSE,
           v1::INTERACTION_DIRECTION_INBOUND, 1000, kAsOf, absl::Seconds(30));
  const v1::LeadScore s =
      ComputeLeadScore(lead.state(), DefaultLeadScoring(), kAsOf);
  ExpectWellFormed(s);
  const v1::LeadScoreComponent& inbound =
      Find(s, v1::LEAD_SCORE_COMPONENT_KIND_INBOUND_INTERACTIONS);
  EXPECT_LE(inbound.points(), inbound.max_points());
  EXPECT_EQ(inbound.max_points(), 8);
  // Inbound volume buys nothing elsewhere, and not a hot grade.
  EXPECT_EQ(s.engagement_points(), inbound.points());
  EXPECT_NE(s.grade(), v1::LEAD_GRADE_HOT);

  // The business's own outreach is not the lead's interest.
  Lead courted;
  courted.Outbound(v1::INTERACTION_KIND_EMAIL, 200, kAsOf)
      .Outbound(v1::INTERACTION_KIND_NEWSLETTER, 200, kAsOf)
      .Outbound(v1::INTERACTION_KIND_CALL, 50, kAsOf);
  EXPECT_EQ(ComputeLeadScore(courted.state(), DefaultLeadScoring(), kAsOf)
                .engagement_points(),
            0);
}

TEST(LeadScoreTest, DeclaredNeedsMatchCaseInsensitively) {
  Lead lead;
  lead.profile().add_declared_needs("payroll");
  lead.profile().add_declared_needs("straße");
  lead.profile().add_declared_needs("catering");
  v1::LeadScoring policy = DefaultLeadScoring();
  policy.add_valued_needs("PayRoll");
  policy.add_valued_needs("STRASSE");
  const v1::LeadScore s = ComputeLeadScore(lead.state(), policy, kAsOf);
  const v1::LeadScoreComponent& needs =
      Find(s, v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS);
  EXPECT_EQ(needs.points(), 20);
  EXPECT_EQ(needs.observation(),
            "Declared needs the business serves: payroll, straße");

  v1::LeadScoring other = DefaultLeadScoring();
  other.add_valued_needs("audit");
  EXPECT_EQ(Find(ComputeLeadScore(lead.state(), other, kAsOf),
                 v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS)
                .points(),
            0);
  // No valued needs in the policy: half for having said what it needs.
  EXPECT_EQ(Find(ComputeLeadScore(lead.state(), DefaultLeadScoring(), kAsOf),
                 v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS)
                .points(),
            10);
}

TEST(LeadScoreTest, OnlyLeadsAndProspectsGetALeadScore) {
  v1::ScoringPolicy policy = DefaultScoringPolicy();
  Lead lead = BusyEnterpriseLead(kAsOf - 3 * kDay);
  lead.profile().set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_PROSPECT);
  const v1::RelationshipScore prospect =
      ComputeRelationshipScore(lead.state(), policy, kAsOf);
  ASSERT_TRUE(prospect.has_lead_score());
  EXPECT_EQ(prospect.lead_score().SerializeAsString(),
            ComputeLeadScore(lead.state(), policy.lead_scoring(), kAsOf)
                .SerializeAsString());

  lead.profile().set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  EXPECT_FALSE(
      ComputeRelationshipScore(lead.state(), policy, kAsOf).has_lead_score());
}

TEST(LeadScoreTest, AsOfInThePastIgnoresLaterActivity) {
  const absl::Time then = kAsOf - 60 * kDay;
  const Lead before = BusyEnterpriseLead(then - 3 * kDay);
  Lead after = BusyEnterpriseLead(then - 3 * kDay);
  after.Inbound(v1::INTERACTION_KIND_MEETING, 3, then + 14 * kDay)
      .Outbound(v1::INTERACTION_KIND_PROPOSAL, 2, then + 30 * kDay);
  const v1::LeadScore past =
      ComputeLeadScore(before.state(), PrefersB2B(), then);
  EXPECT_EQ(
      ComputeLeadScore(after.state(), PrefersB2B(), then).SerializeAsString(),
      past.SerializeAsString());
  EXPECT_EQ(past.grade(), v1::LEAD_GRADE_HOT);
  // Deterministic: the same inputs give the same bytes.
  EXPECT_EQ(
      ComputeLeadScore(after.state(), PrefersB2B(), kAsOf).SerializeAsString(),
      ComputeLeadScore(after.state(), PrefersB2B(), kAsOf).SerializeAsString());
}

}  // namespace
}  // namespace clientele::engagement

#include "services/engagement/scoring/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/scoring_test_histories.h"

namespace clientele::engagement::scoring_testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

// ---- Behaviour the archetypes do not pin down -------------------------------

TEST(ScoringTest, DeclaredModeWinsButInferenceIsStillReported) {
  Account a = BakeryRegular();
  a.profile().set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  const v1::RelationshipScore s = Score(a);
  ExpectWellFormed(s);
  const v1::ModeAssessment& m = s.mode_assessment();
  EXPECT_EQ(m.mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(m.declared_mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(m.inferred_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(m.confidence(), 1.0);
  EXPECT_LT(m.client_likelihood(), 0.35);
  EXPECT_GT(m.deciding_signals_size(), 3);
  // Scored on the client model, as declared.
  bool has_silence = false;
  for (const auto& c : s.components()) {
    EXPECT_NE(c.kind(), v1::SCORE_COMPONENT_KIND_MONETARY);
    has_silence |= c.kind() == v1::SCORE_COMPONENT_KIND_SILENCE;
  }
  EXPECT_TRUE(has_silence);
}

TEST(ScoringTest, SameInputsGiveIdenticalBytes) {
  for (const Account& a : {LawFirmClient(), BecomingClient(), GiftBuyer(),
                           BakeryRegular(kAsOf - 6 * kWeek)}) {
    EXPECT_EQ(Score(a).SerializeAsString(), Score(a).SerializeAsString());
  }
}

TEST(ScoringTest, ActivityAfterAsOfIsIgnored) {
  const Account before = BakeryRegular(kAsOf - 6 * kWeek);
  Account after = BakeryRegular(kAsOf - 6 * kWeek);
  after.Once({v1::INTERACTION_KIND_PURCHASE, 650}, kAsOf + 2 * kWeek);
  EXPECT_EQ(Score(before).SerializeAsString(),
            Score(after).SerializeAsString());
}

TEST(ScoringTest, ReturningCustomerTrendsUpAgainstThirtyDaysAgo) {
  Account a = BakeryRegular(kAsOf - 90 * kDay);
  for (int days : {20, 13, 6}) {
    a.Once({v1::INTERACTION_KIND_PURCHASE, 650}, kAsOf - days * kDay);
  }
  const v1::RelationshipScore s = Score(a);
  ExpectWellFormed(s);
  ASSERT_TRUE(s.trend().has_previous_score());
  EXPECT_EQ(s.trend().direction(), v1::TREND_DIRECTION_RISING)
      << s.trend().DebugString();
  EXPECT_EQ(s.trend().delta(), s.score() - s.trend().previous_score());
  EXPECT_GT(s.trend().delta(), 10);
  EXPECT_EQ(s.trend().window().seconds(), 30 * 86400);
  EXPECT_EQ(s.trend().previous_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
}

TEST(ScoringTest, AccountWithNoActivityAWindowAgoTrendsNew) {
  Account a("newcomer");
  a.Every({v1::INTERACTION_KIND_PURCHASE, 2500}, kAsOf - 20 * kDay, 4 * kDay,
          kAsOf);
  const v1::RelationshipScore s = Score(a);
  EXPECT_EQ(s.trend().direction(), v1::TREND_DIRECTION_NEW);
  EXPECT_FALSE(s.trend().has_previous_score());
  EXPECT_EQ(s.trend().delta(), 0);
}

TEST(ScoringTest, ContractEndingWithinNinetyDaysPreparesRenewal) {
  Account a = LawFirmClient();
  auto* terms = a.profile().mutable_commercial_terms();
  *terms->mutable_contract_end_date() = DateOf(2027, 1, 15);  // in 60 days
  terms->set_auto_renew(false);
  const v1::RelationshipScore s = Score(a);
  ExpectWellFormed(s);
  ASSERT_GE(s.next_best_actions_size(), 1);
  const v1::NextBestAction& first = s.next_best_actions(0);
  EXPECT_EQ(first.kind(), v1::NEXT_BEST_ACTION_KIND_PREPARE_RENEWAL);
  EXPECT_EQ(first.playbook(), v1::PLAYBOOK_RETAIN_CLIENT);
  EXPECT_EQ(first.suggested_assignee(), "staff-anna");
  EXPECT_GT(first.expected_score_gain(), 0);
  EXPECT_GT(first.suggested_time().seconds(), absl::ToUnixSeconds(kAsOf));
  for (const auto& c : s.components()) {
    if (c.kind() != v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL) continue;
    EXPECT_LT(c.value(), 0.5);  // an unrenewed end is a risk, not a neutral
    EXPECT_THAT(c.observation(), ::testing::HasSubstr("contract ends in"));
  }
  // Further out, nothing to prepare yet.
  *terms->mutable_contract_end_date() = DateOf(2027, 6, 30);
  EXPECT_THAT(ActionKinds(Score(a)),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_PREPARE_RENEWAL)));
}

TEST(ScoringTest, OpenTicketsAndLowSatisfactionRecoverSupport) {
  Account a = PrConsultancyClient();
  a.Every({v1::INTERACTION_KIND_TICKET_OPENED}, kAsOf - 40 * kDay, 10 * kDay,
          kAsOf);
  a.Once({v1::INTERACTION_KIND_TICKET_SOLVED}, kAsOf - 30 * kDay);
  a.Once({v1::INTERACTION_KIND_TICKET_SLA_BREACHED}, kAsOf - 25 * kDay);
  a.Once({v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE, 0,
          v1::PERSONALIZATION_UNSPECIFIED, "", 1},
         kAsOf - 29 * kDay);
  a.Once({v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE, 0,
          v1::PERSONALIZATION_UNSPECIFIED, "", 2},
         kAsOf - 9 * kDay);
  const v1::RelationshipScore s = Score(a);
  ExpectWellFormed(s);
  ASSERT_GE(s.next_best_actions_size(), 2);
  EXPECT_EQ(s.next_best_actions(0).kind(),
            v1::NEXT_BEST_ACTION_KIND_RESOLVE_OPEN_TICKETS);
  EXPECT_EQ(s.next_best_actions(0).playbook(), v1::PLAYBOOK_RECOVER_SUPPORT);
  EXPECT_EQ(s.next_best_actions(1).kind(), v1::NEXT_BEST_ACTION_KIND_CHECK_IN);
  EXPECT_EQ(s.next_best_actions(1).playbook(), v1::PLAYBOOK_RECOVER_SUPPORT);
  for (const auto& c : s.components()) {
    if (c.kind() == v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION) {
      EXPECT_LT(c.value(), 0.2);
    }
    if (c.kind() == v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG) {
      EXPECT_THAT(c.observation(), ::testing::HasSubstr("3 support tickets"));
    }
  }
}

TEST(ScoringTest, UnansweredProposalIsFollowedUp) {
  Account a = BecomingClient();
  a.Once({v1::INTERACTION_KIND_PROPOSAL, 900000}, kAsOf - 2 * kDay);
  v1::RelationshipScore s = Score(a);
  ASSERT_THAT(ActionKinds(s),
              Contains(v1::NEXT_BEST_ACTION_KIND_FOLLOW_UP_PROPOSAL));
  for (const auto& action : s.next_best_actions()) {
    if (action.kind() != v1::NEXT_BEST_ACTION_KIND_FOLLOW_UP_PROPOSAL) continue;
    // The policy's default delay: three days after the proposal.
    EXPECT_EQ(action.suggested_time().seconds(),
              absl::ToUnixSeconds(kAsOf + kDay));
  }
  // An answer (a meeting) after the proposal settles it.
  a.Once({v1::INTERACTION_KIND_MEETING}, kAsOf - kDay);
  s = Score(a);
  EXPECT_THAT(ActionKinds(s),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_FOLLOW_UP_PROPOSAL)));
}

TEST(ScoringTest, BirthdayWithinThirtyDaysSendsAGreeting) {
  Account a = SalonVisitor();
  auto* g = a.profile().add_greeting_dates();
  g->set_occasion(events::v1::GREETING_OCCASION_BIRTHDAY);
  *g->mutable_date() = DateOf(1984, 11, 25);
  const v1::RelationshipScore s = Score(a);
  bool found = false;
  for (const auto& action : s.next_best_actions()) {
    if (action.kind() != v1::NEXT_BEST_ACTION_KIND_SEND_GREETING) continue;
    found = true;
    EXPECT_EQ(action.playbook(), v1::PLAYBOOK_CONVERT_TO_CLIENT);
    EXPECT_EQ(action.suggested_time().seconds(),
              absl::ToUnixSeconds(Day(2026, 11, 24, 0)));
    EXPECT_EQ(action.title(), "Send a greeting");
    EXPECT_THAT(action.rationale(), ::testing::StartsWith("Birthday in "));
  }
  EXPECT_TRUE(found) << s.DebugString();
  // A birthday in March is not due yet.
  *g->mutable_date() = DateOf(1984, 3, 25);
  EXPECT_THAT(ActionKinds(Score(a)),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_SEND_GREETING)));
}

TEST(ScoringTest, MarketingAndNotesDoNotEndASilence) {
  Account a = BakeryRegular(kAsOf - 6 * kWeek);
  const absl::Time last = kAsOf - 6 * kWeek;
  a.Every({v1::INTERACTION_KIND_NEWSLETTER}, last + kDay, kWeek, kAsOf);
  a.Once({v1::INTERACTION_KIND_GREETING}, kAsOf - 3 * kDay);
  a.Once({v1::INTERACTION_KIND_LOYALTY_REWARD}, kAsOf - 2 * kDay);
  a.Once({v1::INTERACTION_KIND_NOTE}, kAsOf - kDay);
  const v1::RelationshipScore s = Score(a);
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_UNUSUAL);
  EXPECT_EQ(s.silence().last_interaction_time().seconds(),
            absl::ToUnixSeconds(last));
  EXPECT_EQ(s.silence().silence().seconds(), 6 * 7 * 86400);
  // Expected a usual gap after the last visit: about a week (a hundred
  // weekly gaps, shrunk a little toward a consumer's month).
  EXPECT_EQ(s.silence().expected_next_time().seconds(),
            absl::ToUnixSeconds(last) + s.silence().typical_gap().seconds());
  EXPECT_NEAR(s.silence().typical_gap().seconds(), 7 * 86400, 43200);
}

// The store keeps one bucket per week and kind; this builds them the way its
// SQL does (group by week and kind), independently of AddToSummary.
ActivitySummary BucketsOf(const std::vector<v1::Interaction>& interactions) {
  ActivitySummary summary;
  summary.currency = "EUR";
  std::map<std::pair<absl::Time, int>, KindBucket> buckets;
  std::map<std::string, ContactActivity> contacts;
  for (const v1::Interaction& i : interactions) {
    const absl::Time at = absl::FromUnixSeconds(i.occur_time().seconds());
    KindBucket& b = buckets[{WeekStart(at), i.kind()}];
    b.week_start = WeekStart(at);
    b.kind = i.kind();
    AccumulateInteraction(i, summary.currency, &b);
    ContactActivity& c = contacts[i.contact()];
    c.contact = i.contact();
    c.count += 1;
    if (c.first_time == absl::InfinitePast() || at < c.first_time) {
      c.first_time = at;
    }
    c.last_time = std::max(c.last_time, at);
    if (summary.first_interaction_time == absl::InfinitePast() ||
        at < summary.first_interaction_time) {
      summary.first_interaction_time = at;
    }
    summary.total_count += 1;
  }
  for (auto& [key, b] : buckets) summary.buckets.push_back(b);
  for (auto& [key, c] : contacts) summary.contacts.push_back(c);
  return summary;
}

TEST(ScoringTest, HundredThousandInteractionsScoreFromWeeklyBuckets) {
  // A busy wholesale account: 100,000 purchases over 700 days.
  constexpr int kInteractions = 100000;
  const absl::Time from = kAsOf - 700 * kDay;
  const absl::Duration step = (700 * kDay) / kInteractions;
  Account incremental("wholesale");
  std::vector<v1::Interaction> all;
  all.reserve(kInteractions);
  for (int i = 0; i < kInteractions; ++i) {
    const Touch t{v1::INTERACTION_KIND_PURCHASE, 1000 + i % 7 * 100,
                  v1::PERSONALIZATION_UNSPECIFIED,
                  "contacts/buyer-" + std::to_string(i % 4)};
    all.push_back(MakeInteraction("accounts/wholesale", t, from + i * step));
    incremental.Once(t, from + i * step);
  }
  const AccountState& state = incremental.state();
  EXPECT_LE(state.activity.buckets.size(), 102u);  // one per week and kind

  AccountState grouped = state;
  grouped.activity = BucketsOf(all);
  const v1::RelationshipScore a = Score(incremental);
  const v1::RelationshipScore b =
      ComputeRelationshipScore(grouped, DefaultScoringPolicy(), kAsOf);
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_EQ(a.interaction_count(), kInteractions);
  EXPECT_EQ(a.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  ExpectWellFormed(a);
}

TEST(ScoringTest, PolicyRevisionAndAsOfAreRecorded) {
  v1::ScoringPolicy policy = DefaultScoringPolicy();
  policy.set_revision(7);
  const v1::RelationshipScore s =
      ComputeRelationshipScore(LawFirmClient().state(), policy, kAsOf);
  EXPECT_EQ(s.policy_revision(), 7);
  EXPECT_EQ(s.as_of_time().seconds(), absl::ToUnixSeconds(kAsOf));
  EXPECT_EQ(s.account(), "accounts/kanzlei-weber");
}

// ---- Score changes
// -----------------------------------------------------------

TEST(ScoreChangeTest, FirstScoreHasNoPrevious) {
  const v1::RelationshipScore s = Score(SalonVisitor());
  const v1::ScoreChange c = DescribeScoreChange(nullptr, s);
  EXPECT_FALSE(c.has_previous_score());
  EXPECT_EQ(c.new_score(), s.score());
  EXPECT_EQ(c.delta(), s.score());
  EXPECT_EQ(c.new_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(c.account(), s.account());
  EXPECT_EQ(c.model_version(), kModelVersion);
  EXPECT_THAT(c.summary(), ::testing::StartsWith("First score"));
  EXPECT_TRUE(c.name().empty());
  EXPECT_FALSE(c.has_change_time());
}

TEST(ScoreChangeTest, DescribesWhatMovedLargestFirst) {
  const v1::RelationshipScore before = Score(BakeryRegular());
  const v1::RelationshipScore after =
      Score(BakeryRegular(kAsOf - 2 * kDay), kAsOf + 6 * kWeek);
  const v1::ScoreChange c = DescribeScoreChange(&before, after);
  EXPECT_EQ(c.previous_score(), before.score());
  EXPECT_EQ(c.new_score(), after.score());
  EXPECT_EQ(c.delta(), after.score() - before.score());
  EXPECT_LT(c.delta(), 0);
  EXPECT_EQ(c.previous_band(), before.band());
  EXPECT_EQ(c.new_band(), after.band());
  ASSERT_GE(c.component_deltas_size(), 1);
  EXPECT_EQ(c.component_deltas(0).component(),
            v1::SCORE_COMPONENT_KIND_RECENCY);
  for (int i = 1; i < c.component_deltas_size(); ++i) {
    EXPECT_GE(std::fabs(c.component_deltas(i - 1).new_points() -
                        c.component_deltas(i - 1).previous_points()),
              std::fabs(c.component_deltas(i).new_points() -
                        c.component_deltas(i).previous_points()));
  }
  EXPECT_THAT(c.summary(), ::testing::StartsWith("Down"));
  EXPECT_THAT(c.summary(), ::testing::HasSubstr("recency"));
}

TEST(ScoreChangeTest, ModeChangeUnionsTheComponentsOfBothModels) {
  const v1::RelationshipScore before = Score(BakeryRegular());
  Account declared = BakeryRegular();
  declared.profile().set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  const v1::RelationshipScore after = Score(declared);
  const v1::ScoreChange c = DescribeScoreChange(&before, after);
  EXPECT_EQ(c.previous_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(c.new_mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  std::vector<v1::ScoreComponentKind> kinds;
  for (const auto& d : c.component_deltas()) kinds.push_back(d.component());
  EXPECT_THAT(kinds, Contains(v1::SCORE_COMPONENT_KIND_RECENCY));  // gone
  EXPECT_THAT(kinds, Contains(v1::SCORE_COMPONENT_KIND_TENURE));   // new
  EXPECT_THAT(c.summary(), ::testing::HasSubstr("now client"));
}

}  // namespace
}  // namespace clientele::engagement::scoring_testing

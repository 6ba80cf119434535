// The archetypes of DESIGN.md's customer/client table, scored.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/scoring.h"
#include "services/engagement/scoring/scoring_test_histories.h"

namespace clientele::engagement::scoring_testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(ScoringArchetypeTest, RetainerLawFirmIsAStrongClient) {
  const v1::RelationshipScore s = Score(LawFirmClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_GT(s.mode_assessment().client_likelihood(), 0.8);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}))
      << s.DebugString();
  EXPECT_FALSE(s.provisional());
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NORMAL);
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_TENURE));
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_SILENCE));
  EXPECT_THAT(ReasonKinds(s), Not(Contains(v1::SCORE_COMPONENT_KIND_RECENCY)));
  EXPECT_EQ(s.top_reasons(0).effect(), v1::REASON_EFFECT_POSITIVE);
}

TEST(ScoringArchetypeTest, PrConsultancyIsAClient) {
  const v1::RelationshipScore s = Score(PrConsultancyClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}))
      << s.DebugString();
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH));
}

TEST(ScoringArchetypeTest, TherapistsRegularPersonalSessionsMakeAClient) {
  const v1::RelationshipScore s = Score(TherapistClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT)
      << s.mode_assessment().DebugString();
  EXPECT_EQ(s.mode_assessment().deciding_signals(0).kind(),
            v1::MODE_SIGNAL_KIND_CUSTOM_WORK_SHARE);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}));
  // One person is the whole of an individual's account.
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH));
}

TEST(ScoringArchetypeTest, BakeryRegularIsAGoodCustomer) {
  const v1::RelationshipScore s = Score(BakeryRegular());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}))
      << s.DebugString();
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NORMAL);
  EXPECT_NEAR(
      absl::ToDoubleHours(absl::Seconds(s.silence().typical_gap().seconds())) /
          24,
      7, 0.5);
  ASSERT_GE(s.top_reasons_size(), 2);
  EXPECT_EQ(s.top_reasons(0).component(), v1::SCORE_COMPONENT_KIND_RECENCY);
  EXPECT_EQ(s.top_reasons(1).component(), v1::SCORE_COMPONENT_KIND_FREQUENCY);
  // A good customer is worth converting.
  EXPECT_EQ(s.next_best_actions(0).playbook(), v1::PLAYBOOK_CONVERT_TO_CLIENT);
}

TEST(ScoringArchetypeTest, FuelCardHolderIsACustomer) {
  const v1::RelationshipScore s = Score(FuelCardHolder());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}));
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_RECENCY));
  // Loyalty rewards are our marketing, not the driver coming by.
  EXPECT_THAT(
      ActionKinds(s),
      Not(Contains(v1::NEXT_BEST_ACTION_KIND_INVITE_TO_LOYALTY_PROGRAMME)));
}

TEST(ScoringArchetypeTest, SupermarketShopperIsACustomer) {
  const v1::RelationshipScore s = Score(SupermarketShopper());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_GT(s.mode_assessment().confidence(), 0.5);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}));
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_FREQUENCY));
}

TEST(ScoringArchetypeTest, SalonVisitorIsACustomer) {
  const v1::RelationshipScore s = Score(SalonVisitor());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}))
      << s.DebugString();
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NORMAL);
}

TEST(ScoringArchetypeTest,
     StreamingSubscriberIsACustomerDespiteRecurringBilling) {
  const v1::RelationshipScore s = Score(StreamingSubscriber());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER)
      << s.mode_assessment().DebugString();
  bool saw_recurring = false;
  for (const auto& signal : s.mode_assessment().deciding_signals()) {
    if (signal.kind() == v1::MODE_SIGNAL_KIND_RECURRING_BILLING) {
      saw_recurring = true;
      EXPECT_GT(signal.lean(), 0);  // it does pull towards client, a little
    }
  }
  EXPECT_TRUE(saw_recurring);
  EXPECT_THAT(ReasonKinds(s), Not(Contains(v1::SCORE_COMPONENT_KIND_SILENCE)));
}

TEST(ScoringArchetypeTest, OneOffGiftBuyerIsAProvisionalCustomer) {
  const v1::RelationshipScore s = Score(GiftBuyer());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER)
      << s.mode_assessment().DebugString();
  EXPECT_TRUE(s.provisional());
  EXPECT_EQ(s.interaction_count(), 1);
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NO_HISTORY);
  EXPECT_TRUE(BandIn(s.band(), {type::v1::SCORE_BAND_AT_RISK,
                                type::v1::SCORE_BAND_NEEDS_ATTENTION}))
      << s.DebugString();
}

TEST(ScoringArchetypeTest,
     CustomerBecomingClientIsTransitioningWithConversion) {
  const v1::RelationshipScore s = Score(BecomingClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(),
            type::v1::RELATIONSHIP_MODE_TRANSITIONING)
      << s.mode_assessment().DebugString();
  EXPECT_THAT(ActionKinds(s),
              Contains(v1::NEXT_BEST_ACTION_KIND_ASSIGN_ACCOUNT_MANAGER));
  EXPECT_THAT(ActionKinds(s),
              Contains(v1::NEXT_BEST_ACTION_KIND_PROPOSE_RETAINER));
  for (const auto& a : s.next_best_actions()) {
    EXPECT_EQ(a.playbook(), v1::PLAYBOOK_CONVERT_TO_CLIENT) << a.DebugString();
    EXPECT_EQ(a.suggested_assignee(), "staff-owner");
  }
  // Transitioning accounts are scored on both models at once.
  bool has_recency = false;
  bool has_silence = false;
  for (const auto& c : s.components()) {
    has_recency |= c.kind() == v1::SCORE_COMPONENT_KIND_RECENCY;
    has_silence |= c.kind() == v1::SCORE_COMPONENT_KIND_SILENCE;
  }
  EXPECT_TRUE(has_recency && has_silence);
}

TEST(ScoringArchetypeTest, DormantClientQuietForItsUsualQuarterIsFine) {
  const v1::RelationshipScore s = Score(QuarterlyClient(kAsOf - 80 * kDay));
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NORMAL)
      << s.silence().DebugString();
  EXPECT_NE(s.band(), type::v1::SCORE_BAND_AT_RISK);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}));
  EXPECT_THAT(ActionKinds(s),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_CHECK_IN)));
}

TEST(ScoringArchetypeTest, UnusuallySilentClientGetsACheckIn) {
  const v1::RelationshipScore s = Score(SilentClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_UNUSUAL);
  ASSERT_GE(s.next_best_actions_size(), 1);
  EXPECT_EQ(s.next_best_actions(0).kind(), v1::NEXT_BEST_ACTION_KIND_CHECK_IN);
  EXPECT_EQ(s.next_best_actions(0).playbook(), v1::PLAYBOOK_RETAIN_CLIENT);
  EXPECT_EQ(s.next_best_actions(0).suggested_assignee(), "staff-mira");
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_SILENCE));
}

TEST(ScoringArchetypeTest, WeeklyCustomerGoneSixWeeksIsAtRisk) {
  const v1::RelationshipScore s = Score(BakeryRegular(kAsOf - 6 * kWeek));
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_UNUSUAL);
  EXPECT_TRUE(BandIn(s.band(), {type::v1::SCORE_BAND_AT_RISK,
                                type::v1::SCORE_BAND_NEEDS_ATTENTION}))
      << s.DebugString();
  ASSERT_GE(s.next_best_actions_size(), 1);
  EXPECT_EQ(s.next_best_actions(0).kind(), v1::NEXT_BEST_ACTION_KIND_WIN_BACK);
  EXPECT_EQ(s.next_best_actions(0).playbook(), v1::PLAYBOOK_RETAIN_CUSTOMER);
  EXPECT_EQ(s.top_reasons(0).component(), v1::SCORE_COMPONENT_KIND_RECENCY);
  EXPECT_EQ(s.top_reasons(0).effect(), v1::REASON_EFFECT_NEGATIVE);
  EXPECT_EQ(s.trend().direction(), v1::TREND_DIRECTION_FALLING);
}

}  // namespace
}  // namespace clientele::engagement::scoring_testing

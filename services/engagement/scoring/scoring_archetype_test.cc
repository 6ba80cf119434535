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
using ::testing::HasSubstr;
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
  // Paid per session, no contract, no account manager field: what the
  // account lacks is one fact, read once, and the same practitioner at
  // every session is its dedicated person.
  const v1::RelationshipScore s = Score(TherapistClient());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT)
      << s.mode_assessment().DebugString();
  EXPECT_GT(s.mode_assessment().client_likelihood(), 0.7);
  const v1::ModeSignal custom =
      SignalOf(s, v1::MODE_SIGNAL_KIND_CUSTOM_WORK_SHARE);
  EXPECT_GT(custom.lean(), 0.9) << custom.DebugString();  // fees are sessions'
  EXPECT_THAT(custom.observation(), HasSubstr("read as session fees"));
  const v1::ModeSignal person =
      SignalOf(s, v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER);
  EXPECT_GT(person.lean(), 0.5) << person.DebugString();
  EXPECT_THAT(person.observation(), HasSubstr("dr-lee served 78 of 78"));
  // "No contract" and "pays per purchase" weigh as one reading.
  const v1::ModeSignal contract =
      SignalOf(s, v1::MODE_SIGNAL_KIND_CONTRACT_TERM);
  const v1::ModeSignal billing =
      SignalOf(s, v1::MODE_SIGNAL_KIND_RECURRING_BILLING);
  EXPECT_LT(contract.lean(), 0);
  EXPECT_LT(billing.lean(), 0);
  EXPECT_NEAR(contract.weight() + billing.weight(), 0.15, 1e-9);
  EXPECT_TRUE(BandIn(
      s.band(), {type::v1::SCORE_BAND_STRONG, type::v1::SCORE_BAND_HEALTHY}))
      << s.DebugString();
  EXPECT_EQ(s.silence().status(), v1::SILENCE_STATUS_NORMAL);
  // One person is the whole of an individual's account.
  EXPECT_THAT(ReasonKinds(s), Contains(v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH));
  // dr-lee is that person: no one to assign.
  EXPECT_THAT(ActionKinds(s),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_ASSIGN_ACCOUNT_MANAGER)));

  // Without any commercial terms on file, the same.
  Account no_terms = TherapistClient();
  no_terms.profile().clear_commercial_terms();
  EXPECT_EQ(Score(no_terms).mode_assessment().mode(),
            type::v1::RELATIONSHIP_MODE_CLIENT);
}

TEST(ScoringArchetypeTest, SalonVisitorWithTheSameHairdresserStaysACustomer) {
  // One person serving every visit is not enough to make a client of a
  // standard service bought at a till: purchases do not count as one-to-one
  // service, and a salon's one-to-one contact is rare.
  Account a = SalonVisitor();
  a.Every({v1::INTERACTION_KIND_MESSAGE, 0, v1::PERSONALIZATION_UNSPECIFIED, "",
           0, "staff-jo"},
          Day(2025, 2, 1) - kDay, 5 * kWeek, kAsOf);
  const v1::RelationshipScore s = Score(a);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER)
      << s.mode_assessment().DebugString();
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

TEST(ScoringArchetypeTest, OneLargePurchaseDoesNotMakeAClient) {
  const v1::RelationshipScore s = Score(BigPurchaseBuyer());
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER)
      << s.mode_assessment().DebugString();
  EXPECT_TRUE(s.provisional());
  // Damped like any single observation: half of what many would say, and
  // one purchase has no volume to read.
  const v1::ModeSignal revenue =
      SignalOf(s, v1::MODE_SIGNAL_KIND_REVENUE_PER_TRANSACTION);
  EXPECT_GT(revenue.lean(), 0);
  EXPECT_LE(revenue.lean(), 0.5) << revenue.DebugString();
  EXPECT_THAT(revenue.observation(), HasSubstr("1 transaction averaging"));
  // A hundred times the gift buyer's purchase moves the likelihood little.
  EXPECT_NEAR(s.mode_assessment().client_likelihood(),
              Score(GiftBuyer()).mode_assessment().client_likelihood(), 0.05);
}

TEST(ScoringArchetypeTest,
     IrregularRepeatBuyerIsNotUnusuallySilentAndOutranksAOneTimeBuyer) {
  const v1::RelationshipScore repeat = Score(IrregularRepeatBuyer());
  const v1::RelationshipScore once = Score(OneTimeBuyer());
  ExpectWellFormed(repeat);
  ExpectWellFormed(once);
  EXPECT_EQ(repeat.mode_assessment().mode(),
            type::v1::RELATIONSHIP_MODE_CUSTOMER);
  // Two gaps, of 20 and 210 days: the usual rhythm is not the shorter one
  // but leans on what is usual for a consumer.
  EXPECT_EQ(repeat.silence().status(), v1::SILENCE_STATUS_NORMAL)
      << repeat.silence().DebugString();
  EXPECT_GT(repeat.silence().typical_gap().seconds(), 60 * 86400);
  EXPECT_GT(repeat.score(), once.score())
      << repeat.DebugString() << once.DebugString();
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

TEST(ScoringArchetypeTest, NoNewEventsForEightMonthsNeverTrendsUp) {
  // Eight months after every archetype's last interaction the trend does
  // not rise, and month by month over fifteen months no score goes up by
  // more than rounding: time without activity lowers a score or leaves it;
  // it never raises it (a window thinning out, a complaint ageing out of
  // the support window, is no news). Tenure alone may add a fraction of a
  // point a month.
  for (const Account& a :
       {LawFirmClient(), PrConsultancyClient(), TherapistClient(),
        BakeryRegular(), FuelCardHolder(), SupermarketShopper(), SalonVisitor(),
        StreamingSubscriber(), GiftBuyer(), BecomingClient(),
        QuarterlyClient(kAsOf - 80 * kDay), SilentClient(),
        IrregularRepeatBuyer(), FirstRetainer(), LeftAfterABadTicket()}) {
    const v1::RelationshipScore s = Score(a, kAsOf + 240 * kDay);
    ExpectWellFormed(s);
    EXPECT_NE(s.trend().direction(), v1::TREND_DIRECTION_RISING)
        << a.state().account << " " << s.trend().DebugString();
    EXPECT_LE(s.trend().delta(), 0) << a.state().account;
    int previous = Score(a).score();
    for (int month = 1; month <= 15; ++month) {
      const int score = Score(a, kAsOf + month * 30 * kDay).score();
      EXPECT_LE(score, previous + 1)
          << a.state().account << ", month " << month;
      previous = score;
    }
  }
}

TEST(ScoringArchetypeTest, InteractionCountReachesBeyondTheWindows) {
  // Four years of weekly washes; the service loads only the buckets a score
  // reads, and the projection's all-time count.
  const Account a = FourYearRegular();
  const int64_t total = a.state().activity.total_count;
  ASSERT_EQ(total, 208);
  const AccountState now = AsLoaded(a, kAsOf);
  ASSERT_LT(now.activity.buckets.size(), 170u);  // about three years
  const v1::RelationshipScore s =
      ComputeRelationshipScore(now, DefaultScoringPolicy(), kAsOf);
  ExpectWellFormed(s);
  EXPECT_EQ(s.interaction_count(), total);
  // As of a year ago: the washes up to then, and none after.
  const absl::Time year_ago = kAsOf - 52 * kWeek;
  int64_t until_then = 0;
  for (const KindBucket& b : a.state().activity.buckets) {
    if (b.first_time <= year_ago) until_then += b.count;
  }
  ASSERT_EQ(until_then, 157);
  EXPECT_EQ(ComputeRelationshipScore(AsLoaded(a, year_ago),
                                     DefaultScoringPolicy(), year_ago)
                .interaction_count(),
            until_then);
}

TEST(ScoringArchetypeTest, AOneYearContractRunsAFullYear) {
  // 1 January to 31 December: the end date is the contract's last day.
  Account a = StreamingSubscriber();
  auto* terms = a.profile().mutable_commercial_terms();
  *terms->mutable_contract_start_date() = DateOf(2026, 1, 1);
  *terms->mutable_contract_end_date() = DateOf(2026, 12, 31);
  const v1::ModeSignal contract =
      SignalOf(Score(a), v1::MODE_SIGNAL_KIND_CONTRACT_TERM);
  EXPECT_EQ(contract.lean(), 0.5) << contract.DebugString();
  EXPECT_EQ(contract.observation(), "subscription contract, 12 months term");
  // Six months, 1 June to 30 November, is a retainer of six months.
  Account six = QuarterlyClient(kAsOf - 20 * kDay);
  auto* retainer = six.profile().mutable_commercial_terms();
  *retainer->mutable_contract_start_date() = DateOf(2026, 6, 1);
  *retainer->mutable_contract_end_date() = DateOf(2026, 11, 30);
  EXPECT_EQ(SignalOf(Score(six), v1::MODE_SIGNAL_KIND_CONTRACT_TERM).lean(),
            1.0);
  // A contract whose last day is today has not ended.
  *retainer->mutable_contract_end_date() = DateOf(2026, 11, 16);
  const v1::ScoreComponent renewal =
      ComponentOf(Score(six), v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL);
  EXPECT_THAT(renewal.observation(), HasSubstr("contract ends in"));
}

TEST(ScoringArchetypeTest, AFirstRetainerIsNotARenewal) {
  const v1::RelationshipScore first = Score(FirstRetainer());
  ExpectWellFormed(first);
  EXPECT_EQ(first.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT)
      << first.mode_assessment().DebugString();
  const v1::ScoreComponent renewal =
      ComponentOf(first, v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL);
  EXPECT_EQ(renewal.observation(), "contract runs for another 6 months")
      << renewal.DebugString();
  // The PR consultancy was billed on a retainer before its current contract
  // started: that one is a renewal.
  EXPECT_THAT(ComponentOf(Score(PrConsultancyClient()),
                          v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL)
                  .observation(),
              HasSubstr("renewed before"));
}

TEST(ScoringArchetypeTest, ADeclaredModeIsNamedInTheReasons) {
  Account a = BakeryRegular();
  a.profile().set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  const v1::RelationshipScore s = Score(a);
  ASSERT_GT(s.top_reasons_size(), 0);
  for (const auto& r : s.top_reasons()) {
    EXPECT_THAT(r.summary(), HasSubstr("as a declared client")) << r.summary();
  }
  // Inferred, nothing of the kind.
  const v1::RelationshipScore inferred = Score(BakeryRegular());
  for (const auto& r : inferred.top_reasons()) {
    EXPECT_THAT(r.summary(), Not(HasSubstr("declared"))) << r.summary();
  }
}

TEST(ScoringArchetypeTest, AWonRetainerDealMakesTheCustomerAClient) {
  // The print shop's customer, transitioning, wins a retainer deal six
  // weeks ago; nobody has updated its terms yet.
  Account won = BecomingClient();
  won.Deal(v1::DEAL_KIND_RETAINER, true, kAsOf - 6 * kWeek);
  const v1::RelationshipScore s = Score(won);
  ExpectWellFormed(s);
  EXPECT_EQ(s.mode_assessment().mode(), type::v1::RELATIONSHIP_MODE_CLIENT)
      << s.mode_assessment().DebugString();
  EXPECT_THAT(SignalOf(s, v1::MODE_SIGNAL_KIND_CONTRACT_TERM).observation(),
              HasSubstr("retainer deal won 6 weeks ago"));
  EXPECT_THAT(SignalOf(s, v1::MODE_SIGNAL_KIND_RECURRING_BILLING).observation(),
              HasSubstr("retainer deal won"));
  // Before it closed, it was not.
  EXPECT_NE(Score(won, kAsOf - 7 * kWeek).mode_assessment().mode(),
            type::v1::RELATIONSHIP_MODE_CLIENT);

  // A lost deal (and a one-off sale won) never moves the mode.
  const v1::RelationshipScore before = Score(BecomingClient());
  Account lost = BecomingClient();
  lost.Deal(v1::DEAL_KIND_RETAINER, false, kAsOf - 6 * kWeek);
  lost.Deal(v1::DEAL_KIND_ONE_OFF_SALE, true, kAsOf - 5 * kWeek);
  EXPECT_EQ(Score(lost).mode_assessment().SerializeAsString(),
            before.mode_assessment().SerializeAsString());
}

}  // namespace
}  // namespace clientele::engagement::scoring_testing

// Next best actions and keep-in-touch cadences (AccountState::keep_in_touch):
// greetings and surveys a cadence has coming are suggested, never a survey
// past the fatigue limit, and starting a cadence only where none covers the
// account.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/scoring_test_histories.h"

namespace clientele::engagement::scoring_testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

v1::RelationshipScore ScoreWith(const Account& a,
                                const KeepInTouchState& keep) {
  AccountState state = a.state();
  state.keep_in_touch = keep;
  return ComputeRelationshipScore(state, DefaultScoringPolicy(), kAsOf);
}

const v1::NextBestAction* Find(const v1::RelationshipScore& s,
                               v1::NextBestActionKind kind) {
  for (const v1::NextBestAction& action : s.next_best_actions()) {
    if (action.kind() == kind) {
      return &action;
    }
  }
  return nullptr;
}

TEST(NextBestActionsCadenceTest, StartACadenceOnlyWhereNoneCovers) {
  const Account a = FuelCardHolder();
  ASSERT_THAT(ActionKinds(Score(a)),
              Contains(v1::NEXT_BEST_ACTION_KIND_START_KEEP_IN_TOUCH_CADENCE))
      << Score(a).DebugString();
  KeepInTouchState newsletter;
  newsletter.newsletter = true;
  KeepInTouchState greeting;
  greeting.greeting = true;
  KeepInTouchState survey;
  survey.survey = true;
  for (const KeepInTouchState& keep : {newsletter, greeting, survey}) {
    const v1::RelationshipScore s = ScoreWith(a, keep);
    ExpectWellFormed(s);
    EXPECT_THAT(
        ActionKinds(s),
        Not(Contains(v1::NEXT_BEST_ACTION_KIND_START_KEEP_IN_TOUCH_CADENCE)));
  }
}

TEST(NextBestActionsCadenceTest, UpcomingCadenceGreetingNamesTheOccasion) {
  const Account a = SalonVisitor();  // no greeting dates of its own
  ASSERT_THAT(ActionKinds(Score(a)),
              Not(Contains(v1::NEXT_BEST_ACTION_KIND_SEND_GREETING)));
  KeepInTouchState keep;
  keep.greeting = true;
  keep.next_greeting_due = kAsOf + 10 * kDay;
  keep.next_greeting_occasion = "founding anniversary";
  const v1::RelationshipScore s = ScoreWith(a, keep);
  ExpectWellFormed(s);
  const v1::NextBestAction* greet =
      Find(s, v1::NEXT_BEST_ACTION_KIND_SEND_GREETING);
  ASSERT_NE(greet, nullptr) << s.DebugString();
  EXPECT_EQ(greet->title(), "Send a greeting");
  EXPECT_THAT(greet->rationale(), StartsWith("Founding anniversary coming up"));
  EXPECT_THAT(greet->rationale(), HasSubstr("10 days"));
  EXPECT_EQ(greet->suggested_time().seconds(),
            absl::ToUnixSeconds(kAsOf + 10 * kDay));

  // Due already (the date is within the lead time): suggested now.
  keep.next_greeting_due = kAsOf - kDay;
  const v1::RelationshipScore due = ScoreWith(a, keep);
  const v1::NextBestAction* now =
      Find(due, v1::NEXT_BEST_ACTION_KIND_SEND_GREETING);
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->suggested_time().seconds(), absl::ToUnixSeconds(kAsOf));
  EXPECT_THAT(now->rationale(), HasSubstr("due now"));
}

TEST(NextBestActionsCadenceTest, DueSurveyIsSuggestedForAClient) {
  const Account a = LawFirmClient();
  ASSERT_THAT(
      ActionKinds(Score(a)),
      Not(Contains(v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY)));
  KeepInTouchState keep;
  keep.survey = true;
  keep.survey_due = kAsOf - 2 * kDay;
  const v1::RelationshipScore s = ScoreWith(a, keep);
  ExpectWellFormed(s);
  const v1::NextBestAction* survey =
      Find(s, v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY);
  ASSERT_NE(survey, nullptr) << s.DebugString();
  EXPECT_EQ(survey->playbook(), v1::PLAYBOOK_RETAIN_CLIENT);
  EXPECT_THAT(survey->rationale(), HasSubstr("relationship survey is due"));
  EXPECT_EQ(survey->suggested_time().seconds(), absl::ToUnixSeconds(kAsOf));

  // A survey a month away is not an action yet.
  keep.survey_due = kAsOf + 30 * kDay;
  const v1::RelationshipScore later = ScoreWith(a, keep);
  EXPECT_EQ(Find(later, v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY),
            nullptr);
}

TEST(NextBestActionsCadenceTest, NoSurveyIsEverSuggestedWhenFatigued) {
  KeepInTouchState keep;
  keep.survey = true;
  keep.survey_due = kAsOf - kDay;
  keep.survey_fatigued = true;
  for (const Account& a : {LawFirmClient(), FuelCardHolder(), GiftBuyer(),
                           BakeryRegular(), SalonVisitor()}) {
    const v1::RelationshipScore s = ScoreWith(a, keep);
    ExpectWellFormed(s);
    EXPECT_THAT(
        ActionKinds(s),
        Not(Contains(v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY)))
        << a.state().account;
  }
  // Without fatigue the same due survey is suggested to a customer.
  keep.survey_fatigued = false;
  const v1::RelationshipScore s = ScoreWith(FuelCardHolder(), keep);
  const v1::NextBestAction* survey =
      Find(s, v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY);
  ASSERT_NE(survey, nullptr) << s.DebugString();
}

}  // namespace
}  // namespace clientele::engagement::scoring_testing

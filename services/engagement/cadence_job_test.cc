// The cadence job over a real SQLite database with a fake clock: one
// follow-up per occurrence across repeated passes and a restart, nothing from
// paused cadences, one account-less follow-up per issue of a segment
// newsletter, greetings in the account's time zone, check-ins, post-purchase
// surveys under the fatigue limit (CSAT surveys counted), and next best
// actions that see the cadences.
#include "services/engagement/cadence_job.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/cadence_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::Duration kDay = kDayForTest;

absl::Time Utc(int y, int m, int d, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0),
                         absl::UTCTimeZone());
}

class CadenceJobTest : public CadenceFixture {
 protected:
  v1::Cadence Survey(type::v1::RelationshipMode mode, absl::Duration every) {
    v1::Cadence cadence;
    cadence.set_kind(v1::CADENCE_KIND_RELATIONSHIP_SURVEY);
    cadence.set_mode(mode);
    if (mode == type::v1::RELATIONSHIP_MODE_CLIENT) {
      SetDuration(every, cadence.mutable_interval());
    } else {
      SetDuration(every, cadence.mutable_delay_after_purchase());
    }
    return cadence;
  }

  void AddWithBirthday(
      const std::string& id, const std::string& time_zone, int month, int day,
      type::v1::LifecycleStage stage = type::v1::LIFECYCLE_STAGE_ACTIVE) {
    events::v1::AccountSnapshot account = Account(id);
    account.set_time_zone(time_zone);
    account.set_lifecycle_stage(stage);
    auto* birthday = account.add_greeting_dates();
    birthday->set_occasion(events::v1::GREETING_OCCASION_BIRTHDAY);
    birthday->mutable_date()->set_month(month);
    birthday->mutable_date()->set_day(day);
    PutAccount(account);
  }

  v1::RelationshipScore Score(const std::string& account) {
    auto score = backend_->scores().Get(
        caller(), absl::StrCat("accounts/", account, "/relationshipScore"),
        nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL);
    EXPECT_TRUE(score.ok()) << score.status();
    return score.ok() ? *score : v1::RelationshipScore();
  }
};

TEST_F(CadenceJobTest, OneFollowUpPerIssueAcrossPassesAndARestart) {
  AddAccount("a");
  auto cadence = Create(Newsletter(7 * kDay, "a"));
  ASSERT_TRUE(cadence.ok()) << cadence.status();
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(3 * kDay);
  EXPECT_EQ(Pass(), 0);
  Restart();
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(4 * kDay);
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Pass(), 0);

  const std::vector<v1::FollowUp> made = CadenceFollowUps();
  ASSERT_THAT(made, SizeIs(2));
  for (const v1::FollowUp& follow_up : made) {
    EXPECT_EQ(follow_up.account(), "accounts/a");
    EXPECT_EQ(follow_up.kind(), v1::FOLLOW_UP_KIND_EMAIL);
    EXPECT_EQ(follow_up.origin(), v1::FOLLOW_UP_ORIGIN_RULE);
    EXPECT_EQ(follow_up.cadence(), cadence->name());
    EXPECT_EQ(follow_up.assignee(), "owner-1");
  }
  EXPECT_EQ(ToTime(made[1].due_time()) - ToTime(made[0].due_time()), 7 * kDay);
}

TEST_F(CadenceJobTest, SegmentNewsletterMakesOneAccountlessFollowUpPerIssue) {
  for (const char* id : {"s1", "s2", "s3"}) {
    AddAccount(id, type::v1::ACCOUNT_SEGMENT_B2C);
  }
  AddAccount("firm", type::v1::ACCOUNT_SEGMENT_B2B);
  v1::Cadence b2c = Newsletter(30 * kDay);
  b2c.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  b2c.set_title("Monthly B2C newsletter");
  ASSERT_TRUE(Create(b2c).ok());
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Pass(), 0);
  const std::vector<v1::FollowUp> made = CadenceFollowUps();
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].account(), "");
  EXPECT_EQ(made[0].assignee(), "marketing-1");
  EXPECT_EQ(made[0].description(), "Monthly B2C newsletter");
  clock_.Advance(30 * kDay);
  EXPECT_EQ(Pass(), 1);
}

TEST_F(CadenceJobTest, PausedCadencesMakeNothing) {
  AddWithBirthday("a", "", 1, 2);
  v1::Cadence greeting;
  greeting.set_kind(v1::CADENCE_KIND_GREETING);
  greeting.set_paused(true);
  ASSERT_TRUE(Create(greeting).ok());
  v1::Cadence newsletter = Newsletter(7 * kDay);
  newsletter.set_paused(true);
  auto paused = Create(newsletter);
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(Pass(), 0);
  EXPECT_THAT(CadenceFollowUps(), IsEmpty());

  // Resumed, it issues for the current slot only.
  clock_.Advance(10 * kDay);
  v1::Cadence resume = *paused;
  resume.set_paused(false);
  google::protobuf::FieldMask mask;
  mask.add_paths("paused");
  ASSERT_TRUE(backend_->cadences().Update(caller(), resume, mask).ok());
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(ToTime(CadenceFollowUps()[0].due_time()),
            ToTime(paused->create_time()) + 7 * kDay);
}

TEST_F(CadenceJobTest, GreetingsOncePerDateAndYearInTheAccountsZone) {
  // 20 January in Tokyo starts on 19 January 15:00 UTC.
  AddWithBirthday("tokyo", "Asia/Tokyo", 1, 20);
  AddWithBirthday("gone", "Asia/Tokyo", 1, 20,
                  type::v1::LIFECYCLE_STAGE_CHURNED);
  v1::Cadence greeting;
  greeting.set_kind(v1::CADENCE_KIND_GREETING);  // lead time: 3 days
  ASSERT_TRUE(Create(greeting).ok());

  clock_.Set(Utc(2026, 1, 16, 14));
  EXPECT_EQ(Pass(), 0);
  clock_.Set(Utc(2026, 1, 16, 15));
  EXPECT_EQ(Pass(), 1);
  clock_.Set(Utc(2026, 1, 19, 12));
  EXPECT_EQ(Pass(), 0);
  std::vector<v1::FollowUp> made = CadenceFollowUps();
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].account(), "accounts/tokyo");
  EXPECT_EQ(made[0].kind(), v1::FOLLOW_UP_KIND_GENERAL);
  EXPECT_EQ(made[0].title(), "Send a birthday greeting (20 January)");
  EXPECT_EQ(ToTime(made[0].due_time()), Utc(2026, 1, 16, 15));

  clock_.Set(Utc(2027, 1, 18));
  EXPECT_EQ(Pass(), 1);
  EXPECT_THAT(CadenceFollowUps(), SizeIs(2));
}

TEST_F(CadenceJobTest, ClientsGetACheckInEveryInterval) {
  events::v1::AccountSnapshot client = Account("client");
  client.set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  client.set_account_manager("manager-1");
  PutAccount(client);
  AddAccount("customer");
  // Longer than the default fatigue window (one survey per 90 days).
  ASSERT_TRUE(
      Create(Survey(type::v1::RELATIONSHIP_MODE_CLIENT, 100 * kDay)).ok());
  clock_.Advance(99 * kDay);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kDay);
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Pass(), 0);
  const std::vector<v1::FollowUp> made = CadenceFollowUps();
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].account(), "accounts/client");
  EXPECT_EQ(made[0].kind(), v1::FOLLOW_UP_KIND_SEND_SURVEY);
  EXPECT_EQ(made[0].assignee(), "manager-1");
  // The next one an interval after the last.
  clock_.Advance(99 * kDay);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kDay);
  EXPECT_EQ(Pass(), 1);
}

TEST_F(CadenceJobTest,
       CustomersAreAskedAfterEachPurchaseWithinTheFatigueLimit) {
  AddAccount("shopper");
  ASSERT_TRUE(
      Create(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER, 7 * kDay)).ok());
  ASSERT_TRUE(
      Record("shopper", v1::INTERACTION_KIND_PURCHASE, clock_.Now()).ok());
  clock_.Advance(6 * kDay);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kDay);
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Pass(), 0);

  // A second purchase a day later: its survey falls due within the 90-day
  // window the default policy allows one survey in, so it waits.
  clock_.Advance(kDay);
  ASSERT_TRUE(
      Record("shopper", v1::INTERACTION_KIND_PURCHASE, clock_.Now()).ok());
  clock_.Advance(7 * kDay);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(83 * kDay);
  EXPECT_EQ(Pass(), 1);  // over 90 days after the first survey
  EXPECT_EQ(Pass(), 0);
  EXPECT_THAT(CadenceFollowUps(), SizeIs(2));
}

TEST_F(CadenceJobTest, ACsatSurveyAfterASolvedTicketCountsTowardFatigue) {
  AddAccount("shopper");
  ASSERT_TRUE(
      Create(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER, 7 * kDay)).ok());
  SolveTicket("shopper", "t-1", clock_.Now());
  ASSERT_TRUE(
      Record("shopper", v1::INTERACTION_KIND_PURCHASE, clock_.Now()).ok());
  clock_.Advance(7 * kDay);
  EXPECT_EQ(Pass(), 0);
  EXPECT_THAT(CadenceFollowUps(), IsEmpty());
  // Once the CSAT survey leaves the window, the purchase's survey comes.
  clock_.Advance(84 * kDay);
  EXPECT_EQ(Pass(), 1);
}

TEST_F(CadenceJobTest, AnOrderIsAskedAboutOnceEvenWhenItChanges) {
  AddAccount("shopper");
  // Room for more than one survey: only the order's identity holds it back.
  v1::ScoringPolicy policy;
  policy.set_name("scoringPolicy");
  policy.mutable_keep_in_touch()->set_max_surveys_per_window(3);
  google::protobuf::FieldMask policy_mask;
  policy_mask.add_paths("keep_in_touch.max_surveys_per_window");
  ASSERT_TRUE(backend_->policies().Update(caller(), policy, policy_mask).ok());
  ASSERT_TRUE(
      Create(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER, 7 * kDay)).ok());

  v1::CreateOrderRequest place;
  v1::Order* order = place.mutable_order();
  order->set_account("accounts/shopper");
  v1::OrderItem* item = order->add_items();
  item->set_product("Oak table");
  item->set_quantity(1);
  item->mutable_unit_price()->set_currency_code("EUR");
  item->mutable_unit_price()->set_amount_minor_units(50000);
  auto placed = backend_->orders().Create(
      testing::CallerServingForTest(caller(), place), place.order());
  ASSERT_TRUE(placed.ok()) << placed.status();
  clock_.Advance(7 * kDay);
  EXPECT_EQ(Pass(), 1);

  // A new assignee records the order's PURCHASE again, under a new id: it
  // is still the same purchase.
  v1::Order change;
  change.set_name(placed->name());
  change.set_assignee("fitter-2");
  google::protobuf::FieldMask mask;
  mask.add_paths("assignee");
  ASSERT_TRUE(backend_->orders().Update(caller(), change, mask).ok());
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kDay);
  EXPECT_EQ(Pass(), 0);
  EXPECT_THAT(CadenceFollowUps(), SizeIs(1));
}

TEST_F(CadenceJobTest, NextBestActionsSeeTheCadences) {
  AddWithBirthday("a", "Europe/Paris", 1, 20);
  for (int week = 8; week > 0; --week) {
    ASSERT_TRUE(Record("a", v1::INTERACTION_KIND_PURCHASE,
                       clock_.Now() - week * 7 * kDay)
                    .ok());
  }
  v1::Cadence greeting;
  greeting.set_kind(v1::CADENCE_KIND_GREETING);
  ASSERT_TRUE(Create(greeting).ok());
  const v1::RelationshipScore score = Score("a");
  bool greets = false;
  for (const auto& action : score.next_best_actions()) {
    if (action.kind() == v1::NEXT_BEST_ACTION_KIND_SEND_GREETING) {
      greets = true;
      EXPECT_THAT(action.rationale(), HasSubstr("Birthday coming up"));
      // 20 January 00:00 in Paris (UTC+1), three days ahead.
      EXPECT_EQ(ToTime(action.suggested_time()), Utc(2026, 1, 16, 23));
    }
    EXPECT_NE(action.kind(),
              v1::NEXT_BEST_ACTION_KIND_START_KEEP_IN_TOUCH_CADENCE);
  }
  EXPECT_TRUE(greets) << score.DebugString();
}

}  // namespace
}  // namespace clientele::engagement

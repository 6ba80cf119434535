// When cadences fall due (cadence_schedule.h) and what their touches make
// (CadenceFollowUp), with no I/O.
#include "services/engagement/cadence_schedule.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/cadence_rules.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr absl::Duration kDay = absl::Hours(24);

absl::Time Utc(int y, int m, int d, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, minute, 0),
                         absl::UTCTimeZone());
}

// Thursday 1 January 2026, 09:00 UTC: every cadence here starts then.
const absl::Time kStart = Utc(2026, 1, 1, 9);

v1::Cadence Cadence(v1::CadenceKind kind) {
  v1::Cadence cadence;
  cadence.set_name("cadences/c1");
  cadence.set_kind(kind);
  SetTimestamp(kStart, cadence.mutable_create_time());
  return cadence;
}

v1::Cadence Newsletter(absl::Duration interval) {
  v1::Cadence cadence = Cadence(v1::CADENCE_KIND_NEWSLETTER);
  SetDuration(interval, cadence.mutable_interval());
  return cadence;
}

v1::Cadence Greeting(absl::Duration lead_time) {
  v1::Cadence cadence = Cadence(v1::CADENCE_KIND_GREETING);
  SetDuration(lead_time, cadence.mutable_lead_time());
  return cadence;
}

v1::Cadence Survey(type::v1::RelationshipMode mode) {
  v1::Cadence cadence = Cadence(v1::CADENCE_KIND_RELATIONSHIP_SURVEY);
  cadence.set_mode(mode);
  SetDuration(90 * kDay, cadence.mutable_interval());
  SetDuration(7 * kDay, cadence.mutable_delay_after_purchase());
  return cadence;
}

events::v1::AccountSnapshot AccountWith(const std::string& time_zone,
                                        events::v1::GreetingOccasion occasion,
                                        int year, int month, int day) {
  events::v1::AccountSnapshot account;
  account.set_name("accounts/a1");
  account.set_time_zone(time_zone);
  auto* greeting = account.add_greeting_dates();
  greeting->set_occasion(occasion);
  greeting->mutable_date()->set_year(year);
  greeting->mutable_date()->set_month(month);
  greeting->mutable_date()->set_day(day);
  return account;
}

std::vector<std::string> Occurrences(const std::vector<DueTouch>& touches) {
  std::vector<std::string> out;
  out.reserve(touches.size());
  for (const DueTouch& touch : touches) {
    out.push_back(touch.occurrence);
  }
  return out;
}

std::string Issue(absl::Time slot) {
  return absl::StrCat("issue/", ToMicros(slot));
}

TEST(CadenceScheduleTest, NewsletterMakesOneIssuePerSlotFromCreation) {
  const v1::Cadence weekly = Newsletter(7 * kDay);
  const events::v1::AccountSnapshot none;
  CadenceHistory history;
  EXPECT_THAT(DueTouches(weekly, none, history, kStart - absl::Seconds(1)),
              IsEmpty());
  std::vector<DueTouch> first = DueTouches(weekly, none, history, kStart);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].occurrence, Issue(kStart));
  EXPECT_EQ(first[0].due, kStart);

  // Once the slot's issue is made, nothing more until the next slot.
  history.last_touch = kStart;
  EXPECT_THAT(DueTouches(weekly, none, history, kStart + 6 * kDay), IsEmpty());
  EXPECT_THAT(Occurrences(DueTouches(weekly, none, history, kStart + 7 * kDay)),
              ElementsAre(Issue(kStart + 7 * kDay)));

  // Missed slots are not made up: one issue, for the current slot.
  history.last_touch = kStart + 7 * kDay;
  EXPECT_THAT(
      Occurrences(DueTouches(weekly, none, history, kStart + 30 * kDay)),
      ElementsAre(Issue(kStart + 28 * kDay)));

  // A new interval does not repeat the issue of the slot already served.
  history.last_touch = kStart + 28 * kDay;
  EXPECT_THAT(
      DueTouches(Newsletter(14 * kDay), none, history, kStart + 29 * kDay),
      IsEmpty());

  v1::Cadence paused = weekly;
  paused.set_paused(true);
  EXPECT_THAT(DueTouches(paused, none, CadenceHistory(), kStart + 70 * kDay),
              IsEmpty());
}

TEST(CadenceScheduleTest,
     GreetingIsDueLeadTimeBeforeMidnightInTheAccountsZone) {
  const v1::Cadence on_the_day = Greeting(absl::ZeroDuration());
  // 10 January in Auckland (UTC+13 in summer) begins on 9 January 11:00 UTC.
  const auto auckland = AccountWith(
      "Pacific/Auckland", events::v1::GREETING_OCCASION_BIRTHDAY, 0, 1, 10);
  EXPECT_THAT(DueTouches(on_the_day, auckland, {}, Utc(2026, 1, 9, 10, 59)),
              IsEmpty());
  std::vector<DueTouch> due =
      DueTouches(on_the_day, auckland, {}, Utc(2026, 1, 9, 11));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].occurrence, "greeting/2026-01-10/1");
  EXPECT_EQ(due[0].due, Utc(2026, 1, 9, 11));
  EXPECT_EQ(due[0].occasion, events::v1::GREETING_OCCASION_BIRTHDAY);

  // In Los Angeles (UTC-8) the same day runs 08:00 UTC to 08:00 UTC.
  const auto los_angeles = AccountWith(
      "America/Los_Angeles", events::v1::GREETING_OCCASION_BIRTHDAY, 0, 1, 10);
  EXPECT_THAT(DueTouches(on_the_day, los_angeles, {}, Utc(2026, 1, 10, 7)),
              IsEmpty());
  EXPECT_THAT(
      Occurrences(DueTouches(on_the_day, los_angeles, {}, Utc(2026, 1, 11, 7))),
      ElementsAre("greeting/2026-01-10/1"));
  // Once the day is over there, a greeting is no longer worth sending.
  EXPECT_THAT(DueTouches(on_the_day, los_angeles, {}, Utc(2026, 1, 11, 8)),
              IsEmpty());

  // Three days' lead: due three days before; no time zone (or an unknown
  // one) reads as UTC.
  const v1::Cadence ahead = Greeting(3 * kDay);
  for (const char* zone : {"", "Mars/Olympus_Mons", "../../etc/passwd"}) {
    const auto account =
        AccountWith(zone, events::v1::GREETING_OCCASION_BIRTHDAY, 0, 1, 10);
    EXPECT_THAT(DueTouches(ahead, account, {}, Utc(2026, 1, 6, 23, 59)),
                IsEmpty())
        << zone;
    due = DueTouches(ahead, account, {}, Utc(2026, 1, 7));
    ASSERT_EQ(due.size(), 1u) << zone;
    EXPECT_EQ(due[0].due, Utc(2026, 1, 7)) << zone;
  }
}

TEST(CadenceScheduleTest, February29FallsOnThe28thInOtherYears) {
  const v1::Cadence greeting = Greeting(absl::ZeroDuration());
  const auto leapling =
      AccountWith("", events::v1::GREETING_OCCASION_BIRTHDAY, 2000, 2, 29);
  EXPECT_THAT(
      Occurrences(DueTouches(greeting, leapling, {}, Utc(2027, 2, 28, 12))),
      ElementsAre("greeting/2027-02-28/1"));
  EXPECT_THAT(DueTouches(greeting, leapling, {}, Utc(2027, 3, 1, 12)),
              IsEmpty());
  EXPECT_THAT(DueTouches(greeting, leapling, {}, Utc(2028, 2, 28, 12)),
              IsEmpty());
  EXPECT_THAT(
      Occurrences(DueTouches(greeting, leapling, {}, Utc(2028, 2, 29, 12))),
      ElementsAre("greeting/2028-02-29/1"));
}

TEST(CadenceScheduleTest, YearZeroRecursAndADatedHolidayHappensOnce) {
  const v1::Cadence greeting = Greeting(5 * kDay);
  // Year 0: every year, and a lead time may reach back into December.
  const auto new_year =
      AccountWith("", events::v1::GREETING_OCCASION_HOLIDAY, 0, 1, 2);
  EXPECT_THAT(
      Occurrences(DueTouches(greeting, new_year, {}, Utc(2026, 12, 29))),
      ElementsAre("greeting/2027-01-02/4"));
  EXPECT_THAT(Occurrences(DueTouches(greeting, new_year, {}, Utc(2030, 1, 1))),
              ElementsAre("greeting/2030-01-02/4"));
  // A holiday with a year is that year's only.
  const auto once =
      AccountWith("", events::v1::GREETING_OCCASION_HOLIDAY, 2026, 6, 15);
  EXPECT_THAT(Occurrences(DueTouches(greeting, once, {}, Utc(2026, 6, 12))),
              ElementsAre("greeting/2026-06-15/4"));
  EXPECT_THAT(DueTouches(greeting, once, {}, Utc(2027, 6, 12)), IsEmpty());
  // A birthday's year is the first one.
  const auto birthday =
      AccountWith("", events::v1::GREETING_OCCASION_BIRTHDAY, 1984, 6, 15);
  EXPECT_THAT(Occurrences(DueTouches(greeting, birthday, {}, Utc(2031, 6, 14))),
              ElementsAre("greeting/2031-06-15/1"));
}

TEST(CadenceScheduleTest, NextGreetingLooksSixtyDaysAhead) {
  const v1::Cadence greeting = Greeting(3 * kDay);
  auto account = AccountWith("Europe/Berlin",
                             events::v1::GREETING_OCCASION_FOUNDING_ANNIVERSARY,
                             1998, 3, 1);
  auto* birthday = account.add_greeting_dates();
  birthday->set_occasion(events::v1::GREETING_OCCASION_BIRTHDAY);
  birthday->mutable_date()->set_month(2);
  birthday->mutable_date()->set_day(20);
  const absl::Time now = Utc(2026, 1, 10);
  std::optional<DueTouch> next =
      NextGreeting(greeting, account, now, kGreetingHorizon);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->occasion, events::v1::GREETING_OCCASION_BIRTHDAY);
  // 20 February 00:00 in Berlin (UTC+1), three days earlier.
  EXPECT_EQ(next->due, Utc(2026, 2, 16, 23));
  EXPECT_EQ(OccasionWords(next->occasion), "birthday");
  // Nothing within ten days.
  EXPECT_FALSE(NextGreeting(greeting, account, now, 10 * kDay).has_value());
  // On the day itself it is still the next greeting (due already).
  next =
      NextGreeting(greeting, account, Utc(2026, 2, 20, 12), kGreetingHorizon);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->occurrence, "greeting/2026-02-20/1");
}

TEST(CadenceScheduleTest, ClientCheckInComesAnIntervalAfterTheLastSurvey) {
  const v1::Cadence check_in = Survey(type::v1::RELATIONSHIP_MODE_CLIENT);
  const events::v1::AccountSnapshot account;
  CadenceHistory history;
  history.mode = type::v1::RELATIONSHIP_MODE_CLIENT;
  // Counted from the cadence's start.
  EXPECT_THAT(DueTouches(check_in, account, history, kStart + 89 * kDay),
              IsEmpty());
  EXPECT_THAT(
      Occurrences(DueTouches(check_in, account, history, kStart + 91 * kDay)),
      ElementsAre(absl::StrCat("check-in/", ToMicros(kStart + 90 * kDay))));
  // An answered survey (or a survey sent) restarts the interval.
  history.last_survey_response = kStart + 60 * kDay;
  EXPECT_THAT(DueTouches(check_in, account, history, kStart + 91 * kDay),
              IsEmpty());
  EXPECT_EQ(NextSurveyDue(check_in, history), kStart + 150 * kDay);
  history.last_survey_touch = kStart + 100 * kDay;
  EXPECT_EQ(NextSurveyDue(check_in, history), kStart + 190 * kDay);
}

TEST(CadenceScheduleTest, CustomerSurveyFollowsEachPurchaseOnce) {
  const v1::Cadence after_purchase =
      Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER);
  const events::v1::AccountSnapshot account;
  CadenceHistory history;
  EXPECT_THAT(DueTouches(after_purchase, account, history, kStart + 60 * kDay),
              IsEmpty());
  EXPECT_FALSE(NextSurveyDue(after_purchase, history).has_value());

  history.last_purchase_id = "p-1";
  history.last_purchase_time = kStart + 10 * kDay;
  EXPECT_EQ(NextSurveyDue(after_purchase, history), kStart + 17 * kDay);
  EXPECT_THAT(DueTouches(after_purchase, account, history, kStart + 16 * kDay),
              IsEmpty());
  std::vector<DueTouch> due =
      DueTouches(after_purchase, account, history, kStart + 17 * kDay);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].occurrence, "purchase/p-1");
  EXPECT_EQ(due[0].due, kStart + 17 * kDay);

  history.last_purchase_surveyed = true;
  EXPECT_THAT(DueTouches(after_purchase, account, history, kStart + 20 * kDay),
              IsEmpty());
  EXPECT_FALSE(NextSurveyDue(after_purchase, history).has_value());

  // A purchase whose survey fell due before the cadence existed gets none.
  history.last_purchase_surveyed = false;
  history.last_purchase_time = kStart - 30 * kDay;
  EXPECT_THAT(DueTouches(after_purchase, account, history, kStart + kDay),
              IsEmpty());
}

TEST(CadenceScheduleTest, FatigueCountsEverySurveyInTheWindow) {
  v1::KeepInTouch limits;
  SetDuration(90 * kDay, limits.mutable_survey_fatigue_window());
  limits.set_max_surveys_per_window(2);
  CadenceHistory history;
  history.surveys_in_window = 1;  // say one CSAT survey after a solve
  EXPECT_FALSE(SurveyFatigued(history, limits));
  history.surveys_in_window = 2;
  EXPECT_TRUE(SurveyFatigued(history, limits));
}

TEST(CadenceScheduleTest, ModeAndCoverage) {
  events::v1::AccountSnapshot account;
  EXPECT_EQ(AccountMode(account, type::v1::RELATIONSHIP_MODE_UNSPECIFIED),
            type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(AccountMode(account, type::v1::RELATIONSHIP_MODE_TRANSITIONING),
            type::v1::RELATIONSHIP_MODE_TRANSITIONING);
  account.set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(AccountMode(account, type::v1::RELATIONSHIP_MODE_CUSTOMER),
            type::v1::RELATIONSHIP_MODE_CLIENT);

  account.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  v1::Cadence cadence = Newsletter(7 * kDay);
  const auto client = type::v1::RELATIONSHIP_MODE_CLIENT;
  EXPECT_TRUE(CadenceCovers(cadence, "a1", account, client));
  cadence.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  EXPECT_FALSE(CadenceCovers(cadence, "a1", account, client));
  cadence.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  cadence.set_mode(type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_FALSE(CadenceCovers(cadence, "a1", account, client));
  cadence.clear_mode();
  cadence.clear_segment();
  cadence.set_account("accounts/a2");
  EXPECT_FALSE(CadenceCovers(cadence, "a1", account, client));
  EXPECT_TRUE(CadenceCovers(cadence, "a2", account, client));
}

TEST(CadenceScheduleTest, TouchesMakeFollowUpsForTheRightPerson) {
  events::v1::AccountSnapshot account =
      AccountWith("", events::v1::GREETING_OCCASION_BIRTHDAY, 0, 3, 14);
  account.set_owner("owner-1");
  v1::Cadence greeting = Greeting(3 * kDay);
  const std::vector<DueTouch> due =
      DueTouches(greeting, account, {}, Utc(2026, 3, 11));
  ASSERT_EQ(due.size(), 1u);
  v1::FollowUp follow_up = CadenceFollowUp(greeting, "a1", account, due[0]);
  EXPECT_EQ(follow_up.account(), "accounts/a1");
  EXPECT_EQ(follow_up.kind(), v1::FOLLOW_UP_KIND_GENERAL);
  EXPECT_EQ(follow_up.title(), "Send a birthday greeting (14 March)");
  EXPECT_EQ(follow_up.assignee(), "owner-1");
  EXPECT_EQ(follow_up.rule(), v1::FOLLOW_UP_RULE_CADENCE);
  EXPECT_EQ(follow_up.cadence(), "cadences/c1");
  EXPECT_EQ(follow_up.source(), "cadences/c1");
  EXPECT_EQ(ToTime(follow_up.due_time()), Utc(2026, 3, 11));

  account.set_account_manager("manager-1");
  EXPECT_EQ(CadenceFollowUp(greeting, "a1", account, due[0]).assignee(),
            "manager-1");
  greeting.set_assignee("marketing-1");
  EXPECT_EQ(CadenceFollowUp(greeting, "a1", account, due[0]).assignee(),
            "marketing-1");

  v1::Cadence segment_newsletter = Newsletter(7 * kDay);
  segment_newsletter.set_assignee("marketing-1");
  segment_newsletter.set_title("Weekly offers");
  const DueTouch issue = DueTouches(segment_newsletter, {}, {}, kStart)[0];
  follow_up = CadenceFollowUp(segment_newsletter, "", {}, issue);
  EXPECT_EQ(follow_up.account(), "");
  EXPECT_EQ(follow_up.kind(), v1::FOLLOW_UP_KIND_EMAIL);
  EXPECT_EQ(follow_up.description(), "Weekly offers");
  EXPECT_EQ(follow_up.assignee(), "marketing-1");

  const v1::Cadence survey = Survey(type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(CadenceFollowUp(survey, "a1", account, issue).kind(),
            v1::FOLLOW_UP_KIND_SEND_SURVEY);

  // Ids: the same for the same touch, different for another.
  EXPECT_EQ(CadenceFollowUpId("c1", "a1", "x"),
            CadenceFollowUpId("c1", "a1", "x"));
  EXPECT_NE(CadenceFollowUpId("c1", "a1", "x"),
            CadenceFollowUpId("c1", "a", "1x"));
  EXPECT_LE(CadenceFollowUpId("c1", "a1", "x").size(), 64u);
}

}  // namespace
}  // namespace clientele::engagement

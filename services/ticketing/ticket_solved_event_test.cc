// The TicketSolved event a solve publishes, as reporting reads it: elapsed
// and working-hours durations, and a snapshot of every SLA clock.
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_policy_manager.h"
#include "services/ticketing/ticket_manager_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

absl::Time Utc(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute),
                         absl::UTCTimeZone());
}

class TicketSolvedEventTest : public TicketManagerTest {
 protected:
  // Monday to Friday, 09:00-17:00 in Istanbul (UTC+3 all year): first
  // response within 2 working hours, resolution within 8.
  void CreateOfficeHoursPolicy() {
    v1::SlaPolicy policy;
    policy.set_display_name("Office hours");
    policy.set_rank(10);
    *policy.mutable_first_response_target() = ToDurationProto(absl::Hours(2));
    *policy.mutable_resolution_target() = ToDurationProto(absl::Hours(8));
    v1::BusinessCalendar* calendar = policy.mutable_business_calendar();
    calendar->set_time_zone("Europe/Istanbul");
    for (int day = v1::WEEKDAY_MONDAY; day <= v1::WEEKDAY_FRIDAY; ++day) {
      v1::WorkingHours* hours = calendar->add_working_hours();
      hours->set_weekday(static_cast<v1::Weekday>(day));
      hours->set_start_minute(9 * 60);
      hours->set_end_minute(17 * 60);
    }
    SlaPolicyManager policies(deps_);
    Caller admin = Agent();
    admin.actor = "role:admin";
    auto created = policies.Create(admin, policy);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  // The one TicketSolved in the outbox.
  events::v1::TicketSolved SolvedEvent() {
    auto outbox = clientele::testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    std::vector<events::v1::TicketSolved> solved;
    if (outbox.ok()) {
      for (const auto& event : *outbox) {
        if (event.has_ticket_solved()) solved.push_back(event.ticket_solved());
      }
    }
    EXPECT_THAT(solved, SizeIs(1));
    return solved.empty() ? events::v1::TicketSolved() : solved[0];
  }

  static const events::v1::SlaClockSnapshot* ClockOf(
      const events::v1::TicketSolved& solved, events::v1::SlaMetric metric) {
    for (const auto& clock : solved.sla_clocks()) {
      if (clock.metric() == metric) return &clock;
    }
    return nullptr;
  }
};

TEST_F(TicketSolvedEventTest, CarriesWorkingHoursAndTheClocks) {
  CreateOfficeHoursPolicy();
  // Created Friday 15:00 in Istanbul (12:00 UTC; MustCreate adds a second).
  clock_.Set(Utc(2026, 1, 9, 12) - absl::Seconds(1));
  const v1::Ticket ticket = MustCreate(Draft("a1"));
  ASSERT_EQ(ToTime(ticket.create_time()), Utc(2026, 1, 9, 12));
  // First reply Monday 09:30 in Istanbul (06:30 UTC; Comment adds a minute):
  // 66.5 hours later, 2.5 working hours (Friday 15-17, Monday 09-09:30), so
  // the 2-hour target breached at Friday 17:00.
  clock_.Set(Utc(2026, 1, 12, 6, 29));
  ASSERT_TRUE(Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                      v1::COMMENT_VISIBILITY_PUBLIC_REPLY)
                  .ok());
  // Solved Monday 13:00 in Istanbul (10:00 UTC; Status adds a minute): 70
  // hours, 6 working hours (Friday 2, Monday 4), within the 8-hour target.
  clock_.Set(Utc(2026, 1, 12, 9, 59));
  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_SOLVED).ok());

  const events::v1::TicketSolved solved = SolvedEvent();
  EXPECT_EQ(ToDuration(solved.first_response_duration()),
            absl::Minutes(66 * 60 + 30));
  EXPECT_EQ(ToDuration(solved.business_first_response_duration()),
            absl::Minutes(150));
  EXPECT_EQ(ToDuration(solved.resolution_duration()), absl::Hours(70));
  EXPECT_EQ(ToDuration(solved.business_resolution_duration()), absl::Hours(6));
  EXPECT_TRUE(solved.sla_breached());

  ASSERT_THAT(solved.sla_clocks(), SizeIs(2));
  const auto* first = ClockOf(solved, events::v1::SLA_METRIC_FIRST_RESPONSE);
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(first->breached());
  EXPECT_EQ(ToTime(first->due_time()), Utc(2026, 1, 9, 14));
  EXPECT_EQ(ToTime(first->stop_time()), Utc(2026, 1, 12, 6, 30));
  EXPECT_EQ(ToDuration(first->elapsed()), absl::Minutes(150));
  const auto* resolution = ClockOf(solved, events::v1::SLA_METRIC_RESOLUTION);
  ASSERT_NE(resolution, nullptr);
  EXPECT_FALSE(resolution->breached());
  // Eight working hours: Friday 15-17, Monday 09-15 in Istanbul.
  EXPECT_EQ(ToTime(resolution->due_time()), Utc(2026, 1, 12, 12));
  EXPECT_EQ(ToTime(resolution->stop_time()), Utc(2026, 1, 12, 10));
  EXPECT_EQ(ToDuration(resolution->elapsed()), absl::Hours(6));
}

TEST_F(TicketSolvedEventTest, WithoutClocksTheWorkingTimeIsTheElapsedTime) {
  // No SLA policy: no clocks, and no reply before the solve.
  const v1::Ticket ticket = MustCreate(Draft("a1"));
  clock_.Advance(absl::Hours(5));
  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_SOLVED).ok());

  const events::v1::TicketSolved solved = SolvedEvent();
  EXPECT_THAT(solved.sla_clocks(), IsEmpty());
  EXPECT_FALSE(solved.sla_breached());
  EXPECT_FALSE(solved.has_first_response_duration());
  EXPECT_FALSE(solved.has_business_first_response_duration());
  EXPECT_EQ(ToDuration(solved.resolution_duration()),
            absl::Hours(5) + absl::Minutes(1));
  EXPECT_EQ(ToDuration(solved.business_resolution_duration()),
            absl::Hours(5) + absl::Minutes(1));
}

}  // namespace
}  // namespace clientele::ticketing

#include "services/ticketing/sla/sla_clock.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"

namespace clientele::ticketing::sla {
namespace {

constexpr v1::SlaMetric kFirst = v1::SLA_METRIC_FIRST_RESPONSE;
constexpr v1::SlaMetric kNext = v1::SLA_METRIC_NEXT_RESPONSE;
constexpr v1::SlaMetric kResolution = v1::SLA_METRIC_RESOLUTION;
constexpr v1::SlaClockState kRunning = v1::SLA_CLOCK_STATE_RUNNING;
constexpr v1::SlaClockState kPaused = v1::SLA_CLOCK_STATE_PAUSED;
constexpr v1::SlaClockState kMet = v1::SLA_CLOCK_STATE_MET;
constexpr v1::SlaClockState kBreached = v1::SLA_CLOCK_STATE_BREACHED;

// Monday 2024-06-17 at h:m UTC, for the around-the-clock cases.
absl::Time T(int h, int m = 0) {
  return absl::FromCivil(absl::CivilMinute(2024, 6, 17, h, m),
                         absl::UTCTimeZone());
}

absl::Time Zoned(const char* zone_name, int y, int mo, int d, int h,
                 int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

// Berlin local time (no change on the days used).
absl::Time Berlin(int y, int mo, int d, int h, int mi = 0) {
  return Zoned("Europe/Berlin", y, mo, d, h, mi);
}

absl::Time NewYork(int y, int mo, int d, int h, int mi = 0) {
  return Zoned("America/New_York", y, mo, d, h, mi);
}

Step Created(absl::Time t, v1::TicketStatus status = v1::TICKET_STATUS_NEW) {
  return {t, Step::kCreated, status};
}
Step Status(absl::Time t, v1::TicketStatus status) {
  return {t, Step::kStatus, status};
}
Step Agent(absl::Time t) { return {t, Step::kAgentReply}; }
Step Requester(absl::Time t) { return {t, Step::kRequesterReply}; }

constexpr v1::TicketStatus kOpen = v1::TICKET_STATUS_OPEN;
constexpr v1::TicketStatus kPending = v1::TICKET_STATUS_PENDING;
constexpr v1::TicketStatus kOnHold = v1::TICKET_STATUS_ON_HOLD;
constexpr v1::TicketStatus kSolved = v1::TICKET_STATUS_SOLVED;
constexpr v1::TicketStatus kClosed = v1::TICKET_STATUS_CLOSED;

// First response 1h, next response 2h, resolution 8h, at risk at 80%.
Targets Standard() {
  Targets targets;
  targets.first_response = absl::Hours(1);
  targets.next_response = absl::Hours(2);
  targets.resolution = absl::Hours(8);
  return targets;
}

Targets With(std::optional<absl::Duration> first,
             std::optional<absl::Duration> next,
             std::optional<absl::Duration> resolution) {
  Targets targets;
  targets.first_response = first;
  targets.next_response = next;
  targets.resolution = resolution;
  return targets;
}

v1::BusinessCalendar Office(const std::string& zone) {
  v1::BusinessCalendar proto;
  proto.set_time_zone(zone);
  for (int d = v1::WEEKDAY_MONDAY; d <= v1::WEEKDAY_FRIDAY; ++d) {
    v1::WorkingHours* hours = proto.add_working_hours();
    hours->set_weekday(static_cast<v1::Weekday>(d));
    hours->set_start_minute(9 * 60);
    hours->set_end_minute(17 * 60);
  }
  return proto;
}

void AddHoliday(int year, int month, int day, v1::BusinessCalendar* proto) {
  type::v1::Date* date = proto->add_holidays();
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

BusinessCalendar Calendar(const std::string& name) {
  v1::BusinessCalendar proto;
  if (name == "24x7") return BusinessCalendar::AroundTheClock();
  if (name == "berlin_office") {
    proto = Office("Europe/Berlin");
  } else if (name == "berlin_holidays") {
    proto = Office("Europe/Berlin");
    AddHoliday(2024, 12, 24, &proto);
    AddHoliday(0, 12, 25, &proto);
    AddHoliday(0, 12, 26, &proto);
  } else if (name == "ny_office") {
    proto = Office("America/New_York");
  } else if (name == "never") {
    proto = Office("Europe/Berlin");
    for (absl::CivilDay day(2000, 1, 1); day.year() == 2000; ++day) {
      AddHoliday(0, day.month(), day.day(), &proto);
    }
  } else {
    ADD_FAILURE() << "unknown calendar " << name;
  }
  absl::StatusOr<BusinessCalendar> calendar =
      BusinessCalendar::FromProto(proto, "");
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return calendar.ok() ? *calendar : BusinessCalendar::AroundTheClock();
}

struct Want {
  v1::SlaMetric metric;
  v1::SlaClockState state;
  absl::Time start;
  absl::Duration elapsed;
  std::optional<absl::Time> due;  // unset: no due time
  std::optional<absl::Time> stop;
  bool running = false;
  bool at_risk = false;
};

struct ClockCase {
  std::string name;
  std::vector<Step> steps;
  absl::Time now;
  std::vector<Want> want;
  Targets targets = Standard();
  std::string calendar = "24x7";
};

std::string Format(std::optional<absl::Time> t) {
  return t ? absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", *t, absl::UTCTimeZone())
           : "unset";
}

void ExpectClocks(const ClockCase& c) {
  SCOPED_TRACE(c.name);
  const std::vector<ClockResult> got =
      ComputeClocks(c.steps, c.targets, Calendar(c.calendar), c.now);
  ASSERT_EQ(got.size(), c.want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const Want& want = c.want[i];
    const ClockResult& result = got[i];
    const v1::SlaClock& clock = result.clock;
    SCOPED_TRACE(v1::SlaMetric_Name(want.metric));
    EXPECT_EQ(clock.metric(), want.metric);
    EXPECT_EQ(v1::SlaClockState_Name(clock.state()),
              v1::SlaClockState_Name(want.state));
    EXPECT_EQ(Format(ToTime(clock.start_time())), Format(want.start));
    EXPECT_EQ(ToDuration(clock.elapsed()), want.elapsed);
    const std::optional<absl::Time> due =
        clock.has_due_time() ? std::optional(ToTime(clock.due_time()))
                             : std::nullopt;
    EXPECT_EQ(Format(due), Format(want.due));
    const std::optional<absl::Time> stop =
        clock.has_stop_time() ? std::optional(ToTime(clock.stop_time()))
                              : std::nullopt;
    EXPECT_EQ(Format(stop), Format(want.stop));
    EXPECT_EQ(clock.at_risk(), want.at_risk);
    EXPECT_EQ(result.running, want.running);
    // The index sees the due time of clocks that have not stopped.
    EXPECT_EQ(Format(result.due_time), Format(want.stop ? std::nullopt : due));
  }
}

TEST(SlaClockTest, AroundTheClock) {
  const std::vector<ClockCase> cases = {
      {"a new ticket runs",
       {Created(T(10))},
       T(10, 30),
       {{kFirst, kRunning, T(10), absl::Minutes(30), T(11), {}, true},
        {kResolution, kRunning, T(10), absl::Minutes(30), T(18), {}, true}}},
      {"at risk after 80% of the target",
       {Created(T(10))},
       T(10, 50),
       {{kFirst, kRunning, T(10), absl::Minutes(50), T(11), {}, true, true},
        {kResolution, kRunning, T(10), absl::Minutes(50), T(18), {}, true}}},
      {"running at its due time is breached",
       {Created(T(10))},
       T(11),
       {{kFirst, kBreached, T(10), absl::Hours(1), T(11), {}, true},
        {kResolution, kRunning, T(10), absl::Hours(1), T(18), {}, true}}},
      {"first reply in time",
       {Created(T(10)), Agent(T(10, 40))},
       T(12),
       {{kFirst, kMet, T(10), absl::Minutes(40), T(11), T(10, 40)},
        {kResolution, kRunning, T(10), absl::Hours(2), T(18), {}, true}}},
      {"first reply late",
       {Created(T(10)), Agent(T(11, 10))},
       T(12),
       {{kFirst, kBreached, T(10), absl::Minutes(70), T(11), T(11, 10)},
        {kResolution, kRunning, T(10), absl::Hours(2), T(18), {}, true}}},
      {"pending pauses; a requester reply starts next response",
       {Created(T(10)), Agent(T(10, 30)), Status(T(10, 30), kPending),
        Requester(T(12)), Status(T(12), kOpen)},
       T(13),
       {{kFirst, kMet, T(10), absl::Minutes(30), T(11), T(10, 30)},
        {kNext, kRunning, T(12), absl::Hours(1), T(14), {}, true},
        {kResolution,
         kRunning,
         T(10),
         absl::Minutes(90),
         T(19, 30),
         {},
         true}}},
      {"on hold pauses; due as if it resumed now",
       {Created(T(10)), Status(T(10, 45), kOnHold)},
       T(15),
       {{kFirst, kPaused, T(10), absl::Minutes(45), T(15, 15)},
        {kResolution, kPaused, T(10), absl::Minutes(45), T(22, 15)}}},
      {"paused after its due time stays breached",
       {Created(T(10)), Status(T(11, 30), kPending)},
       T(15),
       {{kFirst, kBreached, T(10), absl::Minutes(90), T(11)},
        {kResolution, kPaused, T(10), absl::Minutes(90), T(21, 30)}}},
      {"solved stops resolution",
       {Created(T(10)), Agent(T(10, 20)), Status(T(12), kSolved)},
       T(15),
       {{kFirst, kMet, T(10), absl::Minutes(20), T(11), T(10, 20)},
        {kResolution, kMet, T(10), absl::Hours(2), T(18), T(12)}}},
      {"a reopen resumes resolution with the time so far",
       {Created(T(10)), Agent(T(10, 20)), Status(T(12), kSolved),
        Requester(T(14)), Status(T(14), kOpen)},
       T(15),
       {{kFirst, kMet, T(10), absl::Minutes(20), T(11), T(10, 20)},
        {kNext, kRunning, T(14), absl::Hours(1), T(16), {}, true},
        {kResolution, kRunning, T(10), absl::Hours(3), T(20), {}, true}}},
      {"the same when the reopen is recorded before the reply",
       {Created(T(10)), Agent(T(10, 20)), Status(T(12), kSolved),
        Status(T(14), kOpen), Requester(T(14))},
       T(15),
       {{kFirst, kMet, T(10), absl::Minutes(20), T(11), T(10, 20)},
        {kNext, kRunning, T(14), absl::Hours(1), T(16), {}, true},
        {kResolution, kRunning, T(10), absl::Hours(3), T(20), {}, true}}},
      {"closed is final",
       {Created(T(10)), Agent(T(10, 20)), Status(T(12), kSolved),
        Status(T(15), kClosed), Requester(T(16)), Status(T(16), kOpen)},
       T(17),
       {{kFirst, kMet, T(10), absl::Minutes(20), T(11), T(10, 20)},
        {kResolution, kMet, T(10), absl::Hours(2), T(18), T(12)}}},
      {"closed without a solve stops every clock",
       {Created(T(10)), Status(T(10, 30), kClosed)},
       T(17),
       {{kFirst, kMet, T(10), absl::Minutes(30), T(11), T(10, 30)},
        {kResolution, kMet, T(10), absl::Minutes(30), T(18), T(10, 30)}}},
      {"solved before any agent reply stops first response",
       {Created(T(10)), Status(T(11, 30), kSolved), Agent(T(12))},
       T(13),
       {{kFirst, kBreached, T(10), absl::Minutes(90), T(11), T(11, 30)},
        {kResolution, kMet, T(10), absl::Minutes(90), T(18), T(11, 30)}}},
      {"a breach stays a breach",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(10, 20)),
        Agent(T(12, 30)), Requester(T(13)), Agent(T(13, 30))},
       T(14),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kBreached, T(13), absl::Minutes(30), T(15), T(13, 30)},
        {kResolution, kRunning, T(10), absl::Hours(4), T(18), {}, true}}},
      {"a breach stays a breach in the next cycle",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(10, 20)),
        Agent(T(12, 30)), Requester(T(13)), Agent(T(13, 30)), Requester(T(14))},
       T(14, 30),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kBreached, T(14), absl::Minutes(30), T(16), {}, true},
        {kResolution, kRunning, T(10), absl::Minutes(270), T(18), {}, true}}},
      {"cycles in time are met",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(10, 20)), Agent(T(11)),
        Requester(T(13)), Agent(T(13, 30))},
       T(14),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kMet, T(13), absl::Minutes(30), T(15), T(13, 30)},
        {kResolution, kRunning, T(10), absl::Hours(4), T(18), {}, true}}},
      {"requester replies before the first agent reply start nothing",
       {Created(T(10)), Requester(T(10, 5))},
       T(10, 30),
       {{kFirst, kRunning, T(10), absl::Minutes(30), T(11), {}, true},
        {kResolution, kRunning, T(10), absl::Minutes(30), T(18), {}, true}}},
      {"a second requester reply does not restart the cycle",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(10, 20)),
        Requester(T(11))},
       T(11, 30),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kRunning, T(10, 20), absl::Minutes(70), T(12, 20), {}, true},
        {kResolution, kRunning, T(10), absl::Minutes(90), T(18), {}, true}}},
      {"a reply then a solve at the same instant",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(11)),
        Status(T(11), kSolved)},
       T(12),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kMet, T(11), absl::ZeroDuration(), T(13), T(11)},
        {kResolution, kMet, T(10), absl::Hours(1), T(18), T(11)}}},
      {"a solve then a reply at the same instant",
       {Created(T(10)), Agent(T(10, 10)), Status(T(11), kSolved),
        Requester(T(11))},
       T(12),
       {{kFirst, kMet, T(10), absl::Minutes(10), T(11), T(10, 10)},
        {kNext, kPaused, T(11), absl::ZeroDuration(), T(14)},
        {kResolution, kMet, T(10), absl::Hours(1), T(18), T(11)}}},
      {"without the late agent reply",
       {Created(T(10)), Status(T(12), kPending)},
       T(14),
       {{kFirst, kBreached, T(10), absl::Hours(2), T(11)},
        {kResolution, kPaused, T(10), absl::Hours(2), T(20)}}},
      {"a late agent reply before a later pause recomputes",
       {Created(T(10)), Status(T(12), kPending), Agent(T(10, 30))},
       T(14),
       {{kFirst, kMet, T(10), absl::Minutes(30), T(11), T(10, 30)},
        {kResolution, kPaused, T(10), absl::Hours(2), T(20)}}},
      {"steps after now have not happened",
       {Created(T(10)), Agent(T(12))},
       T(11, 30),
       {{kFirst, kBreached, T(10), absl::Minutes(90), T(11), {}, true},
        {kResolution, kRunning, T(10), absl::Minutes(90), T(18), {}, true}}},
      {"steps before creation count from it",
       {Agent(T(9)), Created(T(10))},
       T(11),
       {{kFirst, kMet, T(10), absl::ZeroDuration(), T(11), T(10)},
        {kResolution, kRunning, T(10), absl::Hours(1), T(18), {}, true}}},
      {"created pending",
       {Created(T(10), kPending)},
       T(12),
       {{kFirst, kPaused, T(10), absl::ZeroDuration(), T(13)},
        {kResolution, kPaused, T(10), absl::ZeroDuration(), T(20)}}},
      {"no created step, no clocks", {Agent(T(10))}, T(12), {}},
      {"created after now, no clocks", {Created(T(13))}, T(12), {}},
      {"only the targets set",
       {Created(T(10)), Agent(T(10, 10)), Requester(T(10, 20))},
       T(11),
       {{kResolution, kRunning, T(10), absl::Hours(1), T(14), {}, true}},
       With(std::nullopt, std::nullopt, absl::Hours(4))},
  };
  for (const ClockCase& c : cases) ExpectClocks(c);
}

TEST(SlaClockTest, NewTargetsRecomputeTheSameHistory) {
  const std::vector<Step> history = {Created(T(10)), Agent(T(10, 30)),
                                     Status(T(10, 30), kPending),
                                     Requester(T(12)), Status(T(12), kOpen)};
  const std::vector<ClockCase> cases = {
      {"looser resolution",
       history,
       T(13),
       {{kResolution, kRunning, T(10), absl::Minutes(90), T(15, 30), {}, true}},
       With(std::nullopt, std::nullopt, absl::Hours(4))},
      // 30 minutes before the pause, 30 after the reopen.
      {"tighter resolution is breached",
       history,
       T(13),
       {{kResolution,
         kBreached,
         T(10),
         absl::Minutes(90),
         T(12, 30),
         {},
         true}},
       With(std::nullopt, std::nullopt, absl::Hours(1))},
      {"tighter first response",
       history,
       T(13),
       {{kFirst, kBreached, T(10), absl::Minutes(30), T(10, 20), T(10, 30)},
        {kNext, kRunning, T(12), absl::Hours(1), T(16), {}, true}},
       With(absl::Minutes(20), absl::Hours(4), std::nullopt)},
  };
  for (const ClockCase& c : cases) ExpectClocks(c);
}

TEST(SlaClockTest, BusinessHours) {
  const std::vector<ClockCase> cases = {
      // Friday 16:00 + 1h falls due at Friday 17:00; + 8h at Monday 16:00.
      {"across a weekend",
       {Created(Berlin(2024, 6, 14, 16))},
       Berlin(2024, 6, 17, 10),
       {{kFirst,
         kBreached,
         Berlin(2024, 6, 14, 16),
         absl::Hours(2),
         Berlin(2024, 6, 14, 17),
         {},
         true},
        {kResolution,
         kRunning,
         Berlin(2024, 6, 14, 16),
         absl::Hours(2),
         Berlin(2024, 6, 17, 16),
         {},
         true}},
       Standard(),
       "berlin_office"},
      {"a reply on saturday comes after friday's due time",
       {Created(Berlin(2024, 6, 14, 16)), Agent(Berlin(2024, 6, 15, 10))},
       Berlin(2024, 6, 17, 10),
       {{kFirst, kBreached, Berlin(2024, 6, 14, 16), absl::Hours(1),
         Berlin(2024, 6, 14, 17), Berlin(2024, 6, 15, 10)},
        {kResolution,
         kRunning,
         Berlin(2024, 6, 14, 16),
         absl::Hours(2),
         Berlin(2024, 6, 17, 16),
         {},
         true}},
       Standard(),
       "berlin_office"},
      {"a reply on friday is in time",
       {Created(Berlin(2024, 6, 14, 16)), Agent(Berlin(2024, 6, 14, 16, 59))},
       Berlin(2024, 6, 15, 10),
       {{kFirst, kMet, Berlin(2024, 6, 14, 16), absl::Minutes(59),
         Berlin(2024, 6, 14, 17), Berlin(2024, 6, 14, 16, 59)},
        {kResolution,
         kRunning,
         Berlin(2024, 6, 14, 16),
         absl::Hours(1),
         Berlin(2024, 6, 17, 16),
         {},
         true}},
       Standard(),
       "berlin_office"},
      // 30 minutes on Friday, an hour on Monday.
      {"pending over the weekend",
       {Created(Berlin(2024, 6, 14, 16)),
        Status(Berlin(2024, 6, 14, 16, 30), kPending),
        Status(Berlin(2024, 6, 17, 11), kOpen)},
       Berlin(2024, 6, 17, 12),
       {{kFirst,
         kBreached,
         Berlin(2024, 6, 14, 16),
         absl::Minutes(90),
         Berlin(2024, 6, 17, 11, 30),
         {},
         true},
        {kResolution,
         kRunning,
         Berlin(2024, 6, 14, 16),
         absl::Minutes(90),
         Berlin(2024, 6, 18, 10, 30),
         {},
         true}},
       Standard(),
       "berlin_office"},
      {"paused on a saturday: due from monday's opening",
       {Created(Berlin(2024, 6, 14, 16)),
        Status(Berlin(2024, 6, 14, 16, 30), kPending)},
       Berlin(2024, 6, 15, 12),
       {{kFirst, kPaused, Berlin(2024, 6, 14, 16), absl::Minutes(30),
         Berlin(2024, 6, 17, 9, 30)},
        {kResolution, kPaused, Berlin(2024, 6, 14, 16), absl::Minutes(30),
         Berlin(2024, 6, 17, 16, 30)}},
       Standard(),
       "berlin_office"},
      // Monday 23rd 16:00-17:00, then 24th-26th off, Friday 27th from 09:00.
      {"over holidays",
       {Created(Berlin(2024, 12, 23, 16))},
       Berlin(2024, 12, 27, 10),
       {{kFirst,
         kBreached,
         Berlin(2024, 12, 23, 16),
         absl::Hours(2),
         Berlin(2024, 12, 23, 17),
         {},
         true},
        {kResolution,
         kRunning,
         Berlin(2024, 12, 23, 16),
         absl::Hours(2),
         Berlin(2024, 12, 27, 16),
         {},
         true}},
       Standard(),
       "berlin_holidays"},
      // Friday 16:00 EST to Monday 10:00 EDT: 2 working hours, not 3.
      {"over spring forward in new york",
       {Created(NewYork(2024, 3, 8, 16))},
       NewYork(2024, 3, 11, 10),
       {{kFirst,
         kBreached,
         NewYork(2024, 3, 8, 16),
         absl::Hours(2),
         NewYork(2024, 3, 8, 17),
         {},
         true},
        {kResolution,
         kRunning,
         NewYork(2024, 3, 8, 16),
         absl::Hours(2),
         NewYork(2024, 3, 11, 16),
         {},
         true}},
       Standard(),
       "ny_office"},
      {"a calendar with no working time never falls due",
       {Created(T(10))},
       T(12),
       {{kFirst, kRunning, T(10), absl::ZeroDuration(), std::nullopt, {}, true},
        {kResolution,
         kRunning,
         T(10),
         absl::ZeroDuration(),
         std::nullopt,
         {},
         true}},
       Standard(),
       "never"},
  };
  for (const ClockCase& c : cases) ExpectClocks(c);
}

TEST(SlaClockTest, AtRiskTimes) {
  const BusinessCalendar calendar = BusinessCalendar::AroundTheClock();
  {
    const std::vector<ClockResult> clocks =
        ComputeClocks({Created(T(10))}, Standard(), calendar, T(10, 30));
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_EQ(clocks[0].at_risk_time, T(10, 48));
    EXPECT_EQ(clocks[1].at_risk_time, T(16, 24));  // 80% of 8h
  }
  {
    // Paused: projected from now, 3 minutes short of 48.
    const std::vector<ClockResult> clocks =
        ComputeClocks({Created(T(10)), Status(T(10, 45), kOnHold)}, Standard(),
                      calendar, T(15));
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_FALSE(clocks[0].running);
    EXPECT_EQ(clocks[0].at_risk_time, T(15, 3));
  }
  {
    // Stopped clocks are not in the index.
    const std::vector<ClockResult> clocks = ComputeClocks(
        {Created(T(10)), Agent(T(10, 5))}, Standard(), calendar, T(11));
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_EQ(clocks[0].at_risk_time, std::nullopt);
    EXPECT_EQ(clocks[0].due_time, std::nullopt);
    EXPECT_EQ(clocks[1].due_time, T(18));
  }
  for (double threshold : {0.0, -1.0, 1.0, 0.5}) {
    SCOPED_TRACE(threshold);
    Targets targets = Standard();
    targets.at_risk_threshold = threshold;
    const std::vector<ClockResult> clocks =
        ComputeClocks({Created(T(10))}, targets, calendar, T(10, 40));
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_EQ(clocks[0].at_risk_time, threshold == 0.5 ? T(10, 30) : T(10, 48));
    EXPECT_EQ(clocks[0].clock.at_risk(), threshold == 0.5);
  }
}

TEST(SlaClockTest, StepsAreTakenInTimeOrder) {
  std::vector<Step> steps = {
      Created(T(10)),         Agent(T(10, 10)),           Requester(T(11)),
      Status(T(11), kOnHold), Status(T(13), kOpen),       Agent(T(13, 30)),
      Requester(T(14)),       Status(T(15), kSolved),     Status(T(16), kOpen),
      Requester(T(16)),       Status(T(16, 30), kPending)};
  const BusinessCalendar calendar = BusinessCalendar::AroundTheClock();
  const std::vector<ClockResult> in_order =
      ComputeClocks(steps, Standard(), calendar, T(18));
  ASSERT_EQ(in_order.size(), 3u);
  // Resolution: 10-11, 13-15 and 16-16:30 count.
  EXPECT_EQ(ToDuration(in_order[2].clock.elapsed()), absl::Minutes(210));
  EXPECT_EQ(in_order[2].clock.state(), kPaused);
  // Next response: the cycle from 16:00, 30 minutes before the pause.
  EXPECT_EQ(ToTime(in_order[1].clock.start_time()), T(16));
  EXPECT_EQ(ToDuration(in_order[1].clock.elapsed()), absl::Minutes(30));
  EXPECT_EQ(in_order[1].clock.state(), kPaused);

  // Reversed (the pairs at equal times too, which here mean the same).
  std::reverse(steps.begin(), steps.end());
  const std::vector<ClockResult> reversed =
      ComputeClocks(steps, Standard(), calendar, T(18));
  ASSERT_EQ(reversed.size(), in_order.size());
  for (size_t i = 0; i < reversed.size(); ++i) {
    EXPECT_EQ(reversed[i].clock.DebugString(), in_order[i].clock.DebugString());
  }
}

}  // namespace
}  // namespace clientele::ticketing::sla

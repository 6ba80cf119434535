#include "services/ticketing/sla/business_calendar.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::ticketing::sla {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

constexpr int kHour = 60;

struct SpanSpec {
  v1::Weekday weekday;
  int start_minute;
  int end_minute;
};

std::vector<SpanSpec> Weekdays(int start_minute, int end_minute) {
  std::vector<SpanSpec> spans;
  for (int d = v1::WEEKDAY_MONDAY; d <= v1::WEEKDAY_FRIDAY; ++d) {
    spans.push_back({static_cast<v1::Weekday>(d), start_minute, end_minute});
  }
  return spans;
}

std::vector<SpanSpec> EveryDay(int start_minute, int end_minute) {
  std::vector<SpanSpec> spans;
  for (int d = v1::WEEKDAY_MONDAY; d <= v1::WEEKDAY_SUNDAY; ++d) {
    spans.push_back({static_cast<v1::Weekday>(d), start_minute, end_minute});
  }
  return spans;
}

struct DateSpec {
  int year;
  int month;
  int day;
};

v1::BusinessCalendar CalendarProto(const std::string& zone,
                                   const std::vector<SpanSpec>& spans,
                                   const std::vector<DateSpec>& holidays = {}) {
  v1::BusinessCalendar proto;
  proto.set_time_zone(zone);
  for (const SpanSpec& span : spans) {
    v1::WorkingHours* hours = proto.add_working_hours();
    hours->set_weekday(span.weekday);
    hours->set_start_minute(span.start_minute);
    hours->set_end_minute(span.end_minute);
  }
  for (const DateSpec& date : holidays) {
    type::v1::Date* holiday = proto.add_holidays();
    holiday->set_year(date.year);
    holiday->set_month(date.month);
    holiday->set_day(date.day);
  }
  return proto;
}

BusinessCalendar Make(const v1::BusinessCalendar& proto) {
  absl::StatusOr<BusinessCalendar> calendar =
      BusinessCalendar::FromProto(proto, "business_calendar");
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return calendar.ok() ? *calendar : BusinessCalendar::AroundTheClock();
}

// Every date of a year except those in `except`, as yearly holidays.
std::vector<DateSpec> EveryDateExcept(const std::vector<DateSpec>& except) {
  std::vector<DateSpec> dates;
  for (absl::CivilDay day(2000, 1, 1); day.year() == 2000; ++day) {
    bool kept = false;
    for (const DateSpec& e : except) {
      kept = kept || (e.month == day.month() && e.day == day.day());
    }
    if (!kept) dates.push_back({0, day.month(), day.day()});
  }
  return dates;
}

// The calendars of the tables, by name.
BusinessCalendar Calendar(const std::string& name) {
  if (name == "24x7") return BusinessCalendar::AroundTheClock();
  if (name == "berlin_office") {
    return Make(
        CalendarProto("Europe/Berlin", Weekdays(9 * kHour, 17 * kHour)));
  }
  if (name == "berlin_holidays") {
    // Christmas Eve 2024 only; Christmas, Boxing Day and New Year every year.
    return Make(
        CalendarProto("Europe/Berlin", Weekdays(9 * kHour, 17 * kHour),
                      {{2024, 12, 24}, {0, 12, 25}, {0, 12, 26}, {0, 1, 1}}));
  }
  if (name == "berlin_lunch") {
    std::vector<SpanSpec> spans = Weekdays(13 * kHour, 17 * kHour);
    for (const SpanSpec& morning : Weekdays(9 * kHour, 12 * kHour)) {
      spans.push_back(morning);
    }
    return Make(CalendarProto("Europe/Berlin", spans));
  }
  if (name == "berlin_allday") {
    return Make(CalendarProto("Europe/Berlin", EveryDay(0, 24 * kHour)));
  }
  // Berlin skips 02:00-03:00 on 2024-03-31 and repeats it on 2024-10-27.
  if (name == "berlin_night") {  // 01:00-04:00, over the change
    return Make(CalendarProto("Europe/Berlin", EveryDay(1 * kHour, 4 * kHour)));
  }
  if (name == "berlin_skipped") {  // 02:00-02:45, inside the skipped hour
    return Make(CalendarProto("Europe/Berlin", EveryDay(120, 165)));
  }
  if (name == "berlin_half_skipped") {  // 02:30-03:30
    return Make(CalendarProto("Europe/Berlin", EveryDay(150, 210)));
  }
  if (name == "berlin_repeated_end") {  // 02:30-03:00
    return Make(CalendarProto("Europe/Berlin", EveryDay(150, 180)));
  }
  if (name == "berlin_repeated_inside") {  // 02:15-02:45
    return Make(CalendarProto("Europe/Berlin", EveryDay(135, 165)));
  }
  if (name == "ny_office") {
    return Make(
        CalendarProto("America/New_York", Weekdays(9 * kHour, 17 * kHour)));
  }
  // New York skips 02:00-03:00 on 2024-03-10, repeats 01:00-02:00 on
  // 2024-11-03.
  if (name == "ny_sunday_night") {  // Sundays 00:00-06:00
    return Make(CalendarProto("America/New_York",
                              {{v1::WEEKDAY_SUNDAY, 0, 6 * kHour}}));
  }
  if (name == "leap_mondays") {  // works only on a Monday 29 February
    return Make(CalendarProto("Europe/Berlin",
                              {{v1::WEEKDAY_MONDAY, 9 * kHour, 17 * kHour}},
                              EveryDateExcept({{0, 2, 29}})));
  }
  if (name == "never") {  // every date is a holiday
    return Make(CalendarProto("Europe/Berlin", Weekdays(9 * kHour, 17 * kHour),
                              EveryDateExcept({})));
  }
  ADD_FAILURE() << "unknown calendar " << name;
  return BusinessCalendar::AroundTheClock();
}

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi),
                         absl::UTCTimeZone());
}

// Local Berlin time on a day without a change (CET = UTC+1 in winter, CEST =
// UTC+2 in summer); the DST cases below are written in UTC.
absl::Time Berlin(int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Berlin", &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

struct BetweenCase {
  std::string name;
  std::string calendar;
  absl::Time from;
  absl::Time to;
  absl::Duration want;
};

TEST(BusinessCalendarTest, WorkingTimeBetween) {
  const std::vector<BetweenCase> cases = {
      {"friday afternoon to monday noon", "berlin_office",
       Berlin(2024, 6, 14, 16), Berlin(2024, 6, 17, 12), absl::Hours(4)},
      {"a weekend is nothing", "berlin_office", Berlin(2024, 6, 15, 10),
       Berlin(2024, 6, 16, 18), absl::ZeroDuration()},
      {"a whole day", "berlin_office", Berlin(2024, 6, 17, 8),
       Berlin(2024, 6, 17, 18), absl::Hours(8)},
      {"empty span", "berlin_office", Berlin(2024, 6, 17, 10),
       Berlin(2024, 6, 17, 10), absl::ZeroDuration()},
      {"reversed span", "berlin_office", Berlin(2024, 6, 17, 12),
       Berlin(2024, 6, 17, 10), absl::ZeroDuration()},
      {"two weeks and an hour", "berlin_office", Berlin(2024, 6, 17, 0),
       Berlin(2024, 7, 1, 10), absl::Hours(81)},
      {"seconds count", "berlin_office", Berlin(2024, 6, 17, 16, 59),
       Berlin(2024, 6, 17, 16, 59) + absl::Seconds(30), absl::Seconds(30)},
      // Spring forward on Sunday 2024-03-31: Friday 09:00 CET = 08:00Z,
      // Tuesday 09:00 CEST = 07:00Z; the lost hour is outside the spans.
      {"berlin office over spring forward", "berlin_office",
       Utc(2024, 3, 29, 8), Utc(2024, 4, 2, 7), absl::Hours(16)},
      // Fall back on Sunday 2024-10-27: Friday 12:00 CEST = 10:00Z, Monday
      // 12:00 CET = 11:00Z.
      {"berlin office over fall back", "berlin_office", Utc(2024, 10, 25, 10),
       Utc(2024, 10, 28, 11), absl::Hours(8)},
      {"dated and yearly holidays in 2024", "berlin_holidays",
       Berlin(2024, 12, 23, 0), Berlin(2024, 12, 30, 0), absl::Hours(16)},
      {"only the yearly ones in 2025", "berlin_holidays",
       Berlin(2025, 12, 22, 0), Berlin(2025, 12, 29, 0), absl::Hours(24)},
      {"new year", "berlin_holidays", Berlin(2025, 12, 31, 9),
       Berlin(2026, 1, 2, 17), absl::Hours(16)},
      {"lunch break inside", "berlin_lunch", Berlin(2024, 6, 17, 11, 30),
       Berlin(2024, 6, 17, 13, 30), absl::Hours(1)},
      {"a day with a lunch break", "berlin_lunch", Berlin(2024, 6, 17, 0),
       Berlin(2024, 6, 18, 0), absl::Hours(7)},
      // Local midnight to midnight: 23:00Z to 22:00Z, 22:00Z to 23:00Z.
      {"spring forward day is 23 hours", "berlin_allday", Utc(2024, 3, 30, 23),
       Utc(2024, 3, 31, 22), absl::Hours(23)},
      {"fall back day is 25 hours", "berlin_allday", Utc(2024, 10, 26, 22),
       Utc(2024, 10, 27, 23), absl::Hours(25)},
      {"a week with spring forward", "berlin_allday", Utc(2024, 3, 30, 23),
       Utc(2024, 4, 6, 22), absl::Hours(7 * 24 - 1)},
      // 01:00 CET = 00:00Z to 04:00 CEST = 02:00Z.
      {"span over spring forward", "berlin_night", Utc(2024, 3, 30, 12),
       Utc(2024, 3, 31, 12), absl::Hours(2)},
      // 01:00 CEST = 23:00Z to 04:00 CET = 03:00Z.
      {"span over fall back", "berlin_night", Utc(2024, 10, 26, 12),
       Utc(2024, 10, 27, 12), absl::Hours(4)},
      // 01:30 CET = 00:30Z to 03:30 CEST = 01:30Z.
      {"part of a span over spring forward", "berlin_night",
       Utc(2024, 3, 31, 0, 30), Utc(2024, 3, 31, 1, 30), absl::Hours(1)},
      {"span in the skipped hour is nothing", "berlin_skipped",
       Utc(2024, 3, 30, 12), Utc(2024, 3, 31, 12), absl::ZeroDuration()},
      {"the same span the day before", "berlin_skipped", Utc(2024, 3, 29, 12),
       Utc(2024, 3, 30, 12), absl::Minutes(45)},
      // Only 03:00-03:30 CEST exists.
      {"span half in the skipped hour", "berlin_half_skipped",
       Utc(2024, 3, 30, 12), Utc(2024, 3, 31, 12), absl::Minutes(30)},
      // 02:30 CEST = 00:30Z to 03:00 CET = 02:00Z.
      {"span from the repeated hour", "berlin_repeated_end",
       Utc(2024, 10, 26, 12), Utc(2024, 10, 27, 12), absl::Minutes(90)},
      // First occurrences: 02:15 CEST to 02:45 CEST.
      {"span inside the repeated hour", "berlin_repeated_inside",
       Utc(2024, 10, 26, 12), Utc(2024, 10, 27, 12), absl::Minutes(30)},
      // Friday 09:00 EST = 14:00Z to Tuesday 09:00 EDT = 13:00Z.
      {"new york office over spring forward", "ny_office", Utc(2024, 3, 8, 14),
       Utc(2024, 3, 12, 13), absl::Hours(16)},
      // Friday 09:00 EDT = 13:00Z to Tuesday 09:00 EST = 14:00Z.
      {"new york office over fall back", "ny_office", Utc(2024, 11, 1, 13),
       Utc(2024, 11, 5, 14), absl::Hours(16)},
      // 00:00 EST = 05:00Z to 06:00 EDT = 10:00Z.
      {"new york night over spring forward", "ny_sunday_night",
       Utc(2024, 3, 9, 12), Utc(2024, 3, 11, 12), absl::Hours(5)},
      // 00:00 EDT = 04:00Z to 06:00 EST = 11:00Z.
      {"new york night over fall back", "ny_sunday_night", Utc(2024, 11, 2, 12),
       Utc(2024, 11, 4, 12), absl::Hours(7)},
      {"around the clock", "24x7", Utc(2024, 3, 31, 0, 30), Utc(2024, 3, 31, 2),
       absl::Minutes(90)},
      {"no working time", "never", Utc(2024, 1, 1, 0), Utc(2026, 1, 1, 0),
       absl::ZeroDuration()},
      {"leap-day mondays in a normal year", "leap_mondays", Utc(2025, 1, 1, 0),
       Utc(2026, 1, 1, 0), absl::ZeroDuration()},
      {"leap-day mondays on one", "leap_mondays", Utc(2044, 2, 28, 0),
       Utc(2044, 3, 2, 0), absl::Hours(8)},
  };
  for (const BetweenCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Calendar(c.calendar).WorkingTimeBetween(c.from, c.to), c.want);
  }
}

struct AddCase {
  std::string name;
  std::string calendar;
  absl::Time from;
  absl::Duration amount;
  absl::Time want;
};

TEST(BusinessCalendarTest, AddWorkingTime) {
  const std::vector<AddCase> cases = {
      {"friday 16:00 plus 4h is monday noon", "berlin_office",
       Berlin(2024, 6, 14, 16), absl::Hours(4), Berlin(2024, 6, 17, 12)},
      {"nothing to add", "berlin_office", Berlin(2024, 6, 14, 17),
       absl::ZeroDuration(), Berlin(2024, 6, 14, 17)},
      {"negative adds nothing", "berlin_office", Berlin(2024, 6, 14, 17),
       -absl::Hours(1), Berlin(2024, 6, 14, 17)},
      {"closing time plus a minute", "berlin_office", Berlin(2024, 6, 14, 17),
       absl::Minutes(1), Berlin(2024, 6, 17, 9, 1)},
      {"from the weekend, a whole day ends at closing", "berlin_office",
       Berlin(2024, 6, 15, 10), absl::Hours(8), Berlin(2024, 6, 17, 17)},
      {"the earliest instant, not the next opening", "berlin_office",
       Berlin(2024, 6, 13, 16), absl::Hours(1), Berlin(2024, 6, 13, 17)},
      {"ten weeks end on a friday", "berlin_office", Berlin(2024, 6, 17, 9),
       absl::Hours(400), Berlin(2024, 8, 23, 17)},
      {"ten weeks and an hour", "berlin_office", Berlin(2024, 6, 17, 9),
       absl::Hours(401), Berlin(2024, 8, 26, 10)},
      {"a year of working time", "berlin_office", Berlin(2024, 1, 1, 9),
       absl::Hours(52 * 40), Berlin(2024, 12, 27, 17)},
      // Friday 16:00 CET = 15:00Z; Monday 12:00 CEST = 10:00Z.
      {"over spring forward", "berlin_office", Utc(2024, 3, 29, 15),
       absl::Hours(4), Utc(2024, 4, 1, 10)},
      // Monday 09:00 CET = 08:00Z; Friday 17:00 CEST = 15:00Z.
      {"two weeks with spring forward in them", "berlin_office",
       Utc(2024, 3, 25, 8), absl::Hours(80), Utc(2024, 4, 5, 15)},
      // Friday 16:00 CEST = 14:00Z; Monday 12:00 CET = 11:00Z.
      {"over fall back", "berlin_office", Utc(2024, 10, 25, 14), absl::Hours(4),
       Utc(2024, 10, 28, 11)},
      {"over a dated and two yearly holidays", "berlin_holidays",
       Berlin(2024, 12, 23, 16), absl::Hours(2), Berlin(2024, 12, 27, 10)},
      {"the dated holiday is that year only", "berlin_holidays",
       Berlin(2025, 12, 23, 16), absl::Hours(2), Berlin(2025, 12, 24, 10)},
      {"yearly holidays recur", "berlin_holidays", Berlin(2025, 12, 24, 16),
       absl::Hours(2), Berlin(2025, 12, 29, 10)},
      {"a week's worth over holidays", "berlin_holidays",
       Berlin(2024, 12, 23, 9), absl::Hours(40), Berlin(2025, 1, 2, 17)},
      {"to the lunch break", "berlin_lunch", Berlin(2024, 6, 17, 11),
       absl::Hours(1), Berlin(2024, 6, 17, 12)},
      {"over the lunch break", "berlin_lunch", Berlin(2024, 6, 17, 11),
       absl::Hours(2), Berlin(2024, 6, 17, 14)},
      {"from inside the lunch break", "berlin_lunch",
       Berlin(2024, 6, 17, 12, 30), absl::Minutes(30),
       Berlin(2024, 6, 17, 13, 30)},
      // Local midnight 23:00Z; the day has 23 hours.
      {"a spring forward day", "berlin_allday", Utc(2024, 3, 30, 23),
       absl::Hours(24), Utc(2024, 3, 31, 23)},
      // Friday 16:00 EST = 21:00Z; Monday 12:00 EDT = 16:00Z.
      {"new york over spring forward", "ny_office", Utc(2024, 3, 8, 21),
       absl::Hours(4), Utc(2024, 3, 11, 16)},
      // Friday 16:00 EDT = 20:00Z; Monday 12:00 EST = 17:00Z.
      {"new york over fall back", "ny_office", Utc(2024, 11, 1, 20),
       absl::Hours(4), Utc(2024, 11, 4, 17)},
      // 00:00 EST = 05:00Z; 06:00 EDT = 10:00Z.
      {"the short night", "ny_sunday_night", Utc(2024, 3, 10, 5),
       absl::Hours(5), Utc(2024, 3, 10, 10)},
      // Then 00:30 EDT on the next Sunday = 04:30Z.
      {"the short night is short", "ny_sunday_night", Utc(2024, 3, 10, 5),
       absl::Minutes(5 * 60 + 30), Utc(2024, 3, 17, 4, 30)},
      // 00:00 EDT = 04:00Z; 06:00 EST = 11:00Z.
      {"the long night", "ny_sunday_night", Utc(2024, 11, 3, 4), absl::Hours(7),
       Utc(2024, 11, 3, 11)},
      // Saturday 02:00 CET = 01:00Z; nothing on Sunday 31st; Monday 02:00
      // CEST = 00:00Z.
      {"skipped span gives nothing", "berlin_skipped", Utc(2024, 3, 30, 1),
       absl::Minutes(46), Utc(2024, 4, 1, 0, 1)},
      {"around the clock", "24x7", Utc(2024, 3, 31, 0, 30), absl::Minutes(90),
       Utc(2024, 3, 31, 2)},
      // 2044-02-29 is a Monday: 10:00 CET = 09:00Z.
      {"the next monday 29 february", "leap_mondays", Utc(2025, 1, 1, 0),
       absl::Hours(1), Utc(2044, 2, 29, 9)},
      {"no working time ever", "never", Utc(2024, 1, 1, 0), absl::Minutes(1),
       absl::InfiniteFuture()},
  };
  for (const AddCase& c : cases) {
    SCOPED_TRACE(c.name);
    const BusinessCalendar calendar = Calendar(c.calendar);
    const absl::Time got = calendar.AddWorkingTime(c.from, c.amount);
    EXPECT_EQ(got, c.want) << absl::FormatTime(got) << " vs "
                           << absl::FormatTime(c.want);
    if (c.want != absl::InfiniteFuture() && c.amount > absl::ZeroDuration()) {
      EXPECT_EQ(calendar.WorkingTimeBetween(c.from, got), c.amount);
    }
  }
}

TEST(BusinessCalendarTest, KnowsWhenThereIsNoWorkingTime) {
  EXPECT_FALSE(Calendar("never").has_working_time());
  EXPECT_TRUE(Calendar("leap_mondays").has_working_time());
  EXPECT_TRUE(Calendar("berlin_office").has_working_time());
  EXPECT_TRUE(BusinessCalendar::AroundTheClock().around_the_clock());
  EXPECT_FALSE(Calendar("berlin_office").around_the_clock());
}

// What a worker would count minute by minute: the minutes whose local time
// falls in a span of a working day. It agrees with the calendar wherever no
// span ends inside a repeated hour (those count from first occurrences).
absl::Duration CountMinutes(const std::string& zone_name,
                            const std::vector<SpanSpec>& spans,
                            const std::vector<DateSpec>& holidays,
                            absl::Time from, absl::Time to) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone));
  absl::Duration total;
  for (absl::Time t = from; t < to; t += absl::Minutes(1)) {
    const absl::CivilMinute local = absl::ToCivilMinute(t, zone);
    const absl::CivilDay day(local);
    bool holiday = false;
    for (const DateSpec& h : holidays) {
      holiday = holiday || ((h.year == 0 || h.year == day.year()) &&
                            h.month == day.month() && h.day == day.day());
    }
    if (holiday) continue;
    const int minute = local.hour() * 60 + local.minute();
    const int weekday = static_cast<int>(absl::GetWeekday(day)) + 1;
    for (const SpanSpec& span : spans) {
      if (span.weekday == weekday && minute >= span.start_minute &&
          minute < span.end_minute) {
        total += absl::Minutes(1);
      }
    }
  }
  return total;
}

TEST(BusinessCalendarTest, AgreesWithCountingMinuteByMinute) {
  struct Reference {
    std::string zone;
    std::vector<SpanSpec> spans;
    std::vector<DateSpec> holidays;
    absl::Time around;  // a daylight-saving change
  };
  std::vector<SpanSpec> lunch = Weekdays(13 * kHour, 17 * kHour);
  for (const SpanSpec& s : Weekdays(8 * kHour + 30, 12 * kHour)) {
    lunch.push_back(s);
  }
  lunch.push_back({v1::WEEKDAY_SUNDAY, 0, 4 * kHour});
  lunch.push_back({v1::WEEKDAY_SATURDAY, 22 * kHour, 24 * kHour});
  const std::vector<Reference> references = {
      {"Europe/Berlin",
       lunch,
       {{0, 12, 25}, {2024, 4, 2}},
       Utc(2024, 3, 31, 1)},
      {"Europe/Berlin", lunch, {{0, 10, 28}}, Utc(2024, 10, 27, 1)},
      {"America/New_York", lunch, {{2024, 3, 12}}, Utc(2024, 3, 10, 7)},
      {"America/New_York", EveryDay(0, 24 * kHour), {}, Utc(2024, 11, 3, 6)},
  };
  std::mt19937 random(11);
  for (const Reference& reference : references) {
    const BusinessCalendar calendar = Make(
        CalendarProto(reference.zone, reference.spans, reference.holidays));
    std::uniform_int_distribution<int> minute(-12 * 24 * 60, 12 * 24 * 60);
    for (int i = 0; i < 12; ++i) {
      absl::Time from = reference.around + absl::Minutes(minute(random));
      absl::Time to = reference.around + absl::Minutes(minute(random));
      if (to < from) std::swap(from, to);
      SCOPED_TRACE(absl::StrCat(reference.zone, " ", absl::FormatTime(from),
                                " to ", absl::FormatTime(to)));
      const absl::Duration want = CountMinutes(reference.zone, reference.spans,
                                               reference.holidays, from, to);
      EXPECT_EQ(calendar.WorkingTimeBetween(from, to), want);
      if (want > absl::ZeroDuration()) {
        const absl::Time end = calendar.AddWorkingTime(from, want);
        EXPECT_LE(end, to);
        EXPECT_EQ(calendar.WorkingTimeBetween(from, end), want);
        EXPECT_LT(calendar.WorkingTimeBetween(from, end - absl::Minutes(1)),
                  want);
      }
    }
  }
}

struct InvalidCase {
  std::string name;
  v1::BusinessCalendar proto;
  std::vector<std::string> fields;
};

TEST(BusinessCalendarTest, FromProtoNamesEveryBadField) {
  const std::vector<SpanSpec> office = Weekdays(9 * kHour, 17 * kHour);
  auto with = [&](auto edit) {
    v1::BusinessCalendar proto = CalendarProto("Europe/Berlin", office);
    edit(proto);
    return proto;
  };
  const std::string p = "sla_policy.business_calendar";
  std::vector<InvalidCase> cases = {
      {"no zone",
       with([](auto& c) { c.clear_time_zone(); }),
       {p + ".time_zone"}},
      {"unknown zone",
       with([](auto& c) { c.set_time_zone("Mars/Olympus"); }),
       {p + ".time_zone"}},
      {"a path",
       with([](auto& c) { c.set_time_zone("../../etc/passwd"); }),
       {p + ".time_zone"}},
      {"this machine's zone",
       with([](auto& c) { c.set_time_zone("localtime"); }),
       {p + ".time_zone"}},
      {"no working hours",
       with([](auto& c) { c.clear_working_hours(); }),
       {p + ".working_hours"}},
      {"29 spans",
       with([](auto& c) {
         c.clear_working_hours();
         for (int i = 0; i < 29; ++i) {
           v1::WorkingHours* h = c.add_working_hours();
           h->set_weekday(v1::WEEKDAY_MONDAY);
           h->set_start_minute(i * 10);
           h->set_end_minute(i * 10 + 5);
         }
       }),
       {p + ".working_hours"}},
      {"no weekday",
       with([](auto& c) {
         c.mutable_working_hours(0)->set_weekday(v1::WEEKDAY_UNSPECIFIED);
       }),
       {p + ".working_hours[0].weekday"}},
      {"unknown weekday",
       with([](auto& c) {
         c.mutable_working_hours(2)->set_weekday(static_cast<v1::Weekday>(8));
       }),
       {p + ".working_hours[2].weekday"}},
      {"negative start",
       with([](auto& c) { c.mutable_working_hours(1)->set_start_minute(-1); }),
       {p + ".working_hours[1].start_minute"}},
      {"start at midnight",
       with([](auto& c) {
         c.mutable_working_hours(1)->set_start_minute(1440);
         c.mutable_working_hours(1)->set_end_minute(1440);
       }),
       {p + ".working_hours[1].start_minute"}},
      {"end at start",
       with([](auto& c) { c.mutable_working_hours(2)->set_end_minute(540); }),
       {p + ".working_hours[2].end_minute"}},
      {"end past midnight",
       with([](auto& c) { c.mutable_working_hours(2)->set_end_minute(1441); }),
       {p + ".working_hours[2].end_minute"}},
      {"overlap",
       with([](auto& c) {
         v1::WorkingHours* h = c.add_working_hours();
         h->set_weekday(v1::WEEKDAY_TUESDAY);
         h->set_start_minute(16 * kHour);
         h->set_end_minute(18 * kHour);
       }),
       {p + ".working_hours[5]"}},
      {"overlap listed first",
       [&] {
         v1::BusinessCalendar c = CalendarProto(
             "Europe/Berlin", {{v1::WEEKDAY_MONDAY, 11 * kHour, 13 * kHour},
                               {v1::WEEKDAY_MONDAY, 9 * kHour, 12 * kHour}});
         return c;
       }(),
       {p + ".working_hours[0]"}},
      {"not a leap year",
       CalendarProto("Europe/Berlin", office, {{2023, 2, 29}}),
       {p + ".holidays[0]"}},
      {"month 13",
       CalendarProto("Europe/Berlin", office, {{0, 12, 25}, {2024, 13, 1}}),
       {p + ".holidays[1]"}},
      {"day 0",
       CalendarProto("Europe/Berlin", office, {{2024, 1, 0}}),
       {p + ".holidays[0]"}},
      {"31 april",
       CalendarProto("Europe/Berlin", office, {{0, 4, 31}}),
       {p + ".holidays[0]"}},
      {"year 10000",
       CalendarProto("Europe/Berlin", office, {{10000, 1, 1}}),
       {p + ".holidays[0]"}},
      {"negative year",
       CalendarProto("Europe/Berlin", office, {{-1, 1, 1}}),
       {p + ".holidays[0]"}},
      {"367 holidays",
       [&] {
         std::vector<DateSpec> dates = EveryDateExcept({});
         dates.push_back({2024, 6, 17});
         return CalendarProto("Europe/Berlin", office, dates);
       }(),
       {p + ".holidays"}},
      {"everything at once",
       [&] {
         v1::BusinessCalendar c = CalendarProto(
             "Nowhere/Town", {{v1::WEEKDAY_UNSPECIFIED, 9 * kHour, 100}},
             {{2024, 2, 30}});
         return c;
       }(),
       {p + ".time_zone", p + ".working_hours[0].weekday",
        p + ".working_hours[0].end_minute", p + ".holidays[0]"}},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.name);
    const absl::StatusOr<BusinessCalendar> calendar =
        BusinessCalendar::FromProto(c.proto, p);
    ASSERT_FALSE(calendar.ok());
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    std::vector<std::string> fields;
    for (const FieldViolation& violation :
         FieldViolationsOf(calendar.status())) {
      fields.push_back(violation.field);
      EXPECT_FALSE(violation.description.empty());
    }
    EXPECT_EQ(fields, c.fields);
  }
}

TEST(BusinessCalendarTest, FromProtoAcceptsTheEdges) {
  // Adjacent spans, a span to midnight, 29 February every year, a dated
  // holiday twice, and no prefix.
  const v1::BusinessCalendar proto =
      CalendarProto("America/New_York",
                    {{v1::WEEKDAY_MONDAY, 9 * kHour, 12 * kHour},
                     {v1::WEEKDAY_MONDAY, 12 * kHour, 17 * kHour},
                     {v1::WEEKDAY_SATURDAY, 0, 24 * kHour}},
                    {{0, 2, 29}, {2024, 6, 17}, {2024, 6, 17}});
  const absl::StatusOr<BusinessCalendar> calendar =
      BusinessCalendar::FromProto(proto, "");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // Monday 2024-06-10 09:00 EDT = 13:00Z; Saturday 2024-06-15 all day;
  // Monday 2024-06-17 is the holiday.
  EXPECT_EQ(
      calendar->WorkingTimeBetween(Utc(2024, 6, 10, 0), Utc(2024, 6, 18, 12)),
      absl::Hours(8 + 24));

  v1::BusinessCalendar bad = proto;
  bad.set_time_zone("");
  const absl::StatusOr<BusinessCalendar> unnamed =
      BusinessCalendar::FromProto(bad, "");
  ASSERT_FALSE(unnamed.ok());
  EXPECT_THAT(FieldViolationsOf(unnamed.status()),
              ElementsAre(Field(&FieldViolation::field, "time_zone")));
}

}  // namespace
}  // namespace clientele::ticketing::sla

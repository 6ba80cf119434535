#include "services/ticketing/sla/business_calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace clientele::ticketing::sla {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
// Days of the week a week-skip looks at.
constexpr int kDaysPerWeek = 7;
// No instant past this year is representable as a google.protobuf.Timestamp:
// a walk that gets there has found no working time worth answering with.
constexpr int64_t kLastYear = 9999;

std::string FieldName(absl::string_view prefix, absl::string_view field) {
  if (prefix.empty()) return std::string(field);
  return absl::StrCat(prefix, ".", field);
}

// IANA names only: zones are looked up as files, so nothing that could leave
// the zoneinfo directory, and not "localtime" (this machine's zone).
bool IsZoneName(absl::string_view name) {
  if (name.empty() || name.size() > 64 || name == "localtime") return false;
  const bool safe = std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' ||
           c == '_' || c == '-' || c == '+';
  });
  return safe && name.front() != '/' && name.back() != '/' &&
         !absl::StrContains(name, "//");
}

// Whether year/month/day is a date; year 0 stands for any year, so it takes
// 29 February.
bool IsValidDate(int year, int month, int day) {
  if (year < 0 || year > kLastYear || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const absl::CivilDay date(year == 0 ? 2000 : year, month, day);
  return date.month() == month && date.day() == day;
}

int WeekdayIndex(absl::CivilDay day) {
  // absl::Weekday counts from Monday = 0, as spans_ does.
  return static_cast<int>(absl::GetWeekday(day));
}

}  // namespace

BusinessCalendar BusinessCalendar::AroundTheClock() {
  return BusinessCalendar();
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::FromProto(
    const v1::BusinessCalendar& proto, absl::string_view field_prefix) {
  FieldViolations violations;
  BusinessCalendar calendar;
  calendar.around_the_clock_ = false;

  const std::string zone_field = FieldName(field_prefix, "time_zone");
  if (proto.time_zone().empty()) {
    violations.Add(zone_field,
                   "required: an IANA time zone such as \"Europe/Berlin\"");
  } else if (!IsZoneName(proto.time_zone()) ||
             !absl::LoadTimeZone(proto.time_zone(), &calendar.zone_)) {
    violations.Add(zone_field,
                   "unknown time zone: use an IANA name such as "
                   "\"America/New_York\"");
  }

  const std::string hours_field = FieldName(field_prefix, "working_hours");
  if (proto.working_hours_size() == 0) {
    violations.Add(hours_field,
                   "required: at least one working span (leave "
                   "business_calendar unset for around the clock)");
  } else if (proto.working_hours_size() > kMaxWorkingHours) {
    violations.Add(hours_field, absl::StrCat("at most ", kMaxWorkingHours,
                                             " working spans"));
  }
  // Valid spans per weekday with their index, to find overlaps. Too many
  // are not looked at one by one: the answer would be as long as the list.
  std::array<std::vector<std::pair<Span, int>>, kDaysPerWeek> by_day;
  const int spans_to_check = proto.working_hours_size() > kMaxWorkingHours
                                 ? 0
                                 : proto.working_hours_size();
  for (int i = 0; i < spans_to_check; ++i) {
    const v1::WorkingHours& hours = proto.working_hours(i);
    const std::string field = absl::StrCat(hours_field, "[", i, "]");
    bool valid = true;
    if (hours.weekday() < v1::WEEKDAY_MONDAY ||
        hours.weekday() > v1::WEEKDAY_SUNDAY) {
      violations.Add(absl::StrCat(field, ".weekday"),
                     "required: WEEKDAY_MONDAY to WEEKDAY_SUNDAY");
      valid = false;
    }
    const bool start_valid =
        hours.start_minute() >= 0 && hours.start_minute() < kMinutesPerDay;
    if (!start_valid) {
      violations.Add(absl::StrCat(field, ".start_minute"),
                     "must be 0-1439 (minutes after local midnight)");
      valid = false;
    }
    if (hours.end_minute() > kMinutesPerDay ||
        (start_valid && hours.end_minute() <= hours.start_minute()) ||
        hours.end_minute() <= 0) {
      violations.Add(absl::StrCat(field, ".end_minute"),
                     "must be after start_minute and at most 1440 (midnight)");
      valid = false;
    }
    if (valid) {
      by_day[hours.weekday() - v1::WEEKDAY_MONDAY].push_back(
          {{hours.start_minute(), hours.end_minute()}, i});
    }
  }
  for (int d = 0; d < kDaysPerWeek; ++d) {
    auto& spans = by_day[d];
    std::sort(spans.begin(), spans.end());
    for (size_t k = 0; k < spans.size(); ++k) {
      if (k > 0 && spans[k].first.first < spans[k - 1].first.second) {
        violations.Add(
            absl::StrCat(hours_field, "[", spans[k].second, "]"),
            absl::StrCat("overlaps working_hours[", spans[k - 1].second,
                         "] on the same weekday"));
        continue;
      }
      calendar.spans_[d].push_back(spans[k].first);
      calendar.weekly_total_ +=
          absl::Minutes(spans[k].first.second - spans[k].first.first);
    }
  }

  const std::string holidays_field = FieldName(field_prefix, "holidays");
  const bool too_many_holidays = proto.holidays_size() > kMaxHolidays;
  if (too_many_holidays) {
    violations.Add(holidays_field,
                   absl::StrCat("at most ", kMaxHolidays, " holidays"));
  }
  for (int i = 0; i < (too_many_holidays ? 0 : proto.holidays_size()); ++i) {
    const type::v1::Date& date = proto.holidays(i);
    if (!IsValidDate(date.year(), date.month(), date.day())) {
      violations.Add(absl::StrCat(holidays_field, "[", i, "]"),
                     "not a date: year 1-9999 (0 for every year), month "
                     "1-12 and a day of that month");
      continue;
    }
    const int month_day = date.month() * 100 + date.day();
    if (date.year() == 0) {
      calendar.yearly_holidays_.push_back(month_day);
    } else {
      calendar.dated_holidays_.push_back(int64_t{date.year()} * 10000 +
                                         month_day);
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  auto sort_unique = [](auto& keys) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  };
  sort_unique(calendar.yearly_holidays_);
  sort_unique(calendar.dated_holidays_);
  // Every valid month-day (29 February included) recurs on every weekday, so
  // the calendar works some day unless yearly holidays take all 366 of them.
  calendar.has_working_time_ =
      calendar.weekly_total_ > absl::ZeroDuration() &&
      calendar.yearly_holidays_.size() < static_cast<size_t>(kMaxHolidays);
  return calendar;
}

bool BusinessCalendar::IsHoliday(absl::CivilDay day) const {
  const int month_day = day.month() * 100 + day.day();
  if (std::binary_search(yearly_holidays_.begin(), yearly_holidays_.end(),
                         month_day)) {
    return true;
  }
  return std::binary_search(dated_holidays_.begin(), dated_holidays_.end(),
                            day.year() * 10000 + month_day);
}

absl::Time BusinessCalendar::LocalInstant(absl::CivilDay day,
                                          int minute) const {
  const absl::TimeZone::TimeInfo info =
      zone_.At(absl::CivilSecond(day) + int64_t{minute} * 60);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

bool BusinessCalendar::IsPlainWeek(absl::CivilDay day) const {
  for (int k = 0; k < kDaysPerWeek; ++k) {
    if (IsHoliday(day + k)) return false;
  }
  absl::TimeZone::CivilTransition transition;
  if (!zone_.NextTransition(LocalInstant(day, 0), &transition)) return true;
  // The next change of offset comes after the week's last local second.
  return transition.from > absl::CivilSecond(day + kDaysPerWeek);
}

absl::Duration BusinessCalendar::WorkingTimeBetween(absl::Time from,
                                                    absl::Time to) const {
  if (to <= from) return absl::ZeroDuration();
  if (around_the_clock_) return to - from;
  if (!has_working_time_) return absl::ZeroDuration();
  if (from == absl::InfinitePast() || to == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  absl::Duration total;
  const absl::CivilDay last = absl::ToCivilDay(to, zone_);
  for (absl::CivilDay day = absl::ToCivilDay(from, zone_); day <= last;) {
    // A day's spans lie between its local midnight and the next one.
    if (from <= LocalInstant(day, 0) &&
        LocalInstant(day + kDaysPerWeek, 0) <= to && IsPlainWeek(day)) {
      total += weekly_total_;
      day += kDaysPerWeek;
      continue;
    }
    if (!IsHoliday(day)) {
      for (const Span& span : spans_[WeekdayIndex(day)]) {
        const absl::Time start = std::max(LocalInstant(day, span.first), from);
        const absl::Time end = std::min(LocalInstant(day, span.second), to);
        if (end > start) total += end - start;
      }
    }
    ++day;
  }
  return total;
}

absl::Time BusinessCalendar::AddWorkingTime(absl::Time from,
                                            absl::Duration amount) const {
  if (amount <= absl::ZeroDuration()) return from;
  if (around_the_clock_) return from + amount;
  if (!has_working_time_ || amount == absl::InfiniteDuration() ||
      from == absl::InfiniteFuture()) {
    return absl::InfiniteFuture();
  }
  if (from == absl::InfinitePast()) return from;
  absl::Duration remaining = amount;
  for (absl::CivilDay day = absl::ToCivilDay(from, zone_);; ++day) {
    if (day.year() > kLastYear) return absl::InfiniteFuture();
    // Skip a whole week only when the answer lies beyond it, so the answer
    // is always found in a day's span (the earliest instant).
    while (remaining > weekly_total_ && from <= LocalInstant(day, 0) &&
           IsPlainWeek(day)) {
      remaining -= weekly_total_;
      day += kDaysPerWeek;
      if (day.year() > kLastYear) return absl::InfiniteFuture();
    }
    if (IsHoliday(day)) continue;
    for (const Span& span : spans_[WeekdayIndex(day)]) {
      const absl::Time start = std::max(LocalInstant(day, span.first), from);
      const absl::Time end = LocalInstant(day, span.second);
      if (end <= start) continue;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
    }
  }
}

}  // namespace clientele::ticketing::sla

// When SLA targets count: working hours per weekday in an IANA time zone,
// minus holidays, or around the clock. Pure: no I/O besides loading the zone
// from the system's tzdata once, in FromProto.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_BUSINESS_CALENDAR_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_BUSINESS_CALENDAR_H_

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/sla_policy.pb.h"

namespace clientele::ticketing::sla {

// Limits of v1::BusinessCalendar (see sla_policy.proto).
inline constexpr int kMaxWorkingHours = 28;
inline constexpr int kMaxHolidays = 366;

// A calendar is a set of working intervals of real time. Local times map to
// instants by the zone's rules: a local time skipped by a daylight-saving
// change maps to the instant of the change (so a span in a skipped hour
// counts only what exists of it), a repeated local time to its first
// occurrence (a worker leaves the first time the clock reads the end). A
// 09:00-17:00 day is thus 8 hours on a change day unless the change falls
// inside the span. Holidays are whole local days off. Copyable, immutable,
// thread-compatible.
class BusinessCalendar {
 public:
  // Every instant counts (24x7): the calendar of a policy without
  // business_calendar.
  static BusinessCalendar AroundTheClock();

  // The calendar `proto` describes. INVALID_ARGUMENT with a
  // google.rpc.BadRequest naming each bad field under `field_prefix` (e.g.
  // "sla_policy.business_calendar.time_zone",
  // "sla_policy.business_calendar.working_hours[2].end_minute",
  // "sla_policy.business_calendar.holidays[0]"): unknown or malformed time
  // zone; no working hours or more than kMaxWorkingHours; a span with an
  // unset/unknown weekday, start outside 0-1439, end not after start or past
  // 1440, or overlapping another span of its day; more than kMaxHolidays
  // holidays; a holiday that is not a valid date (year 0 recurs every year
  // and accepts 29 February). Duplicate holidays are accepted. A calendar
  // whose holidays cover every day has no working time (see below).
  static absl::StatusOr<BusinessCalendar> FromProto(
      const v1::BusinessCalendar& proto, absl::string_view field_prefix);

  bool around_the_clock() const { return around_the_clock_; }
  // False when no instant ever counts (every date is a yearly holiday).
  bool has_working_time() const { return has_working_time_; }

  // Working time in [from, to); zero when to <= from. Exact (to the
  // nanosecond); walks days, skipping whole weeks with no holiday and no
  // time-zone change, never minutes.
  absl::Duration WorkingTimeBetween(absl::Time from, absl::Time to) const;

  // The earliest t >= from with WorkingTimeBetween(from, t) == amount: `from`
  // when amount <= 0; absl::InfiniteFuture() when the calendar has no
  // working time from `from` on. Whole weeks with no holiday and no
  // time-zone change are skipped at once.
  absl::Time AddWorkingTime(absl::Time from, absl::Duration amount) const;

 private:
  // A working span in minutes after local midnight, [start, end).
  using Span = std::pair<int, int>;

  BusinessCalendar() = default;

  bool IsHoliday(absl::CivilDay day) const;
  // The instant local `minute` of `day` maps to (see the class comment).
  absl::Time LocalInstant(absl::CivilDay day, int minute) const;
  // Whether the week of 7 days from `day` is worked exactly as the nominal
  // weekly total: no holiday and no offset change in it.
  bool IsPlainWeek(absl::CivilDay day) const;

  bool around_the_clock_ = true;
  bool has_working_time_ = true;
  absl::TimeZone zone_;
  // Spans per weekday, Monday first, sorted, not overlapping.
  std::array<std::vector<Span>, 7> spans_;
  // Sum of all spans (a week without holidays or zone changes).
  absl::Duration weekly_total_;
  // Holidays as year*10000+month*100+day (dated) and month*100+day (every
  // year), sorted and unique.
  std::vector<int64_t> dated_holidays_;
  std::vector<int> yearly_holidays_;
};

}  // namespace clientele::ticketing::sla

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_BUSINESS_CALENDAR_H_

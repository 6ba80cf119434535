// Calendar periods of retention's cohorts (docs/reports.md, "Retention by
// cohort"): UTC days as days since 1970-01-01, and months, quarters or years
// numbered from year 0. Shared by the report (retention_report.cc) and the
// tables the projector maintains for it (projector_retention.cc).
#ifndef CLIENTELE_SERVICES_REPORTING_COHORT_PERIODS_H_
#define CLIENTELE_SERVICES_REPORTING_COHORT_PERIODS_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "clientele/reporting/v1/retention_report.pb.h"

namespace clientele::reporting {

inline absl::CivilDay CivilOfDay(int64_t day) {
  return absl::CivilDay(1970, 1, 1) + day;
}
inline int64_t DayOfCivil(absl::CivilDay day) {
  return day - absl::CivilDay(1970, 1, 1);
}

// The period (of `period`; UNSPECIFIED reads as MONTH) holding `day`.
inline int64_t PeriodIndexOf(absl::CivilDay day, v1::CohortPeriod period) {
  switch (period) {
    case v1::COHORT_PERIOD_QUARTER:
      return day.year() * 4 + (day.month() - 1) / 3;
    case v1::COHORT_PERIOD_YEAR:
      return day.year();
    default:
      return day.year() * 12 + day.month() - 1;
  }
}

// The first day of period `index`.
inline absl::CivilDay PeriodStartOf(int64_t index, v1::CohortPeriod period) {
  const auto floor_div = [](int64_t a, int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
  };
  switch (period) {
    case v1::COHORT_PERIOD_QUARTER: {
      const int64_t year = floor_div(index, 4);
      return absl::CivilDay(year, static_cast<int>(index - year * 4) * 3 + 1,
                            1);
    }
    case v1::COHORT_PERIOD_YEAR:
      return absl::CivilDay(index, 1, 1);
    default: {
      const int64_t year = floor_div(index, 12);
      return absl::CivilDay(year, static_cast<int>(index - year * 12) + 1, 1);
    }
  }
}

// The month (PeriodIndexOf by month) of a day given as days since 1970.
inline int64_t MonthOfDay(int64_t day) {
  return PeriodIndexOf(CivilOfDay(day), v1::COHORT_PERIOD_MONTH);
}
// The first day, as days since 1970, of `month`.
inline int64_t FirstDayOfMonth(int64_t month) {
  return DayOfCivil(PeriodStartOf(month, v1::COHORT_PERIOD_MONTH));
}

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_COHORT_PERIODS_H_

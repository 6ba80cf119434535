// Small statistics the reports share, defined once so that every report
// means the same by "median", "p90" and "rate" (docs/reports.md).
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_STATS_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_STATS_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "google/protobuf/duration.pb.h"

namespace clientele::reporting {

// The nearest-rank percentile: with the n values sorted ascending, the
// value of rank ceil(percent / 100 * n) (1-based, at least 1). So the
// median (50) of an even count is the lower of the two middle values, and
// every percentile is one of the values. Sorts `values`; requires it
// non-empty and 0 < percent <= 100.
inline int64_t NearestRankPercentile(std::vector<int64_t>& values,
                                     int percent) {
  std::sort(values.begin(), values.end());
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t rank = std::max<int64_t>(1, (percent * n + 99) / 100);
  return values[static_cast<size_t>(rank - 1)];
}

// part / whole, 0 when whole is 0.
inline double Rate(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0
                    : static_cast<double>(part) / static_cast<double>(whole);
}

// A count as the proto's int32 (saturating; counts never approach it).
inline int32_t Count32(int64_t count) {
  return static_cast<int32_t>(
      std::min<int64_t>(count, std::numeric_limits<int32_t>::max()));
}

// Whole seconds as a Duration.
inline google::protobuf::Duration Seconds(int64_t seconds) {
  google::protobuf::Duration duration;
  duration.set_seconds(seconds);
  return duration;
}

// Microseconds as a Duration.
inline google::protobuf::Duration Micros(int64_t micros) {
  google::protobuf::Duration duration;
  duration.set_seconds(micros / 1000000);
  duration.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return duration;
}

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_STATS_H_

// Time bounds of list requests: a google.protobuf.Timestamp as the whole
// microseconds stores keep, and a request's clientele.type.v1.TimeRange
// checked once, the same way in every service.
#ifndef CLIENTELE_COMMON_TIME_RANGE_H_
#define CLIENTELE_COMMON_TIME_RANGE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "clientele/type/v1/time_range.pb.h"
#include "common/errors.h"
#include "google/protobuf/timestamp.pb.h"

namespace clientele {

// A valid timestamp as whole microseconds since the epoch, truncated.
inline int64_t TimestampMicros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1000000 + timestamp.nanos() / 1000;
}

// The same, rounded up to the next whole microsecond: the bound a store
// compares against (nothing finer lies between, and an exclusive end keeps
// the microsecond just before it inside).
inline int64_t TimestampMicrosUp(const google::protobuf::Timestamp& timestamp) {
  return TimestampMicros(timestamp) + (timestamp.nanos() % 1000 != 0 ? 1 : 0);
}

// Checks the request's TimeRange `field` and narrows [*start_us, *end_us)
// (microseconds since the epoch; callers start from the widest range) to
// it, each set bound rounded up to a whole microsecond. Violations:
// "<field>.start_time" / "<field>.end_time" outside 0001-01-01..9999-12-31,
// "<field>" when start_time is after end_time.
void CheckTimeRange(const type::v1::TimeRange& range, absl::string_view field,
                    int64_t* start_us, int64_t* end_us,
                    FieldViolations* violations);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_TIME_RANGE_H_

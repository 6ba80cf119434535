#include "common/time_range.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"

namespace clientele {

void CheckTimeRange(const type::v1::TimeRange& range, absl::string_view field,
                    int64_t* start_us, int64_t* end_us,
                    FieldViolations* violations) {
  constexpr absl::string_view kOutOfRange =
      "must be between 0001-01-01 and 9999-12-31";
  bool valid = true;
  if (range.has_start_time()) {
    if (IsValidTimestamp(range.start_time())) {
      *start_us = TimestampMicrosUp(range.start_time());
    } else {
      valid = false;
      violations->Add(absl::StrCat(field, ".start_time"), kOutOfRange);
    }
  }
  if (range.has_end_time()) {
    if (IsValidTimestamp(range.end_time())) {
      *end_us = TimestampMicrosUp(range.end_time());
    } else {
      valid = false;
      violations->Add(absl::StrCat(field, ".end_time"), kOutOfRange);
    }
  }
  if (valid && range.has_start_time() && range.has_end_time() &&
      ToTime(range.start_time()) > ToTime(range.end_time())) {
    violations->Add(field, "start_time must not be after end_time");
  }
}

}  // namespace clientele

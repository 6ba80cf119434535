// Conversions between google.protobuf.Timestamp / Duration and absl::Time /
// absl::Duration, and the range checks every API applies to them.
#ifndef CLIENTELE_COMMON_PROTO_TIME_H_
#define CLIENTELE_COMMON_PROTO_TIME_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace clientele {

// Whether `timestamp` is within 0001-01-01..9999-12-31 with valid nanos, as
// google/protobuf/timestamp.proto requires.
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp);
absl::Time ToTime(const google::protobuf::Timestamp& timestamp);
void SetTimestamp(absl::Time time, google::protobuf::Timestamp* out);
google::protobuf::Timestamp ToTimestamp(absl::Time time);

// Whether `duration` is within +-10,000 years with nanos of the same sign.
bool IsValidDuration(const google::protobuf::Duration& duration);
absl::Duration ToDuration(const google::protobuf::Duration& duration);
void SetDuration(absl::Duration duration, google::protobuf::Duration* out);
google::protobuf::Duration ToDurationProto(absl::Duration duration);

// Microseconds since the Unix epoch: how SQL columns store times.
inline int64_t ToMicros(absl::Time time) { return absl::ToUnixMicros(time); }
inline absl::Time FromMicros(int64_t micros) {
  return absl::FromUnixMicros(micros);
}

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PROTO_TIME_H_

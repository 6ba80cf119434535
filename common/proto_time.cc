#include "common/proto_time.h"

namespace clientele {

bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, as google.protobuf says.
  return timestamp.seconds() >= -62135596800 &&
         timestamp.seconds() <= 253402300799 && timestamp.nanos() >= 0 &&
         timestamp.nanos() <= 999999999;
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

void SetTimestamp(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) /
                                      absl::Nanoseconds(1)));
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp out;
  SetTimestamp(time, &out);
  return out;
}

bool IsValidDuration(const google::protobuf::Duration& duration) {
  constexpr int64_t kMaxSeconds = 315576000000;  // 10,000 years
  if (duration.seconds() < -kMaxSeconds || duration.seconds() > kMaxSeconds) {
    return false;
  }
  if (duration.nanos() <= -1000000000 || duration.nanos() >= 1000000000) {
    return false;
  }
  return !(duration.seconds() > 0 && duration.nanos() < 0) &&
         !(duration.seconds() < 0 && duration.nanos() > 0);
}

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) +
         absl::Nanoseconds(duration.nanos());
}

void SetDuration(absl::Duration duration, google::protobuf::Duration* out) {
  const int64_t seconds =
      absl::IDivDuration(duration, absl::Seconds(1), &duration);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(duration / absl::Nanoseconds(1)));
}

google::protobuf::Duration ToDurationProto(absl::Duration duration) {
  google::protobuf::Duration out;
  SetDuration(duration, &out);
  return out;
}

}  // namespace clientele

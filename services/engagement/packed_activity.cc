#include "services/engagement/packed_activity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "common/proto_time.h"
#include "common/status_macros.h"

namespace clientele::engagement {
namespace {

// Fields of a bucket record, in record order.
constexpr int kBucketFields = 12;

// Differences modulo 2^64: defined for every pair of int64 and undone
// exactly by Add.
int64_t Sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) -
                              static_cast<uint64_t>(b));
}
int64_t Add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}

// Zigzag: small magnitudes of either sign have few significant bytes.
uint64_t Zigzag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}
int64_t Unzigzag(uint64_t v) {
  return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

void PutVarint(int64_t value, std::string* out) {
  uint64_t v = Zigzag(value);
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Bytes needed for `v` (at least one).
int Width(uint64_t v) {
  int width = 1;
  while (width < 8 && (v >> (8 * width)) != 0) ++width;
  return width;
}

// The 8 bytes at `p`, little-endian.
uint64_t Load64(const uint8_t* p) {
#if defined(ABSL_IS_LITTLE_ENDIAN)
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
#else
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
#endif
}

// Reads the header and contacts; once a read is cut short, failed() stays
// true and every later read answers 0, so callers check once per record.
class Reader {
 public:
  explicit Reader(absl::string_view data)
      : next_(reinterpret_cast<const uint8_t*>(data.data())),
        end_(next_ + data.size()) {}

  bool failed() const { return failed_; }
  const uint8_t* next() const { return next_; }
  int64_t left() const { return end_ - next_; }

  uint8_t Byte() {
    if (next_ == end_) return static_cast<uint8_t>(Fail());
    return *next_++;
  }

  int64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (next_ == end_) return Fail();
      const uint64_t byte = *next_++;
      v |= (byte & 0x7f) << shift;
      if (byte < 0x80) return Unzigzag(v);
    }
    return Fail();
  }

  // `size` bytes, or empty after a failure.
  absl::string_view Bytes(int64_t size) {
    if (size < 0 || size > left()) {
      Fail();
      return {};
    }
    absl::string_view bytes(reinterpret_cast<const char*>(next_),
                            static_cast<size_t>(size));
    next_ += size;
    return bytes;
  }

  // A record count: a negative one, or one that could not fit in what is
  // left (each record takes at least a byte), fails.
  int64_t Count() {
    const int64_t count = Varint();
    if (count < 0 || count > left()) return Fail();
    return count;
  }

 private:
  int64_t Fail() {
    failed_ = true;
    next_ = end_;
    return 0;
  }

  const uint8_t* next_;
  const uint8_t* end_;
  bool failed_ = false;
};

absl::Status Corrupt() {
  return absl::DataLossError("stored packed activity does not parse");
}

// A contact's or a staff member's line: the name, then count, first and
// last time.
void PutLine(const std::string& name, int64_t count, absl::Time first,
             absl::Time last, std::string* out) {
  PutVarint(static_cast<int64_t>(name.size()), out);
  out->append(name);
  PutVarint(count, out);
  const int64_t first_us = ToMicros(first);
  PutVarint(first_us, out);
  PutVarint(Sub(ToMicros(last), first_us), out);
}

// Reads the lines PutLine wrote, `Line` being ContactActivity or
// StaffActivity (name, count, first_time, last_time, in that order).
template <typename Line>
absl::Status ReadLines(Reader& in, std::vector<Line>* lines) {
  const int64_t count = in.Count();
  lines->clear();
  lines->reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    std::string name(in.Bytes(in.Varint()));
    const int64_t n = in.Varint();
    const int64_t first_us = in.Varint();
    const int64_t last_us = Add(first_us, in.Varint());
    if (in.failed()) return Corrupt();
    lines->push_back(
        Line{std::move(name), n, FromMicros(first_us), FromMicros(last_us)});
  }
  return in.failed() ? Corrupt() : absl::OkStatus();
}

}  // namespace

std::string PackActivity(const std::vector<KindBucket>& buckets,
                         const std::vector<ContactActivity>& contacts,
                         const std::vector<StaffActivity>& staff) {
  std::string out;
  out.push_back(static_cast<char>(kPackedActivityVersion));
  PutVarint(static_cast<int64_t>(contacts.size()), &out);
  for (const ContactActivity& c : contacts) {
    PutLine(c.contact, c.count, c.first_time, c.last_time, &out);
  }
  PutVarint(static_cast<int64_t>(staff.size()), &out);
  for (const StaffActivity& s : staff) {
    PutLine(s.staff_user, s.count, s.first_time, s.last_time, &out);
  }

  PutVarint(static_cast<int64_t>(buckets.size()), &out);
  if (buckets.empty()) return out;
  const int64_t base_week_us = ToMicros(buckets.front().week_start);
  PutVarint(base_week_us, &out);
  std::vector<std::array<uint64_t, kBucketFields>> records;
  records.reserve(buckets.size());
  int64_t previous_week_us = base_week_us;
  for (const KindBucket& b : buckets) {
    const int64_t week_us = ToMicros(b.week_start);
    const int64_t first_us = ToMicros(b.first_time);
    records.push_back({Zigzag(Sub(week_us, previous_week_us)),
                       Zigzag(int64_t{b.kind}), Zigzag(b.count),
                       Zigzag(b.personalized), Zigzag(b.standard),
                       Zigzag(b.inbound), Zigzag(b.amount_minor),
                       Zigzag(b.amount_count), Zigzag(b.rating_sum),
                       Zigzag(b.rating_count), Zigzag(Sub(first_us, week_us)),
                       Zigzag(Sub(ToMicros(b.last_time), first_us))});
    previous_week_us = week_us;
  }
  std::array<int, kBucketFields> widths;
  widths.fill(1);
  for (const auto& record : records) {
    for (int f = 0; f < kBucketFields; ++f) {
      widths[f] = std::max(widths[f], Width(record[f]));
    }
  }
  for (int width : widths) out.push_back(static_cast<char>(width));
  for (const auto& record : records) {
    for (int f = 0; f < kBucketFields; ++f) {
      for (int i = 0; i < widths[f]; ++i) {
        out.push_back(static_cast<char>(record[f] >> (8 * i)));
      }
    }
  }
  out.append(7, '\0');  // so that the last field can be loaded as 8 bytes
  return out;
}

absl::Status UnpackActivity(absl::string_view packed, int64_t min_week_us,
                            ActivitySummary* summary) {
  Reader in(packed);
  if (in.Byte() != kPackedActivityVersion) return Corrupt();

  RETURN_IF_ERROR(ReadLines(in, &summary->contacts));
  RETURN_IF_ERROR(ReadLines(in, &summary->staff));

  const int64_t bucket_count = in.Count();
  if (in.failed()) return Corrupt();
  std::vector<KindBucket>& buckets = summary->buckets;
  buckets.clear();
  if (bucket_count == 0) return absl::OkStatus();
  int64_t week_us = in.Varint();
  // Every field of every record is at a fixed offset: the loads below are
  // independent of one another, and checked against the size once, here.
  std::array<int64_t, kBucketFields> offsets;
  std::array<uint64_t, kBucketFields> masks;
  int64_t record_size = 0;
  for (int f = 0; f < kBucketFields; ++f) {
    const int width = in.Byte();
    if (width < 1 || width > 8) return Corrupt();
    offsets[f] = record_size;
    masks[f] = width == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1;
    record_size += width;
  }
  if (in.failed() || in.left() != bucket_count * record_size + 7) {
    return Corrupt();
  }
  buckets.reserve(static_cast<size_t>(bucket_count));
  const uint8_t* record = in.next();
  absl::Time week_start = FromMicros(week_us);
  for (int64_t i = 0; i < bucket_count; ++i, record += record_size) {
    int64_t v[kBucketFields];
    for (int f = 0; f < kBucketFields; ++f) {
      v[f] = Unzigzag(Load64(record + offsets[f]) & masks[f]);
    }
    // Several kinds share a week: convert its start once.
    if (v[0] != 0) {
      week_us = Add(week_us, v[0]);
      week_start = FromMicros(week_us);
    }
    if (week_us < min_week_us) continue;  // older than asked for
    const int64_t first_us = Add(week_us, v[10]);
    // Built whole, not default-constructed then assigned: zeroing each
    // bucket first was a fifth of the decoding.
    buckets.push_back(
        KindBucket{week_start, static_cast<v1::InteractionKind>(v[1]), v[2],
                   v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                   FromMicros(first_us), FromMicros(Add(first_us, v[11]))});
  }
  return absl::OkStatus();
}

}  // namespace clientele::engagement

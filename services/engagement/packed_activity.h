// An account's activity aggregates (every bucket, contact and staff member)
// packed into one string, so that scoring reads one database row instead of
// one per week and kind. The packed form is derived data: activity_buckets,
// activity_contacts and activity_staff stay the source of truth, and the
// store rewrites the packed copy whenever it changes them.
//
// Format (version 2; version 1 had no staff section, and migration 11
// dropped every version 1 row). A varint is the LEB128 encoding of a signed
// 64-bit value zigzagged; "delta" fields are differences taken modulo 2^64, so
// that every int64 (InfinitePast's micros included) round-trips.
//   version            1 byte, kPackedActivityVersion
//   contact count      varint
//   per contact, in the order given (the store's: by contact name)
//     name length      varint, then the name's bytes ("contacts/{id}")
//     count            varint
//     first_us         varint
//     last_us          varint, delta from first_us
//   staff count        varint
//   per staff member, in the order given (the store's: by staff user), as
//   a contact: name length and bytes (the staff user), count, first_us,
//   last_us
//   bucket count       varint; when it is not 0:
//   base week_us       varint, the first bucket's
//   widths             12 bytes, 1 to 8: the width of each record field
//   records            one per bucket, in the order given (ActivitySummary's:
//                      week, then kind). Each field is a zigzagged value in
//                      its width's bytes, little-endian, in this order:
//     week_us          delta from the previous bucket's (the first: from the
//                      base)
//     kind, count, personalized, standard, inbound, amount_minor,
//     amount_count, rating_sum, rating_count
//     first_us         delta from week_us
//     last_us          delta from first_us
//   padding            7 zero bytes
// Bucket records have a fixed size, so that reading one does not wait on
// the length of the one before (as varints would): decoding is a load and
// a mask per field. Buckets older than a reader wants are skipped over, not
// sought: it keeps the common case, every bucket in the window, a single
// forward pass.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_PACKED_ACTIVITY_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_PACKED_ACTIVITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

inline constexpr uint8_t kPackedActivityVersion = 2;

// `buckets` must be sorted by week_start then kind (ActivitySummary's
// order); contacts and staff are kept in the order given.
std::string PackActivity(const std::vector<KindBucket>& buckets,
                         const std::vector<ContactActivity>& contacts,
                         const std::vector<StaffActivity>& staff);

// Replaces summary->buckets with the packed buckets whose week_start, in
// microseconds, is at least `min_week_us` (sorted by week_start then kind),
// summary->contacts with every packed contact and summary->staff with every
// packed staff member. Other fields are left alone. DATA_LOSS when `packed`
// is not version 2 or is cut short; `summary` is then unspecified.
absl::Status UnpackActivity(absl::string_view packed, int64_t min_week_us,
                            ActivitySummary* summary);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_PACKED_ACTIVITY_H_

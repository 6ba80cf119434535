// Checks and normal forms for the values contacts stores: text lengths in
// characters, NFC, calendar dates, locales, time zones and currencies. Each
// check adds a violation naming the field's path and returns whether the
// value passed, so a caller can report every bad field of a request at once.
#ifndef CLIENTELE_SERVICES_CONTACTS_FIELD_CHECKS_H_
#define CLIENTELE_SERVICES_CONTACTS_FIELD_CHECKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/type/v1/date.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "google/protobuf/timestamp.pb.h"

namespace clientele::contacts {

// `text` trimmed of leading and trailing white space and NFC-normalized.
// `text` must be valid (IsValidText).
std::string NormalizeText(absl::string_view text);

// Lower-cased (root locale) `text`, which must be valid.
std::string LowerCase(absl::string_view text);

// Checks that `*value` is valid text of at most `max_chars` characters
// (and not empty when `required`), then replaces it by NormalizeText.
bool CheckText(std::string* value, absl::string_view path, int max_chars,
               bool required, FieldViolations* violations);

// A real calendar date, year 1-9999 (or 0 when `allow_yearless`).
bool CheckDate(const type::v1::Date& date, absl::string_view path,
               bool allow_yearless, FieldViolations* violations);

// <0, 0, >0 as a is before, the same day as, or after b.
int CompareDates(const type::v1::Date& a, const type::v1::Date& b);

// Today in `time_zone` (UTC when empty or unknown).
type::v1::Date DateAt(absl::Time now, absl::string_view time_zone);

// A well-formed BCP 47 language tag ("tr-TR", "zh-Hans-CN").
bool IsValidLocale(absl::string_view tag);
// A known IANA time zone ("Europe/Istanbul").
bool IsValidTimeZone(absl::string_view zone);

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_FIELD_CHECKS_H_

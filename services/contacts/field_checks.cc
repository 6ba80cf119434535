#include "services/contacts/field_checks.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/contacts/text.h"
#include "unicode/errorcode.h"
#include "unicode/locid.h"
#include "unicode/normalizer2.h"
#include "unicode/uloc.h"
#include "unicode/unistr.h"
#include "unicode/ustring.h"

namespace clientele::contacts {

std::string NormalizeText(absl::string_view text) {
  // ASCII is already in NFC: most names and every address skip ICU.
  if (std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
      })) {
    return std::string(absl::StripAsciiWhitespace(text));
  }
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  unicode.trim();
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_SUCCESS(error)) {
    icu::UnicodeString normalized = nfc->normalize(unicode, error);
    if (U_SUCCESS(error)) unicode = normalized;
  }
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

std::string LowerCase(absl::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  unicode.toLower(icu::Locale::getRoot());
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

bool CheckText(std::string* value, absl::string_view path, int max_chars,
               bool required, FieldViolations* violations) {
  return ::clientele::CheckText(value, path, max_chars, required,
                                /*multiline=*/false, violations,
                                &NormalizeText);
}

bool CheckDate(const type::v1::Date& date, absl::string_view path,
               bool allow_yearless, FieldViolations* violations) {
  const bool year_ok = (date.year() >= 1 && date.year() <= 9999) ||
                       (allow_yearless && date.year() == 0);
  if (!year_ok) {
    violations->Add(path, allow_yearless ? "year must be 0 or 1-9999"
                                         : "year must be 1-9999");
    return false;
  }
  if (date.month() < 1 || date.month() > 12 || date.day() < 1 ||
      date.day() > 31) {
    violations->Add(path, "not a calendar date");
    return false;
  }
  // Year 0 recurs every year, so 29 February is allowed (a leap year).
  const int64_t year = date.year() == 0 ? 2000 : date.year();
  const absl::CivilDay day(year, date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day()) {
    violations->Add(path, "not a calendar date");
    return false;
  }
  return true;
}

int CompareDates(const type::v1::Date& a, const type::v1::Date& b) {
  if (a.year() != b.year()) return a.year() < b.year() ? -1 : 1;
  if (a.month() != b.month()) return a.month() < b.month() ? -1 : 1;
  if (a.day() != b.day()) return a.day() < b.day() ? -1 : 1;
  return 0;
}

type::v1::Date DateAt(absl::Time now, absl::string_view time_zone) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!time_zone.empty() && IsValidTimeZone(time_zone)) {
    absl::LoadTimeZone(std::string(time_zone), &zone);
  }
  const absl::CivilDay day = absl::ToCivilDay(now, zone);
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool IsValidLocale(absl::string_view tag) {
  if (tag.empty() || tag.size() > 64) return false;
  // BCP 47 tags are ASCII letters, digits and hyphens.
  const bool ascii = std::all_of(tag.begin(), tag.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
  if (!ascii || tag.front() == '-' || tag.back() == '-') return false;
  const std::string text(tag);
  char locale_id[ULOC_FULLNAME_CAPACITY];
  int32_t parsed = 0;
  UErrorCode error = U_ZERO_ERROR;
  uloc_forLanguageTag(text.c_str(), locale_id, sizeof(locale_id), &parsed,
                      &error);
  return U_SUCCESS(error) && error != U_STRING_NOT_TERMINATED_WARNING &&
         parsed == static_cast<int32_t>(text.size());
}

bool IsValidTimeZone(absl::string_view zone) {
  if (zone.empty() || zone.size() > 64) return false;
  // Zone names are looked up as files: allow only what IANA names use, and
  // no "..", so a name can never leave the zoneinfo directory.
  const bool safe = std::all_of(zone.begin(), zone.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' ||
           c == '_' || c == '-' || c == '+';
  });
  if (!safe || zone.front() == '/' || zone.find("..") != zone.npos ||
      zone.find("//") != zone.npos) {
    return false;
  }
  absl::TimeZone tz;
  return absl::LoadTimeZone(std::string(zone), &tz);
}

}  // namespace clientele::contacts

#include "services/reporting/dashboard/format.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/money.h"
#include "unicode/ucurr.h"

namespace clientele::reporting::dashboard {
namespace {

int FractionDigits(absl::string_view code) {
  if (!IsKnownCurrency(code)) return 2;
  UChar iso[4] = {static_cast<UChar>(code[0]), static_cast<UChar>(code[1]),
                  static_cast<UChar>(code[2]), 0};
  UErrorCode error = U_ZERO_ERROR;
  const int32_t digits = ucurr_getDefaultFractionDigits(iso, &error);
  return U_SUCCESS(error) && digits >= 0 && digits <= 4 ? digits : 2;
}

// "1234567" -> "1,234,567" (digits only).
std::string GroupThousands(const std::string& digits) {
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (size_t i = first; i < digits.size(); i += 3) {
    out += ',';
    out.append(digits, i, 3);
  }
  return out;
}

// |value| as digits; exact for INT64_MIN too.
std::string AbsDigits(int64_t value) {
  const uint64_t magnitude = value < 0 ? ~static_cast<uint64_t>(value) + 1
                                       : static_cast<uint64_t>(value);
  return absl::StrCat(magnitude);
}

// Splits |minor| into whole and fraction digits for `digits` decimals.
void SplitMinor(int64_t minor, int digits, std::string* whole,
                std::string* fraction) {
  std::string all = AbsDigits(minor);
  if (static_cast<int>(all.size()) <= digits) {
    all.insert(0, digits + 1 - all.size(), '0');
  }
  *whole = all.substr(0, all.size() - digits);
  *fraction = all.substr(all.size() - digits);
}

}  // namespace

std::string FormatCount(int64_t value) {
  return absl::StrCat(value < 0 ? "-" : "", GroupThousands(AbsDigits(value)));
}

std::string FormatMoney(const type::v1::Money& money) {
  const int digits = FractionDigits(money.currency_code());
  std::string whole;
  std::string fraction;
  SplitMinor(money.amount_minor_units(), digits, &whole, &fraction);
  return absl::StrCat(money.amount_minor_units() < 0 ? "-" : "",
                      GroupThousands(whole), digits > 0 ? "." : "", fraction,
                      money.currency_code().empty() ? "" : " ",
                      money.currency_code());
}

std::string MoneyDecimal(const type::v1::Money& money) {
  const int digits = FractionDigits(money.currency_code());
  std::string whole;
  std::string fraction;
  SplitMinor(money.amount_minor_units(), digits, &whole, &fraction);
  return absl::StrCat(money.amount_minor_units() < 0 ? "-" : "", whole,
                      digits > 0 ? "." : "", fraction);
}

std::string FormatPercent(double rate) {
  if (!std::isfinite(rate)) return "-";
  // Tenths of a percent, rounded half away from zero.
  const int64_t tenths = std::llround(rate * 1000);
  return absl::StrCat(tenths < 0 ? "-" : "", std::llabs(tenths) / 10, ".",
                      std::llabs(tenths) % 10, "%");
}

std::string FormatDecimal(double value, int digits) {
  if (!std::isfinite(value)) return "";
  std::string out = absl::StrFormat("%.*f", digits, value);
  if (out == absl::StrFormat("-%.*f", digits, 0.0)) out.erase(0, 1);
  return out;
}

std::string FormatDuration(const google::protobuf::Duration& duration) {
  int64_t seconds = duration.seconds();
  const char* sign = seconds < 0 ? "-" : "";
  seconds = std::llabs(seconds);
  const int64_t days = seconds / 86400;
  const int64_t hours = seconds % 86400 / 3600;
  const int64_t minutes = seconds % 3600 / 60;
  if (days > 0) return absl::StrCat(sign, days, "d ", hours, "h");
  if (hours > 0) return absl::StrCat(sign, hours, "h ", minutes, "m");
  if (minutes > 0) return absl::StrCat(sign, minutes, "m");
  return absl::StrCat(sign, seconds, "s");
}

std::string DurationSeconds(const google::protobuf::Duration& duration) {
  return absl::StrCat(duration.seconds());
}

std::string FormatDate(const type::v1::Date& date) {
  if (date.year() == 0) return "";
  if (date.day() == 0) {
    return absl::StrFormat("%04d-%02d", date.year(), date.month());
  }
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string FormatTimeUs(int64_t us) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixMicros(us),
                          absl::UTCTimeZone());
}

std::string Rfc3339Us(int64_t us) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMicros(us),
                          absl::UTCTimeZone());
}

namespace {

// The value's name without its enum's prefix, in lower case.
std::string ShortName(const google::protobuf::EnumValueDescriptor* value) {
  // RelationshipMode -> RELATIONSHIP_MODE
  std::string upper;
  for (const char c : value->type()->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !upper.empty()) {
      upper += '_';
    }
    upper += absl::ascii_toupper(static_cast<unsigned char>(c));
  }
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, absl::StrCat(upper, "_"));
  return absl::AsciiStrToLower(name);
}

}  // namespace

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor,
                      int value, absl::string_view unspecified) {
  if (value == 0) return std::string(unspecified);
  const google::protobuf::EnumValueDescriptor* found =
      descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  std::string label = absl::StrReplaceAll(ShortName(found), {{"_", " "}});
  if (!label.empty()) label[0] = absl::ascii_toupper(label[0]);
  return label;
}

std::string EnumToken(const google::protobuf::EnumDescriptor* descriptor,
                      int value) {
  const google::protobuf::EnumValueDescriptor* found =
      descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  return ShortName(found);
}

std::optional<int> ParseEnumToken(
    const google::protobuf::EnumDescriptor* descriptor,
    absl::string_view token) {
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    if (absl::EqualsIgnoreCase(token, ShortName(value)) ||
        token == value->name()) {
      return value->number();
    }
  }
  return std::nullopt;
}

std::string ModeLabel(int mode) {
  return EnumLabel(type::v1::RelationshipMode_descriptor(), mode, "Not scored");
}

std::string BandLabel(int band) {
  return EnumLabel(type::v1::ScoreBand_descriptor(), band, "Not scored");
}

std::string TierLabel(int tier) {
  return EnumLabel(type::v1::AccountTier_descriptor(), tier, "No tier");
}

std::string SegmentLabel(int segment) {
  if (segment == 0) return "Not set";
  return absl::AsciiStrToUpper(
      EnumLabel(type::v1::AccountSegment_descriptor(), segment));
}

}  // namespace clientele::reporting::dashboard

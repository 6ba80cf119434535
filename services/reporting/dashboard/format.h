// How the dashboard writes numbers, money, times and enum values, the same
// way on every page, in every chart and in every CSV export: fixed formats
// that do not depend on the process's locale.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_FORMAT_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/date.pb.h"
#include "clientele/type/v1/money.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"

namespace clientele::reporting::dashboard {

// "1,234,567" / "-12".
std::string FormatCount(int64_t value);

// "1,234.56 EUR": minor units with the currency's ISO 4217 fraction digits
// (two when the code is not known).
std::string FormatMoney(const type::v1::Money& money);

// The amount alone, as a plain number for CSV: "1234.56", "-0.50", "12".
std::string MoneyDecimal(const type::v1::Money& money);

// A 0.0-1.0 rate as a percentage with one decimal: "45.5%".
std::string FormatPercent(double rate);

// A plain decimal for CSV with `digits` decimals: "0.4550".
std::string FormatDecimal(double value, int digits);

// "2d 3h", "3h 20m", "12m", "45s", "0s".
std::string FormatDuration(const google::protobuf::Duration& duration);

// Whole seconds, for CSV.
std::string DurationSeconds(const google::protobuf::Duration& duration);

// "2026-01-31"; "2026-01" when the day is 0; "" for an unset date.
std::string FormatDate(const type::v1::Date& date);

// A time in microseconds since the epoch as "2026-01-31 14:05 UTC".
std::string FormatTimeUs(int64_t us);
// As RFC 3339 in UTC, for CSV: "2026-01-31T14:05:00Z".
std::string Rfc3339Us(int64_t us);

// An enum value for people: "RELATIONSHIP_MODE_NEEDS_ATTENTION" of enum
// RelationshipMode reads "Needs attention" (the enum's prefix dropped).
// `unspecified` stands for value 0; unknown values read as their number.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor,
                      int value, absl::string_view unspecified = "Not set");

// The same value as a URL and CSV token: "needs_attention".
std::string EnumToken(const google::protobuf::EnumDescriptor* descriptor,
                      int value);

// The value a token names: its short form ("needs_attention", any case) or
// its full name ("SCORE_BAND_NEEDS_ATTENTION"); nullopt when none does.
std::optional<int> ParseEnumToken(
    const google::protobuf::EnumDescriptor* descriptor,
    absl::string_view token);

// The labels of the enums every page shows, with what their zero value
// means there: "Not scored" for a mode or band, "No tier" for a tier.
std::string ModeLabel(int mode);
std::string BandLabel(int band);
std::string TierLabel(int tier);
// "B2B", "B2C"; "Not set".
std::string SegmentLabel(int segment);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_FORMAT_H_

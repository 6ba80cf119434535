#include "services/reporting/dashboard/dashboard_query.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"

namespace clientele::reporting::dashboard {
namespace {

// The parameters this file reads, in the order `given` keeps them.
constexpr const char* kKnownParams[] = {
    "from",    "to",    "as_of", "currency", "tier",       "mode",  "segment",
    "manager", "owner", "year",  "quarter",  "deal_owner", "period"};

// At most 40 bytes of a bad value, for an error message (escaped where it is
// shown).
std::string Excerpt(absl::string_view value) {
  if (value.size() <= 40) return absl::StrCat("\"", value, "\"");
  return absl::StrCat("\"", value.substr(0, 40), "...\"");
}

absl::Status ParamError(absl::string_view param, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(param, ": ", problem));
}

// The one value of a single-valued parameter, nullopt when absent.
absl::StatusOr<std::optional<std::string>> Single(const QueryParams& params,
                                                  const std::string& name) {
  const auto range = params.equal_range(name);
  if (range.first == range.second) return std::optional<std::string>();
  if (std::next(range.first) != range.second) {
    return ParamError(name, "given more than once");
  }
  std::string value(absl::StripAsciiWhitespace(range.first->second));
  if (value.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

// Every value of a list parameter, commas splitting.
std::vector<std::string> List(const QueryParams& params,
                              const std::string& name) {
  std::vector<std::string> values;
  const auto range = params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    for (absl::string_view part : absl::StrSplit(it->second, ',')) {
      part = absl::StripAsciiWhitespace(part);
      if (!part.empty()) values.emplace_back(part);
    }
  }
  return values;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view param,
                                        absl::string_view value) {
  absl::CivilDay day;
  // ParseCivilTime accepts only the canonical YYYY-MM-DD, and a real date.
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      day.year() < 1 || day.year() > 9999) {
    return ParamError(
        param, absl::StrCat("not a date (YYYY-MM-DD): ", Excerpt(value)));
  }
  return day;
}

absl::Time StartOf(absl::CivilDay day) {
  return absl::FromCivil(day, absl::UTCTimeZone());
}

absl::Status AddEnums(const QueryParams& params, const std::string& name,
                      const google::protobuf::EnumDescriptor* descriptor,
                      google::protobuf::RepeatedField<int>* out) {
  for (const std::string& token : List(params, name)) {
    const std::optional<int> value = ParseEnumToken(descriptor, token);
    if (!value.has_value()) {
      std::vector<std::string> names;
      for (int i = 1; i < descriptor->value_count(); ++i) {
        names.push_back(EnumToken(descriptor, descriptor->value(i)->number()));
      }
      return ParamError(
          name, absl::StrCat("not one of ", absl::StrJoin(names, ", "), ": ",
                             Excerpt(token)));
    }
    out->Add(*value);
  }
  return absl::OkStatus();
}

void QuarterOf(absl::Time time, int* year, int* quarter) {
  const absl::CivilDay day = absl::ToCivilDay(time, absl::UTCTimeZone());
  *year = static_cast<int>(day.year());
  *quarter = (day.month() - 1) / 3 + 1;
}

}  // namespace

absl::StatusOr<DashboardQuery> ParseDashboardQuery(const QueryParams& params,
                                                   absl::Time now) {
  for (const auto& [name, value] : params) {
    if (value.size() > kMaxParamChars) {
      return ParamError(
          name.size() > 40 ? "a parameter" : name,
          absl::StrCat("longer than ", kMaxParamChars, " characters"));
    }
  }
  DashboardQuery query;
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());

  absl::StatusOr<std::optional<std::string>> from = Single(params, "from");
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<std::string>> to = Single(params, "to");
  if (!to.ok()) return to.status();
  absl::CivilDay last_day = today;
  if (to->has_value()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay("to", **to);
    if (!day.ok()) return day.status();
    last_day = *day;
  }
  // The last 12 months: the same day a year before the day after last_day.
  const absl::CivilDay end_day = last_day + 1;
  absl::CivilDay first_day =
      absl::CivilDay(absl::CivilMonth(end_day.year() - 1, end_day.month()));
  first_day += end_day.day() - 1;
  if (from->has_value()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay("from", **from);
    if (!day.ok()) return day.status();
    first_day = *day;
  }
  if (first_day.year() < 1 || end_day.year() > 9999) {
    return ParamError("to", "must be a day before 9999-12-31");
  }
  SetTimestamp(StartOf(first_day), query.time_range.mutable_start_time());
  SetTimestamp(StartOf(end_day), query.time_range.mutable_end_time());

  absl::StatusOr<std::optional<std::string>> as_of = Single(params, "as_of");
  if (!as_of.ok()) return as_of.status();
  if (as_of->has_value()) {
    absl::Time time;
    std::string error;
    if ((*as_of)->size() == 10) {
      absl::StatusOr<absl::CivilDay> day = ParseDay("as_of", **as_of);
      if (!day.ok()) return day.status();
      // The end of that day; now for today (the end would be the future).
      time = *day == today ? now : StartOf(*day + 1) - absl::Microseconds(1);
    } else if (!absl::ParseTime(absl::RFC3339_full, **as_of, &time, &error) ||
               time < StartOf(absl::CivilDay(1, 1, 1)) ||
               time >= StartOf(absl::CivilDay(10000, 1, 1))) {
      return ParamError("as_of", absl::StrCat("not a date (YYYY-MM-DD) nor an "
                                              "RFC 3339 time: ",
                                              Excerpt(**as_of)));
    }
    query.as_of_time = ToTimestamp(time);
  }

  absl::StatusOr<std::optional<std::string>> currency =
      Single(params, "currency");
  if (!currency.ok()) return currency.status();
  if (currency->has_value()) {
    query.currency_code = absl::AsciiStrToUpper(**currency);
  }

  absl::Status status =
      AddEnums(params, "tier", type::v1::AccountTier_descriptor(),
               query.filter.mutable_tiers());
  if (!status.ok()) return status;
  status = AddEnums(params, "mode", type::v1::RelationshipMode_descriptor(),
                    query.filter.mutable_modes());
  if (!status.ok()) return status;
  status = AddEnums(params, "segment", type::v1::AccountSegment_descriptor(),
                    query.filter.mutable_segments());
  if (!status.ok()) return status;
  for (const char* name : {"manager", "owner", "deal_owner"}) {
    absl::StatusOr<std::optional<std::string>> value = Single(params, name);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    if (absl::string_view(name) == "manager") {
      query.filter.set_account_manager(**value);
    } else if (absl::string_view(name) == "owner") {
      query.filter.set_owner(**value);
    } else {
      query.deal_owner = **value;
    }
  }

  for (const char* name : {"year", "quarter"}) {
    absl::StatusOr<std::optional<std::string>> value = Single(params, name);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    int number = 0;
    if (!absl::SimpleAtoi(**value, &number)) {
      return ParamError(name,
                        absl::StrCat("not a whole number: ", Excerpt(**value)));
    }
    (absl::string_view(name) == "year" ? query.year : query.quarter) = number;
  }
  if ((query.year == 0) != (query.quarter == 0)) {
    return ParamError(query.year == 0 ? "year" : "quarter",
                      "year and quarter go together");
  }

  absl::StatusOr<std::optional<std::string>> period = Single(params, "period");
  if (!period.ok()) return period.status();
  if (period->has_value()) {
    const std::optional<int> value =
        ParseEnumToken(v1::CohortPeriod_descriptor(), **period);
    if (!value.has_value() || *value == 0) {
      return ParamError("period", absl::StrCat("not one of month, quarter, "
                                               "year: ",
                                               Excerpt(**period)));
    }
    query.period = static_cast<v1::CohortPeriod>(*value);
  }

  for (const char* name : kKnownParams) {
    const auto range = params.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) {
      if (absl::StripAsciiWhitespace(it->second).empty()) continue;
      query.given.emplace_back(name, it->second);
    }
  }
  return query;
}

std::string DashboardQuery::QueryString(
    std::initializer_list<absl::string_view> except) const {
  std::vector<std::string> parts;
  for (const auto& [name, value] : given) {
    if (std::find(except.begin(), except.end(), name) != except.end()) {
      continue;
    }
    parts.push_back(absl::StrCat(name, "=", UrlEncode(value)));
  }
  return absl::StrJoin(parts, "&");
}

namespace {

template <typename Request>
void SetCommon(const DashboardQuery& query, Request* request) {
  *request->mutable_time_range() = query.time_range;
  if (query.as_of_time.has_value()) {
    *request->mutable_as_of_time() = *query.as_of_time;
  }
  *request->mutable_filter() = query.filter;
}

}  // namespace

v1::GetPortfolioReportRequest DashboardQuery::PortfolioRequest() const {
  v1::GetPortfolioReportRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  return request;
}

v1::GetSupportReportRequest DashboardQuery::SupportRequest() const {
  v1::GetSupportReportRequest request;
  SetCommon(*this, &request);
  return request;
}

v1::GetWorkloadReportRequest DashboardQuery::WorkloadRequest() const {
  v1::GetWorkloadReportRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  return request;
}

v1::ListAtRiskAccountsRequest DashboardQuery::AtRiskRequest(
    int page_size) const {
  v1::ListAtRiskAccountsRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  request.set_page_size(page_size);
  return request;
}

v1::GetConversionFunnelReportRequest DashboardQuery::FunnelRequest() const {
  v1::GetConversionFunnelReportRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  return request;
}

v1::GetRetentionReportRequest DashboardQuery::RetentionRequest() const {
  v1::GetRetentionReportRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  request.set_period(period);
  return request;
}

v1::GetPipelineReportRequest DashboardQuery::PipelineRequest(
    absl::Time now) const {
  v1::GetPipelineReportRequest request;
  int y = year;
  int q = quarter;
  if (y == 0) QuarterOf(as_of_time ? ToTime(*as_of_time) : now, &y, &q);
  request.set_year(y);
  request.set_quarter(q);
  if (as_of_time.has_value()) *request.mutable_as_of_time() = *as_of_time;
  *request.mutable_filter() = filter;
  request.set_currency_code(currency_code);
  request.set_deal_owner(deal_owner);
  return request;
}

v1::ListReportAccountsRequest DashboardQuery::AccountsRequest() const {
  v1::ListReportAccountsRequest request;
  SetCommon(*this, &request);
  request.set_currency_code(currency_code);
  request.set_period(period);
  request.set_deal_owner(deal_owner);
  return request;
}

absl::Status ToQueryError(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return status;
  static constexpr std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"time_range", "from/to"},
      {"as_of_time", "as_of"},
      {"currency_code", "currency"},
      {"filter.tiers", "tier"},
      {"filter.modes", "mode"},
      {"filter.segments", "segment"},
      {"filter.account_manager", "manager"},
      {"filter.owner", "owner"},
      {"year", "year"},
      {"quarter", "quarter"},
      {"deal_owner", "deal_owner"},
      {"period", "period"},
      {"page_size", "page_size"},
      {"page_token", "page_token"},
  };
  std::vector<std::string> parts;
  for (const FieldViolation& violation : violations) {
    std::string name = violation.field;
    absl::string_view aggregate_field = violation.field;
    if (absl::ConsumePrefix(&aggregate_field, "aggregate.")) {
      // aggregate.<report>.<field> -> a.<field>
      const size_t dot = aggregate_field.find('.');
      name = dot == absl::string_view::npos
                 ? "aggregate"
                 : absl::StrCat("a.", aggregate_field.substr(dot + 1));
    }
    for (const auto& [field, param] : kNames) {
      if (absl::StartsWith(violation.field, field)) {
        name = std::string(param);
        break;
      }
    }
    parts.push_back(absl::StrCat(name, ": ", violation.description));
  }
  return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
}

}  // namespace clientele::reporting::dashboard

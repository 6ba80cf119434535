#include "services/reporting/report_request.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"

namespace clientele::reporting {
namespace {

constexpr absl::string_view kBadTimestamp =
    "must be a valid timestamp between 0001-01-01 and 9999-12-31 (nanos "
    "0-999,999,999)";

// How a request without as_of_time reads it.
enum class AsOfDefault {
  kEarlierOfNowAndEnd,  // min(now, time_range.end_time)
  kNow,
};

// What every report request has, before it is checked.
struct CommonFields {
  // Whether the request has a time_range field (the pipeline has a quarter
  // instead), and the range it holds (nullptr: unset).
  bool takes_range = true;
  const type::v1::TimeRange* time_range = nullptr;
  const google::protobuf::Timestamp* as_of_time = nullptr;  // nullptr: unset
  const v1::ReportFilter* filter = nullptr;
  absl::string_view currency_code;
  AsOfDefault as_of_default = AsOfDefault::kEarlierOfNowAndEnd;
};

// Checks a required timestamp of the time range.
bool CheckBound(bool has, const google::protobuf::Timestamp& bound,
                absl::string_view field, FieldViolations* violations) {
  if (!has) {
    violations->Add(field, "required");
    return false;
  }
  if (!IsValidTimestamp(bound)) {
    violations->Add(field, kBadTimestamp);
    return false;
  }
  return true;
}

// Checks time_range (nullptr: unset) into scope->start_us / end_us; false
// when it is bad.
bool CheckReportTimeRange(const type::v1::TimeRange* range, ReportScope* scope,
                          FieldViolations* violations) {
  if (range == nullptr) {
    violations->Add("time_range", "required, with start_time and end_time");
    return false;
  }
  const bool start_ok = CheckBound(range->has_start_time(), range->start_time(),
                                   "time_range.start_time", violations);
  const bool end_ok = CheckBound(range->has_end_time(), range->end_time(),
                                 "time_range.end_time", violations);
  if (!start_ok || !end_ok) return false;
  const absl::Time start = ToTime(range->start_time());
  const absl::Time end = ToTime(range->end_time());
  if (start >= end) {
    violations->Add("time_range", "start_time must be before end_time");
    return false;
  }
  if (end - start > kMaxReportSpan) {
    violations->Add("time_range", "may span at most 5 years");
    return false;
  }
  scope->start_us = TimestampMicrosUp(range->start_time());
  scope->end_us = TimestampMicrosUp(range->end_time());
  return true;
}

// Adds a violation for the first value of `values` (a repeated enum field
// of the filter, `name`) that `is_valid` does not know.
template <typename Values>
void CheckEnumList(const Values& values, absl::string_view name,
                   bool (*is_valid)(int), FieldViolations* violations) {
  for (int i = 0; i < values.size(); ++i) {
    if (!is_valid(values.Get(i))) {
      violations->Add(absl::StrCat("filter.", name, "[", i, "]"),
                      absl::StrCat("unknown value ", values.Get(i)));
      return;  // one is enough: a million bad values make one violation
    }
  }
}

// Sorts a repeated enum field and drops repeats, so that a filter repeating
// a value a million times binds it once.
template <typename Values>
void Dedupe(Values* values) {
  std::sort(values->begin(), values->end());
  values->Truncate(static_cast<int>(
      std::unique(values->begin(), values->end()) - values->begin()));
}

void CheckStaffId(std::string* value, absl::string_view field, bool required,
                  FieldViolations* violations) {
  CheckText(value, field, kMaxStaffIdChars, required, /*multiline=*/false,
            violations);
}

// Checks the fields every report request shares into `scope`. Returns
// whether the time range is good (or the request has none).
bool CheckCommon(const CommonFields& fields, absl::string_view tenant,
                 absl::Time now, ReportScope* scope,
                 FieldViolations* violations) {
  scope->tenant = std::string(tenant);
  scope->now_us = ToMicros(now);
  bool range_ok = true;
  if (fields.takes_range) {
    range_ok = CheckReportTimeRange(fields.time_range, scope, violations);
  }

  const int64_t now_us = ToMicros(now);
  if (fields.as_of_time != nullptr) {
    if (!IsValidTimestamp(*fields.as_of_time)) {
      violations->Add("as_of_time", kBadTimestamp);
    } else if (ToTime(*fields.as_of_time) > now) {
      violations->Add("as_of_time", "may not be in the future");
    } else {
      scope->as_of_us = TimestampMicros(*fields.as_of_time);
    }
  } else if (fields.as_of_default == AsOfDefault::kNow) {
    scope->as_of_us = now_us;
  } else if (range_ok) {
    scope->as_of_us = std::min(now_us, scope->end_us);
  }

  if (fields.filter != nullptr) {
    v1::ReportFilter filter = *fields.filter;
    CheckEnumList(filter.tiers(), "tiers", type::v1::AccountTier_IsValid,
                  violations);
    CheckEnumList(filter.modes(), "modes", type::v1::RelationshipMode_IsValid,
                  violations);
    CheckEnumList(filter.segments(), "segments",
                  type::v1::AccountSegment_IsValid, violations);
    Dedupe(filter.mutable_tiers());
    Dedupe(filter.mutable_modes());
    Dedupe(filter.mutable_segments());
    CheckStaffId(filter.mutable_account_manager(), "filter.account_manager",
                 /*required=*/false, violations);
    CheckStaffId(filter.mutable_owner(), "filter.owner", /*required=*/false,
                 violations);
    scope->filter = std::move(filter);
  }

  if (!fields.currency_code.empty() && !IsKnownCurrency(fields.currency_code)) {
    violations->Add("currency_code",
                    "must be an ISO 4217 code in upper case, e.g. \"EUR\"; "
                    "empty for the tenant's currency");
  } else {
    scope->currency = std::string(fields.currency_code);
  }
  return range_ok;
}

// Checks the page size into *page_size.
void CheckPageSize(int page_size, int* out, FieldViolations* violations) {
  absl::StatusOr<int> size =
      ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize);
  if (size.ok()) {
    *out = *size;
  } else {
    violations->Add("page_size", "must not be negative; 0 means 50");
  }
}

// Checks a cohort period into *out (UNSPECIFIED read as MONTH).
void CheckPeriod(int period, v1::CohortPeriod* out,
                 FieldViolations* violations) {
  if (!v1::CohortPeriod_IsValid(period)) {
    violations->Add("period", absl::StrCat("unknown value ", period));
    return;
  }
  *out = period == v1::COHORT_PERIOD_UNSPECIFIED
             ? v1::COHORT_PERIOD_MONTH
             : static_cast<v1::CohortPeriod>(period);
}

// The index of the period `us` falls in, counted from year 0.
int64_t PeriodIndex(int64_t us, v1::CohortPeriod period) {
  const absl::CivilSecond civil =
      absl::ToCivilSecond(FromMicros(us), absl::UTCTimeZone());
  const int64_t month = civil.year() * 12 + (civil.month() - 1);
  switch (period) {
    case v1::COHORT_PERIOD_QUARTER:
      return month / 3;
    case v1::COHORT_PERIOD_YEAR:
      return civil.year();
    default:
      return month;
  }
}

// The periods [start_us, end_us) touches.
int64_t CohortCount(int64_t start_us, int64_t end_us, v1::CohortPeriod period) {
  return PeriodIndex(end_us - 1, period) - PeriodIndex(start_us, period) + 1;
}

// Checks the quarter fields into *year / *quarter; true when both are good.
bool CheckQuarter(int year, int quarter, FieldViolations* violations) {
  bool ok = true;
  if (year < kMinPipelineYear || year > kMaxPipelineYear) {
    violations->Add("year", "must be between 1970 and 9999");
    ok = false;
  }
  if (quarter < 1 || quarter > 4) {
    violations->Add("quarter", "must be between 1 and 4");
    ok = false;
  }
  return ok;
}

// An enum field of an aggregate: a value the enum defines.
void CheckAggregateEnum(int value, bool (*is_valid)(int),
                        absl::string_view field, FieldViolations* violations) {
  if (!is_valid(value)) {
    violations->Add(field, absl::StrCat("unknown value ", value));
  }
}

// Whether year-month-day is a calendar date of years 1-9999; day 0 stands
// for "the whole month" when `month_only`.
bool IsCalendarDate(const type::v1::Date& date, bool month_only) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12) {
    return false;
  }
  if (month_only) return date.day() == 0;
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return date.day() >= 1 && day.month() == date.month() &&
         day.day() == date.day();
}

// Checks the aggregate's own fields: known enum values, real dates and what
// the proto calls required.
void CheckAggregate(const v1::ReportAggregate& aggregate,
                    FieldViolations* violations) {
  switch (aggregate.aggregate_case()) {
    case v1::ReportAggregate::kPortfolio:
      if (aggregate.portfolio().has_mode()) {
        CheckAggregateEnum(aggregate.portfolio().mode(),
                           type::v1::RelationshipMode_IsValid,
                           "aggregate.portfolio.mode", violations);
      }
      if (aggregate.portfolio().has_band()) {
        CheckAggregateEnum(aggregate.portfolio().band(),
                           type::v1::ScoreBand_IsValid,
                           "aggregate.portfolio.band", violations);
      }
      return;
    case v1::ReportAggregate::kSupport:
      CheckAggregateEnum(aggregate.support().mode(),
                         type::v1::RelationshipMode_IsValid,
                         "aggregate.support.mode", violations);
      CheckAggregateEnum(aggregate.support().tier(),
                         type::v1::AccountTier_IsValid,
                         "aggregate.support.tier", violations);
      return;
    case v1::ReportAggregate::kWorkload: {
      std::string manager = aggregate.workload().account_manager();
      CheckStaffId(&manager, "aggregate.workload.account_manager",
                   /*required=*/true, violations);
      return;
    }
    case v1::ReportAggregate::kFunnel:
      if (aggregate.funnel().stage() == v1::FUNNEL_STAGE_UNSPECIFIED) {
        violations->Add("aggregate.funnel.stage", "required");
      } else {
        CheckAggregateEnum(aggregate.funnel().stage(), v1::FunnelStage_IsValid,
                           "aggregate.funnel.stage", violations);
      }
      return;
    case v1::ReportAggregate::kRetention:
      if (!aggregate.retention().has_cohort_start_date()) {
        violations->Add("aggregate.retention.cohort_start_date", "required");
      } else if (!IsCalendarDate(aggregate.retention().cohort_start_date(),
                                 /*month_only=*/false)) {
        violations->Add("aggregate.retention.cohort_start_date",
                        "not a calendar date of years 1-9999");
      }
      CheckAggregateEnum(aggregate.retention().mode(),
                         type::v1::RelationshipMode_IsValid,
                         "aggregate.retention.mode", violations);
      if (aggregate.retention().has_period_index() &&
          aggregate.retention().period_index() < 0) {
        violations->Add("aggregate.retention.period_index",
                        "must not be negative");
      }
      return;
    case v1::ReportAggregate::kPipeline:
      CheckAggregateEnum(aggregate.pipeline().stage(),
                         engagement::v1::DealStage_IsValid,
                         "aggregate.pipeline.stage", violations);
      if (aggregate.pipeline().has_month() &&
          !IsCalendarDate(aggregate.pipeline().month(), /*month_only=*/true)) {
        violations->Add("aggregate.pipeline.month",
                        "a month of years 1-9999, with day unset");
      }
      return;
    case v1::ReportAggregate::AGGREGATE_NOT_SET:
      violations->Add("aggregate",
                      "required: the report aggregate whose accounts to list");
      return;
  }
}

// The quarter [start_us, end_us) is, or false.
bool QuarterOfRange(int64_t start_us, int64_t end_us, int* year, int* quarter) {
  const absl::CivilSecond start =
      absl::ToCivilSecond(FromMicros(start_us), absl::UTCTimeZone());
  if (start.year() < kMinPipelineYear || start.year() > kMaxPipelineYear) {
    return false;
  }
  const int q = (start.month() - 1) / 3 + 1;
  int64_t expected_start = 0;
  int64_t expected_end = 0;
  QuarterRange(static_cast<int>(start.year()), q, &expected_start,
               &expected_end);
  if (start_us != expected_start || end_us != expected_end) return false;
  *year = static_cast<int>(start.year());
  *quarter = q;
  return true;
}

// The common fields of a request with a time_range.
template <typename Request>
CommonFields FieldsOf(const Request& request, absl::string_view currency_code,
                      AsOfDefault as_of_default) {
  CommonFields fields;
  fields.time_range =
      request.has_time_range() ? &request.time_range() : nullptr;
  fields.as_of_time =
      request.has_as_of_time() ? &request.as_of_time() : nullptr;
  fields.filter = &request.filter();
  fields.currency_code = currency_code;
  fields.as_of_default = as_of_default;
  return fields;
}

// A report whose request has only the common fields.
template <typename Request>
absl::StatusOr<ReportScope> CheckPlainRequest(const Request& request,
                                              absl::string_view currency_code,
                                              absl::string_view tenant,
                                              absl::Time now) {
  FieldViolations violations;
  ReportScope scope;
  CheckCommon(
      FieldsOf(request, currency_code, AsOfDefault::kEarlierOfNowAndEnd),
      tenant, now, &scope, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  return scope;
}

}  // namespace

void QuarterRange(int year, int quarter, int64_t* start_us, int64_t* end_us) {
  const absl::CivilMonth first(year, (quarter - 1) * 3 + 1);
  const absl::CivilMonth next = first + 3;
  *start_us = ToMicros(absl::FromCivil(first, absl::UTCTimeZone()));
  if (next.year() > kMaxPipelineYear) {
    // 10000-01-01 is past what a Timestamp can say.
    *end_us = ToMicros(absl::FromCivil(next, absl::UTCTimeZone())) - 1;
  } else {
    *end_us = ToMicros(absl::FromCivil(next, absl::UTCTimeZone()));
  }
}

absl::StatusOr<ReportScope> CheckPortfolioRequest(
    const v1::GetPortfolioReportRequest& request, absl::string_view tenant,
    absl::Time now) {
  return CheckPlainRequest(request, request.currency_code(), tenant, now);
}

absl::StatusOr<ReportScope> CheckSupportRequest(
    const v1::GetSupportReportRequest& request, absl::string_view tenant,
    absl::Time now) {
  return CheckPlainRequest(request, "", tenant, now);
}

absl::StatusOr<ReportScope> CheckWorkloadRequest(
    const v1::GetWorkloadReportRequest& request, absl::string_view tenant,
    absl::Time now) {
  return CheckPlainRequest(request, request.currency_code(), tenant, now);
}

absl::StatusOr<ReportScope> CheckFunnelRequest(
    const v1::GetConversionFunnelReportRequest& request,
    absl::string_view tenant, absl::Time now) {
  return CheckPlainRequest(request, request.currency_code(), tenant, now);
}

absl::StatusOr<AtRiskRequest> CheckAtRiskRequest(
    const v1::ListAtRiskAccountsRequest& request, absl::string_view tenant,
    absl::Time now) {
  FieldViolations violations;
  AtRiskRequest checked;
  CheckCommon(FieldsOf(request, request.currency_code(),
                       AsOfDefault::kEarlierOfNowAndEnd),
              tenant, now, &checked.scope, &violations);
  if (!type::v1::ScoreBand_IsValid(request.max_band())) {
    violations.Add("max_band",
                   absl::StrCat("unknown value ", request.max_band()));
  }
  CheckPageSize(request.page_size(), &checked.page_size, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  return checked;
}

absl::StatusOr<RetentionRequest> CheckRetentionRequest(
    const v1::GetRetentionReportRequest& request, absl::string_view tenant,
    absl::Time now) {
  FieldViolations violations;
  RetentionRequest checked;
  CheckCommon(FieldsOf(request, request.currency_code(), AsOfDefault::kNow),
              tenant, now, &checked.scope, &violations);
  CheckPeriod(request.period(), &checked.period, &violations);
  checked.split_by_mode = request.split_by_mode();
  if (violations.empty()) {
    const int64_t cohorts = CohortCount(checked.scope.start_us,
                                        checked.scope.end_us, checked.period);
    if (cohorts > kMaxCohorts) {
      violations.Add("time_range",
                     absl::StrCat("spans ", cohorts, " cohorts; at most ",
                                  kMaxCohorts, " (use a longer period)"));
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return checked;
}

absl::StatusOr<PipelineRequest> CheckPipelineRequest(
    const v1::GetPipelineReportRequest& request, absl::string_view tenant,
    absl::Time now) {
  FieldViolations violations;
  PipelineRequest checked;
  CommonFields fields;
  fields.takes_range = false;
  fields.as_of_time =
      request.has_as_of_time() ? &request.as_of_time() : nullptr;
  fields.filter = &request.filter();
  fields.currency_code = request.currency_code();
  fields.as_of_default = AsOfDefault::kNow;
  CheckCommon(fields, tenant, now, &checked.scope, &violations);
  if (CheckQuarter(request.year(), request.quarter(), &violations)) {
    checked.year = request.year();
    checked.quarter = request.quarter();
    QuarterRange(checked.year, checked.quarter, &checked.scope.start_us,
                 &checked.scope.end_us);
  }
  checked.deal_owner = request.deal_owner();
  CheckStaffId(&checked.deal_owner, "deal_owner", /*required=*/false,
               &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  return checked;
}

absl::StatusOr<AccountsRequest> CheckAccountsRequest(
    const v1::ListReportAccountsRequest& request, absl::string_view tenant,
    absl::Time now) {
  FieldViolations violations;
  AccountsRequest checked;
  CheckAggregate(request.aggregate(), &violations);
  const v1::ReportAggregate::AggregateCase which =
      request.aggregate().aggregate_case();
  // The same default as the aggregate's report.
  const AsOfDefault as_of_default =
      which == v1::ReportAggregate::kRetention ||
              which == v1::ReportAggregate::kPipeline
          ? AsOfDefault::kNow
          : AsOfDefault::kEarlierOfNowAndEnd;
  const bool range_ok =
      CheckCommon(FieldsOf(request, request.currency_code(), as_of_default),
                  tenant, now, &checked.scope, &violations);
  checked.as_of_given = request.has_as_of_time();
  checked.currency_given = !request.currency_code().empty();
  CheckPeriod(request.period(), &checked.period, &violations);
  checked.deal_owner = request.deal_owner();
  CheckStaffId(&checked.deal_owner, "deal_owner", /*required=*/false,
               &violations);
  CheckPageSize(request.page_size(), &checked.page_size, &violations);
  if (which == v1::ReportAggregate::kPipeline && range_ok &&
      !QuarterOfRange(checked.scope.start_us, checked.scope.end_us,
                      &checked.year, &checked.quarter)) {
    violations.Add("time_range",
                   "with a pipeline aggregate, the quarter exactly as "
                   "GetPipelineReport's metadata.time_range answers it");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return checked;
}

absl::Status ResolveCurrency(sql::Transaction& txn, ReportScope* scope) {
  if (!scope->currency.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(scope->currency, TenantCurrency(txn, scope->tenant));
  return absl::OkStatus();
}

}  // namespace clientele::reporting

// The one place a report request is checked and turned into the ReportScope
// every report is computed over (report_scope.h). Each Check*Request checks
// every field of its request and answers INVALID_ARGUMENT listing all the
// bad ones, each named by its path in the request:
//   time_range              missing, start_time not before end_time, or
//                           longer than kMaxReportSpan (5 years);
//   time_range.start_time / .end_time
//                           missing, or not a valid timestamp of years
//                           0001-9999 (nanos 0-999,999,999);
//   as_of_time              not a valid timestamp, or after `now`;
//   filter.tiers[i] / filter.modes[i] / filter.segments[i]
//                           a value the enum does not define (UNSPECIFIED is
//                           allowed: accounts without a tier, segment or
//                           score);
//   filter.account_manager / filter.owner
//                           not text, or above kMaxStaffIdChars;
//   currency_code           not an ISO 4217 code in upper case;
//   and the fields of each RPC named below.
// `now` is the injected clock's time; as_of_time defaults to
// min(now, time_range.end_time), except for the retention and pipeline
// reports (now). The scope's currency is the request's, empty when it names
// none: ResolveCurrency fills it in inside the report's read transaction.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_REQUEST_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_REQUEST_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// Staff user ids in filters: at most this many characters (contacts' cap).
inline constexpr int kMaxStaffIdChars = 128;
// The longest time_range: five calendar years, leap days included.
inline constexpr absl::Duration kMaxReportSpan = absl::Hours(24 * 1827);
// The most cohorts a retention report has.
inline constexpr int kMaxCohorts = 240;
// Page sizes of ListAtRiskAccounts and ListReportAccounts (AIP-158).
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
// The pipeline's years.
inline constexpr int kMinPipelineYear = 1970;
inline constexpr int kMaxPipelineYear = 9999;

// GetPortfolioReport, GetSupportReport, GetWorkloadReport,
// GetConversionFunnelReport: the common fields only.
absl::StatusOr<ReportScope> CheckPortfolioRequest(
    const v1::GetPortfolioReportRequest& request, absl::string_view tenant,
    absl::Time now);
absl::StatusOr<ReportScope> CheckSupportRequest(
    const v1::GetSupportReportRequest& request, absl::string_view tenant,
    absl::Time now);
absl::StatusOr<ReportScope> CheckWorkloadRequest(
    const v1::GetWorkloadReportRequest& request, absl::string_view tenant,
    absl::Time now);
absl::StatusOr<ReportScope> CheckFunnelRequest(
    const v1::GetConversionFunnelReportRequest& request,
    absl::string_view tenant, absl::Time now);

// ListAtRiskAccounts. Also: max_band a value ScoreBand defines ("max_band"),
// page_size not negative ("page_size"). The page token is the at-risk
// list's to check.
struct AtRiskRequest {
  ReportScope scope;
  // 1-1000: 0 read as 50, above 1000 as 1000.
  int page_size = kDefaultPageSize;
};
absl::StatusOr<AtRiskRequest> CheckAtRiskRequest(
    const v1::ListAtRiskAccountsRequest& request, absl::string_view tenant,
    absl::Time now);

// GetRetentionReport. Also: period a value CohortPeriod defines ("period"),
// at most kMaxCohorts cohorts in time_range ("time_range").
struct RetentionRequest {
  ReportScope scope;
  // Never UNSPECIFIED (read as MONTH).
  v1::CohortPeriod period = v1::COHORT_PERIOD_MONTH;
  bool split_by_mode = false;
};
absl::StatusOr<RetentionRequest> CheckRetentionRequest(
    const v1::GetRetentionReportRequest& request, absl::string_view tenant,
    absl::Time now);

// GetPipelineReport. Instead of a time_range: year 1970-9999 ("year") and
// quarter 1-4 ("quarter"), whose days make the scope's range. Also:
// deal_owner text of at most kMaxStaffIdChars ("deal_owner").
struct PipelineRequest {
  ReportScope scope;
  int year = 0;
  int quarter = 0;
  std::string deal_owner;  // trimmed; "" for every owner
};
absl::StatusOr<PipelineRequest> CheckPipelineRequest(
    const v1::GetPipelineReportRequest& request, absl::string_view tenant,
    absl::Time now);

// ListReportAccounts. Also: aggregate set ("aggregate") with known enum
// values, real dates and its required fields
// ("aggregate.<report>.<field>"), period and
// deal_owner as above, page_size not negative. With a pipeline aggregate the
// time_range must be a quarter exactly as GetPipelineReport answers it
// ("time_range"); as_of_time defaults as the aggregate's report does. Whether
// the aggregate is one its report answers is the report's to say; the page
// token is ListReportAccounts' (report_accounts.h).
struct AccountsRequest {
  ReportScope scope;
  // Whether as_of_time was given (a page token pins the default).
  bool as_of_given = false;
  // Whether currency_code was given (a page token pins the tenant's).
  bool currency_given = false;
  int page_size = kDefaultPageSize;
  // A retention aggregate's cohort length (never UNSPECIFIED).
  v1::CohortPeriod period = v1::COHORT_PERIOD_MONTH;
  // A pipeline aggregate's quarter and deal owner (trimmed).
  int year = 0;
  int quarter = 0;
  std::string deal_owner;
};
absl::StatusOr<AccountsRequest> CheckAccountsRequest(
    const v1::ListReportAccountsRequest& request, absl::string_view tenant,
    absl::Time now);

// Sets scope->currency to the tenant's (TenantCurrency) when it is empty.
// Errors are the database's.
absl::Status ResolveCurrency(sql::Transaction& txn, ReportScope* scope);

// [start_us, end_us) of `quarter` (1-4) of `year` (1970-9999), UTC. 9999's
// last quarter ends at the last microsecond of 9999 (left out), the latest
// a google.protobuf.Timestamp can say.
void QuarterRange(int year, int quarter, int64_t* start_us, int64_t* end_us);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_REQUEST_H_

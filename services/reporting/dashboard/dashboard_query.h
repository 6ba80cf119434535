// The dashboard's query string: the report parameters every page and CSV
// export takes, parsed into the fields of the reports' proto requests, so
// that the dashboard answers exactly what the gRPC API would for the same
// request (report_request.h checks both).
//
//   from, to      the time range as days, both inclusive (YYYY-MM-DD, UTC):
//                 [from 00:00, the day after `to` 00:00). Default: the last
//                 12 months, today included.
//   as_of         a day (the end of it, or now for today) or an RFC 3339
//                 time. Default: each report's (report_request.h).
//   currency      an ISO 4217 code. Default: the tenant's.
//   tier, mode, segment
//                 filters, each a value's short name ("premium", "client",
//                 "b2b") or its full enum name; repeat or comma-separate for
//                 several.
//   manager, owner
//                 account manager / owner staff ids.
//   year, quarter the pipeline's quarter. Default: the one of as_of (or of
//                 today).
//   deal_owner    the pipeline's deal owner.
//   period        the retention report's cohort length: month, quarter or
//                 year. Default: month.
//
// Unknown parameters are ignored. Errors name the parameter, and never echo
// more than a short, escaped piece of its value.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_QUERY_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_QUERY_H_

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.pb.h"

namespace clientele::reporting::dashboard {

// Query parameters as the HTTP layer decoded them (httplib::Params).
using QueryParams = std::multimap<std::string, std::string>;

// The longest value any parameter may have.
inline constexpr size_t kMaxParamChars = 256;

struct DashboardQuery {
  type::v1::TimeRange time_range;
  std::optional<google::protobuf::Timestamp> as_of_time;
  v1::ReportFilter filter;
  std::string currency_code;
  int year = 0;  // 0: the quarter of as_of (or now)
  int quarter = 0;
  std::string deal_owner;
  v1::CohortPeriod period = v1::COHORT_PERIOD_MONTH;

  // The parameters the user gave (non-empty ones, in a fixed order), for
  // links that keep them.
  std::vector<std::pair<std::string, std::string>> given;

  // `given` as a URL-encoded query string ("from=2025-01-01&tier=premium"),
  // leaving out the parameters named in `except`; "" when none.
  std::string QueryString(
      std::initializer_list<absl::string_view> except = {}) const;

  v1::GetPortfolioReportRequest PortfolioRequest() const;
  v1::GetSupportReportRequest SupportRequest() const;
  v1::GetWorkloadReportRequest WorkloadRequest() const;
  v1::ListAtRiskAccountsRequest AtRiskRequest(int page_size) const;
  v1::GetConversionFunnelReportRequest FunnelRequest() const;
  v1::GetRetentionReportRequest RetentionRequest() const;
  // year/quarter resolved against `now` when unset.
  v1::GetPipelineReportRequest PipelineRequest(absl::Time now) const;
  // The common fields of ListReportAccounts (its aggregate, page size and
  // token are the caller's).
  v1::ListReportAccountsRequest AccountsRequest() const;
};

// Parses `params` with `now` (the injected clock's) for the defaults.
// INVALID_ARGUMENT with a message that names the parameter ("from: not a
// date (YYYY-MM-DD)") for a value that does not parse, is too long or is
// given twice where one is allowed.
absl::StatusOr<DashboardQuery> ParseDashboardQuery(const QueryParams& params,
                                                   absl::Time now);

// A report request's error with its fields renamed to the dashboard's
// parameters ("time_range.start_time" -> "from", "filter.tiers[0]" ->
// "tier", ...): INVALID_ARGUMENT with a one-line message listing them; any
// other status unchanged.
absl::Status ToQueryError(const absl::Status& status);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_QUERY_H_

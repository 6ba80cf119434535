#include "services/reporting/dashboard/links.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/reporting/dashboard/aggregate_params.h"
#include "services/reporting/dashboard/escaping.h"

namespace clientele::reporting::dashboard {

std::string JoinQuery(absl::string_view path, absl::string_view first,
                      absl::string_view second) {
  std::string url(path);
  const char* separator = "?";
  for (absl::string_view part : {first, second}) {
    if (part.empty()) continue;
    absl::StrAppend(&url, separator, part);
    separator = "&";
  }
  return url;
}

std::string Links::ReportCsv(absl::string_view report) const {
  return JoinQuery(absl::StrCat("/reports/", report, ".csv"), query_);
}

std::string Links::Accounts(const v1::ReportAggregate& aggregate) const {
  return JoinQuery("/accounts", AggregateQuery(aggregate), query_);
}

std::string Links::AccountsCsv(const v1::ReportAggregate& aggregate) const {
  return JoinQuery("/accounts.csv", AggregateQuery(aggregate), query_);
}

std::string Links::Account(absl::string_view account_id) {
  return absl::StrCat("/accounts/", UrlEncode(account_id));
}

std::string Links::PortalLink(absl::string_view account_id) {
  return absl::StrCat(Account(account_id), "/portal-link");
}

std::string Links::Portal(absl::string_view token) {
  return absl::StrCat("/portal/", UrlEncode(token));
}

std::string Links::Overview() const { return JoinQuery("/", query_); }

std::string AccountIdOf(absl::string_view name) {
  absl::ConsumePrefix(&name, "accounts/");
  return std::string(name);
}

}  // namespace clientele::reporting::dashboard

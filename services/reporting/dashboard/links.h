// The dashboard's URLs, built in one place: every link keeps the page's
// report parameters (DashboardQuery::QueryString) and URL-encodes what it
// carries. The result is a URL; HtmlPage's Link escapes it as an attribute.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_LINKS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_LINKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"

namespace clientele::reporting::dashboard {

class Links {
 public:
  // `query`: the page's parameters as a query string ("" for none).
  explicit Links(std::string query) : query_(std::move(query)) {}

  // "/reports/<report>.csv?<query>"
  std::string ReportCsv(absl::string_view report) const;
  // "/accounts?aggregate=...&<query>" and its CSV.
  std::string Accounts(const v1::ReportAggregate& aggregate) const;
  std::string AccountsCsv(const v1::ReportAggregate& aggregate) const;
  // "/accounts/<id>" (the account page shows the current state).
  static std::string Account(absl::string_view account_id);
  // "/accounts/<id>/portal-link": where a client portal link is created.
  static std::string PortalLink(absl::string_view account_id);
  // "/portal/<token>": a client's portal page (portal_token.h).
  static std::string Portal(absl::string_view token);
  // "/?<query>"
  std::string Overview() const;

  const std::string& query() const { return query_; }

 private:
  std::string query_;
};

// "a?b&c" with the empty parts left out.
std::string JoinQuery(absl::string_view path, absl::string_view first,
                      absl::string_view second = "");

// The id of "accounts/{id}" (the name itself when it has no such prefix).
std::string AccountIdOf(absl::string_view name);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_LINKS_H_

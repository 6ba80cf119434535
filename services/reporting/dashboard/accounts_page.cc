#include "services/reporting/dashboard/accounts_page.h"

#include <iterator>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "services/reporting/dashboard/aggregate_params.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/links.h"
#include "services/reporting/dashboard/report_csv.h"
#include "services/reporting/report_request.h"

namespace clientele::reporting::dashboard {
namespace {

// The request for one page of the aggregate in `params`.
absl::StatusOr<v1::ListReportAccountsRequest> PageRequest(
    const QueryParams& params, const DashboardQuery& query, absl::Time now,
    int page_size, std::string page_token) {
  ASSIGN_OR_RETURN(v1::ReportAggregate aggregate, ParseAggregate(params));
  v1::ListReportAccountsRequest request = query.AccountsRequest();
  if (aggregate.has_pipeline()) {
    // The pipeline's figures are over its quarter, as its report answered.
    const v1::GetPipelineReportRequest pipeline = query.PipelineRequest(now);
    if (pipeline.year() < kMinPipelineYear ||
        pipeline.year() > kMaxPipelineYear || pipeline.quarter() < 1 ||
        pipeline.quarter() > 4) {
      return absl::InvalidArgumentError(
          "year, quarter: a year 1970-9999 and a quarter 1-4");
    }
    int64_t start_us = 0;
    int64_t end_us = 0;
    QuarterRange(pipeline.year(), pipeline.quarter(), &start_us, &end_us);
    SetTimestamp(FromMicros(start_us),
                 request.mutable_time_range()->mutable_start_time());
    SetTimestamp(FromMicros(end_us),
                 request.mutable_time_range()->mutable_end_time());
  }
  *request.mutable_aggregate() = std::move(aggregate);
  request.set_page_size(page_size);
  request.set_page_token(std::move(page_token));
  return request;
}

absl::StatusOr<std::string> PageToken(const QueryParams& params) {
  const auto range = params.equal_range("page_token");
  if (range.first == range.second) return std::string();
  if (std::next(range.first) != range.second) {
    return absl::InvalidArgumentError("page_token: given more than once");
  }
  return range.first->second;
}

// "portfolio: mode client, band at risk"
std::string Describe(const QueryParams& params) {
  std::vector<std::string> fields;
  std::string report;
  for (const auto& [name, value] : params) {
    if (name == "aggregate") report = value;
    if (absl::StartsWith(name, "a.")) {
      fields.push_back(absl::StrCat(name.substr(2), " ", value));
    }
  }
  return fields.empty()
             ? report
             : absl::StrCat(report, ": ", absl::StrJoin(fields, ", "));
}

}  // namespace

absl::StatusOr<std::string> AccountsBody(ReportCalls& reports,
                                         const QueryParams& params,
                                         const DashboardQuery& query,
                                         absl::Time now,
                                         const AccountNameSource& names) {
  ASSIGN_OR_RETURN(std::string page_token, PageToken(params));
  ASSIGN_OR_RETURN(
      v1::ListReportAccountsRequest request,
      PageRequest(params, query, now, kAccountsPageSize, page_token));
  ASSIGN_OR_RETURN(v1::ListReportAccountsResponse response,
                   reports.Accounts(request));
  const Links links(query.QueryString());
  const std::string aggregate_query = AggregateQuery(request.aggregate());
  std::vector<std::string> account_ids;
  account_ids.reserve(static_cast<size_t>(response.accounts_size()));
  for (const v1::ReportAccount& account : response.accounts()) {
    account_ids.push_back(AccountIdOf(account.account()));
  }
  const AccountLabels labels = names.Fetch(account_ids);
  std::vector<std::vector<TableCell>> rows;
  rows.reserve(account_ids.size());
  for (const v1::ReportAccount& account : response.accounts()) {
    const std::string id = AccountIdOf(account.account());
    rows.push_back(
        {labels.Cell(id), Text(ModeLabel(account.mode())),
         Number(account.band() == 0 ? "-" : absl::StrCat(account.score())),
         Text(BandLabel(account.band())), Text(TierLabel(account.tier())),
         Text(SegmentLabel(account.segment())), Text(account.account_manager()),
         Number(FormatMoney(account.revenue()))});
  }
  std::string body = absl::StrCat(
      "<p>", Link(links.Overview(), "Back to the dashboard"), " &middot; ",
      Link(links.AccountsCsv(request.aggregate()), "CSV"), "</p>\n",
      Note(absl::StrCat(FormatCount(response.total_size()), " accounts in ",
                        Describe(params), ".")),
      Table({"Account", "Mode", "Score", "Band", "Tier", "Segment",
             "Account manager", "Revenue"},
            rows));
  if (!response.next_page_token().empty()) {
    absl::StrAppend(
        &body, "<p>",
        Link(JoinQuery(
                 "/accounts", aggregate_query,
                 absl::StrCat(
                     links.query(), links.query().empty() ? "" : "&",
                     "page_token=", UrlEncode(response.next_page_token()))),
             "Next page"),
        "</p>\n");
  }
  return body;
}

absl::StatusOr<std::string> AccountsCsvText(ReportCalls& reports,
                                            const QueryParams& params,
                                            const DashboardQuery& query,
                                            absl::Time now) {
  std::vector<v1::ReportAccount> accounts;
  std::string page_token;
  do {
    ASSIGN_OR_RETURN(v1::ListReportAccountsRequest request,
                     PageRequest(params, query, now, kMaxPageSize, page_token));
    ASSIGN_OR_RETURN(v1::ListReportAccountsResponse response,
                     reports.Accounts(request));
    for (v1::ReportAccount& account : *response.mutable_accounts()) {
      accounts.push_back(std::move(account));
    }
    page_token = response.next_page_token();
  } while (!page_token.empty() &&
           accounts.size() < static_cast<size_t>(kMaxCsvRows));
  return AccountsCsv(accounts);
}

}  // namespace clientele::reporting::dashboard

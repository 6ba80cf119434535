#include "services/reporting/dashboard/overview_page.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/links.h"
#include "services/reporting/dashboard/overview_sections.h"

namespace clientele::reporting::dashboard {
namespace {

// What the user gave for `name` ("" when nothing), joined with commas.
std::string Given(const DashboardQuery& query, absl::string_view name) {
  std::string value;
  for (const auto& [param, given] : query.given) {
    if (param != name) continue;
    absl::StrAppend(&value, value.empty() ? "" : ",", given);
  }
  return value;
}

std::string Input(const DashboardQuery& query, absl::string_view name,
                  absl::string_view label, absl::string_view placeholder) {
  return absl::StrCat("<label>", HtmlEscape(label), " <input name=\"",
                      HtmlEscape(name), "\" value=\"",
                      HtmlEscape(Given(query, name)), "\" placeholder=\"",
                      HtmlEscape(placeholder), "\"></label>\n");
}

// A select of an enum's values (value 0 left out), "any" first.
std::string Select(const DashboardQuery& query, absl::string_view name,
                   absl::string_view label,
                   const google::protobuf::EnumDescriptor* descriptor,
                   absl::string_view any = "any") {
  const std::string given = Given(query, name);
  std::string out = absl::StrCat(
      "<label>", HtmlEscape(label), " <select name=\"", HtmlEscape(name),
      "\"><option value=\"\">", HtmlEscape(any), "</option>");
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number == 0) continue;
    const std::string token = EnumToken(descriptor, number);
    absl::StrAppend(&out, "<option value=\"", HtmlEscape(token), "\"",
                    given == token ? " selected" : "", ">",
                    HtmlEscape(EnumLabel(descriptor, number)), "</option>");
  }
  out += "</select></label>\n";
  return out;
}

std::string Metadata(const v1::ReportMetadata& metadata) {
  std::string text = absl::StrCat(
      "From ",
      FormatTimeUs(TimestampMicros(metadata.time_range().start_time())), " to ",
      FormatTimeUs(TimestampMicros(metadata.time_range().end_time())),
      ", as of ", FormatTimeUs(TimestampMicros(metadata.as_of_time())),
      "; money in ", metadata.currency_code(), ".");
  if (metadata.has_data_fresh_time()) {
    absl::StrAppend(&text, " Every event up to ",
                    FormatTimeUs(TimestampMicros(metadata.data_fresh_time())),
                    " is counted.");
  }
  if (metadata.other_currency_interaction_count() > 0) {
    absl::StrAppend(&text, " ",
                    FormatCount(metadata.other_currency_interaction_count()),
                    " revenue interactions in other currencies are left out.");
  }
  return Note(text);
}

}  // namespace

std::string FilterForm(const DashboardQuery& query) {
  return absl::StrCat(
      "<form class=\"filters\" method=\"get\" action=\"/\">\n",
      Input(query, "from", "From", "YYYY-MM-DD"),
      Input(query, "to", "To", "YYYY-MM-DD"),
      Input(query, "as_of", "As of", "YYYY-MM-DD"),
      Input(query, "currency", "Currency", "EUR"),
      Select(query, "tier", "Tier", type::v1::AccountTier_descriptor()),
      Select(query, "mode", "Mode", type::v1::RelationshipMode_descriptor()),
      Select(query, "segment", "Segment",
             type::v1::AccountSegment_descriptor()),
      Input(query, "manager", "Account manager", "staff id"),
      Input(query, "owner", "Owner", "staff id"),
      Input(query, "year", "Pipeline year", "YYYY"),
      Input(query, "quarter", "quarter", "1-4"),
      Select(query, "period", "Cohorts by", v1::CohortPeriod_descriptor(),
             "month"),
      "<button type=\"submit\">Show</button> <a href=\"/\">Reset</a>\n"
      "</form>\n");
}

absl::StatusOr<std::string> OverviewBody(ReportCalls& reports,
                                         const DashboardQuery& query,
                                         absl::Time now,
                                         const AccountNameSource& names) {
  const Links links(query.QueryString());
  ASSIGN_OR_RETURN(v1::PortfolioReport portfolio, reports.Portfolio(query));
  ASSIGN_OR_RETURN(v1::ListAtRiskAccountsResponse at_risk,
                   reports.AtRisk(query, kOverviewAtRiskRows, ""));
  ASSIGN_OR_RETURN(v1::SupportReport support, reports.Support(query));
  ASSIGN_OR_RETURN(v1::WorkloadReport workload, reports.Workload(query));
  ASSIGN_OR_RETURN(v1::ConversionFunnelReport funnel, reports.Funnel(query));
  ASSIGN_OR_RETURN(v1::RetentionReport retention, reports.Retention(query));
  ASSIGN_OR_RETURN(v1::PipelineReport pipeline, reports.Pipeline(query, now));
  // The accounts the page names: the at-risk ones.
  std::vector<std::string> account_ids;
  account_ids.reserve(static_cast<size_t>(at_risk.at_risk_accounts_size()));
  for (const v1::AtRiskAccount& account : at_risk.at_risk_accounts()) {
    account_ids.push_back(AccountIdOf(account.account()));
  }
  const AccountLabels labels = names.Fetch(account_ids);
  // The pipeline's links name its quarter, which may be the default one.
  const Links pipeline_links(
      JoinQuery("", query.QueryString({"year", "quarter"}),
                absl::StrCat("year=", pipeline.pipeline().year(),
                             "&quarter=", pipeline.pipeline().quarter()))
          .substr(1));
  return absl::StrCat(
      FilterForm(query), Metadata(portfolio.metadata()),
      PortfolioSection(portfolio, links), AtRiskSection(at_risk, labels, links),
      SupportSection(support, links), WorkloadSection(workload, links),
      FunnelSection(funnel, links), RetentionSection(retention, links),
      PipelineSection(pipeline, pipeline_links));
}

}  // namespace clientele::reporting::dashboard

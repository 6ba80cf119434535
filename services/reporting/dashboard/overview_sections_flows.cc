// The overview's sections about flows over the time range: support, the
// customer-to-client funnel, retention by cohort and the sales pipeline.
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/overview_sections.h"
#include "services/reporting/dashboard/svg_chart.h"

namespace clientele::reporting::dashboard {
namespace {

std::string SliceLabel(const v1::SupportSlice& slice) {
  return absl::StrCat(ModeLabel(slice.mode()), " \xC2\xB7 ",
                      TierLabel(slice.tier()));
}

v1::ReportAggregate SupportAggregate(int mode, int tier, bool backlog_only) {
  v1::ReportAggregate aggregate;
  v1::SupportAggregate* support = aggregate.mutable_support();
  support->set_mode(static_cast<type::v1::RelationshipMode>(mode));
  support->set_tier(static_cast<type::v1::AccountTier>(tier));
  support->set_backlog_only(backlog_only);
  return aggregate;
}

std::string Duration(const google::protobuf::Duration& duration, bool has) {
  return has ? FormatDuration(duration) : "-";
}

std::vector<TableCell> SupportRow(TableCell label, const v1::SupportMetrics& m,
                                  const v1::ReportAggregate& accounts,
                                  const v1::ReportAggregate& backlog,
                                  const Links& links) {
  return {
      std::move(label),
      LinkCell(links.Accounts(accounts), FormatCount(m.tickets_created()),
               true),
      Number(FormatCount(m.tickets_solved())),
      Number(m.csat_responses() > 0 ? absl::StrCat(FormatPercent(m.csat_rate()),
                                                   " of ", m.csat_responses())
                                    : "-"),
      Number(m.sla_clocks() > 0
                 ? absl::StrCat(FormatPercent(m.sla_compliance_rate()), " of ",
                                m.sla_clocks())
                 : "-"),
      Number(
          Duration(m.median_first_response(), m.has_median_first_response())),
      Number(Duration(m.median_resolution(), m.has_median_resolution())),
      Number(Duration(m.business_median_resolution(),
                      m.has_business_median_resolution())),
      LinkCell(links.Accounts(backlog), FormatCount(m.backlog()), true),
      Number(Duration(m.oldest_backlog_age(), m.has_oldest_backlog_age()))};
}

}  // namespace

std::string SupportSection(const v1::SupportReport& report,
                           const Links& links) {
  BarChart sla;
  sla.title = "SLA compliance by mode and tier";
  BarChart csat;
  csat.title = "CSAT (rated 4 or 5) by mode and tier";
  std::vector<std::vector<TableCell>> rows;
  rows.push_back(SupportRow(Text("All tickets"), report.overall(),
                            SupportAggregate(0, 0, false),
                            SupportAggregate(0, 0, true), links));
  for (const v1::SupportSlice& slice : report.slices()) {
    const v1::SupportMetrics& m = slice.metrics();
    const v1::ReportAggregate accounts =
        SupportAggregate(slice.mode(), slice.tier(), false);
    if (m.sla_clocks() > 0) {
      sla.items.push_back({SliceLabel(slice), m.sla_compliance_rate(),
                           absl::StrCat(FormatPercent(m.sla_compliance_rate()),
                                        " of ", m.sla_clocks()),
                           links.Accounts(accounts)});
    }
    if (m.csat_responses() > 0) {
      csat.items.push_back({SliceLabel(slice), m.csat_rate(),
                            absl::StrCat(FormatPercent(m.csat_rate()), " of ",
                                         m.csat_responses()),
                            links.Accounts(accounts)});
    }
    rows.push_back(
        SupportRow(Text(SliceLabel(slice)), m, accounts,
                   SupportAggregate(slice.mode(), slice.tier(), true), links));
  }
  const std::string content = absl::StrCat(
      Note("Mode and tier are the account's when each ticket was created. "
           "Times exclude time pending on the requester."),
      HorizontalBarChart(sla), HorizontalBarChart(csat),
      Table(
          {"Mode \xC2\xB7 tier", "Created", "Solved", "CSAT", "SLA compliance",
           "Median first response", "Median resolution",
           "Median resolution (working hours)", "Backlog", "Oldest in backlog"},
          rows));
  return Section("support", "Support", {{links.ReportCsv("support"), "CSV"}},
                 content);
}

std::string FunnelSection(const v1::ConversionFunnelReport& report,
                          const Links& links) {
  BarChart chart;
  chart.title = "Customer to client conversion funnel";
  std::vector<std::vector<TableCell>> rows;
  for (const v1::FunnelStageMetrics& stage : report.stages()) {
    v1::ReportAggregate aggregate;
    aggregate.mutable_funnel()->set_stage(stage.stage());
    const std::string label =
        EnumLabel(v1::FunnelStage_descriptor(), stage.stage());
    const std::string href = links.Accounts(aggregate);
    chart.items.push_back(
        {label, static_cast<double>(stage.account_count()),
         absl::StrCat(FormatCount(stage.account_count()), " (",
                      FormatPercent(stage.rate_from_entry()), ")"),
         href});
    rows.push_back({Text(label),
                    LinkCell(href, FormatCount(stage.account_count()), true),
                    Number(FormatPercent(stage.rate_from_previous())),
                    Number(FormatPercent(stage.rate_from_entry())),
                    Number(Duration(stage.median_time_to_reach(),
                                    stage.has_median_time_to_reach())),
                    Number(FormatMoney(stage.revenue()))});
  }
  const std::string content = absl::StrCat(
      FunnelChart(chart),
      Table({"Stage", "Accounts", "From previous", "From entry",
             "Median time to reach", "Revenue since acquisition"},
            rows),
      Note(absl::StrCat("The customers acquired in the range, followed to "
                        "the as-of time. ",
                        FormatCount(report.regressed_accounts()),
                        " accounts stopped being clients in the range and "
                        "are customers or transitioning now.")));
  return Section("funnel", "Customer to client funnel",
                 {{links.ReportCsv("funnel"), "CSV"}}, content);
}

std::string RetentionSection(const v1::RetentionReport& report,
                             const Links& links) {
  int periods = 0;
  for (const v1::Cohort& cohort : report.cohorts()) {
    periods = std::max(periods, cohort.points_size());
  }
  HeatMap accounts;
  accounts.title = "Accounts still active, by acquisition cohort";
  accounts.corner = "Cohort";
  HeatMap revenue;
  revenue.title = "Net revenue retention, by acquisition cohort";
  revenue.corner = "Cohort";
  for (int period = 0; period < periods; ++period) {
    accounts.column_labels.push_back(absl::StrCat(period));
    revenue.column_labels.push_back(absl::StrCat(period));
  }
  for (const v1::Cohort& cohort : report.cohorts()) {
    std::string label = FormatDate(cohort.cohort_start_date());
    if (cohort.mode() != type::v1::RELATIONSHIP_MODE_UNSPECIFIED) {
      absl::StrAppend(&label, " ", ModeLabel(cohort.mode()));
    }
    absl::StrAppend(&label, " (", cohort.initial_accounts(), ")");
    HeatMap::Row account_row{label, {}};
    HeatMap::Row revenue_row{label, {}};
    account_row.cells.resize(periods);
    revenue_row.cells.resize(periods);
    for (const v1::RetentionPoint& point : cohort.points()) {
      if (point.period_index() < 0 || point.period_index() >= periods) continue;
      v1::ReportAggregate aggregate;
      v1::RetentionAggregate* retention = aggregate.mutable_retention();
      *retention->mutable_cohort_start_date() = cohort.cohort_start_date();
      retention->set_mode(cohort.mode());
      retention->set_period_index(point.period_index());
      const std::string href = links.Accounts(aggregate);
      const std::string partial = point.partial() ? "*" : "";
      account_row.cells[point.period_index()] = HeatMapCell{
          point.retention_rate(),
          absl::StrCat(FormatPercent(point.retention_rate()), partial), href};
      revenue_row.cells[point.period_index()] = HeatMapCell{
          std::min(point.net_revenue_retention(), 1.0),
          absl::StrCat(FormatPercent(point.net_revenue_retention()), partial),
          href};
    }
    accounts.rows.push_back(std::move(account_row));
    revenue.rows.push_back(std::move(revenue_row));
  }
  const std::string period_name =
      EnumLabel(v1::CohortPeriod_descriptor(), report.period(), "Month");
  const std::string content = absl::StrCat(
      Note(absl::StrCat("Rows: cohorts by acquisition ",
                        absl::AsciiStrToLower(period_name),
                        " (accounts acquired). Columns: periods since "
                        "acquisition. * the period is still running. Logo "
                        "churn and gross revenue retention are in the CSV.")),
      "<div class=\"wide\">", HeatMapChart(accounts), HeatMapChart(revenue),
      "</div>\n");
  return Section("retention", "Retention by cohort",
                 {{links.ReportCsv("retention"), "CSV"}}, content);
}

std::string PipelineSection(const v1::PipelineReport& report,
                            const Links& links) {
  const engagement::v1::Pipeline& pipeline = report.pipeline();
  const auto stage_aggregate = [](int stage) {
    v1::ReportAggregate aggregate;
    aggregate.mutable_pipeline()->set_stage(
        static_cast<engagement::v1::DealStage>(stage));
    return aggregate;
  };
  BarChart stages;
  stages.title = "Open pipeline by stage";
  std::vector<std::vector<TableCell>> rows;
  for (const engagement::v1::PipelineStageTotal& stage : pipeline.stages()) {
    const std::string label =
        EnumLabel(engagement::v1::DealStage_descriptor(), stage.stage());
    const std::string href = links.Accounts(stage_aggregate(stage.stage()));
    stages.items.push_back(
        {label, static_cast<double>(stage.open_amount().amount_minor_units()),
         FormatMoney(stage.open_amount()), href});
    rows.push_back({Text(label),
                    LinkCell(href, FormatCount(stage.deal_count()), true),
                    Number(FormatMoney(stage.open_amount())),
                    Number(FormatPercent(stage.probability())),
                    Number(FormatMoney(stage.weighted_amount()))});
  }
  BarChart months;
  months.title = "Open pipeline by expected close month";
  for (const engagement::v1::PipelineMonth& month : pipeline.months()) {
    v1::ReportAggregate aggregate;
    *aggregate.mutable_pipeline()->mutable_month() = month.month();
    months.items.push_back(
        {FormatDate(month.month()),
         static_cast<double>(month.open_amount().amount_minor_units()),
         FormatMoney(month.open_amount()), links.Accounts(aggregate)});
  }
  rows.push_back({Text("All open"),
                  LinkCell(links.Accounts(stage_aggregate(0)),
                           FormatCount(pipeline.open_deal_count()), true),
                  Number(FormatMoney(pipeline.open_amount())), Number(""),
                  Number(FormatMoney(pipeline.weighted_amount()))});
  for (const auto& [label, stage, outcome] :
       {std::make_tuple("Won", engagement::v1::DEAL_STAGE_WON, &pipeline.won()),
        std::make_tuple("Lost", engagement::v1::DEAL_STAGE_LOST,
                        &pipeline.lost())}) {
    rows.push_back({Text(label),
                    LinkCell(links.Accounts(stage_aggregate(stage)),
                             FormatCount(outcome->deal_count()), true),
                    Number(FormatMoney(outcome->amount())), Number(""),
                    Number("")});
  }
  const std::string content = absl::StrCat(
      Note(absl::StrCat("Quarter ", pipeline.year(), " Q", pipeline.quarter(),
                        ". ", FormatCount(pipeline.overdue_deal_count()),
                        " open deals are overdue (expected before the "
                        "quarter); ",
                        FormatCount(pipeline.other_currency_deal_count()),
                        " are in another currency than ",
                        pipeline.currency_code(), ".")),
      VerticalBarChart(stages), VerticalBarChart(months),
      Table({"Stage", "Deals", "Amount", "Probability", "Weighted"}, rows));
  return Section("pipeline", "Sales pipeline",
                 {{links.ReportCsv("pipeline"), "CSV"}}, content);
}

}  // namespace clientele::reporting::dashboard

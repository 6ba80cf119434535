// The overview's sections about accounts: the portfolio mix, the at-risk
// accounts and the workload of the staff who serve them.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time_range.h"
#include "services/reporting/dashboard/format.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/overview_sections.h"
#include "services/reporting/dashboard/svg_chart.h"

namespace clientele::reporting::dashboard {
namespace {

// Colours that mean the same on every chart.
std::string ModeColor(int mode) {
  switch (mode) {
    case type::v1::RELATIONSHIP_MODE_CUSTOMER:
      return "#e08a2c";
    case type::v1::RELATIONSHIP_MODE_TRANSITIONING:
      return "#8e6cc0";
    case type::v1::RELATIONSHIP_MODE_CLIENT:
      return "#2b7bba";
    default:
      return "#9e9e9e";
  }
}

std::string BandColor(int band) {
  switch (band) {
    case type::v1::SCORE_BAND_AT_RISK:
      return "#c0392b";
    case type::v1::SCORE_BAND_NEEDS_ATTENTION:
      return "#e67e22";
    case type::v1::SCORE_BAND_HEALTHY:
      return "#7fb069";
    case type::v1::SCORE_BAND_STRONG:
      return "#2e7d32";
    default:
      return "#9e9e9e";
  }
}

v1::ReportAggregate PortfolioAggregate(std::optional<int> mode,
                                       std::optional<int> band) {
  v1::ReportAggregate aggregate;
  v1::PortfolioAggregate* portfolio = aggregate.mutable_portfolio();
  if (mode) portfolio->set_mode(static_cast<type::v1::RelationshipMode>(*mode));
  if (band) portfolio->set_band(static_cast<type::v1::ScoreBand>(*band));
  return aggregate;
}

// The mix: accounts and each kind of revenue, split by mode.
std::string MixChart(const v1::PortfolioReport& report, const Links& links) {
  StackedBarChart chart;
  chart.title = "Portfolio mix by relationship mode";
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    chart.series.push_back({ModeLabel(slice.mode()), ModeColor(slice.mode())});
  }
  struct Measure {
    const char* label;
    double (*value)(const v1::PortfolioModeSlice&);
    std::string (*text)(const v1::PortfolioModeSlice&);
  };
  static constexpr Measure kMeasures[] = {
      {"Accounts",
       [](const v1::PortfolioModeSlice& s) {
         return static_cast<double>(s.account_count());
       },
       [](const v1::PortfolioModeSlice& s) {
         return FormatPercent(s.account_share());
       }},
      {"Revenue",
       [](const v1::PortfolioModeSlice& s) {
         return static_cast<double>(s.revenue().amount_minor_units());
       },
       [](const v1::PortfolioModeSlice& s) {
         return FormatPercent(s.revenue_share());
       }},
      {"Recurring revenue",
       [](const v1::PortfolioModeSlice& s) {
         return static_cast<double>(s.recurring_revenue().amount_minor_units());
       },
       [](const v1::PortfolioModeSlice& s) {
         return FormatMoney(s.recurring_revenue());
       }},
      {"Transactional revenue",
       [](const v1::PortfolioModeSlice& s) {
         return static_cast<double>(
             s.transactional_revenue().amount_minor_units());
       },
       [](const v1::PortfolioModeSlice& s) {
         return FormatMoney(s.transactional_revenue());
       }},
  };
  for (const Measure& measure : kMeasures) {
    StackedBarChart::Row row;
    row.label = measure.label;
    for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
      row.segments.push_back(
          {ModeLabel(slice.mode()), measure.value(slice), measure.text(slice),
           links.Accounts(PortfolioAggregate(slice.mode(), std::nullopt))});
    }
    chart.rows.push_back(std::move(row));
  }
  return StackedBars(chart);
}

// Score bands within each mode.
std::string BandChart(const v1::PortfolioReport& report, const Links& links) {
  StackedBarChart chart;
  chart.title = "Score bands by relationship mode";
  for (int band = type::v1::SCORE_BAND_AT_RISK;
       band <= type::v1::SCORE_BAND_STRONG; ++band) {
    chart.series.push_back({BandLabel(band), BandColor(band)});
  }
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    if (slice.mode() == type::v1::RELATIONSHIP_MODE_UNSPECIFIED) continue;
    StackedBarChart::Row row;
    row.label = ModeLabel(slice.mode());
    for (int band = type::v1::SCORE_BAND_AT_RISK;
         band <= type::v1::SCORE_BAND_STRONG; ++band) {
      int count = 0;
      for (const v1::BandCount& band_count : slice.band_counts()) {
        if (band_count.band() == band) count = band_count.account_count();
      }
      row.segments.push_back(
          {BandLabel(band), static_cast<double>(count), FormatCount(count),
           links.Accounts(PortfolioAggregate(slice.mode(), band))});
    }
    chart.rows.push_back(std::move(row));
  }
  return StackedBars(chart);
}

}  // namespace

std::string PortfolioSection(const v1::PortfolioReport& report,
                             const Links& links) {
  std::vector<std::vector<TableCell>> rows;
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    rows.push_back({Text(ModeLabel(slice.mode())),
                    LinkCell(links.Accounts(PortfolioAggregate(slice.mode(),
                                                               std::nullopt)),
                             FormatCount(slice.account_count()), true),
                    Number(FormatPercent(slice.account_share())),
                    Number(FormatMoney(slice.revenue())),
                    Number(FormatPercent(slice.revenue_share())),
                    Number(FormatMoney(slice.recurring_revenue())),
                    Number(FormatMoney(slice.transactional_revenue())),
                    Number(FormatDecimal(slice.average_score(), 1))});
  }
  rows.push_back(
      {Text("All"),
       LinkCell(links.Accounts(PortfolioAggregate(std::nullopt, std::nullopt)),
                FormatCount(report.account_count()), true),
       Number(""), Number(FormatMoney(report.revenue())), Number(""),
       Number(""), Number(""), Number("")});
  const std::string content =
      absl::StrCat(MixChart(report, links), BandChart(report, links),
                   Table({"Mode", "Accounts", "Share", "Revenue", "Share",
                          "Recurring", "Transactional", "Average score"},
                         rows));
  return Section("portfolio", "Portfolio",
                 {{links.ReportCsv("portfolio"), "CSV"}}, content);
}

std::string AtRiskSection(const v1::ListAtRiskAccountsResponse& at_risk,
                          const AccountLabels& labels, const Links& links) {
  BarChart chart;
  chart.title = "Revenue at risk, largest first";
  std::vector<std::vector<TableCell>> rows;
  for (const v1::AtRiskAccount& account : at_risk.at_risk_accounts()) {
    const std::string id = AccountIdOf(account.account());
    const std::string href = Links::Account(id);
    chart.items.push_back(
        {labels.Label(id),
         static_cast<double>(account.revenue_at_risk().amount_minor_units()),
         FormatMoney(account.revenue_at_risk()), href});
    rows.push_back({labels.Cell(id), Text(ModeLabel(account.mode())),
                    Number(absl::StrCat(account.score())),
                    Text(BandLabel(account.band())),
                    Number(absl::StrCat(account.score_delta() > 0 ? "+" : "",
                                        account.score_delta())),
                    Number(FormatMoney(account.revenue_at_risk())),
                    Number(FormatMoney(account.revenue())),
                    Text(account.account_manager()),
                    Text(absl::StrJoin(account.reasons(), "; "))});
  }
  const v1::ScoreFreshness& freshness = at_risk.score_freshness();
  std::string source;
  if (freshness.source() == v1::SCORE_SOURCE_LIVE) {
    source = "Scores are live from engagement.";
  } else {
    source = "Scores are reporting's own";
    if (freshness.has_projection_time()) {
      absl::StrAppend(
          &source, " (newest score event ",
          FormatTimeUs(TimestampMicros(freshness.projection_time())), ")");
    }
    absl::StrAppend(&source, freshness.stale_reason().empty() ? "." : ": ",
                    freshness.stale_reason());
  }
  const std::string content = absl::StrCat(
      Note(absl::StrCat(FormatCount(at_risk.total_size()),
                        " accounts at risk or needing attention; the ",
                        at_risk.at_risk_accounts_size(),
                        " with the most revenue at risk. ", source)),
      HorizontalBarChart(chart),
      Table({"Account", "Mode", "Score", "Band", "Trend", "Revenue at risk",
             "Revenue", "Account manager", "Reasons"},
            rows));
  return Section("at-risk", "At-risk accounts",
                 {{links.ReportCsv("at-risk"), "CSV (all of them)"}}, content);
}

std::string WorkloadSection(const v1::WorkloadReport& report,
                            const Links& links) {
  BarChart chart;
  chart.title = "Open tickets per agent";
  std::vector<std::vector<TableCell>> agents;
  for (const v1::AgentWorkload& agent : report.agents()) {
    if (agents.size() < 15) {
      chart.items.push_back({agent.agent(),
                             static_cast<double>(agent.open_tickets()),
                             FormatCount(agent.open_tickets()), ""});
    }
    if (agents.size() >= 20) continue;
    agents.push_back(
        {Text(agent.agent()), Number(FormatCount(agent.open_tickets())),
         Number(FormatCount(agent.tickets_assigned())),
         Number(FormatCount(agent.tickets_solved())),
         Number(FormatCount(agent.sla_breaches())),
         Number(agent.has_median_first_response()
                    ? FormatDuration(agent.median_first_response())
                    : "-"),
         Number(agent.csat_responses() > 0 ? FormatPercent(agent.csat_rate())
                                           : "-")});
  }
  std::vector<std::vector<TableCell>> managers;
  for (const v1::AccountManagerWorkload& manager : report.account_managers()) {
    if (managers.size() >= 20) break;
    v1::ReportAggregate aggregate;
    aggregate.mutable_workload()->set_account_manager(
        manager.account_manager());
    managers.push_back({Text(manager.account_manager()),
                        LinkCell(links.Accounts(aggregate),
                                 FormatCount(manager.accounts()), true),
                        Number(FormatCount(manager.client_accounts())),
                        Number(FormatCount(manager.at_risk_accounts())),
                        Number(FormatMoney(manager.revenue())),
                        Number(FormatCount(manager.interactions())),
                        Number(FormatCount(manager.open_follow_ups())),
                        Number(FormatCount(manager.overdue_follow_ups())),
                        Number(FormatCount(manager.open_tickets()))});
  }
  const std::string content = absl::StrCat(
      HorizontalBarChart(chart), "<h3>Support agents</h3>\n",
      Table({"Agent", "Open tickets", "Assigned", "Solved", "SLA breaches",
             "Median first response", "CSAT"},
            agents),
      "<h3>Account managers</h3>\n",
      Table({"Account manager", "Accounts", "Clients", "At risk", "Revenue",
             "Interactions", "Open follow-ups", "Overdue", "Open tickets"},
            managers),
      report.agents_size() > 20 || report.account_managers_size() > 20
          ? Note("The 20 busiest of each are shown; the CSV has them all.")
          : "");
  return Section("workload", "Workload", {{links.ReportCsv("workload"), "CSV"}},
                 content);
}

}  // namespace clientele::reporting::dashboard

#include "services/reporting/dashboard/report_csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/proto_time.h"
#include "common/time_range.h"
#include "services/reporting/dashboard/csv.h"
#include "services/reporting/dashboard/format.h"

namespace clientele::reporting::dashboard {
namespace {

std::string Rate(double value) { return FormatDecimal(value, 4); }

std::string Mode(int mode) {
  return EnumToken(type::v1::RelationshipMode_descriptor(), mode);
}

std::string Band(int band) {
  return EnumToken(type::v1::ScoreBand_descriptor(), band);
}

std::string Tier(int tier) {
  return EnumToken(type::v1::AccountTier_descriptor(), tier);
}

std::string Count(int64_t value) { return absl::StrCat(value); }

// The amount of `money` in its major unit ("1234.50").
std::string Amount(const type::v1::Money& money) { return MoneyDecimal(money); }

// A duration's whole seconds, "" when unset.
std::string Seconds(const google::protobuf::Duration& duration, bool has) {
  return has ? DurationSeconds(duration) : "";
}

// The id of "accounts/{id}".
std::string AccountId(const std::string& name) {
  absl::string_view id = name;
  if (id.substr(0, 9) == "accounts/") id.remove_prefix(9);
  return std::string(id);
}

void AddSupportRow(const std::string& mode, const std::string& tier,
                   const v1::SupportMetrics& m, CsvWriter* csv) {
  csv->AddRow(
      {mode,
       tier,
       Count(m.tickets_created()),
       Count(m.tickets_solved()),
       Count(m.csat_responses()),
       Rate(m.csat_rate()),
       FormatDecimal(m.average_csat_rating(), 2),
       Count(m.sla_clocks()),
       Count(m.sla_breaches()),
       Rate(m.sla_compliance_rate()),
       Seconds(m.median_first_response(), m.has_median_first_response()),
       Seconds(m.p90_first_response(), m.has_p90_first_response()),
       Seconds(m.median_resolution(), m.has_median_resolution()),
       Seconds(m.p90_resolution(), m.has_p90_resolution()),
       Seconds(m.business_median_first_response(),
               m.has_business_median_first_response()),
       Seconds(m.business_p90_first_response(),
               m.has_business_p90_first_response()),
       Seconds(m.business_median_resolution(),
               m.has_business_median_resolution()),
       Seconds(m.business_p90_resolution(), m.has_business_p90_resolution()),
       Count(m.backlog()),
       Count(m.backlog_breached()),
       Count(m.on_hold()),
       Seconds(m.median_backlog_age(), m.has_median_backlog_age()),
       Seconds(m.oldest_backlog_age(), m.has_oldest_backlog_age())});
}

void AddPipelineTotal(const std::string& row_type, const std::string& stage,
                      const std::string& month,
                      const engagement::v1::PipelineStageTotal& total,
                      const std::string& currency, CsvWriter* csv) {
  csv->AddRow({row_type, stage, month, Count(total.deal_count()),
               Amount(total.open_amount()), Amount(total.weighted_amount()),
               Rate(total.probability()), currency});
}

}  // namespace

std::string PortfolioCsv(const v1::PortfolioReport& report) {
  CsvWriter csv({"mode", "account_count", "account_share", "revenue",
                 "revenue_share", "recurring_revenue", "transactional_revenue",
                 "currency", "average_score", "at_risk", "needs_attention",
                 "healthy", "strong", "not_scored"});
  const std::string& currency = report.metadata().currency_code();
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    std::vector<std::string> row = {Mode(slice.mode()),
                                    Count(slice.account_count()),
                                    Rate(slice.account_share()),
                                    Amount(slice.revenue()),
                                    Rate(slice.revenue_share()),
                                    Amount(slice.recurring_revenue()),
                                    Amount(slice.transactional_revenue()),
                                    currency,
                                    FormatDecimal(slice.average_score(), 2)};
    // Columns by band: AT_RISK..STRONG, then UNSPECIFIED (not scored).
    std::string by_band[5];
    for (const v1::BandCount& band : slice.band_counts()) {
      const int index = band.band() == 0 ? 4 : band.band() - 1;
      if (index >= 0 && index < 5) by_band[index] = Count(band.account_count());
    }
    row.insert(row.end(), std::begin(by_band), std::end(by_band));
    csv.AddRow(row);
  }
  csv.AddRow({"all", Count(report.account_count()), "",
              Amount(report.revenue()), "", "", "", currency, "", "", "", "",
              "", ""});
  return csv.text();
}

std::string SupportCsv(const v1::SupportReport& report) {
  CsvWriter csv({"mode",
                 "tier",
                 "tickets_created",
                 "tickets_solved",
                 "csat_responses",
                 "csat_rate",
                 "average_csat_rating",
                 "sla_clocks",
                 "sla_breaches",
                 "sla_compliance_rate",
                 "median_first_response_s",
                 "p90_first_response_s",
                 "median_resolution_s",
                 "p90_resolution_s",
                 "business_median_first_response_s",
                 "business_p90_first_response_s",
                 "business_median_resolution_s",
                 "business_p90_resolution_s",
                 "backlog",
                 "backlog_breached",
                 "on_hold",
                 "median_backlog_age_s",
                 "oldest_backlog_age_s"});
  AddSupportRow("all", "all", report.overall(), &csv);
  for (const v1::SupportSlice& slice : report.slices()) {
    AddSupportRow(Mode(slice.mode()), Tier(slice.tier()), slice.metrics(),
                  &csv);
  }
  return csv.text();
}

std::string WorkloadCsv(const v1::WorkloadReport& report) {
  CsvWriter csv({"row_type", "staff_user", "open_tickets", "tickets_assigned",
                 "tickets_solved", "sla_breaches", "median_first_response_s",
                 "csat_responses", "csat_rate", "accounts", "client_accounts",
                 "at_risk_accounts", "revenue", "currency", "interactions",
                 "open_follow_ups", "overdue_follow_ups",
                 "completed_follow_ups"});
  for (const v1::AgentWorkload& agent : report.agents()) {
    csv.AddRow({"agent", agent.agent(), Count(agent.open_tickets()),
                Count(agent.tickets_assigned()), Count(agent.tickets_solved()),
                Count(agent.sla_breaches()),
                Seconds(agent.median_first_response(),
                        agent.has_median_first_response()),
                Count(agent.csat_responses()), Rate(agent.csat_rate()), "", "",
                "", "", "", "", "", "", ""});
  }
  for (const v1::AccountManagerWorkload& manager : report.account_managers()) {
    csv.AddRow({"account_manager", manager.account_manager(),
                Count(manager.open_tickets()), "", "", "", "", "", "",
                Count(manager.accounts()), Count(manager.client_accounts()),
                Count(manager.at_risk_accounts()), Amount(manager.revenue()),
                manager.revenue().currency_code(),
                Count(manager.interactions()), Count(manager.open_follow_ups()),
                Count(manager.overdue_follow_ups()),
                Count(manager.completed_follow_ups())});
  }
  return csv.text();
}

std::string AtRiskCsv(const std::vector<v1::AtRiskAccount>& accounts) {
  CsvWriter csv({"account", "mode", "score", "band", "score_delta",
                 "revenue_at_risk", "revenue", "currency", "account_manager",
                 "last_interaction_time", "contract_end_date", "reasons"});
  for (const v1::AtRiskAccount& account : accounts) {
    csv.AddRow(
        {AccountId(account.account()), Mode(account.mode()),
         Count(account.score()), Band(account.band()),
         Count(account.score_delta()), Amount(account.revenue_at_risk()),
         Amount(account.revenue()), account.revenue_at_risk().currency_code(),
         account.account_manager(),
         account.has_last_interaction_time()
             ? Rfc3339Us(TimestampMicros(account.last_interaction_time()))
             : "",
         FormatDate(account.contract_end_date()),
         absl::StrJoin(account.reasons(), " | ")});
  }
  return csv.text();
}

std::string FunnelCsv(const v1::ConversionFunnelReport& report) {
  CsvWriter csv({"stage", "account_count", "rate_from_previous",
                 "rate_from_entry", "median_time_to_reach_s", "revenue",
                 "currency"});
  for (const v1::FunnelStageMetrics& stage : report.stages()) {
    csv.AddRow({EnumToken(v1::FunnelStage_descriptor(), stage.stage()),
                Count(stage.account_count()), Rate(stage.rate_from_previous()),
                Rate(stage.rate_from_entry()),
                Seconds(stage.median_time_to_reach(),
                        stage.has_median_time_to_reach()),
                Amount(stage.revenue()), report.metadata().currency_code()});
  }
  csv.AddRow(
      {"regressed", Count(report.regressed_accounts()), "", "", "", "", ""});
  return csv.text();
}

std::string RetentionCsv(const v1::RetentionReport& report) {
  CsvWriter csv({"cohort_start_date", "mode", "initial_accounts",
                 "initial_revenue", "period_index", "active_accounts",
                 "retention_rate", "logo_churn_rate", "revenue",
                 "gross_revenue_retention", "net_revenue_retention", "partial",
                 "currency"});
  for (const v1::Cohort& cohort : report.cohorts()) {
    for (const v1::RetentionPoint& point : cohort.points()) {
      csv.AddRow({FormatDate(cohort.cohort_start_date()), Mode(cohort.mode()),
                  Count(cohort.initial_accounts()),
                  Amount(cohort.initial_revenue()), Count(point.period_index()),
                  Count(point.active_accounts()), Rate(point.retention_rate()),
                  Rate(point.logo_churn_rate()), Amount(point.revenue()),
                  Rate(point.gross_revenue_retention()),
                  Rate(point.net_revenue_retention()),
                  point.partial() ? "true" : "false",
                  report.metadata().currency_code()});
    }
  }
  return csv.text();
}

std::string PipelineCsv(const v1::PipelineReport& report) {
  CsvWriter csv({"row_type", "stage", "month", "deal_count", "open_amount",
                 "weighted_amount", "probability", "currency"});
  const engagement::v1::Pipeline& pipeline = report.pipeline();
  const std::string& currency = pipeline.currency_code();
  const auto stage_token = [](int stage) {
    return EnumToken(engagement::v1::DealStage_descriptor(), stage);
  };
  for (const engagement::v1::PipelineStageTotal& stage : pipeline.stages()) {
    AddPipelineTotal("stage", stage_token(stage.stage()), "", stage, currency,
                     &csv);
  }
  for (const engagement::v1::PipelineMonth& month : pipeline.months()) {
    const std::string month_text = FormatDate(month.month());
    for (const engagement::v1::PipelineStageTotal& stage : month.stages()) {
      AddPipelineTotal("month", stage_token(stage.stage()), month_text, stage,
                       currency, &csv);
    }
    csv.AddRow({"month", "all", month_text, Count(month.deal_count()),
                Amount(month.open_amount()), Amount(month.weighted_amount()),
                "", currency});
  }
  csv.AddRow({"open", "all", "", Count(pipeline.open_deal_count()),
              Amount(pipeline.open_amount()),
              Amount(pipeline.weighted_amount()), "", currency});
  csv.AddRow({"won", "won", "", Count(pipeline.won().deal_count()),
              Amount(pipeline.won().amount()), "", "", currency});
  csv.AddRow({"lost", "lost", "", Count(pipeline.lost().deal_count()),
              Amount(pipeline.lost().amount()), "", "", currency});
  csv.AddRow({"overdue", "", "", Count(pipeline.overdue_deal_count()), "", "",
              "", ""});
  csv.AddRow({"other_currency", "", "",
              Count(pipeline.other_currency_deal_count()), "", "", "", ""});
  return csv.text();
}

std::string AccountsCsv(const std::vector<v1::ReportAccount>& accounts) {
  CsvWriter csv({"account", "mode", "score", "band", "tier", "segment",
                 "account_manager", "revenue", "currency"});
  for (const v1::ReportAccount& account : accounts) {
    csv.AddRow(
        {AccountId(account.account()), Mode(account.mode()),
         Count(account.score()), Band(account.band()), Tier(account.tier()),
         EnumToken(type::v1::AccountSegment_descriptor(), account.segment()),
         account.account_manager(), Amount(account.revenue()),
         account.revenue().currency_code()});
  }
  return csv.text();
}

}  // namespace clientele::reporting::dashboard

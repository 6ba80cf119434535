// The CSV of each report, on small hand-built reports: the columns docs/
// reports.md lists, plain values, and nothing a spreadsheet would run.
#include "services/reporting/dashboard/report_csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

using ::testing::HasSubstr;

type::v1::Money Eur(int64_t minor) {
  type::v1::Money money;
  money.set_currency_code("EUR");
  money.set_amount_minor_units(minor);
  return money;
}

TEST(ReportCsvTest, PortfolioHasOneRowPerModeAndTheTotals) {
  v1::PortfolioReport report;
  report.mutable_metadata()->set_currency_code("EUR");
  report.set_account_count(3);
  *report.mutable_revenue() = Eur(150050);
  v1::PortfolioModeSlice* client = report.add_mode_slices();
  client->set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  client->set_account_count(1);
  client->set_account_share(1.0 / 3);
  *client->mutable_revenue() = Eur(150050);
  client->set_revenue_share(1.0);
  *client->mutable_recurring_revenue() = Eur(150000);
  *client->mutable_transactional_revenue() = Eur(50);
  client->set_average_score(80);
  v1::BandCount* strong = client->add_band_counts();
  strong->set_band(type::v1::SCORE_BAND_STRONG);
  strong->set_account_count(1);
  v1::BandCount* none = client->add_band_counts();
  none->set_band(type::v1::SCORE_BAND_UNSPECIFIED);
  none->set_account_count(0);
  EXPECT_EQ(PortfolioCsv(report),
            "mode,account_count,account_share,revenue,revenue_share,"
            "recurring_revenue,transactional_revenue,currency,average_score,"
            "at_risk,needs_attention,healthy,strong,not_scored\r\n"
            "client,1,0.3333,1500.50,1.0000,1500.00,0.50,EUR,80.00,,,,1,0\r\n"
            "all,3,,1500.50,,,,EUR,,,,,,\r\n");
}

TEST(ReportCsvTest, AtRiskGuardsEveryTextCell) {
  v1::AtRiskAccount account;
  account.set_account("accounts/=cmd|' /C calc'!A0");
  account.set_mode(type::v1::RELATIONSHIP_MODE_CUSTOMER);
  account.set_score(22);
  account.set_band(type::v1::SCORE_BAND_AT_RISK);
  account.set_score_delta(-12);
  *account.mutable_revenue_at_risk() = Eur(-120000);
  *account.mutable_revenue() = Eur(10000);
  account.set_account_manager("@SUM(1+1)");
  account.add_reasons("No purchase in 90 days, \"usually\" 30");
  account.add_reasons("+1 open ticket");
  account.mutable_last_interaction_time()->set_seconds(1767225600);
  EXPECT_EQ(AtRiskCsv({account}),
            "account,mode,score,band,score_delta,revenue_at_risk,revenue,"
            "currency,account_manager,last_interaction_time,"
            "contract_end_date,reasons\r\n"
            "'=cmd|' /C calc'!A0,customer,22,at_risk,-12,-1200.00,100.00,EUR,"
            "'@SUM(1+1),2026-01-01T00:00:00Z,,"
            "\"No purchase in 90 days, \"\"usually\"\" 30 | +1 open ticket\""
            "\r\n");
}

TEST(ReportCsvTest, SupportLeavesUnknownDurationsEmpty) {
  v1::SupportReport report;
  report.mutable_overall()->set_tickets_created(2);
  report.mutable_overall()->mutable_median_first_response()->set_seconds(7200);
  v1::SupportSlice* slice = report.add_slices();
  slice->set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  slice->set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  slice->mutable_metrics()->set_backlog(1);
  const std::string csv = SupportCsv(report);
  EXPECT_THAT(csv,
              HasSubstr("\r\nall,all,2,0,0,0.0000,0.00,0,0,0.0000,7200,,"));
  EXPECT_THAT(csv, HasSubstr("\r\nclient,enterprise,0,0,0,0.0000,0.00,0,0,"
                             "0.0000,,,,,,,,,1,0,0,,\r\n"));
}

TEST(ReportCsvTest, PipelineRowsByStageMonthAndOutcome) {
  v1::PipelineReport report;
  engagement::v1::Pipeline* pipeline = report.mutable_pipeline();
  pipeline->set_currency_code("EUR");
  pipeline->set_open_deal_count(1);
  *pipeline->mutable_open_amount() = Eur(50000);
  *pipeline->mutable_weighted_amount() = Eur(25000);
  engagement::v1::PipelineStageTotal* stage = pipeline->add_stages();
  stage->set_stage(engagement::v1::DEAL_STAGE_PROPOSAL);
  stage->set_probability(0.5);
  stage->set_deal_count(1);
  *stage->mutable_open_amount() = Eur(50000);
  *stage->mutable_weighted_amount() = Eur(25000);
  engagement::v1::PipelineMonth* month = pipeline->add_months();
  month->mutable_month()->set_year(2025);
  month->mutable_month()->set_month(11);
  *month->add_stages() = *stage;
  month->set_deal_count(1);
  *month->mutable_open_amount() = Eur(50000);
  *month->mutable_weighted_amount() = Eur(25000);
  pipeline->mutable_won()->set_deal_count(2);
  *pipeline->mutable_won()->mutable_amount() = Eur(900000);
  pipeline->set_overdue_deal_count(3);
  EXPECT_EQ(PipelineCsv(report),
            "row_type,stage,month,deal_count,open_amount,weighted_amount,"
            "probability,currency\r\n"
            "stage,proposal,,1,500.00,250.00,0.5000,EUR\r\n"
            "month,proposal,2025-11,1,500.00,250.00,0.5000,EUR\r\n"
            "month,all,2025-11,1,500.00,250.00,,EUR\r\n"
            "open,all,,1,500.00,250.00,,EUR\r\n"
            "won,won,,2,9000.00,,,EUR\r\n"
            "lost,lost,,0,0.00,,,EUR\r\n"
            "overdue,,,3,,,,\r\n"
            "other_currency,,,0,,,,\r\n");
}

TEST(ReportCsvTest, RetentionIsTheTriangleInLongForm) {
  v1::RetentionReport report;
  report.mutable_metadata()->set_currency_code("EUR");
  v1::Cohort* cohort = report.add_cohorts();
  cohort->mutable_cohort_start_date()->set_year(2025);
  cohort->mutable_cohort_start_date()->set_month(3);
  cohort->mutable_cohort_start_date()->set_day(1);
  cohort->set_initial_accounts(4);
  *cohort->mutable_initial_revenue() = Eur(40000);
  for (int i = 0; i < 2; ++i) {
    v1::RetentionPoint* point = cohort->add_points();
    point->set_period_index(i);
    point->set_active_accounts(4 - 2 * i);
    point->set_retention_rate(1.0 - 0.5 * i);
    point->set_logo_churn_rate(0.5 * i);
    *point->mutable_revenue() = Eur(40000 - 10000 * i);
    point->set_gross_revenue_retention(1.0 - 0.25 * i);
    point->set_net_revenue_retention(1.0 - 0.25 * i);
    point->set_partial(i == 1);
  }
  EXPECT_EQ(RetentionCsv(report),
            "cohort_start_date,mode,initial_accounts,initial_revenue,"
            "period_index,active_accounts,retention_rate,logo_churn_rate,"
            "revenue,gross_revenue_retention,net_revenue_retention,partial,"
            "currency\r\n"
            "2025-03-01,unspecified,4,400.00,0,4,1.0000,0.0000,400.00,1.0000,"
            "1.0000,false,EUR\r\n"
            "2025-03-01,unspecified,4,400.00,1,2,0.5000,0.5000,300.00,0.7500,"
            "0.7500,true,EUR\r\n");
}

TEST(ReportCsvTest, WorkloadAndFunnelAndAccounts) {
  v1::WorkloadReport workload;
  v1::AgentWorkload* agent = workload.add_agents();
  agent->set_agent("u-agent");
  agent->set_open_tickets(3);
  v1::AccountManagerWorkload* manager = workload.add_account_managers();
  manager->set_account_manager("u-mia");
  manager->set_accounts(2);
  *manager->mutable_revenue() = Eur(320000);
  const std::string workload_csv = WorkloadCsv(workload);
  EXPECT_THAT(workload_csv,
              HasSubstr("\r\nagent,u-agent,3,0,0,0,,0,0.0000,,,,,,,,,\r\n"));
  EXPECT_THAT(workload_csv, HasSubstr("\r\naccount_manager,u-mia,0,,,,,,,2,0,"
                                      "0,3200.00,EUR,0,0,0,0\r\n"));

  v1::ConversionFunnelReport funnel;
  funnel.mutable_metadata()->set_currency_code("EUR");
  v1::FunnelStageMetrics* stage = funnel.add_stages();
  stage->set_stage(v1::FUNNEL_STAGE_CUSTOMER);
  stage->set_account_count(10);
  stage->set_rate_from_previous(1);
  stage->set_rate_from_entry(1);
  *stage->mutable_revenue() = Eur(100);
  funnel.set_regressed_accounts(1);
  EXPECT_EQ(FunnelCsv(funnel),
            "stage,account_count,rate_from_previous,rate_from_entry,"
            "median_time_to_reach_s,revenue,currency\r\n"
            "customer,10,1.0000,1.0000,,1.00,EUR\r\n"
            "regressed,1,,,,,\r\n");

  v1::ReportAccount account;
  account.set_account("accounts/a,1");
  account.set_band(type::v1::SCORE_BAND_HEALTHY);
  account.set_score(60);
  *account.mutable_revenue() = Eur(5);
  EXPECT_EQ(AccountsCsv({account}),
            "account,mode,score,band,tier,segment,account_manager,revenue,"
            "currency\r\n"
            "\"a,1\",unspecified,60,healthy,unspecified,unspecified,,0.05,EUR"
            "\r\n");
}

}  // namespace
}  // namespace clientele::reporting::dashboard

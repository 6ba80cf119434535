// Every reporting RPC as a client sees it: the real service on a real server
// over the read model, fed the small data set of
// reporting_service_fixture_for_test.h (its table holds the figures the
// tests below expect). Roles (a viewer reads every report; no token is
// UNAUTHENTICATED) and tenancy (another tenant's accounts never show up)
// included.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_service_fixture_for_test.h"

namespace clientele::reporting::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ReportingStub = v1::ReportingService::Stub;

class ReportingGrpcServiceTest : public ReportingServiceFixture {
 protected:
  void SetUp() override {
    ReportingServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    FeedSmallDataSet();
  }

  // The accounts of one ListReportAccounts page.
  static std::vector<std::string> Names(
      const v1::ListReportAccountsResponse& page) {
    std::vector<std::string> names;
    for (const v1::ReportAccount& account : page.accounts()) {
      names.push_back(account.account());
    }
    return names;
  }

  // Every account of `aggregate` over 2025 (pages of 2), as `token` sees
  // them; a test failure when a call fails.
  std::vector<std::string> AllAccounts(v1::ListReportAccountsRequest request,
                                       const char* token = kAcmeViewer) {
    std::vector<std::string> names;
    request.set_page_size(2);
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListReportAccountsResponse page;
      const grpc::Status status =
          Call(&ReportingStub::ListReportAccounts, request, &page, token);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (std::string& name : Names(page)) names.push_back(std::move(name));
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    return names;
  }

  static v1::ListReportAccountsRequest Accounts2025(
      const v1::ReportAggregate& aggregate) {
    v1::ListReportAccountsRequest request;
    *request.mutable_aggregate() = aggregate;
    *request.mutable_time_range() = Year2025();
    return request;
  }
};

TEST_F(ReportingGrpcServiceTest, PortfolioInTheTenantsCurrencyAsOfTheEnd) {
  v1::GetPortfolioReportRequest request;
  *request.mutable_time_range() = Year2025();
  v1::GetPortfolioReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetPortfolioReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::PortfolioReport& report = response.report();
  // a1..a4; 300000 + 10000 + 20000 + 1000.
  EXPECT_EQ(report.account_count(), 4);
  EXPECT_EQ(report.revenue().currency_code(), "EUR");
  EXPECT_EQ(report.revenue().amount_minor_units(), 331000);
  EXPECT_EQ(report.metadata().currency_code(), "EUR");
  // as_of_time defaults to min(now, end): both are 2026-01-01.
  EXPECT_EQ(ToTime(report.metadata().as_of_time()), Now());
  EXPECT_EQ(ToTime(report.metadata().time_range().start_time()),
            Utc(2025, 1, 1));
  ASSERT_EQ(report.mode_slices_size(), 4);
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    if (slice.mode() == type::v1::RELATIONSHIP_MODE_CLIENT) {
      EXPECT_EQ(slice.account_count(), 1);
      EXPECT_EQ(slice.revenue().amount_minor_units(), 300000);
    }
  }
}

TEST_F(ReportingGrpcServiceTest, SupportCountsTicketsAndTheBacklog) {
  v1::GetSupportReportRequest request;
  *request.mutable_time_range() = Year2025();
  v1::GetSupportReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetSupportReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::SupportMetrics& overall = response.report().overall();
  // t1 (March) and t2 (November); t1 solved and rated 5; t2 still open.
  EXPECT_EQ(overall.tickets_created(), 2);
  EXPECT_EQ(overall.tickets_solved(), 1);
  EXPECT_EQ(overall.csat_responses(), 1);
  EXPECT_EQ(overall.backlog(), 1);
}

TEST_F(ReportingGrpcServiceTest, WorkloadPerAccountManager) {
  v1::GetWorkloadReportRequest request;
  *request.mutable_time_range() = Year2025();
  v1::GetWorkloadReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetWorkloadReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.report().account_managers_size(), 1);
  const v1::AccountManagerWorkload& mia = response.report().account_managers(0);
  EXPECT_EQ(mia.account_manager(), "u-mia");
  // a1 and a3 (globex's g1 is another tenant's): 300000 + 20000.
  EXPECT_EQ(mia.accounts(), 2);
  EXPECT_EQ(mia.revenue().amount_minor_units(), 320000);
  EXPECT_EQ(mia.revenue().currency_code(), "EUR");
}

TEST_F(ReportingGrpcServiceTest, AtRiskPageWithLiveScoresForwardsTheCaller) {
  v1::AtRiskAccount live_a2;
  live_a2.set_mode(type::v1::RELATIONSHIP_MODE_CUSTOMER);
  live_a2.set_score(25);
  live_a2.set_band(type::v1::SCORE_BAND_AT_RISK);
  live_scores_.SetScore("accounts/a2", live_a2);
  v1::AtRiskAccount live_a3;
  live_a3.set_mode(type::v1::RELATIONSHIP_MODE_TRANSITIONING);
  live_a3.set_score(48);
  live_a3.set_band(type::v1::SCORE_BAND_NEEDS_ATTENTION);
  live_scores_.SetScore("accounts/a3", live_a3);

  v1::ListAtRiskAccountsRequest request;
  *request.mutable_time_range() = Year2025();
  v1::ListAtRiskAccountsResponse response;
  const grpc::Status status =
      Call(&ReportingStub::ListAtRiskAccounts, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // AT_RISK and NEEDS_ATTENTION, largest revenue at risk first: a3's 20000
  // over the year, a2's 10000.
  std::vector<std::string> names;
  for (const v1::AtRiskAccount& account : response.at_risk_accounts()) {
    names.push_back(account.account());
  }
  EXPECT_THAT(names, ElementsAre("accounts/a3", "accounts/a2"));
  EXPECT_EQ(response.total_size(), 2);
  // As of now: the page's scores are engagement's, asked with our token.
  EXPECT_EQ(response.score_freshness().source(), v1::SCORE_SOURCE_LIVE);
  ASSERT_EQ(response.at_risk_accounts_size(), 2);
  EXPECT_EQ(response.at_risk_accounts(0).score(), 48);
  EXPECT_EQ(response.at_risk_accounts(1).score(), 25);
  const std::vector<Caller> callers = live_scores_.CallersForTest();
  ASSERT_EQ(callers.size(), 1u);
  EXPECT_EQ(callers[0].tenant, "acme");
  EXPECT_EQ(callers[0].authorization, absl::StrCat("Bearer ", kAcmeViewer));
}

TEST_F(ReportingGrpcServiceTest,
       AtRiskAnswersFromItsProjectionWhenEngagementFails) {
  live_scores_.FailWith(absl::UnavailableError("engagement is down"));
  v1::ListAtRiskAccountsRequest request;
  *request.mutable_time_range() = Year2025();
  v1::ListAtRiskAccountsResponse response;
  const grpc::Status status =
      Call(&ReportingStub::ListAtRiskAccounts, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.total_size(), 2);
  EXPECT_EQ(response.score_freshness().source(), v1::SCORE_SOURCE_PROJECTION);
  EXPECT_THAT(response.score_freshness().stale_reason(), Not(IsEmpty()));
  ASSERT_EQ(response.at_risk_accounts_size(), 2);
  EXPECT_EQ(response.at_risk_accounts(0).score(), 45);
}

TEST_F(ReportingGrpcServiceTest, FunnelHasItsFourStages) {
  v1::GetConversionFunnelReportRequest request;
  *request.mutable_time_range() = Year2025();
  v1::GetConversionFunnelReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetConversionFunnelReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::FunnelStage> stages;
  for (const v1::FunnelStageMetrics& stage : response.report().stages()) {
    stages.push_back(stage.stage());
  }
  EXPECT_THAT(
      stages,
      ElementsAre(v1::FUNNEL_STAGE_CUSTOMER, v1::FUNNEL_STAGE_ENGAGED,
                  v1::FUNNEL_STAGE_TRANSITIONING, v1::FUNNEL_STAGE_CLIENT));
  EXPECT_EQ(response.report().metadata().currency_code(), "EUR");
}

TEST_F(ReportingGrpcServiceTest, RetentionOfTheYearsCohortAsOfNow) {
  v1::GetRetentionReportRequest request;
  SetTimestamp(Utc(2024, 1, 1),
               request.mutable_time_range()->mutable_start_time());
  SetTimestamp(Utc(2025, 1, 1),
               request.mutable_time_range()->mutable_end_time());
  request.set_period(v1::COHORT_PERIOD_YEAR);
  v1::GetRetentionReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetRetentionReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::RetentionReport& report = response.report();
  EXPECT_EQ(report.period(), v1::COHORT_PERIOD_YEAR);
  // The retention report's as_of defaults to now, not to the range's end.
  EXPECT_EQ(ToTime(report.metadata().as_of_time()), Now());
  // All four accounts were acquired (created) on 2024-06-01.
  ASSERT_EQ(report.cohorts_size(), 1);
  EXPECT_EQ(report.cohorts(0).initial_accounts(), 4);
}

TEST_F(ReportingGrpcServiceTest, PipelineOfAQuarter) {
  v1::GetPipelineReportRequest request;
  request.set_year(2025);
  request.set_quarter(4);
  request.set_currency_code("EUR");
  v1::GetPipelineReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetPipelineReport, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::PipelineReport& report = response.report();
  EXPECT_EQ(ToTime(report.metadata().time_range().start_time()),
            Utc(2025, 10, 1));
  EXPECT_EQ(ToTime(report.metadata().time_range().end_time()), Utc(2026, 1, 1));
  // d1 only: globex's 70000 deal is not acme's.
  EXPECT_EQ(report.pipeline().open_deal_count(), 1);
  EXPECT_EQ(report.pipeline().open_amount().amount_minor_units(), 50000);
}

TEST_F(ReportingGrpcServiceTest, ReportAccountsInPagesLargestRevenueFirst) {
  v1::ReportAggregate all;
  all.mutable_portfolio();
  v1::ListReportAccountsRequest request = Accounts2025(all);
  request.set_page_size(2);
  v1::ListReportAccountsResponse first;
  grpc::Status status =
      Call(&ReportingStub::ListReportAccounts, request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(Names(first), ElementsAre("accounts/a1", "accounts/a3"));
  EXPECT_EQ(first.total_size(), 4);
  ASSERT_FALSE(first.next_page_token().empty());
  const v1::ReportAccount& a1 = first.accounts(0);
  EXPECT_EQ(a1.mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(a1.score(), 80);
  EXPECT_EQ(a1.band(), type::v1::SCORE_BAND_STRONG);
  EXPECT_EQ(a1.tier(), type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_EQ(a1.segment(), type::v1::ACCOUNT_SEGMENT_B2B);
  EXPECT_EQ(a1.account_manager(), "u-mia");
  EXPECT_EQ(a1.revenue().currency_code(), "EUR");
  EXPECT_EQ(a1.revenue().amount_minor_units(), 300000);

  request.set_page_token(first.next_page_token());
  v1::ListReportAccountsResponse second;
  status = Call(&ReportingStub::ListReportAccounts, request, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(Names(second), ElementsAre("accounts/a2", "accounts/a4"));
  EXPECT_EQ(second.total_size(), 4);
  EXPECT_TRUE(second.next_page_token().empty());
  // Not scored: mode, score and band unset.
  EXPECT_EQ(second.accounts(1).band(), type::v1::SCORE_BAND_UNSPECIFIED);
  EXPECT_EQ(second.accounts(1).revenue().amount_minor_units(), 1000);
}

TEST_F(ReportingGrpcServiceTest, EveryAggregateListsTheAccountsItCounts) {
  v1::ReportAggregate clients;
  clients.mutable_portfolio()->set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_THAT(AllAccounts(Accounts2025(clients)), ElementsAre("accounts/a1"));

  v1::ReportAggregate mia;
  mia.mutable_workload()->set_account_manager("u-mia");
  EXPECT_THAT(AllAccounts(Accounts2025(mia)),
              ElementsAre("accounts/a1", "accounts/a3"));

  v1::ReportAggregate support;
  support.mutable_support();
  EXPECT_THAT(AllAccounts(Accounts2025(support)),
              UnorderedElementsAre("accounts/a1", "accounts/a2"));
  v1::ReportAggregate backlog;
  backlog.mutable_support()->set_backlog_only(true);
  EXPECT_THAT(AllAccounts(Accounts2025(backlog)), ElementsAre("accounts/a1"));

  v1::ReportAggregate pipeline;
  pipeline.mutable_pipeline();
  v1::ListReportAccountsRequest quarter = Accounts2025(pipeline);
  SetTimestamp(Utc(2025, 10, 1),
               quarter.mutable_time_range()->mutable_start_time());
  EXPECT_THAT(AllAccounts(quarter), ElementsAre("accounts/a3"));

  v1::ReportAggregate cohort;
  auto* date = cohort.mutable_retention()->mutable_cohort_start_date();
  date->set_year(2024);
  date->set_month(1);
  date->set_day(1);
  v1::ListReportAccountsRequest cohort_request = Accounts2025(cohort);
  SetTimestamp(Utc(2024, 1, 1),
               cohort_request.mutable_time_range()->mutable_start_time());
  SetTimestamp(Utc(2025, 1, 1),
               cohort_request.mutable_time_range()->mutable_end_time());
  cohort_request.set_period(v1::COHORT_PERIOD_YEAR);
  // No revenue in 2024: by account.
  EXPECT_THAT(
      AllAccounts(cohort_request),
      ElementsAre("accounts/a1", "accounts/a2", "accounts/a3", "accounts/a4"));

  v1::ReportAggregate funnel;
  funnel.mutable_funnel()->set_stage(v1::FUNNEL_STAGE_CUSTOMER);
  EXPECT_THAT(AllAccounts(Accounts2025(funnel)),
              Not(::testing::Contains("accounts/g1")));
}

TEST_F(ReportingGrpcServiceTest, AnAggregatesTotalIsItsCountInTheReport) {
  v1::GetPortfolioReportRequest report_request;
  *report_request.mutable_time_range() = Year2025();
  v1::GetPortfolioReportResponse report;
  ASSERT_TRUE(
      Call(&ReportingStub::GetPortfolioReport, report_request, &report).ok());
  for (const v1::PortfolioModeSlice& slice : report.report().mode_slices()) {
    v1::ReportAggregate aggregate;
    aggregate.mutable_portfolio()->set_mode(slice.mode());
    v1::ListReportAccountsResponse page;
    ASSERT_TRUE(
        Call(&ReportingStub::ListReportAccounts, Accounts2025(aggregate), &page)
            .ok());
    EXPECT_EQ(page.total_size(), slice.account_count()) << slice.mode();
  }
}

TEST_F(ReportingGrpcServiceTest, EveryPageOfAListingDescribesTheSameMoment) {
  // A range that runs past now: as_of defaults to now, which moves.
  v1::ReportAggregate all;
  all.mutable_portfolio();
  v1::ListReportAccountsRequest request;
  *request.mutable_aggregate() = all;
  SetTimestamp(Utc(2025, 1, 1),
               request.mutable_time_range()->mutable_start_time());
  SetTimestamp(Utc(2026, 6, 1),
               request.mutable_time_range()->mutable_end_time());
  request.set_page_size(2);
  v1::ListReportAccountsResponse first;
  ASSERT_TRUE(Call(&ReportingStub::ListReportAccounts, request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());

  // Meanwhile a4 is scored and time moves on.
  Apply("engagement",
        ScoreChanged({.account = "a4",
                      .time = Now() + absl::Minutes(30),
                      .mode = type::v1::RELATIONSHIP_MODE_CUSTOMER,
                      .score = 70,
                      .band = type::v1::SCORE_BAND_HEALTHY}));
  clock_.Advance(absl::Hours(1));

  request.set_page_token(first.next_page_token());
  v1::ListReportAccountsResponse second;
  ASSERT_TRUE(Call(&ReportingStub::ListReportAccounts, request, &second).ok());
  EXPECT_EQ(ToTime(second.metadata().as_of_time()),
            ToTime(first.metadata().as_of_time()));
  ASSERT_EQ(second.accounts_size(), 2);
  // a4, not scored as of the first page's moment.
  EXPECT_EQ(second.accounts(1).account(), "accounts/a4");
  EXPECT_EQ(second.accounts(1).band(), type::v1::SCORE_BAND_UNSPECIFIED);

  // A new listing sees it.
  request.clear_page_token();
  request.set_page_size(10);
  v1::ListReportAccountsResponse fresh;
  ASSERT_TRUE(Call(&ReportingStub::ListReportAccounts, request, &fresh).ok());
  ASSERT_EQ(fresh.accounts_size(), 4);
  EXPECT_EQ(fresh.accounts(3).band(), type::v1::SCORE_BAND_HEALTHY);
}

// ---- roles ------------------------------------------------------------

class ReportingRolesTest : public ReportingGrpcServiceTest {
 protected:
  // One valid request for each of the eight RPCs; `token` "" sends none.
  std::vector<grpc::Status> CallEveryRpc(const char* token) {
    std::vector<grpc::Status> statuses;
    const type::v1::TimeRange range = Year2025();
    {
      v1::GetPortfolioReportRequest request;
      *request.mutable_time_range() = range;
      v1::GetPortfolioReportResponse response;
      statuses.push_back(
          Call(&ReportingStub::GetPortfolioReport, request, &response, token));
    }
    {
      v1::GetSupportReportRequest request;
      *request.mutable_time_range() = range;
      v1::GetSupportReportResponse response;
      statuses.push_back(
          Call(&ReportingStub::GetSupportReport, request, &response, token));
    }
    {
      v1::GetWorkloadReportRequest request;
      *request.mutable_time_range() = range;
      v1::GetWorkloadReportResponse response;
      statuses.push_back(
          Call(&ReportingStub::GetWorkloadReport, request, &response, token));
    }
    {
      v1::ListAtRiskAccountsRequest request;
      *request.mutable_time_range() = range;
      SetTimestamp(Utc(2025, 12, 1), request.mutable_as_of_time());
      v1::ListAtRiskAccountsResponse response;
      statuses.push_back(
          Call(&ReportingStub::ListAtRiskAccounts, request, &response, token));
    }
    {
      v1::GetConversionFunnelReportRequest request;
      *request.mutable_time_range() = range;
      v1::GetConversionFunnelReportResponse response;
      statuses.push_back(Call(&ReportingStub::GetConversionFunnelReport,
                              request, &response, token));
    }
    {
      v1::GetRetentionReportRequest request;
      *request.mutable_time_range() = range;
      v1::GetRetentionReportResponse response;
      statuses.push_back(
          Call(&ReportingStub::GetRetentionReport, request, &response, token));
    }
    {
      v1::GetPipelineReportRequest request;
      request.set_year(2025);
      request.set_quarter(4);
      v1::GetPipelineReportResponse response;
      statuses.push_back(
          Call(&ReportingStub::GetPipelineReport, request, &response, token));
    }
    {
      v1::ReportAggregate all;
      all.mutable_portfolio();
      v1::ListReportAccountsResponse response;
      statuses.push_back(Call(&ReportingStub::ListReportAccounts,
                              Accounts2025(all), &response, token));
    }
    return statuses;
  }
};

TEST_F(ReportingRolesTest, AViewerReadsEveryReport) {
  const std::vector<grpc::Status> statuses = CallEveryRpc(kAcmeViewer);
  ASSERT_EQ(statuses.size(), 8u);
  for (size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_TRUE(statuses[i].ok())
        << "RPC #" << i << ": " << statuses[i].error_message();
  }
}

TEST_F(ReportingRolesTest, NoTokenOrAnUnknownOneIsUnauthenticated) {
  for (const char* token : {"", "not-a-token"}) {
    for (const grpc::Status& status : CallEveryRpc(token)) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << "token '" << token << "': " << status.error_message();
    }
  }
}

// ---- tenancy ----------------------------------------------------------

TEST_F(ReportingGrpcServiceTest, AnotherTenantSeesOnlyItsOwn) {
  v1::GetPortfolioReportRequest request;
  *request.mutable_time_range() = Year2025();
  v1::GetPortfolioReportResponse globex;
  ASSERT_TRUE(
      Call(&ReportingStub::GetPortfolioReport, request, &globex, kGlobexViewer)
          .ok());
  EXPECT_EQ(globex.report().account_count(), 1);
  EXPECT_EQ(globex.report().revenue().amount_minor_units(), 999999);

  v1::ReportAggregate all;
  all.mutable_portfolio();
  EXPECT_THAT(AllAccounts(Accounts2025(all), kGlobexViewer),
              ElementsAre("accounts/g1"));
  v1::ReportAggregate mia;
  mia.mutable_workload()->set_account_manager("u-mia");
  EXPECT_THAT(AllAccounts(Accounts2025(mia), kGlobexViewer),
              ElementsAre("accounts/g1"));
}

TEST_F(ReportingGrpcServiceTest, AcmeNeverListsGlobexAccounts) {
  std::vector<v1::ReportAggregate> aggregates(9);
  aggregates[0].mutable_portfolio();
  aggregates[1].mutable_portfolio()->set_mode(
      type::v1::RELATIONSHIP_MODE_CLIENT);
  aggregates[2].mutable_support();
  aggregates[3].mutable_workload()->set_account_manager("u-mia");
  aggregates[4].mutable_funnel()->set_stage(v1::FUNNEL_STAGE_CUSTOMER);
  aggregates[5].mutable_funnel()->set_stage(v1::FUNNEL_STAGE_CLIENT);
  aggregates[6].mutable_pipeline();
  aggregates[7].mutable_pipeline()->set_stage(
      engagement::v1::DEAL_STAGE_PROPOSAL);
  auto* date = aggregates[8].mutable_retention()->mutable_cohort_start_date();
  date->set_year(2024);
  date->set_month(1);
  date->set_day(1);
  for (const v1::ReportAggregate& aggregate : aggregates) {
    v1::ListReportAccountsRequest request = Accounts2025(aggregate);
    if (aggregate.has_pipeline()) {
      SetTimestamp(Utc(2025, 10, 1),
                   request.mutable_time_range()->mutable_start_time());
    }
    if (aggregate.has_retention()) {
      SetTimestamp(Utc(2024, 1, 1),
                   request.mutable_time_range()->mutable_start_time());
      SetTimestamp(Utc(2025, 1, 1),
                   request.mutable_time_range()->mutable_end_time());
      request.set_period(v1::COHORT_PERIOD_YEAR);
    }
    EXPECT_THAT(AllAccounts(request), Not(::testing::Contains("accounts/g1")))
        << aggregate.ShortDebugString();
  }

  v1::ListAtRiskAccountsRequest at_risk;
  *at_risk.mutable_time_range() = Year2025();
  at_risk.set_max_band(type::v1::SCORE_BAND_STRONG);
  SetTimestamp(Utc(2025, 12, 1), at_risk.mutable_as_of_time());
  v1::ListAtRiskAccountsResponse listed;
  ASSERT_TRUE(Call(&ReportingStub::ListAtRiskAccounts, at_risk, &listed).ok());
  for (const v1::AtRiskAccount& account : listed.at_risk_accounts()) {
    EXPECT_NE(account.account(), "accounts/g1");
  }
  EXPECT_EQ(listed.total_size(), 3);  // a1, a2, a3: a4 is not scored
}

}  // namespace
}  // namespace clientele::reporting::testing

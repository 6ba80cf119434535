// The checks every report request goes through, without a server: each bad
// field named, all of them in one answer, and the scope a good request
// resolves to (defaults included).
#include "services/reporting/report_request.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

const absl::Time kNow = Utc(2026, 3, 10) + absl::Hours(9);

void SetRange(absl::Time start, absl::Time end, type::v1::TimeRange* range) {
  SetTimestamp(start, range->mutable_start_time());
  SetTimestamp(end, range->mutable_end_time());
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

v1::GetPortfolioReportRequest Portfolio2025() {
  v1::GetPortfolioReportRequest request;
  SetRange(Utc(2025, 1, 1), Utc(2026, 1, 1), request.mutable_time_range());
  return request;
}

TEST(ReportRequestTest, AGoodRequestResolvesItsScope) {
  v1::GetPortfolioReportRequest request = Portfolio2025();
  request.mutable_filter()->add_tiers(type::v1::ACCOUNT_TIER_PREMIUM);
  request.mutable_filter()->set_owner("  u-ann ");
  request.set_currency_code("USD");
  auto scope = CheckPortfolioRequest(request, "acme", kNow);
  ASSERT_TRUE(scope.ok()) << scope.status();
  EXPECT_EQ(scope->tenant, "acme");
  EXPECT_EQ(scope->start_us, ToMicros(Utc(2025, 1, 1)));
  EXPECT_EQ(scope->end_us, ToMicros(Utc(2026, 1, 1)));
  // As of the end of the range, which is before now.
  EXPECT_EQ(scope->as_of_us, ToMicros(Utc(2026, 1, 1)));
  EXPECT_EQ(scope->now_us, ToMicros(kNow));
  EXPECT_EQ(scope->currency, "USD");
  EXPECT_THAT(scope->filter.tiers(),
              ElementsAre(type::v1::ACCOUNT_TIER_PREMIUM));
  EXPECT_EQ(scope->filter.owner(), "u-ann");
}

TEST(ReportRequestTest, AsOfDefaultsToNowWhenTheRangeEndsLater) {
  v1::GetPortfolioReportRequest request;
  SetRange(Utc(2026, 1, 1), Utc(2026, 4, 1), request.mutable_time_range());
  auto scope = CheckPortfolioRequest(request, "acme", kNow);
  ASSERT_TRUE(scope.ok()) << scope.status();
  EXPECT_EQ(scope->as_of_us, ToMicros(kNow));
  // No currency asked: left for ResolveCurrency (the tenant's).
  EXPECT_EQ(scope->currency, "");
}

TEST(ReportRequestTest, RetentionAndPipelineDefaultAsOfToNow) {
  v1::GetRetentionReportRequest retention;
  SetRange(Utc(2024, 1, 1), Utc(2025, 1, 1), retention.mutable_time_range());
  auto checked = CheckRetentionRequest(retention, "acme", kNow);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->scope.as_of_us, ToMicros(kNow));
  EXPECT_EQ(checked->period, v1::COHORT_PERIOD_MONTH);

  v1::GetPipelineReportRequest pipeline;
  pipeline.set_year(2025);
  pipeline.set_quarter(4);
  pipeline.set_deal_owner(" u-sam ");
  auto quarter = CheckPipelineRequest(pipeline, "acme", kNow);
  ASSERT_TRUE(quarter.ok()) << quarter.status();
  EXPECT_EQ(quarter->scope.as_of_us, ToMicros(kNow));
  EXPECT_EQ(quarter->scope.start_us, ToMicros(Utc(2025, 10, 1)));
  EXPECT_EQ(quarter->scope.end_us, ToMicros(Utc(2026, 1, 1)));
  EXPECT_EQ(quarter->deal_owner, "u-sam");
}

TEST(ReportRequestTest, TheLastQuarterOf9999EndsAtTheLastMicrosecond) {
  int64_t start = 0;
  int64_t end = 0;
  QuarterRange(9999, 4, &start, &end);
  EXPECT_EQ(start, ToMicros(Utc(9999, 10, 1)));
  EXPECT_EQ(end, ToMicros(Utc(9999, 12, 31)) + int64_t{86400} * 1000000 - 1);
  // It still makes a valid Timestamp, as the metadata needs.
  EXPECT_TRUE(IsValidTimestamp(ToTimestamp(FromMicros(end))));
}

TEST(ReportRequestTest, TimeRangeProblemsAreNamed) {
  struct Case {
    const char* what;
    std::function<void(type::v1::TimeRange*)> edit;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no end", [](type::v1::TimeRange* r) { r->clear_end_time(); },
       "time_range.end_time"},
      {"no start", [](type::v1::TimeRange* r) { r->clear_start_time(); },
       "time_range.start_time"},
      {"reversed",
       [](type::v1::TimeRange* r) {
         SetRange(Utc(2025, 6, 1), Utc(2025, 1, 1), r);
       },
       "time_range"},
      {"empty",
       [](type::v1::TimeRange* r) {
         SetRange(Utc(2025, 6, 1), Utc(2025, 6, 1), r);
       },
       "time_range"},
      {"six years",
       [](type::v1::TimeRange* r) {
         SetRange(Utc(2019, 1, 1), Utc(2025, 1, 1), r);
       },
       "time_range"},
      {"year 0",
       [](type::v1::TimeRange* r) {
         r->mutable_start_time()->set_seconds(-62135596800 - 86400);
       },
       "time_range.start_time"},
      {"year 10000",
       [](type::v1::TimeRange* r) {
         r->mutable_end_time()->set_seconds(253402300800);
       },
       "time_range.end_time"},
      {"nanos 2e9",
       [](type::v1::TimeRange* r) {
         r->mutable_end_time()->set_nanos(2000000000);
       },
       "time_range.end_time"},
  };
  for (const Case& c : cases) {
    v1::GetPortfolioReportRequest request = Portfolio2025();
    c.edit(request.mutable_time_range());
    auto scope = CheckPortfolioRequest(request, "acme", kNow);
    EXPECT_EQ(scope.status().code(), absl::StatusCode::kInvalidArgument)
        << c.what;
    EXPECT_THAT(Fields(scope.status()), ElementsAre(c.field)) << c.what;
  }
  v1::GetPortfolioReportRequest none;
  EXPECT_THAT(Fields(CheckPortfolioRequest(none, "acme", kNow).status()),
              ElementsAre("time_range"));
}

TEST(ReportRequestTest, FiveCalendarYearsWithTwoLeapDaysAreAllowed) {
  v1::GetPortfolioReportRequest request;
  SetRange(Utc(2024, 1, 1), Utc(2029, 1, 1), request.mutable_time_range());
  EXPECT_TRUE(CheckPortfolioRequest(request, "acme", Utc(2030, 1, 1)).ok());
}

TEST(ReportRequestTest, AsOfInTheFutureIsRefused) {
  v1::GetPortfolioReportRequest request = Portfolio2025();
  SetTimestamp(kNow + absl::Seconds(1), request.mutable_as_of_time());
  EXPECT_THAT(Fields(CheckPortfolioRequest(request, "acme", kNow).status()),
              ElementsAre("as_of_time"));
  SetTimestamp(kNow, request.mutable_as_of_time());
  EXPECT_TRUE(CheckPortfolioRequest(request, "acme", kNow).ok());
  request.mutable_as_of_time()->set_nanos(-1);
  EXPECT_THAT(Fields(CheckPortfolioRequest(request, "acme", kNow).status()),
              ElementsAre("as_of_time"));
}

TEST(ReportRequestTest, UnknownFilterValuesAreNamedByIndex) {
  v1::GetPortfolioReportRequest request = Portfolio2025();
  request.mutable_filter()->add_tiers(type::v1::ACCOUNT_TIER_STANDARD);
  request.mutable_filter()->add_tiers(static_cast<type::v1::AccountTier>(99));
  request.mutable_filter()->add_modes(
      static_cast<type::v1::RelationshipMode>(-3));
  request.mutable_filter()->add_segments(type::v1::ACCOUNT_SEGMENT_B2C);
  request.mutable_filter()->add_segments(type::v1::ACCOUNT_SEGMENT_B2B);
  request.mutable_filter()->add_segments(
      static_cast<type::v1::AccountSegment>(7));
  EXPECT_THAT(
      Fields(CheckPortfolioRequest(request, "acme", kNow).status()),
      ElementsAre("filter.tiers[1]", "filter.modes[0]", "filter.segments[2]"));
}

TEST(ReportRequestTest, RepeatedFilterValuesAreBoundOnce) {
  v1::GetPortfolioReportRequest request = Portfolio2025();
  for (int i = 0; i < 100000; ++i) {
    request.mutable_filter()->add_modes(
        static_cast<type::v1::RelationshipMode>(i % 4));
  }
  auto scope = CheckPortfolioRequest(request, "acme", kNow);
  ASSERT_TRUE(scope.ok()) << scope.status();
  EXPECT_THAT(scope->filter.modes(), ElementsAre(0, 1, 2, 3));
}

TEST(ReportRequestTest, HugeStringsAndUnknownCurrenciesAreNamed) {
  v1::GetWorkloadReportRequest request;
  SetRange(Utc(2025, 1, 1), Utc(2026, 1, 1), request.mutable_time_range());
  request.mutable_filter()->set_account_manager(std::string(1 << 20, 'm'));
  request.mutable_filter()->set_owner(std::string(129, 'o'));
  request.set_currency_code("XXY");
  EXPECT_THAT(
      Fields(CheckWorkloadRequest(request, "acme", kNow).status()),
      ElementsAre("filter.account_manager", "filter.owner", "currency_code"));
  request.clear_filter();
  request.set_currency_code("eur");
  EXPECT_THAT(Fields(CheckWorkloadRequest(request, "acme", kNow).status()),
              ElementsAre("currency_code"));
}

TEST(ReportRequestTest, EveryViolationComesInOneAnswer) {
  v1::ListAtRiskAccountsRequest request;
  SetRange(Utc(2025, 6, 1), Utc(2025, 1, 1), request.mutable_time_range());
  SetTimestamp(kNow + absl::Hours(1), request.mutable_as_of_time());
  request.set_currency_code("XXY");
  request.set_max_band(static_cast<type::v1::ScoreBand>(42));
  request.set_page_size(-1);
  EXPECT_THAT(Fields(CheckAtRiskRequest(request, "acme", kNow).status()),
              UnorderedElementsAre("time_range", "as_of_time", "currency_code",
                                   "max_band", "page_size"));
}

TEST(ReportRequestTest, PageSizesFollowAip158) {
  v1::ListAtRiskAccountsRequest request;
  SetRange(Utc(2025, 1, 1), Utc(2026, 1, 1), request.mutable_time_range());
  auto checked = CheckAtRiskRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->page_size, 50);
  request.set_page_size(5000);
  checked = CheckAtRiskRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->page_size, 1000);
  request.set_page_size(7);
  checked = CheckAtRiskRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->page_size, 7);
}

TEST(ReportRequestTest, PipelineQuarterProblemsAreNamed) {
  v1::GetPipelineReportRequest request;
  request.set_year(10000);
  request.set_quarter(5);
  request.set_deal_owner(std::string(200, 'x'));
  SetTimestamp(kNow + absl::Hours(24), request.mutable_as_of_time());
  EXPECT_THAT(
      Fields(CheckPipelineRequest(request, "acme", kNow).status()),
      UnorderedElementsAre("year", "quarter", "deal_owner", "as_of_time"));
  request.Clear();
  EXPECT_THAT(Fields(CheckPipelineRequest(request, "acme", kNow).status()),
              ElementsAre("year", "quarter"));
  request.set_year(1969);
  request.set_quarter(0);
  EXPECT_THAT(Fields(CheckPipelineRequest(request, "acme", kNow).status()),
              ElementsAre("year", "quarter"));
}

TEST(ReportRequestTest, RetentionPeriodAndCohortCount) {
  v1::GetRetentionReportRequest request;
  SetRange(Utc(2021, 1, 1), Utc(2025, 12, 31), request.mutable_time_range());
  request.set_period(static_cast<v1::CohortPeriod>(9));
  EXPECT_THAT(Fields(CheckRetentionRequest(request, "acme", kNow).status()),
              ElementsAre("period"));
  request.set_period(v1::COHORT_PERIOD_QUARTER);
  auto checked = CheckRetentionRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->period, v1::COHORT_PERIOD_QUARTER);
}

TEST(ReportRequestTest, AccountsRequestsNeedAnAggregate) {
  v1::ListReportAccountsRequest request;
  SetRange(Utc(2025, 1, 1), Utc(2026, 1, 1), request.mutable_time_range());
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("aggregate"));

  request.mutable_aggregate()->mutable_funnel();
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("aggregate.funnel.stage"));
  request.mutable_aggregate()->mutable_funnel()->set_stage(
      static_cast<v1::FunnelStage>(77));
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("aggregate.funnel.stage"));

  request.mutable_aggregate()->mutable_portfolio()->set_mode(
      static_cast<type::v1::RelationshipMode>(12));
  request.mutable_aggregate()->mutable_portfolio()->set_band(
      static_cast<type::v1::ScoreBand>(-1));
  EXPECT_THAT(
      Fields(CheckAccountsRequest(request, "acme", kNow).status()),
      ElementsAre("aggregate.portfolio.mode", "aggregate.portfolio.band"));

  request.mutable_aggregate()->mutable_workload();
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("aggregate.workload.account_manager"));

  request.mutable_aggregate()->mutable_retention()->set_period_index(-2);
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("aggregate.retention.cohort_start_date",
                          "aggregate.retention.period_index"));

  request.mutable_aggregate()->mutable_workload()->set_account_manager("u-mia");
  request.set_page_size(-1);
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("page_size"));
  request.set_page_size(0);
  auto checked = CheckAccountsRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->page_size, 50);
  EXPECT_FALSE(checked->as_of_given);
  EXPECT_FALSE(checked->currency_given);
}

TEST(ReportRequestTest, APipelineAggregateTakesExactlyAQuarter) {
  v1::ListReportAccountsRequest request;
  request.mutable_aggregate()->mutable_pipeline();
  SetRange(Utc(2025, 10, 1), Utc(2026, 1, 1), request.mutable_time_range());
  auto checked = CheckAccountsRequest(request, "acme", kNow);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->year, 2025);
  EXPECT_EQ(checked->quarter, 4);
  // As the pipeline report: as of now.
  EXPECT_EQ(checked->scope.as_of_us, ToMicros(kNow));

  SetRange(Utc(2025, 10, 1), Utc(2025, 12, 31), request.mutable_time_range());
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("time_range"));
  SetRange(Utc(2025, 11, 1), Utc(2026, 2, 1), request.mutable_time_range());
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("time_range"));
  SetRange(Utc(1969, 10, 1), Utc(1970, 1, 1), request.mutable_time_range());
  EXPECT_THAT(Fields(CheckAccountsRequest(request, "acme", kNow).status()),
              ElementsAre("time_range"));
}

TEST(ReportRequestTest, SupportHasNoCurrencyToCheck) {
  v1::GetSupportReportRequest request;
  SetRange(Utc(2025, 1, 1), Utc(2026, 1, 1), request.mutable_time_range());
  auto scope = CheckSupportRequest(request, "acme", kNow);
  ASSERT_TRUE(scope.ok());
  EXPECT_THAT(scope->currency, IsEmpty());
}

}  // namespace
}  // namespace clientele::reporting

#include "services/reporting/dashboard/dashboard_query.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/dashboard/aggregate_params.h"

namespace clientele::reporting::dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time Utc(int y, int m, int d, int h = 0) {
  return absl::FromCivil(absl::CivilHour(y, m, d, h), absl::UTCTimeZone());
}

const absl::Time kNow = Utc(2026, 3, 15, 10);

TEST(DashboardQueryTest, DefaultsToTheLastTwelveMonthsTodayIncluded) {
  absl::StatusOr<DashboardQuery> query = ParseDashboardQuery({}, kNow);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(ToTime(query->time_range.start_time()), Utc(2025, 3, 16));
  EXPECT_EQ(ToTime(query->time_range.end_time()), Utc(2026, 3, 16));
  EXPECT_FALSE(query->as_of_time.has_value());
  EXPECT_EQ(query->QueryString(), "");
  EXPECT_EQ(query->period, v1::COHORT_PERIOD_MONTH);
}

TEST(DashboardQueryTest, ReadsEveryParameter) {
  absl::StatusOr<DashboardQuery> query =
      ParseDashboardQuery({{"from", "2025-01-01"},
                           {"to", "2025-12-31"},
                           {"as_of", "2025-12-31"},
                           {"currency", "usd"},
                           {"tier", "premium,enterprise"},
                           {"mode", "CLIENT"},
                           {"segment", "b2b"},
                           {"manager", "u-anna"},
                           {"owner", "u-bob"},
                           {"year", "2025"},
                           {"quarter", "4"},
                           {"deal_owner", "u-carl"},
                           {"period", "quarter"},
                           {"ignored", "<script>"}},
                          kNow);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(ToTime(query->time_range.start_time()), Utc(2025, 1, 1));
  EXPECT_EQ(ToTime(query->time_range.end_time()), Utc(2026, 1, 1));
  EXPECT_EQ(ToTime(*query->as_of_time),
            Utc(2026, 1, 1) - absl::Microseconds(1));
  EXPECT_EQ(query->currency_code, "USD");
  EXPECT_THAT(query->filter.tiers(),
              ElementsAre(type::v1::ACCOUNT_TIER_PREMIUM,
                          type::v1::ACCOUNT_TIER_ENTERPRISE));
  EXPECT_THAT(query->filter.modes(),
              ElementsAre(type::v1::RELATIONSHIP_MODE_CLIENT));
  EXPECT_THAT(query->filter.segments(),
              ElementsAre(type::v1::ACCOUNT_SEGMENT_B2B));
  EXPECT_EQ(query->filter.account_manager(), "u-anna");
  EXPECT_EQ(query->filter.owner(), "u-bob");
  EXPECT_EQ(query->period, v1::COHORT_PERIOD_QUARTER);
  const v1::GetPipelineReportRequest pipeline = query->PipelineRequest(kNow);
  EXPECT_EQ(pipeline.year(), 2025);
  EXPECT_EQ(pipeline.quarter(), 4);
  EXPECT_EQ(pipeline.deal_owner(), "u-carl");
  // Links keep what was given, URL-encoded, and nothing else.
  EXPECT_EQ(query->QueryString({"year", "quarter"}),
            "from=2025-01-01&to=2025-12-31&as_of=2025-12-31&currency=usd&"
            "tier=premium%2Centerprise&mode=CLIENT&segment=b2b&manager=u-anna&"
            "owner=u-bob&deal_owner=u-carl&period=quarter");
}

TEST(DashboardQueryTest, AsOfTodayIsNowAndTheQuarterDefaultsToNows) {
  absl::StatusOr<DashboardQuery> query =
      ParseDashboardQuery({{"as_of", "2026-03-15"}}, kNow);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(ToTime(*query->as_of_time), kNow);
  query = ParseDashboardQuery({{"as_of", "2025-08-01T12:30:00Z"}}, kNow);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(ToTime(*query->as_of_time),
            Utc(2025, 8, 1, 12) + absl::Minutes(30));
  EXPECT_EQ(query->PipelineRequest(kNow).quarter(), 3);
  query = ParseDashboardQuery({}, kNow);
  EXPECT_EQ(query->PipelineRequest(kNow).year(), 2026);
  EXPECT_EQ(query->PipelineRequest(kNow).quarter(), 1);
}

TEST(DashboardQueryTest, HostileValuesAreRefusedNamingTheParameter) {
  const struct {
    QueryParams params;
    const char* message;
  } kCases[] = {
      {{{"from", "2025-13-01"}}, "from: not a date"},
      {{{"from", "<script>alert(1)</script>"}}, "from: not a date"},
      {{{"to", "99999-01-01"}}, "to: not a date"},
      {{{"to", "9999-12-31"}}, "to: must be a day before 9999-12-31"},
      {{{"as_of", "yesterday"}}, "as_of: not a date"},
      {{{"tier", "platinum"}}, "tier: not one of standard, premium"},
      {{{"mode", "client"}, {"mode", "x"}}, "mode: not one of"},
      {{{"period", "week"}}, "period: not one of month"},
      {{{"year", "2025"}}, "quarter: year and quarter go together"},
      {{{"year", "1e9"}, {"quarter", "1"}}, "year: not a whole number"},
      {{{"quarter", "99999999999999999999"}, {"year", "1"}},
       "quarter: not a whole number"},
      {{{"from", "2025-01-01"}, {"from", "2025-02-01"}},
       "from: given more than once"},
      {{{"manager", std::string(300, 'x')}}, "manager: longer than 256"},
  };
  for (const auto& c : kCases) {
    const absl::StatusOr<DashboardQuery> query =
        ParseDashboardQuery(c.params, kNow);
    ASSERT_FALSE(query.ok()) << c.message;
    EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(query.status().message(), HasSubstr(c.message));
  }
}

TEST(DashboardQueryTest, BadValuesAreQuotedShortly) {
  const absl::StatusOr<DashboardQuery> query =
      ParseDashboardQuery({{"from", std::string(200, 'z')}}, kNow);
  ASSERT_FALSE(query.ok());
  EXPECT_LT(query.status().message().size(), 100u);
}

TEST(DashboardQueryTest, ReportErrorsNameTheDashboardsParameters) {
  FieldViolations violations;
  violations.Add("time_range", "may span at most 5 years");
  violations.Add("filter.tiers[0]", "not a tier");
  violations.Add("aggregate.portfolio.band", "not a band");
  const absl::Status status = ToQueryError(violations.ToStatus());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "from/to: may span at most 5 years; tier: not a tier; a.band: not "
            "a band");
  EXPECT_EQ(ToQueryError(absl::InternalError("x")), absl::InternalError("x"));
}

TEST(AggregateParamsTest, ParsesAndWritesEveryReportsAggregate) {
  absl::StatusOr<v1::ReportAggregate> aggregate =
      ParseAggregate({{"aggregate", "retention"},
                      {"a.cohort_start_date", "2025-03-01"},
                      {"a.mode", "client"},
                      {"a.period_index", "2"},
                      {"from", "2025-01-01"}});
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_EQ(aggregate->retention().cohort_start_date().month(), 3);
  EXPECT_EQ(aggregate->retention().mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(aggregate->retention().period_index(), 2);
  EXPECT_EQ(AggregateQuery(*aggregate),
            "aggregate=retention&a.cohort_start_date=2025-03-01&a.mode=client&"
            "a.period_index=2");

  aggregate =
      ParseAggregate({{"aggregate", "portfolio"}, {"a.mode", "unspecified"}});
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_TRUE(aggregate->portfolio().has_mode());
  EXPECT_FALSE(aggregate->portfolio().has_band());
  EXPECT_EQ(AggregateQuery(*aggregate),
            "aggregate=portfolio&a.mode=unspecified");

  aggregate = ParseAggregate({{"aggregate", "pipeline"},
                              {"a.stage", "proposal"},
                              {"a.month", "2026-02"}});
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_EQ(aggregate->pipeline().month().day(), 0);
  EXPECT_EQ(AggregateQuery(*aggregate),
            "aggregate=pipeline&a.stage=proposal&a.month=2026-02");

  aggregate = ParseAggregate(
      {{"aggregate", "workload"}, {"a.account_manager", "u a&b"}});
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_EQ(AggregateQuery(*aggregate),
            "aggregate=workload&a.account_manager=u%20a%26b");
  aggregate =
      ParseAggregate({{"aggregate", "support"}, {"a.backlog_only", "true"}});
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_TRUE(aggregate->support().backlog_only());
}

TEST(AggregateParamsTest, RefusesWhatIsNotAnAggregate) {
  const struct {
    QueryParams params;
    const char* message;
  } kCases[] = {
      {{}, "aggregate: required"},
      {{{"aggregate", "<b>"}}, "aggregate: not one of"},
      {{{"aggregate", "portfolio"}, {"aggregate", "support"}},
       "aggregate: given more than once"},
      {{{"aggregate", "portfolio"}, {"a.stage", "won"}},
       "a.stage: not a field of a portfolio aggregate"},
      {{{"aggregate", "portfolio"}, {"a.band", "great"}},
       "a.band: not a value"},
      {{{"aggregate", "retention"}, {"a.cohort_start_date", "2025-02-30"}},
       "a.cohort_start_date: not a date"},
      {{{"aggregate", "retention"}, {"a.period_index", "two"}},
       "a.period_index: not a whole number"},
      {{{"aggregate", "support"}, {"a.backlog_only", "maybe"}},
       "a.backlog_only: not true or false"},
  };
  for (const auto& c : kCases) {
    const absl::StatusOr<v1::ReportAggregate> aggregate =
        ParseAggregate(c.params);
    ASSERT_FALSE(aggregate.ok()) << c.message;
    EXPECT_EQ(aggregate.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(aggregate.status().message(), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace clientele::reporting::dashboard

// Hostile input to every reporting RPC, over the real server: bad time
// ranges, as_of_time in the future, unknown enum values, huge strings,
// unknown currencies, forged or borrowed page tokens, negative page sizes,
// missing or impossible aggregates. Each answers INVALID_ARGUMENT naming the
// field (google.rpc.BadRequest), and the service keeps answering.
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_service_fixture_for_test.h"

namespace clientele::reporting::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using ReportingStub = v1::ReportingService::Stub;

// Whether a report request has a currency_code (the support report's has
// none: it reports no money).
template <typename Request, typename = void>
constexpr bool kHasCurrency = false;
template <typename Request>
constexpr bool kHasCurrency<
    Request, std::void_t<decltype(std::declval<Request&>().set_currency_code(
                 std::string()))>> = true;

// The parts of a request every report shares, for the tests to spoil.
struct CommonParts {
  type::v1::TimeRange time_range = ReportingServiceFixture::Year2025();
  std::optional<google::protobuf::Timestamp> as_of_time;
  v1::ReportFilter filter;
  std::string currency_code;
};

class ReportingHostileInputTest : public ReportingServiceFixture {
 protected:
  void SetUp() override {
    ReportingServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    FeedSmallDataSet();
  }

  // Whatever came before, a plain report still answers.
  void TearDown() override {
    if (stub_ == nullptr) return ReportingServiceFixture::TearDown();
    v1::GetPortfolioReportRequest request;
    *request.mutable_time_range() = Year2025();
    v1::GetPortfolioReportResponse response;
    const grpc::Status status =
        Call(&ReportingStub::GetPortfolioReport, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.report().account_count(), 4);
    ReportingServiceFixture::TearDown();
  }

  template <typename Request>
  static void Fill(const CommonParts& parts, Request* request) {
    *request->mutable_time_range() = parts.time_range;
    if (parts.as_of_time) *request->mutable_as_of_time() = *parts.as_of_time;
    *request->mutable_filter() = parts.filter;
  }

  // Calls `method` with a request made of `parts` (and of their currency
  // when `Request` has one); appends its name and status to `statuses`.
  template <typename Request, typename Response>
  void CallWith(const CommonParts& parts, const char* name,
                grpc::Status (ReportingStub::*method)(grpc::ClientContext*,
                                                      const Request&,
                                                      Response*),
                std::vector<std::pair<std::string, grpc::Status>>* statuses,
                const std::function<void(Request*)>& more = nullptr) {
    Request request;
    Fill(parts, &request);
    if constexpr (kHasCurrency<Request>) {
      request.set_currency_code(parts.currency_code);
    }
    if (more) more(&request);
    Response response;
    statuses->emplace_back(name, Call(method, request, &response));
  }

  // Calls each RPC that takes a time range with `parts` (the currency where
  // the RPC has one); its name and status.
  std::vector<std::pair<std::string, grpc::Status>> CallRangeRpcs(
      const CommonParts& parts) {
    std::vector<std::pair<std::string, grpc::Status>> statuses;
    CallWith(parts, "GetPortfolioReport", &ReportingStub::GetPortfolioReport,
             &statuses);
    CallWith(parts, "GetSupportReport", &ReportingStub::GetSupportReport,
             &statuses);
    CallWith(parts, "GetWorkloadReport", &ReportingStub::GetWorkloadReport,
             &statuses);
    CallWith(parts, "ListAtRiskAccounts", &ReportingStub::ListAtRiskAccounts,
             &statuses);
    CallWith(parts, "GetConversionFunnelReport",
             &ReportingStub::GetConversionFunnelReport, &statuses);
    CallWith(parts, "GetRetentionReport", &ReportingStub::GetRetentionReport,
             &statuses);
    CallWith<v1::ListReportAccountsRequest, v1::ListReportAccountsResponse>(
        parts, "ListReportAccounts", &ReportingStub::ListReportAccounts,
        &statuses, [](v1::ListReportAccountsRequest* request) {
          request->mutable_aggregate()->mutable_portfolio();
        });
    return statuses;
  }

  // Expects every range RPC to refuse `parts` naming exactly `fields`
  // (`with_currency`: only the RPCs that take a currency).
  void ExpectRefused(const CommonParts& parts,
                     const std::vector<std::string>& fields,
                     const std::string& what, bool with_currency = false) {
    for (const auto& [rpc, status] : CallRangeRpcs(parts)) {
      if (with_currency && rpc == "GetSupportReport") {
        EXPECT_TRUE(status.ok())
            << what << " " << rpc << ": " << status.error_message();
        continue;
      }
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << what << " " << rpc << ": " << status.error_message();
      EXPECT_EQ(Fields(status), fields) << what << " " << rpc;
    }
  }

  v1::ListReportAccountsRequest AllAccounts() {
    v1::ListReportAccountsRequest request;
    request.mutable_aggregate()->mutable_portfolio();
    *request.mutable_time_range() = Year2025();
    request.set_page_size(1);
    return request;
  }

  v1::ListAtRiskAccountsRequest AtRisk() {
    v1::ListAtRiskAccountsRequest request;
    *request.mutable_time_range() = Year2025();
    SetTimestamp(Utc(2025, 12, 1), request.mutable_as_of_time());
    request.set_page_size(1);
    return request;
  }
};

TEST_F(ReportingHostileInputTest, AnEmptyRequestNamesWhatIsRequired) {
  for (const auto& [rpc, status] : CallRangeRpcs({.time_range = {}})) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << rpc;
  }
  {
    v1::GetPortfolioReportResponse response;
    const grpc::Status status =
        Call(&ReportingStub::GetPortfolioReport,
             v1::GetPortfolioReportRequest(), &response);
    EXPECT_THAT(Fields(status), ElementsAre("time_range"));
  }
  {
    v1::GetPipelineReportResponse response;
    const grpc::Status status = Call(&ReportingStub::GetPipelineReport,
                                     v1::GetPipelineReportRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Fields(status), ElementsAre("year", "quarter"));
  }
  {
    v1::ListReportAccountsResponse response;
    const grpc::Status status =
        Call(&ReportingStub::ListReportAccounts,
             v1::ListReportAccountsRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Fields(status), ElementsAre("aggregate", "time_range"));
  }
}

TEST_F(ReportingHostileInputTest, BadTimeRangesAreRefusedByEveryReport) {
  struct Case {
    const char* what;
    std::function<void(type::v1::TimeRange*)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"missing", [](type::v1::TimeRange* r) { r->Clear(); },
       "time_range.start_time"},
      {"missing end", [](type::v1::TimeRange* r) { r->clear_end_time(); },
       "time_range.end_time"},
      {"reversed",
       [](type::v1::TimeRange* r) {
         SetTimestamp(Utc(2026, 1, 1), r->mutable_start_time());
         SetTimestamp(Utc(2025, 1, 1), r->mutable_end_time());
       },
       "time_range"},
      {"six years",
       [](type::v1::TimeRange* r) {
         SetTimestamp(Utc(2019, 1, 1), r->mutable_start_time());
       },
       "time_range"},
      {"year 0",
       [](type::v1::TimeRange* r) {
         r->mutable_start_time()->set_seconds(-62135596800 - 1);
       },
       "time_range.start_time"},
      {"year 10000",
       [](type::v1::TimeRange* r) {
         r->mutable_end_time()->set_seconds(253402300800);
       },
       "time_range.end_time"},
      {"nanos 2e9",
       [](type::v1::TimeRange* r) {
         r->mutable_start_time()->set_nanos(2000000000);
       },
       "time_range.start_time"},
      {"minimum seconds",
       [](type::v1::TimeRange* r) {
         r->mutable_end_time()->set_seconds(INT64_MIN);
       },
       "time_range.end_time"},
  };
  for (const Case& c : cases) {
    CommonParts parts;
    c.spoil(&parts.time_range);
    // A cleared range is an empty message: both ends missing.
    if (std::string(c.what) == "missing") {
      ExpectRefused(parts, {"time_range.start_time", "time_range.end_time"},
                    c.what);
    } else {
      ExpectRefused(parts, {c.field}, c.what);
    }
  }
}

TEST_F(ReportingHostileInputTest, AsOfInTheFutureIsRefusedByEveryReport) {
  CommonParts parts;
  parts.as_of_time = ToTimestamp(Now() + absl::Seconds(1));
  ExpectRefused(parts, {"as_of_time"}, "future");
  parts.as_of_time->set_nanos(2000000000);
  ExpectRefused(parts, {"as_of_time"}, "nanos");

  v1::GetPipelineReportRequest pipeline;
  pipeline.set_year(2025);
  pipeline.set_quarter(4);
  SetTimestamp(Now() + absl::Hours(24 * 365), pipeline.mutable_as_of_time());
  v1::GetPipelineReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetPipelineReport, pipeline, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("as_of_time"));
}

TEST_F(ReportingHostileInputTest, UnknownFilterValuesAreNamedByIndex) {
  CommonParts parts;
  parts.filter.add_tiers(type::v1::ACCOUNT_TIER_PREMIUM);
  parts.filter.add_tiers(static_cast<type::v1::AccountTier>(99));
  ExpectRefused(parts, {"filter.tiers[1]"}, "tier");
  parts.filter.Clear();
  parts.filter.add_modes(static_cast<type::v1::RelationshipMode>(-1));
  ExpectRefused(parts, {"filter.modes[0]"}, "mode");
  parts.filter.Clear();
  parts.filter.add_segments(type::v1::ACCOUNT_SEGMENT_B2B);
  parts.filter.add_segments(type::v1::ACCOUNT_SEGMENT_B2C);
  parts.filter.add_segments(static_cast<type::v1::AccountSegment>(1000000));
  ExpectRefused(parts, {"filter.segments[2]"}, "segment");

  // A million repeats of good values are one filter, not a million binds.
  parts.filter.Clear();
  for (int i = 0; i < 1000000; ++i) {
    parts.filter.add_tiers(static_cast<type::v1::AccountTier>(i % 4));
  }
  for (const auto& [rpc, status] : CallRangeRpcs(parts)) {
    EXPECT_TRUE(status.ok()) << rpc << ": " << status.error_message();
  }
}

TEST_F(ReportingHostileInputTest, HugeStringsAreNamed) {
  CommonParts parts;
  parts.filter.set_owner(std::string(4 << 20, 'o'));
  parts.filter.set_account_manager(std::string(129, 'm'));
  ExpectRefused(parts, {"filter.account_manager", "filter.owner"}, "huge");

  v1::GetPipelineReportRequest pipeline;
  pipeline.set_year(2025);
  pipeline.set_quarter(4);
  pipeline.set_deal_owner(std::string(1 << 20, 'd'));
  v1::GetPipelineReportResponse response;
  grpc::Status status =
      Call(&ReportingStub::GetPipelineReport, pipeline, &response);
  EXPECT_THAT(Fields(status), ElementsAre("deal_owner"));

  v1::ListReportAccountsRequest accounts = AllAccounts();
  accounts.mutable_aggregate()->mutable_workload()->set_account_manager(
      std::string(1 << 20, 'w'));
  accounts.set_deal_owner(std::string(300, 'x'));
  v1::ListReportAccountsResponse page;
  status = Call(&ReportingStub::ListReportAccounts, accounts, &page);
  EXPECT_THAT(Fields(status),
              ElementsAre("aggregate.workload.account_manager", "deal_owner"));
  // Control characters are not text.
  parts.filter.Clear();
  parts.filter.set_owner(std::string("u-\x01", 3));
  ExpectRefused(parts, {"filter.owner"}, "control");
}

TEST_F(ReportingHostileInputTest, UnknownCurrenciesAreNamed) {
  for (const char* code : {"XXY", "eur", "EURO", "E", "€"}) {
    CommonParts parts;
    parts.currency_code = code;
    ExpectRefused(parts, {"currency_code"}, code, /*with_currency=*/true);
  }
  v1::GetPipelineReportRequest pipeline;
  pipeline.set_year(2025);
  pipeline.set_quarter(4);
  pipeline.set_currency_code("XXY");
  v1::GetPipelineReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetPipelineReport, pipeline, &response);
  EXPECT_THAT(Fields(status), ElementsAre("currency_code"));
}

TEST_F(ReportingHostileInputTest, PipelineQuartersOutOfRange) {
  for (const auto& [year, quarter, fields] :
       std::vector<std::tuple<int, int, std::vector<std::string>>>{
           {0, 1, {"year"}},
           {10000, 1, {"year"}},
           {1969, 4, {"year"}},
           {2025, 0, {"quarter"}},
           {2025, 5, {"quarter"}},
           {-1, -1, {"year", "quarter"}},
       }) {
    v1::GetPipelineReportRequest request;
    request.set_year(year);
    request.set_quarter(quarter);
    v1::GetPipelineReportResponse response;
    const grpc::Status status =
        Call(&ReportingStub::GetPipelineReport, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Fields(status), fields) << year << " Q" << quarter;
  }
  // The last quarter there is answers.
  v1::GetPipelineReportRequest last;
  last.set_year(9999);
  last.set_quarter(4);
  v1::GetPipelineReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetPipelineReport, last, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(ReportingHostileInputTest, RetentionPeriodMustBeKnown) {
  v1::GetRetentionReportRequest request;
  *request.mutable_time_range() = Year2025();
  request.set_period(static_cast<v1::CohortPeriod>(17));
  v1::GetRetentionReportResponse response;
  const grpc::Status status =
      Call(&ReportingStub::GetRetentionReport, request, &response);
  EXPECT_THAT(Fields(status), ElementsAre("period"));
}

TEST_F(ReportingHostileInputTest, AtRiskBandAndPageSize) {
  v1::ListAtRiskAccountsRequest request = AtRisk();
  request.set_max_band(static_cast<type::v1::ScoreBand>(9));
  request.set_page_size(-1);
  v1::ListAtRiskAccountsResponse response;
  const grpc::Status status =
      Call(&ReportingStub::ListAtRiskAccounts, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), UnorderedElementsAre("max_band", "page_size"));
}

TEST_F(ReportingHostileInputTest, AggregatesUnsetOrNotInTheirReport) {
  struct Case {
    const char* what;
    std::function<void(v1::ListReportAccountsRequest*)> spoil;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"unset", [](auto* r) { r->clear_aggregate(); }, {"aggregate"}},
      {"portfolio mode",
       [](auto* r) {
         r->mutable_aggregate()->mutable_portfolio()->set_mode(
             static_cast<type::v1::RelationshipMode>(99));
       },
       {"aggregate.portfolio.mode"}},
      {"portfolio band",
       [](auto* r) {
         r->mutable_aggregate()->mutable_portfolio()->set_band(
             static_cast<type::v1::ScoreBand>(-4));
       },
       {"aggregate.portfolio.band"}},
      {"support tier",
       [](auto* r) {
         r->mutable_aggregate()->mutable_support()->set_tier(
             static_cast<type::v1::AccountTier>(8));
       },
       {"aggregate.support.tier"}},
      {"workload without manager",
       [](auto* r) { r->mutable_aggregate()->mutable_workload(); },
       {"aggregate.workload.account_manager"}},
      {"funnel without stage",
       [](auto* r) { r->mutable_aggregate()->mutable_funnel(); },
       {"aggregate.funnel.stage"}},
      {"funnel stage 9",
       [](auto* r) {
         r->mutable_aggregate()->mutable_funnel()->set_stage(
             static_cast<v1::FunnelStage>(9));
       },
       {"aggregate.funnel.stage"}},
      {"retention without cohort",
       [](auto* r) { r->mutable_aggregate()->mutable_retention(); },
       {"aggregate.retention.cohort_start_date"}},
      {"retention cohort on February 30",
       [](auto* r) {
         auto* date = r->mutable_aggregate()
                          ->mutable_retention()
                          ->mutable_cohort_start_date();
         date->set_year(2025);
         date->set_month(2);
         date->set_day(30);
       },
       {"aggregate.retention.cohort_start_date"}},
      {"pipeline month 13",
       [](auto* r) {
         auto* month =
             r->mutable_aggregate()->mutable_pipeline()->mutable_month();
         month->set_year(2025);
         month->set_month(13);
         SetTimestamp(Utc(2025, 10, 1),
                      r->mutable_time_range()->mutable_start_time());
       },
       {"aggregate.pipeline.month"}},
      {"pipeline stage",
       [](auto* r) {
         r->mutable_aggregate()->mutable_pipeline()->set_stage(
             static_cast<engagement::v1::DealStage>(6));
         SetTimestamp(Utc(2025, 10, 1),
                      r->mutable_time_range()->mutable_start_time());
       },
       {"aggregate.pipeline.stage"}},
      {"pipeline over a year",
       [](auto* r) { r->mutable_aggregate()->mutable_pipeline(); },
       {"time_range"}},
      {"period",
       [](auto* r) { r->set_period(static_cast<v1::CohortPeriod>(5)); },
       {"period"}},
      {"page size", [](auto* r) { r->set_page_size(-1); }, {"page_size"}},
  };
  for (const Case& c : cases) {
    v1::ListReportAccountsRequest request = AllAccounts();
    c.spoil(&request);
    v1::ListReportAccountsResponse response;
    const grpc::Status status =
        Call(&ReportingStub::ListReportAccounts, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.what << ": " << status.error_message();
    EXPECT_EQ(Fields(status), c.fields) << c.what;
  }
}

TEST_F(ReportingHostileInputTest, AnAggregateTheReportDoesNotHaveIsNamed) {
  // A cohort that does not start a period of the report's (months).
  v1::ListReportAccountsRequest request = AllAccounts();
  auto* date = request.mutable_aggregate()
                   ->mutable_retention()
                   ->mutable_cohort_start_date();
  date->set_year(2025);
  date->set_month(2);
  date->set_day(15);
  v1::ListReportAccountsResponse response;
  const grpc::Status status =
      Call(&ReportingStub::ListReportAccounts, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(Fields(status),
              Contains("aggregate.retention.cohort_start_date"));
}

// Page tokens of both paged RPCs: garbage, altered, truncated, from another
// request, from another tenant.
TEST_F(ReportingHostileInputTest, ForeignAndForgedPageTokensAreRefused) {
  // Real tokens to spoil.
  v1::ListReportAccountsResponse accounts_page;
  ASSERT_TRUE(
      Call(&ReportingStub::ListReportAccounts, AllAccounts(), &accounts_page)
          .ok());
  const std::string accounts_token = accounts_page.next_page_token();
  ASSERT_FALSE(accounts_token.empty());
  v1::ListAtRiskAccountsResponse at_risk_page;
  ASSERT_TRUE(
      Call(&ReportingStub::ListAtRiskAccounts, AtRisk(), &at_risk_page).ok());
  const std::string at_risk_token = at_risk_page.next_page_token();
  ASSERT_FALSE(at_risk_token.empty());

  auto altered = [](std::string token) {
    token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
    return token;
  };
  const std::vector<std::pair<std::string, std::string>> spoiled_accounts = {
      {"garbage", "not-a-token"},
      {"binary", std::string("\x01\x02\x03", 3)},
      {"altered", altered(accounts_token)},
      {"truncated", accounts_token.substr(0, accounts_token.size() - 3)},
      {"another list's", at_risk_token},
      {"huge", std::string(1 << 20, 'A')},
  };
  for (const auto& [what, token] : spoiled_accounts) {
    v1::ListReportAccountsRequest request = AllAccounts();
    request.set_page_token(token);
    v1::ListReportAccountsResponse response;
    const grpc::Status status =
        Call(&ReportingStub::ListReportAccounts, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << what;
    EXPECT_THAT(Fields(status), ElementsAre("page_token")) << what;
  }
  const std::vector<std::pair<std::string, std::string>> spoiled_at_risk = {
      {"garbage", "not-a-token"},
      {"altered", altered(at_risk_token)},
      {"another list's", accounts_token},
  };
  for (const auto& [what, token] : spoiled_at_risk) {
    v1::ListAtRiskAccountsRequest request = AtRisk();
    request.set_page_token(token);
    v1::ListAtRiskAccountsResponse response;
    const grpc::Status status =
        Call(&ReportingStub::ListAtRiskAccounts, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << what;
    EXPECT_THAT(Fields(status), ElementsAre("page_token")) << what;
  }

  // From another request: other filter, other aggregate, other range,
  // other currency, other as_of.
  std::vector<v1::ListReportAccountsRequest> others(5, AllAccounts());
  others[0].mutable_filter()->add_tiers(type::v1::ACCOUNT_TIER_STANDARD);
  others[1].mutable_aggregate()->mutable_portfolio()->set_mode(
      type::v1::RELATIONSHIP_MODE_CLIENT);
  SetTimestamp(Utc(2025, 2, 1),
               others[2].mutable_time_range()->mutable_start_time());
  others[3].set_currency_code("EUR");
  SetTimestamp(Utc(2025, 12, 1), others[4].mutable_as_of_time());
  for (v1::ListReportAccountsRequest& other : others) {
    other.set_page_token(accounts_token);
    v1::ListReportAccountsResponse response;
    const grpc::Status status =
        Call(&ReportingStub::ListReportAccounts, other, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << other.ShortDebugString();
    EXPECT_THAT(Fields(status), ElementsAre("page_token"));
  }
  // The page size may change between pages (AIP-158).
  v1::ListReportAccountsRequest bigger = AllAccounts();
  bigger.set_page_size(10);
  bigger.set_page_token(accounts_token);
  v1::ListReportAccountsResponse rest;
  ASSERT_TRUE(Call(&ReportingStub::ListReportAccounts, bigger, &rest).ok());
  EXPECT_EQ(rest.accounts_size(), 3);

  // Acme's tokens mean nothing to globex, even with the same request.
  v1::ListReportAccountsRequest borrowed = AllAccounts();
  borrowed.set_page_token(accounts_token);
  v1::ListReportAccountsResponse globex_page;
  grpc::Status status = Call(&ReportingStub::ListReportAccounts, borrowed,
                             &globex_page, kGlobexViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));
  v1::ListAtRiskAccountsRequest borrowed_at_risk = AtRisk();
  borrowed_at_risk.set_page_token(at_risk_token);
  v1::ListAtRiskAccountsResponse globex_at_risk;
  status = Call(&ReportingStub::ListAtRiskAccounts, borrowed_at_risk,
                &globex_at_risk, kGlobexViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));
}

TEST_F(ReportingHostileInputTest, EveryViolationComesInOneAnswer) {
  v1::ListReportAccountsRequest request;
  SetTimestamp(Utc(2026, 1, 1),
               request.mutable_time_range()->mutable_start_time());
  SetTimestamp(Utc(2025, 1, 1),
               request.mutable_time_range()->mutable_end_time());
  SetTimestamp(Now() + absl::Hours(1), request.mutable_as_of_time());
  request.mutable_filter()->add_modes(
      static_cast<type::v1::RelationshipMode>(42));
  request.set_currency_code("XXY");
  request.set_page_size(-5);
  v1::ListReportAccountsResponse response;
  const grpc::Status status =
      Call(&ReportingStub::ListReportAccounts, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      Fields(status),
      UnorderedElementsAre("aggregate", "time_range", "as_of_time",
                           "filter.modes[0]", "currency_code", "page_size"));
}

}  // namespace
}  // namespace clientele::reporting::testing

// The at-risk list on a golden data set fed as events, with every figure
// computed by hand below; and its live step against a fake engagement
// (live_scores_test.cc has the real one).
#include "services/reporting/at_risk_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/live_scores_for_test.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::AccountFields;
using ::clientele::reporting::testing::Interaction;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr events::v1::InteractionKind kPurchase =
    events::v1::INTERACTION_KIND_PURCHASE;
constexpr events::v1::InteractionKind kRetainerInvoice =
    events::v1::INTERACTION_KIND_RETAINER_INVOICE;
constexpr events::v1::InteractionKind kEmail =
    events::v1::INTERACTION_KIND_EMAIL;
constexpr type::v1::ScoreBand kAtRisk = type::v1::SCORE_BAND_AT_RISK;
constexpr type::v1::ScoreBand kNeedsAttention =
    type::v1::SCORE_BAND_NEEDS_ATTENTION;
constexpr type::v1::ScoreBand kHealthy = type::v1::SCORE_BAND_HEALTHY;

// The golden set. Time range [2025-01-01, 2025-04-01), as of 04-01 00:00:
// April has not begun, so the year window of revenue at risk is April 2024
// to March 2025, whatever the range.
//
// account  band at 04-01 (score)  terms              revenue  at risk
// a1       AT_RISK (22, since 03-10; HEALTHY 60 before)
//                                 retainer, monthly 2,500.00 EUR
//                                                    750000   250000*12
//                                                             = 3000000
// a2       NEEDS_ATTENTION (41)   none: purchases 5000 + 4000 in the range,
//                                 7777 on 2024-12-31 (before the range,
//                                 in the window)     9000     16777
// a3       AT_RISK (10, since 02-01)
//                                 subscription, weekly 10.00 USD (not the
//                                 report's currency): the window's EUR
//                                                    60       60
// a4       HEALTHY (60)           none               1000000  1000000
// a5       AT_RISK (25)           none               0        0
// a6       not scored             none               -        (never listed)
// a7       HEALTHY (55, since 03-01; NEEDS_ATTENTION 35 before)
//                                                    0        0
// a8       AT_RISK, deleted 02-01                    -        (never listed)
// a9       AT_RISK (5)            none               0        0
// globex/g1: AT_RISK with revenue, another tenant (never listed).
//
// Default list (AT_RISK..NEEDS_ATTENTION) as of 04-01, largest first, ties
// by id: a1 3000000, a2 16777, a3 60, a5 0, a9 0.
class AtRiskReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 6, 1);
    AccountFields a1{.id = "a1",
                     .time = created,
                     .account_manager = "u-anna",
                     .model = type::v1::COMMERCIAL_MODEL_RETAINER,
                     .billing_cycle = type::v1::BILLING_CYCLE_MONTHLY,
                     .recurring_minor = 250000,
                     .recurring_currency = "EUR",
                     .contract_start = absl::CivilDay(2024, 6, 1),
                     .contract_end = absl::CivilDay(2025, 12, 31)};
    Apply("contacts", AccountCreated(a1));
    Apply("contacts", AccountCreated({.id = "a2", .time = created}));
    Apply("contacts",
          AccountCreated({.id = "a3",
                          .time = created,
                          .model = type::v1::COMMERCIAL_MODEL_SUBSCRIPTION,
                          .billing_cycle = type::v1::BILLING_CYCLE_WEEKLY,
                          .recurring_minor = 1000,
                          .recurring_currency = "USD"}));
    for (const char* id : {"a4", "a5", "a6", "a7", "a8", "a9"}) {
      Apply("contacts", AccountCreated({.id = id, .time = created}));
    }
    Apply("contacts",
          AccountCreated({.tenant = "globex", .id = "g1", .time = created}));

    const absl::Time scored = Utc(2025, 1, 5);
    Apply(
        "engagement",
        ScoreChanged(
            {.account = "a1", .time = scored, .score = 60, .band = kHealthy}));
    Apply("engagement",
          ScoreChanged({.account = "a1",
                        .time = Utc(2025, 3, 10),
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 22,
                        .band = kAtRisk,
                        .reasons = {"No contact for 9 weeks", "CSAT fell",
                                    "Two tickets open", "A fourth reason"},
                        .trend = -38}));
    Apply("engagement", ScoreChanged({.account = "a2",
                                      .time = scored,
                                      .score = 41,
                                      .band = kNeedsAttention,
                                      .reasons = {"Buys less often"},
                                      .trend = -5}));
    Apply("engagement", ScoreChanged({.account = "a3",
                                      .time = Utc(2025, 2, 1),
                                      .score = 10,
                                      .band = kAtRisk}));
    Apply(
        "engagement",
        ScoreChanged(
            {.account = "a4", .time = scored, .score = 60, .band = kHealthy}));
    Apply("engagement",
          ScoreChanged(
              {.account = "a5", .time = scored, .score = 25, .band = kAtRisk}));
    Apply("engagement", ScoreChanged({.account = "a7",
                                      .time = scored,
                                      .score = 35,
                                      .band = kNeedsAttention}));
    Apply("engagement", ScoreChanged({.account = "a7",
                                      .time = Utc(2025, 3, 1),
                                      .score = 55,
                                      .band = kHealthy}));
    Apply("engagement",
          ScoreChanged(
              {.account = "a8", .time = scored, .score = 5, .band = kAtRisk}));
    Apply("engagement",
          ScoreChanged(
              {.account = "a9", .time = scored, .score = 5, .band = kAtRisk}));
    Apply("engagement", ScoreChanged({.tenant = "globex",
                                      .account = "g1",
                                      .time = scored,
                                      .score = 1,
                                      .band = kAtRisk}));
    Apply("contacts", AccountDeleted("a8", Utc(2025, 2, 1)));

    for (int month : {1, 2, 3}) {
      Apply("engagement", Interaction({.account = "a1",
                                       .time = Utc(2025, month, 15, 9),
                                       .kind = kRetainerInvoice,
                                       .amount = 250000,
                                       .currency = "EUR"}));
    }
    Apply("engagement", Interaction({.account = "a1",
                                     .time = Utc(2025, 3, 28, 14, 30),
                                     .kind = kEmail}));
    Apply("engagement", Interaction({.account = "a2",
                                     .time = Utc(2024, 12, 31, 12),
                                     .kind = kPurchase,
                                     .amount = 7777,
                                     .currency = "EUR"}));
    Apply("engagement", Interaction({.account = "a2",
                                     .time = Utc(2025, 1, 10, 12),
                                     .kind = kPurchase,
                                     .amount = 5000,
                                     .currency = "EUR"}));
    Apply("engagement", Interaction({.account = "a2",
                                     .time = Utc(2025, 3, 31, 23),
                                     .kind = kPurchase,
                                     .amount = 4000,
                                     .currency = "EUR"}));
    Apply("engagement", Interaction({.account = "a3",
                                     .time = Utc(2025, 2, 2, 8),
                                     .kind = kPurchase,
                                     .amount = 60,
                                     .currency = "EUR"}));
    Apply("engagement", Interaction({.account = "a4",
                                     .time = Utc(2025, 2, 2, 8),
                                     .kind = kPurchase,
                                     .amount = 1000000,
                                     .currency = "EUR"}));
    Apply("engagement",
          Interaction(
              {.account = "a5", .time = Utc(2025, 3, 20, 10), .kind = kEmail}));
    // After as_of: not the last interaction "up to as_of".
    Apply("engagement",
          Interaction(
              {.account = "a5", .time = Utc(2025, 4, 5, 10), .kind = kEmail}));
    Apply("engagement", Interaction({.account = "g1",
                                     .time = Utc(2025, 2, 2),
                                     .kind = kPurchase,
                                     .amount = 99999999,
                                     .currency = "EUR"},
                                    "globex"));
  }

  // The golden range, as of its end.
  static ReportScope GoldenScope() {
    return testing::Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1),
                          Utc(2025, 4, 1));
  }

  absl::StatusOr<v1::ListAtRiskAccountsResponse> List(
      const ReportScope& scope, const AtRiskQuery& query = {}) {
    return Read(
        [&](sql::Transaction& txn) { return ListAtRisk(txn, scope, query); });
  }

  static std::vector<std::string> Accounts(
      const v1::ListAtRiskAccountsResponse& response) {
    std::vector<std::string> names;
    for (const v1::AtRiskAccount& account : response.at_risk_accounts()) {
      names.push_back(account.account());
    }
    return names;
  }

  static std::vector<int64_t> AtRisk(
      const v1::ListAtRiskAccountsResponse& response) {
    std::vector<int64_t> amounts;
    for (const v1::AtRiskAccount& account : response.at_risk_accounts()) {
      amounts.push_back(account.revenue_at_risk().amount_minor_units());
    }
    return amounts;
  }
};

TEST_F(AtRiskReportTest, RanksTheWeakAccountsByRevenueAtRisk) {
  auto response = List(GoldenScope());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response),
              ElementsAre("accounts/a1", "accounts/a2", "accounts/a3",
                          "accounts/a5", "accounts/a9"));
  EXPECT_THAT(AtRisk(*response), ElementsAre(3000000, 16777, 60, 0, 0));
  EXPECT_EQ(response->total_size(), 5);
  EXPECT_EQ(response->next_page_token(), "");
  EXPECT_EQ(response->metadata().currency_code(), "EUR");

  const v1::AtRiskAccount& a1 = response->at_risk_accounts(0);
  EXPECT_EQ(a1.display_name(), "");
  EXPECT_EQ(a1.mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(a1.score(), 22);
  EXPECT_EQ(a1.band(), kAtRisk);
  EXPECT_EQ(a1.score_delta(), -38);
  EXPECT_THAT(a1.reasons(), ElementsAre("No contact for 9 weeks", "CSAT fell",
                                        "Two tickets open"));
  EXPECT_EQ(a1.revenue().amount_minor_units(), 750000);
  EXPECT_EQ(a1.revenue().currency_code(), "EUR");
  EXPECT_EQ(a1.revenue_at_risk().currency_code(), "EUR");
  EXPECT_EQ(a1.account_manager(), "u-anna");
  EXPECT_EQ(ToTime(a1.last_interaction_time()), Utc(2025, 3, 28, 14, 30));
  EXPECT_EQ(a1.contract_end_date().year(), 2025);
  EXPECT_EQ(a1.contract_end_date().month(), 12);
  EXPECT_EQ(a1.contract_end_date().day(), 31);

  const v1::AtRiskAccount& a2 = response->at_risk_accounts(1);
  EXPECT_EQ(a2.revenue().amount_minor_units(), 9000);
  EXPECT_EQ(a2.band(), kNeedsAttention);
  EXPECT_EQ(a2.score_delta(), -5);
  EXPECT_THAT(a2.reasons(), ElementsAre("Buys less often"));
  EXPECT_FALSE(a2.has_contract_end_date());

  // a5's email of 04-05 is after as_of; a9 never had an interaction.
  EXPECT_EQ(ToTime(response->at_risk_accounts(3).last_interaction_time()),
            Utc(2025, 3, 20, 10));
  EXPECT_FALSE(response->at_risk_accounts(4).has_last_interaction_time());

  // The newest score version of the page: a1's of 03-10.
  EXPECT_EQ(response->score_freshness().source(), v1::SCORE_SOURCE_PROJECTION);
  EXPECT_EQ(response->score_freshness().stale_reason(), "");
  EXPECT_EQ(ToTime(response->score_freshness().projection_time()),
            Utc(2025, 3, 10));
}

TEST_F(AtRiskReportTest, MaxBandWidensOrNarrowsTheList) {
  auto healthy = List(GoldenScope(), {.max_band = kHealthy});
  ASSERT_TRUE(healthy.ok()) << healthy.status();
  // a4: its 1000000 of the year, below a1's retainer; a7 (HEALTHY since
  // 03-01) joins the zeros.
  EXPECT_THAT(
      Accounts(*healthy),
      ElementsAre("accounts/a1", "accounts/a4", "accounts/a2", "accounts/a3",
                  "accounts/a5", "accounts/a7", "accounts/a9"));
  EXPECT_THAT(AtRisk(*healthy),
              ElementsAre(3000000, 1000000, 16777, 60, 0, 0, 0));

  auto at_risk = List(GoldenScope(), {.max_band = kAtRisk});
  ASSERT_TRUE(at_risk.ok()) << at_risk.status();
  EXPECT_THAT(Accounts(*at_risk), ElementsAre("accounts/a1", "accounts/a3",
                                              "accounts/a5", "accounts/a9"));
  EXPECT_EQ(at_risk->total_size(), 4);
}

TEST_F(AtRiskReportTest, APastAsOfListsTheBandsOfThen) {
  ReportScope scope = GoldenScope();
  scope.as_of_us = ToMicros(Utc(2025, 2, 15));
  // On 02-15 a1 was HEALTHY (its drop came 03-10) and a7 NEEDS_ATTENTION
  // (healthy from 03-01). The year window ends with February: a2's 7777
  // and 5000, not its 4000 of 03-31.
  auto response = List(scope);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response),
              ElementsAre("accounts/a2", "accounts/a3", "accounts/a5",
                          "accounts/a7", "accounts/a9"));
  EXPECT_THAT(AtRisk(*response), ElementsAre(12777, 60, 0, 0, 0));
  EXPECT_EQ(response->at_risk_accounts(3).score(), 35);
  // a5's email of 03-20 came after 02-15.
  EXPECT_FALSE(response->at_risk_accounts(2).has_last_interaction_time());
  // The newest version in effect on 02-15: a3's of 02-01.
  EXPECT_EQ(ToTime(response->score_freshness().projection_time()),
            Utc(2025, 2, 1));

  // Not "now": the live step leaves the projection's answer as it is.
  FakeLiveScores live;
  RefreshAtRiskScores(live, Caller(), scope, &*response);
  EXPECT_THAT(live.CallersForTest(), IsEmpty());
  EXPECT_EQ(response->score_freshness().source(), v1::SCORE_SOURCE_PROJECTION);
  EXPECT_EQ(response->score_freshness().stale_reason(), "");
}

TEST_F(AtRiskReportTest, RecurringTermsCountInTheirOwnCurrencyOnly) {
  // In USD, a3's weekly 10.00 USD is 52 * 1000 = 52000; a1's EUR retainer
  // is not USD, and a1 has no USD revenue: 0.
  ReportScope scope = GoldenScope();
  scope.currency = "USD";
  auto response = List(scope);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response),
              ElementsAre("accounts/a3", "accounts/a1", "accounts/a2",
                          "accounts/a5", "accounts/a9"));
  EXPECT_THAT(AtRisk(*response), ElementsAre(52000, 0, 0, 0, 0));
  EXPECT_EQ(response->at_risk_accounts(0).revenue().amount_minor_units(), 0);
}

TEST_F(AtRiskReportTest, TheFilterNarrowsTheAccounts) {
  ReportScope scope = GoldenScope();
  scope.filter.set_account_manager("u-anna");
  auto response = List(scope);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response), ElementsAre("accounts/a1"));
  EXPECT_EQ(response->total_size(), 1);
}

TEST_F(AtRiskReportTest, AnotherTenantSeesOnlyItsOwn) {
  ReportScope scope = GoldenScope();
  scope.tenant = "globex";
  auto response = List(scope);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response), ElementsAre("accounts/g1"));
  EXPECT_EQ(response->at_risk_accounts(0).revenue().amount_minor_units(),
            99999999);

  scope.tenant = "initech";
  response = List(scope);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Accounts(*response), IsEmpty());
  EXPECT_EQ(response->total_size(), 0);
  EXPECT_FALSE(response->score_freshness().has_projection_time());
}

TEST_F(AtRiskReportTest, PagesWalkTheWholeRanking) {
  std::vector<std::string> seen;
  AtRiskQuery query{.page_size = 2};
  int pages = 0;
  do {
    auto page = List(GoldenScope(), query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 5);
    EXPECT_LE(page->at_risk_accounts_size(), 2);
    for (const std::string& name : Accounts(*page)) seen.push_back(name);
    query.page_token = page->next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!query.page_token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("accounts/a1", "accounts/a2", "accounts/a3",
                                "accounts/a5", "accounts/a9"));
}

TEST_F(AtRiskReportTest, ATokenIsOnlyGoodForTheRequestThatMadeIt) {
  auto first = List(GoldenScope(), {.page_size = 2});
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string token = first->next_page_token();
  ASSERT_FALSE(token.empty());

  auto expect_bad_token = [&](const ReportScope& scope,
                              const AtRiskQuery& query) {
    auto page = List(scope, query);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << page.status();
    const std::vector<FieldViolation> violations =
        FieldViolationsOf(page.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "page_token");
  };
  expect_bad_token(GoldenScope(),
                   {.max_band = kHealthy, .page_size = 2, .page_token = token});
  ReportScope globex = GoldenScope();
  globex.tenant = "globex";
  expect_bad_token(globex, {.page_size = 2, .page_token = token});
  ReportScope other_range = GoldenScope();
  other_range.start_us = ToMicros(Utc(2024, 1, 1));
  expect_bad_token(other_range, {.page_size = 2, .page_token = token});
  ReportScope other_as_of = GoldenScope();
  other_as_of.as_of_us = ToMicros(Utc(2025, 3, 1));
  expect_bad_token(other_as_of, {.page_size = 2, .page_token = token});
  ReportScope filtered = GoldenScope();
  filtered.filter.add_tiers(type::v1::ACCOUNT_TIER_PREMIUM);
  expect_bad_token(filtered, {.page_size = 2, .page_token = token});
  expect_bad_token(GoldenScope(), {.page_size = 2, .page_token = "garbage"});
  expect_bad_token(GoldenScope(),
                   {.page_size = 2, .page_token = token.substr(1)});

  // The page size may change from page to page.
  auto next = List(GoldenScope(), {.page_size = 10, .page_token = token});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_THAT(Accounts(*next),
              ElementsAre("accounts/a3", "accounts/a5", "accounts/a9"));
}

TEST_F(AtRiskReportTest, ADefaultedAsOfFollowsNowFromPageToPage) {
  // as_of_time unset with a range reaching into the future: as_of is "now",
  // a little later on page 2, and the token still holds.
  ReportScope scope =
      testing::Scope("acme", Utc(2025, 1, 1), Utc(2026, 1, 1), Utc(2025, 4, 1));
  auto first = List(scope, {.page_size = 2, .as_of_defaulted = true});
  ASSERT_TRUE(first.ok()) << first.status();
  scope.as_of_us += 3000000;
  scope.now_us += 3000000;
  auto second = List(scope, {.page_size = 2,
                             .page_token = first->next_page_token(),
                             .as_of_defaulted = true});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Accounts(*second), ElementsAre("accounts/a3", "accounts/a5"));
}

TEST_F(AtRiskReportTest, HostilePageSizesAndBands) {
  auto negative = List(GoldenScope(), {.page_size = -1});
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  auto band =
      List(GoldenScope(), {.max_band = static_cast<type::v1::ScoreBand>(99)});
  ASSERT_EQ(band.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(band.status())[0].field, "max_band");
  // Above 1000 reads as 1000.
  auto huge = List(GoldenScope(), {.page_size = 1 << 30});
  ASSERT_TRUE(huge.ok()) << huge.status();
  EXPECT_EQ(huge->at_risk_accounts_size(), 5);
}

TEST_F(AtRiskReportTest, LiveScoresReplaceTheProjectionsOnThePage) {
  auto response = List(GoldenScope(), {.page_size = 2});
  ASSERT_TRUE(response.ok()) << response.status();
  FakeLiveScores live;
  v1::AtRiskAccount a1_now;
  a1_now.set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  a1_now.set_score(31);
  a1_now.set_band(kNeedsAttention);
  a1_now.set_score_delta(-29);
  a1_now.add_reasons("No contact for 10 weeks");
  live.SetScore("accounts/a1", a1_now);
  live.SetScore("accounts/a2", response->at_risk_accounts(1));
  Caller caller;
  caller.tenant = "acme";
  caller.authorization = "Bearer viewer-token";

  RefreshAtRiskScores(live, caller, GoldenScope(), &*response);
  EXPECT_EQ(response->score_freshness().source(), v1::SCORE_SOURCE_LIVE);
  EXPECT_EQ(response->score_freshness().stale_reason(), "");
  const v1::AtRiskAccount& a1 = response->at_risk_accounts(0);
  EXPECT_EQ(a1.score(), 31);
  EXPECT_EQ(a1.band(), kNeedsAttention);
  EXPECT_EQ(a1.score_delta(), -29);
  EXPECT_THAT(a1.reasons(), ElementsAre("No contact for 10 weeks"));
  // The ranking and the money stay the projection's.
  EXPECT_EQ(a1.revenue_at_risk().amount_minor_units(), 3000000);
  EXPECT_EQ(response->total_size(), 5);
  ASSERT_EQ(live.CallersForTest().size(), 1u);
  EXPECT_EQ(live.CallersForTest()[0].authorization, "Bearer viewer-token");
}

TEST_F(AtRiskReportTest, WhenEngagementFailsTheProjectionAnswersAndSaysWhy) {
  auto response = List(GoldenScope());
  ASSERT_TRUE(response.ok()) << response.status();
  const v1::ListAtRiskAccountsResponse projected = *response;
  FakeLiveScores live;
  live.FailWith(absl::UnavailableError("engagement could not be reached"));

  RefreshAtRiskScores(live, Caller(), GoldenScope(), &*response);
  EXPECT_EQ(response->score_freshness().source(), v1::SCORE_SOURCE_PROJECTION);
  EXPECT_EQ(response->score_freshness().stale_reason(),
            "engagement could not be reached: UNAVAILABLE");
  EXPECT_EQ(response->at_risk_accounts(0).score(), 22);
  EXPECT_EQ(response->at_risk_accounts_size(),
            projected.at_risk_accounts_size());
}

TEST(RevenueAtRiskTest, RecurringTermsAnnualisePerBillingCycle) {
  RevenueAtRiskInputs inputs{
      .commercial_model = type::v1::COMMERCIAL_MODEL_SUBSCRIPTION,
      .recurring_minor = 1000,
      .recurring_currency = "EUR",
      .window_revenue_minor = 123};
  inputs.billing_cycle = type::v1::BILLING_CYCLE_WEEKLY;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 52000);
  inputs.billing_cycle = type::v1::BILLING_CYCLE_MONTHLY;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 12000);
  inputs.billing_cycle = type::v1::BILLING_CYCLE_QUARTERLY;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 4000);
  inputs.billing_cycle = type::v1::BILLING_CYCLE_ANNUAL;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 1000);
  // Terms in another currency: the year's revenue in the report's.
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "USD"), 123);
  // No recurring cycle: the year's revenue as it is.
  inputs.billing_cycle = type::v1::BILLING_CYCLE_PER_PURCHASE;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 123);
  // Refunds beyond purchases put nothing at risk.
  inputs.window_revenue_minor = -500;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), 0);
  // Sums saturate rather than overflow.
  inputs.billing_cycle = type::v1::BILLING_CYCLE_WEEKLY;
  inputs.recurring_minor = kMaxAmountSum;
  EXPECT_EQ(RevenueAtRiskMinor(inputs, "EUR"), kMaxAmountSum);
}

TEST(RevenueAtRiskTest, TheWindowIsTheTwelveMonthsEndingWithAsOfsLastInstant) {
  // As of the first instant of April: April has not begun, so the window is
  // April 2024 to March 2025.
  const AtRiskWindow april_first =
      AtRiskWindow::AsOf(ToMicros(Utc(2025, 4, 1)));
  EXPECT_EQ(april_first.first_day(), DayOfUs(ToMicros(Utc(2024, 4, 1))));
  EXPECT_EQ(april_first.end_day(), DayOfUs(ToMicros(Utc(2025, 4, 1))));
  // A moment later it is May 2024 to April 2025 (April so far).
  const AtRiskWindow april = AtRiskWindow::AsOf(ToMicros(Utc(2025, 4, 1)) + 1);
  EXPECT_EQ(april.first_day(), DayOfUs(ToMicros(Utc(2024, 5, 1))));
  EXPECT_EQ(april.end_day(), DayOfUs(ToMicros(Utc(2025, 5, 1))));
  EXPECT_TRUE(april.Holds(DayOfUs(ToMicros(Utc(2024, 5, 1)))));
  EXPECT_FALSE(april.Holds(DayOfUs(ToMicros(Utc(2024, 4, 30)))));
  EXPECT_FALSE(april.Holds(DayOfUs(ToMicros(Utc(2025, 5, 1)))));
}

}  // namespace
}  // namespace clientele::reporting

// The pipeline report on a golden data set fed as deal events, every figure
// computed by hand below.
#include "services/reporting/pipeline_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/pipeline_summary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::DealCreated;
using ::clientele::reporting::testing::DealFields;
using ::clientele::reporting::testing::DealLost;
using ::clientele::reporting::testing::DealUpdated;
using ::clientele::reporting::testing::DealWon;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace ev1 = ::clientele::engagement::v1;

constexpr auto kQualifying = events::v1::DEAL_STAGE_QUALIFYING;
constexpr auto kProposal = events::v1::DEAL_STAGE_PROPOSAL;
constexpr auto kNegotiation = events::v1::DEAL_STAGE_NEGOTIATION;

// "count amount weighted" of a stage total (amounts -1 when unset).
std::string Figures(const ev1::PipelineStageTotal& total) {
  return absl::StrCat(
      total.deal_count(), " ",
      total.has_open_amount() ? total.open_amount().amount_minor_units() : -1,
      " ",
      total.has_weighted_amount() ? total.weighted_amount().amount_minor_units()
                                  : -1);
}
std::string Figures(const ev1::PipelineMonth& month) {
  return absl::StrCat(month.month().year(), "-", month.month().month(), " ",
                      month.deal_count(), " ",
                      month.open_amount().amount_minor_units(), " ",
                      month.weighted_amount().amount_minor_units());
}

// The golden set: Q2 2024 (04-01..06-30) as of 2024-05-15; accounts a1, a2
// (STANDARD), a3 (PREMIUM) since 2024-01-01; a4 deleted on 04-01.
//
// deal acct  at 05-15                       expected  counts as
// d1   a1    PROPOSAL 10000 EUR (QUALIFYING until its update on 05-01)
//                                           04-20     open Apr: w 3000
// d2   a1    PROPOSAL 5 EUR (04-10, p 0.3)  05-10     open May: w 1.5 -> 2
// d3   a2    NEGOTIATION 20001 EUR, owner olga
//                                           06-30     open Jun: w 12000.6
//                                                     -> 12001
// d4   a2    QUALIFYING 7000 EUR            07-01     nothing (next quarter)
// d5   a2    QUALIFYING 3000 EUR            03-31     overdue
// d6   a1    WON 50000 EUR, closed 04-01              won
// d7   a2    LOST 8000 EUR, closed 05-14              lost
// d8   a1    PROPOSAL 40000 USD             05-20     other currency
// d9   a3    QUALIFYING 1000 EUR (05-02, p 0.15)
//                                           06-01     open Jun: w 150
// d10  a2    QUALIFYING 9999 EUR (won only on 05-20)
//                                           04-05     open Apr: w 1499.85
//                                                     -> 1500
// d11  a4    QUALIFYING 500 EUR             04-15     nothing (deleted
//                                                     account)
// d12  a1    QUALIFYING 2000 EUR, created 05-16 (p 0.1)
//                                           06-15     nothing before 05-16
// globex: one PROPOSAL deal at p 0.35.
//
// Probabilities at 05-15: QUALIFYING 0.15 (d9's version of 05-02 is the
// newest QUALIFYING one), PROPOSAL 0.3, NEGOTIATION 0.6. Currency: EUR (7
// counted deals) over USD (1).
//   QUALIFYING  d9 d10   2  10999  1650
//   PROPOSAL    d1 d2    2  10005  3002
//   NEGOTIATION d3       1  20001  12001
//   Apr d10 d1 2 19999 4500; May d2 1 5 2; Jun d9 d3 2 21001 12151
//   open 5, 41005, weighted 16653; won 1 50000; lost 1 8000; overdue 1;
//   other currency 1.
class PipelineReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 1, 1);
    Apply("contacts", AccountCreated({.id = "a1", .time = created}));
    Apply("contacts", AccountCreated({.id = "a2", .time = created}));
    Apply("contacts", AccountCreated({.id = "a3",
                                      .time = created,
                                      .tier = type::v1::ACCOUNT_TIER_PREMIUM}));
    Apply("contacts", AccountCreated({.id = "a4", .time = created}));

    const auto deal = [](const std::string& id, const std::string& account,
                         absl::Time at, events::v1::DealStage stage,
                         int64_t amount, double probability,
                         absl::CivilDay expected) {
      return DealFields{.id = id,
                        .account = account,
                        .time = at,
                        .create_time = at,
                        .stage = stage,
                        .amount = amount,
                        .probability = probability,
                        .expected_close = expected};
    };
    const absl::Time march = Utc(2024, 3, 1);
    DealFields d1 = deal("d1", "a1", march, kQualifying, 10000, 0.1,
                         absl::CivilDay(2024, 4, 20));
    Apply("engagement", DealCreated(d1));
    d1.time = Utc(2024, 5, 1);
    d1.stage = kProposal;
    d1.probability = 0.3;
    Apply("engagement", DealUpdated(d1));
    Apply("engagement",
          DealCreated(deal("d2", "a1", Utc(2024, 4, 10), kProposal, 5, 0.3,
                           absl::CivilDay(2024, 5, 10))));
    DealFields d3 = deal("d3", "a2", march, kNegotiation, 20001, 0.6,
                         absl::CivilDay(2024, 6, 30));
    d3.owner = "olga";
    Apply("engagement", DealCreated(d3));
    Apply("engagement", DealCreated(deal("d4", "a2", march, kQualifying, 7000,
                                         0.1, absl::CivilDay(2024, 7, 1))));
    Apply("engagement", DealCreated(deal("d5", "a2", march, kQualifying, 3000,
                                         0.1, absl::CivilDay(2024, 3, 31))));
    DealFields d6 = deal("d6", "a1", march, kNegotiation, 50000, 0.6,
                         absl::CivilDay(2024, 4, 30));
    Apply("engagement", DealCreated(d6));
    d6.time = Utc(2024, 4, 1, 9);
    Apply("engagement", DealWon(d6));
    DealFields d7 = deal("d7", "a2", march, kProposal, 8000, 0.3,
                         absl::CivilDay(2024, 6, 1));
    Apply("engagement", DealCreated(d7));
    d7.time = Utc(2024, 5, 14, 9);
    Apply("engagement", DealLost(d7));
    DealFields d8 = deal("d8", "a1", Utc(2024, 4, 12), kProposal, 40000, 0.3,
                         absl::CivilDay(2024, 5, 20));
    d8.currency = "USD";
    Apply("engagement", DealCreated(d8));
    Apply("engagement",
          DealCreated(deal("d9", "a3", Utc(2024, 5, 2), kQualifying, 1000, 0.15,
                           absl::CivilDay(2024, 6, 1))));
    DealFields d10 = deal("d10", "a2", march, kQualifying, 9999, 0.1,
                          absl::CivilDay(2024, 4, 5));
    Apply("engagement", DealCreated(d10));
    d10.time = Utc(2024, 5, 20, 9);
    Apply("engagement", DealWon(d10));
    Apply("engagement", DealCreated(deal("d11", "a4", march, kQualifying, 500,
                                         0.1, absl::CivilDay(2024, 4, 15))));
    Apply("contacts", AccountDeleted("a4", Utc(2024, 4, 1)));
    Apply("engagement",
          DealCreated(deal("d12", "a1", Utc(2024, 5, 16), kQualifying, 2000,
                           0.1, absl::CivilDay(2024, 6, 15))));

    Apply("contacts",
          AccountCreated({.tenant = "globex", .id = "g1", .time = created}));
    DealFields g = deal("gd1", "g1", march, kProposal, 100000, 0.35,
                        absl::CivilDay(2024, 4, 10));
    g.tenant = "globex";
    Apply("engagement", DealCreated(g));
  }

  static ReportScope Q2(absl::Time as_of = Utc(2024, 5, 15),
                        const std::string& tenant = "acme") {
    return testing::Scope(tenant, Utc(2024, 4, 1), Utc(2024, 7, 1), as_of,
                          /*currency=*/"");
  }
  absl::StatusOr<v1::PipelineReport> Report(const ReportScope& scope,
                                            const std::string& owner = "") {
    return Read([&](sql::Transaction& txn) {
      return BuildPipelineReport(txn, scope, {2024, 2, owner});
    });
  }
  absl::StatusOr<std::vector<std::string>> Accounts(
      const v1::PipelineAggregate& aggregate, const ReportScope& scope = Q2()) {
    return Read([&](sql::Transaction& txn) {
      return PipelineAccounts(txn, scope, {2024, 2, ""}, aggregate);
    });
  }
  static v1::PipelineAggregate Aggregate(ev1::DealStage stage, int month = 0) {
    v1::PipelineAggregate aggregate;
    aggregate.set_stage(stage);
    if (month != 0) {
      aggregate.mutable_month()->set_year(2024);
      aggregate.mutable_month()->set_month(month);
    }
    return aggregate;
  }
};

TEST_F(PipelineReportTest, TheQuarterIsTheHandComputedOne) {
  auto report = Report(Q2());
  ASSERT_TRUE(report.ok()) << report.status();
  const ev1::Pipeline& p = report->pipeline();
  EXPECT_EQ(p.year(), 2024);
  EXPECT_EQ(p.quarter(), 2);
  EXPECT_EQ(p.currency_code(), "EUR");
  EXPECT_EQ(report->metadata().currency_code(), "EUR");
  ASSERT_EQ(p.stages_size(), 3);
  EXPECT_EQ(p.stages(0).stage(), ev1::DEAL_STAGE_QUALIFYING);
  EXPECT_DOUBLE_EQ(p.stages(0).probability(), 0.15);
  EXPECT_EQ(Figures(p.stages(0)), "2 10999 1650");
  EXPECT_EQ(p.stages(1).stage(), ev1::DEAL_STAGE_PROPOSAL);
  EXPECT_DOUBLE_EQ(p.stages(1).probability(), 0.3);
  EXPECT_EQ(Figures(p.stages(1)), "2 10005 3002");
  EXPECT_EQ(p.stages(2).stage(), ev1::DEAL_STAGE_NEGOTIATION);
  EXPECT_DOUBLE_EQ(p.stages(2).probability(), 0.6);
  EXPECT_EQ(Figures(p.stages(2)), "1 20001 12001");
  ASSERT_EQ(p.months_size(), 3);
  EXPECT_EQ(Figures(p.months(0)), "2024-4 2 19999 4500");
  EXPECT_EQ(Figures(p.months(1)), "2024-5 1 5 2");
  EXPECT_EQ(Figures(p.months(2)), "2024-6 2 21001 12151");
  ASSERT_EQ(p.months(2).stages_size(), 3);
  EXPECT_EQ(Figures(p.months(2).stages(0)), "1 1000 150");
  EXPECT_EQ(Figures(p.months(2).stages(2)), "1 20001 12001");
  EXPECT_EQ(p.open_deal_count(), 5);
  EXPECT_EQ(p.open_amount().amount_minor_units(), 41005);
  EXPECT_EQ(p.weighted_amount().amount_minor_units(), 16653);
  EXPECT_EQ(p.won().deal_count(), 1);
  EXPECT_EQ(p.won().amount().amount_minor_units(), 50000);
  EXPECT_EQ(p.lost().deal_count(), 1);
  EXPECT_EQ(p.lost().amount().amount_minor_units(), 8000);
  EXPECT_EQ(p.overdue_deal_count(), 1);
  EXPECT_EQ(p.other_currency_deal_count(), 1);
}

TEST_F(PipelineReportTest, ALaterAsOfSeesTheLaterDeals) {
  // As of 05-25: d10 won on 05-20 (won 2, 59999); d12 (05-16, p 0.1) is now
  // the newest QUALIFYING version: d9 1000 -> 100, d12 2000 -> 200.
  auto report = Report(Q2(Utc(2024, 5, 25)));
  ASSERT_TRUE(report.ok()) << report.status();
  const ev1::Pipeline& p = report->pipeline();
  EXPECT_DOUBLE_EQ(p.stages(0).probability(), 0.1);
  EXPECT_EQ(Figures(p.stages(0)), "2 3000 300");
  EXPECT_EQ(p.won().deal_count(), 2);
  EXPECT_EQ(p.won().amount().amount_minor_units(), 59999);
}

TEST_F(PipelineReportTest, OwnerFilterAndCurrency) {
  // olga's: d3 only; no overdue deal of hers.
  auto olga = Report(Q2(), "olga");
  ASSERT_TRUE(olga.ok()) << olga.status();
  EXPECT_EQ(olga->pipeline().open_deal_count(), 1);
  EXPECT_EQ(Figures(olga->pipeline().stages(2)), "1 20001 12001");
  EXPECT_EQ(olga->pipeline().won().deal_count(), 0);
  EXPECT_EQ(olga->pipeline().overdue_deal_count(), 0);

  // In USD: d8 40000 at 0.3; the 7 EUR deals are another currency.
  ReportScope usd = Q2();
  usd.currency = "USD";
  auto dollars = Report(usd);
  ASSERT_TRUE(dollars.ok()) << dollars.status();
  EXPECT_EQ(dollars->pipeline().currency_code(), "USD");
  EXPECT_EQ(Figures(dollars->pipeline().stages(1)), "1 40000 12000");
  EXPECT_EQ(dollars->pipeline().won().amount().amount_minor_units(), 0);
  EXPECT_EQ(dollars->pipeline().other_currency_deal_count(), 7);
  EXPECT_EQ(dollars->pipeline().overdue_deal_count(), 1);

  // PREMIUM accounts: a3's d9.
  ReportScope premium = Q2();
  premium.filter.add_tiers(type::v1::ACCOUNT_TIER_PREMIUM);
  auto filtered = Report(premium);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  EXPECT_EQ(filtered->pipeline().open_deal_count(), 1);
  EXPECT_EQ(Figures(filtered->pipeline().stages(0)), "1 1000 150");
}

TEST_F(PipelineReportTest, AnEmptyQuarterHasNoCurrencyNorAmounts) {
  auto report = Read([&](sql::Transaction& txn) {
    // Q1 2023: every deal is expected or closed after it.
    return BuildPipelineReport(txn, Q2(), {2023, 1, ""});
  });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->pipeline().currency_code(), "");
  EXPECT_EQ(report->pipeline().open_deal_count(), 0);
  EXPECT_FALSE(report->pipeline().has_open_amount());
  EXPECT_EQ(Figures(report->pipeline().stages(0)), "0 -1 -1");
  EXPECT_EQ(report->pipeline().overdue_deal_count(), 0);
}

TEST_F(PipelineReportTest, AccountsAreThoseOfTheCountedDeals) {
  // PROPOSAL: d1, d2 (a1); d8 is in USD.
  auto proposal = Accounts(Aggregate(ev1::DEAL_STAGE_PROPOSAL));
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  EXPECT_THAT(*proposal, ElementsAre("a1"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_UNSPECIFIED)),
              ElementsAre("a1", "a2", "a3"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_WON)), ElementsAre("a1"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_LOST)), ElementsAre("a2"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_UNSPECIFIED, 6)),
              ElementsAre("a2", "a3"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_NEGOTIATION, 6)),
              ElementsAre("a2"));
  EXPECT_THAT(*Accounts(Aggregate(ev1::DEAL_STAGE_NEGOTIATION, 5)), IsEmpty());

  const auto code = [&](const v1::PipelineAggregate& aggregate) {
    return Accounts(aggregate).status().code();
  };
  EXPECT_EQ(code(Aggregate(ev1::DEAL_STAGE_UNSPECIFIED, 7)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Aggregate(ev1::DEAL_STAGE_WON, 4)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Aggregate(static_cast<ev1::DealStage>(42))),
            absl::StatusCode::kInvalidArgument);
  v1::PipelineAggregate with_day = Aggregate(ev1::DEAL_STAGE_UNSPECIFIED, 4);
  with_day.mutable_month()->set_day(1);
  EXPECT_EQ(code(with_day), absl::StatusCode::kInvalidArgument);
}

TEST_F(PipelineReportTest, AnotherTenantSeesOnlyItsOwn) {
  // globex: its PROPOSAL deal at its own 0.35; the other stages have no
  // deal and take engagement's defaults.
  auto report = Report(Q2(Utc(2024, 5, 15), "globex"));
  ASSERT_TRUE(report.ok()) << report.status();
  const ev1::Pipeline& p = report->pipeline();
  EXPECT_EQ(p.open_deal_count(), 1);
  EXPECT_DOUBLE_EQ(p.stages(0).probability(), 0.1);
  EXPECT_DOUBLE_EQ(p.stages(1).probability(), 0.35);
  EXPECT_DOUBLE_EQ(p.stages(2).probability(), 0.6);
  EXPECT_EQ(Figures(p.stages(1)), "1 100000 35000");
  auto accounts = Accounts(Aggregate(ev1::DEAL_STAGE_UNSPECIFIED),
                           Q2(Utc(2024, 5, 15), "globex"));
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  EXPECT_THAT(*accounts, ElementsAre("g1"));
}

TEST(WeightedAmountMinorTest, RoundsHalfUpInIntegers) {
  EXPECT_EQ(WeightedAmountMinor(5, 0.3), 2);
  EXPECT_EQ(WeightedAmountMinor(9999, 0.15), 1500);
  EXPECT_EQ(WeightedAmountMinor(1000000000000000, 0.6), 600000000000000);
  EXPECT_EQ(WeightedAmountMinor(-5, 0.3), 0);
  EXPECT_EQ(WeightedAmountMinor(100, 0.0), 0);
}

}  // namespace
}  // namespace clientele::reporting

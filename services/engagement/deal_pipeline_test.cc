// The quarter's pipeline: a golden quarter with every figure computed by
// hand below, its filters and currency choice, validation, and the sums'
// saturation (BuildPipeline alone).
#include <limits>
#include <string>
#include <vector>

#include "common/money.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/deal_test_fixture.h"
#include "services/engagement/pipeline.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;

// One row of a stage or month: count, amount, weighted amount (minor units).
struct Row {
  int count;
  int64_t amount;
  int64_t weighted;
};

void ExpectStage(const v1::PipelineStageTotal& total, v1::DealStage stage,
                 double probability, const Row& row,
                 const std::string& currency = "EUR") {
  EXPECT_EQ(total.stage(), stage);
  EXPECT_DOUBLE_EQ(total.probability(), probability);
  EXPECT_EQ(total.deal_count(), row.count) << v1::DealStage_Name(stage);
  EXPECT_EQ(total.open_amount().currency_code(), currency);
  EXPECT_EQ(total.open_amount().amount_minor_units(), row.amount)
      << v1::DealStage_Name(stage);
  EXPECT_EQ(total.weighted_amount().amount_minor_units(), row.weighted)
      << v1::DealStage_Name(stage);
}

class DealPipelineTest : public DealTest {
 protected:
  // The quarter 2026 Q1 (January to March) of the golden test. Default
  // policy: QUALIFYING 0.1, PROPOSAL 0.3, NEGOTIATION 0.6.
  void SetUp() override {
    DealTest::SetUp();
    // Open, expected in the quarter (EUR):
    //   d1 QUALIFYING   1,000,000 Jan 15  weighted 100,000
    //   d2 QUALIFYING      33,335 Feb 10  weighted   3,333.5 -> 3,334
    //   d3 PROPOSAL       250,000 Feb 28  weighted  75,000
    //   d4 NEGOTIATION    800,000 Mar 31  weighted 480,000
    //   d5 NEGOTIATION    123,457 Mar 01  weighted  74,074.2 -> 74,074
    //      (d5: owner max, ONE_OFF_SALE; every other deal: olga, RETAINER)
    Open("acme-a", 1000000, Day(2026, 1, 15), v1::DEAL_STAGE_QUALIFYING);
    Open("acme-a", 33335, Day(2026, 2, 10), v1::DEAL_STAGE_QUALIFYING);
    Open("acme-b", 250000, Day(2026, 2, 28), v1::DEAL_STAGE_PROPOSAL);
    Open("acme-b", 800000, Day(2026, 3, 31), v1::DEAL_STAGE_NEGOTIATION);
    v1::Deal d5 = NewDeal("acme-a", 123457, Day(2026, 3, 1));
    d5.set_stage(v1::DEAL_STAGE_NEGOTIATION);
    d5.set_owner("max");
    d5.set_kind(v1::DEAL_KIND_ONE_OFF_SALE);
    MustCreate(d5);
    //   d6 PROPOSAL in USD, Feb 1: another currency.
    Open("acme-a", 500000, Day(2026, 2, 1), v1::DEAL_STAGE_PROPOSAL, "USD");
    // Open outside the quarter: d7 after it (nowhere), d8 and d9 before
    // it (overdue).
    Open("acme-a", 99900, Day(2026, 4, 1), v1::DEAL_STAGE_QUALIFYING);
    Open("acme-a", 70000, Day(2025, 12, 31), v1::DEAL_STAGE_PROPOSAL);
    Open("acme-b", 10000, Day(2025, 11, 1), v1::DEAL_STAGE_NEGOTIATION);
    // Closed: d10 won Feb 1 (expected in Q2: counts, by its close date);
    // d11 lost Feb 10 (expected in March: not open any more); d12 won
    // before the quarter (nowhere); d13 lost in USD (another currency).
    CloseOn(Open("acme-a", 600000, Day(2026, 4, 30), v1::DEAL_STAGE_PROPOSAL),
            v1::DEAL_STAGE_WON, Day(2026, 2, 1));
    CloseOn(Open("acme-b", 40000, Day(2026, 3, 15), v1::DEAL_STAGE_PROPOSAL),
            v1::DEAL_STAGE_LOST, Day(2026, 2, 10));
    CloseOn(Open("acme-a", 70000, Day(2026, 1, 10), v1::DEAL_STAGE_PROPOSAL),
            v1::DEAL_STAGE_WON, Day(2025, 12, 20));
    CloseOn(
        Open("acme-a", 1000, Day(2026, 1, 5), v1::DEAL_STAGE_PROPOSAL, "USD"),
        v1::DEAL_STAGE_LOST, Day(2026, 1, 5));
    // Another tenant's deal in the quarter is not there at all.
    ASSERT_TRUE(
        Create(NewDeal("globex-a", 1, Day(2026, 2, 2)), "", "globex").ok());
  }

  v1::Deal Open(const std::string& account, int64_t minor,
                const type::v1::Date& expected, v1::DealStage stage,
                const std::string& currency = "EUR") {
    v1::Deal deal = NewDeal(account, minor, expected, currency);
    deal.set_stage(stage);
    return MustCreate(deal);
  }

  void CloseOn(const v1::Deal& deal, v1::DealStage outcome,
               const type::v1::Date& day) {
    v1::CloseDealRequest request =
        outcome == v1::DEAL_STAGE_WON
            ? Won(deal)
            : Lost(deal, v1::DEAL_LOSS_REASON_COMPETITOR);
    *request.mutable_close_date() = day;
    ASSERT_TRUE(Close(request).ok());
  }

  v1::Pipeline Pipeline(const v1::GetPipelineRequest& request) {
    auto pipeline = deals().GetPipeline(CallerOf(), request);
    EXPECT_TRUE(pipeline.ok()) << pipeline.status();
    return pipeline.ok() ? *std::move(pipeline) : v1::Pipeline();
  }

  static v1::GetPipelineRequest Quarter(int year, int quarter) {
    v1::GetPipelineRequest request;
    request.set_year(year);
    request.set_quarter(quarter);
    return request;
  }
};

TEST_F(DealPipelineTest, GoldenQuarter) {
  const v1::Pipeline p = Pipeline(Quarter(2026, 1));
  EXPECT_EQ(p.year(), 2026);
  EXPECT_EQ(p.quarter(), 1);
  // EUR: d1-d5, d10, d11 (7 deals) against USD: d6, d13 (2).
  EXPECT_EQ(p.currency_code(), "EUR");

  ASSERT_EQ(p.stages_size(), 3);
  // QUALIFYING d1 + d2: 1,000,000 + 33,335; 100,000 + 3,334.
  ExpectStage(p.stages(0), v1::DEAL_STAGE_QUALIFYING, 0.1,
              {2, 1033335, 103334});
  ExpectStage(p.stages(1), v1::DEAL_STAGE_PROPOSAL, 0.3, {1, 250000, 75000});
  // NEGOTIATION d4 + d5: 800,000 + 123,457; 480,000 + 74,074.
  ExpectStage(p.stages(2), v1::DEAL_STAGE_NEGOTIATION, 0.6,
              {2, 923457, 554074});
  EXPECT_EQ(p.open_deal_count(), 5);
  EXPECT_EQ(p.open_amount().amount_minor_units(), 2206792);
  EXPECT_EQ(p.weighted_amount().amount_minor_units(), 732408);

  ASSERT_EQ(p.months_size(), 3);
  const int expected_months[] = {1, 2, 3};
  for (int m = 0; m < 3; ++m) {
    EXPECT_EQ(p.months(m).month().year(), 2026);
    EXPECT_EQ(p.months(m).month().month(), expected_months[m]);
    EXPECT_EQ(p.months(m).month().day(), 0);
    ASSERT_EQ(p.months(m).stages_size(), 3);
  }
  // January: d1.
  EXPECT_EQ(p.months(0).deal_count(), 1);
  EXPECT_EQ(p.months(0).open_amount().amount_minor_units(), 1000000);
  EXPECT_EQ(p.months(0).weighted_amount().amount_minor_units(), 100000);
  ExpectStage(p.months(0).stages(0), v1::DEAL_STAGE_QUALIFYING, 0.1,
              {1, 1000000, 100000});
  ExpectStage(p.months(0).stages(1), v1::DEAL_STAGE_PROPOSAL, 0.3, {0, 0, 0});
  ExpectStage(p.months(0).stages(2), v1::DEAL_STAGE_NEGOTIATION, 0.6,
              {0, 0, 0});
  // February: d2 and d3 (d6 is USD): 33,335 + 250,000; 3,334 + 75,000.
  EXPECT_EQ(p.months(1).deal_count(), 2);
  EXPECT_EQ(p.months(1).open_amount().amount_minor_units(), 283335);
  EXPECT_EQ(p.months(1).weighted_amount().amount_minor_units(), 78334);
  ExpectStage(p.months(1).stages(0), v1::DEAL_STAGE_QUALIFYING, 0.1,
              {1, 33335, 3334});
  ExpectStage(p.months(1).stages(1), v1::DEAL_STAGE_PROPOSAL, 0.3,
              {1, 250000, 75000});
  // March: d4 (on the quarter's last day) and d5.
  EXPECT_EQ(p.months(2).deal_count(), 2);
  EXPECT_EQ(p.months(2).open_amount().amount_minor_units(), 923457);
  EXPECT_EQ(p.months(2).weighted_amount().amount_minor_units(), 554074);
  ExpectStage(p.months(2).stages(2), v1::DEAL_STAGE_NEGOTIATION, 0.6,
              {2, 923457, 554074});

  EXPECT_EQ(p.won().deal_count(), 1);  // d10
  EXPECT_EQ(p.won().amount().amount_minor_units(), 600000);
  EXPECT_EQ(p.lost().deal_count(), 1);  // d11
  EXPECT_EQ(p.lost().amount().amount_minor_units(), 40000);
  EXPECT_EQ(p.overdue_deal_count(), 2);         // d8, d9
  EXPECT_EQ(p.other_currency_deal_count(), 2);  // d6, d13
}

TEST_F(DealPipelineTest, FiltersAndTheRequestedCurrency) {
  v1::GetPipelineRequest request = Quarter(2026, 1);
  request.set_owner("max");
  v1::Pipeline p = Pipeline(request);
  EXPECT_EQ(p.open_deal_count(), 1);  // d5 alone
  EXPECT_EQ(p.weighted_amount().amount_minor_units(), 74074);
  EXPECT_EQ(p.won().deal_count(), 0);
  EXPECT_EQ(p.overdue_deal_count(), 0);

  request.clear_owner();
  request.set_kind(v1::DEAL_KIND_ONE_OFF_SALE);
  EXPECT_EQ(Pipeline(request).open_amount().amount_minor_units(), 123457);

  request.clear_kind();
  request.set_currency_code("USD");
  p = Pipeline(request);
  EXPECT_EQ(p.currency_code(), "USD");
  ExpectStage(p.stages(1), v1::DEAL_STAGE_PROPOSAL, 0.3, {1, 500000, 150000},
              "USD");
  EXPECT_EQ(p.open_deal_count(), 1);
  EXPECT_EQ(p.lost().amount().amount_minor_units(), 1000);
  EXPECT_EQ(p.other_currency_deal_count(), 7);  // the EUR ones
  EXPECT_EQ(p.overdue_deal_count(), 2);         // in any currency
}

TEST_F(DealPipelineTest, AQuarterWithoutDealsHasNoCurrencyButEveryRow) {
  const v1::Pipeline p = Pipeline(Quarter(2031, 4));
  EXPECT_EQ(p.currency_code(), "");
  EXPECT_FALSE(p.has_open_amount());
  EXPECT_FALSE(p.has_weighted_amount());
  ASSERT_EQ(p.stages_size(), 3);
  EXPECT_EQ(p.stages(2).stage(), v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_EQ(p.stages(2).deal_count(), 0);
  EXPECT_FALSE(p.stages(2).has_open_amount());
  ASSERT_EQ(p.months_size(), 3);
  EXPECT_EQ(p.months(2).month().month(), 12);
  // Every open deal expected before 2031 is overdue by then.
  EXPECT_EQ(p.overdue_deal_count(), 9);
}

TEST_F(DealPipelineTest, BadRequestsNameTheirField) {
  const auto fields = [&](const v1::GetPipelineRequest& request) {
    return FieldsOf(deals().GetPipeline(CallerOf(), request).status());
  };
  EXPECT_THAT(fields(Quarter(1969, 0)), ElementsAre("year", "quarter"));
  EXPECT_THAT(fields(Quarter(10000, 5)), ElementsAre("year", "quarter"));
  v1::GetPipelineRequest request = Quarter(2026, 1);
  request.set_owner(std::string(129, 'o'));
  request.set_kind(static_cast<v1::DealKind>(9));
  request.set_currency_code("eur");
  EXPECT_THAT(fields(request), ElementsAre("owner", "kind", "currency_code"));
  EXPECT_EQ(Pipeline(Quarter(1970, 1)).quarter(), 1);
  EXPECT_EQ(Pipeline(Quarter(9999, 4)).months(2).month().month(), 12);
}

TEST(BuildPipelineTest, SumsSaturateInsteadOfOverflowing) {
  PipelineInput input;
  input.year = 2026;
  input.quarter = 2;
  input.probabilities.set_negotiation(0.5);
  const int64_t half = std::numeric_limits<int64_t>::max() / 2 + 10;
  for (int i = 0; i < 2; ++i) {
    PipelineDeal deal;
    deal.stage = v1::DEAL_STAGE_NEGOTIATION;
    deal.expected_close_day = DayOf(Day(2026, 5, 1));
    deal.currency = "JPY";
    deal.amount_minor = half;
    input.deals.push_back(deal);
  }
  const v1::Pipeline p = BuildPipeline(input);
  EXPECT_EQ(p.currency_code(), "JPY");
  EXPECT_EQ(p.open_deal_count(), 2);
  EXPECT_EQ(p.open_amount().amount_minor_units(), kMaxAmountSum);
  EXPECT_EQ(p.months(1).open_amount().amount_minor_units(), kMaxAmountSum);
  // Each weighted half is exact: half x 0.5, rounded half up.
  EXPECT_EQ(p.weighted_amount().amount_minor_units(), 2 * ((half + 1) / 2));
}

TEST(BuildPipelineTest, TiesInTheCurrencyCountGoToTheFirstCode) {
  PipelineInput input;
  input.year = 2026;
  input.quarter = 1;
  for (const char* currency : {"USD", "EUR"}) {
    PipelineDeal deal;
    deal.stage = v1::DEAL_STAGE_QUALIFYING;
    deal.expected_close_day = DayOf(Day(2026, 1, 1));
    deal.currency = currency;
    deal.amount_minor = 100;
    input.deals.push_back(deal);
  }
  const v1::Pipeline p = BuildPipeline(input);
  EXPECT_EQ(p.currency_code(), "EUR");
  EXPECT_EQ(p.other_currency_deal_count(), 1);
}

}  // namespace
}  // namespace clientele::engagement

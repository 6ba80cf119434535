// The generator checked against its own math: what the Pareto/NBD and
// gamma-gamma models say a population drawn from them must look like, and
// what the conditional expressions (P(alive), expected purchases, P(buy
// again)) must add up to over it. Tolerances are four standard errors of the
// sum or mean compared, computed from the sample itself.
#include "bench/btyd_population.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::bench {
namespace {

using ::testing::HasSubstr;

std::vector<SimulatedCustomer> Generate(const PopulationOptions& options) {
  absl::StatusOr<std::vector<SimulatedCustomer>> population =
      GeneratePopulation(options);
  EXPECT_TRUE(population.ok()) << population.status();
  return population.ok() ? *std::move(population)
                         : std::vector<SimulatedCustomer>();
}

// Sums of Bernoulli or count outcomes against their expectations: the
// difference must be within four standard errors.
struct Tally {
  double observed = 0;
  double expected = 0;
  double variance = 0;
  void Add(double obs, double exp, double var) {
    observed += obs;
    expected += exp;
    variance += var;
  }
  void Check(const char* what) const {
    EXPECT_NEAR(observed, expected, 4 * std::sqrt(variance))
        << what << ": observed " << observed << ", expected " << expected;
  }
};

TEST(BtydPopulationTest, HistoriesFollowTheSimulatedLifetimes) {
  PopulationOptions options;
  options.customers = 5000;
  const double cut = options.calibration_weeks;
  const double end = cut + options.holdout_weeks;
  for (const SimulatedCustomer& c : Generate(options)) {
    ASSERT_FALSE(c.purchase_weeks.empty());
    EXPECT_EQ(c.purchase_weeks.front(), c.acquisition_week);
    EXPECT_GE(c.acquisition_week, 0);
    EXPECT_LT(c.acquisition_week, options.acquisition_weeks);
    EXPECT_TRUE(
        std::is_sorted(c.purchase_weeks.begin(), c.purchase_weeks.end()));
    EXPECT_LE(c.purchase_weeks.back(), cut);
    EXPECT_LT(c.purchase_weeks.back(), c.death_week);
    EXPECT_EQ(c.amounts.size(), c.purchase_weeks.size());
    EXPECT_EQ(c.alive_at_cut, c.death_week > cut);
    if (!c.alive_at_cut) {
      EXPECT_TRUE(c.holdout_purchase_weeks.empty());
      EXPECT_EQ(c.oracle_p_buy_again, 0);
    }
    for (const double week : c.holdout_purchase_weeks) {
      EXPECT_GT(week, cut);
      EXPECT_LE(week, end);
      EXPECT_LT(week, c.death_week);
    }
    EXPECT_TRUE(std::is_sorted(c.holdout_purchase_weeks.begin(),
                               c.holdout_purchase_weeks.end()));
    // P(buy again) is at most P(alive) and at most the expected count.
    EXPECT_LE(c.p_buy_again, c.p_alive + 1e-12);
    EXPECT_LE(c.p_buy_again, c.expected_holdout + 1e-12);
    EXPECT_GE(c.p_alive, 0);
    EXPECT_LE(c.p_alive, 1);
  }
}

// Dropout is independent of the purchase rate, so among those alive at the
// cut, repeat purchases are Poisson(lambda T), lambda ~ Gamma(r, alpha):
// mean r/alpha T, variance r/alpha T + r/alpha^2 T^2 (NBD).
TEST(BtydPopulationTest, PurchasesOfTheLivingAreNbd) {
  PopulationOptions options;
  const ParetoNbdParams& pn = options.purchases;
  Tally repeats;
  for (const SimulatedCustomer& c : Generate(options)) {
    if (!c.alive_at_cut) {
      continue;
    }
    const double big_t = options.calibration_weeks - c.acquisition_week;
    const double mean = pn.r / pn.alpha * big_t;
    repeats.Add(static_cast<double>(c.purchase_weeks.size() - 1), mean,
                mean + pn.r / (pn.alpha * pn.alpha) * big_t * big_t);
  }
  repeats.Check("repeat purchases of customers alive at the cut");
}

// P(alive after T) = E[exp(-mu T)] = (beta / (beta + T))^s.
TEST(BtydPopulationTest, SurvivalFollowsTheDropoutGamma) {
  PopulationOptions options;
  const ParetoNbdParams& pn = options.purchases;
  Tally alive;
  for (const SimulatedCustomer& c : Generate(options)) {
    const double big_t = options.calibration_weeks - c.acquisition_week;
    const double p = std::pow(pn.beta / (pn.beta + big_t), pn.s);
    alive.Add(c.alive_at_cut ? 1 : 0, p, p * (1 - p));
  }
  alive.Check("customers alive at the cut");
}

// The population is drawn from the very prior the conditional expressions
// assume, so they are calibrated: summed over customers, P(alive | history)
// is the number alive, and so on. Both branches of P(alive) (alpha below
// and above beta) are exercised.
void ExpectCalibrated(const PopulationOptions& options) {
  Tally alive;
  Tally buyers;
  Tally oracle_buyers;
  double residual = 0;
  double residual_squares = 0;
  for (const SimulatedCustomer& c : Generate(options)) {
    EXPECT_NEAR(c.p_alive,
                ParetoNbdPAlive(options.purchases,
                                Summarize(c, options.calibration_weeks)),
                1e-12);
    alive.Add(c.alive_at_cut ? 1 : 0, c.p_alive, c.p_alive * (1 - c.p_alive));
    const bool bought = !c.holdout_purchase_weeks.empty();
    buyers.Add(bought ? 1 : 0, c.p_buy_again,
               c.p_buy_again * (1 - c.p_buy_again));
    oracle_buyers.Add(bought ? 1 : 0, c.oracle_p_buy_again,
                      c.oracle_p_buy_again * (1 - c.oracle_p_buy_again));
    const double r = static_cast<double>(c.holdout_purchase_weeks.size()) -
                     c.expected_holdout;
    residual += r;
    residual_squares += r * r;
  }
  alive.Check("alive at the cut vs P(alive | history)");
  buyers.Check("buyers in the holdout vs P(buy again | history)");
  oracle_buyers.Check("buyers in the holdout vs P(buy again | rates)");
  EXPECT_LT(std::fabs(residual), 4 * std::sqrt(residual_squares))
      << "holdout purchases vs E[purchases | history]: off by " << residual;
}

TEST(BtydPopulationTest, ConditionalExpressionsAreCalibrated) {
  ExpectCalibrated(PopulationOptions());
}

TEST(BtydPopulationTest, ConditionalExpressionsAreCalibratedAlphaAboveBeta) {
  PopulationOptions options;
  options.purchases = {0.8, 14.0, 0.4, 6.0};
  options.acquisition_weeks = 12;
  options.calibration_weeks = 39;
  options.holdout_weeks = 39;
  ExpectCalibrated(options);
}

TEST(BtydPopulationTest, PAliveOfKnownHistories) {
  const ParetoNbdParams pn;
  // Just acquired: nothing observed against being alive.
  EXPECT_DOUBLE_EQ(ParetoNbdPAlive(pn, {0, 0, 0}), 1);
  // A last purchase at the end of the observed time says alive.
  EXPECT_DOUBLE_EQ(ParetoNbdPAlive(pn, {5, 30, 30}), 1);
  // Many early purchases, then a long silence: almost surely gone.
  EXPECT_LT(ParetoNbdPAlive(pn, {20, 5, 60}), 1e-6);
  // The longer the silence, the less alive.
  EXPECT_GT(ParetoNbdPAlive(pn, {3, 20, 30}), ParetoNbdPAlive(pn, {3, 10, 30}));
}

// Spend per purchase: Gamma(p, nu), nu ~ Gamma(q, gamma), so over
// customers' first purchases the mean is p gamma / (q - 1) and the second
// moment p (p + 1) gamma^2 / ((q - 1)(q - 2)).
TEST(BtydPopulationTest, SpendFollowsGammaGamma) {
  PopulationOptions options;
  const GammaGammaParams& gg = options.spend;
  const double mean = gg.p * gg.gamma / (gg.q - 1);
  const double second =
      gg.p * (gg.p + 1) * gg.gamma * gg.gamma / ((gg.q - 1) * (gg.q - 2));
  Tally spend;
  for (const SimulatedCustomer& c : Generate(options)) {
    EXPECT_GT(c.amounts.front(), 0);
    spend.Add(c.amounts.front(), mean, second - mean * mean);
  }
  spend.Check("first purchase amounts");
}

TEST(BtydPopulationTest, DeterministicAndStableAcrossOptions) {
  PopulationOptions options;
  options.customers = 300;
  const std::vector<SimulatedCustomer> a = Generate(options);
  const std::vector<SimulatedCustomer> b = Generate(options);
  options.customers = 200;
  options.holdout_weeks = 52;
  const std::vector<SimulatedCustomer> longer = Generate(options);
  options.seed += 1;
  const std::vector<SimulatedCustomer> other = Generate(options);
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].purchase_weeks, b[i].purchase_weeks);
    EXPECT_EQ(a[i].holdout_purchase_weeks, b[i].holdout_purchase_weeks);
    EXPECT_EQ(a[i].amounts, b[i].amounts);
    if (i < longer.size()) {
      // A smaller population with a longer holdout: the same histories, and
      // the same first holdout purchases.
      EXPECT_EQ(a[i].purchase_weeks, longer[i].purchase_weeks);
      EXPECT_EQ(a[i].amounts, longer[i].amounts);
      ASSERT_GE(longer[i].holdout_purchase_weeks.size(),
                a[i].holdout_purchase_weeks.size());
      EXPECT_TRUE(std::equal(a[i].holdout_purchase_weeks.begin(),
                             a[i].holdout_purchase_weeks.end(),
                             longer[i].holdout_purchase_weeks.begin()));
      differ += a[i].purchase_weeks != other[i].purchase_weeks ? 1 : 0;
    }
  }
  EXPECT_GT(differ, 150) << "another seed, another population";
}

TEST(BtydPopulationTest, RejectsBadOptionsNamingTheField) {
  PopulationOptions options;
  options.customers = 0;
  EXPECT_THAT(GeneratePopulation(options).status().message(),
              HasSubstr("customers"));
  options = PopulationOptions();
  options.purchases.s = 1;
  EXPECT_THAT(ValidatePopulationOptions(options).message(),
              HasSubstr("purchases.s"));
  options = PopulationOptions();
  options.acquisition_weeks = 60;
  EXPECT_EQ(ValidatePopulationOptions(options).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ValidatePopulationOptions(options).message(),
              HasSubstr("acquisition_weeks"));
  options = PopulationOptions();
  options.spend.q = 2;
  EXPECT_THAT(ValidatePopulationOptions(options).message(),
              HasSubstr("spend.q"));
  EXPECT_TRUE(ValidatePopulationOptions(PopulationOptions()).ok());
}

}  // namespace
}  // namespace clientele::bench

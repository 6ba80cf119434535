// A population of customers whose future is known, to measure the customer
// model against (bench/btyd_eval.cc, docs/performance.md): purchase histories
// drawn from a buy-till-you-die process, cut at a date, with the purchases
// after the cut kept apart, and what the true process says about each one.
//
// The process is Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in weeks:
// a customer makes a first purchase when acquired, then buys as a Poisson
// process of rate lambda while alive, and dies, unobserved, after an
// exponential lifetime of rate mu. Across customers lambda ~ Gamma(r, alpha)
// and mu ~ Gamma(s, beta) (shape, rate), independently. Each purchase's
// spend is gamma-gamma (Fader, Hardie & Lee 2005): Gamma(p, nu) with
// nu ~ Gamma(q, gamma) per customer, independent of the purchases.
//
// Pareto/NBD rather than BG/NBD: in BG/NBD a customer can drop out only
// right after a purchase, so one who never came back after the first
// purchase is alive forever, which makes one-time buyers look better than
// they are exactly where a shop's model is weakest. Here a lifetime runs in
// calendar time, whether the customer buys or not.
//
// Deterministic: the same options give the same population on any platform
// with IEEE doubles (std::mt19937_64 is specified by the standard; the
// gamma, normal and exponential draws are written here rather than taken
// from <random>, whose algorithms are not). Each customer has its own
// streams, seeded from (seed, index): a customer's history does not depend
// on the population size, and a longer holdout only adds purchases after
// the cut.
#ifndef CLIENTELE_BENCH_BTYD_POPULATION_H_
#define CLIENTELE_BENCH_BTYD_POPULATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clientele::bench {

// Defaults: the CDNOW fit (2,357 customers of an online music shop, as
// reported by Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
// Way", and in Fader & Hardie's Pareto/NBD note): 2.7 purchases a year on
// average while alive; half of the customers gone within 25 weeks of their
// first purchase, two thirds within a year.
struct ParetoNbdParams {
  double r = 0.55;
  double alpha = 10.58;  // weeks
  double s = 0.61;
  double beta = 11.67;  // weeks
};

// Defaults: the CDNOW fit (Fader, Hardie & Lee 2005, "RFM and CLV: Using
// Iso-Value Curves"), in US dollars: a mean purchase of p*gamma/(q-1) = 35.2.
struct GammaGammaParams {
  double p = 6.25;
  double q = 3.74;
  double gamma = 15.44;
};

struct PopulationOptions {
  int customers = 20000;
  ParetoNbdParams purchases;
  GammaGammaParams spend;
  // Weeks from the start of the calibration period. Customers are acquired
  // uniformly over [0, acquisition_weeks); the cut is at calibration_weeks;
  // the holdout period is (cut, cut + holdout_weeks].
  double acquisition_weeks = 52;
  double calibration_weeks = 52;
  double holdout_weeks = 26;
  uint64_t seed = 12;
};

// INVALID_ARGUMENT naming the first bad field ("purchases.r") unless: at
// least one customer (at most 10,000,000), every parameter positive and
// finite, purchases.s not 1 (the expected-purchases formula divides by
// s - 1), spend.q above 2 (a finite variance of spend), 0 <
// acquisition_weeks <= calibration_weeks, holdout_weeks > 0, all weeks at
// most 1,000.
absl::Status ValidatePopulationOptions(const PopulationOptions& options);

// What the Pareto/NBD model reads of a history: the repeat purchases x (the
// first purchase, at acquisition, is not one), the time of the last repeat
// purchase t_x (0 when x is 0) and the time observed T, both in weeks since
// acquisition.
struct HistorySummary {
  int x = 0;
  double t_x = 0;
  double big_t = 0;
};

struct SimulatedCustomer {
  // Drawn, never seen by a scorer.
  double lambda = 0;      // purchases a week while alive
  double mu = 0;          // dropout rate, a week
  double nu = 0;          // spend rate: p / nu is the mean purchase
  double death_week = 0;  // acquisition + lifetime
  // The history up to the cut, in weeks since the start of the calibration
  // period: purchase_weeks ascending, the first at acquisition_week, all
  // before the cut and the death; amounts[i] is purchase i's spend.
  double acquisition_week = 0;
  std::vector<double> purchase_weeks;
  std::vector<double> amounts;
  // After the cut: purchases in (cut, min(cut + holdout, death)), ascending.
  std::vector<double> holdout_purchase_weeks;
  bool alive_at_cut = false;  // death_week > the cut

  // The truth, for the ceilings. From the history and the true population
  // parameters (what the best model that sees only histories could know):
  double p_alive = 0;           // P(alive at the cut | history)
  double expected_holdout = 0;  // E[holdout purchases | history]
  double p_buy_again = 0;       // P(a purchase in the holdout | history)
  // From this customer's own lambda, mu and whether alive at the cut (what
  // no history shows; what is left is the Poisson process's own chance):
  double oracle_expected_holdout = 0;
  double oracle_p_buy_again = 0;
};

// `options.customers` customers; ValidatePopulationOptions's error when the
// options are bad.
absl::StatusOr<std::vector<SimulatedCustomer>> GeneratePopulation(
    const PopulationOptions& options);

// The customer's history as of `cut_week`.
HistorySummary Summarize(const SimulatedCustomer& customer, double cut_week);

// Pareto/NBD conditional expressions (Fader & Hardie 2005, "A Note on
// Deriving the Pareto/NBD Model and Related Expressions"), for a customer
// with `history` drawn from a population with `params` (valid as above).
// P(alive at the end of the observed time | history).
double ParetoNbdPAlive(const ParetoNbdParams& params,
                       const HistorySummary& history);
// E[purchases in the next `weeks` | history].
double ParetoNbdExpectedPurchases(const ParetoNbdParams& params,
                                  const HistorySummary& history, double weeks);
// P(at least one purchase in the next `weeks` | history): alive, the
// posterior rates are independent gammas, lambda ~ Gamma(r + x, alpha + T)
// and mu ~ Gamma(s, beta + T), and the chance of buying before dying within
// `weeks` is integrated over them numerically (to about 1e-6).
double ParetoNbdPBuyAgain(const ParetoNbdParams& params,
                          const HistorySummary& history, double weeks);

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_BTYD_POPULATION_H_

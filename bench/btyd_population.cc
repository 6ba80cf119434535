#include "bench/btyd_population.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace clientele::bench {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Draws from one stream of std::mt19937_64, whose output the standard
// specifies; the transformations are written here so that they are the same
// with every standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in (0, 1].
  double OpenClosed() {
    return static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53;
  }
  double Exponential(double rate) { return -std::log(OpenClosed()) / rate; }
  // Box-Muller; the second value is dropped to keep the stream simple.
  double Normal() {
    const double radius = std::sqrt(-2 * std::log(OpenClosed()));
    return radius * std::cos(2 * kPi * OpenClosed());
  }
  // Gamma(shape, rate): Marsaglia & Tsang (2000), boosted below shape 1.
  double Gamma(double shape, double rate) {
    if (shape < 1) {
      const double boosted = Gamma(shape + 1, rate);
      return boosted * std::pow(OpenClosed(), 1 / shape);
    }
    const double d = shape - 1.0 / 3;
    const double c = 1 / std::sqrt(9 * d);
    for (;;) {
      const double x = Normal();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      const double u = OpenClosed();
      if (u < 1 - 0.0331 * x * x * x * x ||
          std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) {
        return d * v / rate;
      }
    }
  }

 private:
  std::mt19937_64 engine_;
};

// SplitMix64's finalizer: independent-looking seeds for (seed, customer,
// stream).
uint64_t Mix(uint64_t seed, uint64_t customer, uint64_t stream) {
  uint64_t z = seed ^ (customer * 0x9E3779B97F4A7C15ULL) ^
               (stream * 0xD1B54A32D192ED03ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool Positive(double value) { return std::isfinite(value) && value > 0; }

absl::Status Bad(const char* field, const char* rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// Gauss's hypergeometric series 2F1(a, b; c; z) for a, b, c > 0 and
// 0 <= z < 1; its terms are positive and, past the largest, shrinking.
double Hypergeometric2F1(double a, double b, double c, double z) {
  double term = 1;
  double sum = 1;
  for (int k = 0; k < 1000000; ++k) {
    term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (term <= 1e-16 * sum) {
      break;
    }
  }
  return sum;
}

}  // namespace

absl::Status ValidatePopulationOptions(const PopulationOptions& options) {
  if (options.customers < 1 || options.customers > 10000000) {
    return Bad("customers", "must be 1 to 10,000,000");
  }
  const ParetoNbdParams& pn = options.purchases;
  if (!Positive(pn.r)) {
    return Bad("purchases.r", "must be positive");
  }
  if (!Positive(pn.alpha)) {
    return Bad("purchases.alpha", "must be positive");
  }
  if (!Positive(pn.s) || std::fabs(pn.s - 1) < 1e-9) {
    return Bad("purchases.s", "must be positive and not 1");
  }
  if (!Positive(pn.beta)) {
    return Bad("purchases.beta", "must be positive");
  }
  const GammaGammaParams& gg = options.spend;
  if (!Positive(gg.p)) {
    return Bad("spend.p", "must be positive");
  }
  if (!Positive(gg.q) || gg.q <= 2) {
    return Bad("spend.q", "must be above 2");
  }
  if (!Positive(gg.gamma)) {
    return Bad("spend.gamma", "must be positive");
  }
  if (!Positive(options.acquisition_weeks) ||
      options.acquisition_weeks > options.calibration_weeks) {
    return Bad("acquisition_weeks",
               "must be positive and at most calibration_weeks");
  }
  if (!Positive(options.calibration_weeks) ||
      options.calibration_weeks > 1000) {
    return Bad("calibration_weeks", "must be positive, at most 1,000");
  }
  if (!Positive(options.holdout_weeks) || options.holdout_weeks > 1000) {
    return Bad("holdout_weeks", "must be positive, at most 1,000");
  }
  return absl::OkStatus();
}

HistorySummary Summarize(const SimulatedCustomer& customer, double cut_week) {
  HistorySummary history;
  history.big_t = cut_week - customer.acquisition_week;
  // The first purchase is the acquisition; the rest are repeat purchases.
  for (size_t k = 1; k < customer.purchase_weeks.size(); ++k) {
    if (customer.purchase_weeks[k] <= cut_week) {
      history.x += 1;
      history.t_x = customer.purchase_weeks[k] - customer.acquisition_week;
    }
  }
  return history;
}

double ParetoNbdPAlive(const ParetoNbdParams& params,
                       const HistorySummary& history) {
  const double x = history.x;
  const double big_t = history.big_t;
  const double a = params.r + params.s + x;
  // P(alive) = 1 / (1 + s / (r + s + x) * (alpha + T)^(r + x) *
  // (beta + T)^s * A0), with A0 a difference of two 2F1 terms; the powers
  // are combined in logarithms, as they overflow for long histories.
  const double log_front = (params.r + x) * std::log(params.alpha + big_t) +
                           params.s * std::log(params.beta + big_t);
  double scaled_a0 = 0;
  if (params.alpha >= params.beta) {
    const double b = params.s + 1;
    const double at_tx = params.alpha + history.t_x;
    const double at_t = params.alpha + big_t;
    scaled_a0 =
        Hypergeometric2F1(a, b, a + 1, (params.alpha - params.beta) / at_tx) *
            std::exp(log_front - a * std::log(at_tx)) -
        Hypergeometric2F1(a, b, a + 1, (params.alpha - params.beta) / at_t) *
            std::exp(log_front - a * std::log(at_t));
  } else {
    const double b = params.r + x;
    const double at_tx = params.beta + history.t_x;
    const double at_t = params.beta + big_t;
    scaled_a0 =
        Hypergeometric2F1(a, b, a + 1, (params.beta - params.alpha) / at_tx) *
            std::exp(log_front - a * std::log(at_tx)) -
        Hypergeometric2F1(a, b, a + 1, (params.beta - params.alpha) / at_t) *
            std::exp(log_front - a * std::log(at_t));
  }
  return 1 / (1 + params.s / a * std::max(scaled_a0, 0.0));
}

double ParetoNbdExpectedPurchases(const ParetoNbdParams& params,
                                  const HistorySummary& history, double weeks) {
  // Alive: E[lambda] * E[min(remaining lifetime, weeks)] under the
  // posterior rates Gamma(r + x, alpha + T) and Gamma(s, beta + T).
  const double lambda_mean =
      (params.r + history.x) / (params.alpha + history.big_t);
  const double b2 = params.beta + history.big_t;
  const double lifetime =
      b2 / (params.s - 1) * (1 - std::pow(b2 / (b2 + weeks), params.s - 1));
  return ParetoNbdPAlive(params, history) * lambda_mean * lifetime;
}

double ParetoNbdPBuyAgain(const ParetoNbdParams& params,
                          const HistorySummary& history, double weeks) {
  // Alive, with rates lambda and mu, the chance of a purchase before dying
  // within `weeks` is the integral over u in [0, weeks] of
  // lambda e^(-(lambda + mu) u); averaged over the independent posterior
  // gammas it is the integral of (a1/b1) (b1/(b1+u))^(a1+1) (b2/(b2+u))^a2.
  // With v = 1 - (b1/(b1+u))^a1 the sharp first factor becomes dv, and
  // Simpson's rule integrates the smooth rest.
  const double a1 = params.r + history.x;
  const double b1 = params.alpha + history.big_t;
  const double a2 = params.s;
  const double b2 = params.beta + history.big_t;
  const double v_max = 1 - std::pow(b1 / (b1 + weeks), a1);
  const auto rest = [&](double v) {
    const double u = std::min(weeks, b1 * (std::pow(1 - v, -1 / a1) - 1));
    return std::pow(b2 / (b2 + u), a2);
  };
  constexpr int kIntervals = 128;
  const double h = v_max / kIntervals;
  double sum = rest(0) + rest(v_max);
  for (int i = 1; i < kIntervals; ++i) {
    sum += (i % 2 == 1 ? 4 : 2) * rest(i * h);
  }
  return ParetoNbdPAlive(params, history) * sum * h / 3;
}

absl::StatusOr<std::vector<SimulatedCustomer>> GeneratePopulation(
    const PopulationOptions& options) {
  if (absl::Status valid = ValidatePopulationOptions(options); !valid.ok()) {
    return valid;
  }
  const ParetoNbdParams& pn = options.purchases;
  const GammaGammaParams& gg = options.spend;
  const double cut = options.calibration_weeks;
  const double end = cut + options.holdout_weeks;
  std::vector<SimulatedCustomer> population(options.customers);
  for (int i = 0; i < options.customers; ++i) {
    SimulatedCustomer& c = population[i];
    Rng process(Mix(options.seed, i, 0));
    Rng spend(Mix(options.seed, i, 1));
    c.lambda = process.Gamma(pn.r, pn.alpha);
    c.mu = process.Gamma(pn.s, pn.beta);
    c.acquisition_week = options.acquisition_weeks * (1 - process.OpenClosed());
    c.death_week = c.acquisition_week + process.Exponential(c.mu);
    c.alive_at_cut = c.death_week > cut;
    const double stop = std::min(c.death_week, end);
    c.purchase_weeks.push_back(c.acquisition_week);
    for (double week = c.acquisition_week + process.Exponential(c.lambda);
         week < stop; week += process.Exponential(c.lambda)) {
      if (week <= cut) {
        c.purchase_weeks.push_back(week);
      } else {
        c.holdout_purchase_weeks.push_back(week);
      }
    }
    c.nu = spend.Gamma(gg.q, gg.gamma);
    c.amounts.reserve(c.purchase_weeks.size());
    for (size_t k = 0; k < c.purchase_weeks.size(); ++k) {
      c.amounts.push_back(spend.Gamma(gg.p, c.nu));
    }

    const HistorySummary history = Summarize(c, cut);
    c.p_alive = ParetoNbdPAlive(pn, history);
    c.expected_holdout =
        ParetoNbdExpectedPurchases(pn, history, options.holdout_weeks);
    c.p_buy_again = ParetoNbdPBuyAgain(pn, history, options.holdout_weeks);
    if (c.alive_at_cut) {
      const double t = options.holdout_weeks;
      c.oracle_expected_holdout = c.lambda / c.mu * -std::expm1(-c.mu * t);
      c.oracle_p_buy_again =
          c.lambda / (c.lambda + c.mu) * -std::expm1(-(c.lambda + c.mu) * t);
    }
  }
  return population;
}

}  // namespace clientele::bench

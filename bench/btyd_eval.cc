// btyd_eval: how well the relationship model's strength ranks customers by
// what they do next, on a synthetic population whose future is known
// (bench/btyd_population.h; docs/performance.md, "Customer model on a known
// buy-till-you-die population").
//
// Each customer's purchases up to the cut are recorded as a web shop would
// record them through the public API (PURCHASE interactions with an amount,
// on the account of a B2C individual of the STANDARD tier paying per
// purchase, with no account manager), scored at the cut with
// ComputeRelationshipScore under DefaultScoringPolicy(), and the ranking is
// compared with what each customer did in the holdout period after the cut,
// against plain recency and frequency and against the true process.
//
//   btyd_eval --customers=20000
//   btyd_eval --acquisition_weeks=12 --calibration_weeks=39
//       --holdout_weeks=39            (CDNOW's own design, one line)
//
// Prints tables, then one JSON line (the last line of stdout) with every
// figure; timings go to stderr.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/btyd_population.h"
#include "bench/rank_metrics.h"
#include "common/flags.h"
#include "common/proto_time.h"
#include "services/engagement/scoring/activity.h"
#include "services/engagement/scoring/scoring.h"
#include "services/engagement/scoring/scoring_policy.h"

ABSL_FLAG(int, customers, 20000, "Customers in the population.");
ABSL_FLAG(uint64_t, seed, 12, "Seed of the population.");
ABSL_FLAG(double, acquisition_weeks, 52,
          "Customers are acquired uniformly over this many weeks from the "
          "start of the calibration period.");
ABSL_FLAG(double, calibration_weeks, 52,
          "Weeks from the start to the cut, where scores are computed.");
ABSL_FLAG(double, holdout_weeks, 26,
          "Weeks after the cut whose purchases are the outcome.");
ABSL_FLAG(double, pnbd_r, 0.55, "Pareto/NBD r (purchase rate shape).");
ABSL_FLAG(double, pnbd_alpha, 10.58,
          "Pareto/NBD alpha (purchase rate scale, weeks).");
ABSL_FLAG(double, pnbd_s, 0.61, "Pareto/NBD s (dropout rate shape).");
ABSL_FLAG(double, pnbd_beta, 11.67,
          "Pareto/NBD beta (dropout rate scale, weeks).");
ABSL_FLAG(double, spend_p, 6.25, "Gamma-gamma p (spend shape).");
ABSL_FLAG(double, spend_q, 3.74, "Gamma-gamma q (shape of the spend rate).");
ABSL_FLAG(double, spend_gamma, 15.44,
          "Gamma-gamma gamma (scale of the spend rate, currency units).");

namespace clientele::bench {
namespace {

namespace v1 = engagement::v1;

constexpr double kSecondsPerWeek = 7 * 24 * 3600;
constexpr double kTopFraction = 0.1;  // the top decile

// The cut: a Monday, so that the week buckets before it are whole.
absl::Time CutTime() {
  return absl::FromCivil(absl::CivilSecond(2026, 6, 1, 0, 0, 0),
                         absl::UTCTimeZone());
}

// `week` (weeks since the start of the calibration period) as a time, for a
// cut at `cut_week`: never after the cut when `week` is not.
absl::Time TimeOfWeek(double week, double cut_week) {
  return CutTime() -
         absl::Seconds(std::llround((cut_week - week) * kSecondsPerWeek));
}

// The account and history a web shop would have recorded by the cut.
engagement::AccountState ShopAccount(int index,
                                     const SimulatedCustomer& customer,
                                     double cut_week) {
  engagement::AccountState state;
  state.account = absl::StrCat("accounts/btyd-", index);
  events::v1::AccountSnapshot& profile = state.profile;
  profile.set_name(state.account);
  profile.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  profile.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  profile.set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  profile.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  profile.set_owner("staff-shop");
  profile.mutable_commercial_terms()->set_model(
      type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE);
  profile.mutable_commercial_terms()->set_billing_cycle(
      type::v1::BILLING_CYCLE_PER_PURCHASE);
  const absl::CivilDay acquired = absl::ToCivilDay(
      TimeOfWeek(customer.acquisition_week, cut_week), absl::UTCTimeZone());
  profile.mutable_acquisition_date()->set_year(
      static_cast<int32_t>(acquired.year()));
  profile.mutable_acquisition_date()->set_month(acquired.month());
  profile.mutable_acquisition_date()->set_day(acquired.day());

  v1::Interaction purchase;
  purchase.set_account(state.account);
  purchase.set_contact(absl::StrCat("contacts/btyd-", index));
  purchase.set_kind(v1::INTERACTION_KIND_PURCHASE);
  purchase.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
  purchase.set_channel(v1::INTERACTION_CHANNEL_WEB);
  purchase.mutable_amount()->set_currency_code("USD");
  for (size_t k = 0; k < customer.purchase_weeks.size(); ++k) {
    SetTimestamp(TimeOfWeek(customer.purchase_weeks[k], cut_week),
                 purchase.mutable_occur_time());
    purchase.mutable_amount()->set_amount_minor_units(
        std::max<int64_t>(1, std::llround(customer.amounts[k] * 100)));
    engagement::AddToSummary(purchase, &state.activity);
  }
  return state;
}

// One way of ranking the customers: by a score for "buys again" (AUC, lift)
// and by one for "how many purchases" (Spearman, top share); the same score
// for all but the true process, whose best guess differs for the two.
struct Ranking {
  std::string key;    // in the JSON line
  std::string label;  // in the table
  std::vector<double> buys_again;
  std::vector<double> purchases;
};

// What happened, and what each ranking said, for every customer.
struct Evaluation {
  std::vector<Ranking> rankings;  // strength first
  std::vector<int> strength;
  std::vector<type::v1::ScoreBand> bands;
  std::vector<type::v1::RelationshipMode> modes;
  std::vector<bool> bought;     // a purchase in the holdout
  std::vector<double> holdout;  // purchases in the holdout
};

Evaluation Evaluate(const std::vector<SimulatedCustomer>& population,
                    double cut_week) {
  const v1::ScoringPolicy policy = engagement::DefaultScoringPolicy();
  Evaluation e;
  e.rankings = {
      {"strength", "strength (ComputeRelationshipScore)", {}, {}},
      {"recency", "recency (days since the last purchase)", {}, {}},
      {"frequency", "frequency (purchases before the cut)", {}, {}},
      {"pareto_nbd", "ceiling: Pareto/NBD with the true parameters", {}, {}},
      {"oracle", "oracle: true rates and alive at the cut", {}, {}}};
  for (size_t i = 0; i < population.size(); ++i) {
    const SimulatedCustomer& c = population[i];
    const v1::RelationshipScore score = engagement::ComputeRelationshipScore(
        ShopAccount(static_cast<int>(i), c, cut_week), policy, CutTime());
    e.strength.push_back(score.score());
    e.bands.push_back(score.band());
    e.modes.push_back(score.mode_assessment().inferred_mode());
    e.bought.push_back(!c.holdout_purchase_weeks.empty());
    e.holdout.push_back(static_cast<double>(c.holdout_purchase_weeks.size()));
    const double days = (cut_week - c.purchase_weeks.back()) * 7;
    const auto count = static_cast<double>(c.purchase_weeks.size());
    const double per_ranking[][2] = {
        {static_cast<double>(score.score()),
         static_cast<double>(score.score())},
        {-days, -days},
        {count, count},
        {c.p_buy_again, c.expected_holdout},
        {c.oracle_p_buy_again, c.oracle_expected_holdout}};
    for (size_t r = 0; r < e.rankings.size(); ++r) {
      e.rankings[r].buys_again.push_back(per_ranking[r][0]);
      e.rankings[r].purchases.push_back(per_ranking[r][1]);
    }
  }
  return e;
}

template <typename T>
std::vector<T> Select(const std::vector<T>& all,
                      const std::vector<size_t>& subset) {
  std::vector<T> out;
  out.reserve(subset.size());
  for (const size_t i : subset) {
    out.push_back(all[i]);
  }
  return out;
}

std::string Row(const std::vector<std::string>& cells,
                const std::vector<size_t>& widths) {
  std::string line = "|";
  for (size_t i = 0; i < cells.size(); ++i) {
    absl::StrAppend(&line, " ", cells[i],
                    std::string(widths[i] - cells[i].size(), ' '), " |");
  }
  return line;
}

// A Markdown table: the first row is the header.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::cout << Row(rows[0], widths) << "\n|";
  for (const size_t w : widths) {
    std::cout << std::string(w + 2, '-') << "|";
  }
  std::cout << "\n";
  for (size_t r = 1; r < rows.size(); ++r) {
    std::cout << Row(rows[r], widths) << "\n";
  }
  std::cout << "\n";
}

std::string Json(double value) {
  return std::isfinite(value) ? absl::StrFormat("%.4f", value) : "null";
}

std::string Percent(double part, double whole) {
  return whole > 0 ? absl::StrFormat("%.1f%%", 100 * part / whole) : "-";
}

// The four figures of every ranking over `subset`; appends them to `json`
// as <prefix><key>_<figure>.
void PrintRankings(const Evaluation& e, const std::vector<size_t>& subset,
                   const std::string& prefix, std::vector<std::string>* json) {
  const std::vector<bool> bought = Select(e.bought, subset);
  const std::vector<double> holdout = Select(e.holdout, subset);
  std::vector<std::vector<std::string>> rows = {
      {"ranking by", "AUC, buys again", "top-decile lift, buys again",
       "Spearman, holdout purchases", "top-decile share of holdout purchases"}};
  for (const Ranking& ranking : e.rankings) {
    const std::vector<double> buys_again = Select(ranking.buys_again, subset);
    const std::vector<double> purchases = Select(ranking.purchases, subset);
    const std::pair<const char*, double> figures[] = {
        {"auc", Auc(buys_again, bought)},
        {"top_decile_lift", TopLift(buys_again, bought, kTopFraction)},
        {"spearman", Spearman(purchases, holdout)},
        {"top_decile_share", TopShare(purchases, holdout, kTopFraction)}};
    std::vector<std::string> row = {ranking.label};
    for (const auto& [name, value] : figures) {
      // A lift reads as "2.76 times the base rate"; the rest are 0-1.
      row.push_back(std::string_view(name) == "top_decile_lift"
                        ? absl::StrFormat("%.2f", value)
                        : absl::StrFormat("%.3f", value));
      json->push_back(absl::StrCat("\"", prefix, ranking.key, "_", name,
                                   "\":", Json(value)));
    }
    rows.push_back(std::move(row));
  }
  PrintTable(rows);
}

// What each band holds: who bought again, who was still alive.
void PrintBands(const Evaluation& e,
                const std::vector<SimulatedCustomer>& population) {
  std::vector<std::vector<std::string>> rows = {
      {"band", "customers", "bought again", "holdout purchases a customer",
       "alive at the cut"}};
  for (const type::v1::ScoreBand band :
       {type::v1::SCORE_BAND_AT_RISK, type::v1::SCORE_BAND_NEEDS_ATTENTION,
        type::v1::SCORE_BAND_HEALTHY, type::v1::SCORE_BAND_STRONG}) {
    double customers = 0;
    double bought = 0;
    double purchases = 0;
    double alive = 0;
    for (size_t i = 0; i < population.size(); ++i) {
      if (e.bands[i] == band) {
        customers += 1;
        bought += e.bought[i] ? 1 : 0;
        purchases += e.holdout[i];
        alive += population[i].alive_at_cut ? 1 : 0;
      }
    }
    rows.push_back(
        {type::v1::ScoreBand_Name(band), absl::StrFormat("%.0f", customers),
         Percent(bought, customers),
         customers > 0 ? absl::StrFormat("%.2f", purchases / customers) : "-",
         Percent(alive, customers)});
  }
  PrintTable(rows);
}

// One-time against repeat buyers at the same recency: does strength put
// them in the order of what they then did (and of the true chance)?
void PrintRecencyByRepeat(const Evaluation& e,
                          const std::vector<SimulatedCustomer>& population,
                          double cut_week) {
  std::vector<std::vector<std::string>> rows = {
      {"last purchase", "purchases before the cut", "customers",
       "mean strength", "bought again", "true P(buys again)"}};
  const std::pair<double, double> windows[] = {
      {0, 4}, {4, 13}, {13, 26}, {26, 1e9}};
  for (const auto& [from, to] : windows) {
    for (const bool repeat : {false, true}) {
      double customers = 0;
      double strength = 0;
      double bought = 0;
      double p_buy = 0;
      for (size_t i = 0; i < population.size(); ++i) {
        const SimulatedCustomer& c = population[i];
        const double weeks = cut_week - c.purchase_weeks.back();
        if (weeks < from || weeks >= to ||
            (c.purchase_weeks.size() >= 2) != repeat) {
          continue;
        }
        customers += 1;
        strength += e.strength[i];
        bought += e.bought[i] ? 1 : 0;
        p_buy += c.p_buy_again;
      }
      if (customers == 0) {
        continue;
      }
      const double n = customers;
      rows.push_back({to > 1e8 ? absl::StrFormat("%g+ weeks ago", from)
                               : absl::StrFormat("%g-%g weeks ago", from, to),
                      repeat ? "2+" : "1", absl::StrFormat("%.0f", customers),
                      absl::StrFormat("%.1f", strength / n),
                      Percent(bought, customers), Percent(p_buy, customers)});
    }
  }
  PrintTable(rows);
}

int Run() {
  PopulationOptions options;
  options.customers = absl::GetFlag(FLAGS_customers);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.acquisition_weeks = absl::GetFlag(FLAGS_acquisition_weeks);
  options.calibration_weeks = absl::GetFlag(FLAGS_calibration_weeks);
  options.holdout_weeks = absl::GetFlag(FLAGS_holdout_weeks);
  options.purchases = {
      absl::GetFlag(FLAGS_pnbd_r), absl::GetFlag(FLAGS_pnbd_alpha),
      absl::GetFlag(FLAGS_pnbd_s), absl::GetFlag(FLAGS_pnbd_beta)};
  options.spend = {absl::GetFlag(FLAGS_spend_p), absl::GetFlag(FLAGS_spend_q),
                   absl::GetFlag(FLAGS_spend_gamma)};

  const absl::Time started = absl::Now();
  absl::StatusOr<std::vector<SimulatedCustomer>> generated =
      GeneratePopulation(options);
  if (!generated.ok()) {
    std::cerr << "btyd_eval: " << generated.status() << "\n";
    return 2;
  }
  const std::vector<SimulatedCustomer>& population = *generated;
  const absl::Time generated_at = absl::Now();
  const double cut_week = options.calibration_weeks;
  const Evaluation e = Evaluate(population, cut_week);
  const absl::Time scored_at = absl::Now();

  const auto n = static_cast<double>(population.size());
  double alive = 0;
  double expected_alive = 0;
  double buyers = 0;
  double expected_buyers = 0;
  double purchases = 0;
  std::vector<size_t> all;
  std::vector<size_t> repeat;  // 2+ purchases before the cut
  int modes[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < population.size(); ++i) {
    const SimulatedCustomer& c = population[i];
    alive += c.alive_at_cut ? 1 : 0;
    expected_alive += c.p_alive;
    buyers += e.bought[i] ? 1 : 0;
    expected_buyers += c.p_buy_again;
    purchases += e.holdout[i];
    all.push_back(i);
    if (c.purchase_weeks.size() >= 2) {
      repeat.push_back(i);
    }
    modes[std::clamp<int>(e.modes[i], 0, 3)] += 1;
  }

  const ParetoNbdParams& pn = options.purchases;
  const GammaGammaParams& gg = options.spend;
  std::cout << "Customer model (" << engagement::kModelVersion
            << ", default policy) on a known buy-till-you-die population\n";
  absl::PrintF(
      "Pareto/NBD r=%g alpha=%g s=%g beta=%g (weeks); gamma-gamma spend "
      "p=%g q=%g gamma=%g; seed %d\n",
      pn.r, pn.alpha, pn.s, pn.beta, gg.p, gg.q, gg.gamma, options.seed);
  absl::PrintF(
      "%d customers acquired over %g weeks, cut at week %g (%s), holdout %g "
      "weeks\n",
      options.customers, options.acquisition_weeks, cut_week,
      absl::FormatTime("%Y-%m-%d", CutTime(), absl::UTCTimeZone()),
      options.holdout_weeks);
  absl::PrintF(
      "alive at the cut %s (the true model expects %s); bought again in the "
      "holdout %s (expected %s); %.2f holdout purchases a customer; %d "
      "customers with 2+ purchases before the cut; inferred modes: %d "
      "customer, %d transitioning, %d client\n\n",
      Percent(alive, n), Percent(expected_alive, n), Percent(buyers, n),
      Percent(expected_buyers, n), purchases / n, repeat.size(),
      modes[type::v1::RELATIONSHIP_MODE_CUSTOMER],
      modes[type::v1::RELATIONSHIP_MODE_TRANSITIONING],
      modes[type::v1::RELATIONSHIP_MODE_CLIENT]);

  std::vector<std::string> json = {
      "\"benchmark\":\"btyd_eval\"",
      absl::StrCat("\"model_version\":\"", engagement::kModelVersion, "\""),
      absl::StrCat("\"customers\":", options.customers),
      absl::StrCat("\"seed\":", options.seed),
      absl::StrCat("\"acquisition_weeks\":", options.acquisition_weeks),
      absl::StrCat("\"calibration_weeks\":", options.calibration_weeks),
      absl::StrCat("\"holdout_weeks\":", options.holdout_weeks),
      absl::StrCat("\"alive_at_cut\":", Json(alive / n)),
      absl::StrCat("\"bought_again\":", Json(buyers / n)),
      absl::StrCat("\"holdout_purchases_per_customer\":", Json(purchases / n)),
      absl::StrCat("\"inferred_customer\":",
                   modes[type::v1::RELATIONSHIP_MODE_CUSTOMER]),
      absl::StrCat("\"inferred_transitioning\":",
                   modes[type::v1::RELATIONSHIP_MODE_TRANSITIONING]),
      absl::StrCat("\"inferred_client\":",
                   modes[type::v1::RELATIONSHIP_MODE_CLIENT])};
  std::cout << "All customers:\n";
  PrintRankings(e, all, "", &json);
  std::cout << "Customers with 2+ purchases before the cut:\n";
  PrintRankings(e, repeat, "repeat_", &json);
  std::cout << "By strength band:\n";
  PrintBands(e, population);
  std::cout << "One-time and repeat buyers by recency:\n";
  PrintRecencyByRepeat(e, population, cut_week);

  std::cout << "{" << absl::StrJoin(json, ",") << "}" << std::endl;
  std::cerr << absl::StrFormat(
      "btyd_eval: generated in %.2fs, scored in %.2fs, measured in %.2fs\n",
      absl::ToDoubleSeconds(generated_at - started),
      absl::ToDoubleSeconds(scored_at - generated_at),
      absl::ToDoubleSeconds(absl::Now() - scored_at));
  return 0;
}

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) {
  clientele::ParseFlagsWithEnv(
      argc, argv,
      "btyd_eval: how well the relationship score ranks customers of a "
      "known buy-till-you-die population by what they do after a cut date");
  return clientele::bench::Run();
}

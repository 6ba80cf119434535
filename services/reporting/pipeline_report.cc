#include "services/reporting/pipeline_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_stats.h"

namespace clientele::reporting {
namespace {

namespace ev1 = ::clientele::engagement::v1;

constexpr std::array<ev1::DealStage, 3> kOpenStages = {
    ev1::DEAL_STAGE_QUALIFYING, ev1::DEAL_STAGE_PROPOSAL,
    ev1::DEAL_STAGE_NEGOTIATION};
// engagement's default policy, for a stage no deal carries a probability of.
constexpr std::array<double, 3> kDefaultProbabilities = {0.1, 0.3, 0.6};

const absl::CivilDay kEpoch(1970, 1, 1);

enum class Place { kOpen, kWon, kLost };

// A deal of the accounts in scope counted in the quarter (open in it, won
// or lost in it), in any currency.
struct CountedDeal {
  std::string account;
  Place place = Place::kOpen;
  size_t stage = 0;  // index in kOpenStages (open deals)
  size_t month = 0;  // 0-2: the quarter's month it is expected in (open)
  std::string currency;
  int64_t amount = 0;
};

// The deals of a quarter as of as_of, before they are summed.
struct QuarterDeals {
  absl::CivilMonth first_month;
  std::string currency;  // the pipeline's; "" when none
  std::array<double, 3> probabilities = kDefaultProbabilities;
  std::vector<CountedDeal> deals;
  int64_t overdue = 0;
};

absl::StatusOr<absl::CivilMonth> FirstMonth(const PipelineOptions& options) {
  if (options.year < 1970 || options.year > 9999) {
    return InvalidFieldError("year", "must be 1970-9999");
  }
  if (options.quarter < 1 || options.quarter > 4) {
    return InvalidFieldError("quarter", "must be 1-4");
  }
  return absl::CivilMonth(options.year, 3 * options.quarter - 2);
}

// The request's currency, else the one most counted deals use (ties to the
// alphabetically first).
std::string PickCurrency(const std::string& requested,
                         const std::map<std::string, int64_t>& uses) {
  if (!requested.empty()) return requested;
  std::string currency;
  int64_t best = 0;
  for (const auto& [code, count] : uses) {
    if (count > best) {
      currency = code;
      best = count;
    }
  }
  return currency;
}

absl::StatusOr<QuarterDeals> LoadQuarter(sql::Transaction& txn,
                                         const ReportScope& scope,
                                         const PipelineOptions& options) {
  QuarterDeals out;
  ASSIGN_OR_RETURN(out.first_month, FirstMonth(options));
  const int64_t first_day = absl::CivilDay(out.first_month) - kEpoch;
  const int64_t last_day = absl::CivilDay(out.first_month + 3) - kEpoch - 1;

  for (size_t s = 0; s < kOpenStages.size(); ++s) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT probability FROM deal_versions WHERE tenant = ? "
                  "AND from_us <= ? AND ? < to_us AND stage = ? "
                  "ORDER BY from_us DESC, deal_id DESC LIMIT 1",
                  {scope.tenant, scope.as_of_us, scope.as_of_us,
                   static_cast<int64_t>(kOpenStages[s])}));
    if (!rows.empty()) out.probabilities[s] = rows[0].Double(0);
  }

  const SqlFragment accounts = ScopedAccounts(scope);
  std::vector<sql::Value> params = accounts.params;
  params.insert(params.end(), {scope.tenant, scope.as_of_us, scope.as_of_us,
                               last_day, first_day, last_day});
  std::string owner;
  if (!options.deal_owner.empty()) {
    owner = " AND d.owner = ?";
    params.emplace_back(options.deal_owner);
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          absl::StrCat(
              "SELECT d.account_id, d.stage, d.currency, d.amount_minor, "
              "d.expected_close_day, d.close_day FROM deal_versions d JOIN (",
              accounts.sql,
              ") AS a ON a.account_id = d.account_id WHERE d.tenant = ? "
              "AND d.from_us <= ? AND ? < d.to_us AND ((d.stage IN (",
              ev1::DEAL_STAGE_QUALIFYING, ", ", ev1::DEAL_STAGE_PROPOSAL, ", ",
              ev1::DEAL_STAGE_NEGOTIATION,
              ") AND d.expected_close_day <= ?) OR (d.stage IN (",
              ev1::DEAL_STAGE_WON, ", ", ev1::DEAL_STAGE_LOST,
              ") AND d.close_day >= ? AND d.close_day <= ?))", owner),
          params));
  std::map<std::string, int64_t> uses;
  for (const sql::Row& row : rows) {
    CountedDeal deal;
    deal.account = row.String(0);
    const int64_t stage = row.Int(1);
    deal.currency = row.String(2);
    deal.amount = row.Int(3);
    if (stage == ev1::DEAL_STAGE_WON || stage == ev1::DEAL_STAGE_LOST) {
      deal.place = stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost;
    } else {
      const int64_t expected = row.Int(4);
      if (expected < first_day) {
        ++out.overdue;
        continue;
      }
      deal.place = Place::kOpen;
      deal.stage = static_cast<size_t>(
          std::find(kOpenStages.begin(), kOpenStages.end(), stage) -
          kOpenStages.begin());
      deal.month = static_cast<size_t>(absl::CivilMonth(kEpoch + expected) -
                                       out.first_month);
    }
    ++uses[deal.currency];
    out.deals.push_back(std::move(deal));
  }
  out.currency = PickCurrency(scope.currency, uses);
  return out;
}

// Deals counted together: one deal (account by account), or those of the
// maintained cells of one stage, month and currency.
struct DealGroup {
  Place place = Place::kOpen;
  size_t stage = 0;  // index in kOpenStages (open deals)
  size_t month = 0;  // 0-2 (open deals)
  std::string currency;
  int64_t count = 0;
  int64_t amount = 0;
  int64_t weighted = 0;  // open deals: their weighted amounts, summed
};

// What the pipeline sums: the quarter's deals in groups.
struct QuarterSums {
  absl::CivilMonth first_month;
  std::string currency;
  std::array<double, 3> probabilities = kDefaultProbabilities;
  std::vector<DealGroup> groups;
  int64_t overdue = 0;
};

QuarterSums GroupDeals(const QuarterDeals& quarter) {
  QuarterSums out;
  out.first_month = quarter.first_month;
  out.currency = quarter.currency;
  out.probabilities = quarter.probabilities;
  out.overdue = quarter.overdue;
  out.groups.reserve(quarter.deals.size());
  for (const CountedDeal& deal : quarter.deals) {
    out.groups.push_back(
        {deal.place, deal.stage, deal.month, deal.currency, 1, deal.amount,
         deal.place == Place::kOpen
             ? WeightedAmountMinor(deal.amount,
                                   quarter.probabilities[deal.stage])
             : 0});
  }
  return out;
}

// The same groups from the maintained deal cells (FastPath, a cell filter,
// no owner): deal_cells weighs each deal at its stage's newest probability,
// which is the one LoadQuarter reads as of now.
absl::StatusOr<QuarterSums> LoadQuarterCells(sql::Transaction& txn,
                                             const ReportScope& scope,
                                             const PipelineOptions& options) {
  QuarterSums out;
  ASSIGN_OR_RETURN(out.first_month, FirstMonth(options));
  for (size_t s = 0; s < kOpenStages.size(); ++s) {
    ASSIGN_OR_RETURN(
        std::optional<double> probability,
        NewestStageProbability(txn, scope.tenant,
                               static_cast<int64_t>(kOpenStages[s])));
    if (probability) out.probabilities[s] = *probability;
  }
  const absl::CivilMonth epoch_month(1970, 1);
  const int64_t first = out.first_month - epoch_month;
  ASSIGN_OR_RETURN(std::vector<DealCellSum> sums,
                   DealCellSums(txn, scope, first, first + 2));
  std::map<std::string, int64_t> uses;
  for (DealCellSum& sum : sums) {
    DealGroup group;
    if (sum.stage == ev1::DEAL_STAGE_WON || sum.stage == ev1::DEAL_STAGE_LOST) {
      group.place =
          sum.stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost;
    } else if (sum.month < first) {
      out.overdue += sum.deals;
      continue;
    } else {
      group.stage = static_cast<size_t>(
          std::find(kOpenStages.begin(), kOpenStages.end(), sum.stage) -
          kOpenStages.begin());
      group.month = static_cast<size_t>(sum.month - first);
      group.weighted = sum.weighted_minor;
    }
    group.count = sum.deals;
    group.amount = sum.amount_minor;
    uses[sum.currency] += sum.deals;
    group.currency = std::move(sum.currency);
    out.groups.push_back(std::move(group));
  }
  out.currency = PickCurrency(scope.currency, uses);
  return out;
}

struct Sums {
  int64_t count = 0;
  int64_t amount = 0;
  int64_t weighted = 0;

  void Add(const DealGroup& group) {
    count += group.count;
    amount = SaturatingAdd(amount, group.amount);
    weighted = SaturatingAdd(weighted, group.weighted);
  }
  void Add(const Sums& other) {
    count += other.count;
    amount = SaturatingAdd(amount, other.amount);
    weighted = SaturatingAdd(weighted, other.weighted);
  }
};

// Sets the Money `mutable_money()` returns, unless there is no currency.
template <typename MutableMoney>
void SetMoney(const std::string& currency, int64_t amount,
              MutableMoney mutable_money) {
  if (currency.empty()) return;
  type::v1::Money* money = mutable_money();
  money->set_currency_code(currency);
  money->set_amount_minor_units(amount);
}

void FillStage(ev1::DealStage stage, double probability, const Sums& sums,
               const std::string& currency, ev1::PipelineStageTotal* out) {
  out->set_stage(stage);
  out->set_probability(probability);
  out->set_deal_count(Count32(sums.count));
  SetMoney(currency, sums.amount, [&] { return out->mutable_open_amount(); });
  SetMoney(currency, sums.weighted,
           [&] { return out->mutable_weighted_amount(); });
}

ev1::Pipeline Summarize(const QuarterSums& quarter,
                        const PipelineOptions& options) {
  const std::string& currency = quarter.currency;
  std::array<std::array<Sums, kOpenStages.size()>, 3> months;
  Sums won;
  Sums lost;
  int64_t other_currency = 0;
  for (const DealGroup& group : quarter.groups) {
    if (group.currency != currency) {
      other_currency += group.count;
    } else if (group.place == Place::kOpen) {
      months[group.month][group.stage].Add(group);
    } else {
      (group.place == Place::kWon ? won : lost).Add(group);
    }
  }
  ev1::Pipeline pipeline;
  pipeline.set_year(options.year);
  pipeline.set_quarter(options.quarter);
  pipeline.set_currency_code(currency);
  std::array<Sums, kOpenStages.size()> stages;
  Sums open;
  for (size_t m = 0; m < months.size(); ++m) {
    ev1::PipelineMonth* out = pipeline.add_months();
    const absl::CivilMonth month = quarter.first_month + static_cast<int>(m);
    out->mutable_month()->set_year(static_cast<int32_t>(month.year()));
    out->mutable_month()->set_month(month.month());
    Sums total;
    for (size_t s = 0; s < kOpenStages.size(); ++s) {
      FillStage(kOpenStages[s], quarter.probabilities[s], months[m][s],
                currency, out->add_stages());
      total.Add(months[m][s]);
      stages[s].Add(months[m][s]);
    }
    open.Add(total);
    out->set_deal_count(Count32(total.count));
    SetMoney(currency, total.amount,
             [&] { return out->mutable_open_amount(); });
    SetMoney(currency, total.weighted,
             [&] { return out->mutable_weighted_amount(); });
  }
  for (size_t s = 0; s < kOpenStages.size(); ++s) {
    FillStage(kOpenStages[s], quarter.probabilities[s], stages[s], currency,
              pipeline.add_stages());
  }
  pipeline.set_open_deal_count(Count32(open.count));
  SetMoney(currency, open.amount,
           [&] { return pipeline.mutable_open_amount(); });
  SetMoney(currency, open.weighted,
           [&] { return pipeline.mutable_weighted_amount(); });
  pipeline.mutable_won()->set_deal_count(Count32(won.count));
  SetMoney(currency, won.amount,
           [&] { return pipeline.mutable_won()->mutable_amount(); });
  pipeline.mutable_lost()->set_deal_count(Count32(lost.count));
  SetMoney(currency, lost.amount,
           [&] { return pipeline.mutable_lost()->mutable_amount(); });
  pipeline.set_overdue_deal_count(Count32(quarter.overdue));
  pipeline.set_other_currency_deal_count(Count32(other_currency));
  return pipeline;
}

}  // namespace

int64_t WeightedAmountMinor(int64_t amount_minor, double probability) {
  constexpr int64_t kMillion = 1000000;
  if (amount_minor <= 0 || !(probability > 0.0)) return 0;
  const int64_t millionths = std::llround(std::min(probability, 1.0) * 1e6);
  // amount = high * 10^6 + low: high * millionths <= amount and
  // low * millionths < 10^12, so nothing overflows.
  const int64_t high = amount_minor / kMillion;
  const int64_t low = amount_minor % kMillion;
  return high * millionths + (low * millionths + kMillion / 2) / kMillion;
}

absl::StatusOr<v1::PipelineReport> BuildPipelineReport(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options) {
  QuarterSums quarter;
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (fast && CellFilterOnly(scope.filter) && options.deal_owner.empty()) {
    ASSIGN_OR_RETURN(quarter, LoadQuarterCells(txn, scope, options));
  } else {
    ASSIGN_OR_RETURN(const QuarterDeals deals,
                     LoadQuarter(txn, scope, options));
    quarter = GroupDeals(deals);
  }
  v1::PipelineReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(),
                   MetadataWithoutInteractions(txn, scope));
  report.mutable_metadata()->set_currency_code(quarter.currency);
  *report.mutable_pipeline() = Summarize(quarter, options);
  return report;
}

absl::StatusOr<std::vector<std::string>> PipelineAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options, const v1::PipelineAggregate& aggregate) {
  const ev1::DealStage stage = aggregate.stage();
  if (!ev1::DealStage_IsValid(stage)) {
    return InvalidFieldError(
        "aggregate.pipeline.stage",
        absl::StrCat("unknown value ", static_cast<int>(stage)));
  }
  ASSIGN_OR_RETURN(const QuarterDeals quarter,
                   LoadQuarter(txn, scope, options));
  const bool closed =
      stage == ev1::DEAL_STAGE_WON || stage == ev1::DEAL_STAGE_LOST;
  std::optional<size_t> month;
  if (aggregate.has_month()) {
    const type::v1::Date& date = aggregate.month();
    if (closed) {
      return InvalidFieldError("aggregate.pipeline.month",
                               "won and lost deals have no close month");
    }
    const int64_t index =
        date.month() < 1 || date.month() > 12
            ? -1
            : absl::CivilMonth(date.year(), date.month()) - quarter.first_month;
    if (date.day() != 0 || index < 0 || index > 2) {
      return InvalidFieldError(
          "aggregate.pipeline.month",
          "must be a month of the quarter, with day unset");
    }
    month = static_cast<size_t>(index);
  }
  std::set<std::string> accounts;
  for (const CountedDeal& deal : quarter.deals) {
    if (deal.currency != quarter.currency) continue;
    bool counted = false;
    if (closed) {
      counted = deal.place ==
                (stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost);
    } else {
      counted = deal.place == Place::kOpen &&
                (stage == ev1::DEAL_STAGE_UNSPECIFIED ||
                 kOpenStages[deal.stage] == stage) &&
                (!month.has_value() || deal.month == *month);
    }
    if (counted) accounts.insert(deal.account);
  }
  return std::vector<std::string>(accounts.begin(), accounts.end());
}

}  // namespace clientele::reporting

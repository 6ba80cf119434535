#include "services/engagement/pipeline.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>

#include "common/money.h"
#include "services/engagement/deal_rules.h"

namespace clientele::engagement {
namespace {

constexpr std::array<v1::DealStage, 3> kOpenStages = {
    v1::DEAL_STAGE_QUALIFYING, v1::DEAL_STAGE_PROPOSAL,
    v1::DEAL_STAGE_NEGOTIATION};

enum class Place { kNone, kOpen, kWon, kLost };

// Where `deal` counts in the pipeline of `quarter` (see pipeline.h).
Place PlaceOf(const PipelineDeal& deal, const DayRange& quarter) {
  if (IsOpenStage(deal.stage)) {
    return deal.expected_close_day >= quarter.first &&
                   deal.expected_close_day <= quarter.last
               ? Place::kOpen
               : Place::kNone;
  }
  if (!deal.close_day.has_value() || *deal.close_day < quarter.first ||
      *deal.close_day > quarter.last) {
    return Place::kNone;
  }
  if (deal.stage == v1::DEAL_STAGE_WON) {
    return Place::kWon;
  }
  return deal.stage == v1::DEAL_STAGE_LOST ? Place::kLost : Place::kNone;
}

struct Sums {
  int64_t count = 0;
  int64_t amount = 0;
  int64_t weighted = 0;

  void Add(int64_t amount_minor, int64_t weighted_minor) {
    ++count;
    amount = SaturatingAdd(amount, amount_minor);
    weighted = SaturatingAdd(weighted, weighted_minor);
  }
};

int32_t Count32(int64_t count) {
  return static_cast<int32_t>(
      std::min<int64_t>(count, std::numeric_limits<int32_t>::max()));
}

// Sets the Money `mutable_money()` returns, unless the pipeline has no
// currency (then it stays unset).
template <typename MutableMoney>
void SetMoney(const std::string& currency, int64_t amount,
              MutableMoney mutable_money) {
  if (currency.empty()) {
    return;
  }
  type::v1::Money* money = mutable_money();
  money->set_currency_code(currency);
  money->set_amount_minor_units(amount);
}

// The currency most of the counted deals use; ties go to the first code.
std::string MostUsedCurrency(const PipelineInput& input,
                             const DayRange& quarter) {
  std::map<std::string, int64_t> uses;
  for (const PipelineDeal& deal : input.deals) {
    if (PlaceOf(deal, quarter) != Place::kNone) {
      ++uses[deal.currency];
    }
  }
  std::string best;
  int64_t best_uses = 0;
  for (const auto& [currency, count] : uses) {
    if (count > best_uses) {
      best = currency;
      best_uses = count;
    }
  }
  return best;
}

void FillStage(v1::DealStage stage, double probability, const Sums& sums,
               const std::string& currency, v1::PipelineStageTotal* out) {
  out->set_stage(stage);
  out->set_probability(probability);
  out->set_deal_count(Count32(sums.count));
  SetMoney(currency, sums.amount, [&] { return out->mutable_open_amount(); });
  SetMoney(currency, sums.weighted,
           [&] { return out->mutable_weighted_amount(); });
}

}  // namespace

v1::Pipeline BuildPipeline(const PipelineInput& input) {
  const DayRange quarter = QuarterDays(input.year, input.quarter);
  const absl::CivilMonth first_month(input.year, 3 * (input.quarter - 1) + 1);
  const std::string currency = input.currency.empty()
                                   ? MostUsedCurrency(input, quarter)
                                   : input.currency;

  std::array<Sums, kOpenStages.size()> stages;
  std::array<std::array<Sums, kOpenStages.size()>, 3> months;
  Sums open;
  Sums won;
  Sums lost;
  int64_t other_currency = 0;
  for (const PipelineDeal& deal : input.deals) {
    const Place place = PlaceOf(deal, quarter);
    if (place == Place::kNone) {
      continue;
    }
    if (deal.currency != currency) {
      ++other_currency;
      continue;
    }
    if (place == Place::kWon || place == Place::kLost) {
      (place == Place::kWon ? won : lost).Add(deal.amount_minor, 0);
      continue;
    }
    const size_t stage = static_cast<size_t>(
        std::find(kOpenStages.begin(), kOpenStages.end(), deal.stage) -
        kOpenStages.begin());
    const type::v1::Date expected = DateOfDay(deal.expected_close_day);
    const absl::CivilMonth month(expected.year(), expected.month());
    const auto month_index = static_cast<size_t>(month - first_month);
    const int64_t weighted = WeightedAmountMinor(
        deal.amount_minor, StageProbability(deal.stage, input.probabilities));
    stages[stage].Add(deal.amount_minor, weighted);
    months[month_index][stage].Add(deal.amount_minor, weighted);
    open.Add(deal.amount_minor, weighted);
  }

  v1::Pipeline pipeline;
  pipeline.set_year(input.year);
  pipeline.set_quarter(input.quarter);
  pipeline.set_currency_code(currency);
  for (size_t s = 0; s < kOpenStages.size(); ++s) {
    FillStage(kOpenStages[s],
              StageProbability(kOpenStages[s], input.probabilities), stages[s],
              currency, pipeline.add_stages());
  }
  for (size_t m = 0; m < months.size(); ++m) {
    v1::PipelineMonth* out = pipeline.add_months();
    const absl::CivilMonth month = first_month + static_cast<int64_t>(m);
    out->mutable_month()->set_year(static_cast<int32_t>(month.year()));
    out->mutable_month()->set_month(month.month());
    Sums total;
    for (size_t s = 0; s < kOpenStages.size(); ++s) {
      const Sums& sums = months[m][s];
      FillStage(kOpenStages[s],
                StageProbability(kOpenStages[s], input.probabilities), sums,
                currency, out->add_stages());
      total.count += sums.count;
      total.amount = SaturatingAdd(total.amount, sums.amount);
      total.weighted = SaturatingAdd(total.weighted, sums.weighted);
    }
    out->set_deal_count(Count32(total.count));
    SetMoney(currency, total.amount,
             [&] { return out->mutable_open_amount(); });
    SetMoney(currency, total.weighted,
             [&] { return out->mutable_weighted_amount(); });
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
  pipeline.set_overdue_deal_count(Count32(input.overdue_count));
  pipeline.set_other_currency_deal_count(Count32(other_currency));
  return pipeline;
}

}  // namespace clientele::engagement

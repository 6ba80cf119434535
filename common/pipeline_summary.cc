#include "common/pipeline_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/time/civil_time.h"
#include "common/money.h"

namespace clientele {
namespace {

namespace ev1 = engagement::v1;

struct Sums {
  int64_t count = 0;
  int64_t amount = 0;
  int64_t weighted = 0;

  void Add(int64_t add_count, int64_t add_amount, int64_t add_weighted) {
    count += add_count;
    amount = SaturatingAdd(amount, add_amount);
    weighted = SaturatingAdd(weighted, add_weighted);
  }
  void Add(const Sums& other) {
    Add(other.count, other.amount, other.weighted);
  }
};

int32_t Count32(int64_t count) {
  return static_cast<int32_t>(
      std::min<int64_t>(count, std::numeric_limits<int32_t>::max()));
}

// Sets the Money `mutable_money()` returns, unless there is no currency
// (then it stays unset).
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

}  // namespace

int64_t WeightedAmountMinor(int64_t amount_minor, double probability) {
  constexpr int64_t kMillion = 1000000;
  if (amount_minor <= 0 || !(probability > 0.0)) return 0;
  const int64_t millionths = std::llround(std::min(probability, 1.0) * 1e6);
  // amount = high * 10^6 + low: high * millionths <= high * 10^6 <= amount
  // and low * millionths < 10^12, so nothing overflows for any amount.
  const int64_t high = amount_minor / kMillion;
  const int64_t low = amount_minor % kMillion;
  return high * millionths + (low * millionths + kMillion / 2) / kMillion;
}

std::string MostUsedCurrency(const std::map<std::string, int64_t>& uses) {
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

ev1::Pipeline SummarizePipeline(const PipelineSums& sums) {
  const std::string& currency = sums.currency;
  constexpr size_t kStages = kPipelineOpenStages.size();
  std::array<std::array<Sums, kStages>, 3> months;
  Sums won;
  Sums lost;
  int64_t other_currency = 0;
  for (const PipelineGroup& group : sums.groups) {
    if (group.currency != currency) {
      other_currency += group.count;
    } else if (group.place == PipelineGroup::Place::kOpen) {
      months[group.month][group.stage].Add(group.count, group.amount,
                                           group.weighted);
    } else {
      (group.place == PipelineGroup::Place::kWon ? won : lost)
          .Add(group.count, group.amount, 0);
    }
  }
  ev1::Pipeline pipeline;
  pipeline.set_year(sums.year);
  pipeline.set_quarter(sums.quarter);
  pipeline.set_currency_code(currency);
  const absl::CivilMonth first_month(sums.year, 3 * sums.quarter - 2);
  std::array<Sums, kStages> stages;
  Sums open;
  for (size_t m = 0; m < months.size(); ++m) {
    ev1::PipelineMonth* out = pipeline.add_months();
    const absl::CivilMonth month = first_month + static_cast<int>(m);
    out->mutable_month()->set_year(static_cast<int32_t>(month.year()));
    out->mutable_month()->set_month(month.month());
    Sums total;
    for (size_t s = 0; s < kStages; ++s) {
      FillStage(kPipelineOpenStages[s], sums.probabilities[s], months[m][s],
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
  for (size_t s = 0; s < kStages; ++s) {
    FillStage(kPipelineOpenStages[s], sums.probabilities[s], stages[s],
              currency, pipeline.add_stages());
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
  pipeline.set_overdue_deal_count(Count32(sums.overdue));
  pipeline.set_other_currency_deal_count(Count32(other_currency));
  return pipeline;
}

}  // namespace clientele

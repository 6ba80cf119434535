#include "services/engagement/pipeline.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "common/pipeline_summary.h"
#include "services/engagement/deal_rules.h"

namespace clientele::engagement {
namespace {

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

}  // namespace

v1::Pipeline BuildPipeline(const PipelineInput& input) {
  const DayRange quarter = QuarterDays(input.year, input.quarter);
  const absl::CivilMonth first_month(input.year, 3 * (input.quarter - 1) + 1);
  PipelineSums sums;
  sums.year = input.year;
  sums.quarter = input.quarter;
  for (size_t s = 0; s < kPipelineOpenStages.size(); ++s) {
    sums.probabilities[s] =
        StageProbability(kPipelineOpenStages[s], input.probabilities);
  }
  sums.overdue = input.overdue_count;
  std::map<std::string, int64_t> uses;
  for (const PipelineDeal& deal : input.deals) {
    const Place place = PlaceOf(deal, quarter);
    if (place == Place::kNone) continue;
    ++uses[deal.currency];
    PipelineGroup group;
    group.currency = deal.currency;
    group.count = 1;
    group.amount = deal.amount_minor;
    if (place == Place::kWon || place == Place::kLost) {
      group.place = place == Place::kWon ? PipelineGroup::Place::kWon
                                         : PipelineGroup::Place::kLost;
    } else {
      group.stage =
          static_cast<size_t>(std::find(kPipelineOpenStages.begin(),
                                        kPipelineOpenStages.end(), deal.stage) -
                              kPipelineOpenStages.begin());
      const type::v1::Date expected = DateOfDay(deal.expected_close_day);
      const absl::CivilMonth month(expected.year(), expected.month());
      group.month = static_cast<size_t>(month - first_month);
      group.weighted = WeightedAmountMinor(deal.amount_minor,
                                           sums.probabilities[group.stage]);
    }
    sums.groups.push_back(std::move(group));
  }
  sums.currency =
      input.currency.empty() ? MostUsedCurrency(uses) : input.currency;
  return SummarizePipeline(sums);
}

}  // namespace clientele::engagement

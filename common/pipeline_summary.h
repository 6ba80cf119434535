// The sales pipeline of one quarter (engagement.v1.Pipeline), summed from
// the deals it counts: engagement's GetPipeline sums its deal rows,
// reporting's GetPipelineReport its versions as of a time or its maintained
// cells. Which deal counts where is the callers' (services/engagement/
// pipeline.h has the rules); this is the summing, so both answer alike.
#ifndef CLIENTELE_COMMON_PIPELINE_SUMMARY_H_
#define CLIENTELE_COMMON_PIPELINE_SUMMARY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clientele/engagement/v1/deal.pb.h"

namespace clientele {

// The open stages, in the order a pipeline lists them.
inline constexpr std::array<engagement::v1::DealStage, 3> kPipelineOpenStages =
    {engagement::v1::DEAL_STAGE_QUALIFYING, engagement::v1::DEAL_STAGE_PROPOSAL,
     engagement::v1::DEAL_STAGE_NEGOTIATION};

// A deal's amount x a probability, rounded half up to the minor unit,
// exactly in integers with the probability read to millionths (policies
// hold decimals such as 0.35; a seventh decimal is rounded away; 5 cents at
// 0.3 -> 2 cents); 0 for an amount or probability at or below 0, and a
// probability above 1 reads as 1.
int64_t WeightedAmountMinor(int64_t amount_minor, double probability);

// The currency with the most uses (ties: the alphabetically first); "" when
// there is none.
std::string MostUsedCurrency(const std::map<std::string, int64_t>& uses);

// Deals counted together: one deal, or the deals of one maintained cell.
struct PipelineGroup {
  enum class Place { kOpen, kWon, kLost };
  Place place = Place::kOpen;
  size_t stage = 0;  // open deals: index in kPipelineOpenStages
  size_t month = 0;  // open deals: 0-2, the quarter's month expected in
  std::string currency;
  int64_t count = 0;
  int64_t amount = 0;
  int64_t weighted = 0;  // open deals: their weighted amounts, summed
};

struct PipelineSums {
  int year = 0;
  int quarter = 0;  // 1-4
  // The pipeline's currency, already chosen; "" for none (counts only).
  std::string currency;
  // Of each open stage, in kPipelineOpenStages' order.
  std::array<double, 3> probabilities = {0, 0, 0};
  std::vector<PipelineGroup> groups;
  int64_t overdue = 0;
};

// Groups in another currency count in other_currency_deal_count only; every
// sum saturates (common/money.h); every open stage is listed, per month too.
engagement::v1::Pipeline SummarizePipeline(const PipelineSums& sums);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_PIPELINE_SUMMARY_H_

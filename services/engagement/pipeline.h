// The pipeline of one quarter (deal.proto Pipeline), computed from the rows
// the store selected. Pure: DealManager::GetPipeline reads the rows and the
// policy, this sums them.
//
// Which deal counts where:
//   - an open deal (QUALIFYING, PROPOSAL, NEGOTIATION) whose expected close
//     date falls in the quarter counts in its stage, in its expected close
//     month and in the totals;
//   - a WON or LOST deal whose close date falls in the quarter counts in
//     `won` or `lost` (whatever its expected close date was);
//   - an open deal expected before the quarter's first day counts in
//     overdue_deal_count only, in any currency;
//   - of the deals above the overdue ones, those in another currency than
//     the pipeline's are counted in other_currency_deal_count and summed
//     nowhere.
// The currency is the request's; without one, the currency most of the
// open-in-quarter and closed-in-quarter deals use (ties: the
// alphabetically first code). With no such deal and no requested currency
// the pipeline has no currency: currency_code is empty and its Money
// fields are unset; counts are still there.
//
// A deal's weighted amount is its amount x its stage's probability rounded
// to the minor unit (WeightedAmountMinor, common/pipeline_summary.h); every
// weighted sum is the sum of those rounded amounts, so a stage's figure
// equals the sum of the weighted_amount its deals show. Every sum saturates
// (common/money.h). The summing itself is SummarizePipeline, shared with
// reporting.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_PIPELINE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_PIPELINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "clientele/engagement/v1/deal.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "services/engagement/deal_store.h"

namespace clientele::engagement {

struct PipelineInput {
  int year = 0;
  int quarter = 0;  // 1-4
  // The requested currency; "" to choose the most used one.
  std::string currency;
  v1::DealStageProbabilities probabilities;
  // The deals of PipelineRows (any order; deals outside the quarter or in
  // no counted stage are ignored) and its overdue count.
  std::vector<PipelineDeal> deals;
  int64_t overdue_count = 0;
};

v1::Pipeline BuildPipeline(const PipelineInput& input);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_PIPELINE_H_

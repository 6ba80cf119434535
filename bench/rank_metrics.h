// How well a score ranks outcomes, for bench/btyd_eval.cc: concordance
// (AUC), rank correlation and top-fraction lift, each treating tied scores
// the way a random tie-break would on average (a score with few distinct
// values, like a 0-100 strength, is not flattered or penalized by the order
// its ties happen to be in).
#ifndef CLIENTELE_BENCH_RANK_METRICS_H_
#define CLIENTELE_BENCH_RANK_METRICS_H_

#include <vector>

namespace clientele::bench {

// Ranks 1..n of `values` in ascending order; tied values share the mean of
// the ranks they span.
std::vector<double> MidRanks(const std::vector<double>& values);

// The chance that a random positive scores above a random negative, a tie
// counting half (the Mann-Whitney U over positives x negatives). NaN when
// there are no positives or no negatives. `scores` and `positive` have the
// same size.
double Auc(const std::vector<double>& scores,
           const std::vector<bool>& positive);

// Spearman's rank correlation (the Pearson correlation of the mid-ranks).
// NaN when either side is constant. Same sizes.
double Spearman(const std::vector<double>& a, const std::vector<double>& b);

// The share of the total of `values` held by the top `fraction` (0-1] of
// scores: what a campaign aimed at that top would reach. The scores tied at
// the boundary are taken in proportion (the expectation of a random
// tie-break). NaN when the values sum to 0. Same sizes.
double TopShare(const std::vector<double>& scores,
                const std::vector<double>& values, double fraction);

// The share of positives among the top `fraction` (0-1] of scores, over the
// share among all (TopShare of the positives / fraction): 1 is no better
// than chance. NaN with no positives. Same sizes.
double TopLift(const std::vector<double>& scores,
               const std::vector<bool>& positive, double fraction);

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_RANK_METRICS_H_

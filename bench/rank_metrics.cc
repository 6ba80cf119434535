#include "bench/rank_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <vector>

namespace clientele::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Indices of `values`, ascending by value (stable, so deterministic).
std::vector<size_t> Ascending(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t i, size_t j) { return values[i] < values[j]; });
  return order;
}

}  // namespace

std::vector<double> MidRanks(const std::vector<double>& values) {
  const std::vector<size_t> order = Ascending(values);
  std::vector<double> ranks(values.size());
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) {
      ++end;
    }
    // Positions start..end-1 hold ranks start+1..end: their mean.
    const double rank = (static_cast<double>(start + 1 + end)) / 2;
    for (size_t k = start; k < end; ++k) {
      ranks[order[k]] = rank;
    }
    start = end;
  }
  return ranks;
}

double Auc(const std::vector<double>& scores,
           const std::vector<bool>& positive) {
  const std::vector<double> ranks = MidRanks(scores);
  double positives = 0;
  double rank_sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (positive[i]) {
      positives += 1;
      rank_sum += ranks[i];
    }
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) {
    return kNaN;
  }
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double Spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> ra = MidRanks(a);
  const std::vector<double> rb = MidRanks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n + 1) / 2;  // the mean of mid-ranks too
  double cov = 0;
  double var_a = 0;
  double var_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    var_a += (ra[i] - mean) * (ra[i] - mean);
    var_b += (rb[i] - mean) * (rb[i] - mean);
  }
  if (var_a <= 0 || var_b <= 0) {
    return kNaN;
  }
  return cov / std::sqrt(var_a * var_b);
}

double TopShare(const std::vector<double>& scores,
                const std::vector<double>& values, double fraction) {
  const double total = std::accumulate(values.begin(), values.end(), 0.0);
  if (total == 0) {
    return kNaN;
  }
  const double take =
      std::clamp(fraction, 0.0, 1.0) * static_cast<double>(scores.size());
  const std::vector<size_t> order = Ascending(scores);
  // From the highest score down, whole groups of ties while they fit, then
  // the straddling group in proportion.
  double taken = 0;
  double taken_value = 0;
  size_t end = order.size();
  while (end > 0 && taken < take) {
    size_t start = end - 1;
    while (start > 0 && scores[order[start - 1]] == scores[order[end - 1]]) {
      --start;
    }
    double group_value = 0;
    for (size_t k = start; k < end; ++k) {
      group_value += values[order[k]];
    }
    const double group = static_cast<double>(end - start);
    const double share = std::min(1.0, (take - taken) / group);
    taken += share * group;
    taken_value += share * group_value;
    end = start;
  }
  return taken_value / total;
}

double TopLift(const std::vector<double>& scores,
               const std::vector<bool>& positive, double fraction) {
  std::vector<double> values(positive.size());
  for (size_t i = 0; i < positive.size(); ++i) {
    values[i] = positive[i] ? 1 : 0;
  }
  if (fraction <= 0) {
    return kNaN;
  }
  return TopShare(scores, values, fraction) / std::min(fraction, 1.0);
}

}  // namespace clientele::bench

#include "bench/rank_metrics.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::bench {
namespace {

using ::testing::ElementsAre;

TEST(RankMetricsTest, TiesShareTheirMeanRank) {
  EXPECT_THAT(MidRanks({10, 30, 20, 30, 30}), ElementsAre(1, 4, 2, 4, 4));
  EXPECT_THAT(MidRanks({}), ElementsAre());
}

TEST(RankMetricsTest, AucCountsTiesAsHalf) {
  const std::vector<bool> labels = {false, false, true, true};
  EXPECT_DOUBLE_EQ(Auc({1, 2, 3, 4}, labels), 1);
  EXPECT_DOUBLE_EQ(Auc({4, 3, 2, 1}, labels), 0);
  EXPECT_DOUBLE_EQ(Auc({5, 5, 5, 5}, labels), 0.5);
  // Pairs (negative, positive): (1,3) (1,2) (2,3) (2,2): 1 + 1 + 1 + 0.5.
  EXPECT_DOUBLE_EQ(Auc({1, 2, 3, 2}, labels), 3.5 / 4);
  EXPECT_TRUE(std::isnan(Auc({1, 2}, {true, true})));
}

TEST(RankMetricsTest, SpearmanOnRanks) {
  EXPECT_DOUBLE_EQ(Spearman({1, 2, 3, 4}, {10, 100, 1000, 10000}), 1);
  EXPECT_DOUBLE_EQ(Spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1);
  EXPECT_TRUE(std::isnan(Spearman({1, 1, 1}, {1, 2, 3})));
}

TEST(RankMetricsTest, TopLiftTakesBoundaryTiesInProportion) {
  // Ten customers, two buyers (base rate 0.2).
  std::vector<bool> labels(10, false);
  labels[9] = true;
  labels[8] = true;
  std::vector<double> scores = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  // The top 10% is customer 9, a buyer: 1.0 / 0.2.
  EXPECT_DOUBLE_EQ(TopLift(scores, labels, 0.1), 5);
  // The top 20% is both buyers.
  EXPECT_DOUBLE_EQ(TopLift(scores, labels, 0.2), 5);
  // Every score tied: no better than chance, whatever the order.
  EXPECT_DOUBLE_EQ(TopLift(std::vector<double>(10, 1), labels, 0.1), 1);
  // The top score shared by a buyer and a non-buyer: half a buyer expected
  // in the top one.
  scores[0] = 9;
  EXPECT_DOUBLE_EQ(TopLift(scores, labels, 0.1), 2.5);
  EXPECT_TRUE(std::isnan(TopLift(scores, std::vector<bool>(10), 0.1)));
}

TEST(RankMetricsTest, TopShareOfValues) {
  const std::vector<double> scores = {1, 2, 3, 4};
  const std::vector<double> purchases = {0, 1, 3, 6};
  EXPECT_DOUBLE_EQ(TopShare(scores, purchases, 0.25), 0.6);
  EXPECT_DOUBLE_EQ(TopShare(scores, purchases, 0.5), 0.9);
  EXPECT_DOUBLE_EQ(TopShare(scores, purchases, 1), 1);
  // The top two tied: half of each in the top one.
  EXPECT_DOUBLE_EQ(TopShare({1, 2, 4, 4}, purchases, 0.25), 0.45);
  EXPECT_TRUE(std::isnan(TopShare(scores, {0, 0, 0, 0}, 0.25)));
}

}  // namespace
}  // namespace clientele::bench

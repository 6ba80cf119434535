#include "common/money.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace clientele {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

TEST(MoneyTest, KnowsCurrencies) {
  EXPECT_TRUE(IsKnownCurrency("EUR"));
  EXPECT_TRUE(IsKnownCurrency("JPY"));
  EXPECT_FALSE(IsKnownCurrency("eur"));
  EXPECT_FALSE(IsKnownCurrency("EURO"));
  EXPECT_FALSE(IsKnownCurrency("QQQ"));
}

TEST(MoneyTest, AmountsAreBoundedEitherWay) {
  EXPECT_TRUE(IsAmountInRange(0));
  EXPECT_TRUE(IsAmountInRange(kMaxAmountMinorUnits));
  EXPECT_TRUE(IsAmountInRange(-kMaxAmountMinorUnits));
  EXPECT_FALSE(IsAmountInRange(kMaxAmountMinorUnits + 1));
  EXPECT_FALSE(IsAmountInRange(-kMaxAmountMinorUnits - 1));
  EXPECT_FALSE(IsAmountInRange(kInt64Max));
  EXPECT_FALSE(IsAmountInRange(kInt64Min));
}

TEST(MoneyTest, SaturatingAddNeverOverflows) {
  EXPECT_EQ(SaturatingAdd(2, 3), 5);
  EXPECT_EQ(SaturatingAdd(-2, -3), -5);
  EXPECT_EQ(SaturatingAdd(kInt64Max, 1), kMaxAmountSum);
  EXPECT_EQ(SaturatingAdd(kInt64Max - 1, kInt64Max - 1), kMaxAmountSum);
  EXPECT_EQ(SaturatingAdd(kInt64Min, -1), -kMaxAmountSum);
  // The bound is symmetric: INT64_MIN itself is never a sum.
  EXPECT_EQ(SaturatingAdd(-kMaxAmountSum, -1), -kMaxAmountSum);
  EXPECT_EQ(SaturatingAdd(kInt64Min, 0), -kMaxAmountSum);
  // A saturated total comes back down with refunds.
  EXPECT_EQ(SaturatingAdd(kMaxAmountSum, -kMaxAmountMinorUnits),
            kMaxAmountSum - kMaxAmountMinorUnits);
  // Any number of maximal amounts, one at a time.
  int64_t total = 0;
  for (int i = 0; i < 20000; ++i) {
    total = SaturatingAdd(total, kMaxAmountMinorUnits);
  }
  EXPECT_EQ(total, kMaxAmountSum);
}

}  // namespace
}  // namespace clientele

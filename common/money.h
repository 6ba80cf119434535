// Money checks and arithmetic shared by every service that takes amounts.
#ifndef CLIENTELE_COMMON_MONEY_H_
#define CLIENTELE_COMMON_MONEY_H_

#include <cstdint>
#include <limits>

#include "absl/strings/string_view.h"

namespace clientele {

// A current or historic ISO 4217 code in upper case ("EUR"), as ICU knows
// them.
bool IsKnownCurrency(absl::string_view code);

// The largest magnitude, in minor units, of any amount a client sends
// (type.v1.Money.amount_minor_units, either sign): 10^15, i.e. 10 trillion
// in a currency with two decimals or a quadrillion yen, far above any one
// real transaction. Bounding each amount keeps sums of a request exact (a
// batch of 5,000 maximal amounts is 5 * 10^18, inside int64); sums across an
// account's whole history still need SaturatingAdd.
inline constexpr int64_t kMaxAmountMinorUnits = 1'000'000'000'000'000;

// What a violation says about an amount out of range.
inline constexpr absl::string_view kAmountRangeDescription =
    "at most 1,000,000,000,000,000 minor units either way (10 trillion in a "
    "currency with two decimals)";

// Whether -kMaxAmountMinorUnits <= minor_units <= kMaxAmountMinorUnits.
constexpr bool IsAmountInRange(int64_t minor_units) {
  return minor_units >= -kMaxAmountMinorUnits &&
         minor_units <= kMaxAmountMinorUnits;
}

// The bound of every saturated sum: symmetric, so that a sum can always be
// negated (and passed to std::llabs) without overflow.
inline constexpr int64_t kMaxAmountSum = std::numeric_limits<int64_t>::max();

// a + b, clamped to [-kMaxAmountSum, kMaxAmountSum] instead of overflowing.
// Every sum of amounts (a week's bucket, a window, an account's whole
// history) adds with this: an account can record any number of maximal
// amounts, and a saturated total reads as "more than 92 quadrillion minor
// units", which the model treats as it treats any very large spend.
constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return a < 0 ? -kMaxAmountSum : kMaxAmountSum;
  }
  if (sum < -kMaxAmountSum) return -kMaxAmountSum;  // only INT64_MIN
  return sum;
}

}  // namespace clientele

#endif  // CLIENTELE_COMMON_MONEY_H_

#include "common/sql/database.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <variant>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace clientele::sql {
namespace {

// Converts a double to int64_t the way a C cast would, without the undefined
// behaviour a cast has for values that do not fit.
int64_t SaturatingInt(double d) {
  if (std::isnan(d)) return 0;
  // 2^63 is exactly representable; every double below it fits in int64_t.
  constexpr double kLimit = 9223372036854775808.0;
  if (d >= kLimit) return std::numeric_limits<int64_t>::max();
  if (d < -kLimit) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

}  // namespace

bool Row::IsNull(size_t column) const {
  return std::holds_alternative<std::monostate>(values_.at(column));
}

int64_t Row::Int(size_t column) const {
  return std::visit(
      [](const auto& v) -> int64_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>) {
          return v;
        } else if constexpr (std::is_same_v<T, double>) {
          return SaturatingInt(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          int64_t parsed = 0;
          return absl::SimpleAtoi(v, &parsed) ? parsed : 0;
        } else {  // NULL or blob
          return 0;
        }
      },
      values_.at(column));
}

double Row::Double(size_t column) const {
  return std::visit(
      [](const auto& v) -> double {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) {
          return v;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return static_cast<double>(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          double parsed = 0;
          return absl::SimpleAtod(v, &parsed) ? parsed : 0.0;
        } else {  // NULL or blob
          return 0.0;
        }
      },
      values_.at(column));
}

std::string Row::String(size_t column) const {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, Blob>) {
          return v.bytes;
        } else if constexpr (std::is_same_v<T, int64_t> ||
                             std::is_same_v<T, double>) {
          return absl::StrCat(v);
        } else {  // NULL
          return std::string();
        }
      },
      values_.at(column));
}

}  // namespace clientele::sql

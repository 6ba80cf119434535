#include "common/money.h"

#include <algorithm>

#include "unicode/ucurr.h"

namespace clientele {

bool IsKnownCurrency(absl::string_view code) {
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) {
        return c >= 'A' && c <= 'Z';
      })) {
    return false;
  }
  UChar iso[4] = {static_cast<UChar>(code[0]), static_cast<UChar>(code[1]),
                  static_cast<UChar>(code[2]), 0};
  UErrorCode error = U_ZERO_ERROR;
  // Any time: historic codes are still codes, and ICU knows every one.
  const UBool known = ucurr_isAvailable(iso, U_DATE_MIN, U_DATE_MAX, &error);
  return U_SUCCESS(error) && known;
}

}  // namespace clientele

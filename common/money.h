// Money checks shared by every service that takes amounts.
#ifndef CLIENTELE_COMMON_MONEY_H_
#define CLIENTELE_COMMON_MONEY_H_

#include "absl/strings/string_view.h"

namespace clientele {

// A current or historic ISO 4217 code in upper case ("EUR"), as ICU knows
// them.
bool IsKnownCurrency(absl::string_view code);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_MONEY_H_

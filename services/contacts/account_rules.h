// What makes an account valid, and its normal form. Shared by create, update
// (checked on the result of applying the mask), merge and import templates.
#ifndef CLIENTELE_SERVICES_CONTACTS_ACCOUNT_RULES_H_
#define CLIENTELE_SERVICES_CONTACTS_ACCOUNT_RULES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/contacts/v1/account.pb.h"
#include "common/errors.h"

namespace clientele::contacts {

inline constexpr int kMaxDisplayNameChars = 200;
inline constexpr int kMaxStaffIdChars = 128;
inline constexpr int kMaxTags = 32;
inline constexpr int kMaxTagChars = 64;
inline constexpr int kMaxDeclaredNeeds = 20;
inline constexpr int kMaxDeclaredNeedChars = 64;
inline constexpr int kMaxGreetingDates = 20;
inline constexpr int kMaxGreetingLabelChars = 100;

// Paths UpdateAccount's update_mask and MergeAccounts' take_from_merged may
// name, and the output-only ones.
absl::Span<const absl::string_view> AccountUpdatablePaths();
absl::Span<const absl::string_view> AccountOutputOnlyPaths();

// Checks every client-settable field of `account`, adding a violation per bad
// field under `prefix` ("account." -> "account.commercial_terms.model"), and
// normalizes it in place: text trimmed and NFC, tags and declared needs
// lower-cased and deduplicated. `now` bounds dates that may not be in the
// future. Output-only fields are not looked at.
void CheckAccount(v1::Account* account, absl::string_view prefix,
                  absl::Time now, FieldViolations* violations);

// The same checks for an import's individual_account_template, whose
// display_name and kind are not used.
void CheckAccountTemplate(v1::Account* account, absl::string_view prefix,
                          absl::Time now, FieldViolations* violations);

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_ACCOUNT_RULES_H_

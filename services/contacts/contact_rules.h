// What makes a contact valid, its normal form, and the keys it is found by
// (normalized emails for uniqueness, phones, search terms).
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACT_RULES_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACT_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/contacts/v1/contact.pb.h"
#include "common/errors.h"

namespace clientele::contacts {

inline constexpr int kMaxPersonNameChars = 100;
inline constexpr int kMaxContactDisplayNameChars = 200;
inline constexpr int kMaxJobTitleChars = 100;
inline constexpr int kMaxEmails = 10;
inline constexpr int kMaxPhones = 10;
inline constexpr int kMaxEmailChars = 254;
inline constexpr int kMaxConsentSourceChars = 200;

// Paths UpdateContact's update_mask may name, and the output-only ones.
absl::Span<const absl::string_view> ContactUpdatablePaths();
absl::Span<const absl::string_view> ContactOutputOnlyPaths();
// Paths MergeContacts' take_from_merged may name (emails, phones and roles
// are always united; the survivor keeps its account).
absl::Span<const absl::string_view> ContactMergeablePaths();

// Checks every client-settable field of `contact`, adding a violation per bad
// field under `prefix` ("contact." or "" for import rows), and normalizes it:
// names trimmed and NFC, phones in E.164, display_name built from the names
// when empty. `account` is checked for syntax only (and required when
// `require_account`); whether it exists is the caller's business.
void CheckContact(v1::Contact* contact, absl::string_view prefix,
                  absl::Time now, bool require_account,
                  FieldViolations* violations);

// What a contact is indexed by. Only for contacts that passed CheckContact.
struct ContactKeys {
  std::vector<std::string> email_keys;  // NormalizeEmail of each address
  std::vector<std::string> phones;      // E.164
  std::vector<std::string> terms;       // SearchTerms of its names, unique
  std::string name_key;                 // SearchKey of "given family"
  int64_t role_bits = 0;                // bit (1 << role) per role
};
ContactKeys KeysOf(const v1::Contact& contact);

// SearchKey of "given family" (of display when both are empty): what
// similar-name duplicate detection compares.
std::string NameKey(absl::string_view given, absl::string_view family,
                    absl::string_view display);

// The role's bit in ContactKeys::role_bits.
inline int64_t RoleBit(int role) { return int64_t{1} << role; }

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACT_RULES_H_

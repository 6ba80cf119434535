// Resource names and types of the contacts service.
#ifndef CLIENTELE_SERVICES_CONTACTS_NAMES_H_
#define CLIENTELE_SERVICES_CONTACTS_NAMES_H_

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/validation.h"

namespace clientele::contacts {

inline constexpr absl::string_view kAccounts = "accounts";
inline constexpr absl::string_view kContacts = "contacts";
inline constexpr absl::string_view kMergeRecords = "mergeRecords";

// google.rpc.ResourceInfo.resource_type of each resource.
inline constexpr absl::string_view kAccountType =
    "clientele.contacts.v1.Account";
inline constexpr absl::string_view kContactType =
    "clientele.contacts.v1.Contact";

inline std::string AccountName(absl::string_view id) {
  return absl::StrCat(kAccounts, "/", id);
}
inline std::string ContactName(absl::string_view id) {
  return absl::StrCat(kContacts, "/", id);
}
inline std::string MergeRecordName(absl::string_view id) {
  return absl::StrCat(kMergeRecords, "/", id);
}

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_NAMES_H_

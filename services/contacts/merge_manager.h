// Merging duplicates: two accounts (contacts move to the survivor) or two
// contacts (emails, phones and roles united). The merged-away name keeps
// resolving to the survivor, a MergeRecord keeps the audit trail, and
// AccountsMerged / ContactsMerged tell the other services to re-point.
#ifndef CLIENTELE_SERVICES_CONTACTS_MERGE_MANAGER_H_
#define CLIENTELE_SERVICES_CONTACTS_MERGE_MANAGER_H_

#include "absl/status/statusor.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/caller.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

class MergeManager {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  explicit MergeManager(const ContactsDeps& deps) : deps_(deps) {}

  // INVALID_ARGUMENT for malformed names, survivor == merged (also through
  // aliases) or bad take_from_merged paths; NOT_FOUND for a missing side;
  // ABORTED for a stale survivor_etag; FAILED_PRECONDITION when the united
  // tags or greeting dates exceed their limits. Idempotent with request_id.
  absl::StatusOr<v1::MergeAccountsResponse> MergeAccounts(
      const Caller& caller, const v1::MergeAccountsRequest& request);

  // As MergeAccounts; FAILED_PRECONDITION when the united emails or phones
  // exceed 10.
  absl::StatusOr<v1::MergeContactsResponse> MergeContacts(
      const Caller& caller, const v1::MergeContactsRequest& request);

  // Merge records, newest first.
  absl::StatusOr<v1::ListMergeRecordsResponse> ListMergeRecords(
      const Caller& caller, const v1::ListMergeRecordsRequest& request);

 private:
  ContactsDeps deps_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_MERGE_MANAGER_H_

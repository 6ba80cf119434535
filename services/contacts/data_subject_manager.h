// Data-subject requests: export everything contacts holds about an account
// (with its contacts) or a contact, and erase it so that no personal data is
// left here (contacts, aliases, merge records and stored idempotent responses
// that mention it), publishing DataSubjectErased for every other service.
#ifndef CLIENTELE_SERVICES_CONTACTS_DATA_SUBJECT_MANAGER_H_
#define CLIENTELE_SERVICES_CONTACTS_DATA_SUBJECT_MANAGER_H_

#include "absl/status/statusor.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/caller.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

class DataSubjectManager {
 public:
  static constexpr int kMaxReasonChars = 500;

  explicit DataSubjectManager(const ContactsDeps& deps) : deps_(deps) {}

  // INVALID_ARGUMENT naming "subject" unless it is "accounts/{id}" or
  // "contacts/{id}"; NOT_FOUND when it does not exist (or was erased).
  absl::StatusOr<v1::ExportDataSubjectResponse> Export(
      const Caller& caller, const v1::ExportDataSubjectRequest& request);

  // Erases the subject (a merged-away name erases its survivor) in one
  // transaction with its DataSubjectErased event; afterwards every erased
  // name answers NOT_FOUND. Idempotent with request_id.
  absl::StatusOr<v1::EraseDataSubjectResponse> Erase(
      const Caller& caller, const v1::EraseDataSubjectRequest& request);

 private:
  ContactsDeps deps_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_DATA_SUBJECT_MANAGER_H_

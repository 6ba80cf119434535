// Bulk import of contacts: up to 10,000 rows in one write transaction, each
// row validated on its own and answered CREATED, DUPLICATE (of a named
// contact), INVALID (with its field violations) or, for validate_only, VALID.
// A bad row never fails the call. Safe to retry: the same request_id returns
// the first call's results; a retry under a new id finds the created rows as
// DUPLICATE by their emails.
#ifndef CLIENTELE_SERVICES_CONTACTS_IMPORT_MANAGER_H_
#define CLIENTELE_SERVICES_CONTACTS_IMPORT_MANAGER_H_

#include "absl/status/statusor.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/caller.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

class ImportManager {
 public:
  static constexpr int kMaxRows = 10000;
  static constexpr int kMaxRowKeyChars = 128;

  explicit ImportManager(const ContactsDeps& deps) : deps_(deps) {}

  // Request-level errors only: INVALID_ARGUMENT for no rows, a malformed
  // default_account, a bad individual_account_template or request_id, and
  // for more than 10,000 rows (naming `rows`); NOT_FOUND for an unknown
  // default_account. Publishes ContactCreated (and AccountCreated for
  // individual accounts) per created row.
  absl::StatusOr<v1::ImportContactsResponse> Import(
      const Caller& caller, const v1::ImportContactsRequest& request);

 private:
  ContactsDeps deps_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_IMPORT_MANAGER_H_

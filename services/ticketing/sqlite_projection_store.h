// ProjectionStore on the ticketing SQLite database (kProjectionTablesSql in
// ticketing_schema.cc).
#ifndef CLIENTELE_SERVICES_TICKETING_SQLITE_PROJECTION_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_SQLITE_PROJECTION_STORE_H_

#include "services/ticketing/projection_store.h"

namespace clientele::ticketing {

class SqliteProjectionStore : public ProjectionStore {
 public:
  absl::StatusOr<std::optional<ProjectedAccount>> FindAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::optional<std::string>> AccountOfContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<std::optional<RequesterRef>> FindEmail(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view normalized_email) override;
  absl::Status PutEmail(sql::Transaction& txn, absl::string_view tenant,
                        absl::string_view normalized_email,
                        const RequesterRef& requester) override;
  absl::StatusOr<std::optional<AccountRow>> GetAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::Status PutAccount(sql::Transaction& txn, absl::string_view tenant,
                          const AccountRow& row) override;
  absl::Status PutContact(sql::Transaction& txn, absl::string_view tenant,
                          absl::string_view contact_id,
                          absl::string_view account_id) override;
  absl::Status DeleteContact(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view contact_id) override;
  absl::Status MoveContacts(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view from_account_id,
                            absl::string_view to_account_id) override;
  absl::StatusOr<std::vector<std::string>> ContactsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> DeleteEmailsOfContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<int64_t> DeleteEmailsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SQLITE_PROJECTION_STORE_H_

// AccountStore on the contacts SQL schema (contacts_schema.cc): the account
// as a serialized proto plus the columns lists filter on.
#ifndef CLIENTELE_SERVICES_CONTACTS_SQLITE_ACCOUNT_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_SQLITE_ACCOUNT_STORE_H_

#include "services/contacts/account_store.h"

namespace clientele::contacts {

class SqliteAccountStore final : public AccountStore {
 public:
  absl::StatusOr<std::optional<v1::Account>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::Account& account) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::Account& account) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id) override;
  absl::StatusOr<std::vector<ListedAccount>> List(sql::Transaction& txn,
                                                  absl::string_view tenant,
                                                  const AccountFilter& filter,
                                                  int64_t after_seq,
                                                  int limit) override;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_SQLITE_ACCOUNT_STORE_H_

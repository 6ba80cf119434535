// Persistence of accounts. Every method runs inside the caller's transaction
// (so a change, its event and its audit record commit together) and is
// scoped by tenant: another tenant's account is simply not there.
#ifndef CLIENTELE_SERVICES_CONTACTS_ACCOUNT_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_ACCOUNT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/contacts/v1/account.pb.h"
#include "common/sql/database.h"

namespace clientele::contacts {

// ListAccounts' filters; zero values and empty strings match everything.
struct AccountFilter {
  int kind = 0;
  int tier = 0;
  int segment = 0;
  int lifecycle_stage = 0;
  int declared_mode = 0;
  std::string owner;
  std::string account_manager;
  std::string tag;  // lower-cased
};

// An account with its position in creation order.
struct ListedAccount {
  int64_t seq = 0;
  v1::Account account;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // The account `id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Account>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new account under `id`. ALREADY_EXISTS when the id is taken.
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::Account& account) = 0;

  // Replaces account `id`. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::Account& account) = 0;

  // Removes account `id` (not its contacts). NOT_FOUND when there is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id) = 0;

  // Up to `limit` accounts matching `filter` created after position
  // `after_seq` (0: from the start), oldest first.
  virtual absl::StatusOr<std::vector<ListedAccount>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const AccountFilter& filter, int64_t after_seq, int limit) = 0;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_ACCOUNT_STORE_H_

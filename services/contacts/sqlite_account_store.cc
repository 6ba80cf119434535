#include "services/contacts/sqlite_account_store.h"

#include <utility>

#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::contacts {
namespace {

using sql::Value;

absl::StatusOr<v1::Account> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::Account>(bytes, "account");
}

absl::Status ReplaceTags(sql::Transaction& txn, absl::string_view tenant,
                         absl::string_view id, const v1::Account& account) {
  const Value key[] = {std::string(tenant), std::string(id)};
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM account_tags WHERE tenant = ? AND account_id = ?",
               key)
          .status());
  for (const std::string& tag : account.tags()) {
    const Value row[] = {std::string(tenant), tag, std::string(id)};
    RETURN_IF_ERROR(txn.Exec("INSERT OR IGNORE INTO account_tags (tenant, "
                             "tag, account_id) VALUES (?, ?, ?)",
                             row)
                        .status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Account>> SqliteAccountStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM accounts WHERE tenant = ? AND id = ?",
                params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::Account account, Parse(rows[0].String(0)));
  return account;
}

absl::Status SqliteAccountStore::Insert(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        const v1::Account& account) {
  const Value params[] = {std::string(tenant),
                          std::string(id),
                          int64_t{account.kind()},
                          int64_t{account.tier()},
                          int64_t{account.segment()},
                          int64_t{account.lifecycle_stage()},
                          account.owner(),
                          account.account_manager(),
                          int64_t{account.declared_mode()},
                          sql::Blob{account.SerializeAsString()}};
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO accounts (tenant, id, kind, tier, segment, "
               "lifecycle_stage, owner, account_manager, declared_mode, data) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               params)
          .status());
  return ReplaceTags(txn, tenant, id, account);
}

absl::Status SqliteAccountStore::Update(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        const v1::Account& account) {
  const Value params[] = {int64_t{account.kind()},
                          int64_t{account.tier()},
                          int64_t{account.segment()},
                          int64_t{account.lifecycle_stage()},
                          account.owner(),
                          account.account_manager(),
                          int64_t{account.declared_mode()},
                          sql::Blob{account.SerializeAsString()},
                          std::string(tenant),
                          std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE accounts SET kind = ?, tier = ?, segment = ?, "
               "lifecycle_stage = ?, owner = ?, account_manager = ?, "
               "declared_mode = ?, data = ? WHERE tenant = ? AND id = ?",
               params));
  if (changed == 0) return absl::NotFoundError("account not found");
  return ReplaceTags(txn, tenant, id, account);
}

absl::Status SqliteAccountStore::Delete(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t deleted,
      txn.Exec("DELETE FROM accounts WHERE tenant = ? AND id = ?", params));
  if (deleted == 0) return absl::NotFoundError("account not found");
  return txn
      .Exec("DELETE FROM account_tags WHERE tenant = ? AND account_id = ?",
            params)
      .status();
}

absl::StatusOr<std::vector<ListedAccount>> SqliteAccountStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    const AccountFilter& filter, int64_t after_seq, int limit) {
  const Value params[] = {std::string(tenant),
                          after_seq,
                          int64_t{filter.kind},
                          int64_t{filter.kind},
                          int64_t{filter.tier},
                          int64_t{filter.tier},
                          int64_t{filter.segment},
                          int64_t{filter.segment},
                          int64_t{filter.lifecycle_stage},
                          int64_t{filter.lifecycle_stage},
                          int64_t{filter.declared_mode},
                          int64_t{filter.declared_mode},
                          filter.owner,
                          filter.owner,
                          filter.account_manager,
                          filter.account_manager,
                          filter.tag,
                          filter.tag,
                          int64_t{limit}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          "SELECT a.seq, a.data FROM accounts a WHERE a.tenant = ? AND "
          "a.seq > ? AND (? = 0 OR a.kind = ?) AND (? = 0 OR a.tier = ?) AND "
          "(? = 0 OR a.segment = ?) AND (? = 0 OR a.lifecycle_stage = ?) AND "
          "(? = 0 OR a.declared_mode = ?) AND (? = '' OR a.owner = ?) AND "
          "(? = '' OR a.account_manager = ?) AND (? = '' OR EXISTS (SELECT 1 "
          "FROM account_tags t WHERE t.tenant = a.tenant AND t.account_id = "
          "a.id AND t.tag = ?)) ORDER BY a.seq LIMIT ?",
          params));
  std::vector<ListedAccount> accounts;
  accounts.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Account account, Parse(row.String(1)));
    accounts.push_back({row.Int(0), std::move(account)});
  }
  return accounts;
}

}  // namespace clientele::contacts

#include "services/ticketing/sqlite_projection_store.h"

#include <string>
#include <utility>
#include <vector>

#include "common/status_macros.h"

namespace clientele::ticketing {
namespace {

using sql::Value;

// Merges form chains (a into b, later b into c); a longer chain than this is
// a loop, which events cannot create but a corrupt database could.
constexpr int kMaxMergeHops = 16;

AccountRow FromRow(const sql::Row& row) {
  AccountRow account;
  account.account_id = row.String(0);
  account.tier = static_cast<type::v1::AccountTier>(row.Int(1));
  account.declared_mode = static_cast<type::v1::RelationshipMode>(row.Int(2));
  account.inferred_mode = static_cast<type::v1::RelationshipMode>(row.Int(3));
  account.account_manager = row.String(4);
  account.state = static_cast<AccountState>(row.Int(5));
  account.merged_into = row.String(6);
  if (!row.IsNull(7)) account.snapshot_time = absl::FromUnixMicros(row.Int(7));
  return account;
}

}  // namespace

absl::StatusOr<std::optional<AccountRow>> SqliteProjectionStore::GetAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT account_id, tier, declared_mode, inferred_mode, "
                "account_manager, state, merged_into, snapshot_us FROM "
                "projected_accounts WHERE tenant = ? AND account_id = ?",
                key));
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

absl::StatusOr<std::optional<ProjectedAccount>>
SqliteProjectionStore::FindAccount(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view account_id) {
  std::string id(account_id);
  for (int hop = 0; hop <= kMaxMergeHops; ++hop) {
    ASSIGN_OR_RETURN(std::optional<AccountRow> row,
                     GetAccount(txn, tenant, id));
    if (!row.has_value()) return std::nullopt;
    switch (row->state) {
      case AccountState::kActive: {
        // Known from engagement only: contacts has not described it yet.
        if (row->snapshot_time == absl::InfinitePast()) return std::nullopt;
        ProjectedAccount account;
        account.account_id = row->account_id;
        account.tier = row->tier;
        account.mode = row->EffectiveMode();
        account.account_manager = row->account_manager;
        account.active = true;
        return account;
      }
      case AccountState::kMerged:
        if (row->merged_into.empty()) return std::nullopt;
        id = row->merged_into;
        continue;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

absl::Status SqliteProjectionStore::PutAccount(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               const AccountRow& row) {
  Value snapshot_us;
  if (row.snapshot_time != absl::InfinitePast()) {
    snapshot_us = absl::ToUnixMicros(row.snapshot_time);
  }
  const Value params[] = {std::string(tenant),
                          row.account_id,
                          int64_t{row.tier},
                          int64_t{row.declared_mode},
                          int64_t{row.inferred_mode},
                          row.account_manager,
                          int64_t{static_cast<int>(row.state)},
                          row.merged_into,
                          snapshot_us};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO projected_accounts (tenant, account_id, "
          "tier, declared_mode, inferred_mode, account_manager, state, "
          "merged_into, snapshot_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::optional<std::string>>
SqliteProjectionStore::AccountOfContact(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view contact_id) {
  const Value key[] = {std::string(tenant), std::string(contact_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT account_id FROM projected_contacts WHERE tenant = ? "
                "AND contact_id = ?",
                key));
  if (rows.empty()) return std::nullopt;
  return rows[0].String(0);
}

absl::StatusOr<std::optional<RequesterRef>> SqliteProjectionStore::FindEmail(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view normalized_email) {
  const Value key[] = {std::string(tenant), std::string(normalized_email)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT contact_id, account_id FROM requester_emails WHERE "
                "tenant = ? AND email = ?",
                key));
  if (rows.empty()) return std::nullopt;
  return RequesterRef{rows[0].String(0), rows[0].String(1)};
}

absl::Status SqliteProjectionStore::PutEmail(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             absl::string_view normalized_email,
                                             const RequesterRef& requester) {
  const Value params[] = {std::string(tenant), std::string(normalized_email),
                          requester.contact_id, requester.account_id};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO requester_emails (tenant, email, "
          "contact_id, account_id) VALUES (?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteProjectionStore::PutContact(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view contact_id,
                                               absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(contact_id),
                          std::string(account_id)};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO projected_contacts (tenant, contact_id, "
          "account_id) VALUES (?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteProjectionStore::DeleteContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  const Value key[] = {std::string(tenant), std::string(contact_id)};
  return txn
      .Exec(
          "DELETE FROM projected_contacts WHERE tenant = ? AND contact_id = ?",
          key)
      .status();
}

absl::Status SqliteProjectionStore::MoveContacts(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view from_account_id, absl::string_view to_account_id) {
  const Value params[] = {std::string(to_account_id), std::string(tenant),
                          std::string(from_account_id)};
  RETURN_IF_ERROR(txn.Exec("UPDATE projected_contacts SET account_id = ? "
                           "WHERE tenant = ? AND account_id = ?",
                           params)
                      .status());
  return txn
      .Exec(
          "UPDATE requester_emails SET account_id = ? WHERE tenant = ? AND "
          "account_id = ?",
          params)
      .status();
}

absl::StatusOr<std::vector<std::string>>
SqliteProjectionStore::ContactsOfAccount(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT contact_id FROM projected_contacts WHERE tenant = ? "
                "AND account_id = ? ORDER BY contact_id",
                key));
  std::vector<std::string> contacts;
  contacts.reserve(rows.size());
  for (const sql::Row& row : rows) contacts.push_back(row.String(0));
  return contacts;
}

absl::StatusOr<int64_t> SqliteProjectionStore::DeleteEmailsOfContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  const Value key[] = {std::string(tenant), std::string(contact_id)};
  return txn.Exec(
      "DELETE FROM requester_emails WHERE tenant = ? AND contact_id = ?", key);
}

absl::StatusOr<int64_t> SqliteProjectionStore::DeleteEmailsOfAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  return txn.Exec(
      "DELETE FROM requester_emails WHERE tenant = ? AND account_id = ?", key);
}

}  // namespace clientele::ticketing

#include "services/engagement/sqlite_projection_store.h"

#include <string>
#include <utility>
#include <vector>

#include "common/proto_time.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// Merges form chains (a into b, later b into c); a longer chain than this is
// a loop, which events cannot create but a corrupt database could.
constexpr int kMaxMergeHops = 16;

constexpr char kSelect[] =
    "SELECT account_id, state, merged_into, snapshot, revision, "
    "first_interaction_us, interaction_count, currency FROM accounts "
    "WHERE tenant = ? AND account_id = ?";

absl::StatusOr<ProjectedAccount> FromRow(const sql::Row& row) {
  ProjectedAccount account;
  account.id = row.String(0);
  account.state = static_cast<ProjectedState>(row.Int(1));
  account.merged_into = row.String(2);
  ASSIGN_OR_RETURN(account.snapshot,
                   sql::ParseStored<events::v1::AccountSnapshot>(
                       row.String(3), "account snapshot"));
  account.revision = row.Int(4);
  if (!row.IsNull(5)) account.first_interaction_time = FromMicros(row.Int(5));
  account.interaction_count = row.Int(6);
  account.currency = row.String(7);
  return account;
}

// Creates the row when missing (empty snapshot), so that updates below
// always find one.
absl::Status EnsureRow(sql::Transaction& txn, absl::string_view tenant,
                       absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id),
                          sql::Blob{std::string()}};
  return txn
      .Exec(
          "INSERT OR IGNORE INTO accounts (tenant, account_id, snapshot) "
          "VALUES (?, ?, ?)",
          params)
      .status();
}

}  // namespace

absl::StatusOr<std::optional<ProjectedAccount>> SqliteProjectionStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(kSelect, params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(ProjectedAccount account, FromRow(rows[0]));
  return account;
}

absl::StatusOr<std::optional<ProjectedAccount>> SqliteProjectionStore::Resolve(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  // Follow the merges with the light query, then read the one row.
  ASSIGN_OR_RETURN(std::optional<RevisionRef> ref,
                   ResolveRevision(txn, tenant, id));
  if (!ref.has_value()) return std::nullopt;
  return Find(txn, tenant, ref->id);
}

absl::Status SqliteProjectionStore::PutSnapshot(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id,
    const events::v1::AccountSnapshot& snapshot) {
  const Value params[] = {std::string(tenant), std::string(id),
                          sql::Blob{snapshot.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO accounts (tenant, account_id, snapshot) VALUES (?, ?, "
          "?) ON CONFLICT (tenant, account_id) DO UPDATE SET snapshot = "
          "excluded.snapshot, revision = revision + 1",
          params)
      .status();
}

absl::Status SqliteProjectionStore::SetState(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             absl::string_view id,
                                             ProjectedState state,
                                             absl::string_view merged_into) {
  RETURN_IF_ERROR(EnsureRow(txn, tenant, id));
  const Value params[] = {int64_t{static_cast<int>(state)},
                          std::string(merged_into), std::string(tenant),
                          std::string(id)};
  return txn
      .Exec(
          "UPDATE accounts SET state = ?, merged_into = ?, revision = "
          "revision + 1 WHERE tenant = ? AND account_id = ?",
          params)
      .status();
}

absl::Status SqliteProjectionStore::PutTotals(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view id,
                                              absl::Time first_interaction_time,
                                              int64_t interaction_count,
                                              absl::string_view currency) {
  Value first;
  if (first_interaction_time != absl::InfinitePast()) {
    first = ToMicros(first_interaction_time);
  }
  const Value params[] = {first, interaction_count, std::string(currency),
                          std::string(tenant), std::string(id)};
  return txn
      .Exec(
          "UPDATE accounts SET first_interaction_us = ?, interaction_count = "
          "?, currency = ?, revision = revision + 1 WHERE tenant = ? AND "
          "account_id = ?",
          params)
      .status();
}

absl::Status SqliteProjectionStore::Touch(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  return txn
      .Exec(
          "UPDATE accounts SET revision = revision + 1 WHERE tenant = ? AND "
          "account_id = ?",
          params)
      .status();
}

absl::StatusOr<int64_t> SqliteProjectionStore::TouchAllActive(
    sql::Transaction& txn, absl::string_view tenant) {
  const Value params[] = {std::string(tenant),
                          int64_t{static_cast<int>(ProjectedState::kActive)}};
  return txn.Exec(
      "UPDATE accounts SET revision = revision + 1 WHERE tenant = ? AND "
      "state = ?",
      params);
}

absl::StatusOr<std::vector<ProjectedAccount>> SqliteProjectionStore::ListActive(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view after_id,
    int limit) {
  const Value params[] = {std::string(tenant), std::string(after_id),
                          int64_t{static_cast<int>(ProjectedState::kActive)},
                          int64_t{limit}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT account_id, state, merged_into, snapshot, revision, "
                "first_interaction_us, interaction_count, currency FROM "
                "accounts WHERE tenant = ? AND account_id > ? AND state = ? "
                "AND length(snapshot) > 0 ORDER BY account_id LIMIT ?",
                params));
  std::vector<ProjectedAccount> accounts;
  accounts.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(ProjectedAccount account, FromRow(row));
    accounts.push_back(std::move(account));
  }
  return accounts;
}

absl::StatusOr<std::optional<ProjectionStore::RevisionRef>>
SqliteProjectionStore::ResolveRevision(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view id) {
  std::string current(id);
  for (int hop = 0; hop < kMaxMergeHops; ++hop) {
    const Value params[] = {std::string(tenant), current};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT state, merged_into, revision, length(snapshot) "
                  "FROM accounts WHERE tenant = ? AND account_id = ?",
                  params));
    if (rows.empty()) return std::nullopt;
    const auto state = static_cast<ProjectedState>(rows[0].Int(0));
    if (state == ProjectedState::kGone) return std::nullopt;
    if (state == ProjectedState::kActive) {
      if (rows[0].Int(3) == 0) return std::nullopt;  // placeholder
      return RevisionRef{current, rows[0].Int(2)};
    }
    current = rows[0].String(1);
  }
  return absl::InternalError("account merges form a loop");
}

}  // namespace clientele::engagement

#include "services/engagement/sqlite_score_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/proto_time.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::engagement {
namespace {

using sql::Value;

}  // namespace

absl::StatusOr<std::optional<v1::ScoringPolicy>> SqliteScoreStore::FindPolicy(
    sql::Transaction& txn, absl::string_view tenant) {
  const Value key[] = {std::string(tenant)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM scoring_policies WHERE tenant = ?", key));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(
      v1::ScoringPolicy policy,
      sql::ParseStored<v1::ScoringPolicy>(rows[0].String(0), "policy"));
  return policy;
}

absl::StatusOr<int64_t> SqliteScoreStore::PolicyRevision(
    sql::Transaction& txn, absl::string_view tenant) {
  const Value key[] = {std::string(tenant)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT revision FROM scoring_policies WHERE tenant = ?", key));
  return rows.empty() ? 0 : rows[0].Int(0);
}

absl::Status SqliteScoreStore::PutPolicy(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         const v1::ScoringPolicy& policy) {
  const Value params[] = {std::string(tenant), policy.revision(),
                          sql::Blob{policy.SerializeAsString()}};
  return txn
      .Exec(
          "REPLACE INTO scoring_policies (tenant, revision, data) VALUES "
          "(?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::optional<v1::RelationshipScore>>
SqliteScoreStore::FindLastScore(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM account_scores WHERE tenant = "
                             "? AND account_id = ?",
                             key));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(
      v1::RelationshipScore score,
      sql::ParseStored<v1::RelationshipScore>(rows[0].String(0), "score"));
  return score;
}

absl::Status SqliteScoreStore::PutLastScore(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, int64_t revision,
    const v1::RelationshipScore& score) {
  const Value params[] = {std::string(tenant), std::string(account_id),
                          revision, score.policy_revision(),
                          sql::Blob{score.SerializeAsString()}};
  return txn
      .Exec(
          "REPLACE INTO account_scores (tenant, account_id, revision, "
          "policy_revision, data) VALUES (?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::vector<v1::RelationshipScore>>
SqliteScoreStore::ListLastScores(sql::Transaction& txn,
                                 absl::string_view tenant,
                                 absl::string_view after_account_id,
                                 int limit) {
  const Value params[] = {std::string(tenant), std::string(after_account_id),
                          int64_t{limit}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM account_scores WHERE tenant = "
                             "? AND account_id > ? ORDER BY account_id LIMIT ?",
                             params));
  std::vector<v1::RelationshipScore> scores;
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(
        v1::RelationshipScore score,
        sql::ParseStored<v1::RelationshipScore>(row.String(0), "score"));
    scores.push_back(std::move(score));
  }
  return scores;
}

absl::Status SqliteScoreStore::InsertChange(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            absl::string_view account_id,
                                            absl::string_view change_id,
                                            const v1::ScoreChange& change) {
  const Value params[] = {std::string(tenant), std::string(change_id),
                          std::string(account_id),
                          ToMicros(ToTime(change.change_time())),
                          sql::Blob{change.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO score_changes (tenant, change_id, account_id, "
          "change_us, data) VALUES (?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::vector<v1::ScoreChange>> SqliteScoreStore::ListChanges(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::Time start, absl::Time end,
    const std::optional<std::pair<int64_t, std::string>>& before, int limit) {
  std::string sql =
      "SELECT data FROM score_changes WHERE tenant = ? AND account_id = ?";
  std::vector<Value> params = {std::string(tenant), std::string(account_id)};
  if (start != absl::InfinitePast()) {
    sql += " AND change_us >= ?";
    params.emplace_back(ToMicros(start));
  }
  if (end != absl::InfiniteFuture()) {
    sql += " AND change_us < ?";
    params.emplace_back(ToMicros(end));
  }
  if (before.has_value()) {
    sql += " AND (change_us < ? OR (change_us = ? AND change_id < ?))";
    params.emplace_back(before->first);
    params.emplace_back(before->first);
    params.emplace_back(before->second);
  }
  absl::StrAppend(&sql, " ORDER BY change_us DESC, change_id DESC LIMIT ",
                  limit);
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  std::vector<v1::ScoreChange> changes;
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(
        v1::ScoreChange change,
        sql::ParseStored<v1::ScoreChange>(row.String(0), "score change"));
    changes.push_back(std::move(change));
  }
  return changes;
}

absl::Status SqliteScoreStore::MarkDirty(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id,
    absl::Span<const v1::ScoreChangeCause> causes) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT mark, causes FROM dirty_accounts WHERE "
                             "tenant = ? AND account_id = ?",
                             key));
  // The causes travel as one ScoreChange message (its `causes` field): a
  // ready-made repeated container with a stable encoding.
  v1::ScoreChange gathered;
  int64_t mark = 1;
  if (!rows.empty()) {
    mark = rows[0].Int(0) + 1;
    ASSIGN_OR_RETURN(gathered, sql::ParseStored<v1::ScoreChange>(
                                   rows[0].String(1), "causes"));
  }
  for (const v1::ScoreChangeCause& cause : causes) {
    *gathered.add_causes() = cause;
  }
  const int excess = gathered.causes_size() - kMaxCauses;
  if (excess > 0) {
    gathered.mutable_causes()->DeleteSubrange(0, excess);
  }
  const Value params[] = {std::string(tenant), std::string(account_id), mark,
                          sql::Blob{gathered.SerializeAsString()}};
  return txn
      .Exec(
          "REPLACE INTO dirty_accounts (tenant, account_id, mark, causes) "
          "VALUES (?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::vector<DirtyAccount>> SqliteScoreStore::TakeDirty(
    sql::Transaction& txn, int limit) {
  const Value params[] = {int64_t{limit}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT tenant, account_id, mark, causes FROM "
                             "dirty_accounts LIMIT ?",
                             params));
  std::vector<DirtyAccount> dirty;
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(
        v1::ScoreChange gathered,
        sql::ParseStored<v1::ScoreChange>(row.String(3), "causes"));
    DirtyAccount account{row.String(0), row.String(1), row.Int(2), {}};
    account.causes.assign(gathered.causes().begin(), gathered.causes().end());
    dirty.push_back(std::move(account));
  }
  return dirty;
}

absl::Status SqliteScoreStore::ClearDirty(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view account_id,
                                          int64_t mark) {
  const Value params[] = {std::string(tenant), std::string(account_id), mark};
  return txn
      .Exec(
          "DELETE FROM dirty_accounts WHERE tenant = ? AND account_id = ? "
          "AND mark = ?",
          params)
      .status();
}

absl::Status SqliteScoreStore::DeleteAccount(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  for (const char* sql :
       {"DELETE FROM account_scores WHERE tenant = ? AND account_id = ?",
        "DELETE FROM score_changes WHERE tenant = ? AND account_id = ?",
        "DELETE FROM dirty_accounts WHERE tenant = ? AND account_id = ?"}) {
    RETURN_IF_ERROR(txn.Exec(sql, key).status());
  }
  return absl::OkStatus();
}

}  // namespace clientele::engagement

#include "services/engagement/sqlite_follow_up_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// Lists order by (due_us, follow_up_id); follow_ups_due and the primary key
// of this WITHOUT ROWID table make that order an index walk for one
// assignee.
constexpr char kOrder[] = " ORDER BY due_us, follow_up_id";

absl::StatusOr<v1::FollowUp> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::FollowUp>(bytes, "follow-up");
}

// Runs `sql`, whose first column is `data`, and parses every row.
absl::StatusOr<std::vector<v1::FollowUp>> QueryFollowUps(
    sql::Transaction& txn, absl::string_view sql,
    absl::Span<const Value> params) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return sql::ParseStoredColumn<v1::FollowUp>(rows, 0, "follow-up");
}

// Adds the keyset condition "after `after` in (due_us, id) order".
void AddCursor(const std::optional<FollowUpCursor>& after,
               std::vector<std::string>* conditions,
               std::vector<Value>* params) {
  if (!after.has_value()) return;
  conditions->push_back("(due_us, follow_up_id) > (?, ?)");
  params->push_back(after->due_us);
  params->push_back(after->id);
}

// Rewrites the stored proto (with `edit`) and the columns of every row that
// `select_sql` (tenant and one value bound; columns follow_up_id, data)
// returns. Returns how many rows changed.
template <typename Edit>
absl::StatusOr<int64_t> RewriteRows(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view select_sql,
                                    absl::string_view value, Edit edit) {
  const Value params[] = {std::string(tenant), std::string(value)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(select_sql, params));
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::FollowUp follow_up, Parse(row.String(1)));
    edit(&follow_up);
    const Value update[] = {IdOf(follow_up.account()),
                            IdOf(follow_up.contact()),
                            sql::Blob{follow_up.SerializeAsString()},
                            std::string(tenant), row.String(0)};
    RETURN_IF_ERROR(txn.Exec("UPDATE follow_ups SET account_id = ?, "
                             "contact_id = ?, data = ? WHERE tenant = ? AND "
                             "follow_up_id = ?",
                             update)
                        .status());
  }
  return static_cast<int64_t>(rows.size());
}

}  // namespace

absl::StatusOr<std::optional<v1::FollowUp>> SqliteFollowUpStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT data FROM follow_ups WHERE tenant = ? AND "
                             "follow_up_id = ?",
                             params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::FollowUp follow_up, Parse(rows[0].String(0)));
  return follow_up;
}

absl::Status SqliteFollowUpStore::Insert(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view id,
                                         const v1::FollowUp& follow_up) {
  const Value params[] = {
      std::string(tenant),        std::string(id),
      IdOf(follow_up.account()),  IdOf(follow_up.contact()),
      follow_up.assignee(),       follow_up.team(),
      int64_t{follow_up.state()}, int64_t{follow_up.origin()},
      DueMicros(follow_up),       sql::Blob{follow_up.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO follow_ups (tenant, follow_up_id, account_id, "
          "contact_id, assignee, team, state, origin, due_us, data) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteFollowUpStore::Update(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view id,
                                         const v1::FollowUp& follow_up) {
  const Value params[] = {
      IdOf(follow_up.account()),  IdOf(follow_up.contact()),
      follow_up.assignee(),       follow_up.team(),
      int64_t{follow_up.state()}, int64_t{follow_up.origin()},
      DueMicros(follow_up),       sql::Blob{follow_up.SerializeAsString()},
      std::string(tenant),        std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE follow_ups SET account_id = ?, contact_id = ?, "
               "assignee = ?, team = ?, state = ?, origin = ?, due_us = ?, "
               "data = ? WHERE tenant = ? AND follow_up_id = ?",
               params));
  if (changed == 0) return absl::NotFoundError("follow-up not found");
  return absl::OkStatus();
}

absl::Status SqliteFollowUpStore::Delete(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(int64_t deleted,
                   txn.Exec("DELETE FROM follow_ups WHERE tenant = ? AND "
                            "follow_up_id = ?",
                            params));
  if (deleted == 0) return absl::NotFoundError("follow-up not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    const FollowUpFilter& filter, const std::optional<FollowUpCursor>& after,
    int limit) {
  // Only the filters in use become conditions: "(? = '' OR col = ?)" would
  // keep SQLite from choosing an index on col.
  std::vector<std::string> conditions = {"tenant = ?"};
  std::vector<Value> params = {std::string(tenant)};
  if (!filter.account_id.empty()) {
    conditions.push_back("account_id = ?");
    params.push_back(filter.account_id);
  }
  if (!filter.assignee.empty()) {
    conditions.push_back("assignee = ?");
    params.push_back(filter.assignee);
  }
  if (!filter.team.empty()) {
    conditions.push_back("team = ?");
    params.push_back(filter.team);
  }
  if (filter.state != 0) {
    conditions.push_back("state = ?");
    params.push_back(int64_t{filter.state});
  }
  if (filter.origin != 0) {
    conditions.push_back("origin = ?");
    params.push_back(int64_t{filter.origin});
  }
  if (filter.due_start_us != std::numeric_limits<int64_t>::min()) {
    conditions.push_back("due_us >= ?");
    params.push_back(filter.due_start_us);
  }
  if (filter.due_end_us != std::numeric_limits<int64_t>::max()) {
    conditions.push_back("due_us < ?");
    params.push_back(filter.due_end_us);
  }
  AddCursor(after, &conditions, &params);
  params.push_back(int64_t{limit});
  return QueryFollowUps(
      txn,
      absl::StrCat("SELECT data FROM follow_ups WHERE ",
                   absl::StrJoin(conditions, " AND "), kOrder, " LIMIT ?"),
      params);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListDue(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view assignee,
    int64_t due_until_us, const std::optional<FollowUpCursor>& after,
    int limit) {
  std::vector<std::string> conditions = {"tenant = ?", "state = ?"};
  std::vector<Value> params = {std::string(tenant),
                               int64_t{v1::FOLLOW_UP_STATE_OPEN}};
  if (!assignee.empty()) {
    conditions.push_back("assignee = ?");
    params.push_back(std::string(assignee));
  }
  conditions.push_back("due_us <= ?");
  params.push_back(due_until_us);
  AddCursor(after, &conditions, &params);
  params.push_back(int64_t{limit});
  return QueryFollowUps(
      txn,
      absl::StrCat("SELECT data FROM follow_ups WHERE ",
                   absl::StrJoin(conditions, " AND "), kOrder, " LIMIT ?"),
      params);
}

absl::StatusOr<int64_t> SqliteFollowUpStore::CountOverdue(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view assignee,
    int64_t before_us) {
  std::vector<Value> params = {std::string(tenant),
                               int64_t{v1::FOLLOW_UP_STATE_OPEN}};
  std::string sql =
      "SELECT count(*) FROM follow_ups WHERE tenant = ? AND state = ?";
  if (!assignee.empty()) {
    absl::StrAppend(&sql, " AND assignee = ?");
    params.push_back(std::string(assignee));
  }
  absl::StrAppend(&sql, " AND due_us < ?");
  params.push_back(before_us);
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return rows.empty() ? 0 : rows[0].Int(0);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return QueryFollowUps(txn,
                        absl::StrCat("SELECT data FROM follow_ups WHERE "
                                     "tenant = ? AND account_id = ?",
                                     kOrder),
                        params);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListByContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  // No index leads with contact_id: this walks the tenant's follow-ups,
  // which is acceptable for the rare data-subject request.
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return QueryFollowUps(txn,
                        absl::StrCat("SELECT data FROM follow_ups WHERE "
                                     "tenant = ? AND contact_id = ?",
                                     kOrder),
                        params);
}

absl::StatusOr<std::vector<std::string>> SqliteFollowUpStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT follow_up_id FROM follow_ups WHERE tenant = ? AND "
                "account_id = ? ORDER BY follow_up_id",
                params));
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM follow_ups WHERE tenant = ? AND account_id = ?",
               params)
          .status());
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

absl::StatusOr<int64_t> SqliteFollowUpStore::MoveAccount(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view from_id,
    absl::string_view to_id) {
  if (from_id == to_id) return 0;
  const std::string to_name = absl::StrCat("accounts/", to_id);
  return RewriteRows(txn, tenant,
                     "SELECT follow_up_id, data FROM follow_ups WHERE tenant "
                     "= ? AND account_id = ?",
                     from_id, [&](v1::FollowUp* follow_up) {
                       follow_up->set_account(to_name);
                     });
}

absl::StatusOr<int64_t> SqliteFollowUpStore::ClearContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) return 0;  // "" is "no contact", nothing to clear
  return RewriteRows(txn, tenant,
                     "SELECT follow_up_id, data FROM follow_ups WHERE tenant "
                     "= ? AND contact_id = ?",
                     contact_id, [](v1::FollowUp* follow_up) {
                       follow_up->clear_contact();
                       follow_up->set_title(kErasedFollowUpTitle);
                       follow_up->clear_description();
                     });
}

}  // namespace clientele::engagement

#include "services/engagement/sqlite_follow_up_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sql/statement.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/party_rows.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// Lists order by (due_us, follow_up_id); follow_ups_due and the primary key
// of this WITHOUT ROWID table make that order an index walk for one
// assignee.
constexpr char kOrder[] = " ORDER BY due_us, follow_up_id";

constexpr PartyTable<v1::FollowUp> kFollowUpTable = {
    "follow_ups", "follow_up_id", "follow-up"};

// Appends the keyset condition "after `after` in (due_us, id) order".
void AddCursor(const std::optional<FollowUpCursor>& after,
               sql::Statement* select) {
  if (!after.has_value()) return;
  select->Append(" AND (due_us, follow_up_id) > (?, ?)",
                 {after->due_us, after->id});
}

}  // namespace

absl::StatusOr<std::optional<v1::FollowUp>> SqliteFollowUpStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  return sql::FindStored<v1::FollowUp>(txn,
                                       "SELECT data FROM follow_ups WHERE "
                                       "tenant = ? AND follow_up_id = ?",
                                       params, kFollowUpTable.what);
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
  // Only the filters in use become conditions (common/sql/statement.h).
  sql::Statement select{"SELECT data FROM follow_ups WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.account_id.empty()) {
    select.Append(" AND account_id = ?", {filter.account_id});
  }
  if (!filter.assignee.empty()) {
    select.Append(" AND assignee = ?", {filter.assignee});
  }
  if (!filter.team.empty()) select.Append(" AND team = ?", {filter.team});
  if (filter.state != 0) {
    select.Append(" AND state = ?", {int64_t{filter.state}});
  }
  if (filter.origin != 0) {
    select.Append(" AND origin = ?", {int64_t{filter.origin}});
  }
  if (filter.due_start_us != std::numeric_limits<int64_t>::min()) {
    select.Append(" AND due_us >= ?", {filter.due_start_us});
  }
  if (filter.due_end_us != std::numeric_limits<int64_t>::max()) {
    select.Append(" AND due_us < ?", {filter.due_end_us});
  }
  AddCursor(after, &select);
  select.Append(kOrder);
  select.Append(" LIMIT ?", {int64_t{limit}});
  return sql::QueryStored<v1::FollowUp>(txn, select.sql, select.params,
                                        kFollowUpTable.what);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListDue(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view assignee,
    int64_t due_until_us, const std::optional<FollowUpCursor>& after,
    int limit) {
  sql::Statement select{
      "SELECT data FROM follow_ups WHERE tenant = ? AND state = ?",
      {std::string(tenant), int64_t{v1::FOLLOW_UP_STATE_OPEN}}};
  if (!assignee.empty()) {
    select.Append(" AND assignee = ?", {std::string(assignee)});
  }
  select.Append(" AND due_us <= ?", {due_until_us});
  AddCursor(after, &select);
  select.Append(kOrder);
  select.Append(" LIMIT ?", {int64_t{limit}});
  return sql::QueryStored<v1::FollowUp>(txn, select.sql, select.params,
                                        kFollowUpTable.what);
}

absl::StatusOr<int64_t> SqliteFollowUpStore::CountOverdue(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view assignee,
    int64_t before_us) {
  sql::Statement count{
      "SELECT count(*) FROM follow_ups WHERE tenant = ? AND state = ?",
      {std::string(tenant), int64_t{v1::FOLLOW_UP_STATE_OPEN}}};
  if (!assignee.empty()) {
    count.Append(" AND assignee = ?", {std::string(assignee)});
  }
  count.Append(" AND due_us < ?", {before_us});
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(count.sql, count.params));
  return rows.empty() ? 0 : rows[0].Int(0);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return sql::QueryStored<v1::FollowUp>(
      txn,
      absl::StrCat("SELECT data FROM follow_ups WHERE tenant = ? AND "
                   "account_id = ?",
                   kOrder),
      params, kFollowUpTable.what);
}

absl::StatusOr<std::vector<v1::FollowUp>> SqliteFollowUpStore::ListByContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  // No index leads with contact_id: this walks the tenant's follow-ups,
  // which is acceptable for the rare data-subject request.
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return sql::QueryStored<v1::FollowUp>(
      txn,
      absl::StrCat("SELECT data FROM follow_ups WHERE tenant = ? AND "
                   "contact_id = ?",
                   kOrder),
      params, kFollowUpTable.what);
}

absl::StatusOr<std::vector<std::string>> SqliteFollowUpStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  return DeletePartyRowsOfAccount(txn, kFollowUpTable, tenant, account_id);
}

absl::StatusOr<int64_t> SqliteFollowUpStore::MoveAccount(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view from_id,
    absl::string_view to_id) {
  if (from_id == to_id) return 0;
  const std::string to_name = absl::StrCat("accounts/", to_id);
  return RewritePartyRows(txn, kFollowUpTable, tenant,
                          "SELECT follow_up_id, data FROM follow_ups WHERE "
                          "tenant = ? AND account_id = ?",
                          from_id, [&](v1::FollowUp* follow_up) {
                            follow_up->set_account(to_name);
                          });
}

absl::StatusOr<int64_t> SqliteFollowUpStore::ClearContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) return 0;  // "" is "no contact", nothing to clear
  return RewritePartyRows(txn, kFollowUpTable, tenant,
                          "SELECT follow_up_id, data FROM follow_ups WHERE "
                          "tenant = ? AND contact_id = ?",
                          contact_id, [](v1::FollowUp* follow_up) {
                            follow_up->clear_contact();
                            follow_up->set_title(kErasedFollowUpTitle);
                            follow_up->clear_description();
                          });
}

}  // namespace clientele::engagement

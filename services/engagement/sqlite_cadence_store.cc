#include "services/engagement/sqlite_cadence_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/proto_time.h"
#include "common/sql/statement.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

using sql::Value;

constexpr char kOrder[] = " ORDER BY create_us, cadence_id";

int64_t CreateMicros(const v1::Cadence& cadence) {
  return TimestampMicros(cadence.create_time());
}

constexpr char kWhat[] = "cadence";

}  // namespace

absl::StatusOr<std::optional<v1::Cadence>> SqliteCadenceStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  return sql::FindStored<v1::Cadence>(
      txn, "SELECT data FROM cadences WHERE tenant = ? AND cadence_id = ?",
      params, kWhat);
}

absl::Status SqliteCadenceStore::Insert(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        const v1::Cadence& cadence) {
  const Value params[] = {std::string(tenant),
                          std::string(id),
                          IdOf(cadence.account()),
                          int64_t{cadence.segment()},
                          int64_t{cadence.kind()},
                          CreateMicros(cadence),
                          sql::Blob{cadence.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO cadences (tenant, cadence_id, account_id, segment, "
          "kind, create_us, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteCadenceStore::Update(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        const v1::Cadence& cadence) {
  // Account, segment, kind and create time never change (the manager
  // refuses them), so only the stored proto is rewritten.
  const Value params[] = {sql::Blob{cadence.SerializeAsString()},
                          std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(int64_t changed,
                   txn.Exec("UPDATE cadences SET data = ? WHERE tenant = ? "
                            "AND cadence_id = ?",
                            params));
  if (changed == 0) {
    return absl::NotFoundError("cadence not found");
  }
  return absl::OkStatus();
}

absl::Status SqliteCadenceStore::Delete(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t deleted,
      txn.Exec("DELETE FROM cadences WHERE tenant = ? AND cadence_id = ?",
               params));
  if (deleted == 0) {
    return absl::NotFoundError("cadence not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Cadence>> SqliteCadenceStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    const CadenceFilter& filter, const std::optional<CadenceCursor>& after,
    int limit) {
  sql::Statement select{"SELECT data FROM cadences WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.covering_account_id.empty()) {
    select.Append(
        " AND (account_id = ? OR (account_id = '' AND segment IN (?, ?)))",
        {filter.covering_account_id,
         int64_t{type::v1::ACCOUNT_SEGMENT_UNSPECIFIED},
         int64_t{filter.covering_segment}});
  }
  if (filter.kind != 0) select.Append(" AND kind = ?", {int64_t{filter.kind}});
  if (filter.segment != 0) {
    select.Append(" AND account_id = '' AND segment = ?",
                  {int64_t{filter.segment}});
  }
  if (after.has_value()) {
    select.Append(" AND (create_us, cadence_id) > (?, ?)",
                  {after->create_us, after->id});
  }
  select.Append(kOrder);
  select.Append(" LIMIT ?", {int64_t{limit}});
  return sql::QueryStored<v1::Cadence>(txn, select.sql, select.params, kWhat);
}

absl::StatusOr<std::vector<std::string>> SqliteCadenceStore::ListTenants(
    sql::Transaction& txn, absl::string_view after, int limit) {
  const Value params[] = {std::string(after), int64_t{limit}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT DISTINCT tenant FROM cadences WHERE "
                             "tenant > ? ORDER BY tenant LIMIT ?",
                             params));
  std::vector<std::string> tenants;
  tenants.reserve(rows.size());
  for (const sql::Row& row : rows) {
    tenants.push_back(row.String(0));
  }
  return tenants;
}

absl::StatusOr<std::vector<v1::Cadence>> SqliteCadenceStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  if (account_id.empty()) {
    return std::vector<v1::Cadence>();  // "" is "no account"
  }
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return sql::QueryStored<v1::Cadence>(
      txn,
      absl::StrCat("SELECT data FROM cadences WHERE tenant = ? AND "
                   "account_id = ?",
                   kOrder),
      params, kWhat);
}

absl::StatusOr<int64_t> SqliteCadenceStore::MoveAccount(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view from_id,
    absl::string_view to_id) {
  if (from_id == to_id || from_id.empty()) {
    return 0;
  }
  ASSIGN_OR_RETURN(std::vector<v1::Cadence> cadences,
                   ListByAccount(txn, tenant, from_id));
  const std::string to_name = absl::StrCat("accounts/", to_id);
  for (v1::Cadence& cadence : cadences) {
    cadence.set_account(to_name);
    const Value params[] = {std::string(to_id),
                            sql::Blob{cadence.SerializeAsString()},
                            std::string(tenant), IdOf(cadence.name())};
    RETURN_IF_ERROR(txn.Exec("UPDATE cadences SET account_id = ?, data = ? "
                             "WHERE tenant = ? AND cadence_id = ?",
                             params)
                        .status());
  }
  const Value touches[] = {std::string(to_id), std::string(tenant),
                           std::string(from_id)};
  RETURN_IF_ERROR(txn.Exec("UPDATE OR IGNORE cadence_touches SET account_id "
                           "= ? WHERE tenant = ? AND account_id = ?",
                           touches)
                      .status());
  // What is left collided with a touch the survivor already had.
  const Value leftover[] = {std::string(tenant), std::string(from_id)};
  RETURN_IF_ERROR(txn.Exec("DELETE FROM cadence_touches WHERE tenant = ? AND "
                           "account_id = ?",
                           leftover)
                      .status());
  return static_cast<int64_t>(cadences.size());
}

absl::StatusOr<std::vector<std::string>> SqliteCadenceStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  if (account_id.empty()) {
    return std::vector<std::string>();
  }
  ASSIGN_OR_RETURN(std::vector<v1::Cadence> cadences,
                   ListByAccount(txn, tenant, account_id));
  const Value params[] = {std::string(tenant), std::string(account_id)};
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM cadences WHERE tenant = ? AND account_id = ?",
               params)
          .status());
  RETURN_IF_ERROR(txn.Exec("DELETE FROM cadence_touches WHERE tenant = ? AND "
                           "account_id = ?",
                           params)
                      .status());
  std::vector<std::string> names;
  names.reserve(cadences.size());
  for (const v1::Cadence& cadence : cadences) {
    names.push_back(cadence.name());
  }
  return names;
}

absl::Status SqliteCadenceStore::InsertTouch(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             const CadenceTouch& touch) {
  const Value params[] = {std::string(tenant), touch.cadence_id,
                          touch.account_id,    touch.occurrence,
                          int64_t{touch.kind}, touch.follow_up_id,
                          ToMicros(touch.due)};
  return txn
      .Exec(
          "INSERT INTO cadence_touches (tenant, cadence_id, account_id, "
          "occurrence, kind, follow_up_id, due_us) VALUES (?, ?, ?, ?, ?, ?, "
          "?)",
          params)
      .status();
}

absl::StatusOr<bool> SqliteCadenceStore::HasTouch(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view cadence_id, absl::string_view account_id,
    absl::string_view occurrence) {
  if (cadence_id.empty()) {
    const Value params[] = {std::string(tenant), std::string(account_id),
                            std::string(occurrence)};
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query("SELECT 1 FROM cadence_touches WHERE tenant = "
                               "? AND account_id = ? AND occurrence = ? LIMIT "
                               "1",
                               params));
    return !rows.empty();
  }
  const Value params[] = {std::string(tenant), std::string(cadence_id),
                          std::string(account_id), std::string(occurrence)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT 1 FROM cadence_touches WHERE tenant = ? "
                             "AND cadence_id = ? AND account_id = ? AND "
                             "occurrence = ?",
                             params));
  return !rows.empty();
}

absl::StatusOr<absl::Time> SqliteCadenceStore::LastTouch(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view cadence_id, absl::string_view account_id,
    absl::Time until) {
  const Value params[] = {std::string(tenant), std::string(cadence_id),
                          std::string(account_id), ToMicros(until)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT max(due_us) FROM cadence_touches WHERE "
                             "tenant = ? AND cadence_id = ? AND account_id = "
                             "? AND due_us <= ?",
                             params));
  if (rows.empty() || rows[0].IsNull(0)) {
    return absl::InfinitePast();
  }
  return FromMicros(rows[0].Int(0));
}

absl::StatusOr<SurveyTouches> SqliteCadenceStore::CountSurveyTouches(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, absl::Time since, absl::Time until) {
  const Value params[] = {
      ToMicros(since), std::string(tenant), std::string(account_id),
      int64_t{v1::CADENCE_KIND_RELATIONSHIP_SURVEY}, ToMicros(until)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT count(CASE WHEN due_us >= ? THEN 1 END), max(due_us) "
                "FROM cadence_touches WHERE tenant = ? AND account_id = ? AND "
                "kind = ? AND due_us <= ?",
                params));
  SurveyTouches touches;
  if (!rows.empty()) {
    touches.in_window = rows[0].Int(0);
    if (!rows[0].IsNull(1)) {
      touches.last = FromMicros(rows[0].Int(1));
    }
  }
  return touches;
}

}  // namespace clientele::engagement

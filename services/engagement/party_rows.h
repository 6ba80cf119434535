// Deals, orders and follow-ups are stored the same way: one row per
// resource, keyed by (tenant, id), holding the resource whole in `data`
// beside account_id and contact_id columns derived from its account and
// contact names (the part after "accounts/" and "contacts/"). A merge moves
// rows to another account and an erasure rewrites or deletes them; these do
// that once for every such table, in the caller's transaction. Errors are
// the statements' own (common/sql/database.h) unless stated.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_PARTY_ROWS_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_PARTY_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/sql/database.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::engagement {

// One such table.
template <typename Message>
struct PartyTable {
  absl::string_view name;       // "orders"
  absl::string_view id_column;  // "order_id"
  absl::string_view what;       // "order": names it in DATA_LOSS errors
  // The bytes `data` holds for a message (what is computed at read left
  // out); nullptr for the whole message.
  std::string (*serialize)(const Message&) = nullptr;
};

// Rewrites, with `edit`, every row of `table` that `select_sql` returns (it
// binds the tenant and `value`, and its columns are the id and `data`):
// the stored message and its account_id and contact_id columns. Etag and
// update_time are whatever `edit` leaves. Returns how many rows changed;
// DATA_LOSS when one does not parse.
template <typename Message, typename Edit>
absl::StatusOr<int64_t> RewritePartyRows(sql::Transaction& txn,
                                         const PartyTable<Message>& table,
                                         absl::string_view tenant,
                                         absl::string_view select_sql,
                                         absl::string_view value, Edit edit) {
  const std::string update_sql = absl::StrCat(
      "UPDATE ", table.name, " SET account_id = ?, contact_id = ?, data = ? ",
      "WHERE tenant = ? AND ", table.id_column, " = ?");
  const sql::Value params[] = {std::string(tenant), std::string(value)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(select_sql, params));
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(Message message,
                     sql::ParseStored<Message>(row.String(1), table.what));
    edit(&message);
    const sql::Value update[] = {
        IdOf(message.account()), IdOf(message.contact()),
        sql::Blob{table.serialize != nullptr ? table.serialize(message)
                                             : message.SerializeAsString()},
        std::string(tenant), row.String(0)};
    RETURN_IF_ERROR(txn.Exec(update_sql, update).status());
  }
  return static_cast<int64_t>(rows.size());
}

// Deletes every row of `table` filed under account `account_id` (erasure)
// and returns their ids, in id order, so that stored responses naming them
// can be forgotten too.
template <typename Message>
absl::StatusOr<std::vector<std::string>> DeletePartyRowsOfAccount(
    sql::Transaction& txn, const PartyTable<Message>& table,
    absl::string_view tenant, absl::string_view account_id) {
  const sql::Value params[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT ", table.id_column, " FROM ", table.name,
                             " WHERE tenant = ? AND account_id = ? ORDER BY ",
                             table.id_column),
                params));
  RETURN_IF_ERROR(txn.Exec(absl::StrCat("DELETE FROM ", table.name,
                                        " WHERE tenant = ? AND account_id = ?"),
                           params)
                      .status());
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_PARTY_ROWS_H_

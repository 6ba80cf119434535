#include "services/engagement/sqlite_order_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// Newest first; the orders_by_* indexes end in (place_us, order_id), so this
// is a backward index walk.
constexpr char kOrder[] = " ORDER BY place_us DESC, order_id DESC";

absl::StatusOr<std::vector<v1::Order>> QueryOrders(
    sql::Transaction& txn, absl::string_view sql,
    absl::Span<const Value> params) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return sql::ParseStoredColumn<v1::Order>(rows, 0, "order");
}

// Rewrites the stored proto (with `edit`) and the account and contact
// columns of every row that `select_sql` (tenant and one value bound;
// columns order_id, data) returns. Returns how many rows changed.
template <typename Edit>
absl::StatusOr<int64_t> RewriteRows(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view select_sql,
                                    absl::string_view value, Edit edit) {
  const Value params[] = {std::string(tenant), std::string(value)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(select_sql, params));
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Order order,
                     sql::ParseStored<v1::Order>(row.String(1), "order"));
    edit(&order);
    const Value update[] = {IdOf(order.account()), IdOf(order.contact()),
                            sql::Blob{order.SerializeAsString()},
                            std::string(tenant), row.String(0)};
    RETURN_IF_ERROR(txn.Exec("UPDATE orders SET account_id = ?, contact_id = "
                             "?, data = ? WHERE tenant = ? AND order_id = ?",
                             update)
                        .status());
  }
  return static_cast<int64_t>(rows.size());
}

}  // namespace

absl::StatusOr<std::optional<v1::Order>> SqliteOrderStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM orders WHERE tenant = ? AND order_id = ?",
                params));
  if (rows.empty()) {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(v1::Order order,
                   sql::ParseStored<v1::Order>(rows[0].String(0), "order"));
  return order;
}

absl::Status SqliteOrderStore::Insert(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view id,
                                      const v1::Order& order) {
  const Value params[] = {std::string(tenant),
                          std::string(id),
                          IdOf(order.account()),
                          IdOf(order.contact()),
                          int64_t{order.status()},
                          order.fulfilment_team(),
                          order.assignee(),
                          PlaceMicros(order),
                          sql::Blob{order.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO orders (tenant, order_id, account_id, contact_id, "
          "status, fulfilment_team, assignee, place_us, data) VALUES (?, ?, "
          "?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteOrderStore::Update(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view id,
                                      const v1::Order& order) {
  const Value params[] = {IdOf(order.account()),
                          IdOf(order.contact()),
                          int64_t{order.status()},
                          order.fulfilment_team(),
                          order.assignee(),
                          PlaceMicros(order),
                          sql::Blob{order.SerializeAsString()},
                          std::string(tenant),
                          std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE orders SET account_id = ?, contact_id = ?, status = ?, "
               "fulfilment_team = ?, assignee = ?, place_us = ?, data = ? "
               "WHERE tenant = ? AND order_id = ?",
               params));
  if (changed == 0) {
    return absl::NotFoundError("order not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Order>> SqliteOrderStore::List(
    sql::Transaction& txn, absl::string_view tenant, const OrderFilter& filter,
    const std::optional<OrderCursor>& after, int limit) {
  // Only the filters in use become conditions, so that SQLite can choose
  // the index that leads with one of them.
  std::vector<std::string> conditions = {"tenant = ?"};
  std::vector<Value> params = {std::string(tenant)};
  if (!filter.account_id.empty()) {
    conditions.emplace_back("account_id = ?");
    params.emplace_back(filter.account_id);
  }
  if (!filter.fulfilment_team.empty()) {
    conditions.emplace_back("fulfilment_team = ?");
    params.emplace_back(filter.fulfilment_team);
  }
  if (!filter.assignee.empty()) {
    conditions.emplace_back("assignee = ?");
    params.emplace_back(filter.assignee);
  }
  if (!filter.statuses.empty()) {
    std::vector<std::string> marks(filter.statuses.size(), "?");
    conditions.push_back(
        absl::StrCat("status IN (", absl::StrJoin(marks, ", "), ")"));
    for (int status : filter.statuses) {
      params.emplace_back(int64_t{status});
    }
  }
  if (filter.place_start_us != std::numeric_limits<int64_t>::min()) {
    conditions.emplace_back("place_us >= ?");
    params.emplace_back(filter.place_start_us);
  }
  if (filter.place_end_us != std::numeric_limits<int64_t>::max()) {
    conditions.emplace_back("place_us < ?");
    params.emplace_back(filter.place_end_us);
  }
  if (after.has_value()) {
    conditions.emplace_back("(place_us, order_id) < (?, ?)");
    params.emplace_back(after->place_us);
    params.emplace_back(after->id);
  }
  params.emplace_back(int64_t{limit});
  return QueryOrders(
      txn,
      absl::StrCat("SELECT data FROM orders WHERE ",
                   absl::StrJoin(conditions, " AND "), kOrder, " LIMIT ?"),
      params);
}

absl::StatusOr<std::vector<v1::Order>> SqliteOrderStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return QueryOrders(
      txn,
      absl::StrCat(
          "SELECT data FROM orders WHERE tenant = ? AND account_id = ?",
          kOrder),
      params);
}

absl::StatusOr<std::vector<v1::Order>> SqliteOrderStore::ListByContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return std::vector<v1::Order>();  // "" is "no contact"
  }
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return QueryOrders(
      txn,
      absl::StrCat(
          "SELECT data FROM orders WHERE tenant = ? AND contact_id = ?",
          kOrder),
      params);
}

absl::StatusOr<std::vector<std::string>> SqliteOrderStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT order_id FROM orders WHERE tenant = ? AND "
                             "account_id = ? ORDER BY order_id",
                             params));
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM orders WHERE tenant = ? AND account_id = ?", params)
          .status());
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ids.push_back(row.String(0));
  }
  return ids;
}

absl::StatusOr<int64_t> SqliteOrderStore::MoveAccount(sql::Transaction& txn,
                                                      absl::string_view tenant,
                                                      absl::string_view from_id,
                                                      absl::string_view to_id) {
  if (from_id == to_id) {
    return 0;
  }
  const std::string to_name = absl::StrCat("accounts/", to_id);
  return RewriteRows(
      txn, tenant,
      "SELECT order_id, data FROM orders WHERE tenant = ? AND account_id = ?",
      from_id, [&](v1::Order* order) { order->set_account(to_name); });
}

absl::StatusOr<int64_t> SqliteOrderStore::ClearContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return 0;  // "" is "no contact", nothing to clear
  }
  return RewriteRows(
      txn, tenant,
      "SELECT order_id, data FROM orders WHERE tenant = ? AND contact_id = ?",
      contact_id, [](v1::Order* order) {
        order->clear_contact();
        order->clear_cancel_reason();
      });
}

absl::StatusOr<std::optional<std::string>> SqliteOrderStore::DealAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view deal_id) {
  const Value params[] = {std::string(tenant), std::string(deal_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT account_id FROM deals WHERE tenant = ? AND deal_id = ?",
                params));
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows[0].String(0);
}

}  // namespace clientele::engagement

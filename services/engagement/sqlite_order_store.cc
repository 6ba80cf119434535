#include "services/engagement/sqlite_order_store.h"

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

// Newest first; the orders_by_* indexes end in (place_us, order_id), so this
// is a backward index walk.
constexpr char kOrder[] = " ORDER BY place_us DESC, order_id DESC";

constexpr PartyTable<v1::Order> kOrderTable = {"orders", "order_id", "order"};

}  // namespace

absl::StatusOr<std::optional<v1::Order>> SqliteOrderStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  return sql::FindStored<v1::Order>(
      txn, "SELECT data FROM orders WHERE tenant = ? AND order_id = ?", params,
      kOrderTable.what);
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
  // Only the filters in use become conditions (common/sql/statement.h), so
  // that SQLite can choose the index that leads with one of them.
  sql::Statement select{"SELECT data FROM orders WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.account_id.empty()) {
    select.Append(" AND account_id = ?", {filter.account_id});
  }
  if (!filter.fulfilment_team.empty()) {
    select.Append(" AND fulfilment_team = ?", {filter.fulfilment_team});
  }
  if (!filter.assignee.empty()) {
    select.Append(" AND assignee = ?", {filter.assignee});
  }
  if (!filter.statuses.empty()) {
    select.AppendIn(" AND status", filter.statuses);
  }
  if (filter.place_start_us != std::numeric_limits<int64_t>::min()) {
    select.Append(" AND place_us >= ?", {filter.place_start_us});
  }
  if (filter.place_end_us != std::numeric_limits<int64_t>::max()) {
    select.Append(" AND place_us < ?", {filter.place_end_us});
  }
  if (after.has_value()) {
    select.Append(" AND (place_us, order_id) < (?, ?)",
                  {after->place_us, after->id});
  }
  select.Append(kOrder);
  select.Append(" LIMIT ?", {int64_t{limit}});
  return sql::QueryStored<v1::Order>(txn, select.sql, select.params,
                                     kOrderTable.what);
}

absl::StatusOr<std::vector<v1::Order>> SqliteOrderStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return sql::QueryStored<v1::Order>(
      txn,
      absl::StrCat(
          "SELECT data FROM orders WHERE tenant = ? AND account_id = ?",
          kOrder),
      params, kOrderTable.what);
}

absl::StatusOr<std::vector<v1::Order>> SqliteOrderStore::ListByContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return std::vector<v1::Order>();  // "" is "no contact"
  }
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return sql::QueryStored<v1::Order>(
      txn,
      absl::StrCat(
          "SELECT data FROM orders WHERE tenant = ? AND contact_id = ?",
          kOrder),
      params, kOrderTable.what);
}

absl::StatusOr<std::vector<std::string>> SqliteOrderStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  return DeletePartyRowsOfAccount(txn, kOrderTable, tenant, account_id);
}

absl::StatusOr<int64_t> SqliteOrderStore::MoveAccount(sql::Transaction& txn,
                                                      absl::string_view tenant,
                                                      absl::string_view from_id,
                                                      absl::string_view to_id) {
  if (from_id == to_id) {
    return 0;
  }
  const std::string to_name = absl::StrCat("accounts/", to_id);
  return RewritePartyRows(
      txn, kOrderTable, tenant,
      "SELECT order_id, data FROM orders WHERE tenant = ? AND account_id = ?",
      from_id, [&](v1::Order* order) { order->set_account(to_name); });
}

absl::StatusOr<int64_t> SqliteOrderStore::ClearContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return 0;  // "" is "no contact", nothing to clear
  }
  return RewritePartyRows(
      txn, kOrderTable, tenant,
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

#include "services/engagement/sqlite_deal_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sql/statement.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/party_rows.h"

namespace clientele::engagement {
namespace {

using sql::Value;

// Lists order by (expected_close_day, deal_id): deals_by_close and the
// primary key make that an index walk.
constexpr char kOrder[] = " ORDER BY expected_close_day, deal_id";

// Queries by account, contact or pipeline name their index (INDEXED BY):
// without statistics SQLite would rather walk the tenant's rows in primary
// key order, and the cost of these reads must not grow with the tenant.

Value CloseDay(const v1::Deal& deal) {
  if (!deal.has_close_date()) {
    return Value(std::monostate());
  }
  return Value(DayOf(deal.close_date()));
}

// The deal as stored: without what is computed at read.
std::string Serialized(const v1::Deal& deal) {
  v1::Deal stored = deal;
  stored.clear_probability();
  stored.clear_weighted_amount();
  stored.clear_proposals();
  return stored.SerializeAsString();
}

constexpr PartyTable<v1::Deal> kDealTable = {"deals", "deal_id", "deal",
                                             &Serialized};

// Appends the pipeline's owner and kind conditions.
void AddPipelineFilters(const PipelineQuery& query, sql::Statement* select) {
  if (!query.owner.empty()) select->Append(" AND owner = ?", {query.owner});
  if (query.kind != v1::DEAL_KIND_UNSPECIFIED) {
    select->Append(" AND kind = ?", {int64_t{query.kind}});
  }
}

}  // namespace

absl::StatusOr<std::optional<v1::Deal>> SqliteDealStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  return sql::FindStored<v1::Deal>(
      txn, "SELECT data FROM deals WHERE tenant = ? AND deal_id = ?", params,
      kDealTable.what);
}

absl::Status SqliteDealStore::Insert(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view id,
                                     const v1::Deal& deal) {
  const Value params[] = {std::string(tenant),
                          std::string(id),
                          IdOf(deal.account()),
                          IdOf(deal.contact()),
                          int64_t{deal.stage()},
                          int64_t{deal.kind()},
                          deal.owner(),
                          DayOf(deal.expected_close_date()),
                          CloseDay(deal),
                          deal.amount().currency_code(),
                          deal.amount().amount_minor_units(),
                          sql::Blob{Serialized(deal)}};
  return txn
      .Exec(
          "INSERT INTO deals (tenant, deal_id, account_id, contact_id, stage, "
          "kind, owner, expected_close_day, close_day, currency, amount_minor, "
          "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteDealStore::Update(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view id,
                                     const v1::Deal& deal) {
  const Value params[] = {IdOf(deal.account()),
                          IdOf(deal.contact()),
                          int64_t{deal.stage()},
                          int64_t{deal.kind()},
                          deal.owner(),
                          DayOf(deal.expected_close_date()),
                          CloseDay(deal),
                          deal.amount().currency_code(),
                          deal.amount().amount_minor_units(),
                          sql::Blob{Serialized(deal)},
                          std::string(tenant),
                          std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE deals SET account_id = ?, contact_id = ?, stage = ?, "
               "kind = ?, owner = ?, expected_close_day = ?, close_day = ?, "
               "currency = ?, amount_minor = ?, data = ? WHERE tenant = ? AND "
               "deal_id = ?",
               params));
  if (changed == 0) {
    return absl::NotFoundError("deal not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Deal>> SqliteDealStore::List(
    sql::Transaction& txn, absl::string_view tenant, const DealFilter& filter,
    const std::optional<DealCursor>& after, int limit) {
  // Only the filters in use become conditions (common/sql/statement.h).
  sql::Statement select{"SELECT data FROM deals WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.account_id.empty()) {
    select.Append(" AND account_id = ?", {filter.account_id});
  }
  if (!filter.stages.empty()) select.AppendIn(" AND stage", filter.stages);
  if (!filter.owner.empty()) select.Append(" AND owner = ?", {filter.owner});
  if (filter.start_day != std::numeric_limits<int64_t>::min()) {
    select.Append(" AND expected_close_day >= ?", {filter.start_day});
  }
  if (filter.end_day != std::numeric_limits<int64_t>::max()) {
    select.Append(" AND expected_close_day <= ?", {filter.end_day});
  }
  if (after.has_value()) {
    select.Append(" AND (expected_close_day, deal_id) > (?, ?)",
                  {after->expected_close_day, after->id});
  }
  select.Append(kOrder);
  select.Append(" LIMIT ?", {int64_t{limit}});
  return sql::QueryStored<v1::Deal>(txn, select.sql, select.params,
                                    kDealTable.what);
}

absl::StatusOr<PipelineRows> SqliteDealStore::ListForPipeline(
    sql::Transaction& txn, absl::string_view tenant,
    const PipelineQuery& query) {
  PipelineRows result;
  constexpr char kColumns[] =
      "SELECT stage, expected_close_day, close_day, currency, amount_minor "
      "FROM deals ";
  // Open deals of the quarter, then deals closed in it.
  const char* const kWhich[] = {
      "INDEXED BY deals_open WHERE tenant = ? AND close_day IS NULL AND "
      "expected_close_day BETWEEN ? AND ?",
      "INDEXED BY deals_by_closed_day WHERE tenant = ? AND close_day IS NOT "
      "NULL AND close_day BETWEEN ? AND ?"};
  for (const char* which : kWhich) {
    sql::Statement select{
        absl::StrCat(kColumns, which),
        {std::string(tenant), query.first_day, query.last_day}};
    AddPipelineFilters(query, &select);
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(select.sql, select.params));
    for (const sql::Row& row : rows) {
      PipelineDeal deal;
      deal.stage = static_cast<v1::DealStage>(row.Int(0));
      deal.expected_close_day = row.Int(1);
      if (!row.IsNull(2)) {
        deal.close_day = row.Int(2);
      }
      deal.currency = row.String(3);
      deal.amount_minor = row.Int(4);
      result.deals.push_back(std::move(deal));
    }
  }
  sql::Statement count{
      "SELECT count(*) FROM deals INDEXED BY deals_open WHERE tenant = ? AND "
      "close_day IS NULL AND expected_close_day < ?",
      {std::string(tenant), query.first_day}};
  AddPipelineFilters(query, &count);
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(count.sql, count.params));
  result.overdue_count = rows.empty() ? 0 : rows[0].Int(0);
  return result;
}

absl::StatusOr<std::vector<ClosedDealRow>> SqliteDealStore::ListClosed(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, int64_t through_day) {
  const Value params[] = {std::string(tenant), std::string(account_id),
                          through_day};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT kind, stage, close_day, currency, amount_minor FROM "
                "deals INDEXED BY deals_closed_by_account WHERE tenant = ? AND "
                "account_id = ? AND close_day IS NOT NULL AND close_day <= ? "
                "ORDER BY close_day, deal_id",
                params));
  std::vector<ClosedDealRow> closed;
  closed.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ClosedDealRow deal;
    deal.kind = static_cast<v1::DealKind>(row.Int(0));
    deal.stage = static_cast<v1::DealStage>(row.Int(1));
    deal.close_day = row.Int(2);
    deal.currency = row.String(3);
    deal.amount_minor = row.Int(4);
    closed.push_back(std::move(deal));
  }
  return closed;
}

absl::StatusOr<std::vector<v1::Deal>> SqliteDealStore::ListByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  return sql::QueryStored<v1::Deal>(
      txn,
      absl::StrCat("SELECT data FROM deals INDEXED BY deals_by_account WHERE "
                   "tenant = ? AND account_id = ?",
                   kOrder),
      params, kDealTable.what);
}

absl::StatusOr<std::vector<v1::Deal>> SqliteDealStore::ListByContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return std::vector<v1::Deal>();
  }
  const Value params[] = {std::string(tenant), std::string(contact_id)};
  return sql::QueryStored<v1::Deal>(
      txn,
      absl::StrCat("SELECT data FROM deals INDEXED BY deals_by_contact WHERE "
                   "tenant = ? AND contact_id = ? AND contact_id != ''",
                   kOrder),
      params, kDealTable.what);
}

absl::StatusOr<std::vector<std::string>> SqliteDealStore::DeleteByAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("DELETE FROM deals WHERE tenant = ? AND account_id = ? "
                "RETURNING deal_id",
                params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) {
    const Value link[] = {std::string(tenant), row.String(0)};
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM deal_proposals WHERE tenant = ? AND deal_id = ?",
                 link)
            .status());
    ids.push_back(row.String(0));
  }
  return ids;
}

absl::StatusOr<int64_t> SqliteDealStore::MoveAccount(sql::Transaction& txn,
                                                     absl::string_view tenant,
                                                     absl::string_view from_id,
                                                     absl::string_view to_id) {
  if (from_id == to_id) {
    return 0;
  }
  const std::string to_name = absl::StrCat("accounts/", to_id);
  return RewritePartyRows(
      txn, kDealTable, tenant,
      "SELECT deal_id, data FROM deals INDEXED BY deals_by_account WHERE "
      "tenant = ? AND account_id = ?",
      from_id, [&](v1::Deal* deal) { deal->set_account(to_name); });
}

absl::StatusOr<int64_t> SqliteDealStore::ClearContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) {
    return 0;  // "" is "no contact": nothing to clear
  }
  return RewritePartyRows(
      txn, kDealTable, tenant,
      "SELECT deal_id, data FROM deals INDEXED BY deals_by_contact WHERE "
      "tenant = ? AND contact_id = ? AND contact_id != ''",
      contact_id, [](v1::Deal* deal) {
        deal->clear_contact();
        deal->set_title(kErasedDealTitle);
        deal->clear_close_note();
      });
}

absl::Status SqliteDealStore::AddProposal(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view deal_id,
                                          int64_t occur_us,
                                          absl::string_view interaction_id) {
  const Value params[] = {std::string(tenant), std::string(deal_id), occur_us,
                          std::string(interaction_id)};
  return txn
      .Exec(
          "INSERT OR IGNORE INTO deal_proposals (tenant, deal_id, occur_us, "
          "interaction_id) VALUES (?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteDealStore::RemoveProposal(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             absl::string_view interaction_id) {
  const Value params[] = {std::string(tenant), std::string(interaction_id)};
  return txn
      .Exec(
          "DELETE FROM deal_proposals WHERE tenant = ? AND interaction_id = ?",
          params)
      .status();
}

absl::StatusOr<std::vector<std::string>> SqliteDealStore::ListProposals(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view deal_id,
    int limit) {
  const Value params[] = {std::string(tenant), std::string(deal_id),
                          int64_t{limit}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT interaction_id FROM (SELECT occur_us, interaction_id "
                "FROM deal_proposals WHERE tenant = ? AND deal_id = ? ORDER BY "
                "occur_us DESC, interaction_id DESC LIMIT ?) ORDER BY "
                "occur_us, interaction_id",
                params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ids.push_back(row.String(0));
  }
  return ids;
}

}  // namespace clientele::engagement

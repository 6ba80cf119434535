#include "services/reporting/report_fast_path.h"

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/status_macros.h"
#include "services/reporting/report_blocks.h"

namespace clientele::reporting {

absl::StatusOr<bool> DatedAfterAsOf(sql::Transaction& txn,
                                    const ReportScope& scope,
                                    absl::string_view source,
                                    absl::string_view column) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT EXISTS (SELECT 1 FROM ", source,
                             " WHERE tenant = ? AND ", column, " > ?)"),
                {scope.tenant, scope.as_of_us}));
  return rows[0].Int(0) != 0;
}

absl::StatusOr<bool> TicketFactsAfterAsOf(sql::Transaction& txn,
                                          const ReportScope& scope) {
  ASSIGN_OR_RETURN(
      const bool replied,
      DatedAfterAsOf(txn, scope, "tickets INDEXED BY tickets_by_first_response",
                     "first_response_us"));
  if (replied) return true;
  return DatedAfterAsOf(
      txn, scope, "sla_clocks INDEXED BY sla_clocks_by_judged", "judged_us");
}

absl::string_view BlobOf(const sql::Row& row, std::string* held) {
  if (const auto* blob = std::get_if<sql::Blob>(&row.value(0))) {
    return blob->bytes;
  }
  *held = row.String(0);
  return *held;
}

void AppendCellFilter(const v1::ReportFilter& filter, absl::string_view prefix,
                      SqlFragment* out) {
  const auto append = [&](absl::string_view column, const auto& values) {
    if (values.empty()) return;
    absl::StrAppend(&out->sql, " AND ", prefix, column, " IN (");
    for (int i = 0; i < values.size(); ++i) {
      absl::StrAppend(&out->sql, i == 0 ? "?" : ", ?");
      out->params.emplace_back(static_cast<int64_t>(values.Get(i)));
    }
    absl::StrAppend(&out->sql, ")");
  };
  append("tier", filter.tiers());
  append("segment", filter.segments());
  append("mode", filter.modes());
}

namespace {

// "(<primary key of block 1>) OR ..." for the whole days of the range in
// `currency` (the whole key in each arm: SQLite then seeks each block);
// false when the range has no whole day. An empty `currency`: a table of
// blocks without one.
bool AppendBlocks(const std::string& tenant, const std::string& currency,
                  const SplitRange& split, SqlFragment* out) {
  const std::vector<DayBlock> blocks =
      DecomposeDays(split.first_day, split.end_day);
  if (blocks.empty()) return false;
  absl::StrAppend(&out->sql, "(");
  for (size_t i = 0; i < blocks.size(); ++i) {
    absl::StrAppend(&out->sql, i == 0 ? "" : " OR ", "(tenant = ? AND ",
                    currency.empty() ? "" : "currency = ? AND ",
                    "level = ? AND block_day = ?)");
    out->params.emplace_back(tenant);
    if (!currency.empty()) out->params.emplace_back(currency);
    out->params.emplace_back(int64_t{blocks[i].level});
    out->params.emplace_back(blocks[i].block_day);
  }
  absl::StrAppend(&out->sql, ")");
  return true;
}

// " AND ((i.tenant = ? AND i.occur_us >= ? AND i.occur_us < ?) OR (...))"
// for the partial days at the range's ends (the tenant in each arm, as in
// RevenueByAccount, so SQLite reads interactions_by_time twice).
void AppendPartialDays(const ReportScope& scope, const SplitRange& split,
                       SqlFragment* out) {
  absl::StrAppend(&out->sql,
                  " AND ((i.tenant = ? AND i.occur_us >= ? AND "
                  "i.occur_us < ?) OR (i.tenant = ? AND i.occur_us >= ? "
                  "AND i.occur_us < ?))");
  for (const sql::Value& value :
       {sql::Value(scope.tenant), sql::Value(split.start_us),
        sql::Value(split.head_end_us), sql::Value(scope.tenant),
        sql::Value(split.tail_start_us), sql::Value(split.end_us)}) {
    out->params.push_back(value);
  }
}

bool HasPartialDays(const SplitRange& split) {
  return split.start_us < split.head_end_us ||
         split.tail_start_us < split.end_us;
}

// Rows of (`column`, recurring, transactional): the revenue in
// scope.currency over the range, the whole days from `table`'s day blocks
// (grouped by its `column`), the partial days at the range's ends from the
// interactions of the accounts with a cell (grouped by the cell's
// `column`). With `cell_filter` the filter's cell dimensions narrow both.
absl::StatusOr<std::vector<sql::Row>> BlockRevenueRows(sql::Transaction& txn,
                                                       const ReportScope& scope,
                                                       absl::string_view table,
                                                       absl::string_view column,
                                                       bool cell_filter) {
  const SplitRange split = SplitTimeRange(scope.start_us, scope.end_us);
  std::vector<sql::Row> out;
  SqlFragment blocks;
  blocks.sql = absl::StrCat("SELECT ", column,
                            ", SUM(recurring_minor), SUM(transactional_minor) "
                            "FROM ",
                            table, " WHERE ");
  if (AppendBlocks(scope.tenant, scope.currency, split, &blocks)) {
    if (cell_filter) AppendCellFilter(scope.filter, "", &blocks);
    absl::StrAppend(&blocks.sql, " GROUP BY ", column);
    ASSIGN_OR_RETURN(out, txn.Query(blocks.sql, blocks.params));
  }
  if (HasPartialDays(split)) {
    const std::string recurring_kinds =
        absl::StrCat(events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT, ", ",
                     events::v1::INTERACTION_KIND_RETAINER_INVOICE);
    SqlFragment partial;
    partial.sql = absl::StrCat(
        "SELECT c.", column, ", SUM(CASE WHEN i.kind IN (", recurring_kinds,
        ") THEN i.amount_minor ELSE 0 END), SUM(CASE WHEN i.kind IN (",
        recurring_kinds,
        ") THEN 0 ELSE i.amount_minor END) FROM interactions i "
        "JOIN account_cells c ON c.tenant = i.tenant "
        "AND c.account_id = i.account_id WHERE i.currency = ? "
        "AND i.kind IN (",
        events::v1::INTERACTION_KIND_PURCHASE, ", ", recurring_kinds, ", ",
        events::v1::INTERACTION_KIND_REFUND, ")");
    partial.params = {scope.currency};
    AppendPartialDays(scope, split, &partial);
    if (cell_filter) AppendCellFilter(scope.filter, "c.", &partial);
    absl::StrAppend(&partial.sql, " GROUP BY c.", column);
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(partial.sql, partial.params));
    for (sql::Row& row : rows) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

bool CellFilterOnly(const v1::ReportFilter& filter) {
  return filter.account_manager().empty() && filter.owner().empty();
}

bool Unfiltered(const v1::ReportFilter& filter) {
  return CellFilterOnly(filter) && filter.tiers().empty() &&
         filter.segments().empty() && filter.modes().empty();
}

SqlFragment ScopedAccountCells(const ReportScope& scope, bool fast) {
  if (!fast || !CellFilterOnly(scope.filter)) return ScopedAccounts(scope);
  SqlFragment out;
  out.sql =
      "SELECT account_id, account_manager FROM account_cells "
      "WHERE tenant = ?";
  out.params = {scope.tenant};
  AppendCellFilter(scope.filter, "", &out);
  return out;
}

absl::StatusOr<std::vector<ModeBandCount>> CellCountsByModeBand(
    sql::Transaction& txn, const ReportScope& scope) {
  SqlFragment query;
  query.sql =
      "SELECT mode, band, SUM(accounts), SUM(score_sum) FROM cell_counts "
      "WHERE tenant = ?";
  query.params = {scope.tenant};
  AppendCellFilter(scope.filter, "", &query);
  absl::StrAppend(&query.sql, " GROUP BY mode, band");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(query.sql, query.params));
  std::vector<ModeBandCount> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    out.push_back({row.Int(0), row.Int(1), row.Int(2), row.Int(3)});
  }
  return out;
}

absl::StatusOr<std::vector<ModeRevenue>> CellRevenueByMode(
    sql::Transaction& txn, const ReportScope& scope) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   BlockRevenueRows(txn, scope, "cell_revenue_blocks", "mode",
                                    /*cell_filter=*/true));
  std::map<int64_t, ModeRevenue> by_mode;
  for (const sql::Row& row : rows) {
    ModeRevenue& revenue = by_mode[row.Int(0)];
    revenue.recurring_minor += row.Int(1);
    revenue.transactional_minor += row.Int(2);
  }
  std::vector<ModeRevenue> out;
  out.reserve(by_mode.size());
  for (auto& [mode, revenue] : by_mode) {
    revenue.mode = mode;
    out.push_back(revenue);
  }
  return out;
}

absl::StatusOr<int64_t> CellOtherCurrencyInteractions(
    sql::Transaction& txn, const ReportScope& scope) {
  const SplitRange split = SplitTimeRange(scope.start_us, scope.end_us);
  int64_t count = 0;
  // Every currency of a block is one the tenant's counts hold.
  ASSIGN_OR_RETURN(std::vector<sql::Row> currencies,
                   txn.Query("SELECT currency FROM tenant_currency_counts "
                             "WHERE tenant = ? AND currency != '' "
                             "AND currency != ?",
                             {scope.tenant, scope.currency}));
  // The signed runs of blocks (report_blocks.h): about a third of the rows
  // DecomposeDays' blocks would read for a quarter.
  const std::vector<BlockRun> runs =
      SignedBlockRuns(split.first_day, split.end_day);
  for (const sql::Row& currency : currencies) {
    if (runs.empty()) break;
    SqlFragment blocks;
    blocks.sql = "SELECT COALESCE(SUM(s), 0) FROM (";
    for (size_t i = 0; i < runs.size(); ++i) {
      absl::StrAppend(&blocks.sql, i == 0 ? "" : " UNION ALL ",
                      "SELECT ? * SUM(interactions) AS s "
                      "FROM cell_revenue_blocks WHERE tenant = ? AND "
                      "currency = ? AND level = ? AND block_day >= ? AND "
                      "block_day <= ?");
      for (const sql::Value& value :
           {sql::Value(int64_t{runs[i].sign}), sql::Value(scope.tenant),
            sql::Value(currency.String(0)), sql::Value(int64_t{runs[i].level}),
            sql::Value(runs[i].first_block_day),
            sql::Value(runs[i].last_block_day)}) {
        blocks.params.push_back(value);
      }
      AppendCellFilter(scope.filter, "", &blocks);
    }
    absl::StrAppend(&blocks.sql, ")");
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(blocks.sql, blocks.params));
    count += rows[0].Int(0);
  }
  if (HasPartialDays(split)) {
    SqlFragment partial;
    partial.sql =
        "SELECT COUNT(*) FROM interactions i JOIN account_cells c "
        "ON c.tenant = i.tenant AND c.account_id = i.account_id "
        "WHERE i.currency != '' AND i.currency != ?";
    partial.params = {scope.currency};
    AppendPartialDays(scope, split, &partial);
    AppendCellFilter(scope.filter, "c.", &partial);
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(partial.sql, partial.params));
    count += rows[0].Int(0);
  }
  return count;
}

absl::StatusOr<std::vector<ManagerCount>> ManagerCounts(
    sql::Transaction& txn, const ReportScope& scope) {
  SqlFragment query;
  query.sql = absl::StrCat(
      "SELECT account_manager, SUM(accounts), SUM(CASE WHEN mode = ",
      type::v1::RELATIONSHIP_MODE_CLIENT,
      " THEN accounts ELSE 0 END), SUM(CASE WHEN band IN (",
      type::v1::SCORE_BAND_AT_RISK, ", ", type::v1::SCORE_BAND_NEEDS_ATTENTION,
      ") THEN accounts ELSE 0 END) FROM manager_cells WHERE tenant = ?");
  query.params = {scope.tenant};
  AppendCellFilter(scope.filter, "", &query);
  absl::StrAppend(&query.sql,
                  " GROUP BY account_manager HAVING SUM(accounts) > 0");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(query.sql, query.params));
  std::vector<ManagerCount> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    out.push_back({row.String(0), row.Int(1), row.Int(2), row.Int(3)});
  }
  return out;
}

absl::StatusOr<std::vector<ManagerRevenue>> ManagerRevenues(
    sql::Transaction& txn, const ReportScope& scope) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      BlockRevenueRows(txn, scope, "manager_revenue_blocks", "account_manager",
                       /*cell_filter=*/false));
  std::map<std::string, ManagerRevenue> by_manager;
  for (const sql::Row& row : rows) {
    if (row.String(0).empty()) continue;  // partial days without a manager
    ManagerRevenue& revenue = by_manager[row.String(0)];
    revenue.recurring_minor += row.Int(1);
    revenue.transactional_minor += row.Int(2);
  }
  std::vector<ManagerRevenue> out;
  out.reserve(by_manager.size());
  for (auto& [manager, revenue] : by_manager) {
    revenue.account_manager = manager;
    out.push_back(std::move(revenue));
  }
  return out;
}

absl::StatusOr<std::vector<StaffInteractions>> StaffInteractionCounts(
    sql::Transaction& txn, const ReportScope& scope) {
  const SplitRange split = SplitTimeRange(scope.start_us, scope.end_us);
  std::map<std::string, int64_t> by_staff;
  SqlFragment blocks;
  blocks.sql =
      "SELECT staff_user, SUM(interactions) FROM staff_activity_blocks "
      "WHERE ";
  if (AppendBlocks(scope.tenant, "", split, &blocks)) {
    absl::StrAppend(&blocks.sql, " GROUP BY staff_user");
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(blocks.sql, blocks.params));
    for (const sql::Row& row : rows) by_staff[row.String(0)] += row.Int(1);
  }
  if (HasPartialDays(split)) {
    SqlFragment partial;
    partial.sql =
        "SELECT i.staff_user, COUNT(*) FROM interactions i "
        "JOIN account_cells c ON c.tenant = i.tenant "
        "AND c.account_id = i.account_id WHERE i.staff_user != ''";
    AppendPartialDays(scope, split, &partial);
    absl::StrAppend(&partial.sql, " GROUP BY i.staff_user");
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(partial.sql, partial.params));
    for (const sql::Row& row : rows) by_staff[row.String(0)] += row.Int(1);
  }
  std::vector<StaffInteractions> out;
  out.reserve(by_staff.size());
  for (const auto& [staff, interactions] : by_staff) {
    out.push_back({staff, interactions});
  }
  return out;
}

absl::StatusOr<std::vector<StaffOpenTickets>> StaffOpenTicketCounts(
    sql::Transaction& txn, const std::string& tenant) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT staff_user, assigned, managed FROM staff_open_tickets "
                "WHERE tenant = ? AND (assigned != 0 OR managed != 0)",
                {tenant}));
  std::vector<StaffOpenTickets> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    out.push_back({row.String(0), row.Int(1), row.Int(2)});
  }
  return out;
}

absl::StatusOr<std::vector<DealCellSum>> DealCellSums(sql::Transaction& txn,
                                                      const ReportScope& scope,
                                                      int64_t first_month,
                                                      int64_t last_month) {
  // Without a cell filter, the cells summed already (deal_months): a row
  // per stage, month and currency whatever the number of accounts.
  const bool by_cell = !Unfiltered(scope.filter);
  SqlFragment query;
  query.sql = absl::StrCat(
      "SELECT stage, month, currency, SUM(deals), SUM(amount_minor), "
      "SUM(weighted_minor) FROM ",
      by_cell ? "deal_cells" : "deal_months",
      " WHERE ((tenant = ? AND stage IN (", kOpenDealStagesSql,
      ") AND month <= ?) OR (tenant = ? AND stage IN (", kClosedDealStagesSql,
      ") AND month >= ? AND month <= ?))");
  query.params = {scope.tenant, last_month, scope.tenant, first_month,
                  last_month};
  if (by_cell) AppendCellFilter(scope.filter, "", &query);
  absl::StrAppend(&query.sql,
                  " GROUP BY stage, month, currency HAVING SUM(deals) != 0");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(query.sql, query.params));
  std::vector<DealCellSum> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    out.push_back({row.Int(0), row.Int(1), row.String(2), row.Int(3),
                   row.Int(4), row.Int(5)});
  }
  return out;
}

absl::StatusOr<std::optional<double>> NewestStageProbability(
    sql::Transaction& txn, const std::string& tenant, int64_t stage) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT probability FROM deal_versions WHERE tenant = ? "
                "AND stage = ? AND to_us = ? "
                "ORDER BY from_us DESC, deal_id DESC LIMIT 1",
                {tenant, stage, kOpenEndUs}));
  if (rows.empty()) return std::optional<double>();
  return std::optional<double>(rows[0].Double(0));
}

}  // namespace clientele::reporting

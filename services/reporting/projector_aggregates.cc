#include "services/reporting/projector_aggregates.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The levels' VALUES must match report_blocks.h (1, 8, 64, 512 days).
const char kReportAggregatesSql[] = R"sql(
CREATE TABLE report_horizon (
  tenant TEXT NOT NULL,
  max_us INTEGER NOT NULL,
  PRIMARY KEY (tenant)
) WITHOUT ROWID;
INSERT INTO report_horizon (tenant, max_us)
  SELECT tenant, MAX(applied_us) FROM stream_watermarks GROUP BY tenant;

CREATE TABLE tenant_currency_counts (
  tenant TEXT NOT NULL,
  currency TEXT NOT NULL,
  interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, currency)
) WITHOUT ROWID;
INSERT INTO tenant_currency_counts (tenant, currency, interactions)
  SELECT tenant, currency, SUM(interactions) FROM revenue_days
  GROUP BY tenant, currency HAVING SUM(interactions) > 0;

CREATE TABLE account_cells (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  mode INTEGER NOT NULL,
  band INTEGER NOT NULL,
  score INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;
INSERT INTO account_cells (tenant, account_id, mode, band, score, tier,
                           segment)
  SELECT v.tenant, v.account_id, COALESCE(s.mode, 0), COALESCE(s.band, 0),
         COALESCE(s.score, 0), v.tier, v.segment
  FROM account_versions v LEFT JOIN score_versions s
    ON s.tenant = v.tenant AND s.account_id = v.account_id
   AND s.to_us = 9223372036854775807
  WHERE v.to_us = 9223372036854775807 AND v.state = 0;

-- Accounts detached from the cells during the current event, synced at
-- its end (empty between events).
CREATE TABLE account_cells_pending (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;

CREATE TABLE cell_counts (
  tenant TEXT NOT NULL,
  mode INTEGER NOT NULL,
  band INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  accounts INTEGER NOT NULL,
  score_sum INTEGER NOT NULL,
  PRIMARY KEY (tenant, mode, band, tier, segment)
) WITHOUT ROWID;
INSERT INTO cell_counts
  SELECT tenant, mode, band, tier, segment, COUNT(*), SUM(score)
  FROM account_cells GROUP BY tenant, mode, band, tier, segment;

-- A block's rows may stay at zero after moves.
CREATE TABLE cell_revenue_blocks (
  tenant TEXT NOT NULL,
  currency TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  recurring_minor INTEGER NOT NULL,
  transactional_minor INTEGER NOT NULL,
  interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, currency, level, block_day, mode, tier, segment)
) WITHOUT ROWID;
WITH levels (level, size) AS (VALUES (0, 1), (1, 8), (2, 64), (3, 512))
INSERT INTO cell_revenue_blocks
  SELECT r.tenant, r.currency, l.level, r.day & ~(l.size - 1), c.mode,
         c.tier, c.segment, SUM(r.recurring_minor),
         SUM(r.transactional_minor), SUM(r.interactions)
  FROM revenue_days r
  JOIN account_cells c ON c.tenant = r.tenant AND c.account_id = r.account_id
  CROSS JOIN levels l
  GROUP BY r.tenant, r.currency, l.level, r.day & ~(l.size - 1), c.mode,
           c.tier, c.segment;
)sql";

namespace projector_internal {
namespace {

// "(0, 1), (1, 8), ..." for a `levels (level, size)` CTE.
std::string LevelsValues() {
  std::string values;
  for (int level = 0; level < kBlockLevels; ++level) {
    absl::StrAppend(&values, level == 0 ? "" : ", ", "(", level, ", ",
                    BlockDays(level), ")");
  }
  return values;
}

// The head of a statement adding rows to cell_revenue_blocks, one per level
// (its SELECT reads `levels`); kAddToBlock ends it.
std::string InsertIntoBlocks() {
  return absl::StrCat(
      "WITH levels (level, size) AS (VALUES ", LevelsValues(),
      ") INSERT INTO cell_revenue_blocks (tenant, currency, level, "
      "block_day, mode, tier, segment, recurring_minor, "
      "transactional_minor, interactions) ");
}

constexpr char kAddToBlock[] =
    " ON CONFLICT (tenant, currency, level, block_day, mode, tier, segment) "
    "DO UPDATE SET recurring_minor = recurring_minor + "
    "excluded.recurring_minor, transactional_minor = transactional_minor + "
    "excluded.transactional_minor, interactions = interactions + "
    "excluded.interactions";

using Cell = AccountCell;

constexpr char kCellColumns[] =
    "mode, band, score, tier, segment, account_manager";

Cell CellOf(const sql::Row& row) {
  return {row.Int(0), row.Int(1), row.Int(2),
          row.Int(3), row.Int(4), row.String(5)};
}

// The cell the account's current versions give it, as ScopedAccounts reads
// them; nullopt when it is not live.
absl::StatusOr<std::optional<Cell>> LiveCell(sql::Transaction& txn,
                                             const std::string& tenant,
                                             const std::string& id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT COALESCE(s.mode, 0), COALESCE(s.band, 0), "
                "COALESCE(s.score, 0), v.tier, v.segment, "
                "v.account_manager FROM account_versions v LEFT JOIN "
                "score_versions s "
                "ON s.tenant = v.tenant AND s.account_id = v.account_id "
                "AND s.to_us = ? "
                "WHERE v.tenant = ? AND v.account_id = ? AND v.to_us = ? "
                "AND v.state = 0",
                {kOpenEndUs, tenant, id, kOpenEndUs}));
  if (rows.empty()) return std::optional<Cell>();
  return std::optional<Cell>(CellOf(rows[0]));
}

absl::Status CountCell(sql::Transaction& txn, const std::string& tenant,
                       const Cell& cell, int64_t sign) {
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO cell_counts (tenant, mode, band, tier, segment, "
               "accounts, score_sum) VALUES (?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, mode, band, tier, segment) DO UPDATE "
               "SET accounts = accounts + excluded.accounts, "
               "score_sum = score_sum + excluded.score_sum",
               {tenant, cell.mode, cell.band, cell.tier, cell.segment, sign,
                sign * cell.score})
          .status());
  if (sign > 0) return absl::OkStatus();
  return txn
      .Exec(
          "DELETE FROM cell_counts WHERE tenant = ? AND mode = ? AND "
          "band = ? AND tier = ? AND segment = ? AND accounts <= 0",
          {tenant, cell.mode, cell.band, cell.tier, cell.segment})
      .status();
}

// The account's share of manager_cells, when it has a manager.
absl::Status CountManager(sql::Transaction& txn, const std::string& tenant,
                          const Cell& cell, int64_t sign) {
  if (cell.account_manager.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO manager_cells (tenant, account_manager, mode, "
               "band, tier, segment, accounts) VALUES (?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, account_manager, mode, band, tier, "
               "segment) DO UPDATE SET accounts = accounts + "
               "excluded.accounts",
               {tenant, cell.account_manager, cell.mode, cell.band, cell.tier,
                cell.segment, sign})
          .status());
  if (sign > 0) return absl::OkStatus();
  return txn
      .Exec(
          "DELETE FROM manager_cells WHERE tenant = ? AND "
          "account_manager = ? AND mode = ? AND band = ? AND tier = ? AND "
          "segment = ? AND accounts <= 0",
          {tenant, cell.account_manager, cell.mode, cell.band, cell.tier,
           cell.segment})
      .status();
}

// Adds (sign +1) or takes away (-1) all of the account's revenue_days under
// its manager and `cell` in manager_revenue_blocks (nothing without a
// manager).
absl::Status MoveManagerRevenue(sql::Transaction& txn,
                                const std::string& tenant,
                                const std::string& id, const Cell& cell,
                                int64_t sign) {
  if (cell.account_manager.empty()) return absl::OkStatus();
  return txn
      .Exec(absl::StrCat(
                "WITH levels (level, size) AS (VALUES ", LevelsValues(),
                ") INSERT INTO manager_revenue_blocks (tenant, currency, "
                "level, block_day, account_manager, recurring_minor, "
                "transactional_minor, interactions) "
                "SELECT ?, r.currency, l.level, r.day & ~(l.size - 1), ?, "
                "? * SUM(r.recurring_minor), "
                "? * SUM(r.transactional_minor), ? * SUM(r.interactions) "
                "FROM revenue_days r, levels l "
                "WHERE r.tenant = ? AND r.account_id = ? "
                "GROUP BY r.currency, l.level, r.day & ~(l.size - 1) "
                "ON CONFLICT (tenant, currency, level, block_day, "
                "account_manager) DO UPDATE SET "
                "recurring_minor = recurring_minor + "
                "excluded.recurring_minor, transactional_minor = "
                "transactional_minor + excluded.transactional_minor, "
                "interactions = interactions + excluded.interactions"),
            {tenant, cell.account_manager, sign, sign, sign, tenant, id})
      .status();
}

// Adds (sign +1) or takes away (-1) the account's activity_days with a
// staff user under `cell` in staff_activity_blocks.
absl::Status MoveActivity(sql::Transaction& txn, const std::string& tenant,
                          const std::string& id, const Cell& cell,
                          int64_t sign) {
  return txn
      .Exec(absl::StrCat(
                "WITH levels (level, size) AS (VALUES ", LevelsValues(),
                ") INSERT INTO staff_activity_blocks (tenant, level, "
                "block_day, staff_user, interactions) "
                "SELECT ?, l.level, d.day & ~(l.size - 1), d.staff_user, "
                "? * SUM(d.interactions) "
                "FROM activity_days d, levels l "
                "WHERE d.tenant = ? AND d.account_id = ? "
                "AND d.staff_user != '' "
                "GROUP BY l.level, d.day & ~(l.size - 1), d.staff_user "
                "ON CONFLICT (tenant, level, block_day, staff_user) "
                "DO UPDATE SET interactions = interactions + "
                "excluded.interactions"),
            {tenant, sign, tenant, id})
      .status();
}

// Adds (sign +1) or takes away (-1) all of the account's revenue_days under
// `cell`.
absl::Status MoveRevenue(sql::Transaction& txn, const std::string& tenant,
                         const std::string& id, const Cell& cell,
                         int64_t sign) {
  return txn
      .Exec(absl::StrCat(
                InsertIntoBlocks(),
                "SELECT ?, r.currency, l.level, r.day & ~(l.size - 1), ?, ?, "
                "?, ? * SUM(r.recurring_minor), "
                "? * SUM(r.transactional_minor), ? * SUM(r.interactions) "
                "FROM revenue_days r, levels l "
                "WHERE r.tenant = ? AND r.account_id = ? "
                "GROUP BY r.currency, l.level, r.day & ~(l.size - 1)",
                kAddToBlock),
            {tenant, cell.mode, cell.tier, cell.segment, sign, sign, sign,
             tenant, id})
      .status();
}

// Which of an account's flow aggregates move when its cell changes from
// `stored` to `live` (either nullopt: the account comes or goes).
struct Moves {
  bool revenue = false;   // cell_revenue_blocks and deal_cells
  bool activity = false;  // staff_activity_blocks: the account comes or goes
  // manager_revenue_blocks and staff_open_tickets: and when its manager
  // changes
  bool manager = false;

  static Moves Between(const std::optional<Cell>& stored,
                       const std::optional<Cell>& live) {
    if (!stored || !live) return {true, true, true};
    return {!stored->SameRevenueKey(*live), false,
            stored->account_manager != live->account_manager};
  }
  bool any() const { return revenue || activity || manager; }
};

// Takes the account's shares out of (sign -1) or puts them into (+1) every
// aggregate keyed by its cell: the counts always, the flow aggregates that
// `moves` names. Deals and tickets move separately (MoveAccountDeals and
// MoveAccountTickets read account_cells).
absl::Status MoveCellShares(sql::Transaction& txn, const std::string& tenant,
                            const std::string& id, const Cell& cell,
                            int64_t sign, const Moves& moves) {
  RETURN_IF_ERROR(CountCell(txn, tenant, cell, sign));
  RETURN_IF_ERROR(CountManager(txn, tenant, cell, sign));
  if (moves.revenue) RETURN_IF_ERROR(MoveRevenue(txn, tenant, id, cell, sign));
  if (moves.activity) {
    RETURN_IF_ERROR(MoveActivity(txn, tenant, id, cell, sign));
  }
  if (moves.manager) {
    RETURN_IF_ERROR(MoveManagerRevenue(txn, tenant, id, cell, sign));
  }
  return absl::OkStatus();
}

// Makes the account's row in account_cells and its shares of the aggregates
// keyed by its cell what its current versions say.
absl::Status SyncAccountCell(sql::Transaction& txn, const EventContext& ctx,
                             const std::string& id) {
  const std::string& tenant = ctx.tenant;
  ASSIGN_OR_RETURN(std::optional<Cell> stored, StoredCell(txn, tenant, id));
  ASSIGN_OR_RETURN(std::optional<Cell> live, LiveCell(txn, tenant, id));
  if (stored == live) return absl::OkStatus();
  // Its tickets count while it has a cell.
  if (!stored || !live) RETURN_IF_ERROR(TouchAccountWork(txn, tenant, id));
  const Moves moves = Moves::Between(stored, live);
  // The moves read the account's revenue_days and activity_days: its held
  // rows must be there first (the held block sums only add, so they can
  // come later).
  if (moves.any()) {
    RETURN_IF_ERROR(ctx.pending->FlushAccount(txn, tenant, id));
  }
  if (stored && moves.revenue) {
    RETURN_IF_ERROR(MoveAccountDeals(txn, tenant, id, -1));
  }
  if (stored && moves.manager) {
    RETURN_IF_ERROR(MoveAccountTickets(txn, tenant, id, -1));
  }
  if (stored) {
    RETURN_IF_ERROR(MoveCellShares(txn, tenant, id, *stored, -1, moves));
  }
  if (!live) {
    RETURN_IF_ERROR(DropAtRiskRows(txn, tenant, id));
    return txn
        .Exec("DELETE FROM account_cells WHERE tenant = ? AND account_id = ?",
              {tenant, id})
        .status();
  }
  RETURN_IF_ERROR(MoveCellShares(txn, tenant, id, *live, +1, moves));
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO account_cells (tenant, account_id, mode, band, "
               "score, tier, segment, account_manager) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, account_id) DO UPDATE SET "
               "mode = excluded.mode, band = excluded.band, "
               "score = excluded.score, tier = excluded.tier, "
               "segment = excluded.segment, "
               "account_manager = excluded.account_manager",
               {tenant, id, live->mode, live->band, live->score, live->tier,
                live->segment, live->account_manager})
          .status());
  // The at-risk rows follow the cell. An account only comes with an
  // account event, after which the projector computes its rows again
  // (RefreshAtRiskAccount).
  if (stored && (moves.revenue || stored->band != live->band)) {
    RETURN_IF_ERROR(MoveAtRiskCell(txn, tenant, id, *live));
  }
  // The deals' shares follow the account's cell (read from account_cells).
  if (moves.revenue) RETURN_IF_ERROR(MoveAccountDeals(txn, tenant, id, +1));
  if (moves.manager) RETURN_IF_ERROR(MoveAccountTickets(txn, tenant, id, +1));
  return absl::OkStatus();
}

// The accounts whose versions the event may change.
absl::btree_set<std::string> AccountsOf(const events::v1::Event& event) {
  absl::btree_set<std::string> ids;
  switch (event.payload_case()) {
    case events::v1::Event::kAccountCreated:
      ids.insert(IdOf(event.account_created().account().name()));
      break;
    case events::v1::Event::kAccountUpdated:
      ids.insert(IdOf(event.account_updated().account().name()));
      break;
    case events::v1::Event::kAccountDeleted:
      ids.insert(IdOf(event.account_deleted().account()));
      break;
    case events::v1::Event::kAccountsMerged: {
      const auto& merged = event.accounts_merged();
      ids.insert(IdOf(merged.merged()));
      ids.insert(IdOf(merged.survivor()));
      ids.insert(IdOf(merged.survivor_account().name()));
      break;
    }
    case events::v1::Event::kDataSubjectErased:
      ids.insert(IdOf(event.data_subject_erased().erased_account()));
      break;
    case events::v1::Event::kRelationshipScoreChanged:
      ids.insert(IdOf(event.relationship_score_changed().account()));
      break;
    default:
      break;
  }
  ids.erase(std::string());
  return ids;
}

}  // namespace

absl::StatusOr<absl::btree_set<std::string>> RetentionAccountsOf(
    sql::Transaction& txn, const std::string& tenant,
    const events::v1::Event& event) {
  absl::btree_set<std::string> out;
  if (event.payload_case() == events::v1::Event::kRelationshipScoreChanged) {
    return out;  // a score is not part of a retention share
  }
  for (const std::string& id : AccountsOf(event)) {
    out.insert(id);
    ASSIGN_OR_RETURN(std::optional<std::string> resolved,
                     ResolveAccount(txn, tenant, id));
    if (resolved.has_value()) out.insert(*resolved);
  }
  return out;
}

absl::StatusOr<std::optional<AccountCell>> StoredCell(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT ", kCellColumns,
                             " FROM account_cells "
                             "WHERE tenant = ? AND account_id = ?"),
                {tenant, account_id}));
  if (rows.empty()) return std::optional<AccountCell>();
  return std::optional<AccountCell>(CellOf(rows[0]));
}

absl::Status HoldInteractionInAggregates(sql::Transaction& txn,
                                         PendingWrites& pending,
                                         const std::string& tenant,
                                         const InteractionRow& row,
                                         int64_t sign) {
  // Nothing to hold: no currency count, no revenue, no staff activity.
  if (row.currency.empty() && row.staff_user.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const std::optional<Cell> cell,
                   StoredCell(txn, tenant, row.account_id));
  HoldInteractionInCell(pending, tenant, row, sign, cell);
  return absl::OkStatus();
}

void HoldInteractionInCell(PendingWrites& pending, const std::string& tenant,
                           const InteractionRow& row, int64_t sign,
                           const std::optional<AccountCell>& cell) {
  if (!row.currency.empty()) {
    pending.AddCurrencyCount(tenant, row.currency, sign);
  }
  if (!cell) return;
  const int64_t day = DayOfUs(row.occur_us);
  if (!row.currency.empty()) {
    const bool recurring = IsRecurringRevenueKind(row.kind);
    const int64_t amount = sign * row.amount_minor;
    const PendingWrites::Revenue revenue =
        PendingWrites::Revenue::Of(recurring, amount, sign);
    pending.AddCellRevenue(tenant, row.currency, day, cell->mode, cell->tier,
                           cell->segment, revenue);
    if (!cell->account_manager.empty()) {
      pending.AddManagerRevenue(tenant, row.currency, day,
                                cell->account_manager, revenue);
    }
  }
  if (!row.staff_user.empty()) {
    pending.AddStaffActivity(tenant, day, row.staff_user, sign);
  }
}

absl::Status DetachAccountFromAggregates(sql::Transaction& txn,
                                         const std::string& tenant,
                                         const std::string& account_id,
                                         bool erasing) {
  RETURN_IF_ERROR(TouchAccountWork(txn, tenant, account_id));
  // While its revenue rows are still its own.
  RETURN_IF_ERROR(DetachFunnelAccount(txn, tenant, account_id));
  if (erasing) {
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO tenant_currency_counts (tenant, currency, "
                 "interactions) SELECT ?, currency, -SUM(interactions) "
                 "FROM revenue_days WHERE tenant = ? AND account_id = ? "
                 "GROUP BY currency "
                 "ON CONFLICT (tenant, currency) DO UPDATE "
                 "SET interactions = interactions + excluded.interactions",
                 {tenant, tenant, account_id})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM tenant_currency_counts "
                             "WHERE tenant = ? AND interactions <= 0",
                             {tenant})
                        .status());
  }
  ASSIGN_OR_RETURN(std::optional<Cell> stored,
                   StoredCell(txn, tenant, account_id));
  if (stored) {
    RETURN_IF_ERROR(MoveAccountDeals(txn, tenant, account_id, -1));
    RETURN_IF_ERROR(MoveAccountTickets(txn, tenant, account_id, -1));
    RETURN_IF_ERROR(MoveCellShares(txn, tenant, account_id, *stored, -1,
                                   Moves::Between(stored, std::nullopt)));
    RETURN_IF_ERROR(txn.Exec("DELETE FROM account_cells "
                             "WHERE tenant = ? AND account_id = ?",
                             {tenant, account_id})
                        .status());
    RETURN_IF_ERROR(DropAtRiskRows(txn, tenant, account_id));
  }
  return txn
      .Exec(
          "INSERT INTO account_cells_pending (tenant, account_id) "
          "VALUES (?, ?) ON CONFLICT DO NOTHING",
          {tenant, account_id})
      .status();
}

absl::Status AfterEventAggregates(sql::Transaction& txn,
                                  const EventContext& ctx,
                                  const events::v1::Event& event) {
  ctx.pending->RaiseHorizon(ctx.tenant, ctx.at_us);
  absl::btree_set<std::string> ids = AccountsOf(event);
  // Only account events detach (merges, erasure): after any other event
  // nothing is pending.
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<sql::Row> pending,
                   txn.Query("SELECT account_id FROM account_cells_pending "
                             "WHERE tenant = ?",
                             {ctx.tenant}));
  if (!pending.empty()) {
    for (const sql::Row& row : pending) ids.insert(row.String(0));
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM account_cells_pending WHERE tenant = ?",
                 {ctx.tenant})
            .status());
  }
  // A score event touches the funnel itself (ApplyScore: only a change of
  // mode moves it); an account event may change the acquisition day.
  const bool account_event =
      event.payload_case() != events::v1::Event::kRelationshipScoreChanged;
  for (const std::string& id : ids) {
    RETURN_IF_ERROR(SyncAccountCell(txn, ctx, id));
    if (account_event) ctx.pending->TouchFunnel(ctx.tenant, id);
  }
  return absl::OkStatus();
}

}  // namespace projector_internal
}  // namespace clientele::reporting

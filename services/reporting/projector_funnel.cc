// The conversion funnel's aggregates (migration 12; projector_aggregates.h
// lists them): each live account's funnel facts (funnel_facts.h) as last
// counted, their counts per day block (funnel_blocks) and the revenue of
// the cohorts' accounts since their acquisition per day block of it and
// stage reached (funnel_revenue). An account touched by a score event, an
// account event or a relationship interaction that can move its ENGAGED
// stage is counted again when the transaction's held writes are flushed,
// and the sums move by the difference; revenue written for an account of a
// cohort adds to its row as it is written.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/funnel_facts.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

const char kFunnelAggregatesSql[] = R"sql(
-- Per live account with funnel facts: its acquisition day, the stages it
-- reached (0 outside any cohort), its first engaged day and its counts
-- (DayCounts' blob), as last counted.
CREATE TABLE funnel_accounts (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  acquisition_day INTEGER NOT NULL,
  reached INTEGER NOT NULL,
  engaged_day INTEGER,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;
-- The counts summed per day block (report_blocks.h), one blob.
CREATE TABLE funnel_blocks (
  tenant TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, level, block_day)
) WITHOUT ROWID;
-- The cohorts' revenue since acquisition, per currency, day block of the
-- acquisition and stages reached; rows may stay at zero after moves.
CREATE TABLE funnel_revenue (
  tenant TEXT NOT NULL,
  currency TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  reached INTEGER NOT NULL,
  revenue_minor INTEGER NOT NULL,
  PRIMARY KEY (tenant, currency, level, block_day, reached)
) WITHOUT ROWID;
-- Accounts to count again at the next flush; every live account at start.
CREATE TABLE funnel_unsynced (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (tenant, account_id)
) WITHOUT ROWID;
INSERT INTO funnel_unsynced (tenant, account_id)
  SELECT tenant, account_id FROM account_cells;
)sql";

namespace projector_internal {
namespace {

// (tenant, currency, level, block_day, reached) -> revenue to add, as
// FunnelRevenue holds it.
using RevenueSums =
    absl::btree_map<std::tuple<std::string, std::string, int, int64_t, int64_t>,
                    int64_t>;

// Adds `amount` for an account of the cohort of `acquisition_day` that
// reached `reached` stages, to every level's block.
void AddRevenue(const std::string& tenant, const std::string& currency,
                int64_t acquisition_day, int64_t reached, int64_t amount,
                RevenueSums* sums) {
  if (amount == 0) return;
  for (int level = 0; level < kBlockLevels; ++level) {
    int64_t& sum = (*sums)[{tenant, currency, level,
                            BlockDay(acquisition_day, level), reached}];
    sum = SaturatingAdd(sum, amount);
  }
}

absl::Status WriteRevenueSums(sql::Transaction& txn, const RevenueSums& sums) {
  for (const auto& [key, amount] : sums) {
    if (amount == 0) continue;
    const auto& [tenant, currency, level, block_day, reached] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO funnel_revenue (tenant, currency, level, "
                 "block_day, reached, revenue_minor) VALUES (?, ?, ?, ?, ?, "
                 "?) ON CONFLICT (tenant, currency, level, block_day, "
                 "reached) DO UPDATE SET revenue_minor = "
                 "revenue_minor + excluded.revenue_minor",
                 {tenant, currency, int64_t{level}, block_day, reached, amount})
            .status());
  }
  return absl::OkStatus();
}

// The account's revenue per currency on the days from `first_day`.
absl::StatusOr<std::map<std::string, int64_t>> RevenueSince(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id, int64_t first_day) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT currency, recurring_minor, transactional_minor "
                "FROM revenue_days WHERE tenant = ? AND account_id = ? AND "
                "day >= ?",
                {tenant, account_id, first_day}));
  std::map<std::string, int64_t> out;
  for (const sql::Row& row : rows) {
    int64_t& sum = out[row.String(0)];
    sum = SaturatingAdd(SaturatingAdd(sum, row.Int(1)), row.Int(2));
  }
  return out;
}

// The account's funnel facts now (as of the end of time: every version and
// interaction applied), none when it has no cell.
absl::StatusOr<std::optional<FunnelAccount>> FunnelAccountNow(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> cell,
                   txn.Query("SELECT 1 FROM account_cells WHERE tenant = ? "
                             "AND account_id = ?",
                             {tenant, account_id}));
  if (cell.empty()) return std::nullopt;
  ReportScope now;
  now.tenant = tenant;
  now.as_of_us = kOpenEndUs - 1;
  ASSIGN_OR_RETURN(std::vector<FunnelAccount> accounts,
                   LoadFunnelAccounts(txn, now, account_id));
  if (accounts.empty()) return std::nullopt;
  return std::move(accounts[0]);
}

// Counts `accounts` again (`detach`: as if each had no cell) and moves
// funnel_blocks and funnel_revenue by the difference from what
// funnel_accounts held.
absl::Status CountFunnelAccounts(sql::Transaction& txn,
                                 const absl::btree_set<TicketKey>& accounts,
                                 bool detach) {
  BlockCounts blocks;
  RevenueSums revenue;
  for (const auto& [tenant, account_id] : accounts) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> stored,
        txn.Query("SELECT acquisition_day, reached, facts FROM "
                  "funnel_accounts WHERE tenant = ? AND account_id = ?",
                  {tenant, account_id}));
    DayCounts before;
    if (!stored.empty()) {
      RETURN_IF_ERROR(DecodeDayCounts(stored[0].String(2), &before));
    }
    std::optional<FunnelAccount> now;
    if (!detach) {
      ASSIGN_OR_RETURN(now, FunnelAccountNow(txn, tenant, account_id));
    }
    DayCounts after;
    if (now.has_value()) {
      CountFunnelAccount(*now, [&after](int64_t day) {
        return [&counts = after[day]](const SupportKey& key, int64_t count) {
          counts[key] += count;
        };
      });
    }
    if (before != after) {
      for (const auto& [counts, sign] :
           {std::pair<const DayCounts*, int64_t>{&before, -1},
            std::pair<const DayCounts*, int64_t>{&after, 1}}) {
        for (const auto& [day, day_counts] : *counts) {
          for (int level = 0; level < kBlockLevels; ++level) {
            SupportCounts& into = blocks[{tenant, level, BlockDay(day, level)}];
            for (const auto& [key, count] : day_counts) {
              into[key] += sign * count;
            }
          }
        }
      }
    }
    // The revenue since acquisition moves when the cohort or the stage
    // does; what revenue is written meanwhile adds to where it is
    // (FunnelRevenue).
    const std::optional<std::pair<int64_t, int64_t>> was =
        !stored.empty() && stored[0].Int(1) > 0
            ? std::optional(std::pair(stored[0].Int(0), stored[0].Int(1)))
            : std::nullopt;
    const std::optional<std::pair<int64_t, int64_t>> is =
        now.has_value() && now->reached > 0
            ? std::optional(
                  std::pair(now->acquisition_day, int64_t{now->reached}))
            : std::nullopt;
    if (was != is) {
      for (const auto& [where, sign] :
           {std::pair(was, int64_t{-1}), std::pair(is, int64_t{1})}) {
        if (!where.has_value()) continue;
        ASSIGN_OR_RETURN(const auto since,
                         RevenueSince(txn, tenant, account_id, where->first));
        for (const auto& [currency, amount] : since) {
          AddRevenue(tenant, currency, where->first, where->second,
                     sign * amount, &revenue);
        }
      }
    }
    if (!now.has_value() || (after.empty() && now->reached == 0)) {
      if (!stored.empty()) {
        RETURN_IF_ERROR(txn.Exec("DELETE FROM funnel_accounts WHERE "
                                 "tenant = ? AND account_id = ?",
                                 {tenant, account_id})
                            .status());
      }
      continue;
    }
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO funnel_accounts (tenant, account_id, "
                 "acquisition_day, reached, engaged_day, facts) VALUES "
                 "(?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, account_id) DO "
                 "UPDATE SET acquisition_day = excluded.acquisition_day, "
                 "reached = excluded.reached, engaged_day = "
                 "excluded.engaged_day, facts = excluded.facts",
                 {tenant, account_id, now->acquisition_day,
                  int64_t{now->reached}, NullableInt(now->engaged_day),
                  sql::Blob{EncodeDayCounts(after)}})
            .status());
  }
  RETURN_IF_ERROR(AddToBlockBlobs(txn, "funnel_blocks", blocks));
  return WriteRevenueSums(txn, revenue);
}

}  // namespace

absl::Status SyncFunnelAccounts(sql::Transaction& txn,
                                absl::btree_set<TicketKey> accounts) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> unsynced,
                   txn.Query("SELECT tenant, account_id FROM funnel_unsynced"));
  if (!unsynced.empty()) {
    for (const sql::Row& row : unsynced) {
      accounts.emplace(row.String(0), row.String(1));
    }
    RETURN_IF_ERROR(txn.Exec("DELETE FROM funnel_unsynced").status());
  }
  return CountFunnelAccounts(txn, accounts, /*detach=*/false);
}

absl::Status DetachFunnelAccount(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const std::string& account_id) {
  RETURN_IF_ERROR(
      CountFunnelAccounts(txn, {{tenant, account_id}}, /*detach=*/true));
  return TouchFunnelAccount(txn, tenant, account_id);
}

absl::Status TouchFunnelAccount(sql::Transaction& txn,
                                const std::string& tenant,
                                const std::string& account_id) {
  return txn
      .Exec(
          "INSERT INTO funnel_unsynced (tenant, account_id) VALUES (?, ?) "
          "ON CONFLICT DO NOTHING",
          {tenant, account_id})
      .status();
}

absl::Status TouchFunnelIfEngaging(sql::Transaction& txn,
                                   const std::string& tenant,
                                   const std::string& account_id,
                                   const std::vector<int64_t>& days,
                                   bool removed) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT reached, engaged_day, acquisition_day FROM "
                "funnel_accounts WHERE tenant = ? AND account_id = ?",
                {tenant, account_id}));
  if (rows.empty() || rows[0].Int(0) == 0) return absl::OkStatus();
  // Only a day from the acquisition day on engages, and only one before
  // the engaged day moves it (INT64_MAX: not engaged; a plain integer, as
  // GCC 12 at -O2 sees an optional's value as maybe uninitialized here).
  const int64_t engaged_day = rows[0].IsNull(1) ? INT64_MAX : rows[0].Int(1);
  bool moves = removed;
  for (const int64_t day : days) {
    moves = moves || (day >= rows[0].Int(2) && day < engaged_day);
  }
  if (!moves) return absl::OkStatus();
  return TouchFunnelAccount(txn, tenant, account_id);
}

absl::Status FunnelRevenue::Written(sql::Transaction& txn,
                                    const std::string& tenant,
                                    const std::string& account_id,
                                    const RevenueLess& written) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT acquisition_day, reached FROM funnel_accounts "
                "WHERE tenant = ? AND account_id = ?",
                {tenant, account_id}));
  if (rows.empty() || rows[0].Int(1) == 0) return absl::OkStatus();
  const int64_t acquisition_day = rows[0].Int(0);
  for (const auto& [key, sum] : written) {
    const auto& [day, currency] = key;
    if (day < acquisition_day) continue;
    AddRevenue(tenant, currency, acquisition_day, rows[0].Int(1),
               SaturatingAdd(sum.recurring_minor, sum.transactional_minor),
               &sums_);
  }
  return absl::OkStatus();
}

absl::Status FunnelRevenue::Write(sql::Transaction& txn) {
  RETURN_IF_ERROR(WriteRevenueSums(txn, sums_));
  sums_.clear();
  return absl::OkStatus();
}

}  // namespace projector_internal
}  // namespace clientele::reporting

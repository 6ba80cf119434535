#include "services/reporting/projector_pending.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>

#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_blocks.h"

namespace clientele::reporting::projector_internal {
namespace {

void Add(PendingWrites::Revenue& sum, const PendingWrites::Revenue& add) {
  sum.recurring_minor += add.recurring_minor;
  sum.transactional_minor += add.transactional_minor;
  sum.interactions += add.interactions;
}

void Raise(int64_t& max, int64_t at_us) { max = std::max(max, at_us); }

// Writes held revenue_days rows, then moves the retention share and the
// at-risk rows of each account they belong to (RetentionMoves::Written,
// AtRiskRevenue::Written).
absl::Status WriteRevenueDays(sql::Transaction& txn,
                              const PendingWrites::RevenueDays& rows) {
  for (const auto& [key, sum] : rows) {
    const auto& [tenant, account_id, day, currency] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO revenue_days (tenant, account_id, day, "
                 "currency, recurring_minor, transactional_minor, "
                 "interactions) VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, account_id, day, currency) DO UPDATE "
                 "SET recurring_minor = recurring_minor + "
                 "excluded.recurring_minor, transactional_minor = "
                 "transactional_minor + excluded.transactional_minor, "
                 "interactions = interactions + excluded.interactions",
                 {tenant, account_id, day, currency, sum.recurring_minor,
                  sum.transactional_minor, sum.interactions})
            .status());
  }
  // Each account whose revenue_days just changed: its retention share
  // without and with what was written.
  RetentionMoves moves;
  AtRiskRevenue at_risk;
  FunnelRevenue funnel;
  for (auto it = rows.begin(); it != rows.end();) {
    const std::string& tenant = std::get<0>(it->first);
    const std::string& account_id = std::get<1>(it->first);
    RevenueLess written;
    for (; it != rows.end() && std::get<0>(it->first) == tenant &&
           std::get<1>(it->first) == account_id;
         ++it) {
      written[{std::get<2>(it->first), std::get<3>(it->first)}] = it->second;
    }
    RETURN_IF_ERROR(moves.Written(txn, tenant, account_id, written));
    RETURN_IF_ERROR(at_risk.Written(txn, tenant, account_id, written));
    RETURN_IF_ERROR(funnel.Written(txn, tenant, account_id, written));
  }
  RETURN_IF_ERROR(funnel.Write(txn));
  RETURN_IF_ERROR(moves.Write(txn));
  return absl::OkStatus();
}

absl::Status WriteActivityDays(sql::Transaction& txn,
                               const PendingWrites::ActivityDays& rows) {
  for (const auto& [key, sums] : rows) {
    const auto& [tenant, account_id, day, staff_user] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO activity_days (tenant, account_id, day, "
                 "staff_user, interactions, relationship_interactions) "
                 "VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, account_id, day, staff_user) DO UPDATE "
                 "SET interactions = interactions + excluded.interactions, "
                 "relationship_interactions = relationship_interactions + "
                 "excluded.relationship_interactions",
                 {tenant, account_id, day, staff_user, sums.first, sums.second})
            .status());
  }
  // Each account whose relationship interactions changed: the funnel's
  // ENGAGED stage may move.
  for (auto it = rows.begin(); it != rows.end();) {
    const std::string& tenant = std::get<0>(it->first);
    const std::string& account_id = std::get<1>(it->first);
    std::vector<int64_t> days;
    bool removed = false;
    for (; it != rows.end() && std::get<0>(it->first) == tenant &&
           std::get<1>(it->first) == account_id;
         ++it) {
      const int64_t relationship = it->second.second;
      if (relationship > 0) days.push_back(std::get<2>(it->first));
      removed = removed || relationship < 0;
    }
    if (!days.empty() || removed) {
      RETURN_IF_ERROR(
          TouchFunnelIfEngaging(txn, tenant, account_id, days, removed));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void PendingWrites::AddRevenueDay(const std::string& tenant,
                                  const std::string& account_id, int64_t day,
                                  const std::string& currency,
                                  const Revenue& add) {
  Add(revenue_days_[{tenant, account_id, day, currency}], add);
}

void PendingWrites::AddActivityDay(const std::string& tenant,
                                   const std::string& account_id, int64_t day,
                                   const std::string& staff_user,
                                   int64_t interactions,
                                   int64_t relationship_interactions) {
  auto& sums = activity_days_[{tenant, account_id, day, staff_user}];
  sums.first += interactions;
  sums.second += relationship_interactions;
}

void PendingWrites::AddCurrencyCount(const std::string& tenant,
                                     const std::string& currency,
                                     int64_t interactions) {
  currency_counts_[{tenant, currency}] += interactions;
}

void PendingWrites::AddCellRevenue(const std::string& tenant,
                                   const std::string& currency, int64_t day,
                                   int64_t mode, int64_t tier, int64_t segment,
                                   const Revenue& add) {
  for (int level = 0; level < kBlockLevels; ++level) {
    Add(cell_revenue_[{tenant, currency, level, BlockDay(day, level), mode,
                       tier, segment}],
        add);
  }
}

void PendingWrites::AddManagerRevenue(const std::string& tenant,
                                      const std::string& currency, int64_t day,
                                      const std::string& account_manager,
                                      const Revenue& add) {
  for (int level = 0; level < kBlockLevels; ++level) {
    Add(manager_revenue_[{tenant, currency, level, BlockDay(day, level),
                          account_manager}],
        add);
  }
}

void PendingWrites::AddStaffActivity(const std::string& tenant, int64_t day,
                                     const std::string& staff_user,
                                     int64_t interactions) {
  for (int level = 0; level < kBlockLevels; ++level) {
    staff_activity_[{tenant, level, BlockDay(day, level), staff_user}] +=
        interactions;
  }
}

void PendingWrites::RaiseHorizon(const std::string& tenant, int64_t at_us) {
  auto [it, inserted] = horizons_.try_emplace(tenant, at_us);
  if (!inserted) Raise(it->second, at_us);
}

void PendingWrites::RaiseRevenueOccur(const std::string& tenant,
                                      int64_t occur_us) {
  auto [it, inserted] = revenue_occurs_.try_emplace(tenant, occur_us);
  if (!inserted) Raise(it->second, occur_us);
}

void PendingWrites::RaiseWatermark(const std::string& tenant,
                                   const std::string& stream, int64_t at_us) {
  auto [it, inserted] = watermarks_.try_emplace({tenant, stream}, at_us);
  if (!inserted) Raise(it->second, at_us);
}

void PendingWrites::TouchTicket(const std::string& tenant,
                                const std::string& ticket_id) {
  tickets_.emplace(tenant, ticket_id);
}

void PendingWrites::TouchFollowUp(const std::string& tenant,
                                  const std::string& follow_up_id) {
  follow_ups_.emplace(tenant, follow_up_id);
}

void PendingWrites::TouchFunnel(const std::string& tenant,
                                const std::string& account_id) {
  funnel_accounts_.emplace(tenant, account_id);
}

bool PendingWrites::empty() const {
  return revenue_days_.empty() && activity_days_.empty() &&
         currency_counts_.empty() && cell_revenue_.empty() &&
         manager_revenue_.empty() && staff_activity_.empty() &&
         horizons_.empty() && revenue_occurs_.empty() && watermarks_.empty() &&
         tickets_.empty() && follow_ups_.empty() && funnel_accounts_.empty();
}

void PendingWrites::Clear() {
  summaries_due_.clear();
  revenue_days_.clear();
  activity_days_.clear();
  currency_counts_.clear();
  cell_revenue_.clear();
  manager_revenue_.clear();
  staff_activity_.clear();
  horizons_.clear();
  revenue_occurs_.clear();
  watermarks_.clear();
  tickets_.clear();
  follow_ups_.clear();
  funnel_accounts_.clear();
}

absl::Status PendingWrites::FlushAccount(sql::Transaction& txn,
                                         const std::string& tenant,
                                         const std::string& account_id) {
  // Both maps are keyed by (tenant, account, ...): the account's rows are
  // one range of each.
  const auto take = [&](auto& from) {
    std::decay_t<decltype(from)> taken;
    auto it = from.lower_bound({tenant, account_id, INT64_MIN, std::string()});
    while (it != from.end() && std::get<0>(it->first) == tenant &&
           std::get<1>(it->first) == account_id) {
      taken.insert(*it);
      it = from.erase(it);
    }
    return taken;
  };
  const RevenueDays revenue = take(revenue_days_);
  const ActivityDays activity = take(activity_days_);
  RETURN_IF_ERROR(WriteRevenueDays(txn, revenue));
  return WriteActivityDays(txn, activity);
}

absl::Status PendingWrites::Finish(sql::Transaction& txn) {
  RETURN_IF_ERROR(Flush(txn));
  const absl::btree_set<std::string> due = std::move(summaries_due_);
  summaries_due_.clear();
  for (const std::string& tenant : due) {
    RETURN_IF_ERROR(AdvanceAtRiskWindow(txn, tenant));
    RETURN_IF_ERROR(RefreshBacklogNow(txn, tenant));
  }
  return absl::OkStatus();
}

absl::Status PendingWrites::Flush(sql::Transaction& txn) {
  if (empty()) return absl::OkStatus();
  // Whatever happens below, nothing is held afterwards: on an error the
  // transaction rolls back with what was written so far.
  PendingWrites held = std::move(*this);
  Clear();
  summaries_due_ = std::move(held.summaries_due_);
  RETURN_IF_ERROR(WriteRevenueDays(txn, held.revenue_days_));
  for (const auto& [tenant, occur_us] : held.revenue_occurs_) {
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO retention_state (tenant, max_revenue_occur_us, "
                 "built) VALUES (?, ?, 1) ON CONFLICT (tenant) DO UPDATE "
                 "SET max_revenue_occur_us = "
                 "MAX(max_revenue_occur_us, excluded.max_revenue_occur_us)",
                 {tenant, occur_us})
            .status());
  }
  RETURN_IF_ERROR(WriteActivityDays(txn, held.activity_days_));
  for (const auto& [key, interactions] : held.currency_counts_) {
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO tenant_currency_counts (tenant, currency, "
                 "interactions) VALUES (?, ?, ?) "
                 "ON CONFLICT (tenant, currency) DO UPDATE "
                 "SET interactions = interactions + excluded.interactions",
                 {key.first, key.second, interactions})
            .status());
  }
  for (const auto& [key, sum] : held.cell_revenue_) {
    const auto& [tenant, currency, level, block_day, mode, tier, segment] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO cell_revenue_blocks (tenant, currency, level, "
                 "block_day, mode, tier, segment, recurring_minor, "
                 "transactional_minor, interactions) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, currency, level, block_day, mode, "
                 "tier, segment) DO UPDATE SET recurring_minor = "
                 "recurring_minor + excluded.recurring_minor, "
                 "transactional_minor = transactional_minor + "
                 "excluded.transactional_minor, interactions = "
                 "interactions + excluded.interactions",
                 {tenant, currency, int64_t{level}, block_day, mode, tier,
                  segment, sum.recurring_minor, sum.transactional_minor,
                  sum.interactions})
            .status());
  }
  for (const auto& [key, sum] : held.manager_revenue_) {
    const auto& [tenant, currency, level, block_day, manager] = key;
    RETURN_IF_ERROR(
        txn.Exec(
               "INSERT INTO manager_revenue_blocks (tenant, currency, "
               "level, block_day, account_manager, recurring_minor, "
               "transactional_minor, interactions) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, currency, level, block_day, "
               "account_manager) DO UPDATE SET "
               "recurring_minor = recurring_minor + "
               "excluded.recurring_minor, "
               "transactional_minor = transactional_minor + "
               "excluded.transactional_minor, interactions = "
               "interactions + excluded.interactions",
               {tenant, currency, int64_t{level}, block_day, manager,
                sum.recurring_minor, sum.transactional_minor, sum.interactions})
            .status());
  }
  for (const auto& [key, interactions] : held.staff_activity_) {
    const auto& [tenant, level, block_day, staff_user] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO staff_activity_blocks (tenant, level, "
                 "block_day, staff_user, interactions) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, level, block_day, staff_user) "
                 "DO UPDATE SET interactions = "
                 "interactions + excluded.interactions",
                 {tenant, int64_t{level}, block_day, staff_user, interactions})
            .status());
  }
  RETURN_IF_ERROR(
      SyncCounts(txn, std::move(held.tickets_), std::move(held.follow_ups_)));
  RETURN_IF_ERROR(SyncFunnelAccounts(txn, std::move(held.funnel_accounts_)));
  for (const auto& [tenant, max_us] : held.horizons_) {
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO report_horizon (tenant, max_us) VALUES (?, ?) "
                 "ON CONFLICT (tenant) DO UPDATE "
                 "SET max_us = MAX(max_us, excluded.max_us)",
                 {tenant, max_us})
            .status());
    summaries_due_.insert(tenant);
  }
  for (const auto& [key, max_us] : held.watermarks_) {
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO stream_watermarks (tenant, stream, applied_us) "
                 "VALUES (?, ?, ?) ON CONFLICT (tenant, stream) DO UPDATE "
                 "SET applied_us = MAX(applied_us, excluded.applied_us)",
                 {key.first, key.second, max_us})
            .status());
  }
  return absl::OkStatus();
}

}  // namespace clientele::reporting::projector_internal

// The projector's writes that only add to a sum or raise a maximum, held in
// memory for a whole consumer transaction (thousands of events) and written
// once at its end, in key order: one upsert per row touched instead of one
// per event and row (docs/performance.md, "Reporting at scale"). Internal
// to the reporting service.
//
// Held: revenue_days and activity_days rows of recorded interactions, the
// currency counts, cell and manager revenue blocks and staff activity blocks
// they add to, report_horizon, retention_state's newest revenue interaction
// and stream_watermarks; and the tickets whose support facts to count again
// (projector_support.cc). Whatever reads or deletes those rows inside the
// transaction (merges, erasure, a deleted interaction) flushes first; an
// account moving to another cell writes its own rows only (FlushAccount).
// Reports read committed data only, and the flush precedes the commit.
#ifndef CLIENTELE_SERVICES_REPORTING_PROJECTOR_PENDING_H_
#define CLIENTELE_SERVICES_REPORTING_PROJECTOR_PENDING_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "common/sql/database.h"

namespace clientele::reporting::projector_internal {

// (tenant, ticket_id), and (tenant, follow_up_id)
using TicketKey = std::pair<std::string, std::string>;

class PendingWrites {
 public:
  // Sums of one revenue row (revenue_days, cell_revenue_blocks).
  struct Revenue {
    int64_t recurring_minor = 0;
    int64_t transactional_minor = 0;
    int64_t interactions = 0;

    // `amount` as recurring or transactional revenue.
    static Revenue Of(bool recurring, int64_t amount, int64_t interactions) {
      return {recurring ? amount : 0, recurring ? 0 : amount, interactions};
    }
  };

  // (tenant, account, day, currency)
  using RevenueDays = absl::btree_map<
      std::tuple<std::string, std::string, int64_t, std::string>, Revenue>;
  // (tenant, account, day, staff) -> (interactions, relationship ones)
  using ActivityDays = absl::btree_map<
      std::tuple<std::string, std::string, int64_t, std::string>,
      std::pair<int64_t, int64_t>>;

  void AddRevenueDay(const std::string& tenant, const std::string& account_id,
                     int64_t day, const std::string& currency,
                     const Revenue& add);
  void AddActivityDay(const std::string& tenant, const std::string& account_id,
                      int64_t day, const std::string& staff_user,
                      int64_t interactions, int64_t relationship_interactions);
  void AddCurrencyCount(const std::string& tenant, const std::string& currency,
                        int64_t interactions);
  // To the block of every level (report_blocks.h) that holds `day`.
  void AddCellRevenue(const std::string& tenant, const std::string& currency,
                      int64_t day, int64_t mode, int64_t tier, int64_t segment,
                      const Revenue& add);
  // To the manager_revenue_blocks of every level that holds `day`.
  void AddManagerRevenue(const std::string& tenant, const std::string& currency,
                         int64_t day, const std::string& account_manager,
                         const Revenue& add);
  // To the staff_activity_blocks of every level that holds `day`.
  void AddStaffActivity(const std::string& tenant, int64_t day,
                        const std::string& staff_user, int64_t interactions);
  void RaiseHorizon(const std::string& tenant, int64_t at_us);
  // retention_state's newest revenue interaction.
  void RaiseRevenueOccur(const std::string& tenant, int64_t occur_us);
  void RaiseWatermark(const std::string& tenant, const std::string& stream,
                      int64_t at_us);
  // The ticket's support facts, the follow-up's workload ones, are counted
  // again at the flush (SyncCounts).
  void TouchTicket(const std::string& tenant, const std::string& ticket_id);
  void TouchFollowUp(const std::string& tenant,
                     const std::string& follow_up_id);
  // The account's funnel facts are counted again at the flush
  // (SyncFunnelAccounts): after an account or score event.
  void TouchFunnel(const std::string& tenant, const std::string& account_id);

  // Writes everything held into `txn` and forgets it (also when a write
  // fails: the transaction then rolls back anyway). The accounts whose
  // revenue_days it writes have their retention shares moved
  // (projector_aggregates.h, RetentionMoves::Written). What follows from a
  // tenant's horizon as a whole (the at-risk window, the backlog's summary
  // as of now) waits for Finish: a flush before an account event's reads
  // would otherwise decode the tenant's whole backlog for each of them.
  absl::Status Flush(sql::Transaction& txn);
  // Flush, then the horizon's summaries of every tenant whose horizon a
  // flush since the last Finish wrote: what a transaction's last flush calls.
  absl::Status Finish(sql::Transaction& txn);
  // Writes only the revenue_days and activity_days rows held for one
  // account, for what reads that account's rows (an account moving to
  // another cell): the other held writes only add to sums, so writing them
  // later gives the same rows.
  absl::Status FlushAccount(sql::Transaction& txn, const std::string& tenant,
                            const std::string& account_id);
  void Clear();
  bool empty() const;

 private:
  RevenueDays revenue_days_;
  ActivityDays activity_days_;
  absl::btree_map<std::pair<std::string, std::string>, int64_t>
      currency_counts_;
  // (tenant, currency, level, block_day, mode, tier, segment)
  absl::btree_map<std::tuple<std::string, std::string, int, int64_t, int64_t,
                             int64_t, int64_t>,
                  Revenue>
      cell_revenue_;
  // (tenant, currency, level, block_day, account_manager)
  absl::btree_map<
      std::tuple<std::string, std::string, int, int64_t, std::string>, Revenue>
      manager_revenue_;
  // (tenant, level, block_day, staff_user)
  absl::btree_map<std::tuple<std::string, int, int64_t, std::string>, int64_t>
      staff_activity_;
  absl::btree_map<std::string, int64_t> horizons_;
  absl::btree_map<std::string, int64_t> revenue_occurs_;
  absl::btree_map<std::pair<std::string, std::string>, int64_t> watermarks_;
  absl::btree_set<TicketKey> tickets_;
  absl::btree_set<TicketKey> follow_ups_;
  // (tenant, account_id)
  absl::btree_set<TicketKey> funnel_accounts_;
  // Tenants whose horizon was written since the last Finish.
  absl::btree_set<std::string> summaries_due_;
};

}  // namespace clientele::reporting::projector_internal

#endif  // CLIENTELE_SERVICES_REPORTING_PROJECTOR_PENDING_H_

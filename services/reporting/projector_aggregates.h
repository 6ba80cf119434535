// Aggregates the projector maintains so that reports need not read every
// account (docs/reports.md, "How reports stay fast"): internal to the
// reporting service, called from the Projector's parts (projector_parts.h).
//
//   report_horizon          per tenant, the newest occurred_at applied: no
//                           account or score version starts after it, so a
//                           report as of at least it sees the current state
//                           (FastPath, report_scope.h).
//   tenant_currency_counts  revenue interactions per currency (what
//                           TenantCurrency ranks), whatever the account's
//                           state, like revenue_days.
//   account_cells           per live account with a current version: its
//                           current tier, segment, mode, band and score (no
//                           row for a deleted, erased or merged account).
//   cell_counts             account_cells counted per (mode, band, tier,
//                           segment), with the sum of their scores.
//   cell_revenue_blocks     the revenue_days of the accounts with a cell,
//                           summed per currency, day block (report_blocks.h)
//                           and the account's current (mode, tier,
//                           segment); moved when an account's cell changes.
//   deal_cells              the current deal versions a pipeline counts
//                           (open ones with an expected close day, won and
//                           lost ones with a close day) of the accounts with
//                           a cell, per currency, stage, month of that day
//                           and the account's (mode, tier, segment): deals,
//                           amounts, and amounts weighted at the stage's
//                           weight, each deal rounded as WeightedAmountMinor
//                           does; moved with the account's cell.
//   deal_months             deal_cells summed over the cells (per currency,
//                           stage and month; rows that sum to zero gone),
//                           kept by triggers on deal_cells: what a pipeline
//                           without a filter reads.
//   manager_cells           account_cells with an account manager,
//                           counted per (manager, mode, band, tier,
//                           segment); account_cells holds the manager.
//   manager_revenue_blocks  the revenue_days of the accounts with a cell
//                           and a manager, per currency, day block and
//                           manager; moved when the account's manager
//                           changes or it comes or goes (not by cell: a
//                           score or tier change moves nothing here).
//   staff_activity_blocks   the activity_days with a staff user of the
//                           accounts with a cell, per day block and staff
//                           user; moved when the account comes or goes.
//   staff_open_tickets      per staff user, the tickets not deleted of the
//                           accounts with a cell assigned to them now with
//                           status NEW, OPEN, PENDING or ON_HOLD
//                           (`assigned`), and those NEW, OPEN or PENDING of
//                           the accounts they manage (`managed`); moved
//                           around every ticket event and when the account
//                           comes, goes or changes manager.
//   retention_*             retention's cohort triangle as of now, without
//                           a filter, by calendar month: per acquisition day
//                           the live accounts (retention_cohort_days); per
//                           cohort month and month the active accounts as a
//                           difference array over months (retention_active:
//                           a run of active months adds 1 where it starts
//                           and takes 1 after it ends, so a contract without
//                           end needs no row per month), the accounts active
//                           in a month only by a contract starting after its
//                           first day, by that day (retention_late, for a
//                           month that runs past as_of), and per currency the
//                           revenue and the sum of min(revenue, revenue in the
//                           cohort's month), each floored at 0 in the min
//                           (retention_money); retention_state: the newest
//                           revenue interaction's occur_us, and whether the
//                           tables were built (a database that had events
//                           before them is built at start,
//                           BuildRetentionAggregatesWhereNeeded). An
//                           account's share is read from its rows and moved
//                           by its difference before and after an account
//                           event or a write of its revenue_days.
//   at_risk_revenue         per live account and currency, its revenue in
//                           the year window (revenue_at_risk.h) that ends
//                           with the month of the tenant's newest event
//                           (at_risk_state), and its recurring terms'
//                           amount a year when they bill in that currency,
//                           with its band, mode, tier and segment, indexed by
//                           revenue at risk per currency and band (what the
//                           at-risk list ranks by). Held revenue rows add to
//                           it as they are written, a cell change moves it,
//                           an account event computes the account's rows
//                           again, and the window moves a month at a time
//                           when the newest event enters a new month. Built
//                           from the rows by the first transaction with an
//                           event of a tenant that has no at_risk_state.
//   support_*               the support report's facts (support_facts.h)
//                           of the tickets not deleted of the accounts with
//                           a cell: per ticket what it adds
//                           (support_tickets), their sums per day block
//                           (support_blocks) and the backlog now
//                           (support_backlog, and as reports read it
//                           support_backlog_now), one blob a row;
//                           a ticket is counted again after its events
//                           and when its account comes or goes
//                           (support_unsynced), the sums moved by the
//                           difference.
//   workload_blocks,        the workload's per-agent counts, kept with the
//   follow_up*, staff_numbers  tickets' (the agents' assignments, solves,
//                           breaches, first replies and CSAT responses, per
//                           day block) and the follow-ups': per follow-up
//                           what it adds (follow_up_counts), the open ones'
//                           due times per assignee (follow_ups_open) and the
//                           completed ones per day block (workload_blocks);
//                           a follow-up is counted again after its events
//                           and when its account comes or goes
//                           (follow_ups_unsynced); staff users by number.
//   funnel_*                the conversion funnel's facts (funnel_facts.h)
//                           of each live account: as last counted
//                           (funnel_accounts, with its acquisition day,
//                           stages reached and first engaged day), their
//                           counts per day block (funnel_blocks) and the
//                           cohorts' revenue since acquisition per currency,
//                           day block of the acquisition and stages reached
//                           (funnel_revenue); an account is counted again
//                           after a score or account event and when a
//                           relationship interaction can move its ENGAGED
//                           day (funnel_unsynced), revenue written adds to
//                           its row, and a merge or erasure takes its share
//                           out first.
//   deal_stage_weights      per open stage, the probability (in millionths)
//                           of the newest current deal version in it, the
//                           pipeline's probability as of now; a change
//                           weighs the stage's cells again.
//
// Every function below runs inside the projector's transaction; errors are
// the database's.
#ifndef CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_
#define CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/event.pb.h"
#include "common/sql/database.h"
#include "services/reporting/projector_parts.h"
#include "services/reporting/revenue_at_risk.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {

// The tables above, filled from the rows an existing database holds
// (migration 4; the deal tables, migration 5).
extern const char kReportAggregatesSql[];
std::string DealAggregatesSql();
// The workload's: the manager column and the manager and staff tables
// (migration 6, projector_workload.cc).
std::string WorkloadAggregatesSql();
// deal_months and the triggers that keep it (migration 7).
std::string DealMonthsSql();
// The retention tables (migration 8), empty, and a retention_state row
// (built = 0) for every tenant with accounts or revenue.
extern const char kRetentionAggregatesSql[];
// The at-risk ranking (migration 9, projector_at_risk.cc), empty.
extern const char kAtRiskAggregatesSql[];
// The support tables (migration 10, projector_support.cc), empty, with
// every ticket in support_unsynced.
extern const char kSupportAggregatesSql[];
// The funnel's tables (migration 12, projector_funnel.cc), empty, with
// every live account in funnel_unsynced.
extern const char kFunnelAggregatesSql[];
// The workload's agent and follow-up tables (migration 11,
// projector_support.cc), empty, with every ticket and follow-up unsynced.
extern const char kWorkloadAgentAggregatesSql[];
// Builds the retention tables of `tenant` from its rows (built = 1).
absl::Status BuildRetentionAggregates(sql::Transaction& txn,
                                      const std::string& tenant);
// Builds them for every tenant whose retention_state says built = 0, a
// transaction each: what the service runs after migrating.
absl::Status BuildRetentionAggregatesWhereNeeded(sql::Database& db);
// Counts what the unsynced tables hold (support_unsynced,
// follow_ups_unsynced, funnel_unsynced: a database migrated with tickets,
// follow-ups or accounts in it), in one transaction: what the service runs
// after migrating.
absl::Status SyncCountsWhereNeeded(sql::Database& db);

namespace projector_internal {

// Revenue rows of one account taken off what it has, by (day, currency).
using RevenueLess =
    absl::btree_map<std::pair<int64_t, std::string>, PendingWrites::Revenue>;

struct RetentionShare;

// Moves of accounts' retention shares, summed, then written once.
class RetentionMoves {
 public:
  // The account's share as its rows are now: taken off (before a change),
  // added (after it).
  absl::Status Before(sql::Transaction& txn, const std::string& tenant,
                      const std::string& account_id);
  absl::Status After(sql::Transaction& txn, const std::string& tenant,
                     const std::string& account_id);
  // The account's revenue_days just had `written` added: its share
  // without them taken off, with them added.
  absl::Status Written(sql::Transaction& txn, const std::string& tenant,
                       const std::string& account_id,
                       const RevenueLess& written);
  // Writes the moves (rows that sum to zero removed) and forgets them.
  absl::Status Write(sql::Transaction& txn);

 private:
  void Add(const std::string& tenant, const RetentionShare& share,
           int64_t sign);

  absl::btree_map<std::pair<std::string, int64_t>, int64_t> cohort_days_;
  absl::btree_map<std::tuple<std::string, int64_t, int64_t>, int64_t> active_;
  absl::btree_map<std::tuple<std::string, int64_t, int64_t, int64_t>, int64_t>
      late_;
  absl::btree_map<std::tuple<std::string, int64_t, int64_t, std::string>,
                  std::pair<int64_t, int64_t>>
      money_;
};

// The at-risk ranking's share of revenue_days rows as they are written:
// what `written` adds in the window, per currency.
class AtRiskRevenue {
 public:
  absl::Status Written(sql::Transaction& txn, const std::string& tenant,
                       const std::string& account_id,
                       const RevenueLess& written);

 private:
  // Per tenant, its stored window (nullopt: not built).
  absl::btree_map<std::string, std::optional<AtRiskWindow>> windows_;
};

// The account's at-risk rows computed again from its rows (none when it has
// no cell): after an account event.
absl::Status RefreshAtRiskAccount(sql::Transaction& txn,
                                  const std::string& tenant,
                                  const std::string& account_id);
// The account's at-risk rows go (it no longer has a cell).
absl::Status DropAtRiskRows(sql::Transaction& txn, const std::string& tenant,
                            const std::string& account_id);
// The year window at_risk_revenue holds (at_risk_state); nullopt before
// the tenant's ranking is built.
absl::StatusOr<std::optional<AtRiskWindow>> StoredAtRiskWindow(
    sql::Transaction& txn, const std::string& tenant);
// The account's at-risk rows follow its new cell.
absl::Status MoveAtRiskCell(sql::Transaction& txn, const std::string& tenant,
                            const std::string& account_id,
                            const AccountCell& cell);
// After report_horizon is written: the window moved to end with the month
// of the tenant's newest event (months out subtracted, months in added), or
// built from the rows when the tenant has none or it has no month in common.
absl::Status AdvanceAtRiskWindow(sql::Transaction& txn,
                                 const std::string& tenant);

// The accounts whose rows an account event changes (its account, a
// merge's two, an erased one), resolved through merges; empty for any other
// event.
absl::StatusOr<absl::btree_set<std::string>> RetentionAccountsOf(
    sql::Transaction& txn, const std::string& tenant,
    const events::v1::Event& event);

// A statement whose one parameter is its first "? AS sign", for a
// migration (which binds none): that sign written in as +1.
inline std::string WithSignPlusOne(std::string sql) {
  sql.replace(sql.find("? AS sign"), 1, "1");
  return sql;
}

// An interaction's share (sign +1 or -1) of the currency count and of its
// account's cell's and manager's revenue blocks (an interaction with
// revenue), and of its staff user's activity blocks (one with a staff user),
// held in `pending`. Reads the account's cell.
absl::Status HoldInteractionInAggregates(sql::Transaction& txn,
                                         PendingWrites& pending,
                                         const std::string& tenant,
                                         const InteractionRow& row,
                                         int64_t sign);
// The same with the account's cell already read (nullopt: it has none).
void HoldInteractionInCell(PendingWrites& pending, const std::string& tenant,
                           const InteractionRow& row, int64_t sign,
                           const std::optional<AccountCell>& cell);

// Before `account_id`'s per-day rows are moved away or erased: takes the
// account out of the cell aggregates (re-added, if it is live, by
// AfterEventAggregates at the end of the event). With `erasing` its revenue
// also leaves the currency counts.
absl::Status DetachAccountFromAggregates(sql::Transaction& txn,
                                         const std::string& tenant,
                                         const std::string& account_id,
                                         bool erasing);

// A deal's current version's share of deal_cells, added (sign +1) or taken
// away (-1): around every change of the version.
absl::Status MoveDealShare(sql::Transaction& txn, const std::string& tenant,
                           const std::string& deal_id, int64_t sign);
// The shares of all of an account's current deal versions, under the cell
// account_cells holds for it at the time.
absl::Status MoveAccountDeals(sql::Transaction& txn, const std::string& tenant,
                              const std::string& account_id, int64_t sign);
// Counts by the day they happened on (support_facts.h), as a blob
// ([zigzag day, length, EncodeSupportCounts] per day) and back; decoding a
// blob this code did not write is DATA_LOSS. A std::map, whose entries stay
// put while counts are added to them.
using DayCounts = std::map<int64_t, SupportCounts>;
std::string EncodeDayCounts(const DayCounts& counts);
absl::Status DecodeDayCounts(absl::string_view blob, DayCounts* counts);
// Counts to add per (tenant, level, block_day) of a table of day blocks
// (support_blocks' columns), and adding them: each block's blob decoded,
// summed and written back once (gone when every count is 0).
using BlockCounts =
    absl::btree_map<std::tuple<std::string, int, int64_t>, SupportCounts>;
absl::Status AddToBlockBlobs(sql::Transaction& txn, const std::string& table,
                             const BlockCounts& blocks);
// Replaces the `facts` blob of `table`'s row with key `key` (its
// `key_columns`) by `rewrite(old blob, "" for none)`, the row gone when
// that is "".
absl::Status RewriteBlob(
    sql::Transaction& txn, const std::string& table,
    const std::vector<std::string>& key_columns,
    const std::vector<sql::Value>& key,
    const std::function<absl::StatusOr<std::string>(absl::string_view)>&
        rewrite);
// The tickets and follow-ups of the account are counted again at the next
// flush (support_unsynced, follow_ups_unsynced): before it comes, goes, is
// merged away or erased.
absl::Status TouchAccountWork(sql::Transaction& txn, const std::string& tenant,
                              const std::string& account_id);
// Counts `tickets` and `follow_ups` (tenant, id) and those of the unsynced
// tables (emptied) again and moves support_blocks, workload_blocks,
// support_backlog and follow_ups_open by the difference from what
// support_tickets and follow_up_counts held (PendingWrites::Flush).
absl::Status SyncCounts(sql::Transaction& txn,
                        absl::btree_set<TicketKey> tickets,
                        absl::btree_set<TicketKey> follow_ups);
// support_backlog_now of `tenant` from support_backlog and report_horizon
// (no row without both): after the transaction's writes.
absl::Status RefreshBacklogNow(sql::Transaction& txn,
                               const std::string& tenant);
// The funnel's (projector_funnel.cc): `accounts` (tenant, account_id) and
// those of funnel_unsynced (emptied) counted again, funnel_blocks and
// funnel_revenue moved by the difference (PendingWrites::Flush).
absl::Status SyncFunnelAccounts(sql::Transaction& txn,
                                absl::btree_set<TicketKey> accounts);
// The account's share taken out while its revenue rows are its own (it is
// merged away or erased), and counted again at the next flush.
absl::Status DetachFunnelAccount(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const std::string& account_id);
// The account is counted again at the next flush (funnel_unsynced).
absl::Status TouchFunnelAccount(sql::Transaction& txn,
                                const std::string& tenant,
                                const std::string& account_id);
// After relationship interactions of the account were written on `days`
// (`removed`: some were taken away): the account is counted again when
// that can move its ENGAGED stage.
absl::Status TouchFunnelIfEngaging(sql::Transaction& txn,
                                   const std::string& tenant,
                                   const std::string& account_id,
                                   const std::vector<int64_t>& days,
                                   bool removed);
// Revenue written for accounts of a cohort, added to funnel_revenue where
// their stored facts put it, written once.
class FunnelRevenue {
 public:
  absl::Status Written(sql::Transaction& txn, const std::string& tenant,
                       const std::string& account_id,
                       const RevenueLess& written);
  absl::Status Write(sql::Transaction& txn);

 private:
  // (tenant, currency, level, block_day, reached) -> revenue to add.
  absl::btree_map<std::tuple<std::string, std::string, int, int64_t, int64_t>,
                  int64_t>
      sums_;
};
// A ticket's share of staff_open_tickets: the staff users it counts for as
// assigned and as managed ("" for none).
struct OpenTicketShare {
  std::string assignee;
  std::string account_manager;

  friend bool operator==(const OpenTicketShare& a, const OpenTicketShare& b) {
    return a.assignee == b.assignee && a.account_manager == b.account_manager;
  }
};
absl::StatusOr<OpenTicketShare> OpenTicketShareOf(sql::Transaction& txn,
                                                  const std::string& tenant,
                                                  const std::string& ticket_id);
// Around every ticket event: its share before, moved to its share after.
absl::Status MoveOpenTicketShare(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const OpenTicketShare& from,
                                 const OpenTicketShare& to);
// The shares of all of an account's tickets, under the manager
// account_cells holds for it at the time (none without a row there).
absl::Status MoveAccountTickets(sql::Transaction& txn,
                                const std::string& tenant,
                                const std::string& account_id, int64_t sign);
// After deal versions of `stages` changed or went: the weight of each open
// stage among them follows its newest deal, and its cells are weighed again
// when it moved.
absl::Status RefreshStageWeights(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const absl::btree_set<int64_t>& stages);

// At the end of every applied event: moves the horizon and brings the cells
// of the accounts the event concerns (and of those detached) up to date.
absl::Status AfterEventAggregates(sql::Transaction& txn,
                                  const EventContext& ctx,
                                  const events::v1::Event& event);

}  // namespace projector_internal
}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_PROJECTOR_AGGREGATES_H_

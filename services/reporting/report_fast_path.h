// Reports read from the maintained aggregates (projector_aggregates.h) when
// the request allows it: FastPath(txn, scope) (report_scope.h) holds, so
// the accounts in scope at as_of are those of account_cells, and the
// filter names only what a cell holds (CellFilterOnly). Each function
// answers exactly what today's per-account SQL would (the equivalence test,
// fast_path_equivalence_test.cc, compares both). Errors are the database's.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_FAST_PATH_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_FAST_PATH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clientele/reporting/v1/report_common.pb.h"
#include "common/sql/database.h"
#include "common/status_macros.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {

// Whether a row of `source` (a table, with the index to read it by) of
// scope.tenant has `column` after scope.as_of_us (only times ahead of the
// tenant's newest event): the maintained counts hold such a fact, a report
// as of then leaves it out, so it reads the rows themselves. One seek.
absl::StatusOr<bool> DatedAfterAsOf(sql::Transaction& txn,
                                    const ReportScope& scope,
                                    absl::string_view source,
                                    absl::string_view column);
// Whether a ticket's first reply or an SLA judgement is dated after
// scope.as_of_us (DatedAfterAsOf): the maintained ticket counts
// (support_blocks, workload_blocks) hold them.
absl::StatusOr<bool> TicketFactsAfterAsOf(sql::Transaction& txn,
                                          const ReportScope& scope);

// Column 0's bytes: a view of the row's blob, or (a column SQLite returned
// as another type) of its text kept in `*held`.
absl::string_view BlobOf(const sql::Row& row, std::string* held);

// Visits the rows (support_facts.h, VisitSupportRows) of the blobs of
// `table` (support_blocks' columns: tenant, level, block_day, facts) of
// `tenant` for the UTC days [first_day, end_day), by signed blocks
// (report_blocks.h): visit(sign, key, first_code, n, count). A block taken
// away takes its counts away: the sums are right once every block is read.
template <typename Visit>
absl::Status VisitBlockRows(sql::Transaction& txn, absl::string_view table,
                            const std::string& tenant, int64_t first_day,
                            int64_t end_day, Visit&& visit) {
  for (const BlockRun& run : SignedBlockRuns(first_day, end_day)) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query(absl::StrCat("SELECT facts FROM ", table,
                               " WHERE tenant = ? AND level = ? AND "
                               "block_day >= ? AND block_day <= ?"),
                  {tenant, int64_t{run.level}, run.first_block_day,
                   run.last_block_day}));
    const int64_t sign = run.sign;
    for (const sql::Row& row : rows) {
      std::string held;
      RETURN_IF_ERROR(VisitSupportRows(
          BlobOf(row, &held),
          [&visit, sign](const SupportRowKey& key, int64_t first, size_t n,
                         const auto& count) {
            visit(sign, key, first, n, count);
          }));
    }
  }
  return absl::OkStatus();
}

// Whether the filter names at most tiers, segments and modes (no account
// manager, no owner).
bool CellFilterOnly(const v1::ReportFilter& filter);

// Appends " AND <prefix>tier IN (...)" etc. for the filter's cell
// dimensions (ScopedAccounts filters the same values) to `out`.
void AppendCellFilter(const v1::ReportFilter& filter, absl::string_view prefix,
                      SqlFragment* out);

// Whether the filter names nothing: the workload's flow aggregates (manager
// revenue, staff activity) are kept per tenant, not per cell, so that a
// score or tier change never moves them.
bool Unfiltered(const v1::ReportFilter& filter);

// The accounts in scope as ScopedAccounts selects them, for queries that
// read only their account_id and account_manager: from account_cells (one
// row per account) when `fast` (FastPath held) and the filter is
// CellFilterOnly, else ScopedAccounts itself.
SqlFragment ScopedAccountCells(const ReportScope& scope, bool fast);

// The accounts in scope per (mode, band) as stored (ScopedAccounts' mode and
// band), with the sum of their scores.
struct ModeBandCount {
  int64_t mode = 0;
  int64_t band = 0;
  int64_t accounts = 0;
  int64_t score_sum = 0;
};
absl::StatusOr<std::vector<ModeBandCount>> CellCountsByModeBand(
    sql::Transaction& txn, const ReportScope& scope);

// Revenue over [start_us, end_us) in scope.currency of the accounts in
// scope, per mode as stored (RevenueByAccount summed by ScopedAccounts'
// mode).
struct ModeRevenue {
  int64_t mode = 0;
  int64_t recurring_minor = 0;
  int64_t transactional_minor = 0;
};
absl::StatusOr<std::vector<ModeRevenue>> CellRevenueByMode(
    sql::Transaction& txn, const ReportScope& scope);

// Metadata's other_currency_interaction_count: revenue interactions in
// [start_us, end_us) of the accounts in scope in a currency other than
// scope.currency.
absl::StatusOr<int64_t> CellOtherCurrencyInteractions(sql::Transaction& txn,
                                                      const ReportScope& scope);

// The workload's account managers (non-empty) of the accounts in scope:
// their accounts, those in CLIENT mode and those in the AT_RISK or
// NEEDS_ATTENTION band (as CollectManagers counts them), from
// manager_cells. Managers with no account are left out.
struct ManagerCount {
  std::string account_manager;
  int64_t accounts = 0;
  int64_t clients = 0;
  int64_t at_risk = 0;
};
absl::StatusOr<std::vector<ManagerCount>> ManagerCounts(
    sql::Transaction& txn, const ReportScope& scope);

// Revenue over [start_us, end_us) in scope.currency of the accounts in
// scope, per non-empty account manager (RevenueByAccount summed by
// ScopedAccounts' account_manager). Unfiltered must hold.
struct ManagerRevenue {
  std::string account_manager;
  int64_t recurring_minor = 0;
  int64_t transactional_minor = 0;
};
absl::StatusOr<std::vector<ManagerRevenue>> ManagerRevenues(
    sql::Transaction& txn, const ReportScope& scope);

// Interactions in [start_us, end_us) of the accounts in scope, per
// non-empty staff user: staff_activity_blocks for the whole days, the
// interactions themselves for the partial days (what the workload's
// CountInteractions counts). Unfiltered must hold.
struct StaffInteractions {
  std::string staff_user;
  int64_t interactions = 0;
};
absl::StatusOr<std::vector<StaffInteractions>> StaffInteractionCounts(
    sql::Transaction& txn, const ReportScope& scope);

// Per staff user of `tenant`, the open tickets now (staff_open_tickets):
// assigned to them (NEW, OPEN, PENDING or ON_HOLD) and of the accounts they
// manage (NEW, OPEN or PENDING), of its live accounts (the accounts in scope
// of an unfiltered report as of now). Users with neither left out.
struct StaffOpenTickets {
  std::string staff_user;
  int64_t assigned = 0;
  int64_t managed = 0;
};
absl::StatusOr<std::vector<StaffOpenTickets>> StaffOpenTicketCounts(
    sql::Transaction& txn, const std::string& tenant);

// The pipeline's deals counted in months [first_month, last_month] (months
// since January 1970) from deal_cells, per stage, month and currency:
// open deals expected in any month up to last_month (earlier ones are
// overdue), won and lost ones closed in the range.
struct DealCellSum {
  int64_t stage = 0;
  int64_t month = 0;
  std::string currency;
  int64_t deals = 0;
  int64_t amount_minor = 0;
  int64_t weighted_minor = 0;
};
absl::StatusOr<std::vector<DealCellSum>> DealCellSums(sql::Transaction& txn,
                                                      const ReportScope& scope,
                                                      int64_t first_month,
                                                      int64_t last_month);

// The probability of the newest current deal version in `stage` (the
// pipeline's, as of now), nullopt when the stage has none.
absl::StatusOr<std::optional<double>> NewestStageProbability(
    sql::Transaction& txn, const std::string& tenant, int64_t stage);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_FAST_PATH_H_

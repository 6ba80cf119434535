// What every report is computed over, checked and resolved once by the gRPC
// layer, and the SQL every report starts from: the accounts in scope as of
// the report's as_of_time. See reporting_schema.cc for the tables and
// docs/reports.md for the definitions.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_SCOPE_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_SCOPE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "clientele/reporting/v1/report_common.pb.h"
#include "common/sql/database.h"

namespace clientele::reporting {

// The current version's to_us (see reporting_schema.cc).
inline constexpr int64_t kOpenEndUs = INT64_MAX;

// Deal stages (events::v1::DealStage; projector_deals.cc checks the values)
// as a pipeline counts them: the open ones (qualifying, proposal,
// negotiation) by their expected close day, the closed ones (won, lost) by
// their close day. The lists are for SQL.
inline constexpr char kOpenDealStagesSql[] = "1, 2, 3";
inline constexpr char kClosedDealStagesSql[] = "4, 5";
inline bool IsOpenDealStage(int64_t stage) { return stage >= 1 && stage <= 3; }

// Ticket statuses (events::v1::TicketStatus; report_scope.cc checks the
// values) as reports group them: the backlog (NEW, OPEN, PENDING) and the
// tickets waiting (the backlog and ON_HOLD). The lists are for SQL; a
// partial index (projector_workload.cc) is only used by queries that name
// the same list, so every query takes them from here.
inline constexpr char kBacklogTicketStatusesSql[] = "1, 2, 3";
inline constexpr char kWaitingTicketStatusesSql[] = "1, 2, 3, 6";
inline bool IsBacklogTicketStatus(int64_t status) {
  return status >= 1 && status <= 3;
}
inline bool IsWaitingTicketStatus(int64_t status) {
  return IsBacklogTicketStatus(status) || status == 6;
}

// A checked report request.
struct ReportScope {
  std::string tenant;
  // The time range flows are counted over: [start_us, end_us).
  int64_t start_us = 0;
  int64_t end_us = 0;
  // The moment states are taken at (<= now).
  int64_t as_of_us = 0;
  // When the report is computed (ReportMetadata.generate_time).
  int64_t now_us = 0;
  // The currency money is reported in, resolved (never empty).
  std::string currency;
  // The checked filter.
  v1::ReportFilter filter;
  // Tests only: read per account even when FastPath would allow the
  // maintained aggregates (both must answer the same).
  bool force_fallback = false;
};

// Whether reports may read the maintained aggregates
// (projector_aggregates.h) instead of the per-account rows: as_of is at or
// after the newest event applied for the tenant (report_horizon), so every
// account and score version in effect at as_of is the current one, and
// force_fallback is not set. True for a tenant with no event yet.
absl::StatusOr<bool> FastPath(sql::Transaction& txn, const ReportScope& scope);

// SQL text with its bound values.
struct SqlFragment {
  std::string sql;
  std::vector<sql::Value> params;
};

// A sub-select of the live accounts matching scope.filter as of
// scope.as_of_us (deleted, erased and merged accounts left out), one row per
// account, with these columns in this order, usable as
// `FROM (<sql>) AS a`:
//   account_id, tier, segment, owner, account_manager, acquisition_day,
//   create_us, commercial_model, billing_cycle, recurring_minor,
//   recurring_currency, contract_start_day, contract_end_day,
//   mode, score, band, trend_delta, risk_reasons
// mode/score/band/trend_delta are 0 and risk_reasons '' for an account not
// scored at as_of. With apply_mode_filter false the filter's modes are
// ignored (the funnel).
SqlFragment ScopedAccounts(const ReportScope& scope,
                           bool apply_mode_filter = true);

// Column indexes of ScopedAccounts' rows.
enum ScopedAccountColumn : size_t {
  kAccountId = 0,
  kTier,
  kSegment,
  kOwner,
  kAccountManager,
  kAcquisitionDay,
  kCreateUs,
  kCommercialModel,
  kBillingCycle,
  kRecurringMinor,
  kRecurringCurrency,
  kContractStartDay,
  kContractEndDay,
  kMode,
  kScore,
  kBand,
  kTrendDelta,
  kRiskReasons,
};

// A sub-select of revenue over [scope.start_us, scope.end_us) in
// scope.currency per account (every account of the tenant, not only those
// in scope: join it with ScopedAccounts), with columns
//   account_id, recurring_minor, transactional_minor, interactions
// usable as `FROM (<sql>) AS r`. Whole UTC days come from the maintained
// revenue_days; the partial days at either end from the interactions
// themselves, so the sums are exact for any range. With `ids_json` (a JSON
// array of account ids) only those accounts' rows are read (by key).
SqlFragment RevenueByAccount(const ReportScope& scope,
                             const std::string& ids_json = "");

// `ids` as a JSON array of strings, for json_each() (RevenueByAccount's
// ids_json).
std::string JsonStringArray(const std::vector<std::string>& ids);

// The revenue over the scope's range in scope.currency (recurring plus
// transactional, saturating) of each of `ids` that has any, read by key
// (RevenueByAccount of those ids). Errors are the database's.
absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> RevenueOfAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const std::vector<std::string>& ids);

// Whether an interaction kind (events::v1::InteractionKind) is recurring
// revenue (subscription payment, retainer invoice), and whether it is
// revenue at all (those, purchases, refunds).
bool IsRecurringRevenueKind(int kind);
bool IsRevenueKind(int kind);

// The tenant's currency: the one most of its revenue interactions use
// (ties: alphabetical), "EUR" before any. Reads the maintained counts
// (tenant_currency_counts): a few rows.
absl::StatusOr<std::string> TenantCurrency(sql::Transaction& txn,
                                           const std::string& tenant);

// The report's metadata: scope's range, as_of, now and currency;
// data_fresh_time from the tenant's stream watermarks (the oldest; unset
// before any event); other_currency_interaction_count: revenue interactions
// in time_range of the accounts in scope in another currency.
absl::StatusOr<v1::ReportMetadata> Metadata(sql::Transaction& txn,
                                            const ReportScope& scope);
// The same without other_currency_interaction_count (0), for a report that
// sums no interaction.
absl::StatusOr<v1::ReportMetadata> MetadataWithoutInteractions(
    sql::Transaction& txn, const ReportScope& scope);

// Days since 1970-01-01 UTC of a time in microseconds (floor).
inline int64_t DayOfUs(int64_t us) {
  const int64_t day_us = int64_t{86400} * 1000000;
  return us >= 0 ? us / day_us : -((-us + day_us - 1) / day_us);
}

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_SCOPE_H_

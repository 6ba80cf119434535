// The at-risk list's maintained ranking (projector_aggregates.h,
// "at_risk_revenue"; docs/reports.md, "How reports stay fast"): per live
// account and currency, its revenue in the year window that ends with the
// month of the tenant's newest event, and its recurring terms' amount a year
// when they bill in that currency, with the account's band, mode, tier and
// segment, indexed by what the list ranks by (revenue_at_risk.h).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/status_macros.h"
#include "services/reporting/cohort_periods.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/revenue_at_risk.h"

namespace clientele::reporting {

const char kAtRiskAggregatesSql[] = R"sql(
-- window_minor: revenue (recurring plus transactional) in the window's
-- months; annual_minor: the recurring terms' amount a year when they bill
-- in this currency (NULL otherwise). Rows only for accounts with a cell.
CREATE TABLE at_risk_revenue (
  tenant TEXT NOT NULL,
  account_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  window_minor INTEGER NOT NULL,
  annual_minor INTEGER,
  band INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  neg_risk INTEGER AS (-COALESCE(annual_minor, MAX(window_minor, 0))),
  PRIMARY KEY (tenant, account_id, currency)
) WITHOUT ROWID;
CREATE INDEX at_risk_ranking
  ON at_risk_revenue (tenant, currency, band, neg_risk, account_id);

-- An account's interactions in time order: its latest interaction up to a
-- moment is one seek (the at-risk page's last_interaction_time).
DROP INDEX interactions_by_account;
CREATE INDEX interactions_by_account
  ON interactions (tenant, account_id, occur_us);

-- Per tenant whose ranking is built: the window's last month (months since
-- January 1970), the month of its newest event. No row: not built yet (the
-- next transaction with an event of the tenant builds it).
CREATE TABLE at_risk_state (
  tenant TEXT NOT NULL,
  last_month INTEGER NOT NULL,
  PRIMARY KEY (tenant)
) WITHOUT ROWID;
)sql";

namespace projector_internal {
namespace {

// Adds `sign` times the revenue_days of days [first_day, end_day) to the
// rows of the accounts with a cell (all of the tenant's, or `account_id`'s).
absl::Status AddRevenueDays(sql::Transaction& txn, const std::string& tenant,
                            const std::optional<std::string>& account_id,
                            int64_t first_day, int64_t end_day, int64_t sign) {
  if (first_day >= end_day) return absl::OkStatus();
  std::vector<sql::Value> params = {sign, tenant, first_day, end_day};
  std::string only;
  if (account_id.has_value()) {
    only = " AND r.account_id = ?";
    params.emplace_back(*account_id);
  }
  return txn
      .Exec(absl::StrCat(
                "INSERT INTO at_risk_revenue (tenant, account_id, currency, "
                "window_minor, annual_minor, band, mode, tier, segment) "
                "SELECT c.tenant, c.account_id, r.currency, "
                "? * SUM(r.recurring_minor + r.transactional_minor), NULL, "
                "c.band, c.mode, c.tier, c.segment FROM revenue_days r "
                "JOIN account_cells c ON c.tenant = r.tenant "
                "AND c.account_id = r.account_id "
                "WHERE r.tenant = ? AND r.day >= ? AND r.day < ?",
                only,
                " GROUP BY r.account_id, r.currency "
                "ON CONFLICT (tenant, account_id, currency) DO UPDATE SET "
                "window_minor = window_minor + excluded.window_minor"),
            params)
      .status();
}

// Sets annual_minor from the current terms of the accounts with a cell (all
// of the tenant's, or `account_id`'s), whose rows hold none yet.
absl::Status AddRecurringTerms(sql::Transaction& txn, const std::string& tenant,
                               const std::optional<std::string>& account_id) {
  std::vector<sql::Value> params = {tenant};
  std::string only;
  if (account_id.has_value()) {
    only = " AND c.account_id = ?";
    params.emplace_back(*account_id);
  }
  params.emplace_back(
      static_cast<int64_t>(type::v1::COMMERCIAL_MODEL_SUBSCRIPTION));
  params.emplace_back(
      static_cast<int64_t>(type::v1::COMMERCIAL_MODEL_RETAINER));
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> terms,
      txn.Query(absl::StrCat(
                    "SELECT c.account_id, v.commercial_model, v.billing_cycle, "
                    "v.recurring_minor, v.recurring_currency, c.band, c.mode, "
                    "c.tier, c.segment FROM account_cells c "
                    "JOIN account_versions v ON v.tenant = c.tenant "
                    "AND v.account_id = c.account_id AND v.to_us = ",
                    kOpenEndUs, " WHERE c.tenant = ?", only,
                    " AND v.commercial_model IN (?, ?) "
                    "AND v.recurring_minor > 0"),
                params));
  for (const sql::Row& row : terms) {
    const int64_t annual = AnnualRecurringMinor(
        static_cast<int>(row.Int(1)), static_cast<int>(row.Int(2)), row.Int(3));
    if (annual <= 0) continue;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO at_risk_revenue (tenant, account_id, currency, "
                 "window_minor, annual_minor, band, mode, tier, segment) "
                 "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, account_id, currency) DO UPDATE SET "
                 "annual_minor = excluded.annual_minor",
                 {tenant, row.String(0), row.String(4), annual, row.Int(5),
                  row.Int(6), row.Int(7), row.Int(8)})
            .status());
  }
  return absl::OkStatus();
}

// The rows of the tenant (or of one account) computed again from
// revenue_days, account_cells and the current terms, for `window`.
absl::Status Rebuild(sql::Transaction& txn, const std::string& tenant,
                     const std::optional<std::string>& account_id,
                     const AtRiskWindow& window) {
  if (account_id.has_value()) {
    RETURN_IF_ERROR(DropAtRiskRows(txn, tenant, *account_id));
  } else {
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM at_risk_revenue WHERE tenant = ?", {tenant})
            .status());
  }
  RETURN_IF_ERROR(AddRevenueDays(txn, tenant, account_id, window.first_day(),
                                 window.end_day(), +1));
  return AddRecurringTerms(txn, tenant, account_id);
}

}  // namespace

absl::Status AtRiskRevenue::Written(sql::Transaction& txn,
                                    const std::string& tenant,
                                    const std::string& account_id,
                                    const RevenueLess& written) {
  auto found = windows_.find(tenant);
  if (found == windows_.end()) {
    ASSIGN_OR_RETURN(std::optional<AtRiskWindow> window,
                     StoredAtRiskWindow(txn, tenant));
    found = windows_.emplace(tenant, window).first;
  }
  if (!found->second.has_value()) return absl::OkStatus();  // not built
  std::map<std::string, int64_t> by_currency;
  for (const auto& [key, revenue] : written) {
    if (!found->second->Holds(key.first)) continue;
    by_currency[key.second] +=
        revenue.recurring_minor + revenue.transactional_minor;
  }
  for (const auto& [currency, amount] : by_currency) {
    if (amount == 0) continue;
    // Most accounts have their row already: then no cell is read.
    ASSIGN_OR_RETURN(
        const int64_t updated,
        txn.Exec("UPDATE at_risk_revenue SET window_minor = window_minor + ? "
                 "WHERE tenant = ? AND account_id = ? AND currency = ?",
                 {amount, tenant, account_id, currency}));
    if (updated > 0) continue;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO at_risk_revenue (tenant, account_id, currency, "
                 "window_minor, annual_minor, band, mode, tier, segment) "
                 "SELECT tenant, account_id, ?, ?, NULL, band, mode, tier, "
                 "segment FROM account_cells "
                 "WHERE tenant = ? AND account_id = ?",
                 {currency, amount, tenant, account_id})
            .status());
  }
  return absl::OkStatus();
}

absl::Status RefreshAtRiskAccount(sql::Transaction& txn,
                                  const std::string& tenant,
                                  const std::string& account_id) {
  ASSIGN_OR_RETURN(std::optional<AtRiskWindow> window,
                   StoredAtRiskWindow(txn, tenant));
  if (!window.has_value()) return absl::OkStatus();
  return Rebuild(txn, tenant, account_id, *window);
}

absl::Status DropAtRiskRows(sql::Transaction& txn, const std::string& tenant,
                            const std::string& account_id) {
  return txn
      .Exec("DELETE FROM at_risk_revenue WHERE tenant = ? AND account_id = ?",
            {tenant, account_id})
      .status();
}

absl::StatusOr<std::optional<AtRiskWindow>> StoredAtRiskWindow(
    sql::Transaction& txn, const std::string& tenant) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT last_month FROM at_risk_state WHERE tenant = ?",
                {tenant}));
  if (rows.empty()) return std::optional<AtRiskWindow>();
  return std::optional<AtRiskWindow>(AtRiskWindow::EndingIn(rows[0].Int(0)));
}

absl::Status MoveAtRiskCell(sql::Transaction& txn, const std::string& tenant,
                            const std::string& account_id,
                            const AccountCell& cell) {
  return txn
      .Exec(
          "UPDATE at_risk_revenue SET band = ?, mode = ?, tier = ?, "
          "segment = ? WHERE tenant = ? AND account_id = ?",
          {cell.band, cell.mode, cell.tier, cell.segment, tenant, account_id})
      .status();
}

absl::Status AdvanceAtRiskWindow(sql::Transaction& txn,
                                 const std::string& tenant) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> horizon,
      txn.Query("SELECT max_us FROM report_horizon WHERE tenant = ?",
                {tenant}));
  if (horizon.empty()) return absl::OkStatus();
  const int64_t last_month = MonthOfDay(DayOfUs(horizon[0].Int(0)));
  const AtRiskWindow target = AtRiskWindow::EndingIn(last_month);
  ASSIGN_OR_RETURN(std::optional<AtRiskWindow> stored,
                   StoredAtRiskWindow(txn, tenant));
  if (stored.has_value() && stored->last_month >= last_month) {
    return absl::OkStatus();
  }
  if (!stored.has_value() || target.first_month > stored->last_month) {
    // First build, or no month in common: from the rows.
    RETURN_IF_ERROR(Rebuild(txn, tenant, std::nullopt, target));
  } else {
    // The months that left the window, and those that came into it.
    RETURN_IF_ERROR(AddRevenueDays(txn, tenant, std::nullopt,
                                   stored->first_day(), target.first_day(),
                                   -1));
    RETURN_IF_ERROR(AddRevenueDays(txn, tenant, std::nullopt, stored->end_day(),
                                   target.end_day(), +1));
    RETURN_IF_ERROR(txn.Exec("DELETE FROM at_risk_revenue WHERE tenant = ? "
                             "AND window_minor = 0 AND annual_minor IS NULL",
                             {tenant})
                        .status());
  }
  return txn
      .Exec(
          "INSERT INTO at_risk_state (tenant, last_month) VALUES (?, ?) "
          "ON CONFLICT (tenant) DO UPDATE SET last_month = "
          "excluded.last_month",
          {tenant, last_month})
      .status();
}

}  // namespace projector_internal
}  // namespace clientele::reporting

// Retention's maintained aggregates (projector_aggregates.h, "retention_*";
// docs/reports.md, "How reports stay fast"): each live account's share of
// the cohort triangle, read from its rows (current version, contracts,
// revenue_days), and moved by the difference between its share before and
// after whatever changes those rows.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/cohort_periods.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

namespace projector_internal {

// One account's part of the triangle (see kRetentionAggregatesSql).
struct RetentionShare {
  bool live = false;
  int64_t acquisition_day = 0;
  int64_t cohort = 0;  // MonthOfDay(acquisition_day)
  // The months it is active in as a difference array: +1 where a run of
  // active months starts, -1 after it ends (none for a run without end).
  std::map<int64_t, int64_t> active;
  // (month, day): a month it is active in only through a contract that
  // starts on `day`, after the month's first day.
  std::map<std::pair<int64_t, int64_t>, int64_t> late;
  // (month, currency) -> (revenue, min(revenue, cohort month's revenue)
  // with both floored at 0 for the min).
  std::map<std::pair<int64_t, std::string>, std::pair<int64_t, int64_t>> money;
};

namespace {

constexpr int64_t kNoEnd = INT64_MAX;

// What an account's share is computed from: its current version (when
// live), its revenue_days from its cohort's month on and the contracts of
// all its versions.
struct AccountRows {
  bool live = false;
  int64_t acquisition_day = 0;
  std::vector<sql::Row> revenue;  // day, currency, recurring, transactional,
                                  // interactions
  // Distinct (start day, end day) of its versions (unset: open).
  std::vector<std::pair<std::optional<int64_t>, std::optional<int64_t>>>
      contracts;
};

// The days [from, to) of an account's revenue_days in cohort `cohort` that
// LoadAccountRows reads. All from the cohort's month on, unless `written`
// (RetentionMoves::Written) says which rows changed: revenue written in
// month m changes the share's entries for m only (its activity, its money
// against the cohort month's), so the difference needs m's rows and the
// cohort month's; written in the cohort month, it changes every month's
// retained money.
std::vector<std::pair<int64_t, int64_t>> RevenueDaysNeeded(
    int64_t cohort, const RevenueLess* written) {
  std::vector<std::pair<int64_t, int64_t>> all = {
      {FirstDayOfMonth(cohort), std::numeric_limits<int64_t>::max()}};
  if (written == nullptr) return all;
  absl::btree_set<int64_t> months = {cohort};
  for (const auto& [key, revenue] : *written) {
    const int64_t month = MonthOfDay(key.first);
    if (month == cohort) return all;
    if (month > cohort) months.insert(month);
  }
  std::vector<std::pair<int64_t, int64_t>> days;
  for (const int64_t month : months) {
    days.emplace_back(FirstDayOfMonth(month), FirstDayOfMonth(month + 1));
  }
  return days;
}

// `written`: see RevenueDaysNeeded (null: every revenue row from the
// cohort month on).
absl::StatusOr<AccountRows> LoadAccountRows(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id, const RevenueLess* written = nullptr) {
  AccountRows rows;
  // Every version (an account has few): the current one says whether it is
  // live and its acquisition day, all of them its contracts.
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> versions,
      txn.Query("SELECT to_us, state, acquisition_day, contract_start_day, "
                "contract_end_day FROM account_versions "
                "WHERE tenant = ? AND account_id = ?",
                {tenant, account_id}));
  for (sql::Row& version : versions) {
    if (version.Int(0) == kOpenEndUs && version.Int(1) == 0) {
      rows.live = true;
      rows.acquisition_day = version.Int(2);
    }
  }
  if (!rows.live) return rows;
  for (const sql::Row& version : versions) {
    if (version.IsNull(3) && version.IsNull(4)) continue;
    const std::pair<std::optional<int64_t>, std::optional<int64_t>> contract = {
        version.IsNull(3) ? std::nullopt
                          : std::optional<int64_t>(version.Int(3)),
        version.IsNull(4) ? std::nullopt
                          : std::optional<int64_t>(version.Int(4))};
    if (std::find(rows.contracts.begin(), rows.contracts.end(), contract) ==
        rows.contracts.end()) {
      rows.contracts.push_back(contract);
    }
  }
  constexpr const char* kRevenueSql =
      "SELECT day, currency, recurring_minor, transactional_minor, "
      "interactions FROM revenue_days "
      "WHERE tenant = ? AND account_id = ? AND day >= ? AND day < ?";
  for (const auto& [from_day, to_day] :
       RevenueDaysNeeded(MonthOfDay(rows.acquisition_day), written)) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> part,
        txn.Query(kRevenueSql, {tenant, account_id, from_day, to_day}));
    for (sql::Row& row : part) rows.revenue.push_back(std::move(row));
  }
  return rows;
}

// An account's revenue in one month.
struct Month {
  int64_t interactions = 0;  // revenue interactions, any currency
  std::map<std::string, int64_t> revenue;
};

// The share `rows` give, with `less` taken off their revenue.
RetentionShare ShareOf(const AccountRows& rows, const RevenueLess& less) {
  RetentionShare share;
  if (!rows.live) return share;
  share.live = true;
  share.acquisition_day = rows.acquisition_day;
  share.cohort = MonthOfDay(share.acquisition_day);

  std::map<int64_t, Month> months;
  for (const sql::Row& row : rows.revenue) {
    Month& month = months[MonthOfDay(row.Int(0))];
    month.interactions += row.Int(4);
    int64_t& sum = month.revenue[row.String(1)];
    sum = SaturatingAdd(sum, SaturatingAdd(row.Int(2), row.Int(3)));
  }
  for (const auto& [key, held] : less) {
    const auto& [day, currency] = key;
    if (MonthOfDay(day) < share.cohort) continue;
    Month& month = months[MonthOfDay(day)];
    month.interactions -= held.interactions;
    int64_t& sum = month.revenue[currency];
    sum = SaturatingAdd(
        sum, -SaturatingAdd(held.recurring_minor, held.transactional_minor));
  }

  // Contracts of any version: [start, end] in days, open where unset.
  // Active months as runs [first, last] (kNoEnd: no last).
  std::vector<std::pair<int64_t, int64_t>> runs;
  struct Covering {
    int64_t first_month;
    int64_t last_month;
    int64_t start_day;  // INT64_MIN when open
  };
  std::vector<Covering> covering;
  for (const auto& [start_day, end_day] : rows.contracts) {
    const int64_t start = start_day.value_or(INT64_MIN);
    const int64_t end = end_day.value_or(kNoEnd);
    // Reports count a contract for the days from its start to its end; one
    // that ends before it starts still covers its month when both days are
    // in it (start <= the month's last day and end >= its first).
    if (end < start && MonthOfDay(start) != MonthOfDay(end)) {
      continue;
    }
    const int64_t first = std::max(
        share.cohort, start == INT64_MIN ? share.cohort : MonthOfDay(start));
    const int64_t last = end == kNoEnd ? kNoEnd : MonthOfDay(end);
    if (last < first) continue;
    runs.emplace_back(first, last);
    covering.push_back({first, last, start});
  }
  for (const auto& [month, sums] : months) {
    if (sums.interactions > 0) runs.emplace_back(month, month);
  }
  std::sort(runs.begin(), runs.end());
  for (size_t i = 0; i < runs.size();) {
    int64_t first = runs[i].first;
    int64_t last = runs[i].second;
    size_t j = i + 1;
    // A run without end takes every later one in.
    while (j < runs.size() && (last == kNoEnd || runs[j].first <= last + 1)) {
      last = std::max(last, runs[j].second);
      ++j;
    }
    ++share.active[first];
    if (last != kNoEnd) --share.active[last + 1];
    i = j;
  }
  // A month active only through contracts, the first of which to cover it
  // starts after its first day.
  for (const Covering& contract : covering) {
    if (contract.start_day == INT64_MIN) continue;
    const int64_t month = MonthOfDay(contract.start_day);
    if (month < share.cohort || contract.start_day == FirstDayOfMonth(month)) {
      continue;
    }
    const auto revenue = months.find(month);
    if (revenue != months.end() && revenue->second.interactions > 0) continue;
    int64_t first_day = contract.start_day;
    for (const Covering& other : covering) {
      if (other.first_month > month || other.last_month < month) continue;
      first_day = std::min(first_day,
                           std::max(other.start_day, FirstDayOfMonth(month)));
    }
    if (first_day > FirstDayOfMonth(month)) {
      share.late[{month, first_day}] = 1;
    }
  }
  const auto initial = months.find(share.cohort);
  for (const auto& [month, sums] : months) {
    for (const auto& [currency, revenue] : sums.revenue) {
      int64_t initial_revenue = 0;
      if (initial != months.end()) {
        const auto found = initial->second.revenue.find(currency);
        if (found != initial->second.revenue.end()) {
          initial_revenue = found->second;
        }
      }
      const int64_t gross = std::min(std::max<int64_t>(0, revenue),
                                     std::max<int64_t>(0, initial_revenue));
      if (revenue != 0 || gross != 0) {
        share.money[{month, currency}] = {revenue, gross};
      }
    }
  }
  return share;
}

}  // namespace

void RetentionMoves::Add(const std::string& tenant, const RetentionShare& share,
                         int64_t sign) {
  if (!share.live) return;
  cohort_days_[{tenant, share.acquisition_day}] += sign;
  for (const auto& [month, delta] : share.active) {
    active_[{tenant, share.cohort, month}] += sign * delta;
  }
  for (const auto& [key, accounts] : share.late) {
    late_[{tenant, share.cohort, key.first, key.second}] += sign * accounts;
  }
  for (const auto& [key, sums] : share.money) {
    auto& sum = money_[{tenant, share.cohort, key.first, key.second}];
    sum.first = SaturatingAdd(sum.first, sign * sums.first);
    sum.second = SaturatingAdd(sum.second, sign * sums.second);
  }
}

absl::Status RetentionMoves::Before(sql::Transaction& txn,
                                    const std::string& tenant,
                                    const std::string& account_id) {
  ASSIGN_OR_RETURN(const AccountRows rows,
                   LoadAccountRows(txn, tenant, account_id));
  Add(tenant, ShareOf(rows, RevenueLess()), -1);
  return absl::OkStatus();
}

absl::Status RetentionMoves::After(sql::Transaction& txn,
                                   const std::string& tenant,
                                   const std::string& account_id) {
  ASSIGN_OR_RETURN(const AccountRows rows,
                   LoadAccountRows(txn, tenant, account_id));
  Add(tenant, ShareOf(rows, RevenueLess()), +1);
  return absl::OkStatus();
}

absl::Status RetentionMoves::Written(sql::Transaction& txn,
                                     const std::string& tenant,
                                     const std::string& account_id,
                                     const RevenueLess& written) {
  ASSIGN_OR_RETURN(const AccountRows rows,
                   LoadAccountRows(txn, tenant, account_id, &written));
  // Computed from the same rows with and without `written`, both shares
  // leave out the same months: what differs is exact.
  Add(tenant, ShareOf(rows, written), -1);
  Add(tenant, ShareOf(rows, RevenueLess()), +1);
  return absl::OkStatus();
}

absl::Status RetentionMoves::Write(sql::Transaction& txn) {
  for (const auto& [key, accounts] : cohort_days_) {
    if (accounts == 0) continue;
    const auto& [tenant, day] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO retention_cohort_days (tenant, day, accounts) "
                 "VALUES (?, ?, ?) ON CONFLICT (tenant, day) DO UPDATE "
                 "SET accounts = accounts + excluded.accounts",
                 {tenant, day, accounts})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM retention_cohort_days WHERE "
                             "tenant = ? AND day = ? AND accounts = 0",
                             {tenant, day})
                        .status());
  }
  for (const auto& [key, delta] : active_) {
    if (delta == 0) continue;
    const auto& [tenant, cohort, month] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO retention_active (tenant, cohort, month, "
                 "delta) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, cohort, "
                 "month) DO UPDATE SET delta = delta + excluded.delta",
                 {tenant, cohort, month, delta})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM retention_active WHERE tenant = ? "
                             "AND cohort = ? AND month = ? AND delta = 0",
                             {tenant, cohort, month})
                        .status());
  }
  for (const auto& [key, accounts] : late_) {
    if (accounts == 0) continue;
    const auto& [tenant, cohort, month, day] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO retention_late (tenant, cohort, month, day, "
                 "accounts) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, "
                 "cohort, month, day) DO UPDATE "
                 "SET accounts = accounts + excluded.accounts",
                 {tenant, cohort, month, day, accounts})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM retention_late WHERE tenant = ? "
                             "AND cohort = ? AND month = ? AND day = ? "
                             "AND accounts = 0",
                             {tenant, cohort, month, day})
                        .status());
  }
  for (const auto& [key, sums] : money_) {
    if (sums.first == 0 && sums.second == 0) continue;
    const auto& [tenant, cohort, month, currency] = key;
    RETURN_IF_ERROR(
        txn.Exec("INSERT INTO retention_money (tenant, cohort, month, "
                 "currency, revenue_minor, gross_minor) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, cohort, "
                 "month, currency) DO UPDATE SET revenue_minor = "
                 "revenue_minor + excluded.revenue_minor, gross_minor = "
                 "gross_minor + excluded.gross_minor",
                 {tenant, cohort, month, currency, sums.first, sums.second})
            .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM retention_money WHERE tenant = ? "
                             "AND cohort = ? AND month = ? AND currency = ? "
                             "AND revenue_minor = 0 AND gross_minor = 0",
                             {tenant, cohort, month, currency})
                        .status());
  }
  *this = RetentionMoves();
  return absl::OkStatus();
}

}  // namespace projector_internal

const char kRetentionAggregatesSql[] = R"sql(
CREATE TABLE retention_cohort_days (
  tenant TEXT NOT NULL,
  day INTEGER NOT NULL,
  accounts INTEGER NOT NULL,
  PRIMARY KEY (tenant, day)
) WITHOUT ROWID;
CREATE TABLE retention_active (
  tenant TEXT NOT NULL,
  cohort INTEGER NOT NULL,
  month INTEGER NOT NULL,
  delta INTEGER NOT NULL,
  PRIMARY KEY (tenant, cohort, month)
) WITHOUT ROWID;
CREATE TABLE retention_late (
  tenant TEXT NOT NULL,
  cohort INTEGER NOT NULL,
  month INTEGER NOT NULL,
  day INTEGER NOT NULL,
  accounts INTEGER NOT NULL,
  PRIMARY KEY (tenant, cohort, month, day)
) WITHOUT ROWID;
CREATE TABLE retention_money (
  tenant TEXT NOT NULL,
  cohort INTEGER NOT NULL,
  month INTEGER NOT NULL,
  currency TEXT NOT NULL,
  revenue_minor INTEGER NOT NULL,
  gross_minor INTEGER NOT NULL,
  PRIMARY KEY (tenant, cohort, month, currency)
) WITHOUT ROWID;
CREATE TABLE retention_state (
  tenant TEXT NOT NULL PRIMARY KEY,
  max_revenue_occur_us INTEGER NOT NULL,
  built INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO retention_state (tenant, max_revenue_occur_us, built)
  SELECT tenant, MAX(occur_us), 0 FROM (
    SELECT tenant, occur_us FROM interactions WHERE currency != ''
    UNION ALL SELECT tenant, -1 FROM account_versions)
  GROUP BY tenant;
)sql";

absl::Status BuildRetentionAggregates(sql::Transaction& txn,
                                      const std::string& tenant) {
  for (const char* table : {"retention_cohort_days", "retention_active",
                            "retention_late", "retention_money"}) {
    RETURN_IF_ERROR(
        txn.Exec(absl::StrCat("DELETE FROM ", table, " WHERE tenant = ?"),
                 {tenant})
            .status());
  }
  ASSIGN_OR_RETURN(std::vector<sql::Row> accounts,
                   txn.Query("SELECT account_id FROM account_versions "
                             "WHERE tenant = ? AND to_us = ? AND state = 0",
                             {tenant, kOpenEndUs}));
  projector_internal::RetentionMoves moves;
  for (const sql::Row& row : accounts) {
    RETURN_IF_ERROR(moves.After(txn, tenant, row.String(0)));
  }
  RETURN_IF_ERROR(moves.Write(txn));
  return txn
      .Exec(
          "INSERT INTO retention_state (tenant, max_revenue_occur_us, "
          "built) VALUES (?, -1, 1) ON CONFLICT (tenant) DO UPDATE "
          "SET built = 1",
          {tenant})
      .status();
}

absl::Status BuildRetentionAggregatesWhereNeeded(sql::Database& db) {
  std::vector<std::string> tenants;
  RETURN_IF_ERROR(db.Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT tenant FROM retention_state WHERE built = 0"));
    for (const sql::Row& row : rows) tenants.push_back(row.String(0));
    return absl::OkStatus();
  }));
  for (const std::string& tenant : tenants) {
    RETURN_IF_ERROR(db.Write([&](sql::Transaction& txn) {
      return BuildRetentionAggregates(txn, tenant);
    }));
  }
  return absl::OkStatus();
}

}  // namespace clientele::reporting

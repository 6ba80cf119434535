#include "services/reporting/funnel_facts.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/status_macros.h"
#include "services/reporting/funnel_report.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
constexpr int64_t kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr int64_t kClient = type::v1::RELATIONSHIP_MODE_CLIENT;
constexpr int64_t kTransitioning = type::v1::RELATIONSHIP_MODE_TRANSITIONING;

// The accounts with a relationship interaction on as_of's UTC day at or
// before as_of, on or after their acquisition day (`acquired`: the
// accounts read, by id).
absl::StatusOr<absl::flat_hash_set<std::string>> EngagedOnAsOfDay(
    sql::Transaction& txn, const ReportScope& scope,
    const std::string& account_id) {
  const int64_t day_start = DayOfUs(scope.as_of_us) * kDayUs;
  std::vector<sql::Value> params = {scope.tenant, day_start, scope.as_of_us};
  std::string sql =
      "SELECT account_id, kind, personalized FROM interactions "
      "INDEXED BY interactions_by_time WHERE tenant = ? AND occur_us >= ? "
      "AND occur_us <= ?";
  if (!account_id.empty()) {
    absl::StrAppend(&sql, " AND account_id = ?");
    params.emplace_back(account_id);
  }
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  absl::flat_hash_set<std::string> engaged;
  for (const sql::Row& row : rows) {
    if (IsRelationshipInteraction(static_cast<int>(row.Int(1)),
                                  row.Int(2) != 0)) {
      engaged.insert(row.String(0));
    }
  }
  return engaged;
}

}  // namespace

absl::StatusOr<std::vector<FunnelAccount>> LoadFunnelAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const std::string& account_id) {
  const int64_t as_of = scope.as_of_us;
  const int64_t as_of_day = DayOfUs(as_of);
  const SqlFragment accounts = ScopedAccounts(scope, false);
  const std::string versions =
      "FROM score_versions s WHERE s.tenant = ? AND "
      "s.account_id = a.account_id AND s.from_us <= ?";
  std::vector<sql::Value> params;
  // 3 first_mode: the first version's.
  params.insert(params.end(), {scope.tenant, as_of});
  // 4 transitioning_us: the first TRANSITIONING version in effect at some
  // moment from the entry to as_of (the one in effect at as_of lasts).
  params.insert(params.end(), {scope.tenant, as_of, kTransitioning, as_of});
  // 5 client_after_us: the end of the last version before as_of that was
  // not CLIENT (where a CLIENT run holding as_of starts); 6 the first
  // version's start.
  params.insert(params.end(), {scope.tenant, as_of, kClient, as_of});
  params.insert(params.end(), {scope.tenant, as_of});
  // 7 client_end_us: the end of the last CLIENT version before as_of.
  params.insert(params.end(), {scope.tenant, as_of, kClient, as_of});
  // 8 engaged_day: the first day from the acquisition day, before as_of's,
  // with a relationship interaction.
  params.insert(params.end(), {scope.tenant, as_of_day});
  params.insert(params.end(), accounts.params.begin(), accounts.params.end());
  std::string sql = absl::StrCat(
      "SELECT a.account_id, a.acquisition_day, a.mode, (SELECT s.mode ",
      versions, " ORDER BY s.from_us LIMIT 1), (SELECT MIN(s.from_us) ",
      versions, " AND s.mode = ? AND (s.to_us > a.acquisition_day * ", kDayUs,
      " OR s.to_us > ?)), ",
      // MAX(+s.to_us), not MAX(s.to_us): SQLite would read the max through
      // score_versions_current, walking every account's versions for each
      // account (quadratic); this keeps it on the account's primary key.
      "(SELECT MAX(+s.to_us) ", versions,
      " AND s.mode != ? AND s.to_us <= ?), ", "(SELECT MIN(s.from_us) ",
      versions, "), (SELECT MAX(+s.to_us) ", versions,
      " AND s.mode = ? AND s.to_us <= ?), ",
      "(SELECT MIN(d.day) FROM activity_days d WHERE d.tenant = ? AND "
      "d.account_id = a.account_id AND d.day >= a.acquisition_day AND "
      "d.day < ? AND d.relationship_interactions > 0) FROM (",
      accounts.sql, ") AS a");
  if (!account_id.empty()) {
    absl::StrAppend(&sql, " WHERE a.account_id = ?");
    params.emplace_back(account_id);
  }
  absl::StrAppend(&sql, " ORDER BY a.account_id");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  ASSIGN_OR_RETURN(const absl::flat_hash_set<std::string> engaged_today,
                   EngagedOnAsOfDay(txn, scope, account_id));

  std::vector<FunnelAccount> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    FunnelAccount account;
    account.id = row.String(0);
    account.acquisition_day = row.Int(1);
    const int64_t mode = row.Int(2);
    if ((mode == kCustomer || mode == kTransitioning) && !row.IsNull(7)) {
      account.regressed_day = DayOfUs(row.Int(7));
    }
    if (!row.IsNull(8)) {
      account.engaged_day = row.Int(8);
    } else if (as_of_day >= account.acquisition_day &&
               engaged_today.contains(account.id)) {
      account.engaged_day = as_of_day;
    }
    // CUSTOMER: a cohort's.
    if (row.IsNull(3) || row.Int(3) != kCustomer) {
      out.push_back(std::move(account));
      continue;
    }
    const int64_t entry = account.acquisition_day * kDayUs;
    account.reached = 1;
    account.reach_us[0] = entry;
    // ENGAGED, TRANSITIONING, CLIENT: each after the one before.
    if (account.engaged_day.has_value()) {
      account.reached = 2;
      account.reach_us[1] = std::max(entry, *account.engaged_day * kDayUs);
      if (!row.IsNull(4)) {
        account.reached = 3;
        account.reach_us[2] = std::max(entry, row.Int(4));
        if (mode == kClient) {
          account.reached = 4;
          const int64_t run_start = row.IsNull(5) ? row.Int(6) : row.Int(5);
          account.reach_us[3] = std::max(entry, run_start);
        }
      }
    }
    out.push_back(std::move(account));
  }
  return out;
}

}  // namespace clientele::reporting

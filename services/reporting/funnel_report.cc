#include "services/reporting/funnel_report.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/report_stats.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
constexpr int kStages = 4;  // CUSTOMER .. CLIENT, stage k at index k - 1
constexpr int64_t kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr int64_t kClient = type::v1::RELATIONSHIP_MODE_CLIENT;
constexpr int64_t kTransitioning = type::v1::RELATIONSHIP_MODE_TRANSITIONING;

// One account in scope and how far it went.
struct FunnelAccount {
  std::string id;
  // Stages reached: 0 (not in the funnel) to 4 (CLIENT).
  int reached = 0;
  // When it entered (stage 1) and reached each stage (index stage - 1).
  std::array<int64_t, kStages> reach_us = {};
  int64_t revenue_minor = 0;
  bool regressed = false;
};

// Per account, the UTC day of its first relationship interaction on the
// partial days at either end of [start_us, end_us), from the interactions
// themselves (the whole days come from activity_days). The tenant is in
// each arm of the OR so that SQLite reads interactions_by_time twice, not
// every interaction of the tenant.
absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> EdgeEngagement(
    sql::Transaction& txn, const ReportScope& scope, int64_t first_day,
    int64_t end_day) {
  const int64_t whole_start = first_day * kDayUs;
  const int64_t whole_end = end_day * kDayUs;
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          "SELECT account_id, kind, personalized, occur_us "
          "FROM interactions WHERE "
          "(tenant = ? AND occur_us >= ? AND occur_us < ?) OR "
          "(tenant = ? AND occur_us >= ? AND occur_us < ?)",
          {scope.tenant, scope.start_us, std::min(whole_start, scope.end_us),
           scope.tenant, std::max(whole_end, scope.start_us), scope.end_us}));
  absl::flat_hash_map<std::string, int64_t> first;
  for (const sql::Row& row : rows) {
    if (!IsRelationshipInteraction(static_cast<int>(row.Int(1)),
                                   row.Int(2) != 0)) {
      continue;
    }
    const int64_t day = DayOfUs(row.Int(3));
    auto [it, inserted] = first.emplace(row.String(0), day);
    if (!inserted) it->second = std::min(it->second, day);
  }
  return first;
}

// Every account in scope with the stages it reached, ascending by id.
absl::StatusOr<std::vector<FunnelAccount>> LoadFunnel(
    sql::Transaction& txn, const ReportScope& scope) {
  const int64_t start = scope.start_us;
  const int64_t end = scope.end_us;
  const int64_t as_of = scope.as_of_us;
  // The UTC days the range touches, and the whole ones in it.
  const int64_t range_first_day = DayOfUs(start);
  const int64_t range_last_day = DayOfUs(end - 1);
  const int64_t whole_first_day = DayOfUs(start + kDayUs - 1);
  const int64_t whole_end_day = std::max(whole_first_day, DayOfUs(end));

  // Score history as it stood at as_of: versions from_us <= as_of, and the
  // one in effect then (to_us > as_of) taken as open-ended. So "a version
  // overlaps [x, ...)" reads `(s.to_us > x OR s.to_us > as_of)`.
  const SqlFragment accounts = ScopedAccounts(scope, false);
  const std::string versions =
      "FROM score_versions s WHERE s.tenant = ? AND "
      "s.account_id = a.account_id AND s.from_us <= ?";
  std::vector<sql::Value> params;
  // start_mode: the version in effect at start_us.
  params.insert(params.end(),
                {scope.tenant, std::min(start, as_of), start, as_of});
  // first_mode: the first version.
  params.insert(params.end(), {scope.tenant, as_of});
  // transitioning_us: the first TRANSITIONING version overlapping the range.
  params.insert(params.end(),
                {scope.tenant, as_of, kTransitioning, end, start, as_of});
  // client_after_us: the end of the last version before as_of that was not
  // CLIENT (where the CLIENT run holding as_of starts), else the first
  // version's start.
  params.insert(params.end(), {scope.tenant, as_of, kClient, as_of});
  params.insert(params.end(), {scope.tenant, as_of});
  // engaged_day: the first whole day with a relationship interaction.
  params.insert(params.end(), {scope.tenant, whole_first_day, whole_end_day});
  params.insert(params.end(), accounts.params.begin(), accounts.params.end());
  const std::string sql = absl::StrCat(
      "SELECT a.account_id, a.acquisition_day, a.mode, "
      "(SELECT s.mode ",
      versions,
      " AND (s.to_us > ? OR s.to_us > ?) ORDER BY s.from_us DESC LIMIT 1), "
      "(SELECT s.mode ",
      versions, " ORDER BY s.from_us LIMIT 1), ", "(SELECT MIN(s.from_us) ",
      versions,
      " AND s.mode = ? AND s.from_us < ? AND (s.to_us > ? OR s.to_us > ?)), ",
      // MAX(+s.to_us), not MAX(s.to_us): SQLite would read the max through
      // score_versions_current, walking every account's versions for each
      // account (quadratic); this keeps it on the account's primary key.
      "(SELECT MAX(+s.to_us) ", versions,
      " AND s.mode != ? AND s.to_us <= ?), ", "(SELECT MIN(s.from_us) ",
      versions, "), ",
      "(SELECT MIN(d.day) FROM activity_days d WHERE d.tenant = ? AND "
      "d.account_id = a.account_id AND d.day >= ? AND d.day < ? AND "
      "d.relationship_interactions > 0) "
      "FROM (",
      accounts.sql, ") AS a ORDER BY a.account_id");
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  ASSIGN_OR_RETURN(auto edge_engaged,
                   EdgeEngagement(txn, scope, whole_first_day, whole_end_day));

  std::vector<FunnelAccount> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    FunnelAccount account;
    account.id = row.String(0);
    const int64_t acquisition_day = row.Int(1);
    const int64_t mode_at_as_of = row.Int(2);
    // -1: no version at start_us (a plain integer: GCC 12 at -O2 sees an
    // optional's value as maybe uninitialized here).
    const int64_t start_mode = row.IsNull(3) ? -1 : row.Int(3);
    account.regressed =
        start_mode == kClient &&
        (mode_at_as_of == kCustomer || mode_at_as_of == kTransitioning);

    // CUSTOMER: the entry.
    const bool acquired_as_customer = acquisition_day >= range_first_day &&
                                      acquisition_day <= range_last_day &&
                                      !row.IsNull(4) && row.Int(4) == kCustomer;
    int64_t entry = 0;
    if (start_mode == kCustomer) {
      entry = start;
    } else if (acquired_as_customer) {
      entry = std::max(start, acquisition_day * kDayUs);
    } else {
      out.push_back(std::move(account));
      continue;
    }
    account.reached = 1;
    account.reach_us[0] = entry;

    // ENGAGED.
    std::optional<int64_t> engaged_day;
    if (!row.IsNull(8)) engaged_day = row.Int(8);
    if (auto it = edge_engaged.find(account.id); it != edge_engaged.end()) {
      engaged_day = std::min(engaged_day.value_or(it->second), it->second);
    }
    if (engaged_day) {
      account.reached = 2;
      account.reach_us[1] = std::max(entry, *engaged_day * kDayUs);
      // TRANSITIONING.
      if (!row.IsNull(5)) {
        account.reached = 3;
        account.reach_us[2] = std::max(entry, row.Int(5));
        // CLIENT.
        if (mode_at_as_of == kClient) {
          account.reached = 4;
          const int64_t run_start = row.IsNull(6) ? row.Int(7) : row.Int(6);
          account.reach_us[3] = std::max(entry, run_start);
        }
      }
    }
    out.push_back(std::move(account));
  }
  // Revenue counts only for the accounts that entered: theirs, by key.
  std::vector<std::string> entered;
  for (const FunnelAccount& account : out) {
    if (account.reached > 0) entered.push_back(account.id);
  }
  ASSIGN_OR_RETURN(const auto revenue_of,
                   RevenueOfAccounts(txn, scope, entered));
  for (FunnelAccount& account : out) {
    const auto found = revenue_of.find(account.id);
    if (found != revenue_of.end()) account.revenue_minor = found->second;
  }
  return out;
}

type::v1::Money MoneyOf(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return money;
}

}  // namespace

bool IsRelationshipInteraction(int kind, bool personalized) {
  switch (kind) {
    case events::v1::INTERACTION_KIND_CALL:
    case events::v1::INTERACTION_KIND_MEETING:
    case events::v1::INTERACTION_KIND_VIDEO_CALL:
    case events::v1::INTERACTION_KIND_ADVICE_SESSION:
    case events::v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
      return true;
    default:
      return personalized;
  }
}

absl::StatusOr<v1::ConversionFunnelReport> BuildConversionFunnelReport(
    sql::Transaction& txn, const ReportScope& scope) {
  v1::ConversionFunnelReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));
  ASSIGN_OR_RETURN(std::vector<FunnelAccount> accounts, LoadFunnel(txn, scope));

  std::array<int64_t, kStages> counts = {};
  std::array<int64_t, kStages> revenue = {};
  std::array<std::vector<int64_t>, kStages> times;
  int64_t regressed = 0;
  for (const FunnelAccount& account : accounts) {
    if (account.regressed) ++regressed;
    for (int stage = 0; stage < account.reached; ++stage) {
      ++counts[stage];
      revenue[stage] = SaturatingAdd(revenue[stage], account.revenue_minor);
      times[stage].push_back(
          std::max<int64_t>(0, account.reach_us[stage] - account.reach_us[0]));
    }
  }
  for (int stage = 0; stage < kStages; ++stage) {
    v1::FunnelStageMetrics* metrics = report.add_stages();
    metrics->set_stage(static_cast<v1::FunnelStage>(stage + 1));
    metrics->set_account_count(Count32(counts[stage]));
    if (stage == 0) {
      const double rate = counts[0] > 0 ? 1.0 : 0.0;
      metrics->set_rate_from_previous(rate);
      metrics->set_rate_from_entry(rate);
      *metrics->mutable_median_time_to_reach() = Micros(0);
    } else {
      metrics->set_rate_from_previous(Rate(counts[stage], counts[stage - 1]));
      metrics->set_rate_from_entry(Rate(counts[stage], counts[0]));
      if (!times[stage].empty()) {
        *metrics->mutable_median_time_to_reach() =
            Micros(NearestRankPercentile(times[stage], 50));
      }
    }
    *metrics->mutable_revenue() = MoneyOf(scope.currency, revenue[stage]);
  }
  report.set_regressed_accounts(Count32(regressed));
  return report;
}

absl::StatusOr<std::vector<std::string>> ConversionFunnelAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::FunnelAggregate& aggregate) {
  const int stage = aggregate.stage();
  if (stage < v1::FUNNEL_STAGE_CUSTOMER || stage > v1::FUNNEL_STAGE_CLIENT) {
    return InvalidFieldError(
        "aggregate.funnel.stage",
        stage == v1::FUNNEL_STAGE_UNSPECIFIED
            ? std::string("required: the stage whose accounts to list")
            : absl::StrCat("unknown value ", stage));
  }
  ASSIGN_OR_RETURN(std::vector<FunnelAccount> accounts, LoadFunnel(txn, scope));
  std::vector<std::string> ids;
  for (FunnelAccount& account : accounts) {
    if (account.reached >= stage) ids.push_back(std::move(account.id));
  }
  return ids;
}

}  // namespace clientele::reporting

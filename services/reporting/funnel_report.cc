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
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/funnel_facts.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_stats.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// The UTC days [first_day, last_day] the range touches (none when it is
// empty): the cohorts followed, and the days regressions count on.
struct FunnelDays {
  int64_t first_day = 0;
  int64_t last_day = -1;

  explicit FunnelDays(const ReportScope& scope) {
    if (scope.end_us > scope.start_us) {
      first_day = DayOfUs(scope.start_us);
      last_day = DayOfUs(scope.end_us - 1);
    } else {
      first_day = 1;
      last_day = 0;
    }
  }
  bool Holds(int64_t day) const { return day >= first_day && day <= last_day; }
};

// The figures being summed.
struct FunnelTally {
  // Per stage, the counted times to reach it (DurationCode).
  std::array<DurationHistogram, kFunnelStages> times;
  // Per number of stages reached (index reached - 1), the revenue.
  std::array<int64_t, kFunnelStages> revenue_by_reached = {};
  int64_t regressed = 0;
};

// The revenue of each of `cohort` (account, acquisition day) from its
// acquisition day up to as_of in scope.currency: revenue_days for the days
// before as_of's, the interactions themselves on its day.
absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> CohortRevenue(
    sql::Transaction& txn, const ReportScope& scope,
    const absl::flat_hash_map<std::string, int64_t>& cohort) {
  absl::flat_hash_map<std::string, int64_t> revenue;
  if (cohort.empty()) return revenue;
  const int64_t as_of_day = DayOfUs(scope.as_of_us);
  std::vector<std::string> ids;
  std::vector<std::string> acquired_by_then;
  for (const auto& [id, day] : cohort) {
    ids.push_back(id);
    if (day <= as_of_day) acquired_by_then.push_back(id);
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          "SELECT r.account_id, r.day, r.recurring_minor, "
          "r.transactional_minor FROM (SELECT DISTINCT value AS id "
          "FROM json_each(?)) AS j CROSS JOIN revenue_days r "
          "ON r.tenant = ? AND r.account_id = j.id AND r.day < ? AND "
          "r.currency = ?",
          {JsonStringArray(ids), scope.tenant, as_of_day, scope.currency}));
  for (const sql::Row& row : rows) {
    const std::string id = row.String(0);
    if (row.Int(1) < cohort.at(id)) continue;
    int64_t& sum = revenue[id];
    sum = SaturatingAdd(SaturatingAdd(sum, row.Int(2)), row.Int(3));
  }
  ReportScope day = scope;
  day.start_us = as_of_day * kDayUs;
  day.end_us = scope.as_of_us + 1;
  ASSIGN_OR_RETURN(const auto on_as_of_day,
                   RevenueOfAccounts(txn, day, acquired_by_then));
  for (const auto& [id, amount] : on_as_of_day) {
    int64_t& sum = revenue[id];
    sum = SaturatingAdd(sum, amount);
  }
  return revenue;
}

// The accounts of the cohorts and the regressions the report counts, read
// account by account.
absl::Status TallyAccounts(sql::Transaction& txn, const ReportScope& scope,
                           FunnelTally* tally) {
  const FunnelDays days(scope);
  ASSIGN_OR_RETURN(std::vector<FunnelAccount> accounts,
                   LoadFunnelAccounts(txn, scope));
  absl::flat_hash_map<std::string, int64_t> cohort;
  for (const FunnelAccount& account : accounts) {
    if (account.regressed_day.has_value() &&
        days.Holds(*account.regressed_day)) {
      ++tally->regressed;
    }
    if (account.reached == 0 || !days.Holds(account.acquisition_day)) continue;
    cohort[account.id] = account.acquisition_day;
    CountFunnelAccount(account, [tally](int64_t) {
      return [tally](const SupportKey& key, int64_t count) {
        if (key.fact < kFunnelStages) {
          tally->times[key.fact].Add(key.code, count);
        }
      };
    });
  }
  ASSIGN_OR_RETURN(const auto revenue, CohortRevenue(txn, scope, cohort));
  for (const FunnelAccount& account : accounts) {
    const auto found = revenue.find(account.id);
    if (found == revenue.end() || !cohort.contains(account.id)) continue;
    int64_t& sum = tally->revenue_by_reached[account.reached - 1];
    sum = SaturatingAdd(sum, found->second);
  }
  return absl::OkStatus();
}

// The same from the maintained aggregates (projector_funnel.cc): the
// range's days' blocks of funnel_blocks and funnel_revenue, by signed
// blocks (report_blocks.h).
absl::Status TallyBlocks(sql::Transaction& txn, const ReportScope& scope,
                         FunnelTally* tally) {
  const FunnelDays days(scope);
  if (days.last_day < days.first_day) return absl::OkStatus();
  bool known = true;
  RETURN_IF_ERROR(VisitBlockRows(
      txn, "funnel_blocks", scope.tenant, days.first_day, days.last_day + 1,
      [&](int64_t sign, const SupportRowKey& key, int64_t first, size_t n,
          const auto& count) {
        if (key.fact < kFunnelStages) {
          tally->times[key.fact].AddRow(
              first, n, [&](size_t i) { return sign * count(i); });
        } else if (key.fact == kFunnelRegressed) {
          for (size_t i = 0; i < n; ++i) {
            tally->regressed += sign * count(i);
          }
        } else {
          known = false;
        }
      }));
  if (!known) {
    return absl::DataLossError("funnel_blocks holds a count of no figure");
  }
  for (const BlockRun& run :
       SignedBlockRuns(days.first_day, days.last_day + 1)) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT reached, SUM(revenue_minor) FROM "
                  "funnel_revenue WHERE tenant = ? AND currency = ? AND "
                  "level = ? AND block_day >= ? AND block_day <= ? "
                  "GROUP BY reached",
                  {scope.tenant, scope.currency, int64_t{run.level},
                   run.first_block_day, run.last_block_day}));
    for (const sql::Row& row : rows) {
      const int64_t reached = row.Int(0);
      if (reached < 1 || reached > kFunnelStages) {
        return absl::DataLossError("funnel_revenue holds an unknown stage");
      }
      int64_t& sum = tally->revenue_by_reached[reached - 1];
      sum = SaturatingAdd(sum, run.sign * row.Int(1));
    }
  }
  return absl::OkStatus();
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
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  bool counted = fast && Unfiltered(scope.filter);
  if (counted) {
    // An interaction dated after as_of: the maintained facts hold it, a
    // report as of then leaves it out.
    ASSIGN_OR_RETURN(
        const bool after,
        DatedAfterAsOf(txn, scope,
                       "interactions INDEXED BY interactions_by_time",
                       "occur_us"));
    counted = !after;
  }
  FunnelTally tally;
  if (counted) {
    RETURN_IF_ERROR(TallyBlocks(txn, scope, &tally));
  } else {
    RETURN_IF_ERROR(TallyAccounts(txn, scope, &tally));
  }
  // A stage's accounts are those that reached it or further.
  int64_t revenue = 0;
  std::array<int64_t, kFunnelStages> stage_revenue = {};
  for (int stage = kFunnelStages - 1; stage >= 0; --stage) {
    revenue = SaturatingAdd(revenue, tally.revenue_by_reached[stage]);
    stage_revenue[stage] = revenue;
  }
  const int64_t entered = tally.times[0].n();
  for (int stage = 0; stage < kFunnelStages; ++stage) {
    const DurationHistogram& times = tally.times[stage];
    v1::FunnelStageMetrics* metrics = report.add_stages();
    metrics->set_stage(static_cast<v1::FunnelStage>(stage + 1));
    metrics->set_account_count(Count32(times.n()));
    if (stage == 0) {
      const double rate = entered > 0 ? 1.0 : 0.0;
      metrics->set_rate_from_previous(rate);
      metrics->set_rate_from_entry(rate);
      *metrics->mutable_median_time_to_reach() = Seconds(0);
    } else {
      metrics->set_rate_from_previous(
          Rate(times.n(), tally.times[stage - 1].n()));
      metrics->set_rate_from_entry(Rate(times.n(), entered));
      if (times.n() > 0) {
        *metrics->mutable_median_time_to_reach() =
            Seconds(CodeSeconds(times.RankCode(50)));
      }
    }
    *metrics->mutable_revenue() = MoneyOf(scope.currency, stage_revenue[stage]);
  }
  report.set_regressed_accounts(Count32(tally.regressed));
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
  const FunnelDays days(scope);
  ASSIGN_OR_RETURN(std::vector<FunnelAccount> accounts,
                   LoadFunnelAccounts(txn, scope));
  std::vector<std::string> ids;
  for (FunnelAccount& account : accounts) {
    if (account.reached >= stage && days.Holds(account.acquisition_day)) {
      ids.push_back(std::move(account.id));
    }
  }
  return ids;
}

}  // namespace clientele::reporting

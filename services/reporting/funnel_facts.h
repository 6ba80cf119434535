// The conversion funnel's facts of one account (docs/reports.md,
// "Conversion funnel"), the one definition shared by the report's
// account-by-account read (funnel_report.cc) and the projector's count of
// an account (projector_funnel.cc): the cohort it belongs to (its
// acquisition day, when its first score version is CUSTOMER), the stages
// it reached by as_of and when, and the day it regressed from CLIENT.
#ifndef CLIENTELE_SERVICES_REPORTING_FUNNEL_FACTS_H_
#define CLIENTELE_SERVICES_REPORTING_FUNNEL_FACTS_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {

inline constexpr int kFunnelStages = 4;  // CUSTOMER .. CLIENT

// One account as the funnel sees it as of some as_of.
struct FunnelAccount {
  std::string id;
  int64_t acquisition_day = 0;
  // Stages reached: 0 (its first score version is not CUSTOMER, or it has
  // none) to 4 (CLIENT).
  int reached = 0;
  // When it reached each stage (index stage - 1): [0] is the entry, the
  // acquisition day's 00:00 UTC.
  std::array<int64_t, kFunnelStages> reach_us = {};
  // The first UTC day from the acquisition day with a relationship
  // interaction, if any.
  std::optional<int64_t> engaged_day;
  // The UTC day its last CLIENT score version ended, when it is CUSTOMER or
  // TRANSITIONING at as_of.
  std::optional<int64_t> regressed_day;
};

// The accounts of ScopedAccounts(scope, /*apply_mode_filter=*/false) with
// their facts as of scope.as_of_us, ascending by id; only `account_id`'s
// when it is not empty. Score history as it stood at as_of (versions that
// started after it unseen, the one in effect at it taken to last);
// interactions up to as_of (activity_days for the days before its day, the
// interactions themselves on its day). Errors are the database's.
absl::StatusOr<std::vector<FunnelAccount>> LoadFunnelAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const std::string& account_id = "");

// What a funnel count counts (SupportCounts keyed {0, 0, fact, code}, as
// funnel_blocks holds them): an account of a cohort at each stage it
// reached, on its acquisition day (code: DurationCode of the seconds from
// its entry to that stage); a regression on its day (code 0).
enum FunnelFact : int64_t {
  kFunnelReached = 0,  // + stage - 1, for stages 1 to 4
  kFunnelRegressed = kFunnelStages,
};

// The counts of `account` by day: on(day)(key, count).
template <typename On>
void CountFunnelAccount(const FunnelAccount& account, On&& on) {
  for (int stage = 0; stage < account.reached; ++stage) {
    const int64_t seconds = std::max<int64_t>(
        0, (account.reach_us[stage] - account.reach_us[0]) / 1000000);
    on(account.acquisition_day)(
        SupportKey{0, 0, kFunnelReached + stage, DurationCode(seconds)}, 1);
  }
  if (account.regressed_day.has_value()) {
    on (*account.regressed_day)(SupportKey{0, 0, kFunnelRegressed, 0}, 1);
  }
}

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_FUNNEL_FACTS_H_

// Retention by acquisition cohort (GetRetentionReport): the cohort triangle
// with logo churn, gross and net revenue retention. Definitions in
// docs/reports.md, "Retention by cohort".
//
// Periods are calendar months, quarters or years in UTC. The cohorts are
// the periods the time range touches (PeriodIndex(end_us - 1) -
// PeriodIndex(start_us) + 1 of them, at most kMaxCohorts); a cohort's
// accounts are those of ScopedAccounts(scope) (live at as_of, matching the
// filter, modes included) whose acquisition day is one of the UTC days the
// range touches and falls in the cohort's period. Period k of a cohort is
// the k-th period after its own (k = 0: the acquisition period); there is a
// point for each one that started before as_of, activity in it counted over
// [period start, min(period end, as_of)) and `partial` while it runs past
// as_of. An account is active in a period when it has a revenue interaction
// with an amount in it (revenue_days; interactions on the partial day at
// as_of), in any currency, or when a contract recorded for it as of then (any
// version of the account up to as_of: contract_start_day..contract_end_day, no
// end = open) overlaps the counted days. Revenue is in scope.currency.
#ifndef CLIENTELE_SERVICES_REPORTING_RETENTION_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_RETENTION_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "clientele/reporting/v1/retention_report.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The retention request's own fields (the rest is the ReportScope).
struct RetentionOptions {
  // UNSPECIFIED reads as MONTH.
  v1::CohortPeriod period = v1::COHORT_PERIOD_MONTH;
  // One row per cohort and mode at as_of instead of one per cohort.
  bool split_by_mode = false;
};

// The most periods from the first cohort's start to as_of: bounds the
// triangle (and the work) when old cohorts are asked as of now.
inline constexpr int kMaxRetentionPeriods = 1200;

// The report for `scope`, with Metadata(). Not split: one row per cohort,
// oldest first, empty cohorts included (no accounts: every rate 0), mode
// UNSPECIFIED. Split by mode: one row per cohort and mode that has
// accounts, by cohort then CUSTOMER, TRANSITIONING, CLIENT, UNSPECIFIED (not
// scored at as_of). Per point: retention_rate = active / initial (0 for an
// empty row), logo_churn_rate = 1 - retention_rate (0 for an empty row);
// with rev_k(a) an account's revenue in period k floored at 0,
// gross_revenue_retention = sum min(rev_k(a), rev_0(a)) / sum rev_0(a) and
// net_revenue_retention = the row's revenue in period k / initial_revenue,
// each 0 when its denominator is not positive. Money sums saturate.
// INVALID_ARGUMENT naming "time_range" for more than kMaxCohorts cohorts or
// more than kMaxRetentionPeriods periods from the first cohort to as_of,
// "period" for a value CohortPeriod does not define. Other errors are the
// database's.
absl::StatusOr<v1::RetentionReport> BuildRetentionReport(
    sql::Transaction& txn, const ReportScope& scope,
    const RetentionOptions& options);

// The ids (no "accounts/" prefix, ascending) of the accounts of the cohort
// starting on aggregate.cohort_start_date: all of them, or with a mode, those
// in that mode at as_of (the row of a report split by mode; with
// options.split_by_mode, UNSPECIFIED is the row of accounts not scored,
// else the whole cohort); with period_index, only those active in that
// period. Exactly the accounts of the row's initial_accounts or of the
// point's active_accounts.
// INVALID_ARGUMENT naming "aggregate.retention.cohort_start_date" when no
// cohort of the report starts on that date, "aggregate.retention.mode" for
// an unknown mode, "aggregate.retention.period_index" when the cohort has no
// such point; and BuildRetentionReport's. Other errors are the database's.
absl::StatusOr<std::vector<std::string>> RetentionAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const RetentionOptions& options, const v1::RetentionAggregate& aggregate);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_RETENTION_REPORT_H_

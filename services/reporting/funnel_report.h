// The customer-to-client conversion funnel (GetConversionFunnelReport).
// Definitions in docs/reports.md, "Conversion funnel".
//
// Which accounts: ScopedAccounts(scope, /*apply_mode_filter=*/false): live
// at as_of and matching the filter but its modes (the funnel is about
// modes). Score history is read as it stood at as_of: versions that started
// after as_of are not seen, and the version in effect at as_of is taken to
// last. Each stage keeps only accounts of the one before it:
//   CUSTOMER        mode CUSTOMER at start_us, or acquired during the range
//                   (acquisition day one of the UTC days the range touches)
//                   with CUSTOMER the mode of its first score version.
//                   Entry time: start_us for the first, else the start of
//                   the acquisition day (not before start_us);
//   ENGAGED         a relationship interaction (activity_days'
//                   relationship_interactions; interactions themselves on
//                   the partial days at the ends) in [start_us, end_us).
//                   Reached: the start of the first such UTC day;
//   TRANSITIONING   a TRANSITIONING score version overlapping [start_us,
//                   end_us). Reached: the first one's start;
//   CLIENT          mode CLIENT at as_of. Reached: the start of the run of
//                   CLIENT versions that holds as_of.
// A stage's time to reach is (reached - entry), never below zero; its median
// is the nearest-rank one (report_stats.h).
// regressed_accounts: mode CLIENT at start_us, CUSTOMER or TRANSITIONING at
// as_of.
#ifndef CLIENTELE_SERVICES_REPORTING_FUNNEL_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_FUNNEL_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/conversion_funnel_report.pb.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The funnel for `scope`, with Metadata(): the four stages in order, each
// with its count, rates (part / whole, 0 when the whole is 0; the first
// stage's rates are 1.0 when it has accounts), median time to reach (zero
// for the first stage, unset for an empty later stage) and revenue over the
// range in scope.currency (RevenueByAccount). Errors are the database's.
absl::StatusOr<v1::ConversionFunnelReport> BuildConversionFunnelReport(
    sql::Transaction& txn, const ReportScope& scope);

// The ids (no "accounts/" prefix, ascending) of the accounts that reached
// aggregate.stage: exactly those of its account_count.
// INVALID_ARGUMENT naming "aggregate.funnel.stage" when the stage is
// UNSPECIFIED or not a FunnelStage. Other errors are the database's.
absl::StatusOr<std::vector<std::string>> ConversionFunnelAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::FunnelAggregate& aggregate);

// Whether an interaction counts as a relationship interaction for the
// ENGAGED stage: a call, meeting, video call, advice session or custom work
// delivered, or any personalized interaction (as activity_days counts them).
bool IsRelationshipInteraction(int kind, bool personalized);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_FUNNEL_REPORT_H_

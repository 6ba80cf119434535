// The customer-to-client conversion funnel (GetConversionFunnelReport) of
// a cohort: the customers acquired during the range. Definitions in
// docs/reports.md, "Conversion funnel"; each account's facts in
// funnel_facts.h. Read from the maintained aggregates (funnel_blocks,
// funnel_revenue; projector_funnel.cc) as of now without a filter when no
// interaction is dated after as_of, else account by account.
//
// Which accounts: ScopedAccounts(scope, /*apply_mode_filter=*/false): live
// at as_of and matching the filter but its modes (the funnel is about
// modes), acquired on one of the UTC days the range touches, with CUSTOMER
// the mode of their first score version. Each stage keeps only accounts of
// the one before it:
//   CUSTOMER        entry: 00:00 UTC of the acquisition day;
//   ENGAGED         a relationship interaction from the acquisition day to
//                   as_of; reached: the start of the first such UTC day;
//   TRANSITIONING   a TRANSITIONING score version in effect from the entry
//                   to as_of; reached: the first one's start;
//   CLIENT          mode CLIENT at as_of; reached: the start of the run of
//                   CLIENT versions that holds as_of.
// A stage's time to reach is (reached - entry), never below zero, counted
// to the support report's step (DurationCode); its median is the
// nearest-rank one. Revenue: from the acquisition day to as_of.
// regressed_accounts: CUSTOMER or TRANSITIONING at as_of, the last CLIENT
// version ended on one of the range's days.
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
// for the first stage, unset for an empty later stage) and revenue since
// acquisition in scope.currency. Errors are the database's.
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

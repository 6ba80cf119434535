// The pipeline report (GetPipelineReport): engagement's GetPipeline for one
// quarter (services/engagement/pipeline.h, docs/commercial.md), computed
// from reporting's deal_versions as the deals stood at scope.as_of_us, for
// the deals of the accounts in scope at as_of. Definitions in
// docs/reports.md, "Pipeline".
//
// The same rules as engagement's:
//   - open deals (QUALIFYING, PROPOSAL, NEGOTIATION) expected to close in
//     the quarter count in their stage, their expected close month and the
//     totals; WON / LOST deals closed in the quarter in won / lost; open
//     deals expected before the quarter's first day only in
//     overdue_deal_count (any currency);
//   - the currency is scope.currency when set, else the one most of the
//     counted deals use (ties: alphabetical); counted deals in another
//     currency only in other_currency_deal_count; with no currency the Money
//     fields stay unset;
//   - a deal's weighted amount is amount x its stage's probability rounded
//     half up to the minor unit in integers (the probability read to
//     millionths); sums are of those rounded amounts and saturate.
// Stage probabilities: engagement takes them from the tenant's policy, which
// reporting does not see; each deal event carries the probability of its
// stage when it was published. A stage's probability is the one carried by
// the newest version in effect at as_of (largest from_us, ties: largest
// deal id) among the tenant's deals in that stage, whatever their account,
// owner or quarter; with no deal in the stage, engagement's defaults
// (QUALIFYING 0.1, PROPOSAL 0.3, NEGOTIATION 0.6).
#ifndef CLIENTELE_SERVICES_REPORTING_PIPELINE_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_PIPELINE_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/pipeline_report.pb.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {

// The pipeline's own request fields (the rest is the ReportScope, whose
// time range is the quarter's and whose currency is the request's, "" for
// the most used one).
struct PipelineOptions {
  // 1970-9999.
  int year = 0;
  // 1-4.
  int quarter = 0;
  // Only deals owned by this staff user id; "" for every owner.
  std::string deal_owner;
};

// The report, with Metadata() (its time_range the scope's: the quarter's)
// but currency_code the pipeline's and other_currency_interaction_count 0
// (no interaction is summed). INVALID_ARGUMENT naming "year" or "quarter" out
// of range. Other errors are the database's.
absl::StatusOr<v1::PipelineReport> BuildPipelineReport(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options);

// The ids (no "accounts/" prefix, ascending) of the accounts of the deals
// counted in the aggregate's deal_count: with stage QUALIFYING, PROPOSAL or
// NEGOTIATION the open deals of that stage; UNSPECIFIED every open stage;
// WON / LOST the deals won / lost in the quarter; with month set, only the
// open deals expected to close in that month. Deals in another currency
// than the pipeline's are not counted, as in the report.
// INVALID_ARGUMENT naming "aggregate.pipeline.stage" (a value DealStage
// does not define) or "aggregate.pipeline.month" (not a month of the
// quarter with day unset, or given with WON / LOST), and as
// BuildPipelineReport. Other errors are the database's.
absl::StatusOr<std::vector<std::string>> PipelineAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options, const v1::PipelineAggregate& aggregate);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_PIPELINE_REPORT_H_

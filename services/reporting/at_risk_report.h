// The at-risk list (ListAtRiskAccounts): the accounts in scope whose band at
// as_of is AT_RISK up to a chosen band, ranked by the revenue that goes with
// them, in pages. Definitions in docs/reports.md, "At-risk accounts".
//
// Two steps, because the second calls a peer and so never runs inside a
// database transaction:
//   1. ListAtRisk, inside the read transaction: the page from reporting's own
//      projection (score_freshness PROJECTION);
//   2. RefreshAtRiskScores, after it: when as_of is now, the scores of the
//      accounts on the page fetched live from engagement (LIVE), or the
//      projection's kept with the reason engagement did not give them.
#ifndef CLIENTELE_SERVICES_REPORTING_AT_RISK_REPORT_H_
#define CLIENTELE_SERVICES_REPORTING_AT_RISK_REPORT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "services/reporting/live_scores.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/revenue_at_risk.h"

namespace clientele::reporting {

// The list's own request fields (the rest is the ReportScope).
struct AtRiskQuery {
  // Accounts in this band or weaker (AT_RISK is the weakest); UNSPECIFIED
  // reads as NEEDS_ATTENTION. Accounts not scored at as_of never appear.
  type::v1::ScoreBand max_band = type::v1::SCORE_BAND_UNSPECIFIED;
  // Accounts per page: 0 means 50, above 1000 reads as 1000.
  int32_t page_size = 0;
  // next_page_token of the previous page; empty for the first.
  std::string page_token;
  // True when the request left as_of_time unset and as_of therefore follows
  // "now" from one page to the next: the token then binds "as_of unset"
  // instead of the resolved instant, so page 2 of a live list stays valid.
  bool as_of_defaulted = false;
};

// Accounts per page when page_size is 0, and the most a page holds.
inline constexpr int32_t kDefaultAtRiskPageSize = 50;
inline constexpr int32_t kMaxAtRiskPageSize = 1000;

// One page of the accounts in `scope` whose band at scope.as_of_us is
// between AT_RISK and query.max_band, largest revenue_at_risk first (ties:
// account id ascending), with metadata (Metadata()), total_size (every page)
// and next_page_token (empty on the last page). Scores, bands, modes,
// reasons and score_delta are the projection's at as_of; score_freshness is
// PROJECTION with an empty stale_reason and projection_time the newest score
// version in effect at as_of of the page's accounts (unset on an empty page).
// display_name is left empty: no event reporting reads carries names.
// INVALID_ARGUMENT naming "page_size" (negative), "max_band" (not a band)
// or "page_token" (not one of ours, altered, or issued for other request
// fields: tenant, time range, as_of, filter, currency or max_band). Other
// errors are the database's.
absl::StatusOr<v1::ListAtRiskAccountsResponse> ListAtRisk(
    sql::Transaction& txn, const ReportScope& scope, const AtRiskQuery& query);

// Whether the maintained ranking (at_risk_revenue, projector_aggregates.h)
// answers the list for `scope`: as of now (FastPath) with a cell-only
// filter, the ranking's window the one as of scope.as_of_us, and no revenue
// interaction after as_of. Else ListAtRisk reads account by account (both
// answer the same). Exposed for the tests.
absl::StatusOr<bool> AtRiskRankingAnswers(sql::Transaction& txn,
                                          const ReportScope& scope);

// How close to scope.now_us an as_of must be to count as "now" (the live
// step then runs): a client that sets as_of_time to its own now is a few
// seconds off at most.
inline constexpr absl::Duration kLiveAsOfWindow = absl::Seconds(5);

// Whether the at-risk list for `scope` wants live scores: as_of within
// kLiveAsOfWindow of now.
bool WantsLiveScores(const ReportScope& scope);

// The live step, made after ListAtRisk's transaction on behalf of `caller`
// (its credentials and remaining deadline bound the call to engagement).
// For a past as_of, or an empty page, it changes nothing. Otherwise it asks
// `live` for the page's scores: on success their mode, score, band,
// score_delta and reasons become engagement's and score_freshness.source
// LIVE (the ranking and total stay the projection's); on failure the
// projection's values stay, source PROJECTION, and stale_reason says why,
// naming the code (e.g. "engagement could not be reached: UNAVAILABLE").
// Never fails: the list answers either way.
void RefreshAtRiskScores(LiveScores& live, const Caller& caller,
                         const ReportScope& scope,
                         v1::ListAtRiskAccountsResponse* response);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_AT_RISK_REPORT_H_

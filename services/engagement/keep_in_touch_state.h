// What keep-in-touch cadences read about an account, shared by the cadence
// job and scoring: the account's mode as cadences see it, its survey and
// purchase history (CadenceHistory), and the AccountStateLoader that tells
// next best actions which cadences cover the account and what is coming
// (AccountState::keep_in_touch).
//
// Cached scores see cadence changes because every write that changes what
// the loader reads bumps the projection revision of the accounts it covers
// in the same transaction and invalidates their cache entries after the
// commit: a per-account cadence touches its account (one row), a segment or
// all-account cadence touches every active account of the tenant (one
// UPDATE statement, 10-30 ms for 10,000 accounts; the accounts table has no
// segment column, so a segment's cadence touches the whole tenant) and drops
// the tenant's cache entries; the job
// touches each account it makes a touch for. Interactions (purchases,
// survey responses, solved tickets) and profile changes already bump the
// revision. What moves with time alone (a greeting entering the 60-day
// window) and the mode of the last recorded score reach cached scores with
// the cache's TTL, like recency does.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_KEEP_IN_TOUCH_STATE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_KEEP_IN_TOUCH_STATE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/sql/database.h"
#include "services/engagement/cadence_schedule.h"
#include "services/engagement/cadence_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_manager.h"

namespace clientele::engagement {

// The account's mode as cadences read it (AccountMode): declared, else its
// last recorded score's, else CUSTOMER. Errors are the store's.
absl::StatusOr<type::v1::RelationshipMode> LoadCadenceMode(
    sql::Transaction& txn, const EngagementDeps& deps, absl::string_view tenant,
    const ProjectedAccount& account);

// Everything in CadenceHistory but last_touch, as of `as_of` (interactions
// and touches after it are not seen), with `limits` giving the survey
// fatigue window. Errors are the stores'.
absl::StatusOr<CadenceHistory> LoadCadenceHistory(
    sql::Transaction& txn, const EngagementDeps& deps, CadenceStore& cadences,
    absl::string_view tenant, const ProjectedAccount& account,
    type::v1::RelationshipMode mode, const v1::KeepInTouch& limits,
    absl::Time as_of);

// Fills AccountState::keep_in_touch from the active cadences that covered
// the account at as_of (created by then, not paused). `cadences` is not
// owned.
AccountStateLoader KeepInTouchLoader(const EngagementDeps& deps,
                                     CadenceStore* cadences);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_KEEP_IN_TOUCH_STATE_H_

// The relationship model: from an account's profile and weekly activity
// aggregates to its mode, strength score, reasons and next best actions.
// Pure and deterministic: no I/O, no clock (as_of is an argument), and the
// same inputs give a byte-identical proto. See docs/scoring.md for the model
// and the reason for each signal.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_H_

#include "absl/time/time.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "clientele/engagement/v1/score_change.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

// Changes whenever a change to the model can move a score, so that stored
// scores and score changes say which model produced them.
inline constexpr char kModelVersion[] = "relationship-2026.12";

// The relationship score of `state.account` as of `as_of`, under `policy`
// (which must pass ValidateScoringPolicy). Reads only activity up to `as_of`
// (to bucket precision: a week's bucket counts whole once its first
// interaction is at or before `as_of`). Fills every field but compute_time,
// which the caller stamps:
//  - mode_assessment: the declared mode wins, but inferred_mode,
//    client_likelihood and deciding_signals are always reported;
//  - score 0-100 equal to the rounded sum of components' points, band;
//  - provisional when interaction_count < policy.min_interactions;
//  - silence against the account's own rhythm over the rhythm window;
//  - trend against the same computation at as_of - trend_window;
//  - at most 5 top_reasons and at most 5 next_best_actions, most important
//    first;
//  - lead_score (lead_score.h) only while the profile's lifecycle stage is
//    LEAD or PROSPECT.
// Costs O(buckets + contacts + staff), whatever the number of interactions.
v1::RelationshipScore ComputeRelationshipScore(const AccountState& state,
                                               const v1::ScoringPolicy& policy,
                                               absl::Time as_of);

// The earliest time whose activity a score as of `as_of` (and its trend)
// can read under `policy`: buckets from this week on, contacts and staff,
// with ActivitySummary::total_count and first_interaction_time for what is
// older. Reaches back a trend window, a recency horizon (the evidence
// windows end at the account's last activity, up to a horizon before
// as_of) and the longest of the activity, rhythm and support windows, plus
// a week for bucket precision.
absl::Time EarliestActivityRead(const v1::ScoringPolicy& policy,
                                absl::Time as_of);

// What changed between two scores of the same account: previous and new
// score, delta, bands, modes, the components whose points moved (largest
// movement first), a one-sentence summary and the model version. `previous`
// is null for an account's first score. Fills account from `current`; leaves
// name, change_time and causes to the caller.
v1::ScoreChange DescribeScoreChange(const v1::RelationshipScore* previous,
                                    const v1::RelationshipScore& current);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_H_

// The lead score: how ready an account still in a LEAD or PROSPECT lifecycle
// stage is to buy. Fit (who the account is: segment, tier, declared needs) up
// to 50 points plus engagement (what it has done lately: inbound interactions,
// replies, meetings, proposals, each decayed by age and saturating) up to 50.
// Pure and deterministic, like the relationship model it is read with (it is
// a field of RelationshipScore). See docs/scoring.md, "Lead score", for each
// component's points and the reason for them.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_LEAD_SCORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_LEAD_SCORE_H_

#include "absl/time/time.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

// The most fit and engagement can each give.
inline constexpr double kLeadFitMaxPoints = 50;
inline constexpr double kLeadEngagementMaxPoints = 50;

// True when the account's lifecycle stage is LEAD or PROSPECT: the accounts a
// lead score is computed for.
bool IsLeadStage(const events::v1::AccountSnapshot& profile);

// Engagement older than this (8 half-lives, where an interaction weighs under
// 0.4% of a fresh one) is not read. `policy`'s half-life defaults to 30 days
// when unset. The service loads at least this much history for a score.
absl::Duration LeadEngagementHorizon(const v1::LeadScoring& policy);

// The lead score of `state` as of `as_of` under `policy` (which should pass
// ValidateScoringPolicy; an unset half-life reads as 30 days). Reads the
// profile's segment, tier and declared_needs and the activity buckets up to
// `as_of` (to bucket precision, as the relationship score: a week's bucket
// counts whole once its first interaction is at or before `as_of`) and within
// LeadEngagementHorizon. Does not look at the lifecycle stage: the caller
// decides whether the account is a lead (IsLeadStage). Every component is
// listed, fit first, with its points rounded to a tenth; fit_points and
// engagement_points are the sums of those, and score is their sum rounded,
// so the explanation always adds up. Costs O(buckets + needs).
v1::LeadScore ComputeLeadScore(const AccountState& state,
                               const v1::LeadScoring& policy, absl::Time as_of);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_LEAD_SCORE_H_

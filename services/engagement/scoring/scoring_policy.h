// The tenant's scoring policy: its defaults, its rules and how an update mask
// applies to it. Pure functions; storing the policy, its revision, update time
// and etag belong to the caller.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_POLICY_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_POLICY_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace clientele::engagement {

// The policy every tenant starts with: name "scoringPolicy", revision 0, every
// default written in scoring_policy.proto, and weights that sum to 1.0 for
// customers (recency, frequency, monetary, support) and for clients (tenure,
// renewal, contact depth, personalization, silence, support). It passes
// ValidateScoringPolicy.
v1::ScoringPolicy DefaultScoringPolicy();

// Sets the defaults of the parts added after policies were first stored
// (deal_stage_probabilities, lead_scoring, keep_in_touch) where `policy` has
// none: a policy stored before they existed reads them as the defaults.
void FillUnsetPolicyParts(v1::ScoringPolicy* policy);

// OK when every settable field of `policy` follows the rules written in
// scoring_policy.proto; otherwise INVALID_ARGUMENT whose google.rpc.BadRequest
// names every bad field under "scoring_policy." (e.g.
// "scoring_policy.customer_weights", "scoring_policy.windows.trend_window").
// Output-only fields (name, revision, update_time, etag) are not looked at.
absl::Status ValidateScoringPolicy(const v1::ScoringPolicy& policy);

// Paths an update_mask may name: the top-level settable fields and every
// field of their sub-messages ("windows.trend_window"); and the output-only
// fields it may not name.
absl::Span<const absl::string_view> ScoringPolicyUpdatablePaths();
absl::Span<const absl::string_view> ScoringPolicyOutputOnlyPaths();

// `current` with the fields `mask` names taken from `patch` (AIP-134): an
// empty mask replaces every settable field, "*" likewise; a path may name a
// top-level field or a sub-field. An unknown or output-only path answers
// INVALID_ARGUMENT naming "update_mask"; a result that breaks a rule answers
// ValidateScoringPolicy's error. Output-only fields are kept from `current`:
// bumping revision, update_time and etag is the caller's job.
absl::StatusOr<v1::ScoringPolicy> ApplyScoringPolicyUpdate(
    const v1::ScoringPolicy& current, const v1::ScoringPolicy& patch,
    const google::protobuf::FieldMask& mask);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_POLICY_H_

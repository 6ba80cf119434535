// The tenant's scoring policy: read, update (update_mask + etag), and the
// effective policy every computation uses (the defaults until the tenant
// changes one).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_POLICY_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_POLICY_MANAGER_H_

#include "absl/status/statusor.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "common/caller.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

inline constexpr char kScoringPolicyName[] = "scoringPolicy";

// The tenant's stored policy, or the defaults (revision 0).
absl::StatusOr<v1::ScoringPolicy> EffectivePolicy(sql::Transaction& txn,
                                                  ScoreStore& scores,
                                                  absl::string_view tenant);

class PolicyManager {
 public:
  // `cache` is not owned: a policy update invalidates the tenant's scores.
  PolicyManager(const EngagementDeps& deps, ScoreCache* cache)
      : deps_(deps), cache_(cache) {}

  // INVALID_ARGUMENT naming "name" unless it is "scoringPolicy".
  absl::StatusOr<v1::ScoringPolicy> Get(const Caller& caller,
                                        absl::string_view name);
  // Applies the fields of `mask` (empty: all updatable fields); a stale
  // etag answers ABORTED; the result is validated (INVALID_ARGUMENT naming
  // the field). Bumps the revision, which makes every cached score stale.
  absl::StatusOr<v1::ScoringPolicy> Update(
      const Caller& caller, const v1::ScoringPolicy& policy,
      const google::protobuf::FieldMask& mask);

 private:
  EngagementDeps deps_;
  ScoreCache* const cache_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_POLICY_MANAGER_H_

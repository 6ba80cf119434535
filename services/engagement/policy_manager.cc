#include "services/engagement/policy_manager.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/manager_steps.h"
#include "services/engagement/scoring/scoring.h"
#include "services/engagement/scoring/scoring_policy.h"

namespace clientele::engagement {
namespace {

std::string EtagOf(const v1::ScoringPolicy& policy) {
  return absl::StrCat("\"", policy.revision(), "\"");
}

absl::Status CheckName(absl::string_view name, absl::string_view field) {
  if (name != kScoringPolicyName) {
    return InvalidFieldError(field, "must be \"scoringPolicy\"");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ScoringPolicy> EffectivePolicy(sql::Transaction& txn,
                                                  ScoreStore& scores,
                                                  absl::string_view tenant) {
  ASSIGN_OR_RETURN(std::optional<v1::ScoringPolicy> stored,
                   scores.FindPolicy(txn, tenant));
  v1::ScoringPolicy policy =
      stored.has_value() ? *std::move(stored) : DefaultScoringPolicy();
  FillUnsetPolicyParts(&policy);
  policy.set_name(kScoringPolicyName);
  policy.set_etag(EtagOf(policy));
  return policy;
}

absl::StatusOr<v1::ScoringPolicy> PolicyManager::Get(const Caller& caller,
                                                     absl::string_view name) {
  RETURN_IF_ERROR(CheckName(name, "name"));
  v1::ScoringPolicy policy;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn) {
    ASSIGN_OR_RETURN(policy,
                     EffectivePolicy(txn, *deps_.scores, caller.tenant));
    return absl::OkStatus();
  }));
  return policy;
}

absl::StatusOr<v1::ScoringPolicy> PolicyManager::Update(
    const Caller& caller, const v1::ScoringPolicy& patch,
    const google::protobuf::FieldMask& mask) {
  RETURN_IF_ERROR(CheckName(patch.name(), "scoring_policy.name"));
  v1::ScoringPolicy updated;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::ScoringPolicy current,
                     EffectivePolicy(txn, *deps_.scores, caller.tenant));
    RETURN_IF_ERROR(
        CheckEtag(patch.etag(), current.etag(), "scoring_policy.etag"));
    ASSIGN_OR_RETURN(updated, ApplyScoringPolicyUpdate(current, patch, mask));
    updated.set_name(kScoringPolicyName);
    updated.set_revision(current.revision() + 1);
    SetTimestamp(deps_.clock->Now(), updated.mutable_update_time());
    updated.set_etag(EtagOf(updated));
    RETURN_IF_ERROR(deps_.scores->PutPolicy(txn, caller.tenant, updated));
    events::v1::Event event;
    event.mutable_scoring_policy_updated()->set_revision(updated.revision());
    event.mutable_scoring_policy_updated()->set_model_version(kModelVersion);
    RETURN_IF_ERROR(
        AppendEvent(txn, deps_, caller, kScoringPolicyName, std::move(event)));
    txn.AfterCommit([cache = cache_, tenant = caller.tenant] {
      cache->InvalidateTenant(tenant);
    });
    return absl::OkStatus();
  }));
  return updated;
}

}  // namespace clientele::engagement

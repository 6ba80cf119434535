#include "services/engagement/deal_links.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "services/engagement/deal_manager.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/manager_steps.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

// `code` naming `path` (google.rpc.BadRequest), so that a client sees which
// interaction of a batch named which deal.
absl::Status FieldError(absl::StatusCode code, absl::string_view path,
                        absl::string_view description) {
  FieldViolations violations;
  violations.Add(path, description);
  return violations.ToStatus(code);
}

}  // namespace

absl::Status DealLinks::BeforeRecord(sql::Transaction& txn,
                                     const Caller& caller,
                                     const ProjectedAccount& account,
                                     absl::string_view field,
                                     v1::Interaction& interaction) {
  if (interaction.deal().empty()) {
    return absl::OkStatus();
  }
  const std::string path = absl::StrCat(field, ".deal");
  if (interaction.kind() != v1::INTERACTION_KIND_PROPOSAL) {
    return InvalidFieldError(path, "only PROPOSAL interactions take a deal");
  }
  auto id = ParseResourceName(interaction.deal(), kDeals, path);
  if (!id.ok()) {
    return InvalidFieldError(path, "must be \"deals/{deal}\"");
  }
  ASSIGN_OR_RETURN(std::optional<v1::Deal> found,
                   store_->Find(txn, caller.tenant, *id));
  if (!found.has_value()) {
    return FieldError(absl::StatusCode::kNotFound, path,
                      absl::StrCat(interaction.deal(), " not found"));
  }
  v1::Deal deal = *std::move(found);
  // Deals follow their account through merges; resolving both sides keeps
  // a deal recorded against before a merge event was applied usable.
  ASSIGN_OR_RETURN(
      std::optional<ProjectedAccount> owner,
      deps_.projection->Resolve(txn, caller.tenant, IdOf(deal.account())));
  if (!owner.has_value() || owner->id != account.id) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, path,
        absl::StrCat(deal.name(), " is a deal of ", deal.account(), ", not of ",
                     interaction.account()));
  }
  if (!IsOpenStage(deal.stage())) {
    return FieldError(absl::StatusCode::kFailedPrecondition, path,
                      absl::StrCat(deal.name(), " is closed (",
                                   v1::DealStage_Name(deal.stage()), ")"));
  }
  RETURN_IF_ERROR(store_->AddProposal(txn, caller.tenant, *id,
                                      TimestampMicros(interaction.occur_time()),
                                      IdOf(interaction.name())));
  if (deal.stage() != v1::DEAL_STAGE_QUALIFYING) {
    return absl::OkStatus();
  }
  deal.set_stage(v1::DEAL_STAGE_PROPOSAL);
  Stamp(deps_, deps_.clock->Now(), /*created=*/false, &deal);
  RETURN_IF_ERROR(store_->Update(txn, caller.tenant, *id, deal));
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps_.scores, caller.tenant));
  SetProbability(policy.deal_stage_probabilities(), &deal);
  events::v1::Event event;
  auto* payload = event.mutable_deal_updated();
  *payload->mutable_deal() = DealSnapshotOf(deal);
  payload->add_changed_fields("stage");
  return AppendEvent(txn, deps_, caller, deal.name(), std::move(event));
}

absl::Status DealLinks::OnDelete(sql::Transaction& txn, const Caller& caller,
                                 const v1::Interaction& interaction) {
  if (interaction.deal().empty()) {
    return absl::OkStatus();
  }
  return store_->RemoveProposal(txn, caller.tenant, IdOf(interaction.name()));
}

}  // namespace clientele::engagement

// The follow-up rules' decisions, with no I/O: which follow-up (if any) a
// recorded interaction calls for, and the id it gets. FollowUpManager::
// ApplyRules stores what they decide, in the recording's transaction.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_RULES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_RULES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "services/engagement/projection_store.h"

namespace clientele::engagement {

// Whether the follow-up rules treat the account as a client: the declared
// mode when set, otherwise a retainer.
bool IsClient(const events::v1::AccountSnapshot& account);

// The id of the follow-up a rule makes from interaction `interaction_id`:
// the same for the same interaction, never one the server makes itself.
std::string RuleFollowUpId(absl::string_view interaction_id);

// What a rule makes of an interaction.
struct RuleOutcome {
  v1::FollowUpRule rule = v1::FOLLOW_UP_RULE_UNSPECIFIED;
  v1::FollowUpKind kind = v1::FOLLOW_UP_KIND_UNSPECIFIED;
  std::string title;
  absl::Duration delay;
};

// What the rules make of `recorded` on `account`; nullopt when no rule
// applies or its rule is off (a zero, negative or malformed delay).
std::optional<RuleOutcome> RuleFor(const ProjectedAccount& account,
                                   const v1::Interaction& recorded,
                                   const v1::FollowUpRules& rules);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_RULES_H_

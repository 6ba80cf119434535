#include "services/engagement/follow_up_rules.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/proto_time.h"
#include "common/validation.h"

namespace clientele::engagement {

// Whether the follow-up rules treat the account as a client. The mode that
// engagement infers lives with the scores, and a rule must not depend on
// when the account was last scored, so this reads the declared mode, which
// wins when set, and otherwise a retainer (the typical client's billing).
bool IsClient(const events::v1::AccountSnapshot& account) {
  if (account.declared_mode() != type::v1::RELATIONSHIP_MODE_UNSPECIFIED) {
    return account.declared_mode() == type::v1::RELATIONSHIP_MODE_CLIENT;
  }
  return account.has_commercial_terms() &&
         account.commercial_terms().model() ==
             type::v1::COMMERCIAL_MODEL_RETAINER;
}

// The id of the follow-up a rule makes from interaction `interaction_id`:
// derived, so that applying the rules again finds it instead of making a
// second one. Ids the server makes never end in "-r", so these cannot
// collide with them; an interaction id too long to extend is hashed.
std::string RuleFollowUpId(absl::string_view interaction_id) {
  std::string id = absl::StrCat(interaction_id, "-r");
  if (id.size() <= static_cast<size_t>(kMaxIdLength)) return id;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(interaction_id.data()),
         interaction_id.size(), digest);
  return absl::StrCat("r-", absl::BytesToHexString(absl::string_view(
                                reinterpret_cast<const char*>(digest), 20)));
}

// What the rules make of `recorded`; nullopt when no rule applies or its
// rule is off.
std::optional<RuleOutcome> RuleFor(const ProjectedAccount& account,
                                   const v1::Interaction& recorded,
                                   const v1::FollowUpRules& rules) {
  RuleOutcome outcome;
  const google::protobuf::Duration* delay = nullptr;
  switch (recorded.kind()) {
    case v1::INTERACTION_KIND_PROPOSAL:
      outcome.rule = v1::FOLLOW_UP_RULE_PROPOSAL_SENT;
      // Answer in the medium the proposal went by: an emailed quote gets an
      // email, anything else a call.
      outcome.kind = recorded.channel() == v1::INTERACTION_CHANNEL_EMAIL
                         ? v1::FOLLOW_UP_KIND_EMAIL
                         : v1::FOLLOW_UP_KIND_CALL;
      outcome.title = "Follow up on the proposal";
      delay = &rules.proposal_follow_up_delay();
      break;
    case v1::INTERACTION_KIND_PURCHASE:
      // An order's purchase is invoiced when the order is fulfilled
      // (FOLLOW_UP_RULE_ORDER_FULFILLED), not when it is placed.
      if (recorded.source() == v1::INTERACTION_SOURCE_ORDER) {
        return std::nullopt;
      }
      outcome.rule = v1::FOLLOW_UP_RULE_PURCHASE_FULFILLED;
      outcome.kind = v1::FOLLOW_UP_KIND_SEND_INVOICE;
      outcome.title = "Send the invoice for the purchase";
      delay = &rules.invoice_after_purchase_delay();
      break;
    case v1::INTERACTION_KIND_TICKET_SOLVED:
      // Customers get the CSAT survey alone; a client's solved ticket is
      // worth a personal word.
      if (!IsClient(account.snapshot)) return std::nullopt;
      outcome.rule = v1::FOLLOW_UP_RULE_TICKET_SOLVED;
      outcome.kind = v1::FOLLOW_UP_KIND_SEND_SURVEY;
      outcome.title = "Check satisfaction after the solved ticket";
      delay = &rules.survey_after_solve_delay();
      break;
    default:
      return std::nullopt;
  }
  // The policy validates delays; a malformed one counts as off rather than
  // failing the recording of the interaction.
  if (!IsValidDuration(*delay) || ToDuration(*delay) <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  outcome.delay = ToDuration(*delay);
  return outcome;
}

}  // namespace clientele::engagement

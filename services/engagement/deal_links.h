// Proposals link to their deal: the InteractionLinks (interaction_manager.h)
// that check an interaction's `deal` when it is recorded and keep the
// deal_proposals links (deal_store.h) in step with the timeline.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_LINKS_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_LINKS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "services/engagement/deal_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/interaction_manager.h"

namespace clientele::engagement {

class DealLinks final : public InteractionLinks {
 public:
  // `store` is not owned.
  DealLinks(const EngagementDeps& deps, DealStore* store)
      : deps_(deps), store_(store) {}

  // Nothing to do without interaction.deal. Otherwise, with `path` =
  // `field` + ".deal":
  //   - INVALID_ARGUMENT naming `path` unless the interaction is a PROPOSAL
  //     and the deal is "deals/{deal}";
  //   - NOT_FOUND naming `path` when the tenant has no such deal;
  //   - FAILED_PRECONDITION naming `path` when the deal belongs to another
  //     account than `account` (merges followed on both sides) or is
  //     closed.
  // Then links the interaction to the deal, and a QUALIFYING deal moves to
  // PROPOSAL (a new etag, DealUpdated with changed_fields ["stage"]).
  absl::Status BeforeRecord(sql::Transaction& txn, const Caller& caller,
                            const ProjectedAccount& account,
                            absl::string_view field,
                            v1::Interaction& interaction) override;

  // Removes the interaction's link. The deal keeps its stage.
  absl::Status OnDelete(sql::Transaction& txn, const Caller& caller,
                        const v1::Interaction& interaction) override;

 private:
  EngagementDeps deps_;
  DealStore* const store_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_LINKS_H_

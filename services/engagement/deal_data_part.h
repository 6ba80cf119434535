// Deals as a part of an account's data (account_data_part.h) and as an
// input of its score:
//   - merges move the merged account's deals to the survivor;
//   - erasing an account deletes its deals and their proposal links, and
//     forgets stored responses naming them;
//   - erasing a contact clears it from the deals naming it (deal_store.h
//     ClearContact says what else goes);
//   - exports list the account's deals, or the deals naming the contact;
//   - LoadClosedDeals is the ScoreManager state loader that fills
//     AccountState.closed_deals. Closing a deal bumps the account's
//     projection revision (DealManager::Close), so cached scores see it.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_DATA_PART_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_DATA_PART_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/sql/database.h"
#include "services/engagement/account_data_part.h"
#include "services/engagement/deal_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/projection_store.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

class DealDataPart final : public AccountDataPart {
 public:
  // `store` is not owned.
  DealDataPart(const EngagementDeps& deps, DealStore* store)
      : deps_(deps), store_(store) {}

  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from,
                           absl::string_view to) override;
  absl::Status EraseAccount(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view account_id) override;
  absl::Status EraseContact(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view contact_id) override;
  // Adds the deals, with their probability, weighted amount and proposals
  // as GetDeal shows them, to response->deals.
  absl::Status ExportAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id,
                             v1::ExportDataSubjectResponse* response) override;
  absl::Status ExportContact(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view contact_id,
                             v1::ExportDataSubjectResponse* response) override;

  // Fills state->closed_deals with the account's deals closed on or before
  // the UTC day of `as_of` (a close date is read as 00:00 UTC of that
  // day), oldest first.
  absl::Status LoadClosedDeals(sql::Transaction& txn, absl::string_view tenant,
                               const ProjectedAccount& account,
                               absl::Time as_of, AccountState* state);

 private:
  EngagementDeps deps_;
  DealStore* const store_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_DATA_PART_H_

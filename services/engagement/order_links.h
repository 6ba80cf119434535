// How orders stay in step with the rest of engagement:
//   - as InteractionLinks: a PURCHASE a client records naming an existing
//     order in source_ref is refused (ALREADY_EXISTS): the order counts
//     itself, and nothing is counted twice;
//   - as an AccountDataPart: orders follow their account through merges,
//     go with it on erasure, lose an erased contact, and are exported with
//     the account or the contact they name.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ORDER_LINKS_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ORDER_LINKS_H_

#include "services/engagement/account_data_part.h"
#include "services/engagement/interaction_manager.h"
#include "services/engagement/order_store.h"

namespace clientele::engagement {

class OrderLinks final : public InteractionLinks, public AccountDataPart {
 public:
  // `store` is not owned.
  explicit OrderLinks(OrderStore* store) : store_(store) {}

  // ALREADY_EXISTS naming "<field>.source_ref" (and the order, as a
  // google.rpc.ResourceInfo) for a PURCHASE from the API whose source_ref
  // names an order of the caller's tenant. Anything else passes.
  absl::Status BeforeRecord(sql::Transaction& txn, const Caller& caller,
                            const ProjectedAccount& account,
                            absl::string_view field,
                            v1::Interaction& interaction) override;
  // Nothing: InteractionManager::Delete refuses an order's purchase, and
  // only the order's own manager deletes it (DeleteForOrder).
  absl::Status OnDelete(sql::Transaction& txn, const Caller& caller,
                        const v1::Interaction& interaction) override;

  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from,
                           absl::string_view to) override;
  absl::Status EraseAccount(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view account_id) override;
  absl::Status EraseContact(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view contact_id) override;
  absl::Status ExportAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id,
                             v1::ExportDataSubjectResponse* response) override;
  absl::Status ExportContact(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view contact_id,
                             v1::ExportDataSubjectResponse* response) override;

 private:
  OrderStore* const store_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ORDER_LINKS_H_

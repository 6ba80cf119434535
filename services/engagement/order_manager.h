// Orders and their fulfilment: place (idempotent by request_id), get,
// update by mask and etag (the status table, the checklist, items while
// PLACED), list with filters and page tokens. Every change commits with its
// events (clientele.events.v1 Order*) in one transaction.
//
// An order is the purchase for scoring. Placing one records its PURCHASE
// interaction (source ORDER, source_ref the order, at place_time, amount the
// total) through InteractionManager::RecordForOrder in the same
// transaction, so aggregates, totals, the rescoring mark, the
// InteractionsRecorded event and cache invalidation happen as for any
// interaction; purchase_interaction names it. Whenever what that purchase
// says changes (the items and so the total, the contact, the assignee) it is
// replaced (deleted and recorded again); cancelling deletes it. Nobody else
// records or deletes it (order_links.h, InteractionManager::Delete).
//
// Fulfilling an order makes its invoice follow-up (order_rules.h,
// InvoiceFollowUp) once, in the same transaction.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ORDER_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ORDER_MANAGER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/engagement/v1/order.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/follow_up_manager.h"
#include "services/engagement/interaction_manager.h"
#include "services/engagement/order_store.h"

namespace clientele::engagement {

class OrderManager {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  // Uses deps.database, events, clock, ids, projection and scores (the
  // policy's invoice delay). Nothing is owned; all must outlive this.
  OrderManager(const EngagementDeps& deps, OrderStore* store,
               InteractionManager* interactions, FollowUpManager* follow_ups)
      : deps_(deps),
        store_(store),
        interactions_(interactions),
        follow_ups_(follow_ups) {}

  // Places `order` (name, total, status, fulfil, cancel, create and update
  // times, purchase_interaction, etag and the checklist's done times are
  // ignored; an unset place_time is now): status PLACED, done checklist
  // items stamped now, its PURCHASE recorded, OrderPlaced published. A
  // merged account is replaced by its survivor. INVALID_ARGUMENT naming
  // "order.<field>" for every bad field (order_rules.h, CheckOrder);
  // NOT_FOUND naming the account when engagement does not know it (or it
  // is gone), naming the deal when the tenant has none of that name;
  // INVALID_ARGUMENT naming "order.deal" for another account's deal.
  // Idempotent by the call's request_id.
  absl::StatusOr<v1::Order> Create(const Caller& caller, v1::Order order);

  // The order named `name` ("orders/{id}"). INVALID_ARGUMENT naming "name"
  // when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::Order> Get(const Caller& caller, absl::string_view name);

  // Applies the fields of `order` named by `mask` (contact, items,
  // fulfilment_team, assignee, status, checklist, cancel_reason, deal; "*"
  // for all of them) to the stored order (order.name says which) and
  // publishes one event: OrderFulfilled or OrderCancelled when the status
  // moved there, OrderUpdated with the changed fields otherwise. Sending
  // what the order already has is no change: it comes back as it is,
  // without an event.
  //   INVALID_ARGUMENT: a bad mask (account, place_time and output-only
  //     paths included), bad values as on create, status unset;
  //   NOT_FOUND: no such order; the deal as on create;
  //   ABORTED: order.etag set and stale;
  //   FAILED_PRECONDITION, naming the field: any change to a FULFILLED or
  //     CANCELLED order ("order.status": they are final); a move the status
  //     table (PLACED -> IN_PROGRESS -> FULFILLED, PLACED -> FULFILLED,
  //     PLACED or IN_PROGRESS -> CANCELLED) does not allow, i.e. back to
  //     PLACED or IN_PROGRESS ("order.status"); items changed after PLACED
  //     ("order.items"); FULFILLED with a checklist item not done
  //     ("order.checklist[i]", the first one).
  // Moving to FULFILLED stamps fulfil_time and makes the invoice follow-up;
  // to CANCELLED stamps cancel_time and deletes the purchase. Idempotent by
  // the call's request_id.
  absl::StatusOr<v1::Order> Update(const Caller& caller, const v1::Order& order,
                                   const google::protobuf::FieldMask& mask);

  // One page of the orders matching every filter of `request`, newest
  // place_time first. INVALID_ARGUMENT naming the bad filter or page_token;
  // a page size above 1000 is read as 1000. A merged account's orders are
  // its survivor's.
  absl::StatusOr<v1::ListOrdersResponse> List(
      const Caller& caller, const v1::ListOrdersRequest& request);

 private:
  // NOT_FOUND unless order.deal is empty or a deal of the tenant;
  // INVALID_ARGUMENT naming "order.deal" when it is another account's.
  absl::Status CheckDeal(sql::Transaction& txn, absl::string_view tenant,
                         const v1::Order& order);
  // Makes the invoice follow-up of `order`, just fulfilled, unless the
  // tenant's policy turns the rule off.
  absl::Status MakeInvoiceFollowUp(sql::Transaction& txn, const Caller& caller,
                                   const v1::Order& order);
  // Records `order`'s purchase, replacing `previous` (a name; may be
  // empty), and sets purchase_interaction.
  absl::Status ReplacePurchase(sql::Transaction& txn, const Caller& caller,
                               const std::string& previous, v1::Order* order);

  EngagementDeps deps_;
  OrderStore* const store_;
  InteractionManager* const interactions_;
  FollowUpManager* const follow_ups_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ORDER_MANAGER_H_

// An order is the purchase for scoring: its PURCHASE interaction counts it
// once (placed, items changed, cancelled), nobody records or deletes that
// purchase besides the order, and fulfilling it raises the invoice once.
// Also how orders follow their account through merges and erasure.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/engagement/order_test_fixture.h"

namespace clientele::engagement {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// What two scores say, without the account they are of.
std::string Said(const v1::RelationshipScore& score) {
  std::string said = absl::StrCat(score.score(), "/", score.interaction_count(),
                                  "/", score.band());
  for (const v1::ScoreComponent& component : score.components()) {
    absl::StrAppend(&said, "|", component.kind(), ":", component.value(), ":",
                    component.observation());
  }
  return said;
}

TEST_F(OrderTest, APlacedOrderCountsAsExactlyOnePurchase) {
  KnowAccount("shop");
  KnowAccount("till");
  const v1::Order order = MustPlace(NewOrder("shop"));
  ASSERT_FALSE(order.purchase_interaction().empty());
  EXPECT_EQ(order.total().amount_minor_units(), 12500);
  EXPECT_EQ(order.total().currency_code(), "EUR");

  auto purchase = backend_->interactions().Get(CallerOf("acme"),
                                               order.purchase_interaction());
  ASSERT_TRUE(purchase.ok()) << purchase.status();
  EXPECT_EQ(purchase->kind(), v1::INTERACTION_KIND_PURCHASE);
  EXPECT_EQ(purchase->source(), v1::INTERACTION_SOURCE_ORDER);
  EXPECT_EQ(purchase->source_ref(), order.name());
  EXPECT_EQ(purchase->account(), "accounts/shop");
  EXPECT_EQ(purchase->amount().amount_minor_units(), 12500);
  EXPECT_EQ(ToTime(purchase->occur_time()), ToTime(order.place_time()));
  EXPECT_EQ(purchase->direction(), v1::INTERACTION_DIRECTION_INBOUND);

  // The same purchase recorded at a till scores the same: nothing more,
  // nothing less.
  ASSERT_TRUE(
      RecordPurchases({ApiPurchase("till", 12500, ToTime(order.place_time()))})
          .ok());
  auto shop = Score("shop");
  auto till = Score("till");
  ASSERT_TRUE(shop.ok() && till.ok());
  EXPECT_EQ(shop->interaction_count(), 1);
  EXPECT_EQ(Said(*shop), Said(*till));
  EXPECT_EQ(PurchaseAggregates("shop"),
            std::make_pair(int64_t{1}, int64_t{12500}));

  // The purchase's event names the order (a revenue consumer skips it),
  // and an order's purchase raises no invoice of its own.
  bool named = false;
  for (const events::v1::Event& event : Outbox()) {
    for (const auto& recorded : event.interactions_recorded().interactions()) {
      named |= recorded.name() == order.purchase_interaction() &&
               recorded.order() == order.name();
    }
  }
  EXPECT_TRUE(named);
  v1::ListFollowUpsRequest follow_ups;
  follow_ups.set_account("accounts/shop");
  EXPECT_THAT(
      backend_->follow_ups().List(CallerOf("acme"), follow_ups)->follow_ups(),
      IsEmpty());
}

TEST_F(OrderTest, ChangingItemsReplacesThePurchaseAndStillCountsOnce) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  const size_t before = Outbox().size();

  v1::Order change;
  change.set_name(order.name());
  *change.add_items() = Item("Oak table", 3, 5000);
  auto changed = Update(change, {"items"});
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->total().amount_minor_units(), 15000);
  EXPECT_NE(changed->purchase_interaction(), order.purchase_interaction());
  EXPECT_EQ(backend_->interactions()
                .Get(CallerOf("acme"), order.purchase_interaction())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  auto purchase = backend_->interactions().Get(CallerOf("acme"),
                                               changed->purchase_interaction());
  ASSERT_TRUE(purchase.ok());
  EXPECT_EQ(purchase->amount().amount_minor_units(), 15000);
  EXPECT_EQ(Score("shop")->interaction_count(), 1);
  EXPECT_EQ(PurchaseAggregates("shop"),
            std::make_pair(int64_t{1}, int64_t{15000}));
  EXPECT_THAT(EventTypesSince(before),
              ElementsAre("InteractionDeleted", "InteractionsRecorded",
                          "OrderUpdated"));
  const events::v1::Event updated = Outbox().back();
  EXPECT_THAT(updated.order_updated().changed_fields(),
              ElementsAre("items", "total", "purchase_interaction"));
  EXPECT_EQ(updated.order_updated().order().purchase_interaction(),
            changed->purchase_interaction());

  // A new assignee is the purchase's staff user: replaced too.
  v1::Order assign;
  assign.set_name(order.name());
  assign.set_assignee("lena");
  auto assigned = Update(assign, {"assignee"});
  ASSERT_TRUE(assigned.ok());
  EXPECT_EQ(backend_->interactions()
                .Get(CallerOf("acme"), assigned->purchase_interaction())
                ->staff_user(),
            "lena");
  EXPECT_EQ(Score("shop")->interaction_count(), 1);
}

TEST_F(OrderTest, CancellingRemovesThePurchaseFromTheScore) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  const size_t before = Outbox().size();
  clock_.Advance(absl::Minutes(10));
  v1::Order cancel;
  cancel.set_name(order.name());
  cancel.set_status(v1::ORDER_STATUS_CANCELLED);
  cancel.set_cancel_reason("Customer changed their mind");
  auto cancelled = Update(cancel, {"status", "cancel_reason"});
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), v1::ORDER_STATUS_CANCELLED);
  EXPECT_EQ(ToTime(cancelled->cancel_time()), clock_.Now());
  EXPECT_TRUE(cancelled->purchase_interaction().empty());
  EXPECT_EQ(cancelled->cancel_reason(), "Customer changed their mind");
  EXPECT_EQ(Score("shop")->interaction_count(), 0);
  EXPECT_EQ(PurchaseAggregates("shop"), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_THAT(EventTypesSince(before),
              ElementsAre("InteractionDeleted", "OrderCancelled"));
}

TEST_F(OrderTest, APurchaseNamingAnOrderIsRefusedAndNothingIsRecorded) {
  KnowAccount("shop");
  KnowAccount("other", "globex");
  const v1::Order order = MustPlace(NewOrder("shop"));

  v1::Interaction again = ApiPurchase("shop", 12500, clock_.Now());
  again.set_source_ref(order.name());
  const absl::Status one = RecordPurchases({again}).status();
  EXPECT_EQ(one.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(Fields(one), ElementsAre("interaction.source_ref"));
  EXPECT_TRUE(absl::StrContains(one.message(), order.name())) << one;

  const absl::Status batch =
      RecordPurchases({ApiPurchase("shop", 100, clock_.Now()), again}).status();
  EXPECT_EQ(batch.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(Fields(batch), ElementsAre("interactions[1].source_ref"));
  EXPECT_EQ(Score("shop")->interaction_count(), 1);

  // Anything else may name it: a refund of the order, a purchase with
  // another reference; and another tenant's order is not there at all.
  v1::Interaction refund = ApiPurchase("shop", -2500, clock_.Now());
  refund.set_kind(v1::INTERACTION_KIND_REFUND);
  refund.set_source_ref(order.name());
  v1::Interaction receipt = ApiPurchase("shop", 300, clock_.Now());
  receipt.set_source_ref("orders/not-an-order");
  EXPECT_TRUE(RecordPurchases({refund, receipt}).ok());
  v1::Interaction elsewhere = ApiPurchase("other", 100, clock_.Now());
  elsewhere.set_source_ref(order.name());
  EXPECT_TRUE(RecordPurchases({elsewhere}, "globex").ok());
}

TEST_F(OrderTest, ThePurchaseIsDeletedOnlyByCancellingTheOrder) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  const absl::Status refused = backend_->interactions().Delete(
      CallerOf("acme"), order.purchase_interaction());
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.message(), "cancel the order"))
      << refused;
  EXPECT_EQ(Score("shop")->interaction_count(), 1);

  // Other interactions are deleted as ever.
  auto till = RecordPurchases({ApiPurchase("shop", 100, clock_.Now())});
  ASSERT_TRUE(till.ok());
  EXPECT_TRUE(backend_->interactions()
                  .Delete(CallerOf("acme"), (*till)[0].name())
                  .ok());
}

TEST_F(OrderTest, FulfillingRaisesTheInvoiceOnceForTheTeam) {
  KnowAccount("shop", "acme", /*account_manager=*/"max", /*owner=*/"olga");
  v1::Order order = NewOrder("shop");
  order.set_fulfilment_team("workshop");
  order = MustPlace(order);
  ASSERT_TRUE(Move(order, v1::ORDER_STATUS_IN_PROGRESS).ok());
  clock_.Advance(absl::Hours(3));
  v1::Order fulfil;
  fulfil.set_name(order.name());
  fulfil.set_status(v1::ORDER_STATUS_FULFILLED);
  auto fulfilled = Update(fulfil, {"status"}, "fulfil-1");
  ASSERT_TRUE(fulfilled.ok()) << fulfilled.status();
  EXPECT_EQ(ToTime(fulfilled->fulfil_time()), clock_.Now());
  // A retry, and the same status sent again, make nothing new.
  EXPECT_EQ(Update(fulfil, {"status"}, "fulfil-1")->etag(), fulfilled->etag());
  EXPECT_EQ(Update(fulfil, {"status"})->etag(), fulfilled->etag());

  v1::ListFollowUpsRequest request;
  request.set_team("workshop");
  auto listed = backend_->follow_ups().List(CallerOf("acme"), request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->follow_ups(), SizeIs(1));
  const v1::FollowUp& invoice = listed->follow_ups(0);
  EXPECT_EQ(invoice.kind(), v1::FOLLOW_UP_KIND_SEND_INVOICE);
  EXPECT_EQ(invoice.rule(), v1::FOLLOW_UP_RULE_ORDER_FULFILLED);
  EXPECT_EQ(invoice.origin(), v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(invoice.source(), order.name());
  EXPECT_EQ(invoice.team(), "workshop");
  EXPECT_EQ(invoice.account(), "accounts/shop");
  // No assignee on the order: the account manager.
  EXPECT_EQ(invoice.assignee(), "max");
  // The policy's invoice delay (1 day by default) after the fulfilment.
  EXPECT_EQ(ToTime(invoice.due_time()), clock_.Now() + absl::Hours(24));
  EXPECT_THAT(EventTypesSince(Outbox().size() - 2),
              ElementsAre("OrderFulfilled", "FollowUpCreated"));
}

TEST_F(OrderTest, TheInvoiceGoesToTheAssigneeAndTheRuleCanBeTurnedOff) {
  KnowAccount("shop", "acme", /*account_manager=*/"", /*owner=*/"olga");
  v1::Order order = NewOrder("shop");
  order.set_assignee("lena");
  order = MustPlace(order);
  v1::Order unassigned = MustPlace(NewOrder("shop"));
  for (const v1::Order& o : {order, unassigned}) {
    ASSERT_TRUE(Move(o, v1::ORDER_STATUS_IN_PROGRESS).ok());
    ASSERT_TRUE(Move(o, v1::ORDER_STATUS_FULFILLED).ok());
  }
  v1::ListFollowUpsRequest request;
  request.set_account("accounts/shop");
  auto listed = backend_->follow_ups().List(CallerOf("acme"), request);
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> assignees;
  for (const v1::FollowUp& f : listed->follow_ups()) {
    assignees.push_back(absl::StrCat(f.source(), "=", f.assignee()));
  }
  EXPECT_THAT(assignees, ::testing::UnorderedElementsAre(
                             absl::StrCat(order.name(), "=lena"),
                             absl::StrCat(unassigned.name(), "=olga")));

  // A zero delay turns the invoice rule off, for orders as for purchases.
  v1::ScoringPolicy policy;
  policy.set_name("scoringPolicy");
  policy.mutable_follow_up_rules()
      ->mutable_invoice_after_purchase_delay()
      ->set_seconds(0);
  google::protobuf::FieldMask mask;
  mask.add_paths("follow_up_rules.invoice_after_purchase_delay");
  const absl::Status updated =
      backend_->policies()
          .Update(Caller{"acme", "role:admin", "trace"}, policy, mask)
          .status();
  ASSERT_TRUE(updated.ok()) << updated;
  const v1::Order third = MustPlace(NewOrder("shop"));
  ASSERT_TRUE(Move(third, v1::ORDER_STATUS_IN_PROGRESS).ok());
  ASSERT_TRUE(Move(third, v1::ORDER_STATUS_FULFILLED).ok());
  EXPECT_THAT(
      backend_->follow_ups().List(CallerOf("acme"), request)->follow_ups(),
      SizeIs(2));
}

TEST_F(OrderTest, OrdersFollowMergesAndGoWithErasure) {
  KnowAccount("old");
  KnowAccount("new");
  v1::Order order = NewOrder("old");
  order.set_contact("contacts/anna");
  order = MustPlace(order);
  v1::Order cancel;
  cancel.set_name(MustPlace(order).name());
  cancel.set_status(v1::ORDER_STATUS_CANCELLED);
  cancel.set_cancel_reason("Anna called to cancel");
  ASSERT_TRUE(Update(cancel, {"status", "cancel_reason"}).ok());
  MustPlace(NewOrder("new"));

  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_merged("accounts/old");
  merged.mutable_accounts_merged()->set_survivor("accounts/new");
  merged.mutable_accounts_merged()->mutable_survivor_account()->set_name(
      "accounts/new");
  Deliver(merged);
  EXPECT_EQ(backend_->orders().Get(CallerOf("acme"), order.name())->account(),
            "accounts/new");
  v1::ListOrdersRequest by_old;
  by_old.set_account("accounts/old");
  EXPECT_THAT(backend_->orders().List(CallerOf("acme"), by_old)->orders(),
              SizeIs(3));
  EXPECT_EQ(Score("new")->interaction_count(), 2);

  // The contact's export lists the order naming them; erasing the contact
  // leaves the order without them.
  v1::ExportDataSubjectRequest export_contact;
  export_contact.set_subject("contacts/anna");
  auto exported =
      backend_->data_subjects().Export(CallerOf("acme"), export_contact);
  ASSERT_TRUE(exported.ok()) << exported.status();
  std::vector<std::string> names;
  for (const v1::Order& o : exported->orders()) {
    names.push_back(o.name());
  }
  EXPECT_THAT(names,
              ::testing::UnorderedElementsAre(order.name(), cancel.name()));
  v1::ExportDataSubjectRequest export_account;
  export_account.set_subject("accounts/new");
  EXPECT_THAT(backend_->data_subjects()
                  .Export(CallerOf("acme"), export_account)
                  ->orders(),
              SizeIs(3));

  events::v1::Event erased_contact;
  erased_contact.mutable_data_subject_erased()->add_erased_contacts(
      "contacts/anna");
  Deliver(erased_contact);
  EXPECT_TRUE(backend_->orders()
                  .Get(CallerOf("acme"), order.name())
                  ->contact()
                  .empty());
  auto forgotten = backend_->orders().Get(CallerOf("acme"), cancel.name());
  EXPECT_TRUE(forgotten->contact().empty());
  EXPECT_TRUE(forgotten->cancel_reason().empty());
  EXPECT_EQ(forgotten->status(), v1::ORDER_STATUS_CANCELLED);

  events::v1::Event erased_account;
  erased_account.mutable_data_subject_erased()->set_erased_account(
      "accounts/new");
  Deliver(erased_account);
  EXPECT_EQ(
      backend_->orders().Get(CallerOf("acme"), order.name()).status().code(),
      absl::StatusCode::kNotFound);
  v1::ListOrdersRequest all;
  EXPECT_THAT(backend_->orders().List(CallerOf("acme"), all)->orders(),
              IsEmpty());
}

}  // namespace
}  // namespace clientele::engagement

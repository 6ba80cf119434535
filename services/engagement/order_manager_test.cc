// OrderManager's rules: validation naming fields, accounts and deals,
// idempotency, update by mask and etag, the status table, the checklist,
// lists with filters and page tokens, tenancy, events; and FollowUp.team.
#include "services/engagement/order_manager.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/engagement/order_test_fixture.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<std::string> Names(const v1::ListOrdersResponse& response) {
  std::vector<std::string> names;
  for (const v1::Order& order : response.orders()) {
    names.push_back(order.name());
  }
  return names;
}

TEST_F(OrderTest, PlacingNamesEveryBadFieldAndWritesNothing) {
  KnowAccount("shop");
  v1::Order order = NewOrder("shop");
  order.mutable_items(0)->set_quantity(0);
  *order.add_items() = Item("Chair", 1, 100, "USD");
  order.add_checklist()->set_title("Sand");
  order.add_checklist()->set_title("  ");
  SetTimestamp(clock_.Now() + absl::Minutes(10), order.mutable_place_time());
  order.set_contact("people/anna");
  order.set_cancel_reason("Not cancelled");
  const absl::Status status = Place(order).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status),
              ElementsAre("order.contact", "order.items[0].quantity",
                          "order.items[2].unit_price.currency_code",
                          "order.checklist[1].title", "order.place_time",
                          "order.cancel_reason"));

  v1::Order empty = NewOrder("shop");
  empty.clear_items();
  EXPECT_THAT(Fields(Place(empty).status()), ElementsAre("order.items"));
  v1::Order crowded = NewOrder("shop");
  for (int i = 0; i < 100; ++i) {
    *crowded.add_items() = Item("Nail", 1, 1);
  }
  EXPECT_THAT(Fields(Place(crowded).status()), ElementsAre("order.items"));
  // Each price is within the Money bound; their total is not.
  v1::Order huge = NewOrder("shop");
  *huge.add_items() = Item("Yacht", 1000, kMaxAmountMinorUnits);
  EXPECT_THAT(Fields(Place(huge).status()), ElementsAre("order.items"));
  v1::Order unpriced = NewOrder("shop");
  unpriced.mutable_items(1)->clear_unit_price();
  unpriced.mutable_items(0)->mutable_unit_price()->set_amount_minor_units(-1);
  EXPECT_THAT(Fields(Place(unpriced).status()),
              ElementsAre("order.items[0].unit_price.amount_minor_units",
                          "order.items[1].unit_price"));

  v1::ListOrdersRequest all;
  EXPECT_THAT(backend_->orders().List(CallerOf("acme"), all)->orders(),
              IsEmpty());
  EXPECT_EQ(Score("shop")->interaction_count(), 0);
}

TEST_F(OrderTest, PlacingFillsTheOrderIn) {
  KnowAccount("shop");
  v1::Order order = NewOrder("shop");
  order.clear_place_time();
  order.set_status(v1::ORDER_STATUS_FULFILLED);  // ignored
  order.set_purchase_interaction("interactions/forged");
  order.mutable_items(0)->set_product("  Oak table ");
  order.add_checklist()->set_title("Measure");
  order.add_checklist()->set_title("Cut");
  order.mutable_checklist(0)->set_done(true);
  const v1::Order placed = MustPlace(order);
  EXPECT_TRUE(absl::StartsWith(placed.name(), "orders/"));
  EXPECT_EQ(placed.status(), v1::ORDER_STATUS_PLACED);
  EXPECT_EQ(ToTime(placed.place_time()), clock_.Now());
  EXPECT_EQ(placed.items(0).product(), "Oak table");
  EXPECT_NE(placed.purchase_interaction(), "interactions/forged");
  EXPECT_EQ(ToTime(placed.checklist(0).done_time()), clock_.Now());
  EXPECT_FALSE(placed.checklist(1).has_done_time());
  EXPECT_FALSE(placed.etag().empty());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      *backend_->orders().Get(CallerOf("acme"), placed.name()), placed));
  const events::v1::Event event = Outbox().back();
  EXPECT_EQ(event.order_placed().order().name(), placed.name());
  EXPECT_EQ(event.order_placed().order().total().amount_minor_units(), 12500);
}

TEST_F(OrderTest, AccountsMustBeKnownAndMergedOnesAnswerForTheirSurvivor) {
  const absl::Status unknown = Place(NewOrder("nobody")).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(unknown.message(), "accounts/nobody"));

  KnowAccount("old");
  KnowAccount("new");
  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_merged("accounts/old");
  merged.mutable_accounts_merged()->set_survivor("accounts/new");
  merged.mutable_accounts_merged()->mutable_survivor_account()->set_name(
      "accounts/new");
  Deliver(merged);
  EXPECT_EQ(MustPlace(NewOrder("old")).account(), "accounts/new");

  // Another tenant's account is unknown here.
  KnowAccount("theirs", "globex");
  EXPECT_EQ(Place(NewOrder("theirs")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(OrderTest, ADealMustBeTheAccountsOwn) {
  KnowAccount("shop");
  KnowAccount("other");
  // Deals are deal_manager.h's; their table is all orders read.
  const absl::Status seeded =
      database_->Write([](sql::Transaction& txn) -> absl::Status {
        for (const char* row :
             {"'acme', 'd-shop', 'shop'", "'acme', 'd-other', 'other'"}) {
          auto inserted = txn.Exec(absl::StrCat(
              "INSERT INTO deals (tenant, deal_id, account_id, contact_id, "
              "stage, kind, owner, expected_close_day, currency, "
              "amount_minor, data) VALUES (",
              row, ", '', 1, 1, 'olga', 20000, 'EUR', 100, x'')"));
          if (!inserted.ok()) {
            return inserted.status();
          }
        }
        return absl::OkStatus();
      });
  ASSERT_TRUE(seeded.ok()) << seeded;
  v1::Order order = NewOrder("shop");
  order.set_deal("deals/d-shop");
  const v1::Order placed = MustPlace(order);
  EXPECT_EQ(placed.deal(), "deals/d-shop");

  order.set_deal("deals/d-other");
  EXPECT_THAT(Fields(Place(order).status()), ElementsAre("order.deal"));
  order.set_deal("deals/none");
  EXPECT_EQ(Place(order).status().code(), absl::StatusCode::kNotFound);
  v1::Order change;
  change.set_name(placed.name());
  change.set_deal("deals/d-other");
  EXPECT_THAT(Fields(Update(change, {"deal"}).status()),
              ElementsAre("order.deal"));
}

TEST_F(OrderTest, ARetriedPlacementPlacesOnce) {
  KnowAccount("shop");
  const v1::Order order = NewOrder("shop");
  auto first = Place(order, "req-1");
  auto again = Place(order, "req-1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->name(), again->name());
  EXPECT_EQ(first->purchase_interaction(), again->purchase_interaction());
  v1::ListOrdersRequest all;
  EXPECT_THAT(backend_->orders().List(CallerOf("acme"), all)->orders(),
              SizeIs(1));
  EXPECT_EQ(Score("shop")->interaction_count(), 1);

  v1::Order other = order;
  other.mutable_items(0)->set_quantity(7);
  EXPECT_THAT(Fields(Place(other, "req-1").status()),
              ElementsAre("request_id"));
}

TEST_F(OrderTest, UpdatesTakeAMaskAndAFreshEtag) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  v1::Order change;
  change.set_name(order.name());
  change.set_fulfilment_team("workshop");
  change.set_etag("stale");
  EXPECT_EQ(Update(change, {"fulfilment_team"}).status().code(),
            absl::StatusCode::kAborted);
  change.set_etag(order.etag());
  auto updated = Update(change, {"fulfilment_team"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->fulfilment_team(), "workshop");
  EXPECT_NE(updated->etag(), order.etag());
  EXPECT_THAT(Outbox().back().order_updated().changed_fields(),
              ElementsAre("fulfilment_team"));

  // The same again is no change: no new etag, no event.
  const size_t events = Outbox().size();
  change.clear_etag();
  EXPECT_EQ(Update(change, {"fulfilment_team"})->etag(), updated->etag());
  EXPECT_EQ(Outbox().size(), events);

  for (const char* path : {"account", "total", "place_time", "etag", "nope"}) {
    EXPECT_THAT(Fields(Update(change, {path}).status()),
                ElementsAre("update_mask"))
        << path;
  }
  EXPECT_THAT(Fields(Update(change, {}).status()), ElementsAre("update_mask"));
  change.set_fulfilment_team(std::string(129, 'x'));
  EXPECT_THAT(Fields(Update(change, {"fulfilment_team"}).status()),
              ElementsAre("order.fulfilment_team"));
  EXPECT_THAT(Fields(Update(change, {"status"}).status()),
              ElementsAre("order.status"));
  change.set_name("orders/missing");
  EXPECT_EQ(Update(change, {"assignee"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(OrderTest, TheStatusTable) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  ASSERT_TRUE(Move(order, v1::ORDER_STATUS_IN_PROGRESS).ok());
  EXPECT_THAT(EventTypesSince(Outbox().size() - 1),
              ElementsAre("OrderUpdated"));
  auto refused = Move(order, v1::ORDER_STATUS_PLACED);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Fields(refused.status()), ElementsAre("order.status"));
  ASSERT_TRUE(Move(order, v1::ORDER_STATUS_FULFILLED).ok());
  // Handed over at once: PLACED straight to FULFILLED.
  EXPECT_EQ(
      Move(MustPlace(NewOrder("shop")), v1::ORDER_STATUS_FULFILLED)->status(),
      v1::ORDER_STATUS_FULFILLED);
  // Final: no way out, and nothing else changes either.
  for (v1::OrderStatus to :
       {v1::ORDER_STATUS_CANCELLED, v1::ORDER_STATUS_IN_PROGRESS}) {
    EXPECT_THAT(Fields(Move(order, to).status()), ElementsAre("order.status"));
  }
  v1::Order assign;
  assign.set_name(order.name());
  assign.set_assignee("lena");
  EXPECT_EQ(Update(assign, {"assignee"}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const v1::Order other = MustPlace(NewOrder("shop"));
  ASSERT_TRUE(Move(other, v1::ORDER_STATUS_IN_PROGRESS).ok());
  ASSERT_TRUE(Move(other, v1::ORDER_STATUS_CANCELLED).ok());
  EXPECT_EQ(Move(other, v1::ORDER_STATUS_IN_PROGRESS).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A cancel reason only goes with CANCELLED.
  v1::Order reason;
  reason.set_name(MustPlace(NewOrder("shop")).name());
  reason.set_cancel_reason("Out of stock");
  EXPECT_THAT(Fields(Update(reason, {"cancel_reason"}).status()),
              ElementsAre("order.cancel_reason"));
}

TEST_F(OrderTest, ItemsChangeOnlyWhilePlaced) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  ASSERT_TRUE(Move(order, v1::ORDER_STATUS_IN_PROGRESS).ok());
  v1::Order change;
  change.set_name(order.name());
  *change.add_items() = Item("Pine table", 1, 3000);
  auto refused = Update(change, {"items"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Fields(refused.status()), ElementsAre("order.items"));
  // Sending the items it has is no change ("*" read-modify-write).
  v1::Order current = *backend_->orders().Get(CallerOf("acme"), order.name());
  current.set_assignee("lena");
  auto all = Update(current, {"*"});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->assignee(), "lena");
}

TEST_F(OrderTest, TheChecklistStampsDoneItemsAndGatesFulfilment) {
  KnowAccount("shop");
  v1::Order order = NewOrder("shop");
  order.add_checklist()->set_title("Cut");
  order.add_checklist()->set_title("Varnish");
  order = MustPlace(order);
  ASSERT_TRUE(Move(order, v1::ORDER_STATUS_IN_PROGRESS).ok());

  clock_.Advance(absl::Hours(1));
  const absl::Time cut_at = clock_.Now();
  v1::Order change;
  change.set_name(order.name());
  *change.mutable_checklist() = order.checklist();
  change.mutable_checklist(0)->set_done(true);
  auto cut = Update(change, {"checklist"});
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_EQ(ToTime(cut->checklist(0).done_time()), cut_at);

  auto refused = Move(order, v1::ORDER_STATUS_FULFILLED);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Fields(refused.status()), ElementsAre("order.checklist[1]"));
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "Varnish"));

  // Done in the same call as fulfilment: allowed. The earlier item keeps
  // when it was done, whatever done_time the client sends.
  clock_.Advance(absl::Hours(1));
  change = *cut;
  change.mutable_checklist(1)->set_done(true);
  change.mutable_checklist(0)->clear_done_time();
  change.set_status(v1::ORDER_STATUS_FULFILLED);
  auto fulfilled = Update(change, {"checklist", "status"});
  ASSERT_TRUE(fulfilled.ok()) << fulfilled.status();
  EXPECT_EQ(ToTime(fulfilled->checklist(0).done_time()), cut_at);
  EXPECT_EQ(ToTime(fulfilled->checklist(1).done_time()), clock_.Now());
  EXPECT_EQ(fulfilled->status(), v1::ORDER_STATUS_FULFILLED);
}

TEST_F(OrderTest, ListsFilterAndPageNewestFirst) {
  KnowAccount("shop");
  KnowAccount("cafe");
  std::vector<std::string> placed;  // oldest first
  for (int i = 0; i < 5; ++i) {
    v1::Order order = NewOrder(i % 2 == 0 ? "shop" : "cafe");
    SetTimestamp(clock_.Now() - absl::Hours(10 - i),
                 order.mutable_place_time());
    order.set_fulfilment_team(i < 3 ? "workshop" : "delivery");
    order.set_assignee(i == 4 ? "lena" : "");
    placed.push_back(MustPlace(order).name());
  }
  v1::Order first;
  first.set_name(placed[0]);
  ASSERT_TRUE(Move(first, v1::ORDER_STATUS_CANCELLED).ok());

  v1::ListOrdersRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  do {
    auto page = backend_->orders().List(CallerOf("acme"), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->orders_size(), 2);
    for (const std::string& name : Names(*page)) {
      seen.push_back(name);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(
      seen, ElementsAre(placed[4], placed[3], placed[2], placed[1], placed[0]));

  auto list = [&](const v1::ListOrdersRequest& r) {
    auto page = backend_->orders().List(CallerOf("acme"), r);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? Names(*page) : std::vector<std::string>();
  };
  v1::ListOrdersRequest by_account;
  by_account.set_account("accounts/cafe");
  EXPECT_THAT(list(by_account), ElementsAre(placed[3], placed[1]));
  v1::ListOrdersRequest by_team;
  by_team.set_fulfilment_team("workshop");
  by_team.add_statuses(v1::ORDER_STATUS_PLACED);
  EXPECT_THAT(list(by_team), ElementsAre(placed[2], placed[1]));
  v1::ListOrdersRequest by_assignee;
  by_assignee.set_assignee("lena");
  EXPECT_THAT(list(by_assignee), ElementsAre(placed[4]));
  v1::ListOrdersRequest by_time;
  SetTimestamp(clock_.Now() - absl::Hours(9),
               by_time.mutable_place_time_range()->mutable_start_time());
  SetTimestamp(clock_.Now() - absl::Hours(7),
               by_time.mutable_place_time_range()->mutable_end_time());
  EXPECT_THAT(list(by_time), ElementsAre(placed[2], placed[1]));

  // A token is only good for the list it came from.
  v1::ListOrdersRequest paged;
  paged.set_page_size(1);
  const std::string token =
      backend_->orders().List(CallerOf("acme"), paged)->next_page_token();
  by_team.set_page_token(token);
  EXPECT_THAT(
      Fields(backend_->orders().List(CallerOf("acme"), by_team).status()),
      ElementsAre("page_token"));
  v1::ListOrdersRequest bad;
  bad.add_statuses(v1::ORDER_STATUS_UNSPECIFIED);
  bad.set_account("shop");
  EXPECT_THAT(Fields(backend_->orders().List(CallerOf("acme"), bad).status()),
              ElementsAre("account", "statuses"));
}

TEST_F(OrderTest, AnotherTenantsOrdersAreNotThere) {
  KnowAccount("shop");
  const v1::Order order = MustPlace(NewOrder("shop"));
  EXPECT_EQ(
      backend_->orders().Get(CallerOf("globex"), order.name()).status().code(),
      absl::StatusCode::kNotFound);
  v1::Order change;
  change.set_name(order.name());
  change.set_assignee("gary");
  EXPECT_EQ(Update(change, {"assignee"}, "", "globex").status().code(),
            absl::StatusCode::kNotFound);
  v1::ListOrdersRequest all;
  EXPECT_THAT(backend_->orders().List(CallerOf("globex"), all)->orders(),
              IsEmpty());
  EXPECT_EQ(backend_->orders().Get(CallerOf("acme"), "order/1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(OrderTest, FollowUpsCarryATeamToListBy) {
  KnowAccount("shop");
  v1::FollowUp follow_up;
  follow_up.set_account("accounts/shop");
  follow_up.set_title("Call about the delivery");
  follow_up.set_assignee("lena");
  SetTimestamp(clock_.Now() + absl::Hours(2), follow_up.mutable_due_time());
  follow_up.set_team(" workshop ");
  auto created = backend_->follow_ups().Create(CallerOf("acme"), follow_up);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->team(), "workshop");
  follow_up.set_team(std::string(129, 't'));
  EXPECT_THAT(
      Fields(
          backend_->follow_ups().Create(CallerOf("acme"), follow_up).status()),
      ElementsAre("follow_up.team"));
  follow_up.set_team("");
  ASSERT_TRUE(backend_->follow_ups().Create(CallerOf("acme"), follow_up).ok());

  v1::ListFollowUpsRequest by_team;
  by_team.set_team("workshop");
  auto listed = backend_->follow_ups().List(CallerOf("acme"), by_team);
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(listed->follow_ups(), SizeIs(1));
  EXPECT_EQ(listed->follow_ups(0).name(), created->name());

  v1::FollowUp move = *created;
  move.set_team("delivery");
  google::protobuf::FieldMask mask;
  mask.add_paths("team");
  auto moved = backend_->follow_ups().Update(CallerOf("acme"), move, mask);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->team(), "delivery");
  EXPECT_THAT(
      backend_->follow_ups().List(CallerOf("acme"), by_team)->follow_ups(),
      IsEmpty());
  by_team.set_team("delivery");
  EXPECT_THAT(
      backend_->follow_ups().List(CallerOf("acme"), by_team)->follow_ups(),
      SizeIs(1));

  v1::ExportDataSubjectRequest request;
  request.set_subject("accounts/shop");
  auto exported = backend_->data_subjects().Export(CallerOf("acme"), request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  std::vector<std::string> teams;
  for (const v1::FollowUp& f : exported->follow_ups()) {
    teams.push_back(f.team());
  }
  EXPECT_THAT(teams, ::testing::UnorderedElementsAre("delivery", ""));
}

}  // namespace
}  // namespace clientele::engagement

// The order RPCs as a client sees them: the real EngagementGrpcService on a
// real server (port 0) and SQLite, called through the generated C++ stub,
// with the codes, field names and details a client acts on. Accounts reach
// engagement as contacts' events applied to the projection.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_service_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::clientele::engagement::v1::EngagementService;
using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr char kAgent[] = "acme-agent";     // tenant acme, agent
constexpr char kAdmin[] = "acme-admin";     // tenant acme, admin
constexpr char kViewer[] = "acme-viewer";   // tenant acme, viewer
constexpr char kGlobex[] = "globex-agent";  // tenant globex, agent

class OrderServiceTest : public EngagementServiceFixture {
 protected:
  OrderServiceTest()
      : EngagementServiceFixture({{kAgent, "acme", "agent"},
                                  {kAdmin, "acme", "admin"},
                                  {kViewer, "acme", "viewer"},
                                  {kGlobex, "globex", "agent"}},
                                 kAgent) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(EngagementServiceFixture::SetUp());
    KnowAccount("shop", "acme");
    KnowAccount("theirs", "globex");
  }

  v1::Order NewOrder(const std::string& account = "shop") {
    v1::Order order;
    order.set_account(absl::StrCat("accounts/", account));
    v1::OrderItem* item = order.add_items();
    item->set_product("Birthday cake");
    item->set_quantity(1);
    item->mutable_unit_price()->set_currency_code("EUR");
    item->mutable_unit_price()->set_amount_minor_units(4500);
    order.set_fulfilment_team("bakery");
    order.add_checklist()->set_title("Bake");
    return order;
  }

  grpc::Status Create(const v1::Order& order, v1::Order* out,
                      const char* token = kAgent,
                      const std::string& request_id = "") {
    v1::CreateOrderRequest request;
    *request.mutable_order() = order;
    request.set_request_id(request_id);
    v1::CreateOrderResponse response;
    grpc::Status status =
        Call(&EngagementService::Stub::CreateOrder, request, &response, token);
    *out = response.order();
    return status;
  }

  grpc::Status Update(const v1::Order& order,
                      const std::vector<std::string>& paths, v1::Order* out,
                      const char* token = kAgent) {
    v1::UpdateOrderRequest request;
    *request.mutable_order() = order;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    v1::UpdateOrderResponse response;
    grpc::Status status =
        Call(&EngagementService::Stub::UpdateOrder, request, &response, token);
    *out = response.order();
    return status;
  }
};

TEST_F(OrderServiceTest, AnOrderFromPlacedToFulfilled) {
  v1::Order order;
  ASSERT_TRUE(Create(NewOrder(), &order, kAgent, "place-1").ok());
  EXPECT_EQ(order.status(), v1::ORDER_STATUS_PLACED);
  EXPECT_EQ(order.total().amount_minor_units(), 4500);
  v1::Order retried;
  ASSERT_TRUE(Create(NewOrder(), &retried, kAgent, "place-1").ok());
  EXPECT_EQ(retried.name(), order.name());

  v1::GetOrderRequest get;
  get.set_name(order.name());
  v1::GetOrderResponse got;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::GetOrder, get, &got, kViewer).ok());
  EXPECT_EQ(got.order().purchase_interaction(), order.purchase_interaction());

  v1::Order step;
  v1::Order change = order;
  change.set_status(v1::ORDER_STATUS_IN_PROGRESS);
  ASSERT_TRUE(Update(change, {"status"}, &step).ok());
  change = step;
  change.mutable_checklist(0)->set_done(true);
  change.set_status(v1::ORDER_STATUS_FULFILLED);
  ASSERT_TRUE(Update(change, {"checklist", "status"}, &step).ok());
  EXPECT_EQ(step.status(), v1::ORDER_STATUS_FULFILLED);
  EXPECT_TRUE(step.checklist(0).has_done_time());

  v1::ListFollowUpsRequest invoices;
  invoices.set_team("bakery");
  v1::ListFollowUpsResponse listed;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListFollowUps, invoices, &listed, kViewer)
          .ok());
  ASSERT_THAT(listed.follow_ups(), SizeIs(1));
  EXPECT_EQ(listed.follow_ups(0).rule(), v1::FOLLOW_UP_RULE_ORDER_FULFILLED);
  EXPECT_EQ(listed.follow_ups(0).source(), order.name());

  v1::ListOrdersRequest list;
  list.set_account("accounts/shop");
  list.add_statuses(v1::ORDER_STATUS_FULFILLED);
  v1::ListOrdersResponse orders;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListOrders, list, &orders, kViewer).ok());
  ASSERT_THAT(orders.orders(), SizeIs(1));
  EXPECT_EQ(orders.orders(0).name(), order.name());

  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject("accounts/shop");
  v1::ExportDataSubjectResponse exported;
  ASSERT_TRUE(Call(&EngagementService::Stub::ExportDataSubject, export_request,
                   &exported, kAdmin)
                  .ok());
  ASSERT_THAT(exported.orders(), SizeIs(1));
  ASSERT_THAT(exported.follow_ups(), SizeIs(1));
  EXPECT_EQ(exported.follow_ups(0).team(), "bakery");
}

TEST_F(OrderServiceTest, ErrorsNameWhatToFix) {
  v1::Order out;
  v1::Order bad = NewOrder();
  *bad.add_items() = bad.items(0);
  bad.mutable_items(1)->mutable_unit_price()->set_currency_code("GBP");
  grpc::Status status = Create(bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status),
              ElementsAre("order.items[1].unit_price.currency_code"));

  status = Create(NewOrder("nobody"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = Create(NewOrder("theirs"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = Create(NewOrder(), &out, kViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::Order order;
  ASSERT_TRUE(Create(NewOrder(), &order).ok());
  v1::Order change = order;
  change.set_status(v1::ORDER_STATUS_FULFILLED);
  status = Update(change, {"status"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Fields(status), ElementsAre("order.checklist[0]"));
  change.set_etag("stale");
  status = Update(change, {"status"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  status = Update(change, {"account"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("update_mask"));
  status = Update(order, {"assignee"}, &out, kGlobex);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::GetOrderRequest get;
  get.set_name("orders/");
  v1::GetOrderResponse got;
  status = Call(&EngagementService::Stub::GetOrder, get, &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("name"));

  v1::ListOrdersRequest list;
  list.set_page_token("garbage");
  v1::ListOrdersResponse listed;
  status = Call(&EngagementService::Stub::ListOrders, list, &listed);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));
}

TEST_F(OrderServiceTest, TheOrdersPurchaseIsNeitherRepeatedNorDeleted) {
  v1::Order order;
  ASSERT_TRUE(Create(NewOrder(), &order).ok());

  v1::RecordInteractionRequest record;
  v1::Interaction* purchase = record.mutable_interaction();
  purchase->set_account("accounts/shop");
  purchase->set_kind(v1::INTERACTION_KIND_PURCHASE);
  SetTimestamp(clock_.Now(), purchase->mutable_occur_time());
  purchase->set_direction(v1::INTERACTION_DIRECTION_INBOUND);
  purchase->set_channel(v1::INTERACTION_CHANNEL_POINT_OF_SALE);
  purchase->mutable_amount()->set_currency_code("EUR");
  purchase->mutable_amount()->set_amount_minor_units(4500);
  purchase->set_source_ref(order.name());
  v1::RecordInteractionResponse recorded;
  grpc::Status status =
      Call(&EngagementService::Stub::RecordInteraction, record, &recorded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(Fields(status), ElementsAre("interaction.source_ref"));
  // The details name the order too.
  const absl::Status mapped = server::FromGrpcStatus(status);
  auto info = mapped.GetPayload(absl::StrCat(
      kTypeUrlPrefix, google::rpc::ResourceInfo::descriptor()->full_name()));
  ASSERT_TRUE(info.has_value());
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(resource.ParseFromString(std::string(*info)));
  EXPECT_EQ(resource.resource_name(), order.name());

  v1::DeleteInteractionRequest remove;
  remove.set_name(order.purchase_interaction());
  v1::DeleteInteractionResponse removed;
  status = Call(&EngagementService::Stub::DeleteInteraction, remove, &removed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "cancel the order"));
}

TEST_F(OrderServiceTest, FollowUpTeamsOverTheWire) {
  v1::CreateFollowUpRequest create;
  v1::FollowUp* follow_up = create.mutable_follow_up();
  follow_up->set_account("accounts/shop");
  follow_up->set_title("Check the oven");
  follow_up->set_assignee("lena");
  follow_up->set_team("bakery");
  SetTimestamp(clock_.Now() + absl::Hours(1), follow_up->mutable_due_time());
  v1::CreateFollowUpResponse created;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::CreateFollowUp, create, &created).ok());
  EXPECT_EQ(created.follow_up().team(), "bakery");

  v1::UpdateFollowUpRequest update;
  *update.mutable_follow_up() = created.follow_up();
  update.mutable_follow_up()->set_team(std::string(200, 'x'));
  update.mutable_update_mask()->add_paths("team");
  v1::UpdateFollowUpResponse updated;
  grpc::Status status =
      Call(&EngagementService::Stub::UpdateFollowUp, update, &updated);
  EXPECT_THAT(Fields(status), ElementsAre("follow_up.team"));
  update.mutable_follow_up()->set_team("front");
  ASSERT_TRUE(
      Call(&EngagementService::Stub::UpdateFollowUp, update, &updated).ok());

  v1::ListFollowUpsRequest list;
  list.set_team("front");
  v1::ListFollowUpsResponse listed;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListFollowUps, list, &listed).ok());
  ASSERT_THAT(listed.follow_ups(), SizeIs(1));
  EXPECT_EQ(listed.follow_ups(0).name(), created.follow_up().name());
  list.set_team(std::string(200, 'x'));
  status = Call(&EngagementService::Stub::ListFollowUps, list, &listed);
  EXPECT_THAT(Fields(status), ElementsAre("team"));
}

}  // namespace
}  // namespace clientele::engagement

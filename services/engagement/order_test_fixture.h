// Test-only: the engagement backend over a real SQLite database (no score
// cache), with helpers that place and update orders the way a call would
// (request ids and all), for order_manager_test.cc and
// order_purchase_test.cc.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ORDER_TEST_FIXTURE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ORDER_TEST_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

class OrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    auto migrated = database_->Migrate(EngagementMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.status();
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, &ids_, &no_cache_);
  }

  static Caller CallerOf(const std::string& tenant) {
    return Caller{tenant, "role:agent", "trace"};
  }

  // Applies a contacts event to engagement's projection.
  void Deliver(const events::v1::Event& event,
               const std::string& tenant = "acme") {
    const absl::Status applied = database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, tenant, event);
    });
    ASSERT_TRUE(applied.ok()) << applied;
  }

  // Contacts' AccountCreated: engagement knows the account from now on.
  void KnowAccount(const std::string& id, const std::string& tenant = "acme",
                   const std::string& account_manager = "",
                   const std::string& owner = "") {
    events::v1::Event event;
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_account_manager(account_manager);
    account->set_owner(owner);
    Deliver(event, tenant);
  }

  static v1::OrderItem Item(const std::string& product, int64_t quantity,
                            int64_t unit_minor,
                            const std::string& currency = "EUR") {
    v1::OrderItem item;
    item.set_product(product);
    item.set_quantity(quantity);
    item.mutable_unit_price()->set_currency_code(currency);
    item.mutable_unit_price()->set_amount_minor_units(unit_minor);
    return item;
  }

  // An order of `account` placed an hour ago: 2 x 5,000 + 1 x 2,500 minor
  // units of EUR, no contact, team or assignee.
  v1::Order NewOrder(const std::string& account) {
    v1::Order order;
    order.set_account(absl::StrCat("accounts/", account));
    *order.add_items() = Item("Oak table", 2, 5000);
    *order.add_items() = Item("Delivery", 1, 2500);
    SetTimestamp(clock_.Now() - absl::Hours(1), order.mutable_place_time());
    return order;
  }

  absl::StatusOr<v1::Order> Place(const v1::Order& order,
                                  const std::string& request_id = "",
                                  const std::string& tenant = "acme") {
    v1::CreateOrderRequest request;
    *request.mutable_order() = order;
    request.set_request_id(request_id);
    return backend_->orders().Create(
        testing::CallerServingForTest(CallerOf(tenant), request),
        request.order());
  }

  // Places `order` and returns it, failing the test if it is refused.
  v1::Order MustPlace(const v1::Order& order) {
    absl::StatusOr<v1::Order> placed = Place(order);
    EXPECT_TRUE(placed.ok()) << placed.status();
    return placed.ok() ? *std::move(placed) : v1::Order();
  }

  absl::StatusOr<v1::Order> Update(const v1::Order& order,
                                   const std::vector<std::string>& paths,
                                   const std::string& request_id = "",
                                   const std::string& tenant = "acme") {
    v1::UpdateOrderRequest request;
    *request.mutable_order() = order;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_request_id(request_id);
    return backend_->orders().Update(
        testing::CallerServingForTest(CallerOf(tenant), request),
        request.order(), request.update_mask());
  }

  // Sets `order`'s status (by name and etag-free mask "status").
  absl::StatusOr<v1::Order> Move(const v1::Order& order,
                                 v1::OrderStatus status) {
    v1::Order change;
    change.set_name(order.name());
    change.set_status(status);
    return Update(change, {"status"});
  }

  absl::StatusOr<std::vector<v1::Interaction>> RecordPurchases(
      std::vector<v1::Interaction> batch, const std::string& tenant = "acme") {
    v1::BatchRecordInteractionsRequest request;
    request.mutable_interactions()->Assign(batch.begin(), batch.end());
    return backend_->interactions().Record(
        testing::CallerServingForTest(CallerOf(tenant), request),
        request.interactions(), batch.size() == 1);
  }

  // A PURCHASE as a till would record it.
  v1::Interaction ApiPurchase(const std::string& account, int64_t minor,
                              absl::Time at) {
    v1::Interaction purchase;
    purchase.set_account(absl::StrCat("accounts/", account));
    purchase.set_kind(v1::INTERACTION_KIND_PURCHASE);
    SetTimestamp(at, purchase.mutable_occur_time());
    purchase.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
    purchase.set_channel(v1::INTERACTION_CHANNEL_OTHER);
    purchase.mutable_amount()->set_currency_code("EUR");
    purchase.mutable_amount()->set_amount_minor_units(minor);
    return purchase;
  }

  absl::StatusOr<v1::RelationshipScore> Score(const std::string& account) {
    return backend_->scores().Get(
        CallerOf("acme"),
        absl::StrCat("accounts/", account, "/relationshipScore"), nullptr,
        v1::RELATIONSHIP_SCORE_VIEW_FULL);
  }

  // (count, sum of amounts) of the account's PURCHASE aggregates: what the
  // score's frequency and monetary value read.
  std::pair<int64_t, int64_t> PurchaseAggregates(const std::string& account) {
    std::pair<int64_t, int64_t> result{-1, -1};
    const sql::Value params[] = {std::string(account),
                                 int64_t{v1::INTERACTION_KIND_PURCHASE}};
    const absl::Status read =
        database_->Read([&](sql::Transaction& txn) -> absl::Status {
          auto rows = txn.Query(
              "SELECT coalesce(sum(count), 0), coalesce(sum(amount_minor), 0) "
              "FROM activity_buckets WHERE account_id = ? AND kind = ?",
              params);
          if (!rows.ok()) {
            return rows.status();
          }
          result = {(*rows)[0].Int(0), (*rows)[0].Int(1)};
          return absl::OkStatus();
        });
    EXPECT_TRUE(read.ok()) << read;
    return result;
  }

  static std::vector<std::string> Fields(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& violation : FieldViolationsOf(status)) {
      fields.push_back(violation.field);
    }
    return fields;
  }

  std::vector<events::v1::Event> Outbox() {
    auto events = testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *std::move(events) : std::vector<events::v1::Event>();
  }

  // The payload names of the events appended since `from` events.
  std::vector<std::string> EventTypesSince(size_t from) {
    std::vector<std::string> types;
    std::vector<events::v1::Event> all = Outbox();
    for (size_t i = from; i < all.size(); ++i) {
      const auto* field = events::v1::Event::descriptor()->FindFieldByNumber(
          all[i].payload_case());
      types.push_back(field == nullptr ? "?" : field->message_type()->name());
    }
    return types;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id"};
  SequentialIdGenerator event_ids_{"event-"};
  NoScoreCache no_cache_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<EngagementBackend> backend_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ORDER_TEST_FIXTURE_H_

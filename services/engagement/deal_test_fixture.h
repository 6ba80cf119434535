// Test-only: the engagement backend over a real SQLite database, with the
// calls deal tests make (accounts from contacts' events, deals, proposals,
// closes) spelled once. Shared by deal_manager_test.cc, deal_links_test.cc
// and deal_pipeline_test.cc.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_TEST_FIXTURE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_TEST_FIXTURE_H_

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

namespace clientele::engagement {

// A cache that records which accounts were invalidated.
class RecordingScoreCache : public NoScoreCache {
 public:
  void Invalidate(absl::string_view tenant,
                  absl::Span<const std::string> account_ids) override {
    for (const std::string& id : account_ids) {
      invalidated.push_back(absl::StrCat(tenant, "/", id));
    }
  }
  std::vector<std::string> invalidated;
};

inline type::v1::Date Day(int year, int month, int day) {
  type::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline type::v1::Money Money(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return money;
}

inline std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

inline google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& path : paths) {
    mask.add_paths(std::move(path));
  }
  return mask;
}

class DealTest : public ::testing::Test {
 protected:
  // 2026-02-15 12:00 UTC: inside 2026 Q1.
  static absl::Time Now() { return absl::FromUnixSeconds(1771156800); }

  void SetUp() override {
    clock_.Set(Now());
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, &ids_, &cache_);
    KnowAccount("acme-a");
    KnowAccount("acme-b");
    KnowAccount("globex-a", "globex");
  }

  DealManager& deals() { return backend_->deals(); }

  static Caller CallerOf(const std::string& tenant = "acme") {
    return Caller{tenant, "role:agent", "trace"};
  }

  absl::Status Deliver(const events::v1::Event& event,
                       const std::string& tenant = "acme") {
    return database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, tenant, event);
    });
  }

  // Contacts' AccountCreated: the account becomes known to engagement.
  void KnowAccount(const std::string& id, const std::string& tenant = "acme") {
    events::v1::Event event;
    event.mutable_account_created()->mutable_account()->set_name(
        absl::StrCat("accounts/", id));
    ASSERT_TRUE(Deliver(event, tenant).ok());
  }

  void Merge(const std::string& from, const std::string& to) {
    events::v1::Event event;
    auto* merged = event.mutable_accounts_merged();
    merged->set_merged(absl::StrCat("accounts/", from));
    merged->set_survivor(absl::StrCat("accounts/", to));
    merged->mutable_survivor_account()->set_name(merged->survivor());
    ASSERT_TRUE(Deliver(event).ok());
  }

  // An open deal of `account` worth `minor` EUR cents, expected on `close`.
  static v1::Deal NewDeal(const std::string& account, int64_t minor,
                          const type::v1::Date& close,
                          const std::string& currency = "EUR") {
    v1::Deal deal;
    deal.set_account(absl::StrCat("accounts/", account));
    deal.set_title("Payroll retainer 2027");
    *deal.mutable_amount() = Money(currency, minor);
    deal.set_kind(v1::DEAL_KIND_RETAINER);
    *deal.mutable_expected_close_date() = close;
    deal.set_owner("olga");
    return deal;
  }

  absl::StatusOr<v1::Deal> Create(const v1::Deal& deal,
                                  const std::string& request_id = "",
                                  const std::string& tenant = "acme") {
    v1::CreateDealRequest request;
    *request.mutable_deal() = deal;
    request.set_request_id(request_id);
    return deals().Create(
        testing::CallerServingForTest(CallerOf(tenant), request),
        request.deal());
  }

  v1::Deal MustCreate(const v1::Deal& deal) {
    auto created = Create(deal);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *std::move(created) : v1::Deal();
  }

  absl::StatusOr<v1::Deal> Close(const v1::CloseDealRequest& request,
                                 const std::string& tenant = "acme") {
    return deals().Close(
        testing::CallerServingForTest(CallerOf(tenant), request), request);
  }

  static v1::CloseDealRequest Won(const v1::Deal& deal) {
    v1::CloseDealRequest request;
    request.set_name(deal.name());
    request.set_outcome(v1::DEAL_STAGE_WON);
    return request;
  }

  static v1::CloseDealRequest Lost(const v1::Deal& deal,
                                   v1::DealLossReason reason) {
    v1::CloseDealRequest request;
    request.set_name(deal.name());
    request.set_outcome(v1::DEAL_STAGE_LOST);
    request.set_loss_reason(reason);
    return request;
  }

  // A PROPOSAL of `account` `ago` before now, naming `deal` when set.
  v1::Interaction Proposal(const std::string& account, const std::string& deal,
                           absl::Duration ago = absl::Hours(1)) {
    v1::Interaction interaction;
    interaction.set_account(absl::StrCat("accounts/", account));
    interaction.set_kind(v1::INTERACTION_KIND_PROPOSAL);
    SetTimestamp(clock_.Now() - ago, interaction.mutable_occur_time());
    interaction.set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
    interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    interaction.set_summary("Sent the retainer proposal");
    interaction.set_deal(deal);
    return interaction;
  }

  absl::StatusOr<std::vector<v1::Interaction>> Record(
      std::vector<v1::Interaction> batch, const std::string& tenant = "acme") {
    v1::BatchRecordInteractionsRequest request;
    request.mutable_interactions()->Assign(batch.begin(), batch.end());
    return backend_->interactions().Record(
        testing::CallerServingForTest(CallerOf(tenant), request),
        request.interactions(), batch.size() == 1);
  }

  // The events in the outbox, oldest first, of the payload `type`.
  std::vector<events::v1::Event> EventsOf(events::v1::Event::PayloadCase type) {
    auto outbox = testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    std::vector<events::v1::Event> found;
    if (outbox.ok()) {
      for (events::v1::Event& event : *outbox) {
        if (event.payload_case() == type) {
          found.push_back(std::move(event));
        }
      }
    }
    return found;
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(sql);
                      if (!rows.ok()) {
                        return rows.status();
                      }
                      n = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id"};
  SequentialIdGenerator event_ids_{"event-"};
  RecordingScoreCache cache_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<EngagementBackend> backend_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_TEST_FIXTURE_H_

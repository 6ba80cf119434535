// Test-only: the engagement backend over a real SQLite database, with the
// calls the backend tests make (accounts from contacts' events, recording,
// reading a score, counting rows) spelled once. cache() is the score cache
// the backend reads through: NoScoreCache unless a derived fixture says
// otherwise. Shared by engagement_backend_test.cc,
// engagement_backend_redis_test.cc and ticket_event_recorder_test.cc.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_FIXTURE_FOR_TEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

class EngagementBackendTest : public ::testing::Test {
 protected:
  static constexpr char kTenant[] = "acme";

  void SetUp() override {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, &ids_, cache());
  }

  virtual ScoreCache* cache() { return &no_cache_; }

  Caller caller(const std::string& tenant = kTenant) {
    return Caller{tenant, "role:admin", "trace"};
  }

  absl::Status Deliver(const events::v1::Event& event,
                       const std::string& tenant = kTenant) {
    return database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, tenant, event);
    });
  }

  absl::Status CreateAccount(const std::string& id,
                             const std::string& manager = "") {
    events::v1::Event event;
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_account_manager(manager);
    return Deliver(event);
  }

  v1::Interaction Interaction(const std::string& account,
                              v1::InteractionKind kind, absl::Duration ago,
                              const std::string& contact = "") {
    v1::Interaction interaction;
    interaction.set_account(absl::StrCat("accounts/", account));
    if (!contact.empty()) {
      interaction.set_contact(absl::StrCat("contacts/", contact));
    }
    interaction.set_kind(kind);
    SetTimestamp(clock_.Now() - ago, interaction.mutable_occur_time());
    interaction.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
    interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    interaction.set_summary("Quarterly review");
    return interaction;
  }

  absl::StatusOr<std::vector<v1::Interaction>> Record(
      std::vector<v1::Interaction> batch, const std::string& request_id = "") {
    v1::BatchRecordInteractionsRequest request;
    request.mutable_interactions()->Assign(batch.begin(), batch.end());
    request.set_request_id(request_id);
    return backend_->interactions().Record(
        testing::CallerServingForTest(caller(), request),
        request.interactions(), batch.size() == 1);
  }

  absl::StatusOr<v1::RelationshipScore> Score(const std::string& account) {
    return backend_->scores().Get(
        caller(), absl::StrCat("accounts/", account, "/relationshipScore"),
        nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL);
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(sql);
                      if (!rows.ok()) return rows.status();
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
  NoScoreCache no_cache_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<EngagementBackend> backend_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_FIXTURE_FOR_TEST_H_

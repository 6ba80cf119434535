// The engagement backend over a real SQLite database with a fake clock, for
// the cadence tests: accounts arrive as contacts' events, cadences are made
// through the manager, the job runs when a test says so.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_FIXTURE_FOR_TEST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_schema.h"

namespace clientele::engagement {

inline constexpr char kCadenceTenant[] = "acme";
inline constexpr absl::Duration kDayForTest = absl::Hours(24);

class CadenceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    Restart();
  }

  // A new backend on the same database: what a process restart sees.
  void Restart() {
    backend_.reset();
    backend_ = std::make_unique<EngagementBackend>(
        database_.get(), events_.get(), &clock_, &ids_, &no_cache_);
  }

  Caller caller(const std::string& tenant = kCadenceTenant) {
    return Caller{tenant, "role:manager", "trace"};
  }

  // What contacts' AccountCreated / AccountUpdated event does.
  void PutAccount(const events::v1::AccountSnapshot& snapshot,
                  const std::string& tenant = kCadenceTenant) {
    events::v1::Event event;
    *event.mutable_account_updated()->mutable_account() = snapshot;
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return backend_->projection().ApplyEvent(txn, tenant,
                                                               event);
                    })
                    .ok());
  }

  events::v1::AccountSnapshot Account(
      const std::string& id,
      type::v1::AccountSegment segment = type::v1::ACCOUNT_SEGMENT_B2C) {
    events::v1::AccountSnapshot snapshot;
    snapshot.set_name(absl::StrCat("accounts/", id));
    snapshot.set_segment(segment);
    snapshot.set_owner("owner-1");
    snapshot.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
    return snapshot;
  }

  void AddAccount(const std::string& id, type::v1::AccountSegment segment =
                                             type::v1::ACCOUNT_SEGMENT_B2C) {
    PutAccount(Account(id, segment));
  }

  absl::Status Deliver(const events::v1::Event& event) {
    return database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, kCadenceTenant, event);
    });
  }

  absl::StatusOr<v1::Cadence> Create(v1::Cadence cadence,
                                     const std::string& request_id = "") {
    v1::CreateCadenceRequest request;
    *request.mutable_cadence() = std::move(cadence);
    request.set_request_id(request_id);
    return backend_->cadences().Create(
        testing::CallerServingForTest(caller(), request), request.cadence());
  }

  v1::Cadence Newsletter(absl::Duration interval,
                         const std::string& account = "") {
    v1::Cadence cadence;
    cadence.set_kind(v1::CADENCE_KIND_NEWSLETTER);
    if (!account.empty()) {
      cadence.set_account(absl::StrCat("accounts/", account));
    } else {
      cadence.set_assignee("marketing-1");
    }
    SetDuration(interval, cadence.mutable_interval());
    return cadence;
  }

  absl::StatusOr<std::vector<v1::Interaction>> Record(
      const std::string& account, v1::InteractionKind kind,
      absl::Time occur_time) {
    v1::BatchRecordInteractionsRequest request;
    v1::Interaction* interaction = request.add_interactions();
    interaction->set_account(absl::StrCat("accounts/", account));
    interaction->set_kind(kind);
    SetTimestamp(occur_time, interaction->mutable_occur_time());
    interaction->set_direction(v1::INTERACTION_DIRECTION_INBOUND);
    interaction->set_channel(v1::INTERACTION_CHANNEL_IN_PERSON);
    if (kind == v1::INTERACTION_KIND_PURCHASE) {
      interaction->mutable_amount()->set_currency_code("EUR");
      interaction->mutable_amount()->set_amount_minor_units(2500);
    }
    return backend_->interactions().Record(
        testing::CallerServingForTest(caller(), request),
        request.interactions(), /*single=*/true);
  }

  // What ticketing's TicketSolved event records: a TICKET_SOLVED
  // interaction (each solve sends a CSAT survey).
  void SolveTicket(const std::string& account, const std::string& ticket_id,
                   absl::Time at) {
    events::v1::Event event;
    event.set_event_id(absl::StrCat("solved-", ticket_id));
    event.set_tenant(kCadenceTenant);
    event.set_source_service("ticketing");
    SetTimestamp(at, event.mutable_occurred_at());
    auto* ticket = event.mutable_ticket_solved()->mutable_ticket();
    ticket->set_name(absl::StrCat("tickets/", ticket_id));
    ticket->set_account(absl::StrCat("accounts/", account));
    ticket->set_requester("contacts/requester-1");
    ticket->set_assignee("agent-7");
    ticket->set_status(events::v1::TICKET_STATUS_SOLVED);
    SetTimestamp(at - absl::Hours(1), ticket->mutable_create_time());
    SetTimestamp(at, ticket->mutable_solve_time());
    event.mutable_ticket_solved()->set_csat_survey(
        absl::StrCat("csatSurveys/", ticket_id));
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return backend_->ticket_events().ApplyEvent(
                          txn, kCadenceTenant, event);
                    })
                    .ok());
  }

  // Every follow-up of the tenant, earliest due first.
  std::vector<v1::FollowUp> FollowUps() {
    v1::ListFollowUpsRequest request;
    request.set_page_size(1000);
    auto listed = backend_->follow_ups().List(caller(), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) {
      return {};
    }
    return {listed->follow_ups().begin(), listed->follow_ups().end()};
  }

  // The follow-ups cadences made (other rules make some too).
  std::vector<v1::FollowUp> CadenceFollowUps() {
    std::vector<v1::FollowUp> made;
    for (v1::FollowUp& follow_up : FollowUps()) {
      if (follow_up.rule() == v1::FOLLOW_UP_RULE_CADENCE) {
        made.push_back(std::move(follow_up));
      }
    }
    return made;
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

  int Pass() {
    absl::StatusOr<int> made = backend_->cadence_job().RunOnce();
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? *made : -1;
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

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_FIXTURE_FOR_TEST_H_

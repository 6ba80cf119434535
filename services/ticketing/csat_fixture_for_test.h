// Test-only: the ticketing managers wired over a real SQLite file, a fake
// clock and sequential ids, with accounts and contacts arriving the way they
// do in production (contacts' and engagement's events through the
// ProjectionUpdater). For the CSAT, projection and data-subject tests.
#ifndef CLIENTELE_SERVICES_TICKETING_CSAT_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_CSAT_FIXTURE_FOR_TEST_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/sql/database.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/ticketing/contacts_directory_for_test.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/data_subject_manager.h"
#include "services/ticketing/projection_updater.h"
#include "services/ticketing/routing_manager.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/sqlite_csat_store.h"
#include "services/ticketing/sqlite_projection_store.h"
#include "services/ticketing/sqlite_sla_store.h"
#include "services/ticketing/sqlite_ticket_store.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticketing_deps.h"
#include "services/ticketing/ticketing_schema.h"

namespace clientele::ticketing::testing {

class CsatFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = clientele::testing::OpenSqliteForTest(dir_, "ticketing.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(TicketingMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("ticketing", &clock_, &ids_,
                                                    nullptr);
    deps_.database = database_.get();
    deps_.events = events_.get();
    deps_.clock = &clock_;
    deps_.ids = &ids_;
    deps_.tickets = &ticket_store_;
    deps_.sla = &sla_store_;
    deps_.csat = &csat_store_;
    deps_.projection = &projection_store_;
    deps_.contacts = &contacts_;
    deps_.csat_survey_ttl = absl::Hours(24 * 7);
    sla_ = std::make_unique<SlaTracker>(deps_);
    routing_ = std::make_unique<RoutingManager>(deps_);
    csat_ = std::make_unique<CsatManager>(deps_);
    tickets_ = std::make_unique<TicketManager>(deps_, sla_.get(), csat_.get(),
                                               routing_.get());
    data_subjects_ = std::make_unique<DataSubjectManager>(deps_, csat_.get());
    updater_ = std::make_unique<ProjectionUpdater>(
        deps_, tickets_.get(), csat_.get(), data_subjects_.get());
  }

  // An agent (or admin) of `tenant`, outside any call.
  Caller Agent(const std::string& tenant = "acme") const {
    Caller caller;
    caller.tenant = tenant;
    caller.actor = "u-agent";
    return caller;
  }

  // `Agent` as it would be while serving `request`.
  Caller Serving(const google::protobuf::Message& request,
                 const std::string& tenant = "acme") const {
    return clientele::testing::CallerServingForTest(Agent(tenant), request);
  }

  // Applies `event` as the consumers would, in its own transaction.
  absl::Status Apply(events::v1::Event event,
                     const std::string& tenant = "acme") {
    event.set_event_id(absl::StrCat("event-", ++events_applied_));
    SetTimestamp(clock_.Now(), event.mutable_occurred_at());
    return database_->Write([&](sql::Transaction& txn) {
      return updater_->ApplyEvent(txn, tenant, event);
    });
  }

  // contacts' AccountCreated (or AccountUpdated when `update`).
  absl::Status PublishAccount(const std::string& id, type::v1::AccountTier tier,
                              type::v1::RelationshipMode declared_mode =
                                  type::v1::RELATIONSHIP_MODE_UNSPECIFIED,
                              const std::string& manager = "",
                              bool update = false,
                              const std::string& tenant = "acme") {
    events::v1::Event event;
    events::v1::AccountSnapshot* account =
        update ? event.mutable_account_updated()->mutable_account()
               : event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_tier(tier);
    account->set_declared_mode(declared_mode);
    account->set_account_manager(manager);
    SetTimestamp(clock_.Now(), account->mutable_update_time());
    return Apply(std::move(event), tenant);
  }

  // contacts' ContactCreated.
  absl::Status PublishContact(const std::string& id,
                              const std::string& account_id,
                              const std::string& tenant = "acme") {
    events::v1::Event event;
    events::v1::ContactSnapshot* contact =
        event.mutable_contact_created()->mutable_contact();
    contact->set_name(absl::StrCat("contacts/", id));
    contact->set_account(absl::StrCat("accounts/", account_id));
    SetTimestamp(clock_.Now(), contact->mutable_update_time());
    return Apply(std::move(event), tenant);
  }

  // engagement's RelationshipScoreChanged inferring `mode`.
  absl::Status PublishInferredMode(const std::string& account_id,
                                   type::v1::RelationshipMode mode,
                                   const std::string& tenant = "acme") {
    events::v1::Event event;
    auto* scored = event.mutable_relationship_score_changed();
    scored->set_account(absl::StrCat("accounts/", account_id));
    scored->set_new_score(60);
    scored->set_new_mode(mode);
    return Apply(std::move(event), tenant);
  }

  // A ticket of `account_id` requested by `contact_id`, created through the
  // ticket manager (routed to the team queue unless assigned).
  absl::StatusOr<v1::Ticket> NewTicket(const std::string& account_id,
                                       const std::string& contact_id,
                                       const std::string& subject = "Broken",
                                       const std::string& tenant = "acme") {
    v1::Ticket ticket;
    ticket.set_account(absl::StrCat("accounts/", account_id));
    if (!contact_id.empty()) {
      ticket.set_requester(absl::StrCat("contacts/", contact_id));
    }
    ticket.set_subject(subject);
    ticket.set_description(absl::StrCat(subject, ": the details"));
    ticket.set_assignee("u-agent");
    ticket.set_team("support");
    return tickets_->Create(Agent(tenant), ticket);
  }

  // Moves ticket `name` to `status`; the result carries an issued survey.
  absl::StatusOr<StatusChangeResult> SetStatus(
      const std::string& name, v1::TicketStatus status,
      const std::string& tenant = "acme") {
    return tickets_->ChangeStatus(Agent(tenant), name, status, "");
  }

  // NEW -> OPEN -> SOLVED; the survey issued, if any.
  absl::StatusOr<std::optional<v1::CsatSurvey>> Solve(
      const std::string& name, const std::string& tenant = "acme") {
    absl::StatusOr<StatusChangeResult> opened =
        SetStatus(name, v1::TICKET_STATUS_OPEN, tenant);
    if (!opened.ok()) return opened.status();
    absl::StatusOr<StatusChangeResult> solved =
        SetStatus(name, v1::TICKET_STATUS_SOLVED, tenant);
    if (!solved.ok()) return solved.status();
    return solved->csat_survey;
  }

  // The requester's answer, with no tenant (the RPC has none).
  absl::StatusOr<v1::CsatSurvey> Answer(const std::string& survey,
                                        const std::string& token, int rating,
                                        const std::string& comment = "",
                                        const std::string& request_id = "") {
    v1::SubmitCsatResponseRequest request;
    request.set_name(survey);
    request.set_token(token);
    request.set_rating(rating);
    request.set_comment(comment);
    request.set_request_id(request_id);
    Caller anonymous;
    return csat_->Submit(
        clientele::testing::CallerServingForTest(anonymous, request), request);
  }

  clientele::testing::TempDir dir_;
  std::unique_ptr<sql::Database> database_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<events::EventWriter> events_;
  SqliteTicketStore ticket_store_;
  SqliteSlaStore sla_store_;
  SqliteCsatStore csat_store_;
  SqliteProjectionStore projection_store_;
  FakeContactsDirectory contacts_;
  TicketingDeps deps_;
  std::unique_ptr<SlaTracker> sla_;
  std::unique_ptr<RoutingManager> routing_;
  std::unique_ptr<CsatManager> csat_;
  std::unique_ptr<TicketManager> tickets_;
  std::unique_ptr<DataSubjectManager> data_subjects_;
  std::unique_ptr<ProjectionUpdater> updater_;
  int events_applied_ = 0;
};

}  // namespace clientele::ticketing::testing

#endif  // CLIENTELE_SERVICES_TICKETING_CSAT_FIXTURE_FOR_TEST_H_

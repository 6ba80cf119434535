// Test-only: the ticketing service as main.cc wires it (TicketingBackend),
// on a real server (port 0) over real SQLite, called through the generated
// stub with tokens of two tenants and each role. Accounts and contacts
// arrive as contacts' events through the backend's projection; contacts
// itself is a FakeContactsDirectory; time is a FakeClock. The background
// jobs run only when a test starts them.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_SERVICE_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_SERVICE_FIXTURE_FOR_TEST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/server/server.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "common/sql/database.h"
#include "common/testing/grpc_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/ticketing/contacts_directory_for_test.h"
#include "services/ticketing/ticketing_backend.h"
#include "services/ticketing/ticketing_grpc_service.h"
#include "services/ticketing/ticketing_schema.h"

namespace clientele::ticketing {

using ::clientele::ticketing::v1::TicketingService;

inline constexpr char kAcmeAdmin[] = "acme-admin-token";
inline constexpr char kAcmeAgent[] = "acme-agent-token";
inline constexpr char kAcmeViewer[] = "acme-viewer-token";
inline constexpr char kGlobexAdmin[] = "globex-admin-token";

class TicketingServiceTest : public ::testing::Test {
 public:
  // Calls `rpc` with `token`; returns the status as the client saw it.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (TicketingService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token = kAcmeAdmin) {
    return clientele::testing::CallForTest(*stub_, rpc, request, response,
                                           token);
  }

  // The first field named by the BadRequest of `status`; "" when none.
  static std::string FirstField(const grpc::Status& status) {
    const std::vector<FieldViolation> violations =
        FieldViolationsOf(server::FromGrpcStatus(status));
    return violations.empty() ? "" : violations[0].field;
  }

 protected:
  void SetUp() override {
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAcmeAdmin, "acme", "admin"},
         {kAcmeAgent, "acme", "agent"},
         {kAcmeViewer, "acme", "viewer"},
         {kGlobexAdmin, "globex", "admin"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    auto database = clientele::testing::OpenSqliteForTest(dir_, "ticketing.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(TicketingMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>("ticketing", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<TicketingBackend>(database_.get(),
                                                  events_.get(), &clock_, &ids_,
                                                  &contacts_, BackendOptions());
    service_ =
        std::make_unique<TicketingGrpcService>(&runtime_, backend_->managers());
    auto server = server::Server::Start(
        server::ServerOptions(),
        {{service_.get(), TicketingService::service_full_name()}},
        [db = database_.get()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = TicketingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    if (backend_ != nullptr) backend_->Stop();
    pool_.Shutdown();
  }

  // The jobs' periods are long: a test that starts them sees only what it
  // wakes.
  virtual TicketingBackendOptions BackendOptions() {
    TicketingBackendOptions options;
    options.sla_check_interval = absl::Hours(1);
    options.requester_link_interval = absl::Hours(1);
    return options;
  }

  // contacts' AccountCreated and ContactCreated, applied as the consumer
  // would.
  void PublishAccount(
      const std::string& id, const std::string& tenant,
      type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER,
      const std::string& manager = "") {
    events::v1::Event event;
    events::v1::AccountSnapshot* account =
        event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_tier(type::v1::ACCOUNT_TIER_STANDARD);
    account->set_declared_mode(mode);
    account->set_account_manager(manager);
    SetTimestamp(clock_.Now(), account->mutable_update_time());
    Apply(std::move(event), tenant);
  }
  void PublishContact(const std::string& id, const std::string& account_id,
                      const std::string& tenant) {
    events::v1::Event event;
    events::v1::ContactSnapshot* contact =
        event.mutable_contact_created()->mutable_contact();
    contact->set_name(absl::StrCat("contacts/", id));
    contact->set_account(absl::StrCat("accounts/", account_id));
    SetTimestamp(clock_.Now(), contact->mutable_update_time());
    Apply(std::move(event), tenant);
  }

  // A ticket of `account` by `requester` (a contact id, or none), created by
  // the tenant's admin.
  v1::Ticket CreateTicket(const std::string& account,
                          const std::string& requester,
                          const char* token = kAcmeAdmin) {
    v1::CreateTicketRequest request;
    request.mutable_ticket()->set_account(absl::StrCat("accounts/", account));
    if (!requester.empty()) {
      request.mutable_ticket()->set_requester(
          absl::StrCat("contacts/", requester));
    }
    request.mutable_ticket()->set_subject("The pump is loud");
    request.mutable_ticket()->set_description("Since Monday.");
    v1::CreateTicketResponse response;
    const grpc::Status status =
        Call(&TicketingService::Stub::CreateTicket, request, &response, token);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.ticket();
  }

  clientele::testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id-"};
  SequentialIdGenerator event_ids_{"event-"};
  FakeContactsDirectory contacts_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_{2};
  server::RpcRuntime runtime_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<TicketingBackend> backend_;
  std::unique_ptr<TicketingGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<TicketingService::Stub> stub_;

 private:
  void Apply(events::v1::Event event, const std::string& tenant) {
    event.set_event_id(absl::StrCat("contacts-event-", ++applied_));
    SetTimestamp(clock_.Now(), event.mutable_occurred_at());
    const absl::Status status = database_->Write([&](sql::Transaction& txn) {
      return backend_->projection().ApplyEvent(txn, tenant, event);
    });
    ASSERT_TRUE(status.ok()) << status;
  }

  int applied_ = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_SERVICE_FIXTURE_FOR_TEST_H_

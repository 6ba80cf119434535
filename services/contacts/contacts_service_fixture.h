// Test-only: the real ContactsGrpcService on a real server (port 0) with
// real SQLite and two tenants' tokens, called through the generated C++ stub.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_SERVICE_FIXTURE_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_SERVICE_FIXTURE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clientele/contacts/v1/contacts_service.grpc.pb.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/server/server.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "common/sql/sqlite_database.h"
#include "common/testing/grpc_for_test.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_grpc_service.h"
#include "services/contacts/contacts_schema.h"

namespace clientele::contacts {

using ::clientele::contacts::v1::ContactsService;

inline constexpr char kAcme[] = "acme-token";
inline constexpr char kGlobex[] = "globex-token";
inline constexpr char kAcmeAgent[] = "acme-agent-token";
inline constexpr char kAcmeViewer[] = "acme-viewer-token";

class ContactsServiceTest : public ::testing::Test {
 public:
  // Calls `rpc` with `token`; returns the status as the client saw it.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (ContactsService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token = kAcme) {
    return testing::CallForTest(*stub_, rpc, request, response, token);
  }

 protected:
  void SetUp() override {
    auto auth =
        testing::AuthenticatorForTest({{kAcme, "acme", "admin"},
                                       {kGlobex, "globex", "admin"},
                                       {kAcmeAgent, "acme", "agent"},
                                       {kAcmeViewer, "acme", "viewer"}});
    ASSERT_TRUE(auth.ok());
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    auto database = sql::SqliteDatabase::Open({dir_.File("contacts.db")});
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    ASSERT_TRUE(database_->Migrate(ContactsMigrations()).ok());
    events_ = std::make_unique<events::EventWriter>(
        "contacts", RealClock::Get(), RandomIdGenerator::Get(), nullptr);
    backend_ = std::make_unique<ContactsBackend>(database_.get(), events_.get(),
                                                 RealClock::Get(),
                                                 RandomIdGenerator::Get());
    service_ = std::make_unique<ContactsGrpcService>(&runtime_, backend_.get());
    server::ServerOptions options;
    auto server = server::Server::Start(
        options, {{service_.get(), ContactsService::service_full_name()}},
        [db = database_.get()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = ContactsService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    server_->Shutdown();
    pool_.Shutdown();
  }

  v1::Account CreateAccount(const std::string& display_name,
                            const char* token = kAcme) {
    v1::CreateAccountRequest request;
    request.mutable_account()->set_display_name(display_name);
    request.mutable_account()->set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
    request.mutable_account()->set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
    request.mutable_account()->set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
    request.mutable_account()->set_lifecycle_stage(
        type::v1::LIFECYCLE_STAGE_ACTIVE);
    v1::CreateAccountResponse response;
    grpc::Status status =
        Call(&ContactsService::Stub::CreateAccount, request, &response, token);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.account();
  }

  v1::Contact CreateContact(const std::string& account,
                            const std::string& given,
                            const std::string& email) {
    v1::CreateContactRequest request;
    request.mutable_contact()->set_account(account);
    request.mutable_contact()->set_given_name(given);
    if (!email.empty()) {
      request.mutable_contact()->add_emails()->set_address(email);
    }
    v1::CreateContactResponse response;
    grpc::Status status =
        Call(&ContactsService::Stub::CreateContact, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.contact();
  }

  static std::string FirstField(const grpc::Status& status) {
    auto violations = FieldViolationsOf(server::FromGrpcStatus(status));
    return violations.empty() ? "" : violations[0].field;
  }

  std::vector<std::string> OutboxTypes() {
    auto types = testing::OutboxTypesForTest(*database_);
    EXPECT_TRUE(types.ok()) << types.status();
    return types.ok() ? *std::move(types) : std::vector<std::string>();
  }

  testing::TempDir dir_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_{4};
  server::RpcRuntime runtime_;
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<ContactsBackend> backend_;
  std::unique_ptr<ContactsGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<ContactsService::Stub> stub_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_SERVICE_FIXTURE_H_

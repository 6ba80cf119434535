// GrpcContactsDirectory against the real contacts service (port 0, real
// SQLite) over loopback: what intake sees when it asks contacts for a form's
// requester, with contacts up, losing an answer, or stopped.
#include "services/ticketing/contacts_directory.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "services/contacts/contacts_service_fixture.h"
#include "services/ticketing/contacts_directory_for_test.h"

namespace clientele::ticketing {
namespace {

using ::clientele::contacts::ContactsServiceTest;
using ::clientele::contacts::kAcmeAgent;
using ::clientele::contacts::kAcmeViewer;
using ::clientele::contacts::v1::ContactsService;
using ::clientele::contacts::v1::FindOrCreateContactRequest;
using ::clientele::contacts::v1::FindOrCreateContactResponse;

// Stands between ticketing and contacts and loses contacts' first answer:
// the call reaches contacts (which commits), but the caller sees UNAVAILABLE,
// as when a connection drops after the request went out.
class LossyContacts final : public ContactsService::Service {
 public:
  explicit LossyContacts(std::shared_ptr<grpc::Channel> contacts)
      : contacts_(ContactsService::NewStub(std::move(contacts))) {}

  grpc::Status FindOrCreateContact(
      grpc::ServerContext* context, const FindOrCreateContactRequest* request,
      FindOrCreateContactResponse* response) override {
    grpc::ClientContext forward;
    forward.set_deadline(context->deadline());
    for (const auto& [key, value] : context->client_metadata()) {
      if (key == "authorization" || key == "x-request-id") {
        forward.AddMetadata(std::string(key.data(), key.size()),
                            std::string(value.data(), value.size()));
      }
    }
    grpc::Status status =
        contacts_->FindOrCreateContact(&forward, *request, response);
    if (++attempts == 1) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost");
    }
    return status;
  }

  std::atomic<int> attempts{0};

 private:
  std::unique_ptr<ContactsService::Stub> contacts_;
};

class GrpcContactsDirectoryTest : public ContactsServiceTest {
 protected:
  void SetUp() override {
    ContactsServiceTest::SetUp();
    if (HasFatalFailure()) return;
    directory_ = Directory(server_->address());
    caller_.tenant = "acme";
    caller_.authorization = absl::StrCat("Bearer ", kAcmeAgent);
    caller_.trace_id = "form-1";
    caller_.deadline = absl::Now() + absl::Seconds(30);
  }

  void TearDown() override {
    if (proxy_ != nullptr) proxy_->Shutdown();
    ContactsServiceTest::TearDown();
  }

  static std::unique_ptr<GrpcContactsDirectory> Directory(
      const std::string& target) {
    PeerChannelOptions options;
    options.retry_safe_methods = GrpcContactsDirectory::RetrySafeMethods();
    auto channel = MakePeerChannel(target, options);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return std::make_unique<GrpcContactsDirectory>(
        *std::move(channel), RealClock::Get(),
        GrpcContactsDirectory::Options());
  }

  int ContactCount() {
    contacts::v1::ListContactsRequest list;
    list.set_page_size(1000);
    contacts::v1::ListContactsResponse listed;
    EXPECT_TRUE(Call(&ContactsService::Stub::ListContacts, list, &listed).ok());
    return listed.contacts_size();
  }

  std::unique_ptr<GrpcContactsDirectory> directory_;
  Caller caller_;
  // Before proxy_, which serves it and so goes first.
  std::unique_ptr<LossyContacts> lossy_;
  std::unique_ptr<grpc::Server> proxy_;
};

TEST_F(GrpcContactsDirectoryTest, FindsAKnownClientWithItsTierAndManager) {
  contacts::v1::CreateAccountRequest create;
  contacts::v1::Account* account = create.mutable_account();
  account->set_display_name("Kanzlei Weber");
  account->set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  account->set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  account->set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  account->set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  account->set_account_manager("u-anna");
  contacts::v1::CreateAccountResponse created;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::CreateAccount, create, &created).ok());
  const contacts::v1::Contact weber =
      CreateContact(created.account().name(), "Jonas", "jonas@weber.example");

  auto found = directory_->FindOrCreate(caller_, "Jonas@Weber.example",
                                        "Jonas Weber", "form-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->created);
  EXPECT_EQ(absl::StrCat("contacts/", found->contact_id), weber.name());
  EXPECT_EQ(absl::StrCat("accounts/", found->account_id),
            created.account().name());
  EXPECT_EQ(found->tier, type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_EQ(found->account_manager, "u-anna");
}

TEST_F(GrpcContactsDirectoryTest, CreatesAnUnknownRequester) {
  auto found = directory_->FindOrCreate(caller_, "new@example.com",
                                        "New Person", "form-2");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->created);
  EXPECT_FALSE(found->contact_id.empty());
  EXPECT_FALSE(found->account_id.empty());
  EXPECT_EQ(found->tier, type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_EQ(found->account_manager, "");
  EXPECT_EQ(ContactCount(), 1);
}

TEST_F(GrpcContactsDirectoryTest, TheCallersCredentialsAreWhatContactsJudges) {
  caller_.authorization = "Bearer not-a-token";
  EXPECT_EQ(directory_->FindOrCreate(caller_, "a@example.com", "A", "f-1")
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  caller_.authorization = absl::StrCat("Bearer ", kAcmeViewer);
  EXPECT_EQ(directory_->FindOrCreate(caller_, "a@example.com", "A", "f-2")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ContactCount(), 0);
}

TEST_F(GrpcContactsDirectoryTest, ContactsRejectionsKeepTheirCode) {
  auto found = directory_->FindOrCreate(caller_, "not an email", "A", "f-1");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(GrpcContactsDirectoryTest, ARetryAfterALostAnswerCreatesOnce) {
  lossy_ = std::make_unique<LossyContacts>(grpc::CreateChannel(
      server_->address(), grpc::InsecureChannelCredentials()));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(lossy_.get());
  proxy_ = builder.BuildAndStart();
  ASSERT_NE(proxy_, nullptr);
  auto directory = Directory(absl::StrCat("127.0.0.1:", port));

  auto found = directory->FindOrCreate(caller_, "lost@example.com",
                                       "Lost Answer", "form-3");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(lossy_->attempts, 2);
  // The retry got the first attempt's answer: it was this call that created.
  EXPECT_TRUE(found->created);
  EXPECT_EQ(ContactCount(), 1);
}

TEST_F(GrpcContactsDirectoryTest, AStoppedContactsIsUnavailable) {
  ASSERT_TRUE(
      directory_->FindOrCreate(caller_, "a@example.com", "A", "f-1").ok());
  server_->Shutdown();
  auto found = directory_->FindOrCreate(caller_, "b@example.com", "B", "f-2");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnavailable)
      << found.status();
}

TEST_F(GrpcContactsDirectoryTest, ASpentBudgetDoesNotCallContacts) {
  caller_.deadline = absl::Now() - absl::Seconds(1);
  auto found = directory_->FindOrCreate(caller_, "a@example.com", "A", "f-1");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ContactCount(), 0);
}

TEST(FakeContactsDirectoryTest, ActsLikeContactsUntilToldToFail) {
  FakeContactsDirectory fake;
  Caller caller;
  caller.tenant = "acme";
  auto first = fake.FindOrCreate(caller, "Ada@Example.com", "Ada", "r-1");
  auto again = fake.FindOrCreate(caller, "ada@example.com", "Ada", "r-2");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->contact_id, first->contact_id);
  fake.FailWith(absl::UnavailableError("contacts is down"));
  EXPECT_EQ(
      fake.FindOrCreate(caller, "x@example.com", "X", "r-3").status().code(),
      absl::StatusCode::kUnavailable);
  fake.Recover();
  FoundRequester client;
  client.contact_id = "c-9";
  client.account_id = "a-9";
  client.tier = type::v1::ACCOUNT_TIER_PREMIUM;
  client.account_manager = "u-anna";
  fake.SetAnswer("acme", "boss@client.example", client);
  auto scripted = fake.FindOrCreate(caller, "BOSS@client.example", "B", "r-4");
  ASSERT_TRUE(scripted.ok());
  EXPECT_EQ(scripted->account_manager, "u-anna");
  EXPECT_EQ(fake.calls(), 4);
  EXPECT_EQ(fake.CallsForTest().back().request_id, "r-4");
}

}  // namespace
}  // namespace clientele::ticketing

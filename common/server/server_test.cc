// The bootstrap over a real port on loopback with a real gRPC client: what a
// caller of any Clientele service sees, whatever the service.
#include "common/server/server.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "clientele/bench/v1/bench_service.clientele.h"
#include "clientele/contacts/v1/contacts_service.clientele.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/server/call_gate.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"

namespace clientele::server {
namespace {

using ::clientele::bench::v1::BenchService;
using ::clientele::bench::v1::BenchServiceBase;
using ::clientele::bench::v1::NoopRequest;
using ::clientele::bench::v1::NoopResponse;
using ::clientele::bench::v1::SleepRequest;
using ::clientele::bench::v1::SleepResponse;
using ::clientele::contacts::v1::ContactsService;
using ::clientele::contacts::v1::ContactsServiceBase;
using ::clientele::contacts::v1::CreateContactRequest;
using ::clientele::contacts::v1::CreateContactResponse;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Implements Noop only; Sleep is left to the generated default.
class NoopOnlyService : public BenchServiceBase {
 public:
  using BenchServiceBase::BenchServiceBase;
  absl::Status Noop(const RequestContext& context, const NoopRequest& request,
                    NoopResponse* response) override {
    ++calls;
    if (request.payload() == "bad") {
      return InvalidFieldError("payload", "must not be \"bad\"");
    }
    response->set_payload(
        absl::StrCat(context.tenant(), ":", context.request_id));
    return absl::OkStatus();
  }
  std::atomic<int> calls{0};
};

// Answers CreateContact with the contact it was sent: a service whose requests
// nest strings in messages and repeated fields.
class EchoContactsService : public ContactsServiceBase {
 public:
  using ContactsServiceBase::ContactsServiceBase;
  absl::Status CreateContact(const RequestContext& context,
                             const CreateContactRequest& request,
                             CreateContactResponse* response) override {
    ++calls;
    *response->mutable_contact() = request.contact();
    return absl::OkStatus();
  }
  std::atomic<int> calls{0};
};

// A valid CreateContactRequest whose contact.emails[1].address is `address`
// (which the C++ serializer would refuse to write if it were invalid UTF-8).
std::string CreateContactBytes(absl::string_view address) {
  CreateContactRequest request;
  request.mutable_contact()->set_account("accounts/1");
  request.mutable_contact()->set_given_name("Işık");
  request.mutable_contact()->add_emails()->set_address("a@example.com");
  // A placeholder of the same length keeps every length prefix right.
  const std::string placeholder(address.size(), '\x7f');
  request.mutable_contact()->add_emails()->set_address(placeholder);
  request.mutable_contact()->add_emails()->set_address("c@example.com");
  return absl::StrReplaceAll(request.SerializeAsString(),
                             {{placeholder, address}});
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // CreateContact needs manager; Noop and Sleep need viewer.
    auto auth = TokenAuthenticator::FromText(
        absl::StrCat(Sha256Hex("good-token"), " acme manager\n",
                     Sha256Hex("viewer-token"), " acme viewer\n"));
    ASSERT_TRUE(auth.ok());
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
  }

  void StartServer(ReadinessProbe readiness = nullptr) {
    ServerOptions options;
    options.readiness_interval = absl::Milliseconds(20);
    auto server =
        Server::Start(options,
                      {{&service_, BenchService::service_full_name()},
                       {&contacts_, ContactsService::service_full_name()}},
                      std::move(readiness));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = BenchService::NewStub(channel_);
  }

  grpc::Status CallNoop(const std::string& token, const std::string& payload,
                        NoopResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!token.empty()) {
      context.AddMetadata("authorization", "Bearer " + token);
    }
    context.AddMetadata("x-request-id", "req-1");
    NoopRequest request;
    request.set_payload(payload);
    return stub_->Noop(&context, request, response);
  }

  // Sends `bytes` as the request of `method` as they are, as a client with
  // a buggy serializer (or none) would.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes,
                       const std::string& token, grpc::ByteBuffer* response) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!token.empty()) {
      context.AddMetadata("authorization", "Bearer " + token);
    }
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    absl::Notification done;
    grpc::Status status;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, response,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    return status;
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(
      const std::string& service) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  std::unique_ptr<TokenAuthenticator> authenticator_;
  ThreadPool pool_{4};
  RpcRuntime runtime_;
  NoopOnlyService service_{&runtime_};
  EchoContactsService contacts_{&runtime_};
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<BenchService::Stub> stub_;
};

TEST_F(ServerTest, AuthenticatedCallSeesItsTenantAndRequestId) {
  StartServer();
  NoopResponse response;
  grpc::Status status = CallNoop("good-token", "x", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.payload(), "acme:req-1");
}

TEST_F(ServerTest, MissingOrWrongTokenIsRejectedBeforeTheHandler) {
  StartServer();
  NoopResponse response;
  EXPECT_EQ(CallNoop("", "x", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CallNoop("bad-token", "x", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(service_.calls.load(), 0);
}

TEST_F(ServerTest, ACallerBelowTheRpcsRoleIsDeniedNamingTheRoleNeeded) {
  StartServer();
  auto stub = ContactsService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer viewer-token");
  CreateContactRequest request;
  request.mutable_contact()->set_given_name("Ada");
  CreateContactResponse response;
  grpc::Status status = stub->CreateContact(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("/clientele.contacts.v1.ContactsService/CreateContact "
                        "needs role manager"));
  std::optional<google::rpc::ErrorInfo> info =
      ErrorInfoOf(FromGrpcStatus(status));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "ROLE_REQUIRED");
  EXPECT_EQ(info->domain(), "clientele");
  EXPECT_THAT(info->metadata(),
              UnorderedElementsAre(Pair("required_role", "manager"),
                                   Pair("role", "viewer")));
  EXPECT_EQ(contacts_.calls.load(), 0);

  // The same caller may call a viewer RPC of the same server.
  NoopResponse noop;
  EXPECT_TRUE(CallNoop("viewer-token", "x", &noop).ok());
}

TEST_F(ServerTest, RoleIsCheckedBeforeTheRequestIsExplained) {
  StartServer();
  grpc::ByteBuffer response;
  // Invalid UTF-8, which a manager would hear about as INVALID_ARGUMENT.
  EXPECT_EQ(CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
                    CreateContactBytes("\xff"), "viewer-token", &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
                    CreateContactBytes("\xff"), "good-token", &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(contacts_.calls.load(), 0);
}

TEST_F(ServerTest, FieldViolationsReachTheClientAsBadRequestDetails) {
  StartServer();
  NoopResponse response;
  grpc::Status status = CallNoop("good-token", "bad", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("payload"));
  std::vector<FieldViolation> violations =
      FieldViolationsOf(FromGrpcStatus(status));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "payload");
}

TEST_F(ServerTest, RpcsNotImplementedAnswerUnimplementedAfterAuth) {
  StartServer();
  SleepRequest request;
  SleepResponse response;
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub_->Sleep(&context, request, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer good-token");
  grpc::Status status = stub_->Sleep(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(), HasSubstr("BenchService.Sleep"));
}

TEST_F(ServerTest, InvalidUtf8InANestedStringIsInvalidArgumentNamingTheField) {
  StartServer();
  grpc::ByteBuffer response;
  grpc::Status status =
      CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
              CreateContactBytes("\xc3\x28\xff\xfe"), "good-token", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("contact.emails[1].address"));
  std::vector<FieldViolation> violations =
      FieldViolationsOf(FromGrpcStatus(status));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "contact.emails[1].address");
  EXPECT_EQ(violations[0].description, "is not valid UTF-8");
  EXPECT_EQ(contacts_.calls.load(), 0);
}

TEST_F(ServerTest, RequestsThatDoNotParseAreInvalidArgument) {
  StartServer();
  grpc::ByteBuffer response;
  // Field 1 with wire type 7, which does not exist.
  grpc::Status status = CallRaw("/clientele.bench.v1.BenchService/Noop",
                                "\x0f\xff\xff", "good-token", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "request does not parse as clientele.bench.v1.NoopRequest");
  // Truncated: the length says more than follows.
  status = CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
                   CreateContactBytes("b@example.com").substr(0, 10),
                   "good-token", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("CreateContactRequest"));
  EXPECT_EQ(service_.calls.load(), 0);
  EXPECT_EQ(contacts_.calls.load(), 0);
}

TEST_F(ServerTest,
       UnparsableRequestsOfUnauthenticatedCallersAreUnauthenticated) {
  StartServer();
  grpc::ByteBuffer response;
  EXPECT_EQ(CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
                    CreateContactBytes("\xff"), "", &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CallRaw("/clientele.bench.v1.BenchService/Noop", "\x0f",
                    "bad-token", &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerTest, ValidRequestsSentRawAreServedAndAnsweredInFull) {
  StartServer();
  grpc::ByteBuffer response;
  grpc::Status status =
      CallRaw("/clientele.contacts.v1.ContactsService/CreateContact",
              CreateContactBytes("b@example.com"), "good-token", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  CreateContactResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.contact().given_name(), "Işık");
  ASSERT_EQ(parsed.contact().emails_size(), 3);
  EXPECT_EQ(parsed.contact().emails(1).address(), "b@example.com");
}

TEST_F(ServerTest, LargeMessagesArriveWholeBothWays) {
  StartServer();
  auto stub = ContactsService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer good-token");
  CreateContactRequest request;
  std::string name;
  for (int i = 0; i < 1 << 20; ++i) name += i % 2 ? "ş" : "k";
  request.mutable_contact()->set_given_name(name);
  CreateContactResponse response;
  grpc::Status status = stub->CreateContact(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.contact().given_name(), name);
}

TEST_F(ServerTest, HealthFollowsReadiness) {
  std::atomic<bool> ready{false};
  StartServer([&ready] {
    return ready ? absl::OkStatus() : absl::UnavailableError("database down");
  });
  EXPECT_EQ(Health(""), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  ready = true;
  for (int i = 0;
       i < 500 && Health("") != grpc::health::v1::HealthCheckResponse::SERVING;
       ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Health(""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(BenchService::service_full_name()),
            grpc::health::v1::HealthCheckResponse::SERVING);
  ready = false;
  for (int i = 0;
       i < 500 &&
       Health("") != grpc::health::v1::HealthCheckResponse::NOT_SERVING;
       ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Health(""), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
}

TEST_F(ServerTest, ShutdownRefusesNewCalls) {
  StartServer();
  NoopResponse response;
  ASSERT_TRUE(CallNoop("good-token", "x", &response).ok());
  server_->Shutdown();
  EXPECT_EQ(CallNoop("good-token", "x", &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// A Noop that, for the payload "wait", runs until released.
class BlockingNoopService : public BenchServiceBase {
 public:
  using BenchServiceBase::BenchServiceBase;
  absl::Status Noop(const RequestContext& context, const NoopRequest& request,
                    NoopResponse* response) override {
    if (request.payload() == "wait") {
      started.Notify();
      release.WaitForNotification();
    }
    response->set_payload(request.payload());
    return absl::OkStatus();
  }
  absl::Notification started;
  absl::Notification release;
};

TEST(GracefulShutdownTest, CallsInFlightFinishAndNewOnesAreToldToRetry) {
  auto auth = TokenAuthenticator::FromText(
      absl::StrCat(Sha256Hex("good-token"), " acme viewer\n"));
  ASSERT_TRUE(auth.ok());
  ThreadPool pool(4);
  CallGate gate;
  RpcRuntime runtime;
  runtime.authenticator = auth->get();
  runtime.executor = &pool;
  runtime.log_rpcs = false;
  runtime.gate = &gate;
  BlockingNoopService service(&runtime);
  ServerOptions options;
  options.call_gate = &gate;
  auto server = Server::Start(
      options, {{&service, BenchService::service_full_name()}}, nullptr);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = BenchService::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));
  auto call = [&stub](const std::string& payload, NoopResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    context.AddMetadata("authorization", "Bearer good-token");
    NoopRequest request;
    request.set_payload(payload);
    return stub->Noop(&context, request, response);
  };

  // A call in flight when the server is told to stop.
  grpc::ClientContext in_flight_context;
  in_flight_context.AddMetadata("authorization", "Bearer good-token");
  NoopRequest wait;
  wait.set_payload("wait");
  NoopResponse in_flight_response;
  grpc::Status in_flight_status;
  absl::Notification in_flight_done;
  stub->async()->Noop(&in_flight_context, &wait, &in_flight_response,
                      [&](grpc::Status status) {
                        in_flight_status = std::move(status);
                        in_flight_done.Notify();
                      });
  service.started.WaitForNotification();
  std::thread stopper([&server] { (*server)->Shutdown(); });

  // While it runs, new calls are served until the server starts refusing
  // them, then answered UNAVAILABLE: never CANCELLED.
  NoopResponse response;
  grpc::Status status;
  for (int i = 0; i < 100000; ++i) {
    status = call("x", &response);
    if (!status.ok()) break;
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "server is shutting down; retry");
  EXPECT_FALSE(in_flight_done.HasBeenNotified());

  // The call in flight finishes and is answered in full.
  service.release.Notify();
  in_flight_done.WaitForNotification();
  EXPECT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(in_flight_response.payload(), "wait");
  stopper.join();
  EXPECT_EQ(gate.running(), 0);
  EXPECT_EQ(call("x", &response).error_code(), grpc::StatusCode::UNAVAILABLE);
  pool.Shutdown();
}

}  // namespace
}  // namespace clientele::server

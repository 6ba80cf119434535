// The bootstrap over a real port on loopback with a real gRPC client: what a
// caller of any Clientele service sees, whatever the service.
#include "common/server/server.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "clientele/bench/v1/bench_service.clientele.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
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
using ::testing::HasSubstr;

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

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto auth = TokenAuthenticator::FromText(
        absl::StrCat(Sha256Hex("good-token"), " acme agent\n"));
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
        Server::Start(options, {{&service_, BenchService::service_full_name()}},
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

}  // namespace
}  // namespace clientele::server

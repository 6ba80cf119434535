// Peer calls as a service making them sees them: the deadline it may spend,
// the config gRPC accepts, and over loopback what the peer receives and which
// methods are retried.
#include "common/peer_channel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clientele/bench/v1/bench_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/validate_service_config.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::clientele::bench::v1::BenchService;
using ::clientele::bench::v1::NoopRequest;
using ::clientele::bench::v1::NoopResponse;
using ::clientele::bench::v1::SleepRequest;
using ::clientele::bench::v1::SleepResponse;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

TEST(PeerDeadlineTest, ThePeersTimeoutBoundsACallerWithTimeToSpare) {
  auto deadline =
      PeerDeadline(kNow + absl::Seconds(30), kNow, absl::Seconds(2));
  ASSERT_TRUE(deadline.ok()) << deadline.status();
  EXPECT_EQ(*deadline, kNow + absl::Seconds(2));
}

TEST(PeerDeadlineTest, ACallerWithoutADeadlineGetsThePeersTimeout) {
  auto deadline =
      PeerDeadline(absl::InfiniteFuture(), kNow, absl::Milliseconds(1500));
  ASSERT_TRUE(deadline.ok()) << deadline.status();
  EXPECT_EQ(*deadline, kNow + absl::Milliseconds(1500));
}

TEST(PeerDeadlineTest, TheCallersRemainingBudgetLessTheMarginBoundsIt) {
  auto deadline =
      PeerDeadline(kNow + absl::Milliseconds(800), kNow, absl::Seconds(2));
  ASSERT_TRUE(deadline.ok()) << deadline.status();
  EXPECT_EQ(*deadline, kNow + absl::Milliseconds(800) - kPeerAnswerMargin);
}

TEST(PeerDeadlineTest, ASpentBudgetIsDeadlineExceededWithoutACall) {
  for (absl::Time caller_deadline :
       {kNow - absl::Seconds(1), kNow, kNow + kPeerAnswerMargin,
        kNow + kPeerAnswerMargin / 2}) {
    auto deadline = PeerDeadline(caller_deadline, kNow, absl::Seconds(2));
    EXPECT_EQ(deadline.status().code(), absl::StatusCode::kDeadlineExceeded)
        << caller_deadline;
  }
}

TEST(PreparePeerContextTest, ASpentBudgetLeavesTheContextUntouched) {
  Caller caller;
  caller.authorization = "Bearer t";
  caller.deadline = kNow;
  grpc::ClientContext context;
  EXPECT_EQ(PreparePeerContext(caller, kNow, absl::Seconds(2), &context).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(context.deadline(), std::chrono::system_clock::time_point::max());
}

TEST(PreparePeerContextTest, SetsTheDeadline) {
  Caller caller;
  caller.deadline = kNow + absl::Seconds(1);
  grpc::ClientContext context;
  ASSERT_TRUE(
      PreparePeerContext(caller, kNow, absl::Seconds(2), &context).ok());
  EXPECT_EQ(absl::FromChrono(context.deadline()),
            kNow + absl::Seconds(1) - kPeerAnswerMargin);
}

PeerChannelOptions BenchOptions() {
  PeerChannelOptions options;
  options.retry_safe_methods = {{"clientele.bench.v1.BenchService", "Noop"}};
  return options;
}

TEST(PeerServiceConfigTest, GrpcAcceptsTheConfig) {
  auto config = PeerServiceConfigJson(BenchOptions());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(*config, HasSubstr("\"retryableStatusCodes\":[\"UNAVAILABLE\"]"));
  EXPECT_THAT(*config, HasSubstr("\"method\":\"Noop\""));
  EXPECT_EQ(grpc::experimental::ValidateServiceConfigJSON(*config), "");
  // And the validation used here does reject a broken retry policy.
  EXPECT_NE(grpc::experimental::ValidateServiceConfigJSON(
                "{\"methodConfig\":[{\"name\":[{\"service\":\"s\"}],"
                "\"retryPolicy\":{\"maxAttempts\":3}}]}"),
            "");
}

TEST(PeerServiceConfigTest, NoSafeMethodsMeansNoRetryPolicy) {
  auto config = PeerServiceConfigJson(PeerChannelOptions());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(*config, "{}");
  EXPECT_TRUE(MakePeerChannel("127.0.0.1:1", PeerChannelOptions()).ok());
}

TEST(PeerServiceConfigTest, BadOptionsAreInvalidArgument) {
  PeerChannelOptions options = BenchOptions();
  options.max_attempts = 1;
  EXPECT_EQ(MakePeerChannel("127.0.0.1:1", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = BenchOptions();
  options.initial_backoff = absl::ZeroDuration();
  EXPECT_EQ(MakePeerChannel("127.0.0.1:1", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = BenchOptions();
  options.retry_safe_methods.push_back({"clientele.bench.v1.BenchService", ""});
  EXPECT_EQ(MakePeerChannel("127.0.0.1:1", options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A peer whose every method fails its first attempt with UNAVAILABLE, as a
// peer shedding load does, and remembers what it was sent.
class FlakyPeer final : public BenchService::Service {
 public:
  grpc::Status Noop(grpc::ServerContext* context, const NoopRequest* request,
                    NoopResponse* response) override {
    Remember(*context);
    if (++noop_calls == 1) return Shed();
    response->set_payload(request->payload());
    return grpc::Status::OK;
  }
  grpc::Status Sleep(grpc::ServerContext* context, const SleepRequest* request,
                     SleepResponse* response) override {
    Remember(*context);
    if (++sleep_calls == 1) return Shed();
    return grpc::Status::OK;
  }

  std::string Seen(const std::string& key) {
    absl::MutexLock lock(&mutex_);
    return key == "authorization" ? authorization_ : request_id_;
  }

  std::atomic<int> noop_calls{0};
  std::atomic<int> sleep_calls{0};

 private:
  static grpc::Status Shed() {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shedding load");
  }
  void Remember(const grpc::ServerContext& context) {
    absl::MutexLock lock(&mutex_);
    for (const auto& [key, value] : context.client_metadata()) {
      std::string text(value.data(), value.size());
      if (key == "authorization") authorization_ = text;
      if (key == "x-request-id") request_id_ = text;
    }
  }

  absl::Mutex mutex_;
  std::string authorization_ ABSL_GUARDED_BY(mutex_);
  std::string request_id_ ABSL_GUARDED_BY(mutex_);
};

class PeerCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&peer_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        MakePeerChannel(absl::StrCat("127.0.0.1:", port), BenchOptions());
    ASSERT_TRUE(channel.ok()) << channel.status();
    stub_ = BenchService::NewStub(*channel);
    caller_.authorization = "Bearer agent-token";
    caller_.trace_id = "trace-7";
    caller_.deadline = absl::Now() + absl::Seconds(30);
  }
  void TearDown() override { server_->Shutdown(); }

  FlakyPeer peer_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<BenchService::Stub> stub_;
  Caller caller_;
};

TEST_F(PeerCallTest, ASafeMethodIsRetriedAndCarriesTheCallersCredentials) {
  NoopRequest request;
  request.set_payload("hello");
  NoopResponse response;
  absl::Status status =
      CallPeer(caller_, *RealClock::Get(), absl::Seconds(10), *stub_,
               &BenchService::Stub::Noop, request, &response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.payload(), "hello");
  EXPECT_EQ(peer_.noop_calls, 2);
  EXPECT_EQ(peer_.Seen("authorization"), "Bearer agent-token");
  EXPECT_EQ(peer_.Seen("x-request-id"), "trace-7");
}

TEST_F(PeerCallTest, AnUnsafeMethodRunsOnceAndReportsThePeersStatus) {
  SleepResponse response;
  absl::Status status =
      CallPeer(caller_, *RealClock::Get(), absl::Seconds(10), *stub_,
               &BenchService::Stub::Sleep, SleepRequest(), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "shedding load");
  EXPECT_EQ(peer_.sleep_calls, 1);
}

TEST_F(PeerCallTest, ASpentBudgetNeverReachesThePeer) {
  caller_.deadline = absl::Now() - absl::Seconds(1);
  NoopResponse response;
  absl::Status status =
      CallPeer(caller_, *RealClock::Get(), absl::Seconds(10), *stub_,
               &BenchService::Stub::Noop, NoopRequest(), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(peer_.noop_calls, 0);
}

TEST_F(PeerCallTest, AStoppedPeerIsUnavailable) {
  server_->Shutdown();
  NoopResponse response;
  absl::Status status =
      CallPeer(caller_, *RealClock::Get(), absl::Seconds(10), *stub_,
               &BenchService::Stub::Noop, NoopRequest(), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

}  // namespace
}  // namespace clientele

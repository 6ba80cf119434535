#include "common/redis/channel_subscriber.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis/hiredis_client.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"

namespace clientele::redis {
namespace {

using ::clientele::testing::RedisServerForTest;

// Records what the subscriber told it.
class RecordingListener : public SubscriptionListener {
 public:
  void OnSubscribed() override {
    absl::MutexLock lock(&mu_);
    live_ = true;
    ++subscribed_;
  }
  void OnMessage(absl::string_view payload) override {
    absl::MutexLock lock(&mu_);
    messages_.emplace_back(payload);
  }
  void OnLost() override {
    absl::MutexLock lock(&mu_);
    live_ = false;
    ++lost_;
  }

  // Waits up to 10 s for `condition` over the recorded state.
  bool WaitFor(bool (*condition)(const RecordingListener*)) {
    absl::MutexLock lock(&mu_);
    const RecordingListener* self = this;
    return mu_.AwaitWithTimeout(absl::Condition(condition, self),
                                absl::Seconds(10));
  }
  bool live() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return live_; }
  int subscribed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return subscribed_;
  }
  int lost() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return lost_; }
  size_t message_count() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return messages_.size();
  }
  std::vector<std::string> messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

  mutable absl::Mutex mu_;

 private:
  bool live_ ABSL_GUARDED_BY(mu_) = false;
  int subscribed_ ABSL_GUARDED_BY(mu_) = 0;
  int lost_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
};

bool Live(const RecordingListener* l) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return l->live();
}
bool Lost(const RecordingListener* l) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return !l->live() && l->lost() > 0;
}
bool TwoMessages(const RecordingListener* l) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return l->message_count() >= 2;
}
bool Resubscribed(const RecordingListener* l) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return l->live() && l->subscribed() >= 2;
}

class ChannelSubscriberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  ChannelSubscriberOptions Options() const {
    ChannelSubscriberOptions options;
    options.host = server_->host();
    options.port = server_->port();
    options.channel = "clientele:test:invalidate";
    return options;
  }

  int64_t Publish(const std::string& payload) {
    HiredisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    HiredisClient client(options);
    const std::string args[] = {"PUBLISH", "clientele:test:invalidate",
                                payload};
    absl::StatusOr<Reply> reply = client.Command(args);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer : -1;
  }

  std::unique_ptr<RedisServerForTest> server_;
};

TEST_F(ChannelSubscriberTest, DeliversMessagesPublishedWhileLive) {
  RecordingListener listener;
  ChannelSubscriber subscriber(Options(), &listener);
  subscriber.Start();
  ASSERT_TRUE(listener.WaitFor(Live));
  EXPECT_EQ(Publish("tenant-a\naccount-1"), 1);  // one subscriber heard it
  EXPECT_EQ(Publish(std::string("binary\0safe", 11)), 1);
  ASSERT_TRUE(listener.WaitFor(TwoMessages));
  std::vector<std::string> messages = listener.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], "tenant-a\naccount-1");
  EXPECT_EQ(messages[1], std::string("binary\0safe", 11));
}

TEST_F(ChannelSubscriberTest, ReportsLossAndResubscribesWhenRedisReturns) {
  RecordingListener listener;
  ChannelSubscriber subscriber(Options(), &listener);
  subscriber.Start();
  ASSERT_TRUE(listener.WaitFor(Live));

  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(listener.WaitFor(Lost));

  ASSERT_TRUE(server_->Start().ok());
  ASSERT_TRUE(listener.WaitFor(Resubscribed));
  EXPECT_EQ(Publish("after restart"), 1);
}

TEST_F(ChannelSubscriberTest, ReportsLossWhenRedisStopsAnswering) {
  ChannelSubscriberOptions options = Options();
  options.ping_interval = absl::Milliseconds(100);
  options.max_silence = absl::Milliseconds(500);
  RecordingListener listener;
  ChannelSubscriber subscriber(options, &listener);
  subscriber.Start();
  ASSERT_TRUE(listener.WaitFor(Live));
  // CLIENT PAUSE keeps the connection open but answers nothing.
  HiredisOptions client_options;
  client_options.host = server_->host();
  client_options.port = server_->port();
  HiredisClient client(client_options);
  const std::string pause[] = {"CLIENT", "PAUSE", "3000", "ALL"};
  ASSERT_TRUE(client.Command(pause).ok());
  ASSERT_TRUE(listener.WaitFor(Lost));
}

// The silence and backoff timers read the injected clock: with an hour of
// each, only moving the clock makes anything happen.
TEST_F(ChannelSubscriberTest, SilenceAndBackoffRunOnTheInjectedClock) {
  FakeClock clock;
  ChannelSubscriberOptions options = Options();
  options.clock = &clock;
  options.ping_interval = absl::Minutes(10);
  options.max_silence = absl::Hours(1);
  options.min_backoff = absl::Hours(1);
  options.max_backoff = absl::Hours(1);
  RecordingListener listener;
  ChannelSubscriber subscriber(options, &listener);
  subscriber.Start();
  ASSERT_TRUE(listener.WaitFor(Live));
  // An hour without a word from the server (no PING was due before it, as
  // the clock jumps past both at once): lost, though Redis is fine.
  clock.Advance(absl::Hours(1) + absl::Seconds(1));
  ASSERT_TRUE(listener.WaitFor(Lost));
  // It comes back once the clock has moved past the backoff.
  EXPECT_TRUE(testing::WaitFor([&] {
    clock.Advance(absl::Hours(1));
    absl::MutexLock lock(&listener.mu_);
    return listener.subscribed() >= 2;
  }));
}

TEST_F(ChannelSubscriberTest, StopReportsLoss) {
  RecordingListener listener;
  {
    ChannelSubscriber subscriber(Options(), &listener);
    subscriber.Start();
    ASSERT_TRUE(listener.WaitFor(Live));
  }
  absl::MutexLock lock(&listener.mu_);
  EXPECT_FALSE(listener.live());
  EXPECT_EQ(listener.lost(), 1);
}

}  // namespace
}  // namespace clientele::redis

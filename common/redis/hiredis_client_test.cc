#include "common/redis/hiredis_client.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/redis/fault_injecting_redis_client.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server_for_test.h"
#include "gtest/gtest.h"

namespace clientele::redis {
namespace {

using ::clientele::testing::RedisServerForTest;

class HiredisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  HiredisOptions Options() const {
    HiredisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    return options;
  }

  // Runs a command that must succeed at the transport level.
  static Reply Must(RedisClient& client, const std::vector<std::string>& args) {
    absl::StatusOr<Reply> reply = client.Command(args);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *std::move(reply) : Reply{};
  }

  std::unique_ptr<RedisServerForTest> server_;
};

TEST_F(HiredisClientTest, RepliesOfEveryTypeRoundTrip) {
  HiredisClient client(Options());

  Reply set = Must(client, {"SET", "k", "v"});
  EXPECT_EQ(set.type, Reply::Type::kStatus);
  EXPECT_EQ(set.str, "OK");

  Reply get = Must(client, {"GET", "k"});
  EXPECT_EQ(get.type, Reply::Type::kString);
  EXPECT_EQ(get.str, "v");

  EXPECT_TRUE(Must(client, {"GET", "missing"}).is_nil());

  Reply incr = Must(client, {"INCRBY", "n", "41"});
  EXPECT_EQ(incr.type, Reply::Type::kInteger);
  EXPECT_EQ(incr.integer, 41);

  Must(client, {"RPUSH", "list", "a", "b", "c"});
  Reply range = Must(client, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(range.type, Reply::Type::kArray);
  ASSERT_EQ(range.elements.size(), 3u);
  EXPECT_EQ(range.elements[2].str, "c");
}

TEST_F(HiredisClientTest, ErrorReplyIsAReplyNotAFailedStatus) {
  HiredisClient client(Options());
  Must(client, {"SET", "k", "not a number"});
  absl::StatusOr<Reply> reply = client.Command({"INCR", "k"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, Reply::Type::kError);
  EXPECT_NE(reply->str.find("ERR"), std::string::npos) << reply->str;
}

TEST_F(HiredisClientTest, BinaryKeysAndValuesRoundTrip) {
  HiredisClient client(Options());
  const std::string key("k\0\r\n ey", 7);
  std::string value("\0\xff\r\n$3\r\n*1\r\n", 12);
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<char>(i));
  value += std::string(1 << 20, '\0');

  Must(client, {"SET", key, value});
  Reply get = Must(client, {"GET", key});
  EXPECT_EQ(get.type, Reply::Type::kString);
  EXPECT_EQ(get.str, value);
}

TEST_F(HiredisClientTest, NestedArraysAreDecoded) {
  HiredisClient client(Options());
  Reply id = Must(client, {"XADD", "s", "*", "field", std::string("a\0b", 3)});
  ASSERT_EQ(id.type, Reply::Type::kString);

  Reply range = Must(client, {"XRANGE", "s", "-", "+"});
  ASSERT_EQ(range.type, Reply::Type::kArray);
  ASSERT_EQ(range.elements.size(), 1u);
  const Reply& entry = range.elements[0];
  ASSERT_EQ(entry.elements.size(), 2u);
  EXPECT_EQ(entry.elements[0].str, id.str);
  ASSERT_EQ(entry.elements[1].elements.size(), 2u);
  EXPECT_EQ(entry.elements[1].elements[0].str, "field");
  EXPECT_EQ(entry.elements[1].elements[1].str, std::string("a\0b", 3));
}

TEST_F(HiredisClientTest, EmptyCommandIsInvalidArgument) {
  HiredisClient client(Options());
  EXPECT_EQ(client.Command({}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(HiredisClientTest, CreatingAClientForAnAbsentServerSucceeds) {
  ASSERT_TRUE(server_->Stop().ok());
  HiredisClient client(Options());
  EXPECT_EQ(client.Command({"PING"}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(HiredisClientTest, UnavailableWhileServerIsStopped) {
  HiredisClient client(Options());
  Must(client, {"SET", "k", "v"});

  ASSERT_TRUE(server_->Stop().ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.Command({"GET", "k"}).status().code(),
              absl::StatusCode::kUnavailable);
  }
}

TEST_F(HiredisClientTest, SameClientWorksAgainAfterRestart) {
  HiredisClient client(Options());
  Must(client, {"SET", "k", "before"});

  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(client.Command({"GET", "k"}).status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Start().ok());

  // The failed call dropped the dead connection, so the next one reconnects.
  Reply get = Must(client, {"GET", "k"});
  EXPECT_EQ(get.str, "before");
}

TEST_F(HiredisClientTest, AtMostOneCallFailsOnStaleConnectionsAfterRestart) {
  HiredisOptions options = Options();
  options.pool_size = 4;
  HiredisClient client(options);
  // Fill the pool with several idle connections.
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < 50; ++i) {
        EXPECT_TRUE(client.Command({"INCR", "n"}).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Start().ok());

  // The first call meets a dead pooled connection; dropping it drops the
  // other idle ones too, so the next call connects afresh.
  int failures = 0;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<Reply> reply = client.Command({"GET", "n"});
    if (!reply.ok()) {
      EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
      ++failures;
    } else {
      EXPECT_EQ(reply->str, "200");
    }
  }
  EXPECT_LE(failures, 1);
}

TEST_F(HiredisClientTest, DataSurvivesGracefulRestart) {
  HiredisClient client(Options());
  Must(client, {"SET", "k", "kept"});
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Start().ok());

  HiredisClient fresh(Options());
  EXPECT_EQ(Must(fresh, {"GET", "k"}).str, "kept");
}

TEST_F(HiredisClientTest, AcknowledgedWritesSurviveKill) {
  HiredisClient client(Options());
  Must(client, {"XADD", "s", "*", "f", "v"});
  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(server_->Start().ok());

  HiredisClient fresh(Options());
  EXPECT_EQ(Must(fresh, {"XLEN", "s"}).integer, 1);
}

TEST_F(HiredisClientTest, TimedOutCommandLeavesNoStaleReplyBehind) {
  HiredisOptions options = Options();
  options.command_timeout = absl::Milliseconds(100);
  options.pool_size = 1;
  HiredisClient client(options);

  // BLPOP blocks on the server for a second, well past the command timeout.
  EXPECT_EQ(client.Command({"BLPOP", "empty", "1"}).status().code(),
            absl::StatusCode::kUnavailable);
  // Had the connection been reused, this would read BLPOP's nil reply.
  Must(client, {"SET", "k", "v"});
  EXPECT_EQ(Must(client, {"GET", "k"}).str, "v");
}

TEST_F(HiredisClientTest, BlockingReaderOptionsOutlastTheBlock) {
  HiredisOptions base = Options();
  base.command_timeout = absl::Milliseconds(100);
  HiredisClient reader(BlockingReaderOptions(base, absl::Milliseconds(300)));

  absl::StatusOr<Reply> reply =
      reader.Command({"XREAD", "BLOCK", "300", "STREAMS", "s", "$"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_nil());
}

TEST_F(HiredisClientTest, ConcurrentCallsFromEightThreadsAllSucceed) {
  HiredisClient client(Options());
  constexpr int kThreads = 8;
  constexpr int kCalls = 200;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&client, t] {
      const std::string key = absl::StrCat("key", t);
      for (int i = 0; i < kCalls; ++i) {
        const std::string value = absl::StrCat(t, ":", i);
        absl::StatusOr<Reply> set = client.Command({"SET", key, value});
        ASSERT_TRUE(set.ok()) << set.status();
        absl::StatusOr<Reply> get = client.Command({"GET", key});
        ASSERT_TRUE(get.ok()) << get.status();
        EXPECT_EQ(get->str, value);
        ASSERT_TRUE(client.Command({"INCR", "counter"}).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Must(client, {"GET", "counter"}).str,
            absl::StrCat(kThreads * kCalls));
}

TEST_F(HiredisClientTest, FaultInjectionFailsTheAskedCalls) {
  HiredisClient client(Options());
  FaultInjectingRedisClient faulty(&client);

  faulty.FailNextCalls(2);
  EXPECT_EQ(faulty.Command({"SET", "k", "1"}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(faulty.Command({"SET", "k", "2"}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(faulty.Command({"SET", "k", "3"}).ok());
  // Failed calls never reached Redis.
  EXPECT_EQ(Must(client, {"GET", "k"}).str, "3");

  faulty.SetFailing(true);
  EXPECT_EQ(faulty.Command({"PING"}).status().code(),
            absl::StatusCode::kUnavailable);
  faulty.SetFailing(false);
  EXPECT_TRUE(faulty.Command({"PING"}).ok());
  EXPECT_EQ(faulty.injected_failures(), 3);
}

}  // namespace
}  // namespace clientele::redis

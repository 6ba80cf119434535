// The Redis score cache against a real redis-server: what it serves and
// when, its near cache timed by an injected Clock, and replicas that vouch
// for an entry only while invalidations can reach them.
#include "services/engagement/redis_score_cache.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/proto_time.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/hiredis_client.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {
namespace {

using ::clientele::testing::RedisServerForTest;
using ::clientele::testing::WaitFor;

TEST(RedisScoreCacheTest, ServesOnlyTheVersionItWasComputedAt) {
  auto server = testing::RedisServerForTest::Create();
  ASSERT_TRUE(server.ok()) << server.status();
  redis::HiredisOptions options;
  options.port = (*server)->port();
  redis::HiredisClient redis(options);
  FakeClock clock;
  RedisScoreCache cache(&redis, {}, &clock);
  auto score = std::make_shared<v1::RelationshipScore>();
  score->set_score(71);
  const absl::Time now = clock.Now();
  SetTimestamp(now, score->mutable_compute_time());
  cache.Put("t", "a", {3, 0}, score);

  EXPECT_EQ(cache.Get("t", "a", {4, 0}, now), nullptr);  // newer revision
  EXPECT_EQ(cache.Get("t", "a", {3, 1}, now), nullptr);  // new policy
  EXPECT_EQ(cache.Get("u", "a", {3, 0}, now), nullptr);  // other tenant
  EXPECT_EQ(cache.Get("t", "a", {3, 0}, now + absl::Hours(1)), nullptr);
  ASSERT_NE(cache.Get("t", "a", {3, 0}, now), nullptr);
  EXPECT_EQ(cache.stats().near_hits, 1);

  cache.ClearNearCacheForTest();  // as another replica would see it
  auto from_redis = cache.Get("t", "a", {3, 0}, now);
  ASSERT_NE(from_redis, nullptr);
  EXPECT_EQ(from_redis->score(), 71);
  EXPECT_EQ(cache.stats().redis_hits, 1);

  cache.Invalidate("t", {"a"});
  cache.ClearNearCacheForTest();
  EXPECT_EQ(cache.Get("t", "a", {3, 0}, now), nullptr);

  // Redis gone: the cache misses, it does not fail.
  ASSERT_TRUE((*server)->Stop().ok());
  cache.Put("t", "b", {1, 0}, score);
  cache.ClearNearCacheForTest();
  EXPECT_EQ(cache.Get("t", "b", {1, 0}, now), nullptr);
}

// The cache's own time comes from its Clock: a test moves it instead of
// sleeping, and a slow machine cannot make it expire early.
class RedisScoreCacheClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis::HiredisOptions options;
    options.port = server_->port();
    redis_ = std::make_unique<redis::HiredisClient>(options);
    cache_ = std::make_unique<RedisScoreCache>(redis_.get(), options_, &clock_);
  }

  std::shared_ptr<v1::RelationshipScore> ComputedNow() {
    auto score = std::make_shared<v1::RelationshipScore>();
    score->set_score(64);
    SetTimestamp(clock_.Now(), score->mutable_compute_time());
    return score;
  }
  bool InRedis(const std::string& account) {
    const std::string args[] = {"EXISTS",
                                RedisScoreCache::KeyFor("t", account)};
    auto reply = redis_->Command(args);
    return reply.ok() && reply->integer == 1;
  }
  std::shared_ptr<const v1::RelationshipScore> Get(const std::string& account) {
    return cache_->Get("t", account, {1, 0}, clock_.Now(), cache_->Ticket());
  }

  FakeClock clock_;
  RedisScoreCacheOptions options_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<redis::HiredisClient> redis_;
  std::unique_ptr<RedisScoreCache> cache_;
};

TEST_F(RedisScoreCacheClockTest, ANearHitRechecksRedisOnceASecondHasPassed) {
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  ASSERT_TRUE(InRedis("a"));
  const std::string flush[] = {"FLUSHALL"};
  ASSERT_TRUE(redis_->Command(flush).ok());
  // Within the second, a near hit answers without asking Redis.
  EXPECT_NE(Get("a"), nullptr);
  EXPECT_FALSE(InRedis("a"));
  // A second later by the clock, the hit finds Redis empty and refills it.
  clock_.Advance(absl::Seconds(1));
  EXPECT_NE(Get("a"), nullptr);
  EXPECT_TRUE(InRedis("a"));
  // Served while younger than the TTL, by the same clock.
  clock_.Advance(options_.ttl - absl::Seconds(2));
  EXPECT_NE(Get("a"), nullptr);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Get("a"), nullptr);
}

TEST_F(RedisScoreCacheClockTest, AVouchedEntryIsRecheckedEverySecond) {
  cache_->OnSubscribed();  // as the invalidation subscriber would say
  cache_->Put("t", "a", {1, 0}, ComputedNow(), cache_->Ticket());
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
  EXPECT_NE(Get("a"), nullptr);  // checked again: vouched for again
  EXPECT_NE(cache_->GetTrusted("t", "a", clock_.Now()), nullptr);
}

TEST_F(RedisScoreCacheClockTest, AForgottenAccountStaysForgottenForTheTtl) {
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  cache_->Forget("t", "a");
  // A score computed before the erasure and stored late is not kept.
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_EQ(Get("a"), nullptr);
  clock_.Advance(options_.ttl + options_.jitter - absl::Milliseconds(1));
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_EQ(Get("a"), nullptr);
  // Past TTL + jitter (when every copy elsewhere has expired) it caches
  // again.
  clock_.Advance(absl::Milliseconds(1));
  cache_->Put("t", "a", {1, 0}, ComputedNow());
  EXPECT_NE(Get("a"), nullptr);
}

// Replicas of the cache over one real redis-server, each hearing
// invalidations through its own subscription, as the service runs them.
class TrustedScoreCacheTest : public ::testing::Test {
 protected:
  struct Replica {
    Replica(const RedisServerForTest& server, Clock* clock)
        : redis(ClientOptions(server)), cache(&redis, {}, clock) {
      redis::ChannelSubscriberOptions options;
      options.port = server.port();
      options.channel = RedisScoreCache::kInvalidationChannel;
      options.ping_interval = absl::Milliseconds(100);
      options.max_silence = absl::Milliseconds(500);
      subscriber = std::make_unique<redis::ChannelSubscriber>(options, &cache);
      subscriber->Start();
    }
    ~Replica() { subscriber->Stop(); }
    bool Live() { return cache.Ticket().epoch >= 0; }

    redis::HiredisClient redis;
    RedisScoreCache cache;
    std::unique_ptr<redis::ChannelSubscriber> subscriber;
  };

  static redis::HiredisOptions ClientOptions(const RedisServerForTest& s) {
    redis::HiredisOptions options;
    options.port = s.port();
    return options;
  }

  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    a_ = std::make_unique<Replica>(*server_, &clock_);
    b_ = std::make_unique<Replica>(*server_, &clock_);
    ASSERT_TRUE(WaitFor([&] { return a_->Live() && b_->Live(); }));
    score_ = std::make_shared<v1::RelationshipScore>();
    score_->set_score(71);
    SetTimestamp(clock_.Now(), score_->mutable_compute_time());
  }

  // Puts the score on `replica` as a reader that checked version {3, 0}
  // after taking `ticket`.
  void Put(Replica& replica, const std::string& tenant,
           const std::string& account, const CacheTicket& ticket) {
    replica.cache.Put(tenant, account, {3, 0}, score_, ticket);
  }
  bool Trusted(Replica& replica, const std::string& tenant,
               const std::string& account) {
    return replica.cache.GetTrusted(tenant, account, clock_.Now()) != nullptr;
  }

  // Both replicas' time: it moves only when a test moves it.
  FakeClock clock_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<Replica> a_, b_;
  std::shared_ptr<v1::RelationshipScore> score_;
};

TEST_F(TrustedScoreCacheTest, VouchesUntilAnotherReplicaInvalidates) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
  EXPECT_FALSE(Trusted(*b_, "u", "a"));  // tenant-scoped
  Put(*b_, "t", "x", {});                // no ticket: checked every read
  EXPECT_FALSE(Trusted(*b_, "t", "x"));

  a_->cache.Invalidate("t", {"a"});  // a write on replica A committed
  EXPECT_TRUE(WaitFor([&] { return !Trusted(*b_, "t", "a"); }));
}

TEST_F(TrustedScoreCacheTest, AReaderThatReadBeforeACommitIsNotVouchedFor) {
  // B reads the versions (ticket first), A commits a write and invalidates,
  // then B stores what it computed from the old versions.
  const CacheTicket before_write = b_->cache.Ticket();
  a_->cache.Invalidate("t", {"a"});
  EXPECT_TRUE(WaitFor([&] { return b_->cache.stats().invalidations > 0; }));
  Put(*b_, "t", "a", before_write);
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  // Still served when the versions match (the database says so), and
  // vouched for once a later reader checked them.
  EXPECT_NE(b_->cache.Get("t", "a", {3, 0}, clock_.Now(), b_->cache.Ticket()),
            nullptr);
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
}

TEST_F(TrustedScoreCacheTest, APolicyChangeInvalidatesTheWholeTenant) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  Put(*b_, "u", "a", b_->cache.Ticket());
  a_->cache.InvalidateTenant("t");
  EXPECT_TRUE(WaitFor([&] { return !Trusted(*b_, "t", "a"); }));
  EXPECT_TRUE(Trusted(*b_, "u", "a"));
}

TEST_F(TrustedScoreCacheTest,
       NothingIsVouchedForWhileInvalidationsCannotArrive) {
  Put(*b_, "t", "a", b_->cache.Ticket());
  ASSERT_TRUE(server_->Kill().ok());
  EXPECT_TRUE(WaitFor([&] { return !b_->Live(); }));
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  // A ticket taken while deaf vouches for nothing, even after Redis returns.
  const CacheTicket deaf = b_->cache.Ticket();
  ASSERT_TRUE(server_->Start().ok());
  ASSERT_TRUE(WaitFor([&] { return b_->Live(); }));
  Put(*b_, "t", "b", deaf);
  EXPECT_FALSE(Trusted(*b_, "t", "b"));
  // The entry held from before is re-checked, then vouched for again.
  EXPECT_FALSE(Trusted(*b_, "t", "a"));
  EXPECT_NE(b_->cache.Get("t", "a", {3, 0}, clock_.Now(), b_->cache.Ticket()),
            nullptr);
  EXPECT_TRUE(Trusted(*b_, "t", "a"));
}

}  // namespace
}  // namespace clientele::engagement

// The engagement backend reading through the Redis score cache, with its
// invalidation subscriber, on a real redis-server.
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/hiredis_client.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/wait_for.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend_fixture_for_test.h"
#include "services/engagement/redis_score_cache.h"

namespace clientele::engagement {
namespace {

using ::clientele::testing::RedisServerForTest;
using ::clientele::testing::WaitFor;

// The backend over a real Redis: warm reads come from memory, and every
// acknowledged write is visible to the next read all the same.
class EngagementBackendRedisTest : public EngagementBackendTest {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis::HiredisOptions options;
    options.port = server_->port();
    redis_ = std::make_unique<redis::HiredisClient>(options);
    cache_ = std::make_unique<RedisScoreCache>(
        redis_.get(), RedisScoreCacheOptions{}, &clock_);
    redis::ChannelSubscriberOptions subscriber_options;
    subscriber_options.port = server_->port();
    subscriber_options.channel = RedisScoreCache::kInvalidationChannel;
    subscriber_ = std::make_unique<redis::ChannelSubscriber>(subscriber_options,
                                                             cache_.get());
    subscriber_->Start();
    ASSERT_TRUE(WaitFor([&] { return cache_->Ticket().epoch >= 0; }));
    EngagementBackendTest::SetUp();
  }
  void TearDown() override { subscriber_->Stop(); }
  ScoreCache* cache() override { return cache_.get(); }

  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<redis::HiredisClient> redis_;
  std::unique_ptr<RedisScoreCache> cache_;
  std::unique_ptr<redis::ChannelSubscriber> subscriber_;
};

TEST_F(EngagementBackendRedisTest, WarmReadsComeFromMemoryAndSeeEveryWrite) {
  ASSERT_TRUE(CreateAccount("a").ok());
  ASSERT_TRUE(
      Record({Interaction("a", v1::INTERACTION_KIND_CALL, absl::Hours(30))})
          .ok());
  ASSERT_EQ(Score("a")->interaction_count(), 1);  // computed
  ASSERT_EQ(Score("a")->interaction_count(), 1);  // checked, now vouched for
  const int64_t trusted_before = cache_->stats().trusted_hits;
  auto from_memory = backend_->scores().GetFromMemory(
      caller(), "accounts/a/relationshipScore", nullptr,
      v1::RELATIONSHIP_SCORE_VIEW_BASIC);
  ASSERT_TRUE(from_memory.has_value());
  EXPECT_EQ(from_memory->interaction_count(), 1);
  EXPECT_TRUE(from_memory->top_reasons().empty());  // the BASIC view
  EXPECT_EQ(cache_->stats().trusted_hits, trusted_before + 1);
  // Not for another tenant, a time in the past, or a name Get refuses.
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller("other"),
                                  "accounts/a/relationshipScore", nullptr,
                                  v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  google::protobuf::Timestamp past;
  SetTimestamp(clock_.Now() - absl::Hours(1), &past);
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  &past, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a", nullptr,
                                  v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());

  // A write, then the very next read: it reflects the write.
  ASSERT_TRUE(
      Record({Interaction("a", v1::INTERACTION_KIND_MEETING, absl::Hours(2))})
          .ok());
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());
  EXPECT_EQ(Score("a")->interaction_count(), 2);

  // Contacts' events too: the account's tier changed.
  ASSERT_EQ(Score("a")->interaction_count(), 2);
  ASSERT_TRUE(backend_->scores()
                  .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                 nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                  .has_value());
  ASSERT_TRUE(CreateAccount("a", "manager-7").ok());  // an update
  EXPECT_FALSE(backend_->scores()
                   .GetFromMemory(caller(), "accounts/a/relationshipScore",
                                  nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL)
                   .has_value());

  // And a policy update: the score carries the new policy revision.
  ASSERT_TRUE(Score("a").ok());
  const int64_t policy_revision = Score("a")->policy_revision();
  auto policy = backend_->policies().Get(caller(), "scoringPolicy");
  ASSERT_TRUE(policy.ok()) << policy.status();
  v1::ScoringPolicy patch = *policy;
  patch.mutable_windows()->mutable_activity_window()->set_seconds(
      policy->windows().activity_window().seconds() + 86400);
  google::protobuf::FieldMask mask;
  mask.add_paths("windows.activity_window");
  ASSERT_TRUE(backend_->policies().Update(caller(), patch, mask).ok());
  EXPECT_EQ(Score("a")->policy_revision(), policy_revision + 1);
}

}  // namespace
}  // namespace clientele::engagement

// ScoreCache in two levels: a near cache in the process (a bounded map, no
// network) in front of Redis (shared by every replica; survives restarts).
//
// Redis holds one hash per account,
//   clientele:engagement:<tenant>:score:<account>  r=<revision>
//   p=<policy revision>  s=<serialized RelationshipScore>
// with a TTL of `ttl` plus up to `jitter` (random), so that entries written
// together do not all expire together.
//
// Invalidations are published on kInvalidationChannel (every replica's
// Invalidate/Forget/InvalidateTenant) and heard through a
// redis::ChannelSubscriber whose listener is this cache. While that
// subscription is live, entries checked against the database are vouched
// for (GetTrusted) until an invalidation of their account arrives; when it is
// lost (Redis down, restarted, silent) nothing is vouched for again until
// the subscription is back and each entry has been re-checked.
//
// Time is the injected Clock's: when a near entry re-checks Redis, how long a
// forgotten account stays forgotten. Entry freshness is judged against the
// `now` each caller passes. (Redis's own expiry, PX, runs on Redis's clock.)
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/redis_client.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

struct RedisScoreCacheOptions {
  // Entries are served while younger than this (scores move as time
  // passes: silence grows) and expire from Redis after it plus jitter.
  absl::Duration ttl = absl::Minutes(10);
  absl::Duration jitter = absl::Minutes(1);
  // Near-cache capacity; when full it is emptied and refills from Redis.
  int near_capacity = 100000;
};

class RedisScoreCache : public ScoreCache, public redis::SubscriptionListener {
 public:
  // Where every replica publishes and hears invalidations.
  static constexpr char kInvalidationChannel[] =
      "clientele:engagement:invalidations";

  // `redis` and `clock` are not owned and must outlive the cache.
  RedisScoreCache(redis::RedisClient* redis, RedisScoreCacheOptions options,
                  Clock* clock);

  std::shared_ptr<const v1::RelationshipScore> GetTrusted(
      absl::string_view tenant, absl::string_view account_id,
      absl::Time now) override;
  CacheTicket Ticket() override;
  using ScoreCache::Get;
  using ScoreCache::Put;
  std::shared_ptr<const v1::RelationshipScore> Get(
      absl::string_view tenant, absl::string_view account_id,
      const ScoreVersion& version, absl::Time now,
      const CacheTicket& ticket) override;
  void Put(absl::string_view tenant, absl::string_view account_id,
           const ScoreVersion& version,
           std::shared_ptr<const v1::RelationshipScore> score,
           const CacheTicket& ticket) override;
  void Invalidate(absl::string_view tenant,
                  absl::Span<const std::string> account_ids) override;
  void InvalidateTenant(absl::string_view tenant) override;
  void Forget(absl::string_view tenant, absl::string_view account_id) override;

  // redis::SubscriptionListener, for the subscriber of kInvalidationChannel.
  void OnSubscribed() override;
  void OnMessage(absl::string_view payload) override;
  void OnLost() override;

  // The Redis key of an account's score.
  static std::string KeyFor(absl::string_view tenant,
                            absl::string_view account_id);

  // Counters for tests and logs.
  struct Stats {
    int64_t trusted_hits = 0;  // GetTrusted answers
    int64_t near_hits = 0;
    int64_t redis_hits = 0;
    int64_t misses = 0;
    int64_t invalidations = 0;  // messages heard from the channel
  };
  Stats stats() const;
  void ClearNearCacheForTest();

 private:
  struct Entry {
    ScoreVersion version;
    absl::Time compute_time;
    std::shared_ptr<const v1::RelationshipScore> score;
    // When Redis was last seen holding this entry (clock_ time): a near hit
    // re-checks after a second, so a flushed Redis refills while reads are
    // served from here.
    absl::Time redis_seen;
    // The subscription epoch in which the entry was vouched for, or -1.
    int64_t trusted_epoch = -1;
  };
  // Stores `entry`, vouched for when `ticket` still allows it.
  void PutNear(const std::string& key, absl::string_view tenant, Entry entry,
               const CacheTicket& ticket);
  // Whether an entry of `key` checked under `ticket` may be vouched for.
  bool Vouches(const CacheTicket& ticket, const std::string& key,
               absl::string_view tenant) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops the entry and records the invalidation (local or heard).
  void DropKey(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropTenant(absl::string_view tenant) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deletes `keys` from Redis and publishes `message`, in one round trip.
  void Announce(const std::vector<std::string>& keys, std::string message);

  redis::RedisClient* const redis_;
  const RedisScoreCacheOptions options_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> near_ ABSL_GUARDED_BY(mu_);
  // Accounts forgotten in this process, until when (Redis holds the same as
  // a tombstone key for other replicas).
  absl::flat_hash_map<std::string, absl::Time> forgotten_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);
  // Invalidation history: every invalidation takes the next sequence number;
  // tickets hold the last one taken. Bounded: when the per-key map grows
  // too large it is emptied and `floor_seq_` rises to the current number,
  // so older tickets vouch for nothing.
  int64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t floor_seq_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int64_t> key_seq_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int64_t> tenant_seq_ ABSL_GUARDED_BY(mu_);
  // The subscription: live or not, and an epoch that changes whenever it
  // comes or goes.
  bool live_ ABSL_GUARDED_BY(mu_) = false;
  int64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  absl::BitGen bit_gen_ ABSL_GUARDED_BY(mu_);  // TTL jitter
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_

// ScoreCache in two levels: a near cache in the process (a bounded map, no
// network) in front of Redis (shared by every replica; survives restarts).
//
// Redis holds one hash per account,
//   clientele:engagement:<tenant>:score:<account>  r=<revision>
//   p=<policy revision>  s=<serialized RelationshipScore>
// with a TTL of `ttl` plus up to `jitter` (random), so that entries written
// together do not all expire together.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
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

class RedisScoreCache : public ScoreCache {
 public:
  // `redis` is not owned and must outlive the cache.
  RedisScoreCache(redis::RedisClient* redis, RedisScoreCacheOptions options);

  std::shared_ptr<const v1::RelationshipScore> Get(absl::string_view tenant,
                                                   absl::string_view account_id,
                                                   const ScoreVersion& version,
                                                   absl::Time now) override;
  void Put(absl::string_view tenant, absl::string_view account_id,
           const ScoreVersion& version,
           std::shared_ptr<const v1::RelationshipScore> score) override;
  void Invalidate(absl::string_view tenant,
                  absl::string_view account_id) override;
  void Forget(absl::string_view tenant, absl::string_view account_id) override;

  // The Redis key of an account's score.
  static std::string KeyFor(absl::string_view tenant,
                            absl::string_view account_id);

  // Counters for tests and logs.
  struct Stats {
    int64_t near_hits = 0;
    int64_t redis_hits = 0;
    int64_t misses = 0;
  };
  Stats stats() const;
  void ClearNearCacheForTest();

 private:
  struct Entry {
    ScoreVersion version;
    absl::Time compute_time;
    std::shared_ptr<const v1::RelationshipScore> score;
    // When Redis was last seen holding this entry: a near hit re-checks
    // after a second, so a flushed Redis refills while reads are served
    // from here.
    absl::Time redis_seen;
  };
  void PutNear(const std::string& key, Entry entry);

  redis::RedisClient* const redis_;
  const RedisScoreCacheOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> near_ ABSL_GUARDED_BY(mu_);
  // Accounts forgotten in this process, until when (Redis holds the same as
  // a tombstone key for other replicas).
  absl::flat_hash_map<std::string, absl::Time> forgotten_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);
  absl::BitGen bit_gen_ ABSL_GUARDED_BY(mu_);  // TTL jitter
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_REDIS_SCORE_CACHE_H_

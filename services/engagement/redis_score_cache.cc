#include "services/engagement/redis_score_cache.h"

#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"

namespace clientele::engagement {
namespace {

// Writes the three fields and the TTL in one round trip, atomically, unless
// the account was forgotten (KEYS[2], the tombstone, exists).
constexpr char kPutScript[] =
    "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end "
    "redis.call('HSET', KEYS[1], 'r', ARGV[1], 'p', ARGV[2], 's', ARGV[3]) "
    "redis.call('PEXPIRE', KEYS[1], ARGV[4]) return 1";

// How often a near-cache hit checks that Redis still holds the entry.
constexpr absl::Duration kRedisRecheck = absl::Seconds(1);

}  // namespace

RedisScoreCache::RedisScoreCache(redis::RedisClient* redis,
                                 RedisScoreCacheOptions options)
    : redis_(redis), options_(options) {}

std::string RedisScoreCache::KeyFor(absl::string_view tenant,
                                    absl::string_view account_id) {
  return absl::StrCat("clientele:engagement:", tenant, ":score:", account_id);
}

std::shared_ptr<const v1::RelationshipScore> RedisScoreCache::Get(
    absl::string_view tenant, absl::string_view account_id,
    const ScoreVersion& version, absl::Time now) {
  const std::string key = KeyFor(tenant, account_id);
  auto fresh = [&](absl::Time compute_time) {
    return now - compute_time < options_.ttl;
  };
  std::shared_ptr<const v1::RelationshipScore> near_hit;
  bool recheck = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = near_.find(key);
    if (it != near_.end() && it->second.version.revision == version.revision &&
        it->second.version.policy_revision == version.policy_revision &&
        fresh(it->second.compute_time)) {
      ++stats_.near_hits;
      near_hit = it->second.score;
      recheck = now - it->second.redis_seen >= kRedisRecheck;
      if (recheck) it->second.redis_seen = now;
    }
  }
  if (near_hit != nullptr) {
    if (recheck) {
      const std::string exists[] = {"EXISTS", key};
      absl::StatusOr<redis::Reply> reply = redis_->Command(exists);
      if (reply.ok() && reply->type == redis::Reply::Type::kInteger &&
          reply->integer == 0) {
        Put(tenant, account_id, version, near_hit);  // Redis was flushed
      }
    }
    return near_hit;
  }
  const std::string args[] = {"HMGET", key, "r", "p", "s"};
  absl::StatusOr<redis::Reply> reply = redis_->Command(args);
  auto miss = [&] {
    absl::MutexLock lock(&mu_);
    ++stats_.misses;
    return nullptr;
  };
  if (!reply.ok() || reply->type != redis::Reply::Type::kArray ||
      reply->elements.size() != 3 || reply->elements[2].is_nil()) {
    return miss();
  }
  Entry entry;
  auto score = std::make_shared<v1::RelationshipScore>();
  if (!absl::SimpleAtoi(reply->elements[0].str, &entry.version.revision) ||
      !absl::SimpleAtoi(reply->elements[1].str,
                        &entry.version.policy_revision) ||
      !score->ParseFromString(reply->elements[2].str)) {
    return miss();
  }
  entry.compute_time = ToTime(score->compute_time());
  entry.redis_seen = now;
  if (entry.version.revision != version.revision ||
      entry.version.policy_revision != version.policy_revision ||
      !fresh(entry.compute_time)) {
    return miss();
  }
  entry.score = std::move(score);
  auto result = entry.score;
  PutNear(key, std::move(entry));
  absl::MutexLock lock(&mu_);
  ++stats_.redis_hits;
  return result;
}

void RedisScoreCache::Put(absl::string_view tenant,
                          absl::string_view account_id,
                          const ScoreVersion& version,
                          std::shared_ptr<const v1::RelationshipScore> score) {
  const std::string key = KeyFor(tenant, account_id);
  absl::Duration jitter;
  {
    absl::MutexLock lock(&mu_);
    auto it = forgotten_.find(key);
    if (it != forgotten_.end()) {
      if (absl::Now() < it->second) return;
      forgotten_.erase(it);
    }
    jitter = absl::Milliseconds(absl::Uniform<int64_t>(
        bit_gen_, 0, absl::ToInt64Milliseconds(options_.jitter) + 1));
  }
  const std::string args[] = {
      "EVAL",
      kPutScript,
      "2",
      key,
      absl::StrCat(key, ":gone"),
      absl::StrCat(version.revision),
      absl::StrCat(version.policy_revision),
      score->SerializeAsString(),
      absl::StrCat(absl::ToInt64Milliseconds(options_.ttl + jitter))};
  (void)redis_->Command(args);  // best effort: a miss recomputes
  const absl::Time compute_time = ToTime(score->compute_time());
  PutNear(key, Entry{version, compute_time, std::move(score), absl::Now()});
}

void RedisScoreCache::PutNear(const std::string& key, Entry entry) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(near_.size()) >= options_.near_capacity &&
      !near_.contains(key)) {
    near_.clear();
  }
  near_[key] = std::move(entry);
}

void RedisScoreCache::Invalidate(absl::string_view tenant,
                                 absl::string_view account_id) {
  const std::string key = KeyFor(tenant, account_id);
  {
    absl::MutexLock lock(&mu_);
    near_.erase(key);
  }
  const std::string args[] = {"DEL", key};
  (void)redis_->Command(args);
}

void RedisScoreCache::Forget(absl::string_view tenant,
                             absl::string_view account_id) {
  const std::string key = KeyFor(tenant, account_id);
  const absl::Duration hold = options_.ttl + options_.jitter;
  {
    absl::MutexLock lock(&mu_);
    near_.erase(key);
    forgotten_[key] = absl::Now() + hold;
  }
  const std::string tombstone[] = {
      "SET", absl::StrCat(key, ":gone"), "1", "PX",
      absl::StrCat(absl::ToInt64Milliseconds(hold))};
  (void)redis_->Command(tombstone);
  const std::string del[] = {"DEL", key};
  (void)redis_->Command(del);
}

RedisScoreCache::Stats RedisScoreCache::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void RedisScoreCache::ClearNearCacheForTest() {
  absl::MutexLock lock(&mu_);
  near_.clear();
}

}  // namespace clientele::engagement

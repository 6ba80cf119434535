#include "services/engagement/redis_score_cache.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/proto_time.h"

namespace clientele::engagement {
namespace {

// Writes the three fields and the TTL in one round trip, atomically, unless
// the account was forgotten (KEYS[2], the tombstone, exists).
constexpr char kPutScript[] =
    "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end "
    "redis.call('HSET', KEYS[1], 'r', ARGV[1], 'p', ARGV[2], 's', ARGV[3]) "
    "redis.call('PEXPIRE', KEYS[1], ARGV[4]) return 1";

// Deletes the keys and publishes ARGV[2] on ARGV[1]: one round trip.
constexpr char kAnnounceScript[] =
    "for _, key in ipairs(KEYS) do redis.call('DEL', key) end "
    "return redis.call('PUBLISH', ARGV[1], ARGV[2])";

// How often a near-cache hit checks that Redis still holds the entry.
constexpr absl::Duration kRedisRecheck = absl::Seconds(1);

// Invalidation messages: lines of "k <score key>" (one account) or
// "t <tenant>" (every account of the tenant).
constexpr absl::string_view kKeyLine = "k ";
constexpr absl::string_view kTenantLine = "t ";

// Bound on the per-key invalidation history (see floor_seq_).
constexpr size_t kMaxKeySeqs = 200000;

}  // namespace

RedisScoreCache::RedisScoreCache(redis::RedisClient* redis,
                                 RedisScoreCacheOptions options, Clock* clock)
    : redis_(redis), options_(options), clock_(clock) {}

std::string RedisScoreCache::KeyFor(absl::string_view tenant,
                                    absl::string_view account_id) {
  return absl::StrCat("clientele:engagement:", tenant, ":score:", account_id);
}

std::shared_ptr<const v1::RelationshipScore> RedisScoreCache::GetTrusted(
    absl::string_view tenant, absl::string_view account_id, absl::Time now) {
  const std::string key = KeyFor(tenant, account_id);
  absl::MutexLock lock(&mu_);
  if (!live_) return nullptr;
  auto it = near_.find(key);
  if (it == near_.end() || it->second.trusted_epoch != epoch_ ||
      now - it->second.compute_time >= options_.ttl ||
      clock_->Now() - it->second.redis_seen >= kRedisRecheck) {
    return nullptr;  // the caller's Get checks versions (and Redis)
  }
  ++stats_.trusted_hits;
  return it->second.score;
}

CacheTicket RedisScoreCache::Ticket() {
  absl::MutexLock lock(&mu_);
  return CacheTicket{seq_, live_ ? epoch_ : -1};
}

bool RedisScoreCache::Vouches(const CacheTicket& ticket, const std::string& key,
                              absl::string_view tenant) const {
  if (!live_ || ticket.epoch != epoch_ || ticket.seq < floor_seq_) {
    return false;
  }
  auto k = key_seq_.find(key);
  if (k != key_seq_.end() && k->second > ticket.seq) return false;
  auto t = tenant_seq_.find(tenant);
  return t == tenant_seq_.end() || t->second <= ticket.seq;
}

void RedisScoreCache::DropKey(const std::string& key) {
  near_.erase(key);
  if (key_seq_.size() >= kMaxKeySeqs) {
    key_seq_.clear();
    floor_seq_ = seq_ + 1;
  }
  key_seq_[key] = ++seq_;
}

void RedisScoreCache::DropTenant(absl::string_view tenant) {
  const std::string prefix = KeyFor(tenant, "");
  absl::erase_if(near_, [&](const auto& entry) {
    return absl::StartsWith(entry.first, prefix);
  });
  tenant_seq_[tenant] = ++seq_;
}

void RedisScoreCache::Announce(const std::vector<std::string>& keys,
                               std::string message) {
  std::vector<std::string> args = {"EVAL", kAnnounceScript,
                                   absl::StrCat(keys.size())};
  args.insert(args.end(), keys.begin(), keys.end());
  args.push_back(kInvalidationChannel);
  args.push_back(std::move(message));
  (void)redis_->Command(args);  // best effort: see OnLost
}

void RedisScoreCache::OnSubscribed() {
  absl::MutexLock lock(&mu_);
  live_ = true;
  ++epoch_;
}

void RedisScoreCache::OnLost() {
  absl::MutexLock lock(&mu_);
  live_ = false;
  ++epoch_;
}

void RedisScoreCache::OnMessage(absl::string_view payload) {
  absl::MutexLock lock(&mu_);
  ++stats_.invalidations;
  for (absl::string_view line : absl::StrSplit(payload, '\n')) {
    if (absl::ConsumePrefix(&line, kKeyLine)) {
      DropKey(std::string(line));
    } else if (absl::ConsumePrefix(&line, kTenantLine)) {
      DropTenant(line);
    }
  }
}

std::shared_ptr<const v1::RelationshipScore> RedisScoreCache::Get(
    absl::string_view tenant, absl::string_view account_id,
    const ScoreVersion& version, absl::Time now, const CacheTicket& ticket) {
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
      const absl::Time seen = clock_->Now();
      recheck = seen - it->second.redis_seen >= kRedisRecheck;
      if (recheck) it->second.redis_seen = seen;
      if (Vouches(ticket, key, tenant)) it->second.trusted_epoch = epoch_;
    }
  }
  if (near_hit != nullptr) {
    if (recheck) {
      const std::string exists[] = {"EXISTS", key};
      absl::StatusOr<redis::Reply> reply = redis_->Command(exists);
      if (reply.ok() && reply->type == redis::Reply::Type::kInteger &&
          reply->integer == 0) {
        Put(tenant, account_id, version, near_hit, ticket);  // flushed
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
  entry.redis_seen = clock_->Now();
  if (entry.version.revision != version.revision ||
      entry.version.policy_revision != version.policy_revision ||
      !fresh(entry.compute_time)) {
    return miss();
  }
  entry.score = std::move(score);
  auto result = entry.score;
  PutNear(key, tenant, std::move(entry), ticket);
  absl::MutexLock lock(&mu_);
  ++stats_.redis_hits;
  return result;
}

void RedisScoreCache::Put(absl::string_view tenant,
                          absl::string_view account_id,
                          const ScoreVersion& version,
                          std::shared_ptr<const v1::RelationshipScore> score,
                          const CacheTicket& ticket) {
  const std::string key = KeyFor(tenant, account_id);
  absl::Duration jitter;
  {
    absl::MutexLock lock(&mu_);
    auto it = forgotten_.find(key);
    if (it != forgotten_.end()) {
      if (clock_->Now() < it->second) return;
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
  PutNear(key, tenant,
          Entry{version, compute_time, std::move(score), clock_->Now()},
          ticket);
}

void RedisScoreCache::PutNear(const std::string& key, absl::string_view tenant,
                              Entry entry, const CacheTicket& ticket) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(near_.size()) >= options_.near_capacity &&
      !near_.contains(key)) {
    near_.clear();
  }
  entry.trusted_epoch = Vouches(ticket, key, tenant) ? epoch_ : -1;
  near_[key] = std::move(entry);
}

void RedisScoreCache::Invalidate(absl::string_view tenant,
                                 absl::Span<const std::string> account_ids) {
  if (account_ids.empty()) return;
  std::vector<std::string> keys;
  keys.reserve(account_ids.size());
  std::string message;
  for (const std::string& account_id : account_ids) {
    keys.push_back(KeyFor(tenant, account_id));
    absl::StrAppend(&message, message.empty() ? "" : "\n", kKeyLine,
                    keys.back());
  }
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& key : keys) DropKey(key);
  }
  Announce(keys, std::move(message));
}

void RedisScoreCache::InvalidateTenant(absl::string_view tenant) {
  {
    absl::MutexLock lock(&mu_);
    DropTenant(tenant);
  }
  // The Redis entries carry the policy revision: they miss by themselves.
  Announce({}, absl::StrCat(kTenantLine, tenant));
}

void RedisScoreCache::Forget(absl::string_view tenant,
                             absl::string_view account_id) {
  const std::string key = KeyFor(tenant, account_id);
  const absl::Duration hold = options_.ttl + options_.jitter;
  {
    absl::MutexLock lock(&mu_);
    DropKey(key);
    forgotten_[key] = clock_->Now() + hold;
  }
  const std::string tombstone[] = {
      "SET", absl::StrCat(key, ":gone"), "1", "PX",
      absl::StrCat(absl::ToInt64Milliseconds(hold))};
  (void)redis_->Command(tombstone);
  Announce({key}, absl::StrCat(kKeyLine, key));
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

// The cache of computed relationship scores. Entries carry the account
// revision and policy revision they were computed at; a reader passes the
// current ones (one indexed database read) and gets only an entry that
// matches, so a stale entry is never served, whichever replica wrote it and
// whether or not an invalidation reached Redis.
//
// The warm path skips even that read: GetTrusted answers from memory for an
// entry the cache can vouch for, which it can only while it hears every
// invalidation (RedisScoreCache: a live Redis pub/sub subscription) and none
// has touched the account since the entry was checked against the database.
// So every write that changes what a score reads must call Invalidate (or
// Forget, InvalidateTenant) after it commits; tickets close the race with
// readers that read the database before that commit.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/engagement/v1/relationship_score.pb.h"

namespace clientele::engagement {

// What one cached score is keyed and checked by.
struct ScoreVersion {
  int64_t revision = 0;         // the account's projection revision
  int64_t policy_revision = 0;  // the tenant's policy revision
};

// A point in a cache's invalidation history, taken before reading versions
// from the database. An entry checked against those versions may be vouched
// for only if no invalidation of its account came after the ticket. The
// default ticket vouches for nothing.
struct CacheTicket {
  int64_t seq = -1;
  int64_t epoch = -1;
};

class ScoreCache {
 public:
  virtual ~ScoreCache() = default;

  // The score of the account, from memory, if the cache can vouch that it
  // reflects every committed write (see the file comment) and it is no
  // older than the cache's maximum age at `now`; nullptr otherwise (the
  // caller reads the versions and calls Get). Never blocks on I/O.
  virtual std::shared_ptr<const v1::RelationshipScore> GetTrusted(
      absl::string_view tenant, absl::string_view account_id, absl::Time now) {
    return nullptr;
  }

  // See CacheTicket. Take it before the versions are read.
  virtual CacheTicket Ticket() { return {}; }

  // The score of the account computed at `version` and no older than the
  // cache's maximum age at `now`; nullptr on a miss. Never fails: a cache
  // that cannot answer (Redis down) misses.
  // A hit taken under `ticket` may be vouched for from then on.
  virtual std::shared_ptr<const v1::RelationshipScore> Get(
      absl::string_view tenant, absl::string_view account_id,
      const ScoreVersion& version, absl::Time now,
      const CacheTicket& ticket) = 0;
  std::shared_ptr<const v1::RelationshipScore> Get(absl::string_view tenant,
                                                   absl::string_view account_id,
                                                   const ScoreVersion& version,
                                                   absl::Time now) {
    return Get(tenant, account_id, version, now, CacheTicket());
  }

  // Stores `score`, computed at `version` from versions read after
  // `ticket` was taken. Best effort.
  virtual void Put(absl::string_view tenant, absl::string_view account_id,
                   const ScoreVersion& version,
                   std::shared_ptr<const v1::RelationshipScore> score,
                   const CacheTicket& ticket) = 0;
  void Put(absl::string_view tenant, absl::string_view account_id,
           const ScoreVersion& version,
           std::shared_ptr<const v1::RelationshipScore> score) {
    Put(tenant, account_id, version, std::move(score), CacheTicket());
  }

  // Drops the accounts' entries everywhere it can and tells every replica
  // to stop vouching for them (one message for them all). Call after the
  // write that changed the accounts has committed. Best effort.
  virtual void Invalidate(absl::string_view tenant,
                          absl::Span<const std::string> account_ids) = 0;

  // The same for every account of the tenant (its scoring policy changed).
  virtual void InvalidateTenant(absl::string_view tenant) = 0;

  // For an account that is gone (deleted, erased, merged away): drops its
  // entry and refuses to store one for it for a TTL, so that a score
  // computed just before the account went cannot be written back.
  virtual void Forget(absl::string_view tenant,
                      absl::string_view account_id) = 0;
};

// A cache that never holds anything: for tests and benchmarks that measure
// the computation itself.
class NoScoreCache : public ScoreCache {
 public:
  using ScoreCache::Get;
  using ScoreCache::Put;
  std::shared_ptr<const v1::RelationshipScore> Get(
      absl::string_view, absl::string_view, const ScoreVersion&, absl::Time,
      const CacheTicket&) override {
    return nullptr;
  }
  void Put(absl::string_view, absl::string_view, const ScoreVersion&,
           std::shared_ptr<const v1::RelationshipScore>,
           const CacheTicket&) override {}
  void Invalidate(absl::string_view, absl::Span<const std::string>) override {}
  void InvalidateTenant(absl::string_view) override {}
  void Forget(absl::string_view, absl::string_view) override {}
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_

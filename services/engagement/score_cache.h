// The cache of computed relationship scores. Entries carry the account
// revision and policy revision they were computed at; a reader passes the
// current ones (one indexed database read) and gets only an entry that
// matches, so a stale entry is never served, whichever replica wrote it and
// whether or not an invalidation reached Redis. Invalidation frees memory
// early; correctness does not depend on it.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/relationship_score.pb.h"

namespace clientele::engagement {

// What one cached score is keyed and checked by.
struct ScoreVersion {
  int64_t revision = 0;         // the account's projection revision
  int64_t policy_revision = 0;  // the tenant's policy revision
};

class ScoreCache {
 public:
  virtual ~ScoreCache() = default;

  // The score of the account computed at `version` and no older than the
  // cache's maximum age at `now`; nullptr on a miss. Never fails: a cache
  // that cannot answer (Redis down) misses.
  virtual std::shared_ptr<const v1::RelationshipScore> Get(
      absl::string_view tenant, absl::string_view account_id,
      const ScoreVersion& version, absl::Time now) = 0;

  // Stores `score`, computed at `version`. Best effort.
  virtual void Put(absl::string_view tenant, absl::string_view account_id,
                   const ScoreVersion& version,
                   std::shared_ptr<const v1::RelationshipScore> score) = 0;

  // Drops the account's entry everywhere it can. Best effort.
  virtual void Invalidate(absl::string_view tenant,
                          absl::string_view account_id) = 0;

  // For an account that is gone (deleted, erased, merged away): drops its
  // entry and refuses to store one for it for a TTL, so that a score
  // computed just before the account went cannot be written back.
  virtual void Forget(absl::string_view tenant,
                      absl::string_view account_id) = 0;
};

// A cache that never holds anything (tests, and --score_cache=false).
class NoScoreCache : public ScoreCache {
 public:
  std::shared_ptr<const v1::RelationshipScore> Get(absl::string_view,
                                                   absl::string_view,
                                                   const ScoreVersion&,
                                                   absl::Time) override {
    return nullptr;
  }
  void Put(absl::string_view, absl::string_view, const ScoreVersion&,
           std::shared_ptr<const v1::RelationshipScore>) override {}
  void Invalidate(absl::string_view, absl::string_view) override {}
  void Forget(absl::string_view, absl::string_view) override {}
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORE_CACHE_H_

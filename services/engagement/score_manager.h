// Relationship scores: read one or a batch (cached, or computed as of a
// past time), the history of changes, next best actions; and the rescoring
// that records changes when an account's inputs moved.
//
// The read path: one indexed read gives the account's revision and the
// policy revision; the cache answers when it holds a score computed at
// exactly those; otherwise the score is computed from the aggregates (one
// computation per key at a time, however many readers wait) and cached.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORE_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORE_MANAGER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/caller.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_cache.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

inline constexpr int kMaxBatchScores = 500;

// Adds to `state` what another part of engagement knows about the account
// (its closed deals, its cadences), read inside the scoring transaction
// `txn` as of `as_of`. Whatever a loader reads must bump the account's
// projection revision (ProjectionStore::Touch) when it changes, or cached
// scores will not see the change.
using AccountStateLoader = std::function<absl::Status(
    sql::Transaction& txn, absl::string_view tenant,
    const ProjectedAccount& account, absl::Time as_of, AccountState* state)>;

class ScoreManager {
 public:
  // `cache` is not owned.
  ScoreManager(const EngagementDeps& deps, ScoreCache* cache)
      : deps_(deps), cache_(cache) {}

  // Adds a loader, run in the order added for every score computed. Call
  // before serving.
  void AddStateLoader(AccountStateLoader loader) {
    loaders_.push_back(std::move(loader));
  }

  // The score named "accounts/{a}/relationshipScore". Without `as_of`: the
  // current score (cached). With it: recomputed as of then (INVALID_ARGUMENT
  // when in the future). NOT_FOUND for an account engagement does not know.
  absl::StatusOr<v1::RelationshipScore> Get(
      const Caller& caller, absl::string_view name,
      const google::protobuf::Timestamp* as_of, v1::RelationshipScoreView view,
      absl::string_view field = "name");
  // Get's warm path, for the gRPC thread: the current score from memory
  // when the cache can vouch for it (ScoreCache::GetTrusted), without
  // touching the database or Redis; std::nullopt whenever it cannot (and for
  // as_of reads and requests Get would refuse), so the caller falls back to
  // Get.
  std::optional<v1::RelationshipScore> GetFromMemory(
      const Caller& caller, absl::string_view name,
      const google::protobuf::Timestamp* as_of, v1::RelationshipScoreView view);

  // All or nothing: the first unknown account answers NOT_FOUND.
  absl::StatusOr<std::vector<v1::RelationshipScore>> BatchGet(
      const Caller& caller,
      const v1::BatchGetRelationshipScoresRequest& request);
  absl::StatusOr<v1::ListScoreChangesResponse> ListChanges(
      const Caller& caller, const v1::ListScoreChangesRequest& request);
  absl::StatusOr<v1::ListNextBestActionsResponse> ListNextBestActions(
      const Caller& caller, const v1::ListNextBestActionsRequest& request);

  // The account's score computed now from the database (no cache) and the
  // version it was computed at. NOT_FOUND when unknown.
  struct Computed {
    std::string account_id;
    ScoreVersion version;
    std::shared_ptr<const v1::RelationshipScore> score;
  };
  absl::StatusOr<Computed> ComputeNow(absl::string_view tenant,
                                      absl::string_view account_id);

  // Rescoring of the accounts marked dirty (by recorded interactions,
  // account changes, merges): records a ScoreChange and publishes
  // RelationshipScoreChanged when score, band or mode moved, and warms the
  // cache. Returns how many accounts it handled (at most `limit`).
  absl::StatusOr<int> RescoreDirty(int limit);

 private:
  absl::StatusOr<v1::RelationshipScore> Compute(sql::Transaction& txn,
                                                absl::string_view tenant,
                                                const ProjectedAccount& account,
                                                absl::Time as_of);
  // The score the cache vouches for, in `view`; std::nullopt otherwise.
  std::optional<v1::RelationshipScore> Trusted(absl::string_view tenant,
                                               absl::string_view account_id,
                                               v1::RelationshipScoreView view,
                                               absl::Time now);
  // One computation per (tenant, account, version) at a time.
  absl::StatusOr<Computed> ComputeOnce(const std::string& tenant,
                                       const std::string& account_id,
                                       const ScoreVersion& version,
                                       const CacheTicket& ticket);

  EngagementDeps deps_;
  ScoreCache* const cache_;

  struct Flight {
    absl::Notification done;
    absl::StatusOr<Computed> result = absl::UnknownError("not computed");
  };
  absl::Mutex flights_mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_
      ABSL_GUARDED_BY(flights_mu_);
  std::vector<AccountStateLoader> loaders_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORE_MANAGER_H_

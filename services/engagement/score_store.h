// Persistence of scoring state: the tenant's policy, the last recorded
// score per account, the history of score changes, and the accounts waiting
// to be rescored. Every method runs inside the caller's transaction and is
// scoped by tenant.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORE_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "clientele/engagement/v1/score_change.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// An account waiting to be rescored.
struct DirtyAccount {
  std::string tenant;
  std::string account_id;
  int64_t mark = 0;  // changes with every MarkDirty
  std::vector<v1::ScoreChangeCause> causes;
};

class ScoreStore {
 public:
  virtual ~ScoreStore() = default;

  // The tenant's policy; nullopt when it never changed one (the defaults
  // apply, revision 0).
  virtual absl::StatusOr<std::optional<v1::ScoringPolicy>> FindPolicy(
      sql::Transaction& txn, absl::string_view tenant) = 0;
  // The policy's revision only (0 when none): the hot path.
  virtual absl::StatusOr<int64_t> PolicyRevision(sql::Transaction& txn,
                                                 absl::string_view tenant) = 0;
  virtual absl::Status PutPolicy(sql::Transaction& txn,
                                 absl::string_view tenant,
                                 const v1::ScoringPolicy& policy) = 0;

  // The last score the rescorer recorded for the account.
  virtual absl::StatusOr<std::optional<v1::RelationshipScore>> FindLastScore(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;
  virtual absl::Status PutLastScore(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view account_id,
                                    int64_t revision,
                                    const v1::RelationshipScore& score) = 0;

  // Up to `limit` last recorded scores of the tenant, by account id after
  // `after_account_id`.
  virtual absl::StatusOr<std::vector<v1::RelationshipScore>> ListLastScores(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view after_account_id, int limit) = 0;

  // Appends a change (its name "accounts/{a}/relationshipScore/changes/{id}"
  // set).
  virtual absl::Status InsertChange(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view account_id,
                                    absl::string_view change_id,
                                    const v1::ScoreChange& change) = 0;
  // Up to `limit` changes of the account with change time in [start, end),
  // newest first, strictly older than the cursor (change_us, id) if given.
  virtual absl::StatusOr<std::vector<v1::ScoreChange>> ListChanges(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::Time start, absl::Time end,
      const std::optional<std::pair<int64_t, std::string>>& before,
      int limit) = 0;

  // Records that the account needs rescoring because of `causes` (kept with
  // those gathered before, at most kMaxCauses, newest kept).
  static constexpr int kMaxCauses = 20;
  virtual absl::Status MarkDirty(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id,
      absl::Span<const v1::ScoreChangeCause> causes) = 0;
  // Up to `limit` dirty accounts, any tenant.
  virtual absl::StatusOr<std::vector<DirtyAccount>> TakeDirty(
      sql::Transaction& txn, int limit) = 0;
  // Clears the mark when it is still `mark` (a later MarkDirty keeps it).
  virtual absl::Status ClearDirty(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  absl::string_view account_id,
                                  int64_t mark) = 0;

  // Erasure: the account's last score, changes and dirty mark.
  virtual absl::Status DeleteAccount(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view account_id) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORE_STORE_H_

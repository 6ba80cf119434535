// ScoreStore on the engagement SQLite database (engagement_schema.cc).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_SCORE_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_SCORE_STORE_H_

#include "services/engagement/score_store.h"

namespace clientele::engagement {

class SqliteScoreStore : public ScoreStore {
 public:
  absl::StatusOr<std::optional<v1::ScoringPolicy>> FindPolicy(
      sql::Transaction& txn, absl::string_view tenant) override;
  absl::StatusOr<int64_t> PolicyRevision(sql::Transaction& txn,
                                         absl::string_view tenant) override;
  absl::Status PutPolicy(sql::Transaction& txn, absl::string_view tenant,
                         const v1::ScoringPolicy& policy) override;
  absl::StatusOr<std::optional<v1::RelationshipScore>> FindLastScore(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::Status PutLastScore(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view account_id, int64_t revision,
                            const v1::RelationshipScore& score) override;
  absl::StatusOr<std::vector<v1::RelationshipScore>> ListLastScores(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view after_account_id, int limit) override;
  absl::Status InsertChange(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view account_id,
                            absl::string_view change_id,
                            const v1::ScoreChange& change) override;
  absl::StatusOr<std::vector<v1::ScoreChange>> ListChanges(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::Time start, absl::Time end,
      const std::optional<std::pair<int64_t, std::string>>& before,
      int limit) override;
  absl::Status MarkDirty(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id,
      absl::Span<const v1::ScoreChangeCause> causes) override;
  absl::StatusOr<std::vector<DirtyAccount>> TakeDirty(sql::Transaction& txn,
                                                      int limit) override;
  absl::Status ClearDirty(sql::Transaction& txn, absl::string_view tenant,
                          absl::string_view account_id, int64_t mark) override;
  absl::Status DeleteAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_SCORE_STORE_H_

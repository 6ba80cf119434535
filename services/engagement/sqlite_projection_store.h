// ProjectionStore on the engagement SQLite database (engagement_schema.cc).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_PROJECTION_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_PROJECTION_STORE_H_

#include "services/engagement/projection_store.h"

namespace clientele::engagement {

class SqliteProjectionStore : public ProjectionStore {
 public:
  absl::StatusOr<std::optional<ProjectedAccount>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::StatusOr<std::optional<ProjectedAccount>> Resolve(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status PutSnapshot(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view id,
      const events::v1::AccountSnapshot& snapshot) override;
  absl::Status SetState(sql::Transaction& txn, absl::string_view tenant,
                        absl::string_view id, ProjectedState state,
                        absl::string_view merged_into) override;
  absl::Status PutTotals(sql::Transaction& txn, absl::string_view tenant,
                         absl::string_view id,
                         absl::Time first_interaction_time,
                         int64_t interaction_count,
                         absl::string_view currency) override;
  absl::Status Touch(sql::Transaction& txn, absl::string_view tenant,
                     absl::string_view id) override;
  absl::StatusOr<int64_t> TouchAllActive(sql::Transaction& txn,
                                         absl::string_view tenant) override;
  absl::StatusOr<std::vector<ProjectedAccount>> ListActive(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view after_id, int limit) override;
  absl::StatusOr<std::optional<RevisionRef>> ResolveRevision(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_PROJECTION_STORE_H_

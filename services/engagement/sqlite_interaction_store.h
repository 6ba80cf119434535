// InteractionStore on the engagement SQLite database (engagement_schema.cc).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_INTERACTION_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_INTERACTION_STORE_H_

#include "services/engagement/interaction_store.h"

namespace clientele::engagement {

class SqliteInteractionStore : public InteractionStore {
 public:
  absl::Status Insert(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::string_view currency,
      absl::Span<const v1::Interaction* const> interactions) override;
  absl::StatusOr<std::optional<v1::Interaction>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id) override;
  absl::StatusOr<std::vector<v1::Interaction>> List(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, const InteractionFilter& filter,
      const std::optional<TimelineCursor>& after, int limit) override;
  absl::StatusOr<ActivitySummary> LoadActivity(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view account_id,
                                               absl::Time since) override;
  absl::StatusOr<std::pair<absl::Time, int64_t>> Totals(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<v1::Interaction>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id, absl::string_view after_id,
      int limit) override;
  absl::Status DeleteAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id) override;
  absl::StatusOr<std::vector<std::string>> ForgetContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from, absl::string_view to,
                           absl::string_view currency) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_INTERACTION_STORE_H_

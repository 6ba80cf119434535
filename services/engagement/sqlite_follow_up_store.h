// FollowUpStore on the engagement SQL schema (engagement_schema.cc, table
// `follow_ups`): the follow-up as a serialized proto plus the columns lists
// filter and sort on.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_FOLLOW_UP_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_FOLLOW_UP_STORE_H_

#include "services/engagement/follow_up_store.h"

namespace clientele::engagement {

class SqliteFollowUpStore final : public FollowUpStore {
 public:
  absl::StatusOr<std::optional<v1::FollowUp>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::FollowUp& follow_up) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::FollowUp& follow_up) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id) override;
  absl::StatusOr<std::vector<v1::FollowUp>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const FollowUpFilter& filter, const std::optional<FollowUpCursor>& after,
      int limit) override;
  absl::StatusOr<std::vector<v1::FollowUp>> ListDue(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view assignee, int64_t due_until_us,
      const std::optional<FollowUpCursor>& after, int limit) override;
  absl::StatusOr<int64_t> CountOverdue(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view assignee,
                                       int64_t before_us) override;
  absl::StatusOr<std::vector<v1::FollowUp>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<v1::FollowUp>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view from_id,
                                      absl::string_view to_id) override;
  absl::StatusOr<int64_t> ClearContact(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view contact_id) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_FOLLOW_UP_STORE_H_

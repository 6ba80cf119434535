// CadenceStore on the engagement SQL schema (engagement_schema.cc, tables
// `cadences` and `cadence_touches`): the cadence as a serialized proto plus
// the columns lists filter and sort on.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_CADENCE_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_CADENCE_STORE_H_

#include "services/engagement/cadence_store.h"

namespace clientele::engagement {

class SqliteCadenceStore final : public CadenceStore {
 public:
  absl::StatusOr<std::optional<v1::Cadence>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::Cadence& cadence) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id,
                      const v1::Cadence& cadence) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id) override;
  absl::StatusOr<std::vector<v1::Cadence>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const CadenceFilter& filter, const std::optional<CadenceCursor>& after,
      int limit) override;
  absl::StatusOr<std::vector<std::string>> ListTenants(sql::Transaction& txn,
                                                       absl::string_view after,
                                                       int limit) override;
  absl::StatusOr<std::vector<v1::Cadence>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view from_id,
                                      absl::string_view to_id) override;
  absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::Status InsertTouch(sql::Transaction& txn, absl::string_view tenant,
                           const CadenceTouch& touch) override;
  absl::StatusOr<bool> HasTouch(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view cadence_id,
                                absl::string_view account_id,
                                absl::string_view occurrence) override;
  absl::StatusOr<absl::Time> LastTouch(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view cadence_id,
                                       absl::string_view account_id,
                                       absl::Time until) override;
  absl::StatusOr<SurveyTouches> CountSurveyTouches(sql::Transaction& txn,
                                                   absl::string_view tenant,
                                                   absl::string_view account_id,
                                                   absl::Time since,
                                                   absl::Time until) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_CADENCE_STORE_H_

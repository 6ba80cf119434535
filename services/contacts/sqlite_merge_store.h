// MergeStore on the contacts SQL schema (contacts_schema.cc).
#ifndef CLIENTELE_SERVICES_CONTACTS_SQLITE_MERGE_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_SQLITE_MERGE_STORE_H_

#include "services/contacts/merge_store.h"

namespace clientele::contacts {

class SqliteMergeStore final : public MergeStore {
 public:
  absl::StatusOr<std::optional<std::string>> FindSurvivor(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view collection, absl::string_view id) override;
  absl::Status AddAlias(sql::Transaction& txn, absl::string_view tenant,
                        absl::string_view collection,
                        absl::string_view merged_id,
                        absl::string_view survivor_id) override;
  absl::StatusOr<std::vector<std::string>> RemoveAliasesTo(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view collection, absl::string_view survivor_id) override;
  absl::Status InsertRecord(sql::Transaction& txn, absl::string_view tenant,
                            const v1::MergeRecord& record) override;
  absl::StatusOr<std::vector<ListedMergeRecord>> ListRecords(
      sql::Transaction& txn, absl::string_view tenant, int kind,
      absl::string_view resource, int64_t before_seq, int limit) override;
  absl::StatusOr<std::vector<v1::MergeRecord>> RecordsMentioning(
      sql::Transaction& txn, absl::string_view tenant,
      absl::Span<const std::string> resources) override;
  absl::Status DeleteRecords(
      sql::Transaction& txn, absl::string_view tenant,
      absl::Span<const std::string> record_names) override;
  absl::Status LogErasure(sql::Transaction& txn, absl::string_view tenant,
                          absl::string_view erasure_id,
                          absl::string_view subject, absl::string_view reason,
                          absl::Time erase_time) override;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_SQLITE_MERGE_STORE_H_

// Persistence of what merges and erasures leave behind: aliases (a merged-away
// id resolving to its survivor), merge audit records, and the erasure log.
// Every method runs in the caller's transaction and is scoped by tenant.
#ifndef CLIENTELE_SERVICES_CONTACTS_MERGE_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_MERGE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/contacts/v1/merge_record.pb.h"
#include "common/sql/database.h"

namespace clientele::contacts {

struct ListedMergeRecord {
  int64_t seq = 0;
  v1::MergeRecord record;
};

class MergeStore {
 public:
  virtual ~MergeStore() = default;

  // The survivor id that merged-away `id` of `collection` ("accounts",
  // "contacts") resolves to; nullopt when `id` was never merged away.
  virtual absl::StatusOr<std::optional<std::string>> FindSurvivor(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view collection, absl::string_view id) = 0;

  // Makes `merged_id` (and every id already resolving to it) resolve to
  // `survivor_id`.
  virtual absl::Status AddAlias(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view collection,
                                absl::string_view merged_id,
                                absl::string_view survivor_id) = 0;

  // Forgets every alias resolving to `survivor_id` (it was deleted or
  // erased); returns the merged-away ids that resolved to it.
  virtual absl::StatusOr<std::vector<std::string>> RemoveAliasesTo(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view collection, absl::string_view survivor_id) = 0;

  // Stores `record` (its name set). It is found by every resource name it
  // mentions: survivor, merged and moved contacts.
  virtual absl::Status InsertRecord(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    const v1::MergeRecord& record) = 0;

  // Up to `limit` records, newest first, before position `before_seq`
  // (0: from the newest), of `kind` (0: any) mentioning `resource` (empty:
  // any).
  virtual absl::StatusOr<std::vector<ListedMergeRecord>> ListRecords(
      sql::Transaction& txn, absl::string_view tenant, int kind,
      absl::string_view resource, int64_t before_seq, int limit) = 0;

  // Every record mentioning one of `resources`, newest first, each once.
  virtual absl::StatusOr<std::vector<v1::MergeRecord>> RecordsMentioning(
      sql::Transaction& txn, absl::string_view tenant,
      absl::Span<const std::string> resources) = 0;

  // Deletes the records named `record_names` ("mergeRecords/{id}").
  virtual absl::Status DeleteRecords(
      sql::Transaction& txn, absl::string_view tenant,
      absl::Span<const std::string> record_names) = 0;

  // Logs an erasure: its id, subject name, reason and time, no personal data.
  virtual absl::Status LogErasure(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  absl::string_view erasure_id,
                                  absl::string_view subject,
                                  absl::string_view reason,
                                  absl::Time erase_time) = 0;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_MERGE_STORE_H_

#include "services/contacts/sqlite_merge_store.h"

#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::contacts {
namespace {

using sql::Value;

absl::StatusOr<v1::MergeRecord> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::MergeRecord>(bytes, "merge record");
}

}  // namespace

absl::StatusOr<std::optional<std::string>> SqliteMergeStore::FindSurvivor(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view collection, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(collection),
                          std::string(id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT survivor_id FROM aliases WHERE tenant = "
                             "? AND collection = ? AND merged_id = ?",
                             params));
  if (rows.empty()) return std::nullopt;
  return rows[0].String(0);
}

absl::Status SqliteMergeStore::AddAlias(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view collection,
                                        absl::string_view merged_id,
                                        absl::string_view survivor_id) {
  const Value repoint[] = {std::string(survivor_id), std::string(tenant),
                           std::string(collection), std::string(merged_id)};
  RETURN_IF_ERROR(txn.Exec("UPDATE aliases SET survivor_id = ? WHERE tenant "
                           "= ? AND collection = ? AND survivor_id = ?",
                           repoint)
                      .status());
  const Value params[] = {std::string(tenant), std::string(collection),
                          std::string(merged_id), std::string(survivor_id)};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO aliases (tenant, collection, merged_id, "
          "survivor_id) VALUES (?, ?, ?, ?)",
          params)
      .status();
}

absl::StatusOr<std::vector<std::string>> SqliteMergeStore::RemoveAliasesTo(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view collection, absl::string_view survivor_id) {
  const Value params[] = {std::string(tenant), std::string(collection),
                          std::string(survivor_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT merged_id FROM aliases WHERE tenant = ? "
                             "AND collection = ? AND survivor_id = ?",
                             params));
  RETURN_IF_ERROR(txn.Exec("DELETE FROM aliases WHERE tenant = ? AND "
                           "collection = ? AND survivor_id = ?",
                           params)
                      .status());
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

absl::Status SqliteMergeStore::InsertRecord(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            const v1::MergeRecord& record) {
  const Value params[] = {std::string(tenant), record.name(),
                          int64_t{record.kind()},
                          sql::Blob{record.SerializeAsString()}};
  RETURN_IF_ERROR(txn.Exec("INSERT INTO merge_records (tenant, name, kind, "
                           "data) VALUES (?, ?, ?, ?)",
                           params)
                      .status());
  const int64_t seq = txn.LastInsertId();
  absl::flat_hash_set<std::string> mentioned = {record.survivor(),
                                                record.merged()};
  mentioned.insert(record.moved_contacts().begin(),
                   record.moved_contacts().end());
  for (const std::string& resource : mentioned) {
    const Value ref[] = {std::string(tenant), resource, seq};
    RETURN_IF_ERROR(txn.Exec("INSERT OR IGNORE INTO merge_record_refs "
                             "(tenant, resource, record_seq) VALUES (?, ?, ?)",
                             ref)
                        .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ListedMergeRecord>> SqliteMergeStore::ListRecords(
    sql::Transaction& txn, absl::string_view tenant, int kind,
    absl::string_view resource, int64_t before_seq, int limit) {
  const int64_t before =
      before_seq <= 0 ? std::numeric_limits<int64_t>::max() : before_seq;
  std::vector<sql::Row> rows;
  if (resource.empty()) {
    const Value params[] = {std::string(tenant), before, int64_t{kind},
                            int64_t{kind}, int64_t{limit}};
    ASSIGN_OR_RETURN(
        rows, txn.Query("SELECT seq, data FROM merge_records WHERE tenant = ? "
                        "AND seq < ? AND (? = 0 OR kind = ?) ORDER BY seq "
                        "DESC LIMIT ?",
                        params));
  } else {
    const Value params[] = {
        std::string(tenant), std::string(resource), before,
        int64_t{kind},       int64_t{kind},         int64_t{limit}};
    ASSIGN_OR_RETURN(
        rows, txn.Query("SELECT m.seq, m.data FROM merge_record_refs r JOIN "
                        "merge_records m ON m.seq = r.record_seq WHERE "
                        "r.tenant = ? AND r.resource = ? AND r.record_seq < ? "
                        "AND (? = 0 OR m.kind = ?) ORDER BY r.record_seq DESC "
                        "LIMIT ?",
                        params));
  }
  std::vector<ListedMergeRecord> records;
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::MergeRecord record, Parse(row.String(1)));
    records.push_back({row.Int(0), std::move(record)});
  }
  return records;
}

absl::StatusOr<std::vector<v1::MergeRecord>>
SqliteMergeStore::RecordsMentioning(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::Span<const std::string> resources) {
  absl::flat_hash_set<int64_t> seen;
  std::vector<std::pair<int64_t, v1::MergeRecord>> found;
  for (const std::string& resource : resources) {
    const Value params[] = {std::string(tenant), resource};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT m.seq, m.data FROM merge_record_refs r JOIN "
                  "merge_records m ON m.seq = r.record_seq WHERE r.tenant = ? "
                  "AND r.resource = ?",
                  params));
    for (const sql::Row& row : rows) {
      if (!seen.insert(row.Int(0)).second) continue;
      ASSIGN_OR_RETURN(v1::MergeRecord record, Parse(row.String(1)));
      found.emplace_back(row.Int(0), std::move(record));
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<v1::MergeRecord> records;
  records.reserve(found.size());
  for (auto& [seq, record] : found) records.push_back(std::move(record));
  return records;
}

absl::Status SqliteMergeStore::DeleteRecords(
    sql::Transaction& txn, absl::string_view tenant,
    absl::Span<const std::string> record_names) {
  for (const std::string& name : record_names) {
    const Value params[] = {std::string(tenant), name};
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM merge_record_refs WHERE record_seq IN (SELECT "
                 "seq FROM merge_records WHERE tenant = ? AND name = ?)",
                 params)
            .status());
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM merge_records WHERE tenant = ? AND name = ?",
                 params)
            .status());
  }
  return absl::OkStatus();
}

absl::Status SqliteMergeStore::LogErasure(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view erasure_id,
                                          absl::string_view subject,
                                          absl::string_view reason,
                                          absl::Time erase_time) {
  const Value params[] = {std::string(tenant), std::string(erasure_id),
                          std::string(subject), std::string(reason),
                          int64_t{absl::ToUnixMicros(erase_time)}};
  return txn
      .Exec(
          "INSERT INTO erasures (tenant, id, subject, reason, erase_time_us) "
          "VALUES (?, ?, ?, ?, ?)",
          params)
      .status();
}

}  // namespace clientele::contacts

#include "common/idempotency.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace clientele {

const char kIdempotencyMigrationSql[] = R"sql(
CREATE TABLE idempotency_keys (
  tenant TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  created_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, method, request_id)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_us);
CREATE TABLE idempotency_resources (
  tenant TEXT NOT NULL,
  resource TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (tenant, resource, method, request_id)
) WITHOUT ROWID;
)sql";

const char kStoredResponsePurgeMigrationSql[] = R"sql(
CREATE INDEX idempotency_resources_by_response
  ON idempotency_resources (tenant, method, request_id);
)sql";

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

absl::StatusOr<bool> FindStoredResponse(sql::Transaction& txn,
                                        const IdempotencyKey& key,
                                        absl::string_view fingerprint,
                                        absl::Time now,
                                        google::protobuf::Message* response,
                                        absl::Duration ttl,
                                        absl::string_view field) {
  const sql::Value params[] = {key.tenant, key.method, key.request_id};
  auto rows = txn.Query(
      "SELECT fingerprint, response, created_at_us FROM idempotency_keys "
      "WHERE tenant = ? AND method = ? AND request_id = ?",
      params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return false;
  const sql::Row& row = rows->front();
  if (absl::FromUnixMicros(row.Int(2)) + ttl < now) return false;
  if (row.String(0) != fingerprint) {
    return InvalidFieldError(
        field,
        "already used with a different request; use a new request_id for a "
        "new request");
  }
  if (!response->ParseFromString(row.String(1))) {
    return absl::InternalError("stored idempotent response is corrupt");
  }
  return true;
}

absl::Status StoreResponse(sql::Transaction& txn, const IdempotencyKey& key,
                           absl::string_view fingerprint, absl::Time now,
                           const google::protobuf::Message& response,
                           absl::Span<const std::string> resources) {
  const sql::Value params[] = {key.tenant,
                               key.method,
                               key.request_id,
                               std::string(fingerprint),
                               sql::Blob{response.SerializeAsString()},
                               int64_t{absl::ToUnixMicros(now)}};
  auto stored = txn.Exec(
      "INSERT OR REPLACE INTO idempotency_keys (tenant, method, request_id, "
      "fingerprint, response, created_at_us) VALUES (?, ?, ?, ?, ?, ?)",
      params);
  if (!stored.ok()) return stored.status();
  for (const std::string& resource : resources) {
    const sql::Value ref[] = {key.tenant, resource, key.method, key.request_id};
    auto inserted = txn.Exec(
        "INSERT OR IGNORE INTO idempotency_resources (tenant, resource, "
        "method, request_id) VALUES (?, ?, ?, ?)",
        ref);
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

absl::Status ForgetResponsesMentioning(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::Span<const std::string> resources,
                                       absl::Time now, absl::Duration ttl) {
  for (const std::string& resource : resources) {
    const sql::Value params[] = {std::string(tenant), resource};
    auto forgotten = txn.Exec(
        "DELETE FROM idempotency_keys WHERE (tenant, method, request_id) IN "
        "(SELECT tenant, method, request_id FROM idempotency_resources "
        "WHERE tenant = ? AND resource = ?)",
        params);
    if (!forgotten.ok()) return forgotten.status();
    auto refs = txn.Exec(
        "DELETE FROM idempotency_resources WHERE tenant = ? AND resource = ?",
        params);
    if (!refs.ok()) return refs.status();
  }
  const sql::Value cutoff[] = {int64_t{absl::ToUnixMicros(now - ttl)}};
  auto expired =
      txn.Exec("DELETE FROM idempotency_keys WHERE created_at_us < ?", cutoff);
  return expired.status();
}

}  // namespace clientele

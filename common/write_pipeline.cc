#include "common/write_pipeline.h"

#include <utility>

#include "common/idempotency.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace clientele {

absl::Status WritePipeline::Run(
    const Caller& caller, google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(WriteScope&)> body) const {
  if (caller.request_id.empty()) {
    return database_->Write([&](sql::Transaction& txn) -> absl::Status {
      response->Clear();
      WriteScope scope(txn);
      return body(scope);
    });
  }
  RETURN_IF_ERROR(ValidateRequestId(caller.request_id));
  if (caller.method.empty() || caller.request == nullptr) {
    return absl::InternalError(
        "an idempotent write needs the call's method and request");
  }
  const std::string fingerprint = RequestFingerprint(*caller.request);
  const IdempotencyKey key{caller.tenant, caller.method, caller.request_id};
  const absl::Time now = clock_->Now();
  return database_->Write([&](sql::Transaction& txn) -> absl::Status {
    response->Clear();
    ASSIGN_OR_RETURN(bool found,
                     FindStoredResponse(txn, key, fingerprint, now, response,
                                        kStoredResponseRetention));
    if (found) return absl::OkStatus();
    WriteScope scope(txn);
    RETURN_IF_ERROR(body(scope));
    return StoreResponse(txn, key, fingerprint, now, *response,
                         scope.mentioned());
  });
}

void PurgeDeletedDataAfterCommit(sql::Transaction& txn,
                                 sql::Database* database) {
  txn.AfterCommit([database] {
    const absl::Status purged = database->PurgeDeletedData();
    if (!purged.ok()) LOG(WARNING) << "erasure: " << purged;
  });
}

absl::StatusOr<int64_t> PurgeExpiredResponses(sql::Transaction& txn,
                                              absl::Time now,
                                              absl::Duration retention,
                                              int limit) {
  const sql::Value params[] = {int64_t{absl::ToUnixMicros(now - retention)},
                               int64_t{limit}};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> expired,
      txn.Query("SELECT tenant, method, request_id FROM idempotency_keys "
                "WHERE created_at_us < ? ORDER BY created_at_us LIMIT ?",
                params));
  for (const sql::Row& row : expired) {
    const sql::Value key[] = {row.String(0), row.String(1), row.String(2)};
    RETURN_IF_ERROR(txn.Exec("DELETE FROM idempotency_resources WHERE "
                             "tenant = ? AND method = ? AND request_id = ?",
                             key)
                        .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM idempotency_keys WHERE "
                             "tenant = ? AND method = ? AND request_id = ?",
                             key)
                        .status());
  }
  return static_cast<int64_t>(expired.size());
}

std::function<absl::StatusOr<int64_t>(sql::Transaction&, absl::Time)>
StoredResponsePurge(absl::Duration retention) {
  return [retention](sql::Transaction& txn, absl::Time now) {
    return PurgeExpiredResponses(txn, now, retention);
  };
}

}  // namespace clientele

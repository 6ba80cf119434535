// The one way a service writes. WritePipeline::Run runs a write RPC's change
// in one transaction together with everything that must commit with it:
//
//   1. the request's request_id is checked (INVALID_ARGUMENT on "request_id"
//      unless empty or 1-64 printable ASCII characters);
//   2. with a request_id, the response stored under (tenant, method,
//      request_id) is looked up inside the write transaction. Found with the
//      same request fingerprint: it is returned and nothing else happens (a
//      retry). Found with another fingerprint: INVALID_ARGUMENT on
//      "request_id" (the id was used for a different request). The
//      fingerprint is the SHA-256 of the whole request message as the client
//      sent it, deterministically serialized: a retry must repeat the request
//      exactly;
//   3. the body makes the change, appends its events (EventWriter) and
//      registers its after-commit effects (cache invalidation, pub/sub) with
//      Transaction::AfterCommit; EventWriter registers the relay's wake-up
//      itself, so no caller keeps a "did anything change" flag;
//   4. with a request_id, the response is stored in the same transaction,
//      with the resources it mentions (so a data-subject erasure can forget
//      it);
//   5. the transaction commits; only then do the after-commit effects run.
//
// The method and the request come from the call being served (Caller, made by
// RequestContext::caller()), never from a string literal in a service.
// Stored responses are kept for kStoredResponseRetention (24 hours) and then
// purged by the process's RetentionJob (PurgeExpiredResponses); a retry after
// that runs as a new request. docs/api.md documents the rule for clients.
#ifndef CLIENTELE_COMMON_WRITE_PIPELINE_H_
#define CLIENTELE_COMMON_WRITE_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/sql/database.h"
#include "google/protobuf/message.h"

namespace clientele {

// How long a stored response answers retries of its request.
inline constexpr absl::Duration kStoredResponseRetention = absl::Hours(24);

// What the body of a write sees: its transaction, and a way to say which
// resources the stored response holds data of.
class WriteScope {
 public:
  explicit WriteScope(sql::Transaction& txn) : txn_(txn) {}
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  sql::Transaction& txn() const { return txn_; }

  // The response mentions `resource` ("accounts/{id}"): erasing that
  // resource forgets the stored response. Ignored without a request_id.
  void Mentions(std::string resource) {
    mentioned_.push_back(std::move(resource));
  }
  const std::vector<std::string>& mentioned() const { return mentioned_; }

 private:
  sql::Transaction& txn_;
  std::vector<std::string> mentioned_;
};

class WritePipeline {
 public:
  // Neither is owned; both outlive the pipeline.
  WritePipeline(sql::Database* database, Clock* clock)
      : database_(database), clock_(clock) {}

  // Runs `body` for `caller`'s call as the file comment says; `*response`
  // holds the answer afterwards (the body's, or the stored one on a retry).
  // Returns the body's error (nothing committed), INVALID_ARGUMENT on
  // "request_id" as above, or the database's error. INTERNAL when the caller
  // has a request_id but no method or request (a write outside a call must
  // not claim to be idempotent).
  absl::Status Run(const Caller& caller, google::protobuf::Message* response,
                   absl::FunctionRef<absl::Status(WriteScope&)> body) const;

  sql::Database& database() const { return *database_; }

 private:
  sql::Database* const database_;
  Clock* const clock_;
};

// For a write that erased personal data: once `txn` commits, makes the rows
// it deleted unrecoverable from `database`'s files too
// (Database::PurgeDeletedData). A failure is logged, not returned: the rows
// are already gone from every query, and the next purge finishes the job.
void PurgeDeletedDataAfterCommit(sql::Transaction& txn,
                                 sql::Database* database);

// Deletes up to `limit` stored responses older than `retention` at `now`,
// with their resource references; returns how many went. For the process's
// RetentionJob.
absl::StatusOr<int64_t> PurgeExpiredResponses(
    sql::Transaction& txn, absl::Time now,
    absl::Duration retention = kStoredResponseRetention, int limit = 1000);

// PurgeExpiredResponses as a RetentionJob purge (common/retention_job.h):
// every service whose schema holds stored responses registers it.
std::function<absl::StatusOr<int64_t>(sql::Transaction&, absl::Time)>
StoredResponsePurge(absl::Duration retention = kStoredResponseRetention);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_WRITE_PIPELINE_H_

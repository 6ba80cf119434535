// Stored responses of idempotent writes (AIP-155), the storage half of the
// write pipeline: services never call these directly, they run their writes
// through WritePipeline (common/write_pipeline.h), which looks up and stores
// responses under (tenant, method, request_id) in the write's transaction.
// A data-subject erasure forgets the responses that mention the subject
// (ForgetResponsesMentioning).
#ifndef CLIENTELE_COMMON_IDEMPOTENCY_H_
#define CLIENTELE_COMMON_IDEMPOTENCY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/request_id.h"
#include "common/sql/database.h"
#include "google/protobuf/message.h"

namespace clientele {

// Creates `idempotency_keys` (stored responses) and `idempotency_resources`
// (which stored responses mention which resource, so erasing a data subject
// can forget them). A service appends it, as one Migration, to its schema.
extern const char kIdempotencyMigrationSql[];
// Indexes idempotency_resources by stored response, so that purging expired
// responses (PurgeExpiredResponses) removes their references cheaply. A
// service appends it after kIdempotencyMigrationSql.
extern const char kStoredResponsePurgeMigrationSql[];

inline constexpr absl::Duration kIdempotencyTtl = absl::Hours(24);

// Where a stored response lives.
struct IdempotencyKey {
  std::string tenant;
  std::string method;      // e.g. "CreateAccount"
  std::string request_id;  // the client's key; never empty here
};

// Hex SHA-256 of the deterministic serialization of `request`: what a retry
// must repeat exactly.
std::string RequestFingerprint(const google::protobuf::Message& request);

// Looks for the response stored under `key` within `txn`.
//   false: none (or it expired: stored more than `ttl` before `now`);
//   true: `*response` holds the stored response;
//   INVALID_ARGUMENT naming `field`: stored for a different fingerprint;
//   other errors as Transaction::Query, or INTERNAL for a corrupt row.
absl::StatusOr<bool> FindStoredResponse(sql::Transaction& txn,
                                        const IdempotencyKey& key,
                                        absl::string_view fingerprint,
                                        absl::Time now,
                                        google::protobuf::Message* response,
                                        absl::Duration ttl = kIdempotencyTtl,
                                        absl::string_view field = "request_id");

// Stores `response` under `key` within `txn` (replacing an expired entry).
// `resources` lists the resource names whose data the response holds, so
// ForgetResponsesMentioning can remove it.
absl::Status StoreResponse(sql::Transaction& txn, const IdempotencyKey& key,
                           absl::string_view fingerprint, absl::Time now,
                           const google::protobuf::Message& response,
                           absl::Span<const std::string> resources = {});

// Deletes every stored response of `tenant` that mentions one of
// `resources` (data-subject erasure), and entries that have expired.
absl::Status ForgetResponsesMentioning(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::Span<const std::string> resources,
                                       absl::Time now,
                                       absl::Duration ttl = kIdempotencyTtl);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_IDEMPOTENCY_H_

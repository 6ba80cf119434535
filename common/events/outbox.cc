#include "common/events/outbox.h"

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clientele::events {

const char kOutboxMigrationSql[] = R"sql(
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  tenant TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BLOB NOT NULL,
  created_at_us INTEGER NOT NULL
);
CREATE TABLE processed_events (
  consumer_group TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at_us INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, event_id)
);
)sql";

absl::Status AppendToOutbox(sql::Transaction& txn, absl::string_view stream,
                            const OutboxEvent& event) {
  // created_at_us only serves to measure publication lag, so the wall clock
  // is good enough here.
  const sql::Value params[] = {
      event.event_id,
      std::string{stream},
      event.tenant,
      event.type,
      sql::Blob{event.payload},
      int64_t{absl::ToUnixMicros(absl::Now())},
  };
  absl::StatusOr<int64_t> inserted = txn.Exec(
      "INSERT INTO outbox (event_id, stream, tenant, type, payload, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?)",
      params);
  return inserted.status();
}

}  // namespace clientele::events

#include "common/events/outbox.h"

#include "common/status_macros.h"

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

const char kOutboxRetentionMigrationSql[] = R"sql(
ALTER TABLE outbox ADD COLUMN stream_seq INTEGER;
UPDATE outbox SET stream_seq = (
  SELECT count(*) FROM outbox AS earlier
  WHERE earlier.stream = outbox.stream AND earlier.seq <= outbox.seq);
CREATE TABLE outbox_streams (
  stream TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  published_seq INTEGER NOT NULL DEFAULT 0,
  published_at_us INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO outbox_streams (stream, last_seq)
  SELECT stream, max(stream_seq) FROM outbox GROUP BY stream;
CREATE UNIQUE INDEX outbox_by_stream_seq ON outbox (stream, stream_seq);
CREATE INDEX outbox_by_created_at ON outbox (created_at_us);
CREATE TABLE consumer_positions (
  consumer_group TEXT NOT NULL,
  stream TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  lost_events INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer_group, stream)
) WITHOUT ROWID;
CREATE INDEX processed_events_by_time ON processed_events (processed_at_us);
)sql";

absl::Status AppendToOutbox(sql::Transaction& txn, absl::string_view stream,
                            const OutboxEvent& event, absl::Time now) {
  // The row first, so that a refused insert (a duplicate id the caller may
  // choose to ignore) leaves the counter alone and positions without holes.
  // Writers are serialized, so the counter read here is the one the update
  // below moves on (a server database would lock the counter row first).
  const sql::Value params[] = {
      event.event_id,
      std::string{stream},
      std::string{stream},
      event.tenant,
      event.type,
      sql::Blob{event.payload},
      int64_t{absl::ToUnixMicros(now)},
  };
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO outbox (event_id, stream, stream_seq, tenant, "
               "type, payload, created_at_us) VALUES (?, ?, coalesce((SELECT "
               "last_seq FROM outbox_streams WHERE stream = ?), 0) + 1, ?, ?, "
               "?, ?)",
               params)
          .status());
  const sql::Value stream_param[] = {std::string{stream}};
  return txn
      .Exec(
          "INSERT INTO outbox_streams (stream, last_seq) VALUES (?, 1) "
          "ON CONFLICT (stream) DO UPDATE SET last_seq = last_seq + 1",
          stream_param)
      .status();
}

absl::StatusOr<int64_t> PurgeOutbox(sql::Transaction& txn,
                                    absl::Time appended_before, int64_t limit) {
  const sql::Value params[] = {int64_t{absl::ToUnixMicros(appended_before)},
                               limit};
  return txn.Exec(
      "DELETE FROM outbox WHERE seq IN (SELECT outbox.seq FROM outbox JOIN "
      "outbox_streams USING (stream) WHERE outbox.created_at_us < ? AND "
      "outbox.stream_seq <= outbox_streams.published_seq "
      "ORDER BY outbox.created_at_us LIMIT ?)",
      params);
}

}  // namespace clientele::events

// The transactional outbox: a service records the events of a change in its
// own database, in the same transaction as the change, so that an event
// exists if and only if the change committed. OutboxRelay (relay.h) later
// publishes the rows to Redis Streams and EventConsumer (consumer.h) applies
// them on the other side, exactly once per consumer group.
//
// Published rows are kept for a retention window (PurgeOutbox removes them
// afterwards), so that a consumer can have events published again after
// Redis lost them: see relay.h.
//
// Events are opaque bytes here; what the payload means (the protobuf
// envelope) is the caller's concern.
#ifndef CLIENTELE_COMMON_EVENTS_OUTBOX_H_
#define CLIENTELE_COMMON_EVENTS_OUTBOX_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/sql/database.h"

namespace clientele::events {

struct OutboxEvent {
  // Unique per event, forever: consumers drop a second delivery of the same
  // id, so reusing one loses the later event.
  std::string event_id;
  std::string tenant;
  std::string type;
  std::string payload;  // opaque bytes
};

// Creates the `outbox` table (events waiting to be published, in `seq`
// order) and the `processed_events` table (what each consumer group has
// applied, for de-duplication). A service appends this, as one Migration, to
// its own migration list; it contains several `;`-separated statements.
extern const char kOutboxMigrationSql[];

// Gives every outbox row its position in its stream (`stream_seq`, counted
// in `outbox_streams.last_seq`); `outbox_streams.published_seq` is the
// position the relay has published through (rows are published in position
// order, so one number per stream marks them all, and publishing never
// rewrites an event's row), and creates `consumer_positions` (the last
// position each consumer group applied from each stream). A service appends
// it, as one Migration, after kOutboxMigrationSql; rows waiting at the
// upgrade are numbered in `seq` order.
extern const char kOutboxRetentionMigrationSql[];

// Inserts `event` into the outbox, to be published to the Redis stream
// `stream`, inside the caller's write transaction: it is published only if
// that transaction commits. The event takes the next position in `stream`
// (one more than the last event appended to it, ever), so positions are
// 1, 2, 3, ... without holes in commit order. `now` is the append time (the
// caller's clock). ALREADY_EXISTS when an event with the same id is still
// in the outbox; other errors as Transaction::Exec.
absl::Status AppendToOutbox(sql::Transaction& txn, absl::string_view stream,
                            const OutboxEvent& event, absl::Time now);

// Deletes up to `limit` published rows appended before `appended_before`,
// oldest first, and returns how many went. Rows still waiting are never
// deleted, however old. Run it from a RetentionJob (common/retention_job.h)
// with `now - retention`. Errors as Transaction::Exec.
//
// Only this purge may delete outbox rows: it removes the oldest published
// rows, so what is kept of a stream stays one unbroken range. Code that must
// forget a row's content (an erasure) empties its payload instead; a row
// deleted otherwise shows up as lost to a consumer that needs it replayed.
absl::StatusOr<int64_t> PurgeOutbox(sql::Transaction& txn,
                                    absl::Time appended_before, int64_t limit);

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_OUTBOX_H_

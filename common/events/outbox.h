// The transactional outbox: a service records the events of a change in its
// own database, in the same transaction as the change, so that an event
// exists if and only if the change committed. OutboxRelay (relay.h) later
// publishes the rows to Redis Streams and EventConsumer (consumer.h) applies
// them on the other side, exactly once per consumer group.
//
// Events are opaque bytes here; what the payload means (the protobuf
// envelope) is the caller's concern.
#ifndef CLIENTELE_COMMON_EVENTS_OUTBOX_H_
#define CLIENTELE_COMMON_EVENTS_OUTBOX_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
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

// Inserts `event` into the outbox, to be published to the Redis stream
// `stream`, inside the caller's write transaction: it is published only if
// that transaction commits. ALREADY_EXISTS when an event with the same id is
// already waiting in the outbox; other errors as Transaction::Exec.
absl::Status AppendToOutbox(sql::Transaction& txn, absl::string_view stream,
                            const OutboxEvent& event);

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_OUTBOX_H_

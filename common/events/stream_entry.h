// What OutboxRelay writes to Redis and EventConsumer reads back: the fields
// of a stream entry and the key through which consumers ask for a replay.
// Both sides include this header, so the format is written down once.
#ifndef CLIENTELE_COMMON_EVENTS_STREAM_ENTRY_H_
#define CLIENTELE_COMMON_EVENTS_STREAM_ENTRY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace clientele::events {

// An event entry: event_id, tenant, type, payload and seq, the event's
// position in its stream (1, 2, 3, ... per stream, assigned when the event
// is appended to the outbox; see outbox.h). Entries written before positions
// existed carry no seq.
inline constexpr char kEventIdField[] = "event_id";
inline constexpr char kTenantField[] = "tenant";
inline constexpr char kTypeField[] = "type";
inline constexpr char kPayloadField[] = "payload";
inline constexpr char kSeqField[] = "seq";
// A loss marker carries no event: `lost_from` and `seq` say that the events
// at positions lost_from..seq are gone for good (past the retention window,
// or deleted from the outbox). A consumer behind them skips them and
// reports the loss; see EventConsumer.
inline constexpr char kLostFromField[] = "lost_from";

// A hash, field = consumer group, value = the first position the group
// wants published again. Consumers write it (HSET); the producer's relay
// takes it (read and delete at once) and replays.
inline std::string ReplayRequestsKey(absl::string_view stream) {
  return absl::StrCat(stream, ":replay");
}

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_STREAM_ENTRY_H_

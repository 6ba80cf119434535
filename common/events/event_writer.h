// Writes a service's domain events: fills in the clientele.events.v1.Event
// envelope (id, tenant, time, source, subject) and appends it to the outbox in
// the caller's transaction, so the event exists if and only if the change
// committed. Append also registers, once per transaction, the relay's wake-up
// with Transaction::AfterCommit: callers never wake the relay themselves.
#ifndef CLIENTELE_COMMON_EVENTS_EVENT_WRITER_H_
#define CLIENTELE_COMMON_EVENTS_EVENT_WRITER_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/sql/database.h"

namespace clientele::events {

// The Redis stream `service` publishes its events to:
// "clientele.events.<service>".
std::string StreamFor(absl::string_view service);

class EventWriter {
 public:
  // `service` names the source ("contacts"); events go to StreamFor(service).
  // `wake` runs once after each commit of a transaction that appended events
  // (may be empty). `clock` and `ids` are not owned.
  EventWriter(std::string service, Clock* clock, IdGenerator* ids,
              std::function<void()> wake);

  // Appends `event` (whose payload is set) to the outbox within `txn`,
  // filling event_id, tenant, occurred_at, source_service and subject, and
  // arranges for the relay to be woken once `txn` commits (nothing happens
  // if it rolls back). INVALID_ARGUMENT when the payload is not set.
  absl::Status Append(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view subject,
                      clientele::events::v1::Event event);
  // The same, filling in the envelope of `*event` where it is (an event
  // built on an arena is then not copied to the heap).
  absl::Status Append(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view subject,
                      clientele::events::v1::Event* event);

  const std::string& stream() const { return stream_; }

 private:
  const std::string service_;
  const std::string stream_;
  Clock* const clock_;
  IdGenerator* const ids_;
  const std::function<void()> wake_;
};

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_EVENT_WRITER_H_

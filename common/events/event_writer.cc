#include "common/events/event_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/events/outbox.h"

namespace clientele::events {

EventWriter::EventWriter(std::string service, Clock* clock, IdGenerator* ids,
                         std::function<void()> wake)
    : service_(std::move(service)),
      stream_(absl::StrCat("clientele.events.", service_)),
      clock_(clock),
      ids_(ids),
      wake_(std::move(wake)) {}

absl::Status EventWriter::Append(sql::Transaction& txn,
                                 absl::string_view tenant,
                                 absl::string_view subject,
                                 clientele::events::v1::Event event) {
  const auto* payload_field =
      clientele::events::v1::Event::descriptor()->FindOneofByName("payload");
  const auto* set_field =
      event.GetReflection()->GetOneofFieldDescriptor(event, payload_field);
  if (set_field == nullptr) {
    return absl::InvalidArgumentError("event has no payload");
  }
  event.set_event_id(ids_->NewId());
  event.set_tenant(std::string(tenant));
  const absl::Time now = clock_->Now();
  event.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(now));
  event.mutable_occurred_at()->set_nanos(static_cast<int32_t>(
      (now - absl::FromUnixSeconds(absl::ToUnixSeconds(now))) /
      absl::Nanoseconds(1)));
  event.set_source_service(service_);
  event.set_subject(std::string(subject));
  OutboxEvent row;
  row.event_id = event.event_id();
  row.tenant = event.tenant();
  row.type = set_field->message_type()->full_name();
  row.payload = event.SerializeAsString();
  return AppendToOutbox(txn, stream_, row);
}

void EventWriter::Committed() {
  if (wake_) wake_();
}

}  // namespace clientele::events

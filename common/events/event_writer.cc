#include "common/events/event_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/events/outbox.h"
#include "common/status_macros.h"

namespace clientele::events {

std::string StreamFor(absl::string_view service) {
  return absl::StrCat("clientele.events.", service);
}

EventWriter::EventWriter(std::string service, Clock* clock, IdGenerator* ids,
                         std::function<void()> wake)
    : service_(std::move(service)),
      stream_(StreamFor(service_)),
      clock_(clock),
      ids_(ids),
      wake_(std::move(wake)) {}

absl::Status EventWriter::Append(sql::Transaction& txn,
                                 absl::string_view tenant,
                                 absl::string_view subject,
                                 clientele::events::v1::Event event) {
  return Append(txn, tenant, subject, &event);
}

absl::Status EventWriter::Append(sql::Transaction& txn,
                                 absl::string_view tenant,
                                 absl::string_view subject,
                                 clientele::events::v1::Event* event) {
  if (event->payload_case() == clientele::events::v1::Event::PAYLOAD_NOT_SET) {
    return absl::InvalidArgumentError("event has no payload");
  }
  event->set_event_id(ids_->NewId());
  event->set_tenant(std::string(tenant));
  const int64_t nanos = absl::ToUnixNanos(clock_->Now());
  event->mutable_occurred_at()->set_seconds(nanos / 1000000000);
  event->mutable_occurred_at()->set_nanos(
      static_cast<int32_t>(nanos % 1000000000));
  event->set_source_service(service_);
  event->set_subject(std::string(subject));
  OutboxEvent row;
  row.event_id = event->event_id();
  row.tenant = event->tenant();
  row.type = clientele::events::v1::Event::descriptor()
                 ->FindFieldByNumber(event->payload_case())
                 ->message_type()
                 ->full_name();
  row.payload = event->SerializeAsString();
  RETURN_IF_ERROR(AppendToOutbox(txn, stream_, row, clock_->Now()));
  if (wake_) {
    txn.AfterCommitOnce(this, [wake = &wake_] { (*wake)(); });
  }
  return absl::OkStatus();
}

}  // namespace clientele::events

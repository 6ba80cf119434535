#include "services/ticketing/sla_events.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_snapshot.h"

namespace clientele::ticketing {
namespace {

std::string MetricLabel(v1::SlaMetric metric) {
  switch (metric) {
    case v1::SLA_METRIC_FIRST_RESPONSE:
      return "first response";
    case v1::SLA_METRIC_NEXT_RESPONSE:
      return "next response";
    case v1::SLA_METRIC_RESOLUTION:
      return "resolution";
    default:
      return "unknown";
  }
}

// The ticket's clock of `metric`, if it has one.
const v1::SlaClock* ClockOf(const v1::Ticket& ticket, int metric) {
  for (const v1::SlaClock& clock : ticket.sla_clocks()) {
    if (clock.metric() == metric) return &clock;
  }
  return nullptr;
}

v1::TicketHistoryEntry BreachEntry(const v1::Ticket& ticket, int metric,
                                   absl::Time due) {
  v1::TicketHistoryEntry entry;
  entry.set_kind(v1::TICKET_HISTORY_KIND_SLA_BREACHED);
  SetTimestamp(due, entry.mutable_occur_time());
  entry.set_actor(std::string(kSystemActor));
  entry.set_related(ticket.sla_policy());
  std::string target;
  if (const v1::SlaClock* clock = ClockOf(ticket, metric);
      clock != nullptr && clock->has_target()) {
    // "1h30m": how explanations show a target.
    target =
        absl::StrCat(" of ", absl::FormatDuration(ToDuration(clock->target())));
  }
  entry.set_explanation(absl::StrCat(
      MetricLabel(static_cast<v1::SlaMetric>(metric)), " target", target,
      " breached at ",
      absl::FormatTime("%Y-%m-%d %H:%M UTC", due, absl::UTCTimeZone())));
  return entry;
}

}  // namespace

absl::StatusOr<v1::TicketHistoryEntry> PublishSlaBreached(
    sql::Transaction& txn, events::EventWriter& events,
    absl::string_view tenant, const v1::Ticket& ticket, int metric,
    absl::Time due) {
  events::v1::Event event;
  event.set_actor(std::string(kSystemActor));
  events::v1::SlaBreached* breached = event.mutable_sla_breached();
  *breached->mutable_ticket() = SnapshotOf(ticket);
  breached->set_metric(static_cast<events::v1::SlaMetric>(metric));
  SetTimestamp(due, breached->mutable_due_time());
  RETURN_IF_ERROR(events.Append(txn, tenant, ticket.name(), std::move(event)));
  return BreachEntry(ticket, metric, due);
}

absl::Status PublishSlaAtRisk(sql::Transaction& txn,
                              events::EventWriter& events,
                              absl::string_view tenant,
                              const v1::Ticket& ticket, int metric,
                              absl::Time due) {
  events::v1::Event event;
  event.set_actor(std::string(kSystemActor));
  events::v1::SlaAtRisk* at_risk = event.mutable_sla_at_risk();
  *at_risk->mutable_ticket() = SnapshotOf(ticket);
  at_risk->set_metric(static_cast<events::v1::SlaMetric>(metric));
  SetTimestamp(due, at_risk->mutable_due_time());
  return events.Append(txn, tenant, ticket.name(), std::move(event));
}

}  // namespace clientele::ticketing

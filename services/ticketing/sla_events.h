// What the SLA publishes about a ticket's clock: SlaAtRisk once a cycle
// passes its at-risk threshold, and SlaBreached with an SLA_BREACHED entry
// in the ticket's history once it passes its due time. The SLA job
// (SlaAlertManager::PublishDue) publishes both; the tracker publishes a
// breach itself when a new cycle replaces one whose breach the job has not
// published yet (SlaTracker::Refresh). One place, so both say the same.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_EVENTS_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_EVENTS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_history.pb.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"

namespace clientele::ticketing {

// Appends SlaBreached about `ticket` (its snapshot as it stands) for
// `metric` (a v1::SlaMetric) due at `due` to the outbox in `txn`, by the
// system actor. Returns the ticket's SLA_BREACHED history entry (dated
// `due`, naming the ticket's policy and the target) for the caller to
// store. Errors are the outbox's.
absl::StatusOr<v1::TicketHistoryEntry> PublishSlaBreached(
    sql::Transaction& txn, events::EventWriter& events,
    absl::string_view tenant, const v1::Ticket& ticket, int metric,
    absl::Time due);

// Appends SlaAtRisk about `ticket` for `metric` due at `due`, by the system
// actor. Errors are the outbox's.
absl::Status PublishSlaAtRisk(sql::Transaction& txn,
                              events::EventWriter& events,
                              absl::string_view tenant,
                              const v1::Ticket& ticket, int metric,
                              absl::Time due);

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_EVENTS_H_

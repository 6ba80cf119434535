// A ticket as events carry it: no subject, description, comments or personal
// data of the requester (event.proto's rule), only references and
// non-personal fields.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_SNAPSHOT_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_SNAPSHOT_H_

#include "clientele/events/v1/ticketing_events.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"

namespace clientele::ticketing {

events::v1::TicketSnapshot SnapshotOf(const v1::Ticket& ticket);

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_SNAPSHOT_H_

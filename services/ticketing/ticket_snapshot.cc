#include "services/ticketing/ticket_snapshot.h"

namespace clientele::ticketing {

events::v1::TicketSnapshot SnapshotOf(const v1::Ticket& ticket) {
  events::v1::TicketSnapshot snapshot;
  snapshot.set_name(ticket.name());
  snapshot.set_account(ticket.account());
  snapshot.set_requester(ticket.requester());
  snapshot.set_product(ticket.product());
  // The events' enums mirror the API's value for value.
  snapshot.set_type(static_cast<events::v1::TicketType>(ticket.type()));
  snapshot.set_priority(
      static_cast<events::v1::TicketPriority>(ticket.priority()));
  snapshot.set_status(static_cast<events::v1::TicketStatus>(ticket.status()));
  snapshot.set_assignee(ticket.assignee());
  snapshot.set_team(ticket.team());
  snapshot.set_account_tier(ticket.account_tier());
  snapshot.set_relationship_mode(ticket.relationship_mode());
  snapshot.set_sla_policy(ticket.sla_policy());
  if (ticket.has_create_time()) {
    *snapshot.mutable_create_time() = ticket.create_time();
  }
  if (ticket.has_first_response_time()) {
    *snapshot.mutable_first_response_time() = ticket.first_response_time();
  }
  if (ticket.has_solve_time()) {
    *snapshot.mutable_solve_time() = ticket.solve_time();
  }
  if (ticket.has_close_time()) {
    *snapshot.mutable_close_time() = ticket.close_time();
  }
  if (ticket.has_update_time()) {
    *snapshot.mutable_update_time() = ticket.update_time();
  }
  return snapshot;
}

}  // namespace clientele::ticketing

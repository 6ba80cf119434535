#include "services/ticketing/ticket_writes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/routing_manager.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_snapshot.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {

absl::Time NowMicros(Clock& clock) { return FromMicros(ToMicros(clock.Now())); }

void MentionTicket(const v1::Ticket& ticket, WriteScope& write) {
  write.Mentions(ticket.name());
  if (!ticket.account().empty()) write.Mentions(ticket.account());
  if (!ticket.requester().empty()) write.Mentions(ticket.requester());
}

absl::StatusOr<ProjectedAccount> ResolveAccount(sql::Transaction& txn,
                                                const TicketingDeps& deps,
                                                absl::string_view tenant,
                                                absl::string_view account_id) {
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                   deps.projection->FindAccount(txn, tenant, account_id));
  if (!account.has_value()) {
    return NotFoundResourceError(kAccountType, AccountName(account_id));
  }
  return *std::move(account);
}

absl::Status CheckRequesterOf(sql::Transaction& txn, const TicketingDeps& deps,
                              absl::string_view tenant,
                              absl::string_view contact_id,
                              const ProjectedAccount& account,
                              absl::string_view path) {
  ASSIGN_OR_RETURN(std::optional<std::string> account_id,
                   deps.projection->AccountOfContact(txn, tenant, contact_id));
  if (!account_id.has_value()) {
    return NotFoundResourceError(kContactType, ContactName(contact_id));
  }
  if (*account_id == account.account_id) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> its,
                   deps.projection->FindAccount(txn, tenant, *account_id));
  if (its.has_value() && its->account_id == account.account_id) {
    return absl::OkStatus();
  }
  return InvalidFieldError(
      path, absl::StrCat(ContactName(contact_id), " does not belong to ",
                         AccountName(account.account_id)));
}

absl::StatusOr<v1::Ticket> LoadTicket(sql::Transaction& txn,
                                      const TicketingDeps& deps,
                                      absl::string_view tenant,
                                      absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Ticket> ticket,
                   deps.tickets->Find(txn, tenant, id));
  if (!ticket.has_value()) {
    return NotFoundResourceError(kTicketType, TicketName(id));
  }
  return *std::move(ticket);
}

absl::StatusOr<v1::Ticket> TicketWrites::Load(absl::string_view id) {
  return LoadTicket(txn_, deps_, caller_.tenant, id);
}

v1::TicketHistoryEntry TicketWrites::Entry(v1::TicketHistoryKind kind,
                                           absl::Time time) const {
  v1::TicketHistoryEntry entry;
  entry.set_kind(kind);
  SetTimestamp(time == absl::InfinitePast() ? now_ : time,
               entry.mutable_occur_time());
  entry.set_actor(caller_.actor);
  return entry;
}

absl::Status TicketWrites::Record(
    const std::vector<v1::TicketHistoryEntry>& entries, bool reselect,
    v1::Ticket* ticket) {
  const std::string id = IdOf(ticket->name());
  for (const v1::TicketHistoryEntry& entry : entries) {
    RETURN_IF_ERROR(
        deps_.tickets->AppendHistory(txn_, caller_.tenant, id, entry));
  }
  ASSIGN_OR_RETURN(std::vector<v1::TicketHistoryEntry> history,
                   deps_.tickets->History(txn_, caller_.tenant, id));
  std::vector<v1::TicketHistoryEntry> added;
  RETURN_IF_ERROR(sla_->Refresh(txn_, caller_.tenant, reselect, history, now_,
                                ticket, &added));
  for (v1::TicketHistoryEntry& entry : added) {
    if (entry.actor().empty()) entry.set_actor(caller_.actor);
    RETURN_IF_ERROR(
        deps_.tickets->AppendHistory(txn_, caller_.tenant, id, entry));
  }
  return absl::OkStatus();
}

absl::Status TicketWrites::Store(v1::Ticket* ticket) {
  SetTimestamp(now_, ticket->mutable_update_time());
  ticket->set_etag(deps_.ids->NewId());
  return deps_.tickets->Put(txn_, caller_.tenant, IdOf(ticket->name()),
                            *ticket);
}

absl::Status TicketWrites::Save(
    const std::vector<v1::TicketHistoryEntry>& entries, bool reselect,
    v1::Ticket* ticket) {
  RETURN_IF_ERROR(Record(entries, reselect, ticket));
  return Store(ticket);
}

absl::Status TicketWrites::Publish(absl::string_view subject,
                                   events::v1::Event event) {
  event.set_request_id(caller_.trace_id);
  event.set_actor(caller_.actor);
  return deps_.events->Append(txn_, caller_.tenant, subject, std::move(event));
}

absl::Status TicketWrites::Open(const std::optional<ProjectedAccount>& account,
                                absl::string_view related, v1::Ticket* ticket) {
  ticket->set_status(v1::TICKET_STATUS_NEW);
  SetTimestamp(now_, ticket->mutable_create_time());
  std::vector<v1::TicketHistoryEntry> entries;
  v1::TicketHistoryEntry created = Entry(v1::TICKET_HISTORY_KIND_CREATED);
  created.set_status(v1::TICKET_STATUS_NEW);
  created.set_priority(ticket->priority());
  created.set_related(std::string(related));
  entries.push_back(std::move(created));

  v1::TicketHistoryEntry routed = Entry(v1::TICKET_HISTORY_KIND_ROUTED);
  if (!ticket->assignee().empty()) {
    if (ticket->team().empty()) {
      ASSIGN_OR_RETURN(v1::RoutingPolicy policy,
                       routing_->Load(txn_, caller_.tenant));
      ticket->set_team(policy.default_team());
    }
    v1::RoutingDecision* routing = ticket->mutable_routing();
    routing->set_reason(v1::ROUTING_REASON_MANUAL);
    routing->set_explanation(
        absl::StrCat("assigned on creation by ", caller_.actor, " to ",
                     ticket->assignee(), " in team ", ticket->team()));
    SetTimestamp(now_, routing->mutable_route_time());
  } else {
    RETURN_IF_ERROR(
        routing_->Route(txn_, caller_.tenant, account, now_, ticket).status());
  }
  routed.set_assignee(ticket->assignee());
  routed.set_team(ticket->team());
  routed.set_routing_reason(ticket->routing().reason());
  routed.set_explanation(ticket->routing().explanation());
  entries.push_back(std::move(routed));

  RETURN_IF_ERROR(Save(entries, /*reselect=*/true, ticket));
  events::v1::Event event;
  *event.mutable_ticket_created()->mutable_ticket() = SnapshotOf(*ticket);
  return Publish(ticket->name(), std::move(event));
}

absl::Status TicketWrites::PublishUpdated(
    const v1::Ticket& ticket, const std::vector<std::string>& changed_fields) {
  events::v1::Event event;
  auto* payload = event.mutable_ticket_updated();
  *payload->mutable_ticket() = SnapshotOf(ticket);
  for (const std::string& field : changed_fields) {
    payload->add_changed_fields(field);
  }
  return Publish(ticket.name(), std::move(event));
}

absl::Status TicketWrites::PublishStatusChanged(const v1::Ticket& ticket,
                                                v1::TicketStatus previous) {
  events::v1::Event event;
  auto* payload = event.mutable_ticket_status_changed();
  *payload->mutable_ticket() = SnapshotOf(ticket);
  payload->set_previous_status(static_cast<events::v1::TicketStatus>(previous));
  return Publish(ticket.name(), std::move(event));
}

}  // namespace clientele::ticketing

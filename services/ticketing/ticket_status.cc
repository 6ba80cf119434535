// Status changes (the transition table is ticket_rules.h's), assignment by
// hand and automatic routing of an existing ticket.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/routing_manager.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_snapshot.h"
#include "services/ticketing/ticket_store.h"
#include "services/ticketing/ticket_writes.h"

namespace clientele::ticketing {
namespace {

// TicketAssigned for `ticket`, which was with `previous_assignee` and
// `previous_team`.
absl::Status PublishAssigned(TicketWrites& writes, const v1::Ticket& ticket,
                             const std::string& previous_assignee,
                             const std::string& previous_team) {
  events::v1::Event event;
  auto* payload = event.mutable_ticket_assigned();
  *payload->mutable_ticket() = SnapshotOf(ticket);
  payload->set_previous_assignee(previous_assignee);
  payload->set_previous_team(previous_team);
  payload->set_routing_reason(
      static_cast<events::v1::RoutingReason>(ticket.routing().reason()));
  return writes.Publish(ticket.name(), std::move(event));
}

v1::TicketHistoryEntry RoutedEntry(const TicketWrites& writes,
                                   const v1::Ticket& ticket) {
  v1::TicketHistoryEntry entry = writes.Entry(v1::TICKET_HISTORY_KIND_ROUTED);
  entry.set_assignee(ticket.assignee());
  entry.set_team(ticket.team());
  entry.set_routing_reason(ticket.routing().reason());
  entry.set_explanation(ticket.routing().explanation());
  return entry;
}

}  // namespace

absl::StatusOr<StatusChangeResult> TicketManager::ChangeStatus(
    const Caller& caller, absl::string_view name, v1::TicketStatus status,
    absl::string_view etag) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kTickets, "name"));
  if (!v1::TicketStatus_IsValid(status) ||
      status == v1::TICKET_STATUS_UNSPECIFIED) {
    return InvalidFieldError("status",
                             status == v1::TICKET_STATUS_UNSPECIFIED
                                 ? "required"
                                 : absl::StrCat("unknown value ", status));
  }
  const absl::Time now = NowMicros(*deps_.clock);
  v1::ChangeTicketStatusResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket ticket, writes.Load(id));
        RETURN_IF_ERROR(CheckEtag(etag, ticket.etag(), "etag"));
        const v1::TicketStatus previous = ticket.status();
        if (previous == status) {
          *response.mutable_ticket() = std::move(ticket);
          MentionTicket(response.ticket(), write);
          return absl::OkStatus();
        }
        if (!AllowedTransition(previous, status)) {
          return absl::FailedPreconditionError(absl::StrCat(
              ticket.name(), " cannot go from ", StatusLabel(previous), " to ",
              StatusLabel(status),
              previous == v1::TICKET_STATUS_CLOSED ? " (CLOSED is final)"
              : status == v1::TICKET_STATUS_NEW ? " (nothing goes back to NEW)"
                                                : ""));
        }
        ticket.set_status(status);
        if (status == v1::TICKET_STATUS_SOLVED) {
          SetTimestamp(now, ticket.mutable_solve_time());
        }
        if (status == v1::TICKET_STATUS_CLOSED) {
          SetTimestamp(now, ticket.mutable_close_time());
        }
        v1::TicketHistoryEntry entry =
            writes.Entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED);
        entry.set_previous_status(previous);
        entry.set_status(status);
        RETURN_IF_ERROR(writes.Record({entry}, /*reselect=*/false, &ticket));

        if (status != v1::TICKET_STATUS_SOLVED) {
          RETURN_IF_ERROR(writes.Store(&ticket));
          RETURN_IF_ERROR(writes.PublishStatusChanged(ticket, previous));
          *response.mutable_ticket() = std::move(ticket);
          MentionTicket(response.ticket(), write);
          return absl::OkStatus();
        }

        ASSIGN_OR_RETURN(std::optional<v1::CsatSurvey> survey,
                         csat_->IssueOnSolve(txn, caller, now, &ticket));
        RETURN_IF_ERROR(writes.Store(&ticket));
        ASSIGN_OR_RETURN(std::vector<v1::TicketHistoryEntry> history,
                         deps_.tickets->History(txn, caller.tenant, id));
        const absl::Time created = ToTime(ticket.create_time());
        events::v1::Event event;
        auto* solved = event.mutable_ticket_solved();
        *solved->mutable_ticket() = SnapshotOf(ticket);
        solved->set_previous_status(
            static_cast<events::v1::TicketStatus>(previous));
        const absl::Duration resolution = ActiveTime(history, created, now);
        SetDuration(resolution, solved->mutable_resolution_duration());
        // The business versions are the SLA clocks' elapsed time (pauses
        // excluded, working hours only under a calendar); without a clock
        // for the metric, the elapsed time above.
        absl::Duration business_resolution = resolution;
        std::optional<absl::Duration> business_first_response;
        for (const v1::SlaClock& clock : ticket.sla_clocks()) {
          if (clock.state() == v1::SLA_CLOCK_STATE_BREACHED) {
            solved->set_sla_breached(true);
          }
          if (clock.metric() == v1::SLA_METRIC_RESOLUTION) {
            business_resolution = ToDuration(clock.elapsed());
          } else if (clock.metric() == v1::SLA_METRIC_FIRST_RESPONSE) {
            business_first_response = ToDuration(clock.elapsed());
          }
          events::v1::SlaClockSnapshot* snapshot = solved->add_sla_clocks();
          snapshot->set_metric(
              static_cast<events::v1::SlaMetric>(clock.metric()));
          snapshot->set_breached(clock.state() == v1::SLA_CLOCK_STATE_BREACHED);
          if (clock.has_stop_time()) {
            *snapshot->mutable_stop_time() = clock.stop_time();
          }
          if (clock.has_due_time()) {
            *snapshot->mutable_due_time() = clock.due_time();
          }
          *snapshot->mutable_elapsed() = clock.elapsed();
        }
        if (ticket.has_first_response_time()) {
          const absl::Duration first_response = ActiveTime(
              history, created, ToTime(ticket.first_response_time()));
          SetDuration(first_response,
                      solved->mutable_first_response_duration());
          SetDuration(business_first_response.value_or(first_response),
                      solved->mutable_business_first_response_duration());
        }
        SetDuration(business_resolution,
                    solved->mutable_business_resolution_duration());
        solved->set_csat_survey(ticket.csat_survey());
        RETURN_IF_ERROR(writes.Publish(ticket.name(), std::move(event)));
        *response.mutable_ticket() = std::move(ticket);
        if (survey.has_value()) *response.mutable_csat_survey() = *survey;
        MentionTicket(response.ticket(), write);
        return absl::OkStatus();
      }));
  StatusChangeResult result;
  result.ticket = std::move(*response.mutable_ticket());
  if (response.has_csat_survey()) {
    result.csat_survey = std::move(*response.mutable_csat_survey());
  }
  return result;
}

absl::StatusOr<v1::Ticket> TicketManager::Assign(
    const Caller& caller, const v1::AssignTicketRequest& request) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(request.name(), kTickets, "name"));
  std::string assignee = request.assignee();
  std::string team = request.team();
  FieldViolations violations;
  CheckAssignee(&assignee, "assignee", &violations);
  CheckTeam(&team, "team", &violations);
  if (violations.empty()) {
    if (request.clear_assignee() && !assignee.empty()) {
      violations.Add("clear_assignee", "must not be set with an assignee");
    } else if (assignee.empty() && team.empty() && !request.clear_assignee()) {
      violations.Add("assignee", "give an assignee, a team or clear_assignee");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = NowMicros(*deps_.clock);
  v1::AssignTicketResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket ticket, writes.Load(id));
        RETURN_IF_ERROR(CheckEtag(request.etag(), ticket.etag(), "etag"));
        if (ticket.status() == v1::TICKET_STATUS_CLOSED) {
          return absl::FailedPreconditionError(
              absl::StrCat(ticket.name(), " is CLOSED and cannot change"));
        }
        const std::string previous_assignee = ticket.assignee();
        const std::string previous_team = ticket.team();
        if (request.clear_assignee()) ticket.clear_assignee();
        if (!assignee.empty()) ticket.set_assignee(assignee);
        if (!team.empty()) ticket.set_team(team);
        if (ticket.assignee() == previous_assignee &&
            ticket.team() == previous_team) {
          *response.mutable_ticket() = std::move(ticket);
          MentionTicket(response.ticket(), write);
          return absl::OkStatus();
        }
        v1::RoutingDecision* routing = ticket.mutable_routing();
        routing->set_reason(v1::ROUTING_REASON_MANUAL);
        routing->set_explanation(
            ticket.assignee().empty()
                ? absl::StrCat("assigned by ", caller.actor,
                               " to the queue of team ", ticket.team())
                : absl::StrCat("assigned by ", caller.actor, " to ",
                               ticket.assignee(), " in team ", ticket.team()));
        SetTimestamp(now, routing->mutable_route_time());
        RETURN_IF_ERROR(writes.Save({RoutedEntry(writes, ticket)},
                                    /*reselect=*/false, &ticket));
        RETURN_IF_ERROR(
            PublishAssigned(writes, ticket, previous_assignee, previous_team));
        *response.mutable_ticket() = std::move(ticket);
        MentionTicket(response.ticket(), write);
        return absl::OkStatus();
      }));
  return std::move(*response.mutable_ticket());
}

absl::StatusOr<v1::Ticket> TicketManager::Route(const Caller& caller,
                                                absl::string_view name,
                                                absl::string_view etag) {
  RememberWriter(caller);
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kTickets, "name"));
  const absl::Time now = NowMicros(*deps_.clock);
  v1::RouteTicketResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        TicketWrites writes(deps_, sla_, routing_, caller, txn, now);
        ASSIGN_OR_RETURN(v1::Ticket ticket, writes.Load(id));
        RETURN_IF_ERROR(CheckEtag(etag, ticket.etag(), "etag"));
        if (!IsOpenStatus(ticket.status())) {
          return absl::FailedPreconditionError(
              absl::StrCat(ticket.name(), " is ", StatusLabel(ticket.status()),
                           ": only a ticket in progress is routed"));
        }
        std::optional<ProjectedAccount> account;
        if (!ticket.account().empty()) {
          ASSIGN_OR_RETURN(
              account, deps_.projection->FindAccount(txn, caller.tenant,
                                                     IdOf(ticket.account())));
        }
        const std::string previous_assignee = ticket.assignee();
        const std::string previous_team = ticket.team();
        RETURN_IF_ERROR(
            routing_->Route(txn, caller.tenant, account, now, &ticket)
                .status());
        RETURN_IF_ERROR(writes.Save({RoutedEntry(writes, ticket)},
                                    /*reselect=*/false, &ticket));
        RETURN_IF_ERROR(
            PublishAssigned(writes, ticket, previous_assignee, previous_team));
        *response.mutable_ticket() = std::move(ticket);
        MentionTicket(response.ticket(), write);
        return absl::OkStatus();
      }));
  return std::move(*response.mutable_ticket());
}

}  // namespace clientele::ticketing

// The ticket and routing-policy RPCs: proto requests to manager calls and
// back. SLA RPCs are in ticketing_grpc_service_sla.cc, CSAT and data-subject
// RPCs in ticketing_grpc_service_csat.cc.
#include "services/ticketing/ticketing_grpc_service.h"

#include <optional>
#include <utility>

#include "common/status_macros.h"
#include "services/ticketing/routing_manager.h"
#include "services/ticketing/ticket_manager.h"

namespace clientele::ticketing {

absl::Status TicketingGrpcService::CreateTicket(
    const Context& context, const v1::CreateTicketRequest& request,
    v1::CreateTicketResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_ticket(),
      managers_.tickets->Create(context.caller(), request.ticket()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::SubmitTicketForm(
    const Context& context, const v1::SubmitTicketFormRequest& request,
    v1::SubmitTicketFormResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.tickets->SubmitForm(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::GetTicket(
    const Context& context, const v1::GetTicketRequest& request,
    v1::GetTicketResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_ticket(),
                   managers_.tickets->Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::UpdateTicket(
    const Context& context, const v1::UpdateTicketRequest& request,
    v1::UpdateTicketResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_ticket(),
                   managers_.tickets->Update(context.caller(), request.ticket(),
                                             request.update_mask()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::DeleteTicket(
    const Context& context, const v1::DeleteTicketRequest& request,
    v1::DeleteTicketResponse* response) {
  RETURN_IF_ERROR(managers_.tickets->Delete(context.caller(), request.name(),
                                            request.etag()));
  response->set_name(request.name());
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListTickets(
    const Context& context, const v1::ListTicketsRequest& request,
    v1::ListTicketsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.tickets->List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::CreateTicketComment(
    const Context& context, const v1::CreateTicketCommentRequest& request,
    v1::CreateTicketCommentResponse* response) {
  ASSIGN_OR_RETURN(CommentResult result,
                   managers_.tickets->AddComment(
                       context.caller(), request.parent(), request.comment()));
  *response->mutable_comment() = std::move(result.comment);
  *response->mutable_ticket() = std::move(result.ticket);
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListTicketComments(
    const Context& context, const v1::ListTicketCommentsRequest& request,
    v1::ListTicketCommentsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.tickets->ListComments(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListTicketHistory(
    const Context& context, const v1::ListTicketHistoryRequest& request,
    v1::ListTicketHistoryResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.tickets->ListHistory(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::MergeTickets(
    const Context& context, const v1::MergeTicketsRequest& request,
    v1::MergeTicketsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.tickets->Merge(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ChangeTicketStatus(
    const Context& context, const v1::ChangeTicketStatusRequest& request,
    v1::ChangeTicketStatusResponse* response) {
  ASSIGN_OR_RETURN(
      StatusChangeResult result,
      managers_.tickets->ChangeStatus(context.caller(), request.name(),
                                      request.status(), request.etag()));
  *response->mutable_ticket() = std::move(result.ticket);
  if (result.csat_survey.has_value()) {
    *response->mutable_csat_survey() = *std::move(result.csat_survey);
  }
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::AssignTicket(
    const Context& context, const v1::AssignTicketRequest& request,
    v1::AssignTicketResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_ticket(),
                   managers_.tickets->Assign(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::RouteTicket(
    const Context& context, const v1::RouteTicketRequest& request,
    v1::RouteTicketResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_ticket(),
                   managers_.tickets->Route(context.caller(), request.name(),
                                            request.etag()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::GetRoutingPolicy(
    const Context& context, const v1::GetRoutingPolicyRequest& request,
    v1::GetRoutingPolicyResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_routing_policy(),
                   managers_.routing->Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::UpdateRoutingPolicy(
    const Context& context, const v1::UpdateRoutingPolicyRequest& request,
    v1::UpdateRoutingPolicyResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_routing_policy(),
      managers_.routing->Update(context.caller(), request.routing_policy(),
                                request.update_mask()));
  return absl::OkStatus();
}

}  // namespace clientele::ticketing

// The gRPC face of the ticketing service: proto requests to manager calls and
// back, nothing else. Every RPC goes through the generated
// TicketingServiceBase (authentication, roles, worker pool, logging, status
// mapping); the rules live in the managers.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_

#include "clientele/ticketing/v1/ticketing_service.clientele.h"

namespace clientele::ticketing {

class TicketManager;       // ticket_manager.h
class RoutingManager;      // routing_manager.h
class SlaPolicyManager;    // sla_policy_manager.h
class SlaAlertManager;     // sla_alert_manager.h
class CsatManager;         // csat_manager.h
class DataSubjectManager;  // data_subject_manager.h

// The managers behind the RPCs; not owned.
struct TicketingManagers {
  TicketManager* tickets = nullptr;
  RoutingManager* routing = nullptr;
  SlaPolicyManager* sla_policies = nullptr;
  SlaAlertManager* sla_alerts = nullptr;
  CsatManager* csat = nullptr;
  DataSubjectManager* data_subjects = nullptr;
};

class TicketingGrpcService : public v1::TicketingServiceBase {
 public:
  TicketingGrpcService(server::RpcRuntime* runtime,
                       const TicketingManagers& managers)
      : v1::TicketingServiceBase(runtime), managers_(managers) {}

  using Context = server::RequestContext;

  // Tickets, comments, history, status, assignment, routing, merge, intake
  // (ticketing_grpc_service.cc).
  // BEGIN tickets
  absl::Status CreateTicket(const Context& context,
                            const v1::CreateTicketRequest& request,
                            v1::CreateTicketResponse* response) override;
  absl::Status SubmitTicketForm(
      const Context& context, const v1::SubmitTicketFormRequest& request,
      v1::SubmitTicketFormResponse* response) override;
  absl::Status GetTicket(const Context& context,
                         const v1::GetTicketRequest& request,
                         v1::GetTicketResponse* response) override;
  absl::Status UpdateTicket(const Context& context,
                            const v1::UpdateTicketRequest& request,
                            v1::UpdateTicketResponse* response) override;
  absl::Status DeleteTicket(const Context& context,
                            const v1::DeleteTicketRequest& request,
                            v1::DeleteTicketResponse* response) override;
  absl::Status ListTickets(const Context& context,
                           const v1::ListTicketsRequest& request,
                           v1::ListTicketsResponse* response) override;
  absl::Status CreateTicketComment(
      const Context& context, const v1::CreateTicketCommentRequest& request,
      v1::CreateTicketCommentResponse* response) override;
  absl::Status ListTicketComments(
      const Context& context, const v1::ListTicketCommentsRequest& request,
      v1::ListTicketCommentsResponse* response) override;
  absl::Status ListTicketHistory(
      const Context& context, const v1::ListTicketHistoryRequest& request,
      v1::ListTicketHistoryResponse* response) override;
  absl::Status MergeTickets(const Context& context,
                            const v1::MergeTicketsRequest& request,
                            v1::MergeTicketsResponse* response) override;
  absl::Status ChangeTicketStatus(
      const Context& context, const v1::ChangeTicketStatusRequest& request,
      v1::ChangeTicketStatusResponse* response) override;
  absl::Status AssignTicket(const Context& context,
                            const v1::AssignTicketRequest& request,
                            v1::AssignTicketResponse* response) override;
  absl::Status RouteTicket(const Context& context,
                           const v1::RouteTicketRequest& request,
                           v1::RouteTicketResponse* response) override;
  absl::Status GetRoutingPolicy(
      const Context& context, const v1::GetRoutingPolicyRequest& request,
      v1::GetRoutingPolicyResponse* response) override;
  absl::Status UpdateRoutingPolicy(
      const Context& context, const v1::UpdateRoutingPolicyRequest& request,
      v1::UpdateRoutingPolicyResponse* response) override;
  // END tickets

  // SLA policies and alerts (ticketing_grpc_service_sla.cc).
  // BEGIN sla
  absl::Status CreateSlaPolicy(const Context& context,
                               const v1::CreateSlaPolicyRequest& request,
                               v1::CreateSlaPolicyResponse* response) override;
  absl::Status GetSlaPolicy(const Context& context,
                            const v1::GetSlaPolicyRequest& request,
                            v1::GetSlaPolicyResponse* response) override;
  absl::Status UpdateSlaPolicy(const Context& context,
                               const v1::UpdateSlaPolicyRequest& request,
                               v1::UpdateSlaPolicyResponse* response) override;
  absl::Status DeleteSlaPolicy(const Context& context,
                               const v1::DeleteSlaPolicyRequest& request,
                               v1::DeleteSlaPolicyResponse* response) override;
  absl::Status ListSlaPolicies(const Context& context,
                               const v1::ListSlaPoliciesRequest& request,
                               v1::ListSlaPoliciesResponse* response) override;
  absl::Status ListSlaAlerts(const Context& context,
                             const v1::ListSlaAlertsRequest& request,
                             v1::ListSlaAlertsResponse* response) override;
  // END sla

  // CSAT surveys and data-subject export (ticketing_grpc_service_csat.cc).
  // BEGIN csat
  absl::Status GetCsatSurvey(const Context& context,
                             const v1::GetCsatSurveyRequest& request,
                             v1::GetCsatSurveyResponse* response) override;
  absl::Status ListCsatSurveys(const Context& context,
                               const v1::ListCsatSurveysRequest& request,
                               v1::ListCsatSurveysResponse* response) override;
  absl::Status SubmitCsatResponse(
      const Context& context, const v1::SubmitCsatResponseRequest& request,
      v1::SubmitCsatResponseResponse* response) override;
  absl::Status ExportDataSubject(
      const Context& context, const v1::ExportDataSubjectRequest& request,
      v1::ExportDataSubjectResponse* response) override;
  // END csat

 private:
  TicketingManagers managers_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_GRPC_SERVICE_H_

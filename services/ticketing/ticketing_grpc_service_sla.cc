// SLA policies and alerts: proto requests to SlaPolicyManager and
// SlaAlertManager calls and back.
#include "common/status_macros.h"
#include "services/ticketing/sla_alert_manager.h"
#include "services/ticketing/sla_policy_manager.h"
#include "services/ticketing/ticketing_grpc_service.h"

namespace clientele::ticketing {

absl::Status TicketingGrpcService::CreateSlaPolicy(
    const Context& context, const v1::CreateSlaPolicyRequest& request,
    v1::CreateSlaPolicyResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_sla_policy(),
      managers_.sla_policies->Create(context.caller(), request.sla_policy()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::GetSlaPolicy(
    const Context& context, const v1::GetSlaPolicyRequest& request,
    v1::GetSlaPolicyResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_sla_policy(),
      managers_.sla_policies->Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::UpdateSlaPolicy(
    const Context& context, const v1::UpdateSlaPolicyRequest& request,
    v1::UpdateSlaPolicyResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_sla_policy(),
      managers_.sla_policies->Update(context.caller(), request.sla_policy(),
                                     request.update_mask()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::DeleteSlaPolicy(
    const Context& context, const v1::DeleteSlaPolicyRequest& request,
    v1::DeleteSlaPolicyResponse* response) {
  RETURN_IF_ERROR(managers_.sla_policies->Delete(
      context.caller(), request.name(), request.etag()));
  response->set_name(request.name());
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListSlaPolicies(
    const Context& context, const v1::ListSlaPoliciesRequest& request,
    v1::ListSlaPoliciesResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.sla_policies->List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListSlaAlerts(
    const Context& context, const v1::ListSlaAlertsRequest& request,
    v1::ListSlaAlertsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.sla_alerts->List(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::ticketing

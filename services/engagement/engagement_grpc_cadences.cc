// The cadence RPCs of EngagementGrpcService (CadenceManager does the work).
#include <utility>

#include "common/status_macros.h"
#include "services/engagement/engagement_grpc_service.h"

namespace clientele::engagement {

absl::Status EngagementGrpcService::CreateCadence(
    const Context& context, const v1::CreateCadenceRequest& request,
    v1::CreateCadenceResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_cadence(),
      backend_->cadences().Create(context.caller(), request.cadence()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetCadence(
    const Context& context, const v1::GetCadenceRequest& request,
    v1::GetCadenceResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_cadence(),
                   backend_->cadences().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::UpdateCadence(
    const Context& context, const v1::UpdateCadenceRequest& request,
    v1::UpdateCadenceResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_cadence(),
      backend_->cadences().Update(context.caller(), request.cadence(),
                                  request.update_mask()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::DeleteCadence(
    const Context& context, const v1::DeleteCadenceRequest& request,
    v1::DeleteCadenceResponse* response) {
  RETURN_IF_ERROR(backend_->cadences().Delete(context.caller(), request.name(),
                                              request.etag()));
  response->set_name(request.name());
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListCadences(
    const Context& context, const v1::ListCadencesRequest& request,
    v1::ListCadencesResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->cadences().List(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::engagement

// The deals RPCs of EngagementGrpcService (engagement_grpc_service.h): proto
// requests to DealManager calls and back.
#include "common/status_macros.h"
#include "services/engagement/engagement_grpc_service.h"

namespace clientele::engagement {

absl::Status EngagementGrpcService::CreateDeal(
    const Context& context, const v1::CreateDealRequest& request,
    v1::CreateDealResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_deal(),
                   backend_->deals().Create(context.caller(), request.deal()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetDeal(const Context& context,
                                            const v1::GetDealRequest& request,
                                            v1::GetDealResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_deal(),
                   backend_->deals().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::UpdateDeal(
    const Context& context, const v1::UpdateDealRequest& request,
    v1::UpdateDealResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_deal(),
                   backend_->deals().Update(context.caller(), request.deal(),
                                            request.update_mask()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListDeals(
    const Context& context, const v1::ListDealsRequest& request,
    v1::ListDealsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->deals().List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::CloseDeal(
    const Context& context, const v1::CloseDealRequest& request,
    v1::CloseDealResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_deal(),
                   backend_->deals().Close(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetPipeline(
    const Context& context, const v1::GetPipelineRequest& request,
    v1::GetPipelineResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_pipeline(),
                   backend_->deals().GetPipeline(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::engagement

// EngagementGrpcService's order RPCs (engagement_grpc_service.h): requests
// to OrderManager calls and back.
#include "common/status_macros.h"
#include "services/engagement/engagement_grpc_service.h"

namespace clientele::engagement {

absl::Status EngagementGrpcService::CreateOrder(
    const Context& context, const v1::CreateOrderRequest& request,
    v1::CreateOrderResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_order(),
      backend_->orders().Create(context.caller(), request.order()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetOrder(const Context& context,
                                             const v1::GetOrderRequest& request,
                                             v1::GetOrderResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_order(),
                   backend_->orders().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::UpdateOrder(
    const Context& context, const v1::UpdateOrderRequest& request,
    v1::UpdateOrderResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_order(),
                   backend_->orders().Update(context.caller(), request.order(),
                                             request.update_mask()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListOrders(
    const Context& context, const v1::ListOrdersRequest& request,
    v1::ListOrdersResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->orders().List(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::engagement

// The gRPC face of the engagement service: proto requests to manager calls
// and back, nothing else. Every RPC goes through the generated
// EngagementServiceBase (authentication, worker pool, logging, status
// mapping); the rules live in the managers (engagement_backend.h).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_

#include "clientele/engagement/v1/engagement_service.clientele.h"
#include "services/engagement/engagement_backend.h"

namespace clientele::engagement {

class EngagementGrpcService : public v1::EngagementServiceBase {
 public:
  // `backend` is not owned.
  EngagementGrpcService(server::RpcRuntime* runtime, EngagementBackend* backend)
      : v1::EngagementServiceBase(runtime), backend_(backend) {}

  using Context = server::RequestContext;

  absl::Status RecordInteraction(
      const Context& context, const v1::RecordInteractionRequest& request,
      v1::RecordInteractionResponse* response) override;
  absl::Status BatchRecordInteractions(
      const Context& context, const v1::BatchRecordInteractionsRequest& request,
      v1::BatchRecordInteractionsResponse* response) override;
  absl::Status GetInteraction(const Context& context,
                              const v1::GetInteractionRequest& request,
                              v1::GetInteractionResponse* response) override;
  absl::Status ListInteractions(
      const Context& context, const v1::ListInteractionsRequest& request,
      v1::ListInteractionsResponse* response) override;
  absl::Status DeleteInteraction(
      const Context& context, const v1::DeleteInteractionRequest& request,
      v1::DeleteInteractionResponse* response) override;
  absl::Status GetRelationshipScore(
      const Context& context, const v1::GetRelationshipScoreRequest& request,
      v1::GetRelationshipScoreResponse* response) override;
  // A warm score the cache can vouch for, answered without leaving the
  // gRPC thread (ScoreManager::GetFromMemory).
  std::optional<absl::Status> GetRelationshipScoreInline(
      const Context& context, const v1::GetRelationshipScoreRequest& request,
      v1::GetRelationshipScoreResponse* response) override;
  absl::Status BatchGetRelationshipScores(
      const Context& context,
      const v1::BatchGetRelationshipScoresRequest& request,
      v1::BatchGetRelationshipScoresResponse* response) override;
  absl::Status ListScoreChanges(
      const Context& context, const v1::ListScoreChangesRequest& request,
      v1::ListScoreChangesResponse* response) override;
  absl::Status ListNextBestActions(
      const Context& context, const v1::ListNextBestActionsRequest& request,
      v1::ListNextBestActionsResponse* response) override;
  absl::Status GetScoringPolicy(
      const Context& context, const v1::GetScoringPolicyRequest& request,
      v1::GetScoringPolicyResponse* response) override;
  absl::Status UpdateScoringPolicy(
      const Context& context, const v1::UpdateScoringPolicyRequest& request,
      v1::UpdateScoringPolicyResponse* response) override;
  absl::Status CreateFollowUp(const Context& context,
                              const v1::CreateFollowUpRequest& request,
                              v1::CreateFollowUpResponse* response) override;
  absl::Status GetFollowUp(const Context& context,
                           const v1::GetFollowUpRequest& request,
                           v1::GetFollowUpResponse* response) override;
  absl::Status UpdateFollowUp(const Context& context,
                              const v1::UpdateFollowUpRequest& request,
                              v1::UpdateFollowUpResponse* response) override;
  absl::Status DeleteFollowUp(const Context& context,
                              const v1::DeleteFollowUpRequest& request,
                              v1::DeleteFollowUpResponse* response) override;
  absl::Status ListFollowUps(const Context& context,
                             const v1::ListFollowUpsRequest& request,
                             v1::ListFollowUpsResponse* response) override;
  absl::Status ListDueFollowUps(
      const Context& context, const v1::ListDueFollowUpsRequest& request,
      v1::ListDueFollowUpsResponse* response) override;
  absl::Status CompleteFollowUp(
      const Context& context, const v1::CompleteFollowUpRequest& request,
      v1::CompleteFollowUpResponse* response) override;
  absl::Status ExportDataSubject(
      const Context& context, const v1::ExportDataSubjectRequest& request,
      v1::ExportDataSubjectResponse* response) override;

  // BEGIN deals (engagement_grpc_deals.cc)
  absl::Status CreateDeal(const Context& context,
                          const v1::CreateDealRequest& request,
                          v1::CreateDealResponse* response) override;
  absl::Status GetDeal(const Context& context,
                       const v1::GetDealRequest& request,
                       v1::GetDealResponse* response) override;
  absl::Status UpdateDeal(const Context& context,
                          const v1::UpdateDealRequest& request,
                          v1::UpdateDealResponse* response) override;
  absl::Status ListDeals(const Context& context,
                         const v1::ListDealsRequest& request,
                         v1::ListDealsResponse* response) override;
  absl::Status CloseDeal(const Context& context,
                         const v1::CloseDealRequest& request,
                         v1::CloseDealResponse* response) override;
  absl::Status GetPipeline(const Context& context,
                           const v1::GetPipelineRequest& request,
                           v1::GetPipelineResponse* response) override;
  // END deals
  // BEGIN orders (engagement_grpc_orders.cc)
  absl::Status CreateOrder(const Context& context,
                           const v1::CreateOrderRequest& request,
                           v1::CreateOrderResponse* response) override;
  absl::Status GetOrder(const Context& context,
                        const v1::GetOrderRequest& request,
                        v1::GetOrderResponse* response) override;
  absl::Status UpdateOrder(const Context& context,
                           const v1::UpdateOrderRequest& request,
                           v1::UpdateOrderResponse* response) override;
  absl::Status ListOrders(const Context& context,
                          const v1::ListOrdersRequest& request,
                          v1::ListOrdersResponse* response) override;
  // END orders
  // BEGIN cadences (engagement_grpc_cadences.cc)
  absl::Status CreateCadence(const Context& context,
                             const v1::CreateCadenceRequest& request,
                             v1::CreateCadenceResponse* response) override;
  absl::Status GetCadence(const Context& context,
                          const v1::GetCadenceRequest& request,
                          v1::GetCadenceResponse* response) override;
  absl::Status UpdateCadence(const Context& context,
                             const v1::UpdateCadenceRequest& request,
                             v1::UpdateCadenceResponse* response) override;
  absl::Status DeleteCadence(const Context& context,
                             const v1::DeleteCadenceRequest& request,
                             v1::DeleteCadenceResponse* response) override;
  absl::Status ListCadences(const Context& context,
                            const v1::ListCadencesRequest& request,
                            v1::ListCadencesResponse* response) override;
  // END cadences

 private:
  EngagementBackend* const backend_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_GRPC_SERVICE_H_

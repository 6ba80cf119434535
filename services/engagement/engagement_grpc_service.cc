#include "services/engagement/engagement_grpc_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace clientele::engagement {
absl::Status EngagementGrpcService::RecordInteraction(
    const Context& context, const v1::RecordInteractionRequest& request,
    v1::RecordInteractionResponse* response) {
  google::protobuf::RepeatedPtrField<v1::Interaction> one;
  *one.Add() = request.interaction();
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> recorded,
                   backend_->interactions().Record(context.caller(), one,
                                                   /*single=*/true));
  *response->mutable_interaction() = std::move(recorded.front());
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::BatchRecordInteractions(
    const Context& context, const v1::BatchRecordInteractionsRequest& request,
    v1::BatchRecordInteractionsResponse* response) {
  ASSIGN_OR_RETURN(
      std::vector<v1::Interaction> recorded,
      backend_->interactions().Record(context.caller(), request.interactions(),
                                      /*single=*/false));
  for (v1::Interaction& interaction : recorded) {
    *response->add_interactions() = std::move(interaction);
  }
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetInteraction(
    const Context& context, const v1::GetInteractionRequest& request,
    v1::GetInteractionResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_interaction(),
      backend_->interactions().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListInteractions(
    const Context& context, const v1::ListInteractionsRequest& request,
    v1::ListInteractionsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->interactions().List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::DeleteInteraction(
    const Context& context, const v1::DeleteInteractionRequest& request,
    v1::DeleteInteractionResponse* response) {
  RETURN_IF_ERROR(
      backend_->interactions().Delete(context.caller(), request.name()));
  response->set_name(request.name());
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetRelationshipScore(
    const Context& context, const v1::GetRelationshipScoreRequest& request,
    v1::GetRelationshipScoreResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_relationship_score(),
      backend_->scores().Get(
          context.caller(), request.name(),
          request.has_as_of_time() ? &request.as_of_time() : nullptr,
          request.view()));
  return absl::OkStatus();
}

std::optional<absl::Status> EngagementGrpcService::GetRelationshipScoreInline(
    const Context& context, const v1::GetRelationshipScoreRequest& request,
    v1::GetRelationshipScoreResponse* response) {
  std::optional<v1::RelationshipScore> score = backend_->scores().GetFromMemory(
      context.caller(), request.name(),
      request.has_as_of_time() ? &request.as_of_time() : nullptr,
      request.view());
  if (!score.has_value()) return std::nullopt;
  *response->mutable_relationship_score() = *std::move(score);
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::BatchGetRelationshipScores(
    const Context& context,
    const v1::BatchGetRelationshipScoresRequest& request,
    v1::BatchGetRelationshipScoresResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::RelationshipScore> scores,
                   backend_->scores().BatchGet(context.caller(), request));
  for (v1::RelationshipScore& score : scores) {
    *response->add_relationship_scores() = std::move(score);
  }
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListScoreChanges(
    const Context& context, const v1::ListScoreChangesRequest& request,
    v1::ListScoreChangesResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->scores().ListChanges(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListNextBestActions(
    const Context& context, const v1::ListNextBestActionsRequest& request,
    v1::ListNextBestActionsResponse* response) {
  ASSIGN_OR_RETURN(*response, backend_->scores().ListNextBestActions(
                                  context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetScoringPolicy(
    const Context& context, const v1::GetScoringPolicyRequest& request,
    v1::GetScoringPolicyResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_scoring_policy(),
                   backend_->policies().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::UpdateScoringPolicy(
    const Context& context, const v1::UpdateScoringPolicyRequest& request,
    v1::UpdateScoringPolicyResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_scoring_policy(),
      backend_->policies().Update(context.caller(), request.scoring_policy(),
                                  request.update_mask()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::CreateFollowUp(
    const Context& context, const v1::CreateFollowUpRequest& request,
    v1::CreateFollowUpResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_follow_up(),
      backend_->follow_ups().Create(context.caller(), request.follow_up()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::GetFollowUp(
    const Context& context, const v1::GetFollowUpRequest& request,
    v1::GetFollowUpResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_follow_up(),
      backend_->follow_ups().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::UpdateFollowUp(
    const Context& context, const v1::UpdateFollowUpRequest& request,
    v1::UpdateFollowUpResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_follow_up(),
      backend_->follow_ups().Update(context.caller(), request.follow_up(),
                                    request.update_mask()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::DeleteFollowUp(
    const Context& context, const v1::DeleteFollowUpRequest& request,
    v1::DeleteFollowUpResponse* response) {
  RETURN_IF_ERROR(backend_->follow_ups().Delete(
      context.caller(), request.name(), request.etag()));
  response->set_name(request.name());
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListFollowUps(
    const Context& context, const v1::ListFollowUpsRequest& request,
    v1::ListFollowUpsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->follow_ups().List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ListDueFollowUps(
    const Context& context, const v1::ListDueFollowUpsRequest& request,
    v1::ListDueFollowUpsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->follow_ups().ListDue(context.caller(), request));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::CompleteFollowUp(
    const Context& context, const v1::CompleteFollowUpRequest& request,
    v1::CompleteFollowUpResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_follow_up(),
                   backend_->follow_ups().Complete(
                       context.caller(), request.name(), request.etag()));
  return absl::OkStatus();
}

absl::Status EngagementGrpcService::ExportDataSubject(
    const Context& context, const v1::ExportDataSubjectRequest& request,
    v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->data_subjects().Export(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::engagement

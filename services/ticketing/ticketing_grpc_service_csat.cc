// CSAT surveys and data-subject export: proto requests to CsatManager and
// DataSubjectManager calls and back.
#include "common/status_macros.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/data_subject_manager.h"
#include "services/ticketing/ticketing_grpc_service.h"

namespace clientele::ticketing {

absl::Status TicketingGrpcService::GetCsatSurvey(
    const Context& context, const v1::GetCsatSurveyRequest& request,
    v1::GetCsatSurveyResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_csat_survey(),
                   managers_.csat->Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ListCsatSurveys(
    const Context& context, const v1::ListCsatSurveysRequest& request,
    v1::ListCsatSurveysResponse* response) {
  ASSIGN_OR_RETURN(*response, managers_.csat->List(context.caller(), request));
  return absl::OkStatus();
}

// No bearer token: the request carries the survey's own (ServeUnary lets
// it through unauthenticated; CsatManager::Submit checks the token and
// takes the survey's tenant from it).
absl::Status TicketingGrpcService::SubmitCsatResponse(
    const Context& context, const v1::SubmitCsatResponseRequest& request,
    v1::SubmitCsatResponseResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_csat_survey(),
                   managers_.csat->Submit(context.caller(), request));
  return absl::OkStatus();
}

absl::Status TicketingGrpcService::ExportDataSubject(
    const Context& context, const v1::ExportDataSubjectRequest& request,
    v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   managers_.data_subjects->Export(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::ticketing

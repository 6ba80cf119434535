// Tenancy through the real service: every kind of resource of tenant acme
// (ticket, comments, history, SLA policy, CSAT survey, SLA alert, routing
// policy, data-subject export) is NOT_FOUND or absent for an admin of tenant
// globex, whatever it tries, and nothing of acme's changes.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticketing_service_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST_F(TicketingServiceTest, AnotherTenantFindsNothingOfATenant) {
  using Stub = TicketingService::Stub;
  // acme: an SLA policy, a ticket with a comment whose first response is
  // breached, a solved one with its survey, a routing policy of its own.
  PublishAccount("a1", "acme");
  PublishContact("c1", "a1", "acme");
  v1::CreateSlaPolicyRequest create_policy;
  create_policy.mutable_sla_policy()->set_display_name("Default");
  create_policy.mutable_sla_policy()->set_rank(100);
  create_policy.mutable_sla_policy()
      ->mutable_first_response_target()
      ->set_seconds(60);
  v1::CreateSlaPolicyResponse created_policy;
  ASSERT_TRUE(
      Call(&Stub::CreateSlaPolicy, create_policy, &created_policy).ok());
  const v1::SlaPolicy policy = created_policy.sla_policy();
  const v1::Ticket ticket = CreateTicket("a1", "c1");
  const v1::Ticket duplicate = CreateTicket("a1", "c1");
  v1::CreateTicketCommentRequest note;
  note.set_parent(ticket.name());
  note.mutable_comment()->set_visibility(v1::COMMENT_VISIBILITY_INTERNAL_NOTE);
  note.mutable_comment()->set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
  note.mutable_comment()->set_body("Called the customer back");
  v1::CreateTicketCommentResponse noted;
  ASSERT_TRUE(Call(&Stub::CreateTicketComment, note, &noted).ok());
  v1::ChangeTicketStatusRequest solve;
  solve.set_name(CreateTicket("a1", "c1").name());
  solve.set_status(v1::TICKET_STATUS_SOLVED);
  v1::ChangeTicketStatusResponse solved;
  ASSERT_TRUE(Call(&Stub::ChangeTicketStatus, solve, &solved).ok());
  const v1::CsatSurvey survey = solved.csat_survey();
  ASSERT_FALSE(survey.name().empty());
  v1::UpdateRoutingPolicyRequest routing;
  routing.mutable_routing_policy()->set_agent_capacity(3);
  routing.mutable_update_mask()->add_paths("agent_capacity");
  v1::UpdateRoutingPolicyResponse routed;
  ASSERT_TRUE(Call(&Stub::UpdateRoutingPolicy, routing, &routed).ok());
  clock_.Advance(absl::Hours(2));
  v1::ListSlaAlertsResponse acme_alerts;
  ASSERT_TRUE(Call(&Stub::ListSlaAlerts, v1::ListSlaAlertsRequest(),
                   &acme_alerts, kAcmeViewer)
                  .ok());
  ASSERT_THAT(acme_alerts.sla_alerts(), SizeIs(2));  // both open tickets
  // globex knows an account and a contact of the same ids.
  PublishAccount("a1", "globex");
  PublishContact("c1", "a1", "globex");

  const auto expect_not_found = [](const grpc::Status& status,
                                   const std::string& what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
        << what << ": " << status.error_message();
  };
  const char* const kGlobex = kGlobexAdmin;

  // The ticket.
  v1::GetTicketRequest get;
  get.set_name(ticket.name());
  v1::GetTicketResponse got;
  expect_not_found(Call(&Stub::GetTicket, get, &got, kGlobex), "GetTicket");
  v1::UpdateTicketRequest update;
  update.mutable_ticket()->set_name(ticket.name());
  update.mutable_ticket()->set_subject("Mine now");
  update.mutable_update_mask()->add_paths("subject");
  v1::UpdateTicketResponse updated;
  expect_not_found(Call(&Stub::UpdateTicket, update, &updated, kGlobex),
                   "UpdateTicket");
  v1::ChangeTicketStatusRequest change;
  change.set_name(ticket.name());
  change.set_status(v1::TICKET_STATUS_SOLVED);
  v1::ChangeTicketStatusResponse changed;
  expect_not_found(Call(&Stub::ChangeTicketStatus, change, &changed, kGlobex),
                   "ChangeTicketStatus");
  v1::AssignTicketRequest assign;
  assign.set_name(ticket.name());
  assign.set_assignee("u-globex");
  v1::AssignTicketResponse assigned;
  expect_not_found(Call(&Stub::AssignTicket, assign, &assigned, kGlobex),
                   "AssignTicket");
  v1::RouteTicketRequest route;
  route.set_name(ticket.name());
  v1::RouteTicketResponse rerouted;
  expect_not_found(Call(&Stub::RouteTicket, route, &rerouted, kGlobex),
                   "RouteTicket");
  const v1::Ticket own = CreateTicket("a1", "c1", kGlobex);
  for (const auto& [target, source] :
       {std::pair(own.name(), ticket.name()),
        std::pair(ticket.name(), duplicate.name()),
        std::pair(ticket.name(), own.name())}) {
    v1::MergeTicketsRequest merge;
    merge.set_target(target);
    merge.add_sources(source);
    v1::MergeTicketsResponse merged;
    expect_not_found(Call(&Stub::MergeTickets, merge, &merged, kGlobex),
                     absl::StrCat("MergeTickets ", source, " into ", target));
  }
  v1::DeleteTicketRequest remove;
  remove.set_name(ticket.name());
  v1::DeleteTicketResponse removed;
  expect_not_found(Call(&Stub::DeleteTicket, remove, &removed, kGlobex),
                   "DeleteTicket");
  v1::ListTicketsRequest list;
  list.set_account("accounts/a1");
  v1::ListTicketsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListTickets, list, &listed, kGlobex).ok());
  ASSERT_THAT(listed.tickets(), SizeIs(1));  // its own
  EXPECT_EQ(listed.tickets(0).name(), own.name());

  // Its comments and history.
  v1::CreateTicketCommentRequest reply = note;
  reply.mutable_comment()->set_body("Hello from globex");
  v1::CreateTicketCommentResponse replied;
  expect_not_found(Call(&Stub::CreateTicketComment, reply, &replied, kGlobex),
                   "CreateTicketComment");
  v1::ListTicketCommentsRequest comments;
  comments.set_parent(ticket.name());
  v1::ListTicketCommentsResponse listed_comments;
  expect_not_found(
      Call(&Stub::ListTicketComments, comments, &listed_comments, kGlobex),
      "ListTicketComments");
  EXPECT_THAT(listed_comments.comments(), IsEmpty());
  v1::ListTicketHistoryRequest history;
  history.set_parent(ticket.name());
  v1::ListTicketHistoryResponse listed_history;
  expect_not_found(
      Call(&Stub::ListTicketHistory, history, &listed_history, kGlobex),
      "ListTicketHistory");
  EXPECT_THAT(listed_history.entries(), IsEmpty());

  // The SLA policy.
  v1::GetSlaPolicyRequest get_policy;
  get_policy.set_name(policy.name());
  v1::GetSlaPolicyResponse got_policy;
  expect_not_found(Call(&Stub::GetSlaPolicy, get_policy, &got_policy, kGlobex),
                   "GetSlaPolicy");
  v1::UpdateSlaPolicyRequest update_policy;
  update_policy.mutable_sla_policy()->set_name(policy.name());
  update_policy.mutable_sla_policy()->set_rank(1);
  update_policy.mutable_update_mask()->add_paths("rank");
  v1::UpdateSlaPolicyResponse updated_policy;
  expect_not_found(
      Call(&Stub::UpdateSlaPolicy, update_policy, &updated_policy, kGlobex),
      "UpdateSlaPolicy");
  v1::DeleteSlaPolicyRequest delete_policy;
  delete_policy.set_name(policy.name());
  v1::DeleteSlaPolicyResponse deleted_policy;
  expect_not_found(
      Call(&Stub::DeleteSlaPolicy, delete_policy, &deleted_policy, kGlobex),
      "DeleteSlaPolicy");
  v1::ListSlaPoliciesResponse policies;
  ASSERT_TRUE(Call(&Stub::ListSlaPolicies, v1::ListSlaPoliciesRequest(),
                   &policies, kGlobex)
                  .ok());
  EXPECT_THAT(policies.sla_policies(), IsEmpty());

  // The SLA alerts: globex's own ticket has no policy, so none at all.
  v1::ListSlaAlertsRequest alerts_request;
  alerts_request.set_include_finished_tickets(true);
  v1::ListSlaAlertsResponse alerts;
  ASSERT_TRUE(
      Call(&Stub::ListSlaAlerts, alerts_request, &alerts, kGlobex).ok());
  EXPECT_THAT(alerts.sla_alerts(), IsEmpty());
  alerts_request.set_account("accounts/a1");
  ASSERT_TRUE(
      Call(&Stub::ListSlaAlerts, alerts_request, &alerts, kGlobex).ok());
  EXPECT_THAT(alerts.sla_alerts(), IsEmpty());

  // The survey.
  v1::GetCsatSurveyRequest get_survey;
  get_survey.set_name(survey.name());
  v1::GetCsatSurveyResponse got_survey;
  expect_not_found(Call(&Stub::GetCsatSurvey, get_survey, &got_survey, kGlobex),
                   "GetCsatSurvey");
  v1::ListCsatSurveysRequest surveys_request;
  surveys_request.set_ticket(solve.name());
  v1::ListCsatSurveysResponse surveys;
  ASSERT_TRUE(
      Call(&Stub::ListCsatSurveys, surveys_request, &surveys, kGlobex).ok());
  EXPECT_THAT(surveys.csat_surveys(), IsEmpty());
  ASSERT_TRUE(Call(&Stub::ListCsatSurveys, v1::ListCsatSurveysRequest(),
                   &surveys, kGlobex)
                  .ok());
  EXPECT_THAT(surveys.csat_surveys(), IsEmpty());

  // The routing policy: globex still has the defaults.
  v1::GetRoutingPolicyRequest get_routing;
  get_routing.set_name("routingPolicy");
  v1::GetRoutingPolicyResponse globex_routing;
  ASSERT_TRUE(
      Call(&Stub::GetRoutingPolicy, get_routing, &globex_routing, kGlobex)
          .ok());
  EXPECT_NE(globex_routing.routing_policy().agent_capacity(), 3);

  // A data-subject export of the same names holds only globex's own.
  for (const char* subject : {"accounts/a1", "contacts/c1"}) {
    v1::ExportDataSubjectRequest export_request;
    export_request.set_subject(subject);
    v1::ExportDataSubjectResponse exported;
    ASSERT_TRUE(
        Call(&Stub::ExportDataSubject, export_request, &exported, kGlobex)
            .ok());
    ASSERT_THAT(exported.tickets(), SizeIs(1)) << subject;
    EXPECT_EQ(exported.tickets(0).ticket().name(), own.name());
  }

  // Nothing of acme's changed.
  ASSERT_TRUE(Call(&Stub::GetTicket, get, &got).ok());
  EXPECT_EQ(got.ticket().etag(), noted.ticket().etag());
  ASSERT_TRUE(Call(&Stub::ListTicketComments, comments, &listed_comments).ok());
  EXPECT_THAT(listed_comments.comments(), SizeIs(1));
  ASSERT_TRUE(Call(&Stub::GetSlaPolicy, get_policy, &got_policy).ok());
  EXPECT_EQ(got_policy.sla_policy().etag(), policy.etag());
  ASSERT_TRUE(Call(&Stub::GetCsatSurvey, get_survey, &got_survey).ok());
  EXPECT_EQ(got_survey.csat_survey().state(), v1::CSAT_SURVEY_STATE_SENT);
  v1::GetTicketRequest get_duplicate;
  get_duplicate.set_name(duplicate.name());
  ASSERT_TRUE(Call(&Stub::GetTicket, get_duplicate, &got).ok());
  EXPECT_EQ(got.ticket().etag(), duplicate.etag());
  ASSERT_TRUE(Call(&Stub::ListSlaAlerts, v1::ListSlaAlertsRequest(),
                   &acme_alerts, kAcmeViewer)
                  .ok());
  EXPECT_THAT(acme_alerts.sla_alerts(), SizeIs(2));
}

}  // namespace
}  // namespace clientele::ticketing

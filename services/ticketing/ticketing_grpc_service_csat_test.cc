// The CSAT and data-subject RPCs as clients see them: the real
// TicketingGrpcService on a real server (port 0) over real SQLite, called
// through the generated stub. SubmitCsatResponse is the one RPC that takes
// no authorization header (the survey's token is its credential).
#include <chrono>
#include <memory>
#include <string>

#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/server/server.h"
#include "common/server/thread_pool.h"
#include "common/testing/grpc_for_test.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"
#include "services/ticketing/ticketing_grpc_service.h"

namespace clientele::ticketing {
namespace {

using ::clientele::ticketing::v1::TicketingService;
using ::testing::IsEmpty;

constexpr char kAdmin[] = "acme-admin";
constexpr char kViewer[] = "acme-viewer";

class CsatGrpcTest : public testing::CsatFixture {
 protected:
  void SetUp() override {
    CsatFixture::SetUp();
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAdmin, "acme", "admin"}, {kViewer, "acme", "viewer"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    TicketingManagers managers;
    managers.tickets = tickets_.get();
    managers.csat = csat_.get();
    managers.data_subjects = data_subjects_.get();
    service_ = std::make_unique<TicketingGrpcService>(&runtime_, managers);
    auto server = server::Server::Start(
        server::ServerOptions(),
        {{service_.get(), TicketingService::service_full_name()}},
        [db = database_.get()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = TicketingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));

    ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
    ASSERT_TRUE(PublishContact("c1", "a1").ok());
    auto ticket = NewTicket("a1", "c1");
    ASSERT_TRUE(ticket.ok()) << ticket.status();
    auto survey = Solve(ticket->name());
    ASSERT_TRUE(survey.ok()) << survey.status();
    ASSERT_TRUE(survey->has_value());
    survey_ = **survey;
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    pool_.Shutdown();
  }

  // SubmitCsatResponse as the requester's browser sends it: no
  // authorization header at all.
  grpc::Status Submit(const v1::SubmitCsatResponseRequest& request,
                      v1::SubmitCsatResponseResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    return stub_->SubmitCsatResponse(&context, request, response);
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (TicketingService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token) {
    return clientele::testing::CallForTest(*stub_, rpc, request, response,
                                           token);
  }

  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_{2};
  server::RpcRuntime runtime_;
  std::unique_ptr<TicketingGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<TicketingService::Stub> stub_;
  v1::CsatSurvey survey_;
};

TEST_F(CsatGrpcTest, SubmitNeedsNoAuthorizationHeaderButTheSurveysToken) {
  v1::SubmitCsatResponseRequest request;
  request.set_name(survey_.name());
  request.set_rating(5);
  request.set_comment("Quick and kind.");
  request.set_token("wrong");
  v1::SubmitCsatResponseResponse response;
  EXPECT_EQ(Submit(request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  request.set_token(survey_.token());
  request.set_rating(6);
  grpc::Status status = Submit(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  request.set_rating(5);
  status = Submit(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.csat_survey().state(), v1::CSAT_SURVEY_STATE_RESPONDED);
  EXPECT_EQ(response.csat_survey().rating(), 5);
  EXPECT_THAT(response.csat_survey().token(), IsEmpty());

  status = Submit(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CsatGrpcTest, OtherRpcsStillNeedABearerTokenAndTheirRole) {
  v1::GetCsatSurveyRequest get;
  get.set_name(survey_.name());
  v1::GetCsatSurveyResponse got;
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    EXPECT_EQ(stub_->GetCsatSurvey(&context, get, &got).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::Status status =
      Call(&TicketingService::Stub::GetCsatSurvey, get, &got, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.csat_survey().name(), survey_.name());
  EXPECT_THAT(got.csat_survey().token(), IsEmpty());

  v1::ListCsatSurveysRequest list;
  v1::ListCsatSurveysResponse listed;
  status =
      Call(&TicketingService::Stub::ListCsatSurveys, list, &listed, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(listed.csat_surveys_size(), 1);

  v1::ExportDataSubjectRequest exported;
  exported.set_subject("contacts/c1");
  v1::ExportDataSubjectResponse export_response;
  EXPECT_EQ(Call(&TicketingService::Stub::ExportDataSubject, exported,
                 &export_response, kViewer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  status = Call(&TicketingService::Stub::ExportDataSubject, exported,
                &export_response, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(export_response.tickets_size(), 1);
}

}  // namespace
}  // namespace clientele::ticketing

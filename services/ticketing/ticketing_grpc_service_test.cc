// The ticket and routing-policy RPCs as clients see them: the real
// TicketingGrpcService on a real server (port 0) over real SQLite, called
// through the generated stub with tokens of each role.
#include "services/ticketing/ticketing_grpc_service.h"

#include <memory>
#include <string>
#include <vector>

#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/errors.h"
#include "common/server/server.h"
#include "common/server/status_mapping.h"
#include "common/server/thread_pool.h"
#include "common/testing/grpc_for_test.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::clientele::ticketing::v1::TicketingService;
using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr char kAdmin[] = "acme-admin";
constexpr char kAgent[] = "acme-agent";
constexpr char kViewer[] = "acme-viewer";
constexpr char kOtherAgent[] = "globex-agent";

class TicketGrpcTest : public testing::CsatFixture {
 protected:
  void SetUp() override {
    CsatFixture::SetUp();
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAdmin, "acme", "admin"},
         {kAgent, "acme", "agent"},
         {kViewer, "acme", "viewer"},
         {kOtherAgent, "globex", "agent"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    TicketingManagers managers;
    managers.tickets = tickets_.get();
    managers.routing = routing_.get();
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
    ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD,
                               type::v1::RELATIONSHIP_MODE_CLIENT, "u-maria")
                    .ok());
    ASSERT_TRUE(PublishContact("c1", "a1").ok());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    pool_.Shutdown();
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (TicketingService::Stub::*rpc)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    const char* token) {
    return clientele::testing::CallForTest(*stub_, rpc, request, response,
                                           token);
  }

  static std::vector<std::string> FieldsOf(const grpc::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v :
         FieldViolationsOf(server::FromGrpcStatus(status))) {
      fields.push_back(v.field);
    }
    return fields;
  }

  static v1::CreateTicketRequest CreateRequest() {
    v1::CreateTicketRequest request;
    request.mutable_ticket()->set_account("accounts/a1");
    request.mutable_ticket()->set_requester("contacts/c1");
    request.mutable_ticket()->set_subject("Invoice disputed");
    request.mutable_ticket()->set_type(v1::TICKET_TYPE_DISPUTE);
    return request;
  }

  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_{2};
  server::RpcRuntime runtime_;
  std::unique_ptr<TicketingGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<TicketingService::Stub> stub_;
};

TEST_F(TicketGrpcTest, AgentsCreateViewersRead) {
  v1::CreateTicketResponse created;
  grpc::Status status = Call(&TicketingService::Stub::CreateTicket,
                             CreateRequest(), &created, kViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  status = Call(&TicketingService::Stub::CreateTicket, CreateRequest(),
                &created, kAgent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.ticket().assignee(), "u-maria");
  EXPECT_EQ(created.ticket().routing().reason(),
            v1::ROUTING_REASON_ACCOUNT_MANAGER);

  v1::GetTicketRequest get;
  get.set_name(created.ticket().name());
  v1::GetTicketResponse got;
  status = Call(&TicketingService::Stub::GetTicket, get, &got, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.ticket().etag(), created.ticket().etag());
  status = Call(&TicketingService::Stub::GetTicket, get, &got, kOtherAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListTicketHistoryRequest history;
  history.set_parent(created.ticket().name());
  v1::ListTicketHistoryResponse entries;
  status = Call(&TicketingService::Stub::ListTicketHistory, history, &entries,
                kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(entries.entries(), SizeIs(2));
  EXPECT_EQ(entries.entries(1).explanation(),
            "client account; routed to its account manager u-maria (0 open "
            "tickets, capacity 30)");

  // Deleting needs a manager.
  v1::DeleteTicketRequest remove;
  remove.set_name(created.ticket().name());
  v1::DeleteTicketResponse removed;
  status =
      Call(&TicketingService::Stub::DeleteTicket, remove, &removed, kAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status =
      Call(&TicketingService::Stub::DeleteTicket, remove, &removed, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(removed.name(), created.ticket().name());
}

TEST_F(TicketGrpcTest, BadRequestsNameTheirFields) {
  v1::CreateTicketRequest request = CreateRequest();
  request.mutable_ticket()->clear_subject();
  for (int i = 0; i < 33; ++i) request.mutable_ticket()->add_tags("t");
  v1::CreateTicketResponse created;
  grpc::Status status =
      Call(&TicketingService::Stub::CreateTicket, request, &created, kAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("ticket.subject", "ticket.tags"));

  v1::ListTicketsRequest list;
  list.set_page_size(-5);
  v1::ListTicketsResponse listed;
  status = Call(&TicketingService::Stub::ListTickets, list, &listed, kViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("page_size"));

  v1::CreateTicketCommentRequest comment;
  comment.set_parent("tickets/nope");
  comment.mutable_comment()->set_visibility(
      v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
  comment.mutable_comment()->set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
  v1::CreateTicketCommentResponse commented;
  status = Call(&TicketingService::Stub::CreateTicketComment, comment,
                &commented, kAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("comment.body"));
}

TEST_F(TicketGrpcTest, StatusAndRoutingPolicyRpcs) {
  v1::CreateTicketResponse created;
  ASSERT_TRUE(Call(&TicketingService::Stub::CreateTicket, CreateRequest(),
                   &created, kAgent)
                  .ok());
  v1::ChangeTicketStatusRequest change;
  change.set_name(created.ticket().name());
  change.set_status(v1::TICKET_STATUS_SOLVED);
  v1::ChangeTicketStatusResponse changed;
  grpc::Status status = Call(&TicketingService::Stub::ChangeTicketStatus,
                             change, &changed, kAgent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(changed.ticket().status(), v1::TICKET_STATUS_SOLVED);
  EXPECT_FALSE(changed.csat_survey().token().empty());
  change.set_status(v1::TICKET_STATUS_NEW);
  status = Call(&TicketingService::Stub::ChangeTicketStatus, change, &changed,
                kAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::UpdateRoutingPolicyRequest update;
  update.mutable_routing_policy()->set_agent_capacity(5);
  update.mutable_update_mask()->add_paths("agent_capacity");
  v1::UpdateRoutingPolicyResponse updated;
  status = Call(&TicketingService::Stub::UpdateRoutingPolicy, update, &updated,
                kAgent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = Call(&TicketingService::Stub::UpdateRoutingPolicy, update, &updated,
                kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.routing_policy().agent_capacity(), 5);
  v1::GetRoutingPolicyRequest get;
  get.set_name("routingPolicy");
  v1::GetRoutingPolicyResponse got;
  status = Call(&TicketingService::Stub::GetRoutingPolicy, get, &got, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.routing_policy().etag(), updated.routing_policy().etag());
}

}  // namespace
}  // namespace clientele::ticketing

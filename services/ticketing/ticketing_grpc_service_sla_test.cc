// The SLA RPCs as clients see them: the real TicketingGrpcService on a real
// server (port 0) over real SQLite, called through the generated stub.
#include <memory>
#include <string>
#include <vector>

#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/server/server.h"
#include "common/server/thread_pool.h"
#include "common/testing/grpc_for_test.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_fixture_for_test.h"
#include "services/ticketing/ticketing_grpc_service.h"

namespace clientele::ticketing {
namespace {

using ::clientele::ticketing::v1::TicketingService;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kAdmin[] = "acme-admin";
constexpr char kViewer[] = "acme-viewer";
constexpr char kGlobexAdmin[] = "globex-admin";

// The fields named by the BadRequest detail of `status`.
std::vector<std::string> BadFields(const grpc::Status& status) {
  google::rpc::Status details;
  std::vector<std::string> fields;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

class SlaGrpcTest : public SlaFixture {
 protected:
  void SetUp() override {
    auto auth = clientele::testing::AuthenticatorForTest(
        {{kAdmin, "acme", "admin"},
         {kViewer, "acme", "viewer"},
         {kGlobexAdmin, "globex", "admin"}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    authenticator_ = *std::move(auth);
    runtime_.authenticator = authenticator_.get();
    runtime_.executor = &pool_;
    runtime_.log_rpcs = false;
    TicketingManagers managers;
    managers.sla_policies = policies_.get();
    managers.sla_alerts = alerts_.get();
    service_ = std::make_unique<TicketingGrpcService>(&runtime_, managers);
    auto server = server::Server::Start(
        server::ServerOptions(),
        {{service_.get(), TicketingService::service_full_name()}},
        [db = database_.get()] { return db->Ping(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = TicketingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
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

  std::unique_ptr<TokenAuthenticator> authenticator_;
  server::ThreadPool pool_{2};
  server::RpcRuntime runtime_;
  std::unique_ptr<TicketingGrpcService> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<TicketingService::Stub> stub_;
};

TEST_F(SlaGrpcTest, AdminsWritePoliciesViewersReadThem) {
  v1::CreateSlaPolicyRequest create;
  create.set_request_id("create-1");
  create.mutable_sla_policy()->set_display_name("Default");
  create.mutable_sla_policy()->set_rank(1000000);
  *create.mutable_sla_policy()->mutable_resolution_target() = Hours(24);
  v1::CreateSlaPolicyResponse created;
  EXPECT_EQ(
      Call(&TicketingService::Stub::CreateSlaPolicy, create, &created, kViewer)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status status =
      Call(&TicketingService::Stub::CreateSlaPolicy, create, &created, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::CreateSlaPolicyResponse again;
  status =
      Call(&TicketingService::Stub::CreateSlaPolicy, create, &again, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.sla_policy().name(), created.sla_policy().name());

  v1::GetSlaPolicyRequest get;
  get.set_name(created.sla_policy().name());
  v1::GetSlaPolicyResponse got;
  status = Call(&TicketingService::Stub::GetSlaPolicy, get, &got, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.sla_policy().display_name(), "Default");
  EXPECT_EQ(Call(&TicketingService::Stub::GetSlaPolicy, get, &got, kGlobexAdmin)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::UpdateSlaPolicyRequest update;
  *update.mutable_sla_policy() = created.sla_policy();
  update.mutable_sla_policy()->set_rank(5);
  update.mutable_update_mask()->add_paths("rank");
  v1::UpdateSlaPolicyResponse updated;
  status =
      Call(&TicketingService::Stub::UpdateSlaPolicy, update, &updated, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.sla_policy().rank(), 5);
  // The same etag again is stale now.
  EXPECT_EQ(
      Call(&TicketingService::Stub::UpdateSlaPolicy, update, &updated, kAdmin)
          .error_code(),
      grpc::StatusCode::ABORTED);

  v1::ListSlaPoliciesRequest list;
  v1::ListSlaPoliciesResponse listed;
  status =
      Call(&TicketingService::Stub::ListSlaPolicies, list, &listed, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.sla_policies_size(), 1);

  v1::DeleteSlaPolicyRequest remove;
  remove.set_name(created.sla_policy().name());
  v1::DeleteSlaPolicyResponse removed;
  status =
      Call(&TicketingService::Stub::DeleteSlaPolicy, remove, &removed, kAdmin);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(removed.name(), created.sla_policy().name());
  status =
      Call(&TicketingService::Stub::ListSlaPolicies, list, &listed, kViewer);
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(listed.sla_policies(), IsEmpty());
}

TEST_F(SlaGrpcTest, ABadPolicyNamesItsFields) {
  v1::CreateSlaPolicyRequest create;
  create.mutable_sla_policy()->set_display_name("No targets");
  create.mutable_sla_policy()->set_at_risk_threshold(2);
  v1::CreateSlaPolicyResponse created;
  const grpc::Status status =
      Call(&TicketingService::Stub::CreateSlaPolicy, create, &created, kAdmin);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("sla_policy.resolution_target",
                                             "sla_policy.at_risk_threshold"));
}

TEST_F(SlaGrpcTest, ViewersListAlerts) {
  MustCreatePolicy("Default", 100, 1);
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  clock_.Advance(absl::Minutes(90));

  v1::ListSlaAlertsRequest request;
  v1::ListSlaAlertsResponse response;
  const grpc::Status status =
      Call(&TicketingService::Stub::ListSlaAlerts, request, &response, kViewer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.sla_alerts_size(), 1);
  EXPECT_EQ(response.sla_alerts(0).ticket(), "tickets/t1");
  EXPECT_EQ(response.sla_alerts(0).state(), v1::SLA_ALERT_STATE_BREACHED);
  EXPECT_EQ(ToDuration(response.sla_alerts(0).overdue_by()), absl::Minutes(30));

  v1::ListSlaAlertsResponse other;
  ASSERT_TRUE(Call(&TicketingService::Stub::ListSlaAlerts, request, &other,
                   kGlobexAdmin)
                  .ok());
  EXPECT_THAT(other.sla_alerts(), IsEmpty());
}

}  // namespace
}  // namespace clientele::ticketing

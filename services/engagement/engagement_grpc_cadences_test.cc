// The cadence RPCs as a client sees them: the real EngagementGrpcService on a
// real server (port 0), real SQLite, called through the generated C++ stub:
// codes, the fields bad requests name, roles and tenancy.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_service_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::clientele::engagement::v1::EngagementService;
using ::testing::ElementsAre;

constexpr char kManager[] = "acme-manager";  // tenant acme, manager
constexpr char kAgent[] = "acme-agent";      // tenant acme, agent
constexpr char kViewer[] = "acme-viewer";    // tenant acme, viewer
constexpr char kGlobex[] = "globex-admin";   // tenant globex, admin

class CadenceServiceTest : public EngagementServiceFixture {
 protected:
  CadenceServiceTest()
      : EngagementServiceFixture({{kManager, "acme", "manager"},
                                  {kAgent, "acme", "agent"},
                                  {kViewer, "acme", "viewer"},
                                  {kGlobex, "globex", "admin"}},
                                 kManager) {}

  // A B2B account of acme, as contacts' AccountCreated makes it known.
  void KnowAccount(const std::string& id) {
    events::v1::Event event;
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
    ApplyToProjection(event, "acme");
  }

  grpc::Status CreateCadence(const v1::Cadence& cadence, v1::Cadence* created,
                             const char* token = kManager,
                             const std::string& request_id = "") {
    v1::CreateCadenceRequest request;
    *request.mutable_cadence() = cadence;
    request.set_request_id(request_id);
    v1::CreateCadenceResponse response;
    grpc::Status status = Call(&EngagementService::Stub::CreateCadence, request,
                               &response, token);
    *created = response.cadence();
    return status;
  }
};

TEST_F(CadenceServiceTest, EveryRpcOverTheWire) {
  KnowAccount("firm");
  v1::Cadence greeting;
  greeting.set_kind(v1::CADENCE_KIND_GREETING);
  greeting.set_account("accounts/firm");
  greeting.set_title("Birthdays at the firm");
  v1::Cadence created;
  ASSERT_TRUE(CreateCadence(greeting, &created, kManager, "req-1").ok());
  EXPECT_THAT(created.name(), ::testing::StartsWith("cadences/"));
  EXPECT_EQ(created.lead_time().seconds(), 3 * 86400);
  v1::Cadence retried;
  ASSERT_TRUE(CreateCadence(greeting, &retried, kManager, "req-1").ok());
  EXPECT_EQ(retried.name(), created.name());

  v1::GetCadenceRequest get;
  get.set_name(created.name());
  v1::GetCadenceResponse got;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::GetCadence, get, &got, kViewer).ok());
  EXPECT_EQ(got.cadence().title(), "Birthdays at the firm");

  v1::ListCadencesRequest list;
  list.set_account("accounts/firm");
  v1::ListCadencesResponse listed;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListCadences, list, &listed, kViewer)
          .ok());
  ASSERT_EQ(listed.cadences_size(), 1);
  EXPECT_EQ(listed.cadences(0).name(), created.name());

  v1::UpdateCadenceRequest update;
  *update.mutable_cadence() = created;
  update.mutable_cadence()->set_paused(true);
  update.mutable_update_mask()->add_paths("paused");
  v1::UpdateCadenceResponse updated;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::UpdateCadence, update, &updated).ok());
  EXPECT_TRUE(updated.cadence().paused());
  // The etag sent is the old one now.
  EXPECT_EQ(Call(&EngagementService::Stub::UpdateCadence, update, &updated)
                .error_code(),
            grpc::StatusCode::ABORTED);

  v1::DeleteCadenceRequest remove;
  remove.set_name(created.name());
  remove.set_etag(created.etag());
  v1::DeleteCadenceResponse removed;
  EXPECT_EQ(Call(&EngagementService::Stub::DeleteCadence, remove, &removed)
                .error_code(),
            grpc::StatusCode::ABORTED);
  remove.set_etag(updated.cadence().etag());
  ASSERT_TRUE(
      Call(&EngagementService::Stub::DeleteCadence, remove, &removed).ok());
  EXPECT_EQ(removed.name(), created.name());
  EXPECT_EQ(Call(&EngagementService::Stub::GetCadence, get, &got, kViewer)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CadenceServiceTest, BadRequestsNameTheirFields) {
  v1::Cadence newsletter;
  newsletter.set_kind(v1::CADENCE_KIND_NEWSLETTER);
  SetDuration(absl::Hours(24 * 400), newsletter.mutable_interval());
  v1::Cadence created;
  grpc::Status status = CreateCadence(newsletter, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status),
              ElementsAre("cadence.interval", "cadence.assignee"));

  v1::Cadence survey;
  survey.set_kind(v1::CADENCE_KIND_RELATIONSHIP_SURVEY);
  survey.set_account("accounts/firm");
  survey.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  status = CreateCadence(survey, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("cadence.segment", "cadence.mode"));

  survey.clear_segment();
  survey.set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(CreateCadence(survey, &created).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListCadencesRequest list;
  list.set_page_token("garbage");
  v1::ListCadencesResponse listed;
  status = Call(&EngagementService::Stub::ListCadences, list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));

  v1::UpdateCadenceRequest update;
  update.mutable_cadence()->set_name("cadences/x");
  update.mutable_update_mask()->add_paths("segment");
  v1::UpdateCadenceResponse updated;
  status = Call(&EngagementService::Stub::UpdateCadence, update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("update_mask"));

  v1::GetCadenceRequest get;
  get.set_name("followUps/x");
  v1::GetCadenceResponse got;
  status = Call(&EngagementService::Stub::GetCadence, get, &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("name"));
}

TEST_F(CadenceServiceTest, ManagersWriteAndOtherTenantsSeeNothing) {
  KnowAccount("firm");
  v1::Cadence greeting;
  greeting.set_kind(v1::CADENCE_KIND_GREETING);
  greeting.set_account("accounts/firm");
  v1::Cadence created;
  for (const char* token : {kViewer, kAgent}) {
    EXPECT_EQ(CreateCadence(greeting, &created, token).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  ASSERT_TRUE(CreateCadence(greeting, &created).ok());

  v1::GetCadenceRequest get;
  get.set_name(created.name());
  v1::GetCadenceResponse got;
  EXPECT_EQ(Call(&EngagementService::Stub::GetCadence, get, &got, kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListCadencesRequest list;
  v1::ListCadencesResponse listed;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListCadences, list, &listed, kGlobex)
          .ok());
  EXPECT_EQ(listed.cadences_size(), 0);
  v1::DeleteCadenceRequest remove;
  remove.set_name(created.name());
  v1::DeleteCadenceResponse removed;
  EXPECT_EQ(
      Call(&EngagementService::Stub::DeleteCadence, remove, &removed, kGlobex)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace clientele::engagement

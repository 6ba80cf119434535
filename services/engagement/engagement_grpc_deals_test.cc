// The deal RPCs as a client sees them: the real EngagementGrpcService on a
// real server (port 0) over real SQLite, called through the generated C++
// stub, with the roles the generated base enforces.
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
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kAdmin[] = "acme-admin";     // tenant acme, admin
constexpr char kAgent[] = "acme-agent";     // tenant acme, agent
constexpr char kViewer[] = "acme-viewer";   // tenant acme, viewer
constexpr char kGlobex[] = "globex-agent";  // tenant globex, agent

type::v1::Date Day(int year, int month, int day) {
  type::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

class DealServiceTest : public EngagementServiceFixture {
 protected:
  DealServiceTest()
      : EngagementServiceFixture({{kAdmin, "acme", "admin"},
                                  {kAgent, "acme", "agent"},
                                  {kViewer, "acme", "viewer"},
                                  {kGlobex, "globex", "agent"}},
                                 kAgent) {}

  void SetUp() override {
    // 2026-02-15 12:00 UTC.
    clock_.Set(absl::FromUnixSeconds(1771156800));
    ASSERT_NO_FATAL_FAILURE(EngagementServiceFixture::SetUp());
    KnowAccount("weber", "acme");
    KnowAccount("other", "acme");
    KnowAccount("initech", "globex");
  }

  static v1::CreateDealRequest NewDeal(const std::string& account) {
    v1::CreateDealRequest request;
    v1::Deal* deal = request.mutable_deal();
    deal->set_account(absl::StrCat("accounts/", account));
    deal->set_title("Bookkeeping retainer");
    deal->mutable_amount()->set_currency_code("EUR");
    deal->mutable_amount()->set_amount_minor_units(1200000);
    deal->set_kind(v1::DEAL_KIND_RETAINER);
    *deal->mutable_expected_close_date() = Day(2026, 3, 20);
    deal->set_owner("olga");
    return request;
  }

  v1::Deal MustCreate(const std::string& account, const char* token = kAgent) {
    v1::CreateDealResponse response;
    const grpc::Status status = Call(&EngagementService::Stub::CreateDeal,
                                     NewDeal(account), &response, token);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.deal();
  }
};

TEST_F(DealServiceTest, ADealFromCreateToThePipeline) {
  const v1::Deal deal = MustCreate("weber");
  EXPECT_EQ(deal.stage(), v1::DEAL_STAGE_QUALIFYING);
  EXPECT_DOUBLE_EQ(deal.probability(), 0.1);
  EXPECT_EQ(deal.weighted_amount().amount_minor_units(), 120000);

  // A proposal recorded with the deal moves it to PROPOSAL.
  v1::RecordInteractionRequest record;
  v1::Interaction* proposal = record.mutable_interaction();
  proposal->set_account("accounts/weber");
  proposal->set_kind(v1::INTERACTION_KIND_PROPOSAL);
  SetTimestamp(clock_.Now() - absl::Hours(1), proposal->mutable_occur_time());
  proposal->set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
  proposal->set_channel(v1::INTERACTION_CHANNEL_EMAIL);
  proposal->set_deal(deal.name());
  v1::RecordInteractionResponse recorded;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::RecordInteraction, record, &recorded)
          .ok());

  v1::GetDealRequest get;
  get.set_name(deal.name());
  v1::GetDealResponse got;
  ASSERT_TRUE(Call(&EngagementService::Stub::GetDeal, get, &got, kViewer).ok());
  EXPECT_EQ(got.deal().stage(), v1::DEAL_STAGE_PROPOSAL);
  EXPECT_THAT(got.deal().proposals(),
              ElementsAre(recorded.interaction().name()));

  v1::UpdateDealRequest update;
  *update.mutable_deal() = got.deal();
  update.mutable_deal()->set_stage(v1::DEAL_STAGE_NEGOTIATION);
  update.mutable_update_mask()->add_paths("stage");
  v1::UpdateDealResponse updated;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::UpdateDeal, update, &updated).ok());
  EXPECT_DOUBLE_EQ(updated.deal().probability(), 0.6);

  v1::GetPipelineRequest quarter;
  quarter.set_year(2026);
  quarter.set_quarter(1);
  v1::GetPipelineResponse pipeline;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::GetPipeline, quarter, &pipeline, kViewer)
          .ok());
  EXPECT_EQ(pipeline.pipeline().currency_code(), "EUR");
  EXPECT_EQ(pipeline.pipeline().stages(2).deal_count(), 1);
  EXPECT_EQ(pipeline.pipeline().weighted_amount().amount_minor_units(), 720000);

  v1::CloseDealRequest close;
  close.set_name(deal.name());
  close.set_outcome(v1::DEAL_STAGE_WON);
  close.set_etag(updated.deal().etag());
  close.set_request_id("close-weber");
  v1::CloseDealResponse closed;
  ASSERT_TRUE(Call(&EngagementService::Stub::CloseDeal, close, &closed).ok());
  EXPECT_EQ(closed.deal().stage(), v1::DEAL_STAGE_WON);
  EXPECT_EQ(closed.deal().close_date().day(), 15);

  v1::ListDealsRequest list;
  list.add_stages(v1::DEAL_STAGE_WON);
  v1::ListDealsResponse listed;
  ASSERT_TRUE(
      Call(&EngagementService::Stub::ListDeals, list, &listed, kViewer).ok());
  ASSERT_THAT(listed.deals(), SizeIs(1));
  EXPECT_EQ(listed.deals(0).name(), deal.name());
  ASSERT_TRUE(
      Call(&EngagementService::Stub::GetPipeline, quarter, &pipeline, kViewer)
          .ok());
  EXPECT_EQ(pipeline.pipeline().won().amount().amount_minor_units(), 1200000);

  v1::ExportDataSubjectRequest request;
  request.set_subject("accounts/weber");
  v1::ExportDataSubjectResponse exported;
  ASSERT_TRUE(Call(&EngagementService::Stub::ExportDataSubject, request,
                   &exported, kAdmin)
                  .ok());
  ASSERT_THAT(exported.deals(), SizeIs(1));
  EXPECT_EQ(exported.deals(0).stage(), v1::DEAL_STAGE_WON);
}

TEST_F(DealServiceTest, ViewersReadAndAgentsWrite) {
  const v1::Deal deal = MustCreate("weber");
  v1::CreateDealResponse created;
  grpc::Status status = Call(&EngagementService::Stub::CreateDeal,
                             NewDeal("weber"), &created, kViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateDealRequest update;
  *update.mutable_deal() = deal;
  update.mutable_update_mask()->add_paths("title");
  v1::UpdateDealResponse updated;
  EXPECT_EQ(
      Call(&EngagementService::Stub::UpdateDeal, update, &updated, kViewer)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::CloseDealRequest close;
  close.set_name(deal.name());
  close.set_outcome(v1::DEAL_STAGE_WON);
  v1::CloseDealResponse closed;
  EXPECT_EQ(Call(&EngagementService::Stub::CloseDeal, close, &closed, kViewer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Call(&EngagementService::Stub::UpdateDeal, update, &updated, kAdmin)
          .ok());
}

TEST_F(DealServiceTest, ErrorsNameTheFieldAndKeepTenantsApart) {
  v1::CreateDealRequest bad = NewDeal("weber");
  bad.mutable_deal()->clear_title();
  bad.mutable_deal()->mutable_amount()->set_currency_code("XXY");
  bad.mutable_deal()->set_stage(v1::DEAL_STAGE_LOST);
  v1::CreateDealResponse created;
  grpc::Status status =
      Call(&EngagementService::Stub::CreateDeal, bad, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      Fields(status),
      ElementsAre("deal.title", "deal.amount.currency_code", "deal.stage"));
  status =
      Call(&EngagementService::Stub::CreateDeal, NewDeal("initech"), &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  const v1::Deal deal = MustCreate("weber");
  v1::GetDealRequest get;
  get.set_name(deal.name());
  v1::GetDealResponse got;
  EXPECT_EQ(
      Call(&EngagementService::Stub::GetDeal, get, &got, kGlobex).error_code(),
      grpc::StatusCode::NOT_FOUND);

  // A proposal naming the deal from another account, or another tenant.
  v1::RecordInteractionRequest record;
  v1::Interaction* proposal = record.mutable_interaction();
  proposal->set_account("accounts/other");
  proposal->set_kind(v1::INTERACTION_KIND_PROPOSAL);
  SetTimestamp(clock_.Now() - absl::Hours(1), proposal->mutable_occur_time());
  proposal->set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
  proposal->set_channel(v1::INTERACTION_CHANNEL_EMAIL);
  proposal->set_deal(deal.name());
  v1::RecordInteractionResponse recorded;
  status = Call(&EngagementService::Stub::RecordInteraction, record, &recorded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Fields(status), ElementsAre("interaction.deal"));
  proposal->set_account("accounts/initech");
  status = Call(&EngagementService::Stub::RecordInteraction, record, &recorded,
                kGlobex);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(Fields(status), ElementsAre("interaction.deal"));

  v1::UpdateDealRequest update;
  *update.mutable_deal() = deal;
  update.mutable_deal()->set_etag("stale");
  update.mutable_update_mask()->add_paths("title");
  v1::UpdateDealResponse updated;
  EXPECT_EQ(
      Call(&EngagementService::Stub::UpdateDeal, update, &updated).error_code(),
      grpc::StatusCode::ABORTED);

  v1::CloseDealRequest close;
  close.set_name(deal.name());
  close.set_outcome(v1::DEAL_STAGE_LOST);
  v1::CloseDealResponse closed;
  status = Call(&EngagementService::Stub::CloseDeal, close, &closed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("loss_reason"));
  close.set_loss_reason(v1::DEAL_LOSS_REASON_PRICE);
  ASSERT_TRUE(Call(&EngagementService::Stub::CloseDeal, close, &closed).ok());
  close.set_outcome(v1::DEAL_STAGE_WON);
  close.clear_loss_reason();
  status = Call(&EngagementService::Stub::CloseDeal, close, &closed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  update.mutable_deal()->clear_etag();
  status = Call(&EngagementService::Stub::UpdateDeal, update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("closed"));

  v1::GetPipelineRequest quarter;
  quarter.set_year(2026);
  quarter.set_quarter(5);
  v1::GetPipelineResponse pipeline;
  status =
      Call(&EngagementService::Stub::GetPipeline, quarter, &pipeline, kViewer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("quarter"));
}

}  // namespace
}  // namespace clientele::engagement

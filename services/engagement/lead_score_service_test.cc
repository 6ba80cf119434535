// The lead score as a client sees it: GetRelationshipScore on the real
// EngagementGrpcService (port 0, real SQLite, the Redis score cache on a real
// redis-server). The account reaches engagement as contacts' events do, with
// its lifecycle stage and declared needs in the snapshot.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_service_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::clientele::engagement::v1::EngagementService;
using ::testing::HasSubstr;

constexpr char kAdmin[] = "acme-admin";  // tenant acme, admin

class LeadScoreServiceTest : public EngagementServiceFixture {
 protected:
  LeadScoreServiceTest()
      : EngagementServiceFixture({{kAdmin, "acme", "admin"}}, kAdmin,
                                 ScoreCacheForTest::kRedis) {}

  // What contacts' AccountCreated / AccountUpdated events do.
  void Publish(const events::v1::AccountSnapshot& snapshot, bool created) {
    events::v1::Event event;
    if (created) {
      *event.mutable_account_created()->mutable_account() = snapshot;
    } else {
      *event.mutable_account_updated()->mutable_account() = snapshot;
      event.mutable_account_updated()->add_changed_fields("lifecycle_stage");
    }
    ApplyToProjection(event, "acme");
  }

  void Record(v1::InteractionKind kind, v1::InteractionDirection direction,
              absl::Duration ago) {
    v1::RecordInteractionRequest request;
    v1::Interaction* interaction = request.mutable_interaction();
    interaction->set_account("accounts/kanzlei");
    interaction->set_kind(kind);
    SetTimestamp(clock_.Now() - ago, interaction->mutable_occur_time());
    interaction->set_direction(direction);
    interaction->set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    v1::RecordInteractionResponse response;
    const grpc::Status status =
        Call(&EngagementService::Stub::RecordInteraction, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::RelationshipScore Score(v1::RelationshipScoreView view) {
    v1::GetRelationshipScoreRequest request;
    request.set_name("accounts/kanzlei/relationshipScore");
    request.set_view(view);
    v1::GetRelationshipScoreResponse response;
    const grpc::Status status = Call(
        &EngagementService::Stub::GetRelationshipScore, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.relationship_score();
  }
};

TEST_F(LeadScoreServiceTest, AProspectsScoreCarriesItsLeadScoreUntilItBuys) {
  // The business sells payroll and tax work to companies.
  v1::UpdateScoringPolicyRequest policy;
  policy.mutable_scoring_policy()->set_name("scoringPolicy");
  v1::LeadScoring* lead =
      policy.mutable_scoring_policy()->mutable_lead_scoring();
  lead->set_preferred_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  lead->add_valued_needs("Payroll");
  lead->add_valued_needs("Tax filing");
  policy.mutable_update_mask()->add_paths("lead_scoring.preferred_segment");
  policy.mutable_update_mask()->add_paths("lead_scoring.valued_needs");
  v1::UpdateScoringPolicyResponse updated;
  const grpc::Status policy_status =
      Call(&EngagementService::Stub::UpdateScoringPolicy, policy, &updated);
  ASSERT_TRUE(policy_status.ok()) << policy_status.error_message();

  events::v1::AccountSnapshot snapshot;
  snapshot.set_name("accounts/kanzlei");
  snapshot.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  snapshot.set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  snapshot.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_PROSPECT);
  snapshot.add_declared_needs("payroll");
  *snapshot.mutable_update_time() = ToTimestamp(clock_.Now());
  Publish(snapshot, /*created=*/true);
  // A first meeting, the prospect's answer and a proposal this week.
  Record(v1::INTERACTION_KIND_MEETING, v1::INTERACTION_DIRECTION_OUTBOUND,
         absl::Hours(72));
  Record(v1::INTERACTION_KIND_EMAIL, v1::INTERACTION_DIRECTION_INBOUND,
         absl::Hours(48));
  Record(v1::INTERACTION_KIND_PROPOSAL, v1::INTERACTION_DIRECTION_OUTBOUND,
         absl::Hours(24));

  const v1::RelationshipScore full = Score(v1::RELATIONSHIP_SCORE_VIEW_FULL);
  ASSERT_TRUE(full.has_lead_score()) << full.DebugString();
  const v1::LeadScore& lead_score = full.lead_score();
  // Fit: preferred segment 15, enterprise 15, one valued need 15.
  EXPECT_EQ(lead_score.fit_points(), 45);
  EXPECT_GT(lead_score.engagement_points(), 20);
  EXPECT_EQ(lead_score.grade(), v1::LEAD_GRADE_HOT);
  ASSERT_EQ(lead_score.components_size(), 7);
  EXPECT_EQ(lead_score.components(2).kind(),
            v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS);
  EXPECT_EQ(lead_score.components(2).observation(),
            "Declared a need the business serves: payroll");
  EXPECT_THAT(lead_score.components(5).observation(),
              HasSubstr("1 meeting in the last 30 days"));

  // The dashboard view keeps the score and grade, not the explanation.
  const v1::RelationshipScore basic = Score(v1::RELATIONSHIP_SCORE_VIEW_BASIC);
  ASSERT_TRUE(basic.has_lead_score());
  EXPECT_EQ(basic.lead_score().score(), lead_score.score());
  EXPECT_EQ(basic.lead_score().grade(), lead_score.grade());
  EXPECT_EQ(basic.lead_score().components_size(), 0);

  // It signs: staff move it to ACTIVE in contacts, and the (cached) score
  // drops the lead score.
  clock_.Advance(absl::Minutes(5));
  snapshot.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  *snapshot.mutable_update_time() = ToTimestamp(clock_.Now());
  Publish(snapshot, /*created=*/false);
  EXPECT_FALSE(Score(v1::RELATIONSHIP_SCORE_VIEW_FULL).has_lead_score());
}

}  // namespace
}  // namespace clientele::engagement

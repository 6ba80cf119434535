// The engagement service as a client sees it: the real EngagementGrpcService
// on a real server (port 0), real SQLite, the Redis score cache on a real
// redis-server, called through the generated C++ stub. Accounts reach
// engagement the way they do in production, as contacts' events applied to
// the projection.
#include "services/engagement/engagement_grpc_service.h"

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_service_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::clientele::engagement::v1::EngagementService;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

constexpr char kAcme[] = "acme-token";         // tenant acme, admin
constexpr char kAcmeViewer[] = "acme-viewer";  // tenant acme, viewer
constexpr char kGlobex[] = "globex-token";     // tenant globex, agent

class EngagementServiceTest : public EngagementServiceFixture {
 protected:
  EngagementServiceTest()
      : EngagementServiceFixture({{kAcme, "acme", "admin"},
                                  {kAcmeViewer, "acme", "viewer"},
                                  {kGlobex, "globex", "agent"}},
                                 kAcme, ScoreCacheForTest::kRedis,
                                 /*threads=*/4) {}

  v1::Interaction NewInteraction(const std::string& account,
                                 v1::InteractionKind kind, absl::Duration ago) {
    v1::Interaction interaction;
    interaction.set_account(absl::StrCat("accounts/", account));
    interaction.set_kind(kind);
    SetTimestamp(clock_.Now() - ago, interaction.mutable_occur_time());
    interaction.set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
    interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    interaction.set_summary("Quarterly review");
    return interaction;
  }

  v1::Interaction Record(const v1::Interaction& interaction,
                         const char* token = kAcme) {
    v1::RecordInteractionRequest request;
    *request.mutable_interaction() = interaction;
    v1::RecordInteractionResponse response;
    grpc::Status status = Call(&EngagementService::Stub::RecordInteraction,
                               request, &response, token);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.interaction();
  }

  static ::testing::AssertionResult Ok(const grpc::Status& status) {
    if (status.ok()) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "code " << status.error_code() << ": " << status.error_message();
  }

  // The type of every event in the outbox, oldest first.
  std::vector<std::string> OutboxTypes() {
    auto types = testing::OutboxTypesForTest(*database_);
    EXPECT_TRUE(types.ok()) << types.status();
    return types.ok() ? *std::move(types) : std::vector<std::string>();
  }
};

TEST_F(EngagementServiceTest, HappyPathThroughEveryRpc) {
  KnowAccount("weber", "acme", "manager-1");

  // Record one: every field the client set comes back, plus what the
  // service fills in.
  v1::Interaction meeting =
      NewInteraction("weber", v1::INTERACTION_KIND_MEETING, absl::Hours(50));
  meeting.set_contact("contacts/ayse");
  meeting.set_channel(v1::INTERACTION_CHANNEL_IN_PERSON);
  meeting.set_staff_user("u-7");
  meeting.mutable_duration()->set_seconds(3600);
  meeting.set_source_ref("calendar-42");
  const v1::Interaction recorded = Record(meeting);
  EXPECT_THAT(recorded.name(), ::testing::StartsWith("interactions/"));
  EXPECT_EQ(recorded.source(), v1::INTERACTION_SOURCE_API);
  EXPECT_EQ(recorded.personalization(), v1::PERSONALIZATION_PERSONALIZED);
  EXPECT_EQ(ToTime(recorded.create_time()), clock_.Now());
  v1::Interaction expected = meeting;
  expected.set_name(recorded.name());
  expected.set_source(recorded.source());
  expected.set_personalization(recorded.personalization());
  *expected.mutable_create_time() = recorded.create_time();
  EXPECT_EQ(recorded.SerializeAsString(), expected.SerializeAsString());

  v1::GetInteractionRequest get;
  get.set_name(recorded.name());
  v1::GetInteractionResponse got;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetInteraction, get, &got)));
  EXPECT_EQ(got.interaction().SerializeAsString(),
            recorded.SerializeAsString());

  v1::BatchRecordInteractionsRequest batch;
  v1::Interaction* proposal = batch.add_interactions();
  *proposal =
      NewInteraction("weber", v1::INTERACTION_KIND_PROPOSAL, absl::Hours(20));
  proposal->mutable_amount()->set_currency_code("EUR");
  proposal->mutable_amount()->set_amount_minor_units(1250000);
  *batch.add_interactions() = NewInteraction(
      "weber", v1::INTERACTION_KIND_ADVICE_SESSION, absl::Hours(10));
  v1::BatchRecordInteractionsResponse batched;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::BatchRecordInteractions, batch,
                      &batched)));
  ASSERT_EQ(batched.interactions_size(), 2);
  EXPECT_EQ(batched.interactions(0).kind(), v1::INTERACTION_KIND_PROPOSAL);
  EXPECT_EQ(batched.interactions(1).kind(),
            v1::INTERACTION_KIND_ADVICE_SESSION);
  get.set_name(batched.interactions(0).name());
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetInteraction, get, &got)));
  EXPECT_EQ(got.interaction().amount().currency_code(), "EUR");
  EXPECT_EQ(got.interaction().amount().amount_minor_units(), 1250000);
  get.set_name(recorded.name());

  v1::ListInteractionsRequest list;
  list.set_account("accounts/weber");
  v1::ListInteractionsResponse listed;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListInteractions, list, &listed)));
  ASSERT_EQ(listed.interactions_size(), 3);  // newest first
  EXPECT_EQ(listed.interactions(0).name(), batched.interactions(1).name());
  EXPECT_EQ(listed.interactions(2).name(), recorded.name());
  EXPECT_TRUE(listed.next_page_token().empty());

  // The score, in full and in the BASIC view.
  v1::GetRelationshipScoreRequest score_request;
  score_request.set_name("accounts/weber/relationshipScore");
  v1::GetRelationshipScoreResponse score;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetRelationshipScore,
                      score_request, &score)));
  EXPECT_EQ(score.relationship_score().name(),
            "accounts/weber/relationshipScore");
  EXPECT_EQ(score.relationship_score().account(), "accounts/weber");
  EXPECT_EQ(score.relationship_score().interaction_count(), 3);
  EXPECT_GE(score.relationship_score().score(), 0);
  EXPECT_LE(score.relationship_score().score(), 100);
  EXPECT_FALSE(score.relationship_score().components().empty());
  EXPECT_FALSE(score.relationship_score().model_version().empty());
  score_request.set_view(v1::RELATIONSHIP_SCORE_VIEW_BASIC);
  v1::GetRelationshipScoreResponse basic;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetRelationshipScore,
                      score_request, &basic)));
  EXPECT_EQ(basic.relationship_score().score(),
            score.relationship_score().score());
  EXPECT_TRUE(basic.relationship_score().components().empty());

  v1::BatchGetRelationshipScoresRequest batch_scores;
  batch_scores.add_names("accounts/weber/relationshipScore");
  v1::BatchGetRelationshipScoresResponse scores;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::BatchGetRelationshipScores,
                      batch_scores, &scores)));
  ASSERT_EQ(scores.relationship_scores_size(), 1);
  EXPECT_EQ(scores.relationship_scores(0).score(),
            score.relationship_score().score());

  // What the rescorer thread does in the process.
  ASSERT_TRUE(backend_->scores().RescoreDirty(64).ok());
  v1::ListScoreChangesRequest changes_request;
  changes_request.set_parent("accounts/weber/relationshipScore");
  v1::ListScoreChangesResponse changes;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ListScoreChanges,
                      changes_request, &changes)));
  ASSERT_EQ(changes.score_changes_size(), 1);
  EXPECT_EQ(changes.score_changes(0).account(), "accounts/weber");
  EXPECT_EQ(changes.score_changes(0).new_score(),
            score.relationship_score().score());

  v1::ListNextBestActionsRequest actions_request;
  actions_request.set_account("accounts/weber");
  v1::ListNextBestActionsResponse actions;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ListNextBestActions,
                      actions_request, &actions)));
  EXPECT_EQ(actions.next_best_actions_size(),
            score.relationship_score().next_best_actions_size());

  v1::GetScoringPolicyRequest policy_request;
  policy_request.set_name("scoringPolicy");
  v1::GetScoringPolicyResponse policy;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetScoringPolicy,
                      policy_request, &policy)));
  EXPECT_EQ(policy.scoring_policy().name(), "scoringPolicy");
  v1::UpdateScoringPolicyRequest update_policy;
  *update_policy.mutable_scoring_policy() = policy.scoring_policy();
  update_policy.mutable_scoring_policy()->set_min_interactions(
      policy.scoring_policy().min_interactions() + 1);
  update_policy.mutable_update_mask()->add_paths("min_interactions");
  v1::UpdateScoringPolicyResponse updated_policy;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::UpdateScoringPolicy,
                      update_policy, &updated_policy)));
  EXPECT_EQ(updated_policy.scoring_policy().min_interactions(),
            policy.scoring_policy().min_interactions() + 1);
  EXPECT_EQ(updated_policy.scoring_policy().revision(),
            policy.scoring_policy().revision() + 1);
  EXPECT_NE(updated_policy.scoring_policy().etag(),
            policy.scoring_policy().etag());

  // Follow-ups: the proposal made one by rule; one more by hand.
  v1::ListFollowUpsRequest list_follow_ups;
  list_follow_ups.set_account("accounts/weber");
  list_follow_ups.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  v1::ListFollowUpsResponse by_rule;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ListFollowUps, list_follow_ups,
                      &by_rule)));
  ASSERT_EQ(by_rule.follow_ups_size(), 1);
  EXPECT_EQ(by_rule.follow_ups(0).rule(), v1::FOLLOW_UP_RULE_PROPOSAL_SENT);
  EXPECT_EQ(by_rule.follow_ups(0).source(), batched.interactions(0).name());

  v1::CreateFollowUpRequest create;
  create.mutable_follow_up()->set_account("accounts/weber");
  create.mutable_follow_up()->set_title("Send the engagement letter");
  create.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_EMAIL);
  create.mutable_follow_up()->set_assignee("u-7");
  SetTimestamp(clock_.Now() + absl::Hours(2),
               create.mutable_follow_up()->mutable_due_time());
  v1::CreateFollowUpResponse created;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::CreateFollowUp, create, &created)));
  const v1::FollowUp& follow_up = created.follow_up();
  EXPECT_THAT(follow_up.name(), ::testing::StartsWith("followUps/"));
  EXPECT_EQ(follow_up.state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(follow_up.origin(), v1::FOLLOW_UP_ORIGIN_MANUAL);
  EXPECT_EQ(follow_up.title(), "Send the engagement letter");
  EXPECT_FALSE(follow_up.etag().empty());

  v1::GetFollowUpRequest get_follow_up;
  get_follow_up.set_name(follow_up.name());
  v1::GetFollowUpResponse got_follow_up;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetFollowUp, get_follow_up,
                      &got_follow_up)));
  EXPECT_EQ(got_follow_up.follow_up().SerializeAsString(),
            follow_up.SerializeAsString());

  v1::UpdateFollowUpRequest update;
  *update.mutable_follow_up() = follow_up;
  update.mutable_follow_up()->set_priority(v1::FOLLOW_UP_PRIORITY_HIGH);
  update.mutable_update_mask()->add_paths("priority");
  v1::UpdateFollowUpResponse updated;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::UpdateFollowUp, update, &updated)));
  EXPECT_EQ(updated.follow_up().priority(), v1::FOLLOW_UP_PRIORITY_HIGH);
  EXPECT_NE(updated.follow_up().etag(), follow_up.etag());

  v1::ListDueFollowUpsRequest due_request;
  due_request.set_assignee("u-7");
  v1::ListDueFollowUpsResponse due;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListDueFollowUps, due_request, &due)));
  ASSERT_EQ(due.due_follow_ups_size(), 1);
  EXPECT_EQ(due.due_follow_ups(0).follow_up().name(), follow_up.name());
  EXPECT_FALSE(due.due_follow_ups(0).overdue());
  EXPECT_EQ(due.overdue_count(), 0);

  v1::CompleteFollowUpRequest complete;
  complete.set_name(follow_up.name());
  complete.set_etag(updated.follow_up().etag());
  v1::CompleteFollowUpResponse completed;
  ASSERT_TRUE(Ok(
      Call(&EngagementService::Stub::CompleteFollowUp, complete, &completed)));
  EXPECT_EQ(completed.follow_up().state(), v1::FOLLOW_UP_STATE_DONE);
  EXPECT_EQ(ToTime(completed.follow_up().complete_time()), clock_.Now());

  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject("accounts/weber");
  v1::ExportDataSubjectResponse exported;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ExportDataSubject,
                      export_request, &exported)));
  EXPECT_EQ(exported.interactions_size(), 3);
  EXPECT_EQ(exported.follow_ups_size(), 2);
  EXPECT_EQ(exported.relationship_score().account(), "accounts/weber");
  EXPECT_EQ(exported.score_changes_size(), 1);

  v1::DeleteFollowUpRequest delete_follow_up;
  delete_follow_up.set_name(by_rule.follow_ups(0).name());
  v1::DeleteFollowUpResponse deleted_follow_up;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::DeleteFollowUp,
                      delete_follow_up, &deleted_follow_up)));
  EXPECT_EQ(deleted_follow_up.name(), by_rule.follow_ups(0).name());

  v1::DeleteInteractionRequest delete_interaction;
  delete_interaction.set_name(recorded.name());
  v1::DeleteInteractionResponse deleted_interaction;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::DeleteInteraction,
                      delete_interaction, &deleted_interaction)));
  EXPECT_EQ(deleted_interaction.name(), recorded.name());
  EXPECT_EQ(
      Call(&EngagementService::Stub::GetInteraction, get, &got).error_code(),
      grpc::StatusCode::NOT_FOUND);
  score_request.set_view(v1::RELATIONSHIP_SCORE_VIEW_FULL);
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetRelationshipScore,
                      score_request, &score)));
  EXPECT_EQ(score.relationship_score().interaction_count(), 2);

  EXPECT_THAT(OutboxTypes(),
              IsSupersetOf({"clientele.events.v1.InteractionsRecorded",
                            "clientele.events.v1.RelationshipScoreChanged",
                            "clientele.events.v1.FollowUpCreated",
                            "clientele.events.v1.FollowUpUpdated",
                            "clientele.events.v1.FollowUpCompleted",
                            "clientele.events.v1.FollowUpDeleted"}));
}

TEST_F(EngagementServiceTest, BadRequestsNameTheirFields) {
  KnowAccount("a");
  // One interaction: fields are named under "interaction".
  v1::Interaction bad =
      NewInteraction("a", v1::INTERACTION_KIND_UNSPECIFIED, absl::Hours(1));
  bad.mutable_amount()->set_currency_code("EURO");
  bad.mutable_amount()->set_amount_minor_units(100);
  v1::RecordInteractionRequest record;
  *record.mutable_interaction() = bad;
  v1::RecordInteractionResponse recorded;
  grpc::Status status =
      Call(&EngagementService::Stub::RecordInteraction, record, &recorded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("interaction.kind",
                                          "interaction.amount.currency_code"));

  // A batch: under "interactions[i]", and nothing is recorded.
  v1::BatchRecordInteractionsRequest batch;
  *batch.add_interactions() =
      NewInteraction("a", v1::INTERACTION_KIND_CALL, absl::Hours(1));
  *batch.add_interactions() =
      NewInteraction("a", v1::INTERACTION_KIND_CALL, -absl::Hours(1));
  v1::BatchRecordInteractionsResponse batched;
  status =
      Call(&EngagementService::Stub::BatchRecordInteractions, batch, &batched);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("interactions[1].occur_time"));
  v1::ListInteractionsRequest list;
  list.set_account("accounts/a");
  v1::ListInteractionsResponse listed;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListInteractions, list, &listed)));
  EXPECT_EQ(listed.interactions_size(), 0);

  v1::GetInteractionRequest get;
  get.set_name("followUps/x");
  v1::GetInteractionResponse got;
  status = Call(&EngagementService::Stub::GetInteraction, get, &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("name"));

  list.set_page_size(-1);
  status = Call(&EngagementService::Stub::ListInteractions, list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_size"));
  list.set_page_size(0);
  list.set_page_token("not-a-token");
  status = Call(&EngagementService::Stub::ListInteractions, list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));

  v1::GetRelationshipScoreRequest score_request;
  score_request.set_name("accounts/a/relationshipScore");
  SetTimestamp(clock_.Now() + absl::Hours(1),
               score_request.mutable_as_of_time());
  v1::GetRelationshipScoreResponse score;
  status = Call(&EngagementService::Stub::GetRelationshipScore, score_request,
                &score);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("as_of_time"));

  v1::BatchGetRelationshipScoresRequest batch_scores;
  batch_scores.add_names("accounts/a/relationshipScore");
  batch_scores.add_names("accounts/a");
  v1::BatchGetRelationshipScoresResponse scores;
  status = Call(&EngagementService::Stub::BatchGetRelationshipScores,
                batch_scores, &scores);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("names[1]"));

  v1::CreateFollowUpRequest create;
  create.mutable_follow_up()->set_account("accounts/a");
  v1::CreateFollowUpResponse created;
  status = Call(&EngagementService::Stub::CreateFollowUp, create, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ::testing::Contains("follow_up.title"));

  // A viewer reads but does not write.
  EXPECT_EQ(Call(&EngagementService::Stub::RecordInteraction, record, &recorded,
                 kAcmeViewer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  list.clear_page_token();
  EXPECT_TRUE(Ok(Call(&EngagementService::Stub::ListInteractions, list, &listed,
                      kAcmeViewer)));
}

TEST_F(EngagementServiceTest, RetriesWithTheSameRequestIdDoNotRepeat) {
  KnowAccount("a");
  v1::RecordInteractionRequest record;
  record.set_request_id("5f0c2d1e-0000-4000-8000-000000000001");
  *record.mutable_interaction() =
      NewInteraction("a", v1::INTERACTION_KIND_CALL, absl::Hours(1));
  v1::RecordInteractionResponse first, second;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::RecordInteraction, record, &first)));
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::RecordInteraction, record, &second)));
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  record.mutable_interaction()->set_summary("Another call");
  grpc::Status reused =
      Call(&EngagementService::Stub::RecordInteraction, record, &second);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(reused), ElementsAre("request_id"));

  v1::ListInteractionsRequest list;
  list.set_account("accounts/a");
  v1::ListInteractionsResponse listed;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListInteractions, list, &listed)));
  ASSERT_EQ(listed.interactions_size(), 1);
  EXPECT_EQ(listed.interactions(0).name(), first.interaction().name());

  v1::CreateFollowUpRequest create;
  create.set_request_id("follow-up-1");
  create.mutable_follow_up()->set_account("accounts/a");
  create.mutable_follow_up()->set_title("Call back");
  create.mutable_follow_up()->set_assignee("u-1");
  SetTimestamp(clock_.Now() + absl::Hours(1),
               create.mutable_follow_up()->mutable_due_time());
  v1::CreateFollowUpResponse created, again;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::CreateFollowUp, create, &created)));
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::CreateFollowUp, create, &again)));
  EXPECT_EQ(again.follow_up().name(), created.follow_up().name());
  v1::ListFollowUpsResponse follow_ups;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ListFollowUps,
                      v1::ListFollowUpsRequest(), &follow_ups)));
  EXPECT_EQ(follow_ups.follow_ups_size(), 1);

  // Completing twice answers the same, and the follow-up is done once.
  v1::CompleteFollowUpRequest complete;
  complete.set_name(created.follow_up().name());
  complete.set_request_id("complete-1");
  v1::CompleteFollowUpResponse done, done_again;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::CompleteFollowUp, complete, &done)));
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(Ok(
      Call(&EngagementService::Stub::CompleteFollowUp, complete, &done_again)));
  EXPECT_EQ(done_again.SerializeAsString(), done.SerializeAsString());
}

TEST_F(EngagementServiceTest, AnotherTenantSeesNotFound) {
  KnowAccount("secret");
  KnowAccount("mine", "globex");
  const v1::Interaction interaction = Record(
      NewInteraction("secret", v1::INTERACTION_KIND_MEETING, absl::Hours(3)));
  v1::CreateFollowUpRequest create;
  create.mutable_follow_up()->set_account("accounts/secret");
  create.mutable_follow_up()->set_title("Renewal");
  create.mutable_follow_up()->set_assignee("u-1");
  SetTimestamp(clock_.Now() + absl::Hours(1),
               create.mutable_follow_up()->mutable_due_time());
  v1::CreateFollowUpResponse created;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::CreateFollowUp, create, &created)));

  v1::GetInteractionRequest get;
  get.set_name(interaction.name());
  v1::GetInteractionResponse got;
  EXPECT_EQ(Call(&EngagementService::Stub::GetInteraction, get, &got, kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::DeleteInteractionRequest remove;
  remove.set_name(interaction.name());
  v1::DeleteInteractionResponse removed;
  EXPECT_EQ(Call(&EngagementService::Stub::DeleteInteraction, remove, &removed,
                 kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListInteractionsRequest list;
  list.set_account("accounts/secret");
  v1::ListInteractionsResponse listed;
  EXPECT_EQ(
      Call(&EngagementService::Stub::ListInteractions, list, &listed, kGlobex)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::GetRelationshipScoreRequest score_request;
  score_request.set_name("accounts/secret/relationshipScore");
  v1::GetRelationshipScoreResponse score;
  EXPECT_EQ(Call(&EngagementService::Stub::GetRelationshipScore, score_request,
                 &score, kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetFollowUpRequest get_follow_up;
  get_follow_up.set_name(created.follow_up().name());
  v1::GetFollowUpResponse got_follow_up;
  EXPECT_EQ(Call(&EngagementService::Stub::GetFollowUp, get_follow_up,
                 &got_follow_up, kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Recording on the other tenant's account: NOT_FOUND, nothing recorded.
  v1::RecordInteractionRequest record;
  *record.mutable_interaction() =
      NewInteraction("secret", v1::INTERACTION_KIND_CALL, absl::Hours(1));
  v1::RecordInteractionResponse recorded;
  grpc::Status refused = Call(&EngagementService::Stub::RecordInteraction,
                              record, &recorded, kGlobex);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(refused.error_message(), HasSubstr("accounts/secret"));
  v1::ListFollowUpsResponse follow_ups;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::ListFollowUps,
                      v1::ListFollowUpsRequest(), &follow_ups, kGlobex)));
  EXPECT_EQ(follow_ups.follow_ups_size(), 0);

  // The owner still sees everything, unchanged.
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetInteraction, get, &got)));
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListInteractions, list, &listed)));
  EXPECT_EQ(listed.interactions_size(), 1);
}

TEST_F(EngagementServiceTest, PageTokensWalkTheTimelineOnce) {
  KnowAccount("regular");
  v1::BatchRecordInteractionsRequest batch;
  for (int i = 0; i < 7; ++i) {
    *batch.add_interactions() = NewInteraction(
        "regular", v1::INTERACTION_KIND_PURCHASE, absl::Hours(10 + i));
    batch.mutable_interactions(i)->set_channel(
        v1::INTERACTION_CHANNEL_POINT_OF_SALE);
    batch.mutable_interactions(i)->mutable_amount()->set_currency_code("TRY");
    batch.mutable_interactions(i)->mutable_amount()->set_amount_minor_units(
        4500);
  }
  *batch.add_interactions() =
      NewInteraction("regular", v1::INTERACTION_KIND_NOTE, absl::Hours(1));
  v1::BatchRecordInteractionsResponse batched;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::BatchRecordInteractions, batch,
                      &batched)));

  v1::ListInteractionsRequest list;
  list.set_account("accounts/regular");
  list.add_kinds(v1::INTERACTION_KIND_PURCHASE);
  list.set_page_size(3);
  std::vector<std::string> walked;
  std::vector<int> page_sizes;
  std::string token;
  do {
    list.set_page_token(token);
    v1::ListInteractionsResponse page;
    grpc::Status status =
        Call(&EngagementService::Stub::ListInteractions, list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(page.interactions_size());
    for (const v1::Interaction& interaction : page.interactions()) {
      walked.push_back(interaction.name());
    }
    token = page.next_page_token();
  } while (!token.empty() && page_sizes.size() < 10);
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 1));
  // Newest first: the batch was recorded oldest last.
  std::vector<std::string> expected;
  expected.reserve(7);
  for (int i = 0; i < 7; ++i) {
    expected.push_back(batched.interactions(i).name());
  }
  EXPECT_EQ(walked, expected);

  // A token is only good for the list it came from.
  list.set_page_token("");
  v1::ListInteractionsResponse first_page;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::ListInteractions, list, &first_page)));
  list.set_page_token(first_page.next_page_token());
  list.clear_kinds();
  v1::ListInteractionsResponse refused;
  grpc::Status status =
      Call(&EngagementService::Stub::ListInteractions, list, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(status), ElementsAre("page_token"));
}

TEST_F(EngagementServiceTest,
       WarmScoreReadsAnswerLikeComputedOnesAndSeeWrites) {
  KnowAccount("firm", "acme", "manager-1");
  Record(NewInteraction("firm", v1::INTERACTION_KIND_ADVICE_SESSION,
                        absl::Hours(30)));
  v1::GetRelationshipScoreRequest request;
  request.set_name("accounts/firm/relationshipScore");
  v1::GetRelationshipScoreResponse computed, checked, warm;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetRelationshipScore, request,
                      &computed)));
  ASSERT_TRUE(Ok(
      Call(&EngagementService::Stub::GetRelationshipScore, request, &checked)));
  const int64_t trusted_before = cache_->stats().trusted_hits;
  ASSERT_TRUE(
      Ok(Call(&EngagementService::Stub::GetRelationshipScore, request, &warm)));
  // The third read came from memory on the gRPC thread, and the client
  // cannot tell.
  EXPECT_EQ(cache_->stats().trusted_hits, trusted_before + 1);
  EXPECT_EQ(warm.SerializeAsString(), computed.SerializeAsString());
  EXPECT_EQ(warm.relationship_score().interaction_count(), 1);

  // Another tenant never gets it from memory either.
  v1::GetRelationshipScoreResponse other;
  EXPECT_EQ(Call(&EngagementService::Stub::GetRelationshipScore, request,
                 &other, kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // A write acknowledged to one client is in the next read of any client.
  Record(NewInteraction("firm", v1::INTERACTION_KIND_MEETING, absl::Hours(2)));
  v1::GetRelationshipScoreResponse after;
  ASSERT_TRUE(Ok(Call(&EngagementService::Stub::GetRelationshipScore, request,
                      &after, kAcmeViewer)));
  EXPECT_EQ(after.relationship_score().interaction_count(), 2);
}

}  // namespace
}  // namespace clientele::engagement

// Follow-ups made by hand through FollowUpManager over real SQLite: create,
// get, update by mask and etag, delete and complete, each published as an
// event; validation by field path, idempotent retries, accounts known to
// the projection (merged ones resolved to their survivor) and tenancy.
// Lists are in follow_up_list_test.cc, the rules in follow_up_rules_test.cc.
#include "services/engagement/follow_up_manager.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clientele/engagement/v1/follow_up.pb.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "common/testing/caller_for_test.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/engagement/follow_up_manager_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::SizeIs;

TEST_F(FollowUpManagerTest, CreateGetUpdateDeletePublishEachChange) {
  v1::FollowUp follow_up = NewFollowUp("accounts/a1", "max", now());
  follow_up.set_contact("contacts/c1");
  follow_up.set_title("  Call about the renewal  ");
  follow_up.set_state(v1::FOLLOW_UP_STATE_DONE);    // ignored
  follow_up.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);  // ignored
  follow_up.set_name("followUps/mine");             // ignored
  auto created = manager().Create(acme_, follow_up);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(), HasSubstr("followUps/"));
  EXPECT_NE(created->name(), "followUps/mine");
  EXPECT_EQ(created->title(), "Call about the renewal");
  EXPECT_EQ(created->state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(created->origin(), v1::FOLLOW_UP_ORIGIN_MANUAL);
  EXPECT_EQ(created->kind(), v1::FOLLOW_UP_KIND_GENERAL);
  EXPECT_EQ(created->priority(), v1::FOLLOW_UP_PRIORITY_NORMAL);
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());

  auto got = manager().Get(acme_, created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->DebugString(), created->DebugString());

  clock_.Advance(absl::Minutes(5));
  v1::FollowUp change = *created;
  change.set_title("Call about the new contract");
  change.set_assignee("olga");
  change.set_description("ignored: not in the mask");
  auto updated = manager().Update(acme_, change, Mask({"title", "assignee"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title(), "Call about the new contract");
  EXPECT_EQ(updated->assignee(), "olga");
  EXPECT_EQ(updated->description(), "");
  EXPECT_NE(updated->etag(), created->etag());
  EXPECT_EQ(manager().Get(acme_, created->name())->DebugString(),
            updated->DebugString());

  ASSERT_TRUE(manager().Delete(acme_, created->name(), updated->etag()).ok());
  EXPECT_EQ(manager().Get(acme_, created->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager().Delete(acme_, created->name(), "").code(),
            absl::StatusCode::kNotFound);

  auto events = OutboxEvents();
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_TRUE(events[0].has_follow_up_created());
  EXPECT_EQ(events[0].subject(), created->name());
  EXPECT_EQ(events[0].tenant(), "acme");
  EXPECT_EQ(events[0].source_service(), "engagement");
  EXPECT_EQ(events[0].follow_up_created().follow_up().assignee(), "max");
  EXPECT_EQ(events[0].follow_up_created().follow_up().contact(), "contacts/c1");
  EXPECT_TRUE(events[1].has_follow_up_updated());
  EXPECT_EQ(events[1].follow_up_updated().follow_up().assignee(), "olga");
  EXPECT_TRUE(events[2].has_follow_up_deleted());
  EXPECT_EQ(events[2].follow_up_deleted().follow_up(), created->name());
  EXPECT_EQ(events[2].follow_up_deleted().account(), "accounts/a1");
  EXPECT_EQ(events[2].follow_up_deleted().assignee(), "olga");
}

// Reporting reads the kind from the events (the client portal's upcoming
// meetings), so every snapshot carries it, in the events' mirror of the
// enum.
TEST_F(FollowUpManagerTest, EveryEventCarriesTheKind) {
  v1::FollowUp follow_up = NewFollowUp("accounts/a1", "max", now());
  follow_up.set_kind(v1::FOLLOW_UP_KIND_MEETING);
  auto created = manager().Create(acme_, follow_up);
  ASSERT_TRUE(created.ok()) << created.status();
  v1::FollowUp change = *created;
  change.set_kind(v1::FOLLOW_UP_KIND_CALL);
  auto updated = manager().Update(acme_, change, Mask({"kind"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_TRUE(manager().Complete(acme_, created->name(), "").ok());
  auto plain =
      manager().Create(acme_, NewFollowUp("accounts/a1", "max", now()));
  ASSERT_TRUE(plain.ok()) << plain.status();

  auto events = OutboxEvents();
  ASSERT_THAT(events, SizeIs(4));
  EXPECT_EQ(events[0].follow_up_created().follow_up().kind(),
            events::v1::FOLLOW_UP_KIND_MEETING);
  EXPECT_EQ(events[1].follow_up_updated().follow_up().kind(),
            events::v1::FOLLOW_UP_KIND_CALL);
  EXPECT_EQ(events[2].follow_up_completed().follow_up().kind(),
            events::v1::FOLLOW_UP_KIND_CALL);
  EXPECT_EQ(events[3].follow_up_created().follow_up().kind(),
            events::v1::FOLLOW_UP_KIND_GENERAL);
}

TEST_F(FollowUpManagerTest, TheEventsKindMirrorsTheApisValueForValue) {
  const google::protobuf::EnumDescriptor* api = v1::FollowUpKind_descriptor();
  const google::protobuf::EnumDescriptor* event =
      events::v1::FollowUpKind_descriptor();
  ASSERT_EQ(api->value_count(), event->value_count());
  for (int i = 0; i < api->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* mirror =
        event->FindValueByNumber(api->value(i)->number());
    ASSERT_NE(mirror, nullptr) << api->value(i)->name();
    EXPECT_EQ(mirror->name(), api->value(i)->name());
  }
}

TEST_F(FollowUpManagerTest, CreateFromANextBestActionHasThatOrigin) {
  v1::FollowUp follow_up = NewFollowUp("accounts/a1", "max", now());
  follow_up.mutable_source_action()->set_kind(
      v1::NEXT_BEST_ACTION_KIND_ASSIGN_ACCOUNT_MANAGER);
  auto created = manager().Create(acme_, follow_up);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->origin(), v1::FOLLOW_UP_ORIGIN_NEXT_BEST_ACTION);
}

TEST_F(FollowUpManagerTest, CreateRejectsEveryBadFieldByPath) {
  v1::FollowUp follow_up;
  follow_up.set_account("acct-1");
  follow_up.set_contact("people/1");
  follow_up.set_title("   ");
  follow_up.set_description(std::string(4001, 'x'));
  follow_up.set_kind(static_cast<v1::FollowUpKind>(42));
  follow_up.set_priority(static_cast<v1::FollowUpPriority>(9));
  follow_up.mutable_source_action()->set_kind(
      static_cast<v1::NextBestActionKind>(999));
  absl::Status status = manager().Create(acme_, follow_up).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      Fields(status),
      IsSupersetOf({"follow_up.account", "follow_up.contact", "follow_up.title",
                    "follow_up.description", "follow_up.kind",
                    "follow_up.assignee", "follow_up.due_time",
                    "follow_up.priority", "follow_up.source_action.kind"}));

  v1::FollowUp too_long =
      NewFollowUp("accounts/a1", std::string(129, 'u'), now());
  too_long.set_title(std::string(201, 't'));
  too_long.mutable_due_time()->set_nanos(-1);
  status = manager().Create(acme_, too_long).status();
  EXPECT_THAT(Fields(status),
              ElementsAre("follow_up.title", "follow_up.assignee",
                          "follow_up.due_time"));

  v1::FollowUp bad_text = NewFollowUp("accounts/a1", "max", now());
  bad_text.set_title("bell\a");
  bad_text.set_description("line one\nline two\xff");
  status = manager().Create(acme_, bad_text).status();
  EXPECT_THAT(Fields(status),
              ElementsAre("follow_up.title", "follow_up.description"));

  // Two hundred non-ASCII characters fit: limits count characters.
  v1::FollowUp cyrillic = NewFollowUp("accounts/a1", "max", now());
  std::string title;
  for (int i = 0; i < 200; ++i) title += "\xD0\x96";  // U+0416
  cyrillic.set_title(title);
  cyrillic.set_description("Multi-line\nnotes\tare fine.");
  EXPECT_TRUE(manager().Create(acme_, cyrillic).ok());
  EXPECT_THAT(OutboxEvents(), SizeIs(1));
}

TEST_F(FollowUpManagerTest, CreateWithRequestIdIsIdempotent) {
  const v1::FollowUp follow_up = NewFollowUp("accounts/a1", "max", now());
  auto create = [&](const v1::FollowUp& follow_up,
                    const std::string& request_id) {
    v1::CreateFollowUpRequest request;
    *request.mutable_follow_up() = follow_up;
    request.set_request_id(request_id);
    return manager().Create(testing::CallerServingForTest(acme_, request),
                            follow_up);
  };
  auto first = create(follow_up, "req-1");
  auto second = create(follow_up, "req-1");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->DebugString(), second->DebugString());
  EXPECT_THAT(OutboxEvents(), SizeIs(1));
  EXPECT_THAT(AllOf(acme_), SizeIs(1));

  v1::FollowUp other = follow_up;
  other.set_title("Something else");
  absl::Status status = create(other, "req-1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status), ElementsAre("request_id"));
  EXPECT_THAT(Fields(create(follow_up, "bad id\n").status()),
              ElementsAre("request_id"));
}

TEST_F(FollowUpManagerTest, AccountMustBeKnownAndMergedOnesMoveToSurvivor) {
  absl::Status status =
      manager()
          .Create(acme_, NewFollowUp("accounts/nope", "max", now()))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("accounts/nope"));

  ProjectedAccount gone = Account("gone", "olga", "");
  gone.state = ProjectedState::kGone;
  projection_.Put("acme", gone);
  EXPECT_EQ(manager()
                .Create(acme_, NewFollowUp("accounts/gone", "max", now()))
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  // globex's account is not acme's.
  EXPECT_EQ(manager()
                .Create(acme_, NewFollowUp("accounts/g1", "max", now()))
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  ProjectedAccount merged = Account("old", "olga", "");
  merged.state = ProjectedState::kMerged;
  merged.merged_into = "a1";
  projection_.Put("acme", merged);
  auto created =
      manager().Create(acme_, NewFollowUp("accounts/old", "max", now()));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->account(), "accounts/a1");

  // Listing by the merged-away name finds the survivor's follow-ups.
  v1::ListFollowUpsRequest request;
  request.set_account("accounts/old");
  auto listed = manager().List(acme_, request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->follow_ups(), SizeIs(1));
  EXPECT_THAT(OutboxEvents(), SizeIs(1));
}

TEST_F(FollowUpManagerTest, AnotherTenantsFollowUpIsNotFound) {
  const v1::FollowUp created =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  EXPECT_EQ(manager().Get(globex_, created.name()).status().code(),
            absl::StatusCode::kNotFound);
  v1::FollowUp change = created;
  change.set_title("Stolen");
  EXPECT_EQ(manager().Update(globex_, change, Mask({"title"})).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager().Delete(globex_, created.name(), "").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager().Complete(globex_, created.name(), "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(AllOf(globex_), IsEmpty());
  v1::ListDueFollowUpsRequest due;
  due.mutable_due_within()->set_seconds(int64_t{86400} * 30);
  EXPECT_THAT(manager().ListDue(globex_, due)->due_follow_ups(), IsEmpty());
  EXPECT_EQ(manager().Get(acme_, created.name())->title(), created.title());
  EXPECT_EQ(manager().Get(acme_, "followUps/a b").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FollowUpManagerTest, StaleEtagIsAborted) {
  const v1::FollowUp created =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  v1::FollowUp change = created;
  change.set_title("First change");
  ASSERT_TRUE(manager().Update(acme_, change, Mask({"title"})).ok());

  change.set_title("Second change from a stale read");
  EXPECT_EQ(manager().Update(acme_, change, Mask({"title"})).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(manager().Delete(acme_, created.name(), created.etag()).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(
      manager().Complete(acme_, created.name(), created.etag()).status().code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(manager().Get(acme_, created.name())->title(), "First change");
}

TEST_F(FollowUpManagerTest, UpdateChecksTheMaskAndTheState) {
  const v1::FollowUp created =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  v1::FollowUp change = created;
  for (const char* path :
       {"origin", "etag", "complete_time", "account", "source", "nope"}) {
    EXPECT_THAT(Fields(manager().Update(acme_, change, Mask({path})).status()),
                ElementsAre("update_mask"))
        << path;
  }
  EXPECT_THAT(Fields(manager().Update(acme_, change, {}).status()),
              ElementsAre("update_mask"));

  change.set_state(v1::FOLLOW_UP_STATE_DONE);
  EXPECT_THAT(Fields(manager().Update(acme_, change, Mask({"state"})).status()),
              ElementsAre("follow_up.state"));
  change.set_assignee("");
  EXPECT_THAT(
      Fields(manager().Update(acme_, change, Mask({"assignee"})).status()),
      ElementsAre("follow_up.assignee"));
  change.clear_due_time();
  EXPECT_THAT(
      Fields(manager().Update(acme_, change, Mask({"due_time"})).status()),
      ElementsAre("follow_up.due_time"));

  // A change that changes nothing publishes nothing.
  auto same = manager().Update(acme_, created, Mask({"title", "kind"}));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), created.etag());
  EXPECT_THAT(OutboxEvents(), SizeIs(1));

  // Cancel, then reopen.
  change = created;
  change.set_state(v1::FOLLOW_UP_STATE_CANCELLED);
  auto cancelled = manager().Update(acme_, change, Mask({"state"}));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::FOLLOW_UP_STATE_CANCELLED);
  change = *cancelled;
  change.set_state(v1::FOLLOW_UP_STATE_OPEN);
  auto reopened = manager().Update(acme_, change, Mask({"state"}));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_THAT(OutboxEvents(), SizeIs(3));
}

TEST_F(FollowUpManagerTest, DoneFollowUpsReopenButDoNotCancel) {
  const v1::FollowUp created =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  auto done = manager().Complete(acme_, created.name(), "");
  ASSERT_TRUE(done.ok()) << done.status();
  v1::FollowUp change = *done;
  change.set_state(v1::FOLLOW_UP_STATE_CANCELLED);
  EXPECT_EQ(manager().Update(acme_, change, Mask({"state"})).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // "*" with the state as read is no state change.
  change = *done;
  change.set_title("Edited after completion");
  auto edited = manager().Update(acme_, change, Mask({"*"}));
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->state(), v1::FOLLOW_UP_STATE_DONE);
  change = *edited;
  change.set_state(v1::FOLLOW_UP_STATE_OPEN);
  auto reopened = manager().Update(acme_, change, Mask({"state"}));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_FALSE(reopened->has_complete_time());
}

TEST_F(FollowUpManagerTest, CompleteIsIdempotentAndRefusesCancelled) {
  const v1::FollowUp created =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  clock_.Advance(absl::Hours(1));
  auto done = manager().Complete(acme_, created.name(), created.etag());
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state(), v1::FOLLOW_UP_STATE_DONE);
  EXPECT_EQ(done->complete_time().seconds(), absl::ToUnixSeconds(now()));
  // Again, even with the etag read before: it is done, nothing changes.
  auto again = manager().Complete(acme_, created.name(), created.etag());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->DebugString(), done->DebugString());
  auto events = OutboxEvents();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_TRUE(events[1].has_follow_up_completed());
  EXPECT_EQ(events[1].follow_up_completed().follow_up().state(),
            events::v1::FOLLOW_UP_STATE_DONE);
  EXPECT_TRUE(events[1].follow_up_completed().follow_up().has_complete_time());

  // With a request_id a retry returns the first answer.
  const v1::FollowUp second =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  auto complete = [&](const std::string& name) {
    v1::CompleteFollowUpRequest request;
    request.set_name(name);
    request.set_request_id("req-9");
    return manager().Complete(testing::CallerServingForTest(acme_, request),
                              name, "");
  };
  auto first_try = complete(second.name());
  auto retry = complete(second.name());
  ASSERT_TRUE(first_try.ok() && retry.ok());
  EXPECT_EQ(first_try->DebugString(), retry->DebugString());
  EXPECT_THAT(Fields(complete(created.name()).status()),
              ElementsAre("request_id"));

  const v1::FollowUp third =
      MustCreate(NewFollowUp("accounts/a1", "max", now()), acme_);
  v1::FollowUp cancel = third;
  cancel.set_state(v1::FOLLOW_UP_STATE_CANCELLED);
  ASSERT_TRUE(manager().Update(acme_, cancel, Mask({"state"})).ok());
  EXPECT_EQ(manager().Complete(acme_, third.name(), "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(manager().Complete(acme_, "followUps/none", "").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace clientele::engagement

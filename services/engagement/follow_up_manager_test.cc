#include "services/engagement/follow_up_manager.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/sqlite_follow_up_store.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::SizeIs;

// Test-only projection: accounts in a map, merges followed like the real
// store's Resolve. Only Find and Resolve are used by follow-ups.
class FakeProjectionStore : public ProjectionStore {
 public:
  void Put(const std::string& tenant, ProjectedAccount account) {
    std::string id = account.id;
    accounts_[{tenant, id}] = std::move(account);
  }

  absl::StatusOr<std::optional<ProjectedAccount>> Find(
      sql::Transaction&, absl::string_view tenant,
      absl::string_view id) override {
    auto it = accounts_.find({std::string(tenant), std::string(id)});
    if (it == accounts_.end()) return std::nullopt;
    return it->second;
  }
  absl::StatusOr<std::optional<ProjectedAccount>> Resolve(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override {
    std::string current(id);
    for (int hops = 0; hops < 16; ++hops) {
      auto it = accounts_.find({std::string(tenant), current});
      if (it == accounts_.end()) return std::nullopt;
      switch (it->second.state) {
        case ProjectedState::kActive:
          return it->second;
        case ProjectedState::kGone:
          return std::nullopt;
        case ProjectedState::kMerged:
          current = it->second.merged_into;
          break;
      }
    }
    return std::nullopt;
  }
  absl::Status PutSnapshot(sql::Transaction&, absl::string_view,
                           absl::string_view,
                           const events::v1::AccountSnapshot&) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::Status SetState(sql::Transaction&, absl::string_view, absl::string_view,
                        ProjectedState, absl::string_view) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::Status PutTotals(sql::Transaction&, absl::string_view,
                         absl::string_view, absl::Time, int64_t,
                         absl::string_view) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::Status Touch(sql::Transaction&, absl::string_view,
                     absl::string_view) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::StatusOr<int64_t> TouchAllActive(sql::Transaction&,
                                         absl::string_view) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::StatusOr<std::vector<ProjectedAccount>> ListActive(sql::Transaction&,
                                                           absl::string_view,
                                                           absl::string_view,
                                                           int) override {
    return absl::UnimplementedError("not used by follow-ups");
  }
  absl::StatusOr<std::optional<RevisionRef>> ResolveRevision(
      sql::Transaction&, absl::string_view, absl::string_view) override {
    return absl::UnimplementedError("not used by follow-ups");
  }

 private:
  std::map<std::pair<std::string, std::string>, ProjectedAccount> accounts_;
};

ProjectedAccount Account(const std::string& id, const std::string& owner,
                         const std::string& account_manager) {
  ProjectedAccount account;
  account.id = id;
  account.snapshot.set_name("accounts/" + id);
  account.snapshot.set_owner(owner);
  account.snapshot.set_account_manager(account_manager);
  return account;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

google::protobuf::Timestamp At(absl::Time time) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(time));
  return out;
}

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

class FollowUpManagerTest : public ::testing::Test {
 protected:
  FollowUpManagerTest() {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    if (!database.ok()) ADD_FAILURE() << database.status();
    database_ = *std::move(database);
    auto version = database_->Migrate(EngagementMigrations());
    if (!version.ok()) ADD_FAILURE() << version.status();
    events_ = std::make_unique<events::EventWriter>("engagement", &clock_,
                                                    &event_ids_, nullptr);
    deps_.database = database_.get();
    deps_.events = events_.get();
    deps_.clock = &clock_;
    deps_.ids = &ids_;
    deps_.projection = &projection_;
    deps_.follow_ups = &store_;
    manager_ = std::make_unique<FollowUpManager>(deps_);
    projection_.Put("acme", Account("a1", "olga", "max"));
    projection_.Put("acme", Account("a2", "olga", ""));
    projection_.Put("globex", Account("g1", "gary", ""));
  }

  FollowUpManager& manager() { return *manager_; }
  absl::Time now() { return clock_.Now(); }

  v1::FollowUp NewFollowUp(const std::string& account,
                           const std::string& assignee, absl::Time due) {
    v1::FollowUp follow_up;
    follow_up.set_account(account);
    follow_up.set_title("Call about the renewal");
    follow_up.set_assignee(assignee);
    *follow_up.mutable_due_time() = At(due);
    return follow_up;
  }

  v1::FollowUp MustCreate(const v1::FollowUp& follow_up, const Caller& caller) {
    auto created = manager().Create(caller, follow_up);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::FollowUp();
  }

  // Every event in the outbox, oldest first.
  std::vector<events::v1::Event> OutboxEvents() {
    auto outbox = testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    if (!outbox.ok()) return {};
    return *std::move(outbox);
  }

  absl::Status ApplyRules(const ProjectedAccount& account,
                          const v1::Interaction& interaction,
                          const v1::FollowUpRules& rules) {
    return database_->Write([&](sql::Transaction& txn) {
      return manager().ApplyRules(txn, acme_, account, interaction, rules);
    });
  }

  std::vector<v1::FollowUp> AllOf(const Caller& caller) {
    v1::ListFollowUpsRequest request;
    request.set_page_size(1000);
    auto listed = manager().List(caller, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->follow_ups().begin(), listed->follow_ups().end()};
  }

  static v1::FollowUpRules DefaultRules() {
    v1::FollowUpRules rules;
    rules.mutable_proposal_follow_up_delay()->set_seconds(int64_t{3} * 86400);
    rules.mutable_invoice_after_purchase_delay()->set_seconds(86400);
    rules.mutable_survey_after_solve_delay()->set_seconds(86400);
    return rules;
  }

  v1::Interaction Recorded(const std::string& id, v1::InteractionKind kind,
                           const std::string& staff_user) {
    v1::Interaction interaction;
    interaction.set_name("interactions/" + id);
    interaction.set_account("accounts/a1");
    interaction.set_contact("contacts/c1");
    interaction.set_kind(kind);
    interaction.set_channel(v1::INTERACTION_CHANNEL_EMAIL);
    interaction.set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
    interaction.set_staff_user(staff_user);
    *interaction.mutable_occur_time() = At(now() - absl::Hours(1));
    return interaction;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id-"};
  SequentialIdGenerator event_ids_{"event-"};
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  FakeProjectionStore projection_;
  SqliteFollowUpStore store_;
  EngagementDeps deps_;
  std::unique_ptr<FollowUpManager> manager_;
  const Caller acme_{"acme", "role:admin", "trace-1"};
  const Caller globex_{"globex", "role:admin", "trace-2"};
};

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

TEST_F(FollowUpManagerTest, ListFiltersAndPagesInDueOrder) {
  const absl::Time t = now();
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(5)), acme_);
  MustCreate(NewFollowUp("accounts/a2", "olga", t + absl::Hours(1)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "olga", t + absl::Hours(3)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  const v1::FollowUp later =
      MustCreate(NewFollowUp("accounts/a2", "max", t + absl::Hours(4)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  MustCreate(NewFollowUp("accounts/g1", "max", t), globex_);
  ASSERT_TRUE(manager().Complete(acme_, later.name(), "").ok());

  // Every page in due order, then id; no follow-up twice or missed.
  std::vector<absl::Time> due_times;
  std::vector<std::string> names;
  v1::ListFollowUpsRequest request;
  request.set_page_size(4);
  int pages = 0;
  do {
    auto page = manager().List(acme_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const v1::FollowUp& f : page->follow_ups()) {
      due_times.push_back(absl::FromUnixSeconds(f.due_time().seconds()));
      names.push_back(f.name());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  ASSERT_THAT(names, SizeIs(6));
  EXPECT_TRUE(std::is_sorted(due_times.begin(), due_times.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 6u);

  const auto count = [&](const v1::ListFollowUpsRequest& r) -> int {
    auto listed = manager().List(acme_, r);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->follow_ups_size() : -1;
  };
  v1::ListFollowUpsRequest filter;
  filter.set_assignee("max");
  EXPECT_EQ(count(filter), 4);
  filter.set_account("accounts/a1");
  EXPECT_EQ(count(filter), 3);
  filter.set_state(v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(count(filter), 3);
  filter.Clear();
  filter.set_state(v1::FOLLOW_UP_STATE_DONE);
  EXPECT_EQ(count(filter), 1);
  filter.Clear();
  filter.set_origin(v1::FOLLOW_UP_ORIGIN_MANUAL);
  EXPECT_EQ(count(filter), 6);
  filter.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(count(filter), 0);
  filter.Clear();
  // [2h, 4h): the two due at 2h and the one at 3h.
  *filter.mutable_due_time_range()->mutable_start_time() =
      At(t + absl::Hours(2));
  *filter.mutable_due_time_range()->mutable_end_time() = At(t + absl::Hours(4));
  EXPECT_EQ(count(filter), 3);

  // A token only works with the filter it was issued for.
  v1::ListFollowUpsRequest first;
  first.set_page_size(2);
  auto page = manager().List(acme_, first);
  ASSERT_TRUE(page.ok());
  v1::ListFollowUpsRequest other;
  other.set_assignee("max");
  other.set_page_token(page->next_page_token());
  EXPECT_THAT(Fields(manager().List(acme_, other).status()),
              ElementsAre("page_token"));
  EXPECT_EQ(manager().List(globex_, first).status().code(),
            absl::StatusCode::kOk);

  v1::ListFollowUpsRequest huge;  // read as the maximum (AIP-158)
  huge.set_page_size(1001);
  EXPECT_EQ(manager().List(acme_, huge).status().code(), absl::StatusCode::kOk);
  v1::ListFollowUpsRequest bad;
  bad.set_account("acct");
  bad.set_state(static_cast<v1::FollowUpState>(7));
  bad.set_origin(static_cast<v1::FollowUpOrigin>(7));
  *bad.mutable_due_time_range()->mutable_start_time() = At(t);
  *bad.mutable_due_time_range()->mutable_end_time() = At(t - absl::Hours(1));
  EXPECT_THAT(Fields(manager().List(acme_, bad).status()),
              ElementsAre("account", "state", "origin", "due_time_range"));
}

TEST_F(FollowUpManagerTest, ListDueFlagsOverdueAndCountsPerAssignee) {
  const absl::Time t = now();
  const v1::FollowUp two_days_late =
      MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(48)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(1)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(72)), acme_);
  MustCreate(NewFollowUp("accounts/a2", "olga", t - absl::Hours(24)), acme_);
  const v1::FollowUp done =
      MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(5)), acme_);
  ASSERT_TRUE(manager().Complete(acme_, done.name(), "").ok());

  v1::ListDueFollowUpsRequest request;
  request.set_assignee("max");
  auto max = manager().ListDue(acme_, request);
  ASSERT_TRUE(max.ok()) << max.status();
  // Overdue ones and those due within 24 hours; not the DONE one.
  ASSERT_THAT(max->due_follow_ups(), SizeIs(3));
  EXPECT_EQ(max->due_follow_ups(0).follow_up().name(), two_days_late.name());
  EXPECT_TRUE(max->due_follow_ups(0).overdue());
  EXPECT_EQ(max->due_follow_ups(0).overdue_by().seconds(), 48 * 3600);
  EXPECT_TRUE(max->due_follow_ups(1).overdue());
  EXPECT_EQ(max->due_follow_ups(1).overdue_by().seconds(), 3600);
  EXPECT_FALSE(max->due_follow_ups(2).overdue());
  EXPECT_EQ(max->due_follow_ups(2).overdue_by().seconds(), 0);
  EXPECT_EQ(max->overdue_count(), 2);
  EXPECT_TRUE(max->next_page_token().empty());

  request.set_assignee("olga");
  auto olga = manager().ListDue(acme_, request);
  ASSERT_TRUE(olga.ok());
  EXPECT_THAT(olga->due_follow_ups(), SizeIs(1));
  EXPECT_EQ(olga->overdue_count(), 1);

  // Everyone, within four days, one per page; "now" moving between pages
  // does not move the list.
  request.Clear();
  request.mutable_due_within()->set_seconds(int64_t{4} * 86400);
  request.set_page_size(1);
  std::vector<bool> overdue;
  do {
    auto page = manager().ListDue(acme_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->overdue_count(), 3);
    for (const v1::DueFollowUp& due : page->due_follow_ups()) {
      overdue.push_back(due.overdue());
    }
    request.set_page_token(page->next_page_token());
    clock_.Advance(absl::Hours(3));
  } while (!request.page_token().empty());
  EXPECT_THAT(overdue, ElementsAre(true, true, true, false, false));

  // as_of_time in the past: nothing was overdue yet.
  request.Clear();
  *request.mutable_as_of_time() = At(t - absl::Hours(100));
  auto past = manager().ListDue(acme_, request);
  ASSERT_TRUE(past.ok());
  EXPECT_THAT(past->due_follow_ups(), IsEmpty());
  EXPECT_EQ(past->overdue_count(), 0);

  request.Clear();
  request.mutable_due_within()->set_seconds(int64_t{91} * 86400);
  EXPECT_THAT(Fields(manager().ListDue(acme_, request).status()),
              ElementsAre("due_within"));
  request.mutable_due_within()->set_seconds(-1);
  request.mutable_as_of_time()->set_seconds(-1);
  request.mutable_as_of_time()->set_nanos(-1);
  EXPECT_THAT(Fields(manager().ListDue(acme_, request).status()),
              ElementsAre("as_of_time", "due_within"));
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

TEST_F(FollowUpManagerTest, ProposalRuleFollowsUpWithWhoeverSentIt) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction by_sam =
      Recorded("i1", v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, by_sam, DefaultRules()).ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  const v1::FollowUp& made = all[0];
  EXPECT_EQ(made.origin(), v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(made.rule(), v1::FOLLOW_UP_RULE_PROPOSAL_SENT);
  EXPECT_EQ(made.kind(), v1::FOLLOW_UP_KIND_EMAIL);
  EXPECT_EQ(made.assignee(), "sam");
  EXPECT_EQ(made.account(), "accounts/a1");
  EXPECT_EQ(made.contact(), "contacts/c1");
  EXPECT_EQ(made.source(), "interactions/i1");
  EXPECT_EQ(made.state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(made.due_time().seconds(),
            by_sam.occur_time().seconds() + int64_t{3} * 86400);
  EXPECT_FALSE(made.title().empty());

  // No staff user: the account manager; no manager either: the owner.
  v1::Interaction by_phone = Recorded("i2", v1::INTERACTION_KIND_PROPOSAL, "");
  by_phone.set_channel(v1::INTERACTION_CHANNEL_PHONE);
  ASSERT_TRUE(ApplyRules(a1, by_phone, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(Account("a2", "olga", ""),
                         Recorded("i3", v1::INTERACTION_KIND_PROPOSAL, ""),
                         DefaultRules())
                  .ok());
  v1::ListFollowUpsRequest request;
  request.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  request.set_assignee("max");
  auto by_manager = manager().List(acme_, request);
  ASSERT_TRUE(by_manager.ok());
  ASSERT_THAT(by_manager->follow_ups(), SizeIs(1));
  EXPECT_EQ(by_manager->follow_ups(0).kind(), v1::FOLLOW_UP_KIND_CALL);
  request.set_assignee("olga");
  EXPECT_THAT(manager().List(acme_, request)->follow_ups(), SizeIs(1));

  auto events = OutboxEvents();
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_TRUE(events[0].has_follow_up_created());
  EXPECT_EQ(events[0].follow_up_created().follow_up().assignee(), "sam");
  EXPECT_EQ(events[0].actor(), "role:admin");
}

TEST_F(FollowUpManagerTest, PurchaseRuleMakesAnInvoiceTaskUnlessTurnedOff) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction purchase =
      Recorded("p1", v1::INTERACTION_KIND_PURCHASE, "");
  ASSERT_TRUE(ApplyRules(a1, purchase, DefaultRules()).ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].kind(), v1::FOLLOW_UP_KIND_SEND_INVOICE);
  EXPECT_EQ(all[0].rule(), v1::FOLLOW_UP_RULE_PURCHASE_FULFILLED);
  EXPECT_EQ(all[0].assignee(), "max");
  EXPECT_EQ(all[0].due_time().seconds(),
            purchase.occur_time().seconds() + 86400);

  // Businesses that invoice at the till turn the rule off with 0.
  v1::FollowUpRules off = DefaultRules();
  off.clear_invoice_after_purchase_delay();
  off.clear_proposal_follow_up_delay();
  ASSERT_TRUE(
      ApplyRules(a1, Recorded("p2", v1::INTERACTION_KIND_PURCHASE, ""), off)
          .ok());
  ASSERT_TRUE(
      ApplyRules(a1, Recorded("p3", v1::INTERACTION_KIND_PROPOSAL, ""), off)
          .ok());
  // Kinds without a rule make nothing.
  ASSERT_TRUE(ApplyRules(a1, Recorded("m1", v1::INTERACTION_KIND_MEETING, ""),
                         DefaultRules())
                  .ok());
  EXPECT_THAT(AllOf(acme_), SizeIs(1));
  EXPECT_THAT(OutboxEvents(), SizeIs(1));
}

TEST_F(FollowUpManagerTest, TicketSolvedRuleIsForClientsOnly) {
  ProjectedAccount customer = Account("a1", "olga", "max");
  ASSERT_TRUE(
      ApplyRules(customer,
                 Recorded("t1", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 DefaultRules())
          .ok());
  EXPECT_THAT(AllOf(acme_), IsEmpty());

  ProjectedAccount declared = Account("a1", "olga", "max");
  declared.snapshot.set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  ASSERT_TRUE(
      ApplyRules(declared,
                 Recorded("t2", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 DefaultRules())
          .ok());
  ProjectedAccount retainer = Account("a2", "olga", "");
  retainer.snapshot.mutable_commercial_terms()->set_model(
      type::v1::COMMERCIAL_MODEL_RETAINER);
  ASSERT_TRUE(ApplyRules(retainer,
                         Recorded("t3", v1::INTERACTION_KIND_TICKET_SOLVED, ""),
                         DefaultRules())
                  .ok());
  // A declared customer on a retainer: the declaration wins.
  ProjectedAccount declared_customer = retainer;
  declared_customer.snapshot.set_declared_mode(
      type::v1::RELATIONSHIP_MODE_CUSTOMER);
  ASSERT_TRUE(ApplyRules(declared_customer,
                         Recorded("t4", v1::INTERACTION_KIND_TICKET_SOLVED, ""),
                         DefaultRules())
                  .ok());
  // Turned off.
  v1::FollowUpRules off = DefaultRules();
  off.clear_survey_after_solve_delay();
  ASSERT_TRUE(
      ApplyRules(declared,
                 Recorded("t5", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 off)
          .ok());

  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(2));
  for (const v1::FollowUp& f : all) {
    EXPECT_EQ(f.kind(), v1::FOLLOW_UP_KIND_SEND_SURVEY);
    EXPECT_EQ(f.rule(), v1::FOLLOW_UP_RULE_TICKET_SOLVED);
  }
  EXPECT_EQ(all[0].source(), "interactions/t2");
  EXPECT_EQ(all[0].assignee(), "agent");
  EXPECT_EQ(all[1].source(), "interactions/t3");
  EXPECT_EQ(all[1].assignee(), "olga");
}

TEST_F(FollowUpManagerTest, ReapplyingRulesForAnInteractionMakesNoDuplicate) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction proposal =
      Recorded("i1", v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  // Even after someone completed it.
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  ASSERT_TRUE(manager().Complete(acme_, all[0].name(), "").ok());
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].state(), v1::FOLLOW_UP_STATE_DONE);
  // An interaction id too long to extend still maps to one follow-up.
  const v1::Interaction long_id =
      Recorded(std::string(64, 'z'), v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, long_id, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(a1, long_id, DefaultRules()).ok());
  EXPECT_THAT(AllOf(acme_), SizeIs(2));
  ASSERT_THAT(OutboxEvents(), SizeIs(3));  // two created, one completed
}

TEST_F(FollowUpManagerTest, RuleMadeFollowUpWithoutAssigneeCanStillChange) {
  const ProjectedAccount nobody = Account("a2", "", "");
  ASSERT_TRUE(ApplyRules(nobody,
                         Recorded("p1", v1::INTERACTION_KIND_PURCHASE, ""),
                         DefaultRules())
                  .ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].assignee(), "");
  v1::FollowUp change = all[0];
  change.set_priority(v1::FOLLOW_UP_PRIORITY_HIGH);
  auto updated = manager().Update(acme_, change, Mask({"priority"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->priority(), v1::FOLLOW_UP_PRIORITY_HIGH);
  change = *updated;
  change.set_assignee("max");
  updated = manager().Update(acme_, change, Mask({"assignee"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->assignee(), "max");
}

TEST_F(FollowUpManagerTest, StoreMovesClearsExportsAndErases) {
  v1::FollowUp with_contact = NewFollowUp("accounts/a2", "max", now());
  with_contact.set_contact("contacts/c9");
  with_contact.set_title("Call Zeynep Yılmaz");
  with_contact.set_description("Zeynep asked about the retainer");
  const v1::FollowUp first = MustCreate(with_contact, acme_);
  const v1::FollowUp second =
      MustCreate(NewFollowUp("accounts/a2", "olga", now()), acme_);
  MustCreate(NewFollowUp("accounts/a1", "olga", now()), acme_);
  v1::FollowUp globex_contact = NewFollowUp("accounts/g1", "gary", now());
  globex_contact.set_contact("contacts/c9");
  MustCreate(globex_contact, globex_);

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    auto by_contact = store_.ListByContact(txn, "acme", "c9");
                    if (!by_contact.ok()) return by_contact.status();
                    EXPECT_THAT(*by_contact, SizeIs(1));
                    auto moved = store_.MoveAccount(txn, "acme", "a2", "a1");
                    if (!moved.ok()) return moved.status();
                    EXPECT_EQ(*moved, 2);
                    auto cleared = store_.ClearContact(txn, "acme", "c9");
                    if (!cleared.ok()) return cleared.status();
                    EXPECT_EQ(*cleared, 1);
                    return absl::OkStatus();
                  })
                  .ok());
  auto moved = manager().Get(acme_, first.name());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->account(), "accounts/a1");
  EXPECT_EQ(moved->contact(), "");
  EXPECT_EQ(moved->title(), kErasedFollowUpTitle);
  EXPECT_EQ(moved->description(), "");
  EXPECT_EQ(moved->etag(), first.etag());
  v1::ListFollowUpsRequest request;
  request.set_account("accounts/a1");
  EXPECT_THAT(manager().List(acme_, request)->follow_ups(), SizeIs(3));

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    auto listed = store_.ListByAccount(txn, "acme", "a1");
                    if (!listed.ok()) return listed.status();
                    EXPECT_THAT(*listed, SizeIs(3));
                    auto deleted = store_.DeleteByAccount(txn, "acme", "a1");
                    if (!deleted.ok()) return deleted.status();
                    EXPECT_THAT(*deleted, SizeIs(3));
                    // globex's contact of the same id is untouched.
                    auto theirs = store_.ListByContact(txn, "globex", "c9");
                    if (!theirs.ok()) return theirs.status();
                    EXPECT_THAT(*theirs, SizeIs(1));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(AllOf(acme_), IsEmpty());
  EXPECT_EQ(manager().Get(acme_, second.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(AllOf(globex_), SizeIs(1));
}

}  // namespace
}  // namespace clientele::engagement

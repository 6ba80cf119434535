// Test-only: FollowUpManager over a real SQLite database and the real
// follow-up store, with accounts in a FakeProjectionStore (acme's a1 and a2,
// globex's g1), a FakeClock and sequential ids, and the calls follow-up
// tests make spelled once. Shared by follow_up_manager_test.cc,
// follow_up_list_test.cc, follow_up_rules_test.cc and
// sqlite_follow_up_store_test.cc.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_FIXTURE_FOR_TEST_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/follow_up_manager.h"
#include "services/engagement/projection_store.h"
#include "services/engagement/sqlite_follow_up_store.h"

namespace clientele::engagement {

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

inline ProjectedAccount Account(const std::string& id, const std::string& owner,
                                const std::string& account_manager) {
  ProjectedAccount account;
  account.id = id;
  account.snapshot.set_name("accounts/" + id);
  account.snapshot.set_owner(owner);
  account.snapshot.set_account_manager(account_manager);
  return account;
}

inline std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

inline google::protobuf::Timestamp At(absl::Time time) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(time));
  return out;
}

inline google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
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

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_FIXTURE_FOR_TEST_H_

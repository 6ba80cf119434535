// The follow-up store's bulk operations for merges and data subjects, over
// real SQLite: moving an account's follow-ups to a survivor, clearing an
// erased contact, listing for an export and erasing an account, each within
// its tenant.
#include "services/engagement/sqlite_follow_up_store.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/follow_up_manager_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

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

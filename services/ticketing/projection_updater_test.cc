// Ticketing's projection of accounts and contacts as contacts' and
// engagement's events build it, and what tickets see of it: tier and mode
// (a declared mode winning over engagement's), merges, deletes, the email
// map intake fills.
#include "services/ticketing/projection_updater.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/events/consumer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::Optional;

class ProjectionUpdaterTest : public testing::CsatFixture {
 protected:
  std::optional<ProjectedAccount> Find(const std::string& id,
                                       const std::string& tenant = "acme") {
    std::optional<ProjectedAccount> account;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto found =
                          projection_store_.FindAccount(txn, tenant, id);
                      if (!found.ok()) return found.status();
                      account = *found;
                      return absl::OkStatus();
                    })
                    .ok());
    return account;
  }

  std::optional<std::string> AccountOf(const std::string& contact) {
    std::optional<std::string> account;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto found = projection_store_.AccountOfContact(
                          txn, "acme", contact);
                      if (!found.ok()) return found.status();
                      account = *found;
                      return absl::OkStatus();
                    })
                    .ok());
    return account;
  }

  absl::Status PutEmail(const std::string& email, const std::string& contact,
                        const std::string& account) {
    return database_->Write([&](sql::Transaction& txn) {
      return projection_store_.PutEmail(txn, "acme", email,
                                        RequesterRef{contact, account});
    });
  }

  std::optional<RequesterRef> FindEmail(const std::string& email) {
    std::optional<RequesterRef> found;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto ref =
                          projection_store_.FindEmail(txn, "acme", email);
                      if (!ref.ok()) return ref.status();
                      found = *ref;
                      return absl::OkStatus();
                    })
                    .ok());
    return found;
  }

  v1::Ticket GetTicket(const std::string& name) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(Agent(), name);
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    return ticket.ok() ? *ticket : v1::Ticket();
  }
};

TEST_F(ProjectionUpdaterTest,
       TierAndModeComeFromEventsWithTheDeclaredModeWinning) {
  ASSERT_TRUE(
      PublishAccount("a1", type::v1::ACCOUNT_TIER_PREMIUM, {}, "u-maria").ok());
  std::optional<ProjectedAccount> account = Find("a1");
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->tier, type::v1::ACCOUNT_TIER_PREMIUM);
  EXPECT_EQ(account->mode, type::v1::RELATIONSHIP_MODE_UNSPECIFIED);
  EXPECT_EQ(account->account_manager, "u-maria");

  ASSERT_TRUE(
      PublishInferredMode("a1", type::v1::RELATIONSHIP_MODE_CLIENT).ok());
  EXPECT_EQ(Find("a1")->mode, type::v1::RELATIONSHIP_MODE_CLIENT);

  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_PREMIUM,
                             type::v1::RELATIONSHIP_MODE_CUSTOMER, "u-maria",
                             /*update=*/true)
                  .ok());
  EXPECT_EQ(Find("a1")->mode, type::v1::RELATIONSHIP_MODE_CUSTOMER);
  ASSERT_TRUE(
      PublishInferredMode("a1", type::v1::RELATIONSHIP_MODE_TRANSITIONING)
          .ok());
  EXPECT_EQ(Find("a1")->mode, type::v1::RELATIONSHIP_MODE_CUSTOMER);

  // Declared mode withdrawn: engagement's latest inference shows through.
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_ENTERPRISE, {},
                             "u-maria", /*update=*/true)
                  .ok());
  account = Find("a1");
  EXPECT_EQ(account->mode, type::v1::RELATIONSHIP_MODE_TRANSITIONING);
  EXPECT_EQ(account->tier, type::v1::ACCOUNT_TIER_ENTERPRISE);

  // Another tenant knows nothing of it.
  EXPECT_FALSE(Find("a1", "globex").has_value());
}

TEST_F(ProjectionUpdaterTest, AnOlderSnapshotChangesNothing) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_ENTERPRISE).ok());
  events::v1::Event late;
  auto* account = late.mutable_account_updated()->mutable_account();
  account->set_name("accounts/a1");
  account->set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  SetTimestamp(clock_.Now() - absl::Hours(1), account->mutable_update_time());
  ASSERT_TRUE(Apply(late).ok());
  EXPECT_EQ(Find("a1")->tier, type::v1::ACCOUNT_TIER_ENTERPRISE);
}

TEST_F(ProjectionUpdaterTest, EngagementAloneDoesNotMakeAnAccountKnown) {
  ASSERT_TRUE(
      PublishInferredMode("a9", type::v1::RELATIONSHIP_MODE_CLIENT).ok());
  EXPECT_FALSE(Find("a9").has_value());
  ASSERT_TRUE(PublishAccount("a9", type::v1::ACCOUNT_TIER_STANDARD).ok());
  EXPECT_EQ(Find("a9")->mode, type::v1::RELATIONSHIP_MODE_CLIENT);
}

TEST_F(ProjectionUpdaterTest, UnfinishedTicketsFollowTheAccountsTierAndMode) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  auto open = NewTicket("a1", "c1", "Still open");
  ASSERT_TRUE(open.ok()) << open.status();
  auto done = NewTicket("a1", "c1", "Done");
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_TRUE(Solve(done->name()).ok());
  EXPECT_EQ(GetTicket(open->name()).account_tier(),
            type::v1::ACCOUNT_TIER_STANDARD);

  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_ENTERPRISE, {}, "",
                             /*update=*/true)
                  .ok());
  ASSERT_TRUE(
      PublishInferredMode("a1", type::v1::RELATIONSHIP_MODE_CLIENT).ok());

  const v1::Ticket reselected = GetTicket(open->name());
  EXPECT_EQ(reselected.account_tier(), type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_EQ(reselected.relationship_mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  // A solved ticket keeps the relationship it was served under.
  const v1::Ticket solved = GetTicket(done->name());
  EXPECT_EQ(solved.account_tier(), type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_EQ(solved.relationship_mode(),
            type::v1::RELATIONSHIP_MODE_UNSPECIFIED);
}

TEST_F(ProjectionUpdaterTest, MergedAccountsAnswerThroughTheSurvivor) {
  ASSERT_TRUE(
      PublishAccount("a1", type::v1::ACCOUNT_TIER_ENTERPRISE, {}, "u-maria")
          .ok());
  ASSERT_TRUE(PublishAccount("a2", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c2", "a2").ok());
  ASSERT_TRUE(PutEmail("c2@example.com", "c2", "a2").ok());
  auto ticket = NewTicket("a2", "c2");
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  auto survey = Solve(ticket->name());
  ASSERT_TRUE(survey.ok() && survey->has_value());

  events::v1::Event merged;
  auto* merge = merged.mutable_accounts_merged();
  merge->set_survivor("accounts/a1");
  merge->set_merged("accounts/a2");
  merge->mutable_survivor_account()->set_name("accounts/a1");
  merge->mutable_survivor_account()->set_tier(
      type::v1::ACCOUNT_TIER_ENTERPRISE);
  merge->mutable_survivor_account()->set_account_manager("u-maria");
  SetTimestamp(clock_.Now(),
               merge->mutable_survivor_account()->mutable_update_time());
  merge->add_moved_contacts("contacts/c2");
  ASSERT_TRUE(Apply(merged).ok());

  std::optional<ProjectedAccount> via_merged = Find("a2");
  ASSERT_TRUE(via_merged.has_value());
  EXPECT_EQ(via_merged->account_id, "a1");
  EXPECT_EQ(via_merged->tier, type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_THAT(AccountOf("c2"), Optional(std::string("a1")));
  std::optional<RequesterRef> email = FindEmail("c2@example.com");
  ASSERT_TRUE(email.has_value());
  EXPECT_EQ(email->account_id, "a1");
  EXPECT_EQ(GetTicket(ticket->name()).account(), "accounts/a1");
  auto moved = csat_->Get(Agent(), (*survey)->name());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->account(), "accounts/a1");

  // A late update of the merged account changes nothing.
  ASSERT_TRUE(PublishAccount("a2", type::v1::ACCOUNT_TIER_STANDARD, {}, "",
                             /*update=*/true)
                  .ok());
  EXPECT_EQ(Find("a2")->account_id, "a1");
}

TEST_F(ProjectionUpdaterTest, MergedContactsHandTheirTicketsAndSurveysOver) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  ASSERT_TRUE(PublishContact("c2", "a1").ok());
  ASSERT_TRUE(PutEmail("dup@example.com", "c2", "a1").ok());
  auto ticket = NewTicket("a1", "c2");
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  auto survey = Solve(ticket->name());
  ASSERT_TRUE(survey.ok() && survey->has_value());

  events::v1::Event merged;
  auto* merge = merged.mutable_contacts_merged();
  merge->set_survivor("contacts/c1");
  merge->set_merged("contacts/c2");
  merge->mutable_survivor_contact()->set_name("contacts/c1");
  merge->mutable_survivor_contact()->set_account("accounts/a1");
  ASSERT_TRUE(Apply(merged).ok());

  EXPECT_EQ(GetTicket(ticket->name()).requester(), "contacts/c1");
  auto moved = csat_->Get(Agent(), (*survey)->name());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->requester(), "contacts/c1");
  EXPECT_FALSE(AccountOf("c2").has_value());
  EXPECT_FALSE(FindEmail("dup@example.com").has_value());
}

TEST_F(ProjectionUpdaterTest, DeletesForgetAccountsContactsAndEmails) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  ASSERT_TRUE(PublishContact("c2", "a1").ok());
  ASSERT_TRUE(PutEmail("c1@example.com", "c1", "a1").ok());
  ASSERT_TRUE(PutEmail("c2@example.com", "c2", "a1").ok());
  auto ticket = NewTicket("a1", "c1");
  ASSERT_TRUE(ticket.ok()) << ticket.status();

  events::v1::Event contact_deleted;
  contact_deleted.mutable_contact_deleted()->set_contact("contacts/c1");
  contact_deleted.mutable_contact_deleted()->set_account("accounts/a1");
  ASSERT_TRUE(Apply(contact_deleted).ok());
  EXPECT_FALSE(AccountOf("c1").has_value());
  EXPECT_FALSE(FindEmail("c1@example.com").has_value());
  EXPECT_TRUE(FindEmail("c2@example.com").has_value());

  events::v1::Event account_deleted;
  account_deleted.mutable_account_deleted()->set_account("accounts/a1");
  account_deleted.mutable_account_deleted()->add_deleted_contacts(
      "contacts/c2");
  ASSERT_TRUE(Apply(account_deleted).ok());
  EXPECT_FALSE(Find("a1").has_value());
  EXPECT_FALSE(AccountOf("c2").has_value());
  EXPECT_FALSE(FindEmail("c2@example.com").has_value());
  // New tickets are refused; the old one stays for reports.
  EXPECT_EQ(NewTicket("a1", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetTicket(ticket->name()).name(), ticket->name());
  // Deleted stays deleted.
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_PREMIUM, {}, "",
                             /*update=*/true)
                  .ok());
  EXPECT_FALSE(Find("a1").has_value());
}

TEST_F(ProjectionUpdaterTest, AContactsChangedEmailsDropWhatIntakeLearned) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  ASSERT_TRUE(PutEmail("old@example.com", "c1", "a1").ok());

  events::v1::Event roles;
  roles.mutable_contact_updated()->mutable_contact()->set_name("contacts/c1");
  roles.mutable_contact_updated()->mutable_contact()->set_account(
      "accounts/a1");
  roles.mutable_contact_updated()->add_changed_fields("roles");
  ASSERT_TRUE(Apply(roles).ok());
  EXPECT_TRUE(FindEmail("old@example.com").has_value());

  events::v1::Event emails = roles;
  emails.mutable_contact_updated()->clear_changed_fields();
  emails.mutable_contact_updated()->add_changed_fields("emails");
  ASSERT_TRUE(Apply(emails).ok());
  EXPECT_FALSE(FindEmail("old@example.com").has_value());
  EXPECT_THAT(AccountOf("c1"), Optional(std::string("a1")));
}

TEST_F(ProjectionUpdaterTest, StreamEntriesOfOtherTypesAreSkippedUnparsed) {
  events::StreamEvent entry;
  entry.event_id = "e-1";
  entry.tenant = "acme";
  entry.type = "clientele.events.v1.InteractionsRecorded";
  entry.payload = "not a protobuf";
  EXPECT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return updater_->Apply(txn, entry);
                  })
                  .ok());
  entry.type = "clientele.events.v1.AccountCreated";
  EXPECT_EQ(database_
                ->Write([&](sql::Transaction& txn) {
                  return updater_->Apply(txn, entry);
                })
                .code(),
            absl::StatusCode::kDataLoss);

  events::v1::Event event;
  auto* account = event.mutable_account_created()->mutable_account();
  account->set_name("accounts/a5");
  account->set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
  event.set_tenant("acme");
  entry.payload = event.SerializeAsString();
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return updater_->Apply(txn, entry);
                  })
                  .ok());
  EXPECT_EQ(Find("a5")->tier, type::v1::ACCOUNT_TIER_PREMIUM);
}

}  // namespace
}  // namespace clientele::ticketing

#include "services/contacts/account_manager.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/testing/caller_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/contacts/account_rules.h"
#include "services/contacts/contacts_test_env.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

class AccountManagerTest : public ::testing::Test {
 protected:
  AccountManager& accounts() { return env_.backend().accounts(); }
  ContactsTestEnv env_;
  const Caller acme_ = ContactsTestEnv::CallerFor("acme");
  const Caller globex_ = ContactsTestEnv::CallerFor("globex");
};

TEST_F(AccountManagerTest, CreateNormalizesAndPublishes) {
  v1::Account account = ContactsTestEnv::NewAccount("  Kanzlei Weber  ");
  account.add_tags("VIP");
  account.add_tags("vip");
  account.add_tags("Retainer");
  account.set_time_zone("Europe/Istanbul");
  auto created = accounts().Create(acme_, account);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(), HasSubstr("accounts/"));
  EXPECT_EQ(created->display_name(), "Kanzlei Weber");
  EXPECT_THAT(created->tags(), ElementsAre("vip", "retainer"));
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  EXPECT_TRUE(created->has_acquisition_date());
  auto got = accounts().Get(acme_, created->name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->DebugString(), created->DebugString());
  auto events = env_.OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].has_account_created());
  EXPECT_EQ(events[0].subject(), created->name());
  EXPECT_EQ(events[0].tenant(), "acme");
  EXPECT_EQ(events[0].account_created().account().name(), created->name());
  // Events carry no personal data: not the name, not the tags.
  const std::string bytes = events[0].SerializeAsString();
  EXPECT_EQ(bytes.find("Kanzlei Weber"), std::string::npos);
  EXPECT_EQ(bytes.find("retainer"), std::string::npos);
}

TEST_F(AccountManagerTest, CreateRejectsEveryBadFieldByPath) {
  v1::Account account;
  account.set_display_name("\xff\xfe");
  account.set_kind(static_cast<type::v1::AccountKind>(42));
  account.set_declared_mode(type::v1::RELATIONSHIP_MODE_TRANSITIONING);
  account.set_locale("not a locale!");
  account.set_time_zone("../../etc/passwd");
  auto* terms = account.mutable_commercial_terms();
  terms->set_model(type::v1::COMMERCIAL_MODEL_RETAINER);
  terms->mutable_contract_start_date()->set_year(2025);
  terms->mutable_contract_start_date()->set_month(5);
  terms->mutable_contract_start_date()->set_day(1);
  terms->mutable_contract_end_date()->set_year(2024);
  terms->mutable_contract_end_date()->set_month(5);
  terms->mutable_contract_end_date()->set_day(1);
  terms->mutable_recurring_amount()->set_currency_code("XYZ");
  account.add_tags(std::string(65, 'a'));
  auto* greeting = account.add_greeting_dates();
  greeting->mutable_date()->set_month(2);
  greeting->mutable_date()->set_day(30);
  absl::Status status = accounts().Create(acme_, account).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      Fields(status),
      ::testing::IsSupersetOf(
          {"account.display_name", "account.kind", "account.segment",
           "account.tier", "account.lifecycle_stage", "account.declared_mode",
           "account.locale", "account.time_zone",
           "account.commercial_terms.billing_cycle",
           "account.commercial_terms.contract_end_date",
           "account.commercial_terms.recurring_amount.currency_code",
           "account.tags[0]", "account.greeting_dates[0].occasion",
           "account.greeting_dates[0].date"}));
  EXPECT_THAT(env_.OutboxEvents(), IsEmpty());
}

TEST_F(AccountManagerTest, CreateWithRequestIdIsIdempotent) {
  v1::CreateAccountRequest request;
  *request.mutable_account() = ContactsTestEnv::NewAccount("Bakery");
  request.set_request_id("req-1");
  auto create = [&](const Caller& caller, const v1::CreateAccountRequest& r) {
    return accounts().Create(testing::CallerServingForTest(caller, r),
                             r.account());
  };
  auto first = create(acme_, request);
  auto second = create(acme_, request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(env_.OutboxEvents().size(), 1u);
  v1::CreateAccountRequest other_request = request;
  *other_request.mutable_account() = ContactsTestEnv::NewAccount("Other");
  absl::Status other = create(acme_, other_request).status();
  EXPECT_EQ(other.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(other), ElementsAre("request_id"));
  // Another tenant may use the same key for its own request.
  auto theirs = create(globex_, request);
  ASSERT_TRUE(theirs.ok());
  EXPECT_NE(theirs->name(), first->name());
}

TEST_F(AccountManagerTest, AnotherTenantsAccountIsNotFound) {
  auto created = accounts().Create(acme_, ContactsTestEnv::NewAccount("Acme"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(accounts().Get(globex_, created->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(accounts().Get(acme_, "accounts/nope").status().code(),
            absl::StatusCode::kNotFound);
  v1::Account update = *created;
  update.set_display_name("Stolen");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  EXPECT_EQ(accounts().Update(globex_, update, mask).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      accounts().Delete(globex_, created->name(), "", true).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(accounts().Get(acme_, created->name())->display_name(), "Acme");
}

TEST_F(AccountManagerTest, UpdateAppliesTheMaskAndChecksTheEtag) {
  auto created = accounts().Create(acme_, ContactsTestEnv::NewAccount("Acme"));
  ASSERT_TRUE(created.ok());
  v1::Account change = *created;
  change.set_display_name("Acme GmbH");
  change.set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  change.set_owner("u-ignored-not-in-mask");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("tier");
  auto updated = accounts().Update(acme_, change, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Acme GmbH");
  EXPECT_EQ(updated->tier(), type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_EQ(updated->owner(), "");
  EXPECT_NE(updated->etag(), created->etag());
  auto events = env_.OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[1].account_updated().changed_fields(),
              ElementsAre("display_name", "tier"));

  // The first etag is stale now.
  EXPECT_EQ(accounts().Update(acme_, change, mask).status().code(),
            absl::StatusCode::kAborted);
  change.clear_etag();
  EXPECT_TRUE(accounts().Update(acme_, change, mask).ok());

  google::protobuf::FieldMask bad;
  bad.add_paths("etag");
  EXPECT_THAT(Fields(accounts().Update(acme_, change, bad).status()),
              ElementsAre("update_mask"));
  bad.set_paths(0, "no_such_field");
  EXPECT_THAT(Fields(accounts().Update(acme_, change, bad).status()),
              ElementsAre("update_mask"));
  google::protobuf::FieldMask end_only;
  end_only.add_paths("commercial_terms.contract_end_date");
  change.mutable_commercial_terms()->mutable_contract_end_date()->set_year(1);
  absl::Status status = accounts().Update(acme_, change, end_only).status();
  EXPECT_THAT(Fields(status),
              ::testing::Contains("account.commercial_terms.model"));
}

TEST_F(AccountManagerTest, DeclaredNeedsAreNormalizedUpdatableAndPublished) {
  v1::Account account = ContactsTestEnv::NewAccount("Weber Bau");
  account.add_declared_needs("  Payroll ");
  account.add_declared_needs("payroll");
  account.add_declared_needs("Tax Filing");
  auto created = accounts().Create(acme_, account);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->declared_needs(), ElementsAre("payroll", "tax filing"));
  // The lead score reads them from the snapshot: they are not personal data.
  EXPECT_THAT(
      env_.OutboxEvents().back().account_created().account().declared_needs(),
      ElementsAre("payroll", "tax filing"));

  v1::Account change = *created;
  change.clear_declared_needs();
  change.add_declared_needs("Audit");
  google::protobuf::FieldMask mask;
  mask.add_paths("declared_needs");
  auto updated = accounts().Update(acme_, change, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->declared_needs(), ElementsAre("audit"));
  const auto events = env_.OutboxEvents();
  EXPECT_THAT(events.back().account_updated().changed_fields(),
              ElementsAre("declared_needs"));
  EXPECT_THAT(events.back().account_updated().account().declared_needs(),
              ElementsAre("audit"));

  v1::Account bad = ContactsTestEnv::NewAccount("Too needy");
  bad.add_declared_needs("");
  bad.add_declared_needs(std::string(65, 'n'));
  EXPECT_THAT(
      Fields(accounts().Create(acme_, bad).status()),
      ElementsAre("account.declared_needs[0]", "account.declared_needs[1]"));
  bad.clear_declared_needs();
  for (int i = 0; i <= kMaxDeclaredNeeds; ++i) {
    bad.add_declared_needs(absl::StrCat("need ", i));
  }
  EXPECT_THAT(Fields(accounts().Create(acme_, bad).status()),
              ElementsAre("account.declared_needs"));
}

TEST_F(AccountManagerTest, ListFiltersAndPagesStably) {
  for (int i = 0; i < 5; ++i) {
    v1::Account account = ContactsTestEnv::NewAccount(absl::StrCat("A", i));
    if (i % 2 == 0) account.add_tags("Gold");
    account.set_tier(i < 3 ? type::v1::ACCOUNT_TIER_STANDARD
                           : type::v1::ACCOUNT_TIER_ENTERPRISE);
    ASSERT_TRUE(accounts().Create(acme_, account).ok());
  }
  ASSERT_TRUE(
      accounts().Create(globex_, ContactsTestEnv::NewAccount("G")).ok());
  v1::ListAccountsRequest request;
  request.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    auto response = accounts().List(acme_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& a : response->accounts()) {
      names.push_back(a.display_name());
    }
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_THAT(names, ElementsAre("A0", "A1", "A2", "A3", "A4"));

  v1::ListAccountsRequest gold;
  gold.set_tag("GOLD");
  gold.set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  auto response = accounts().List(acme_, gold);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->accounts_size(), 2);
  EXPECT_EQ(response->accounts(1).display_name(), "A2");

  // A token is only good for the filter it was issued with.
  request.set_page_token(accounts()
                             .List(acme_,
                                   [] {
                                     v1::ListAccountsRequest r;
                                     r.set_page_size(1);
                                     return r;
                                   }())
                             ->next_page_token());
  request.set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_THAT(Fields(accounts().List(acme_, request).status()),
              ElementsAre("page_token"));
  v1::ListAccountsRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(Fields(accounts().List(acme_, negative).status()),
              ElementsAre("page_size"));
  // Above the maximum is the maximum (AIP-158), not an error.
  v1::ListAccountsRequest huge;
  huge.set_page_size(1 << 30);
  auto everything = accounts().List(acme_, huge);
  ASSERT_TRUE(everything.ok()) << everything.status();
  EXPECT_EQ(everything->accounts_size(), 5);
  EXPECT_TRUE(everything->next_page_token().empty());
}

TEST_F(AccountManagerTest, DeleteNeedsForceWhileContactsRemain) {
  auto account = accounts().Create(acme_, ContactsTestEnv::NewAccount("Acme"));
  ASSERT_TRUE(account.ok());
  auto contact = env_.backend().contacts().Create(
      acme_, ContactsTestEnv::NewContact(account->name(), "Ada", "Lovelace",
                                         "ada@example.com"));
  ASSERT_TRUE(contact.ok()) << contact.status();
  EXPECT_EQ(
      accounts().Delete(acme_, account->name(), "", false).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      accounts().Delete(acme_, account->name(), "stale", true).status().code(),
      absl::StatusCode::kAborted);
  auto deleted = accounts().Delete(acme_, account->name(), "", true);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_THAT(deleted->contacts, ElementsAre(contact->name()));
  EXPECT_EQ(accounts().Get(acme_, account->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      env_.backend().contacts().Get(acme_, contact->name()).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_TRUE(env_.OutboxEvents().back().has_account_deleted());
}

TEST_F(AccountManagerTest, BatchGetKeepsOrderAndNamesTheMissingOne) {
  auto a = accounts().Create(acme_, ContactsTestEnv::NewAccount("A"));
  auto b = accounts().Create(acme_, ContactsTestEnv::NewAccount("B"));
  ASSERT_TRUE(a.ok() && b.ok());
  auto got = accounts().BatchGet(acme_, {b->name(), a->name(), b->name()});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].display_name(), "B");
  EXPECT_EQ((*got)[1].display_name(), "A");
  absl::Status missing =
      accounts().BatchGet(acme_, {a->name(), "accounts/missing"}).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.message()), HasSubstr("accounts/missing"));
  std::vector<std::string> many(101, a->name());
  absl::Status too_many = accounts().BatchGet(acme_, many).status();
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(too_many), ElementsAre("names"));
  EXPECT_THAT(Fields(accounts().BatchGet(acme_, {"bogus"}).status()),
              ElementsAre("names[0]"));
}

}  // namespace
}  // namespace clientele::contacts

#include "services/contacts/import_manager.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/testing/caller_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_test_env.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;

class ImportManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto account = env_.backend().accounts().Create(
        acme_, ContactsTestEnv::NewAccount("Bakery"));
    ASSERT_TRUE(account.ok());
    account_ = account->name();
  }
  ImportManager& imports() { return env_.backend().imports(); }

  ContactsTestEnv env_;
  const Caller acme_ = ContactsTestEnv::CallerFor("acme");
  std::string account_;
};

TEST_F(ImportManagerTest, EveryRowGetsItsOwnOutcome) {
  v1::ImportContactsRequest request;
  request.set_default_account(account_);
  auto add = [&](const std::string& given, const std::string& email) {
    auto* row = request.add_rows();
    row->set_row_key(absl::StrCat("line-", request.rows_size()));
    *row->mutable_contact() = ContactsTestEnv::NewContact("", given, "", email);
  };
  add("Anna", "anna@example.com");        // created
  add("Bad", "not an email");             // invalid
  add("Anna again", "ANNA@example.com");  // duplicate of row 0
  add("", "");                            // invalid: no name
  request.add_rows()->mutable_contact()->set_account("accounts/missing");
  request.mutable_rows(4)->mutable_contact()->set_given_name("Lost");
  auto response = imports().Import(acme_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->results_size(), 5);
  EXPECT_EQ(response->results(0).outcome(), v1::IMPORT_ROW_OUTCOME_CREATED);
  EXPECT_EQ(response->results(0).row_key(), "line-1");
  EXPECT_EQ(response->results(0).account(), account_);
  EXPECT_EQ(response->results(1).outcome(), v1::IMPORT_ROW_OUTCOME_INVALID);
  EXPECT_EQ(response->results(1).violations(0).field(), "emails[0].address");
  EXPECT_EQ(response->results(2).outcome(), v1::IMPORT_ROW_OUTCOME_DUPLICATE);
  EXPECT_EQ(response->results(2).contact(), response->results(0).contact());
  EXPECT_EQ(response->results(3).outcome(), v1::IMPORT_ROW_OUTCOME_INVALID);
  EXPECT_EQ(response->results(4).outcome(), v1::IMPORT_ROW_OUTCOME_INVALID);
  EXPECT_EQ(response->results(4).violations(0).field(), "account");
  EXPECT_EQ(response->created_count(), 1);
  EXPECT_EQ(response->duplicate_count(), 1);
  EXPECT_EQ(response->invalid_count(), 3);
  EXPECT_TRUE(env_.backend()
                  .contacts()
                  .Get(acme_, response->results(0).contact())
                  .ok());
}

TEST_F(ImportManagerTest, RetriesAreSafe) {
  v1::ImportContactsRequest request;
  request.set_default_account(account_);
  request.set_request_id("import-1");
  for (int i = 0; i < 3; ++i) {
    *request.add_rows()->mutable_contact() = ContactsTestEnv::NewContact(
        "", absl::StrCat("P", i), "", absl::StrCat("p", i, "@example.com"));
  }
  auto first =
      imports().Import(testing::CallerServingForTest(acme_, request), request);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->created_count(), 3);
  const size_t events = env_.OutboxEvents().size();
  auto same =
      imports().Import(testing::CallerServingForTest(acme_, request), request);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(env_.OutboxEvents().size(), events);
  request.set_request_id("import-2");
  auto again =
      imports().Import(testing::CallerServingForTest(acme_, request), request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->duplicate_count(), 3);
  EXPECT_EQ(again->results(2).contact(), first->results(2).contact());
}

TEST_F(ImportManagerTest, IndividualAccountsAndValidateOnly) {
  v1::ImportContactsRequest request;
  request.set_create_individual_accounts(true);
  v1::Account* tmpl = request.mutable_individual_account_template();
  tmpl->set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  tmpl->set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  tmpl->set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  *request.add_rows()->mutable_contact() =
      ContactsTestEnv::NewContact("", "Олег", "Петров", "oleg@example.ru");
  request.set_validate_only(true);
  auto checked = imports().Import(acme_, request);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->results(0).outcome(), v1::IMPORT_ROW_OUTCOME_VALID);
  v1::SearchContactsRequest search;
  search.set_query("олег");
  EXPECT_EQ(env_.backend().contacts().Search(acme_, search)->contacts_size(),
            0);

  request.set_validate_only(false);
  auto created = imports().Import(acme_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->results(0).outcome(), v1::IMPORT_ROW_OUTCOME_CREATED);
  auto account =
      env_.backend().accounts().Get(acme_, created->results(0).account());
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->kind(), type::v1::ACCOUNT_KIND_INDIVIDUAL);
  EXPECT_EQ(account->display_name(), "Олег Петров");
  EXPECT_EQ(env_.backend().contacts().Search(acme_, search)->contacts_size(),
            1);
}

TEST_F(ImportManagerTest, RequestLevelLimits) {
  v1::ImportContactsRequest request;
  EXPECT_EQ(imports().Import(acme_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (int i = 0; i < ImportManager::kMaxRows + 1; ++i) request.add_rows();
  absl::Status status = imports().Import(acme_, request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "rows");
  request.clear_rows();
  request.add_rows()->mutable_contact()->set_given_name("A");
  request.set_default_account("accounts/missing");
  EXPECT_EQ(imports().Import(acme_, request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_default_account("bogus");
  EXPECT_EQ(
      FieldViolationsOf(imports().Import(acme_, request).status())[0].field,
      "default_account");
}

TEST_F(ImportManagerTest, TenThousandRowsInOneCall) {
  v1::ImportContactsRequest request;
  request.set_default_account(account_);
  for (int i = 0; i < ImportManager::kMaxRows; ++i) {
    v1::Contact* contact = request.add_rows()->mutable_contact();
    contact->set_given_name(absl::StrCat("Person", i));
    contact->set_family_name("Müller");
    contact->add_emails()->set_address(absl::StrCat("p", i, "@example.com"));
  }
  auto response = imports().Import(acme_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->created_count(), ImportManager::kMaxRows);
  v1::SearchContactsRequest search;
  search.set_query("person9999 muller");
  auto found = env_.backend().contacts().Search(acme_, search);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->contacts_size(), 1);
  EXPECT_EQ(found->contacts(0).emails(0).address(), "p9999@example.com");
}

}  // namespace
}  // namespace clientele::contacts

// Merges keep the audit trail and the merged name resolving; erasure leaves
// no personal data behind and tells every other service.
#include "common/errors.h"
#include "common/testing/caller_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_test_env.h"
#include "services/contacts/names.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class MergeAndEraseTest : public ::testing::Test {
 protected:
  v1::Account NewAccount(const std::string& name) {
    auto account = env_.backend().accounts().Create(
        acme_, ContactsTestEnv::NewAccount(name));
    EXPECT_TRUE(account.ok()) << account.status();
    return account.value_or(v1::Account());
  }
  v1::Contact NewContact(const std::string& account, const std::string& given,
                         const std::string& email) {
    auto contact = env_.backend().contacts().Create(
        acme_, ContactsTestEnv::NewContact(account, given, "Test", email));
    EXPECT_TRUE(contact.ok()) << contact.status();
    return contact.value_or(v1::Contact());
  }

  ContactsTestEnv env_;
  const Caller acme_ = ContactsTestEnv::CallerFor("acme");
};

TEST_F(MergeAndEraseTest, MergedContactResolvesToTheSurvivorWithUnitedData) {
  const v1::Account account = NewAccount("Acme");
  v1::Contact first = ContactsTestEnv::NewContact(account.name(), "Ada", "L",
                                                  "ada@example.com");
  first.add_roles(v1::CONTACT_ROLE_PAYER);
  auto survivor = env_.backend().contacts().Create(acme_, first);
  v1::Contact second = ContactsTestEnv::NewContact(
      account.name(), "Ada", "Lovelace", "ada.lovelace@example.com");
  second.add_emails()->set_address("ADA@example.com");
  second.add_phones()->set_number("+441234567890");
  second.add_roles(v1::CONTACT_ROLE_DECISION_MAKER);
  second.add_roles(v1::CONTACT_ROLE_PAYER);
  // Same email as first: create refuses; create it without that email.
  second.mutable_emails()->RemoveLast();
  auto merged = env_.backend().contacts().Create(acme_, second);
  ASSERT_TRUE(survivor.ok() && merged.ok());

  v1::MergeContactsRequest request;
  request.set_survivor(survivor->name());
  request.set_merged(merged->name());
  request.mutable_take_from_merged()->add_paths("family_name");
  request.set_survivor_etag(survivor->etag());
  request.set_request_id("merge-1");
  auto response = env_.backend().merges().MergeContacts(
      testing::CallerServingForTest(acme_, request), request);
  ASSERT_TRUE(response.ok()) << response.status();
  const v1::Contact& result = response->contact();
  EXPECT_EQ(result.name(), survivor->name());
  EXPECT_EQ(result.family_name(), "Lovelace");
  ASSERT_EQ(result.emails_size(), 2);
  EXPECT_EQ(result.phones_size(), 1);
  EXPECT_THAT(result.roles(), ElementsAre(v1::CONTACT_ROLE_PAYER,
                                          v1::CONTACT_ROLE_DECISION_MAKER));
  EXPECT_EQ(response->merge_record().survivor(), survivor->name());
  EXPECT_EQ(response->merge_record().merged(), merged->name());
  EXPECT_THAT(response->merge_record().taken_fields(),
              ElementsAre("family_name"));

  auto got = env_.backend().contacts().Get(acme_, merged->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name(), survivor->name());
  // The merged contact's email now belongs to the survivor.
  absl::Status taken = env_.backend()
                           .contacts()
                           .Create(acme_, ContactsTestEnv::NewContact(
                                              account.name(), "X", "Y",
                                              "ada.lovelace@example.com"))
                           .status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(taken.message()),
              ::testing::HasSubstr(survivor->name()));
  // A retry returns the same record; merging again is refused.
  auto retry = env_.backend().merges().MergeContacts(
      testing::CallerServingForTest(acme_, request), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->merge_record().name(), response->merge_record().name());
  request.clear_request_id();
  request.clear_survivor_etag();
  EXPECT_EQ(
      env_.backend().merges().MergeContacts(acme_, request).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(env_.OutboxEvents().back().has_contacts_merged());
}

TEST_F(MergeAndEraseTest, MergedAccountMovesContactsAndKeepsResolving) {
  v1::Account a = ContactsTestEnv::NewAccount("Weber");
  a.add_tags("law");
  a.add_declared_needs("payroll");
  v1::Account b = ContactsTestEnv::NewAccount("Weber & Partner");
  b.add_tags("retainer");
  b.add_declared_needs("Payroll");
  b.add_declared_needs("audit");
  b.set_owner("u-maria");
  auto survivor = env_.backend().accounts().Create(acme_, a);
  auto merged = env_.backend().accounts().Create(acme_, b);
  ASSERT_TRUE(survivor.ok() && merged.ok());
  const v1::Contact moved = NewContact(merged->name(), "Jan", "jan@example.de");

  v1::MergeAccountsRequest request;
  request.set_survivor(survivor->name());
  request.set_merged(merged->name());
  request.mutable_take_from_merged()->add_paths("owner");
  request.set_survivor_etag("stale");
  EXPECT_EQ(
      env_.backend().merges().MergeAccounts(acme_, request).status().code(),
      absl::StatusCode::kAborted);
  request.clear_survivor_etag();
  auto response = env_.backend().merges().MergeAccounts(acme_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->account().owner(), "u-maria");
  EXPECT_THAT(response->account().tags(), ElementsAre("law", "retainer"));
  EXPECT_THAT(response->account().declared_needs(),
              ElementsAre("payroll", "audit"));
  EXPECT_THAT(response->merge_record().moved_contacts(),
              ElementsAre(moved.name()));
  auto got = env_.backend().accounts().Get(acme_, merged->name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name(), survivor->name());
  auto contact = env_.backend().contacts().Get(acme_, moved.name());
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->account(), survivor->name());

  v1::ListMergeRecordsRequest list;
  list.set_resource(merged->name());
  auto records = env_.backend().merges().ListMergeRecords(acme_, list);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->merge_records_size(), 1);
  EXPECT_EQ(records->merge_records(0).kind(), v1::MERGE_KIND_ACCOUNT);
  auto event = env_.OutboxEvents().back();
  ASSERT_TRUE(event.has_accounts_merged());
  EXPECT_THAT(event.accounts_merged().moved_contacts(),
              ElementsAre(moved.name()));
}

TEST_F(MergeAndEraseTest, ExportHoldsEverythingAndEraseLeavesNothing) {
  const v1::Account account = NewAccount("Therapy practice");
  const v1::Contact kept =
      NewContact(account.name(), "Zeynep", "zeynep@example.com");
  v1::CreateContactRequest create;
  *create.mutable_contact() = ContactsTestEnv::NewContact(
      account.name(), "Zeynep", "Kaya", "z.kaya@example.com");
  create.set_request_id("create-z");
  auto merged = env_.backend().contacts().Create(
      testing::CallerServingForTest(acme_, create), create.contact());
  ASSERT_TRUE(merged.ok());
  v1::MergeContactsRequest merge;
  merge.set_survivor(kept.name());
  merge.set_merged(merged->name());
  ASSERT_TRUE(env_.backend().merges().MergeContacts(acme_, merge).ok());

  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject(account.name());
  auto exported = env_.backend().data_subjects().Export(acme_, export_request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->account().name(), account.name());
  ASSERT_EQ(exported->contacts_size(), 1);
  EXPECT_EQ(exported->contacts(0).emails_size(), 2);
  EXPECT_EQ(exported->merge_records_size(), 1);

  v1::EraseDataSubjectRequest erase;
  erase.set_subject(merged->name());  // resolves to the survivor
  erase.set_reason("GDPR art. 17 request #4711");
  erase.set_request_id("erase-1");
  auto erased = env_.backend().data_subjects().Erase(
      testing::CallerServingForTest(acme_, erase), erase);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_THAT(erased->erased_resources(),
              ::testing::IsSupersetOf({kept.name(), merged->name()}));
  EXPECT_EQ(env_.backend().contacts().Get(acme_, kept.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      env_.backend().contacts().Get(acme_, merged->name()).status().code(),
      absl::StatusCode::kNotFound);
  export_request.set_subject(kept.name());
  EXPECT_EQ(env_.backend()
                .data_subjects()
                .Export(acme_, export_request)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // No trace of the person in any table.
  for (const auto& [table, column] :
       std::vector<std::pair<std::string, std::string>>{
           {"contacts", "data"},
           {"contact_emails", "email_key"},
           {"contact_terms", "term"},
           {"merge_records", "data"},
           {"merge_record_refs", "resource"},
           {"aliases", "merged_id"},
           {"idempotency_keys", "response"}}) {
    EXPECT_EQ(env_.RowsMentioning(table, column, "zeynep"), 0) << table;
    // The erasure's own stored response lists the erased names (opaque ids,
    // no personal data); everything else has forgotten them.
    if (table != "idempotency_keys") {
      EXPECT_EQ(env_.RowsMentioning(table, column, IdOf(kept.name())), 0)
          << table;
    }
  }
  // The account survives a contact erasure; the event tells everyone.
  EXPECT_TRUE(env_.backend().accounts().Get(acme_, account.name()).ok());
  auto event = env_.OutboxEvents().back();
  ASSERT_TRUE(event.has_data_subject_erased());
  EXPECT_EQ(event.data_subject_erased().erasure_id(), erased->erasure_id());
  EXPECT_THAT(event.data_subject_erased().erased_contacts(),
              ElementsAre(kept.name()));
  EXPECT_EQ(event.data_subject_erased().account(), account.name());
  // A retry answers the same erasure.
  auto retry = env_.backend().data_subjects().Erase(
      testing::CallerServingForTest(acme_, erase), erase);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->erasure_id(), erased->erasure_id());

  // Erasing the account takes the rest.
  erase.set_subject(account.name());
  erase.set_request_id("erase-2");
  ASSERT_TRUE(env_.backend()
                  .data_subjects()
                  .Erase(testing::CallerServingForTest(acme_, erase), erase)
                  .ok());
  EXPECT_EQ(
      env_.backend().accounts().Get(acme_, account.name()).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(env_.RowsMentioning("accounts", "data", "Therapy"), 0);
  EXPECT_THAT(env_.OutboxEvents().back().data_subject_erased().erased_account(),
              account.name());
}

}  // namespace
}  // namespace clientele::contacts

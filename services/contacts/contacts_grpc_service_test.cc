// The contacts service as a client sees it: the real ContactsGrpcService on a
// real server (port 0), real SQLite, the generated C++ stub.
#include "services/contacts/contacts_service_fixture.h"

namespace clientele::contacts {
namespace {

using ::testing::HasSubstr;

TEST_F(ContactsServiceTest, HappyPathThroughEveryRpc) {
  const v1::Account account = CreateAccount("Kanzlei Weber");
  ASSERT_THAT(account.name(), HasSubstr("accounts/"));

  v1::GetAccountRequest get;
  get.set_name(account.name());
  v1::GetAccountResponse got;
  ASSERT_TRUE(Call(&ContactsService::Stub::GetAccount, get, &got).ok());
  EXPECT_EQ(got.account().display_name(), "Kanzlei Weber");

  v1::BatchGetAccountsRequest batch;
  batch.add_names(account.name());
  v1::BatchGetAccountsResponse batched;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::BatchGetAccounts, batch, &batched).ok());
  EXPECT_EQ(batched.accounts_size(), 1);

  v1::UpdateAccountRequest update;
  *update.mutable_account() = account;
  update.mutable_account()->set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  update.mutable_update_mask()->add_paths("tier");
  v1::UpdateAccountResponse updated;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::UpdateAccount, update, &updated).ok());
  EXPECT_EQ(updated.account().tier(), type::v1::ACCOUNT_TIER_ENTERPRISE);

  v1::ListAccountsRequest list_accounts;
  list_accounts.set_tier(type::v1::ACCOUNT_TIER_ENTERPRISE);
  v1::ListAccountsResponse listed_accounts;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListAccounts, list_accounts,
                   &listed_accounts)
                  .ok());
  EXPECT_EQ(listed_accounts.accounts_size(), 1);

  const v1::Contact ayse =
      CreateContact(account.name(), "Ayşe", "ayse@example.com.tr");
  const v1::Contact ayse2 = CreateContact(account.name(), "Ayse", "");

  v1::GetContactRequest get_contact;
  get_contact.set_name(ayse.name());
  v1::GetContactResponse got_contact;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::GetContact, get_contact, &got_contact).ok());

  v1::UpdateContactRequest update_contact;
  *update_contact.mutable_contact() = ayse;
  update_contact.mutable_contact()->set_family_name("Yılmaz");
  update_contact.mutable_update_mask()->add_paths("family_name");
  v1::UpdateContactResponse updated_contact;
  ASSERT_TRUE(Call(&ContactsService::Stub::UpdateContact, update_contact,
                   &updated_contact)
                  .ok());

  v1::ListContactsRequest list_contacts;
  list_contacts.set_account(account.name());
  v1::ListContactsResponse listed_contacts;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListContacts, list_contacts,
                   &listed_contacts)
                  .ok());
  EXPECT_EQ(listed_contacts.contacts_size(), 2);

  v1::SearchContactsRequest search;
  search.set_query("YILMAZ");
  v1::SearchContactsResponse found;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::SearchContacts, search, &found).ok());
  ASSERT_EQ(found.contacts_size(), 1);
  EXPECT_EQ(found.contacts(0).name(), ayse.name());

  v1::FindDuplicateContactsRequest dupes;
  dupes.set_given_name("AYSE");
  v1::FindDuplicateContactsResponse candidates;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::FindDuplicateContacts, dupes, &candidates)
          .ok());
  EXPECT_EQ(candidates.candidates_size(), 2);

  v1::ImportContactsRequest import;
  import.set_default_account(account.name());
  import.add_rows()->mutable_contact()->set_given_name("Imported");
  v1::ImportContactsResponse imported;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::ImportContacts, import, &imported).ok());
  EXPECT_EQ(imported.created_count(), 1);

  v1::MergeContactsRequest merge;
  merge.set_survivor(ayse.name());
  merge.set_merged(ayse2.name());
  v1::MergeContactsResponse merged;
  ASSERT_TRUE(Call(&ContactsService::Stub::MergeContacts, merge, &merged).ok());
  get_contact.set_name(ayse2.name());
  ASSERT_TRUE(
      Call(&ContactsService::Stub::GetContact, get_contact, &got_contact).ok());
  EXPECT_EQ(got_contact.contact().name(), ayse.name());

  v1::ListMergeRecordsRequest records;
  v1::ListMergeRecordsResponse record_list;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::ListMergeRecords, records, &record_list)
          .ok());
  EXPECT_EQ(record_list.merge_records_size(), 1);

  const v1::Account other = CreateAccount("Weber Partner");
  v1::MergeAccountsRequest merge_accounts;
  merge_accounts.set_survivor(account.name());
  merge_accounts.set_merged(other.name());
  v1::MergeAccountsResponse merged_accounts;
  ASSERT_TRUE(Call(&ContactsService::Stub::MergeAccounts, merge_accounts,
                   &merged_accounts)
                  .ok());
  get.set_name(other.name());
  ASSERT_TRUE(Call(&ContactsService::Stub::GetAccount, get, &got).ok());
  EXPECT_EQ(got.account().name(), account.name());

  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject(account.name());
  v1::ExportDataSubjectResponse exported;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::ExportDataSubject, export_request, &exported)
          .ok());
  EXPECT_EQ(exported.contacts_size(), 2);
  EXPECT_EQ(exported.merge_records_size(), 2);

  v1::DeleteContactRequest delete_contact;
  delete_contact.set_name(imported.results(0).contact());
  v1::DeleteContactResponse deleted_contact;
  ASSERT_TRUE(Call(&ContactsService::Stub::DeleteContact, delete_contact,
                   &deleted_contact)
                  .ok());

  v1::EraseDataSubjectRequest erase;
  erase.set_subject(ayse.name());
  erase.set_reason("request #1");
  v1::EraseDataSubjectResponse erased;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::EraseDataSubject, erase, &erased).ok());
  EXPECT_FALSE(erased.erasure_id().empty());
  export_request.set_subject(ayse.name());
  EXPECT_EQ(
      Call(&ContactsService::Stub::ExportDataSubject, export_request, &exported)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);

  v1::DeleteAccountRequest delete_account;
  delete_account.set_name(account.name());
  v1::DeleteAccountResponse deleted_account;
  ASSERT_TRUE(Call(&ContactsService::Stub::DeleteAccount, delete_account,
                   &deleted_account)
                  .ok());
  get.set_name(account.name());
  EXPECT_EQ(Call(&ContactsService::Stub::GetAccount, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  EXPECT_THAT(OutboxTypes(),
              ::testing::IsSupersetOf({"clientele.events.v1.AccountCreated",
                                       "clientele.events.v1.AccountUpdated",
                                       "clientele.events.v1.ContactCreated",
                                       "clientele.events.v1.ContactUpdated",
                                       "clientele.events.v1.ContactsMerged",
                                       "clientele.events.v1.AccountsMerged",
                                       "clientele.events.v1.ContactDeleted",
                                       "clientele.events.v1.DataSubjectErased",
                                       "clientele.events.v1.AccountDeleted"}));
}

TEST_F(ContactsServiceTest, DuplicateEmailIsAlreadyExistsNamingTheContact) {
  const v1::Account account = CreateAccount("Bakery");
  const v1::Contact first =
      CreateContact(account.name(), "Олег", "Oleg@Example.ru");
  v1::CreateContactRequest request;
  request.mutable_contact()->set_account(account.name());
  request.mutable_contact()->set_given_name("Oleg");
  request.mutable_contact()->add_emails()->set_address("oleg@example.RU");
  v1::CreateContactResponse response;
  grpc::Status status =
      Call(&ContactsService::Stub::CreateContact, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr(first.name()));
  auto info = server::FromGrpcStatus(status).GetPayload(
      absl::StrCat(kTypeUrlPrefix, "google.rpc.ResourceInfo"));
  ASSERT_TRUE(info.has_value());
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(resource.ParseFromString(std::string(*info)));
  EXPECT_EQ(resource.resource_name(), first.name());
}

TEST_F(ContactsServiceTest, AnotherTenantSeesNotFound) {
  const v1::Account account = CreateAccount("Acme secret");
  const v1::Contact contact =
      CreateContact(account.name(), "Ada", "ada@acme.com");
  v1::GetAccountRequest get;
  get.set_name(account.name());
  v1::GetAccountResponse got;
  EXPECT_EQ(
      Call(&ContactsService::Stub::GetAccount, get, &got, kGlobex).error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::GetContactRequest get_contact;
  get_contact.set_name(contact.name());
  v1::GetContactResponse got_contact;
  EXPECT_EQ(Call(&ContactsService::Stub::GetContact, get_contact, &got_contact,
                 kGlobex)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::EraseDataSubjectRequest erase;
  erase.set_subject(account.name());
  v1::EraseDataSubjectResponse erased;
  EXPECT_EQ(
      Call(&ContactsService::Stub::EraseDataSubject, erase, &erased, kGlobex)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::SearchContactsRequest search;
  search.set_query("ada");
  v1::SearchContactsResponse found;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::SearchContacts, search, &found, kGlobex)
          .ok());
  EXPECT_EQ(found.contacts_size(), 0);
  v1::ListAccountsResponse listed;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListAccounts,
                   v1::ListAccountsRequest(), &listed, kGlobex)
                  .ok());
  EXPECT_EQ(listed.accounts_size(), 0);
  // The owner still sees it.
  EXPECT_TRUE(Call(&ContactsService::Stub::GetAccount, get, &got).ok());
}

TEST_F(ContactsServiceTest, RetriesWithTheSameRequestIdDoNotRepeat) {
  v1::CreateAccountRequest request;
  request.set_request_id("5f0c2d1e-0000-4000-8000-000000000001");
  request.mutable_account()->set_display_name("Salon");
  request.mutable_account()->set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  request.mutable_account()->set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  request.mutable_account()->set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  request.mutable_account()->set_lifecycle_stage(
      type::v1::LIFECYCLE_STAGE_LEAD);
  v1::CreateAccountResponse first, second;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::CreateAccount, request, &first).ok());
  ASSERT_TRUE(
      Call(&ContactsService::Stub::CreateAccount, request, &second).ok());
  EXPECT_EQ(first.account().name(), second.account().name());
  request.mutable_account()->set_display_name("Another salon");
  grpc::Status reused =
      Call(&ContactsService::Stub::CreateAccount, request, &second);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstField(reused), "request_id");

  v1::ImportContactsRequest import;
  import.set_request_id("import-1");
  import.set_default_account(first.account().name());
  for (int i = 0; i < 50; ++i) {
    v1::Contact* contact = import.add_rows()->mutable_contact();
    contact->set_given_name(absl::StrCat("Client ", i));
    contact->add_emails()->set_address(absl::StrCat("c", i, "@salon.example"));
  }
  v1::ImportContactsResponse once, twice;
  ASSERT_TRUE(Call(&ContactsService::Stub::ImportContacts, import, &once).ok());
  ASSERT_TRUE(
      Call(&ContactsService::Stub::ImportContacts, import, &twice).ok());
  EXPECT_EQ(once.created_count(), 50);
  EXPECT_EQ(twice.SerializeAsString(), once.SerializeAsString());
  v1::ListContactsRequest list;
  list.set_page_size(1000);
  v1::ListContactsResponse listed;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListContacts, list, &listed).ok());
  EXPECT_EQ(listed.contacts_size(), 50);
}

TEST_F(ContactsServiceTest, StaleEtagIsAborted) {
  const v1::Account account = CreateAccount("Agency");
  v1::UpdateAccountRequest update;
  *update.mutable_account() = account;
  update.mutable_account()->set_owner("u-1");
  update.mutable_update_mask()->add_paths("owner");
  v1::UpdateAccountResponse updated;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::UpdateAccount, update, &updated).ok());
  update.mutable_account()->set_owner("u-2");
  EXPECT_EQ(Call(&ContactsService::Stub::UpdateAccount, update, &updated)
                .error_code(),
            grpc::StatusCode::ABORTED);
  v1::DeleteAccountRequest remove;
  remove.set_name(account.name());
  remove.set_etag(account.etag());
  v1::DeleteAccountResponse removed;
  EXPECT_EQ(Call(&ContactsService::Stub::DeleteAccount, remove, &removed)
                .error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(ContactsServiceTest, ErasureLeavesNotFoundAndAnOutboxEvent) {
  const v1::Account account = CreateAccount("Streaming subscriber");
  const v1::Contact contact =
      CreateContact(account.name(), "Mehmet", "m@example.tr");
  v1::EraseDataSubjectRequest erase;
  erase.set_subject(account.name());
  erase.set_reason("GDPR art. 17 #12");
  v1::EraseDataSubjectResponse erased;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::EraseDataSubject, erase, &erased).ok());
  EXPECT_THAT(erased.erased_resources(),
              ::testing::IsSupersetOf({account.name(), contact.name()}));
  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject(account.name());
  v1::ExportDataSubjectResponse exported;
  EXPECT_EQ(
      Call(&ContactsService::Stub::ExportDataSubject, export_request, &exported)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::SearchContactsRequest search;
  search.set_query("mehmet");
  v1::SearchContactsResponse found;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::SearchContacts, search, &found).ok());
  EXPECT_EQ(found.contacts_size(), 0);
  EXPECT_EQ(OutboxTypes().back(), "clientele.events.v1.DataSubjectErased");
  // The email is free again.
  const v1::Account fresh = CreateAccount("New");
  EXPECT_FALSE(
      CreateContact(fresh.name(), "Mehmet", "m@example.tr").name().empty());
}

}  // namespace
}  // namespace clientele::contacts

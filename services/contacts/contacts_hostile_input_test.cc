// Hostile requests: each answers the right code naming the field, nothing is
// half-written, and the service goes on serving.
#include "services/contacts/contacts_service_fixture.h"

namespace clientele::contacts {
namespace {

// One hostile request: what it does to a request, and what the client must
// see.
struct Hostile {
  std::string name;
  std::function<grpc::Status(ContactsServiceTest*)> call;
  grpc::StatusCode code;
  std::string field;  // "" when the code carries no field
};

TEST_F(ContactsServiceTest,
       HostileInputsAnswerTheRightCodeAndFieldAndServingGoesOn) {
  const v1::Account account = CreateAccount("Target");
  const std::string& account_name = account.name();
  auto create_account = [](const std::function<void(v1::Account*)>& edit) {
    return [edit](ContactsServiceTest* t) {
      v1::CreateAccountRequest request;
      v1::Account* a = request.mutable_account();
      a->set_display_name("X");
      a->set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
      a->set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
      a->set_tier(type::v1::ACCOUNT_TIER_STANDARD);
      a->set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_LEAD);
      edit(a);
      v1::CreateAccountResponse response;
      return t->Call(&ContactsService::Stub::CreateAccount, request, &response);
    };
  };
  auto create_contact = [account_name](
                            const std::function<void(v1::Contact*)>& edit) {
    return [edit, account_name](ContactsServiceTest* t) {
      v1::CreateContactRequest request;
      request.mutable_contact()->set_account(account_name);
      request.mutable_contact()->set_given_name("Y");
      edit(request.mutable_contact());
      v1::CreateContactResponse response;
      return t->Call(&ContactsService::Stub::CreateContact, request, &response);
    };
  };
  const std::string megabyte(1 << 20, 'x');
  const std::vector<Hostile> cases = {
      {"1 MB display name",
       create_account([&](v1::Account* a) { a->set_display_name(megabyte); }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.display_name"},
      {"control characters", create_account([](v1::Account* a) {
         a->set_display_name(
             "a\x07"
             "b");
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.display_name"},
      {"unknown enum number", create_account([](v1::Account* a) {
         a->set_tier(static_cast<type::v1::AccountTier>(12345));
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.tier"},
      {"contract end before start", create_account([](v1::Account* a) {
         auto* terms = a->mutable_commercial_terms();
         terms->set_model(type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE);
         terms->mutable_contract_start_date()->set_year(2025);
         terms->mutable_contract_start_date()->set_month(1);
         terms->mutable_contract_start_date()->set_day(2);
         terms->mutable_contract_end_date()->set_year(2025);
         terms->mutable_contract_end_date()->set_month(1);
         terms->mutable_contract_end_date()->set_day(1);
       }),
       grpc::StatusCode::INVALID_ARGUMENT,
       "account.commercial_terms.contract_end_date"},
      {"33 tags", create_account([](v1::Account* a) {
         for (int i = 0; i < 33; ++i) a->add_tags(absl::StrCat("t", i));
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.tags"},
      {"21 declared needs", create_account([](v1::Account* a) {
         for (int i = 0; i < 21; ++i) {
           a->add_declared_needs(absl::StrCat("need ", i));
         }
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.declared_needs"},
      {"1 MB declared need",
       create_account([&](v1::Account* a) { a->add_declared_needs(megabyte); }),
       grpc::StatusCode::INVALID_ARGUMENT, "account.declared_needs[0]"},
      {"request id of 1000 characters",
       [](ContactsServiceTest* t) {
         v1::CreateAccountRequest request;
         request.set_request_id(std::string(1000, 'r'));
         v1::CreateAccountResponse response;
         return t->Call(&ContactsService::Stub::CreateAccount, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "request_id"},
      {"malformed email", create_contact([](v1::Contact* c) {
         c->add_emails()->set_address("a@@b");
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "contact.emails[0].address"},
      {"malformed phone", create_contact([](v1::Contact* c) {
         c->add_phones()->set_number("call me");
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "contact.phones[0].number"},
      {"malformed account name", create_contact([](v1::Contact* c) {
         c->set_account("accounts/../../x");
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "contact.account"},
      {"malformed name on get",
       [](ContactsServiceTest* t) {
         v1::GetAccountRequest request;
         request.set_name("contacts/123");
         v1::GetAccountResponse response;
         return t->Call(&ContactsService::Stub::GetAccount, request, &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "name"},
      {"negative page size",
       [](ContactsServiceTest* t) {
         v1::ListAccountsRequest request;
         request.set_page_size(-5);
         v1::ListAccountsResponse response;
         return t->Call(&ContactsService::Stub::ListAccounts, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "page_size"},
      // Read as the maximum (AIP-158).
      {"huge page size",
       [](ContactsServiceTest* t) {
         v1::ListContactsRequest request;
         request.set_page_size(1 << 30);
         v1::ListContactsResponse response;
         return t->Call(&ContactsService::Stub::ListContacts, request,
                        &response);
       },
       grpc::StatusCode::OK, ""},
      {"garbage page token",
       [](ContactsServiceTest* t) {
         v1::ListContactsRequest request;
         request.set_page_token("'; DROP TABLE contacts; --");
         v1::ListContactsResponse response;
         return t->Call(&ContactsService::Stub::ListContacts, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "page_token"},
      {"update mask with an unknown path",
       [account](ContactsServiceTest* t) {
         v1::UpdateAccountRequest request;
         *request.mutable_account() = account;
         request.mutable_update_mask()->add_paths("tier.bogus");
         v1::UpdateAccountResponse response;
         return t->Call(&ContactsService::Stub::UpdateAccount, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "update_mask"},
      {"update mask naming an output-only field",
       [account](ContactsServiceTest* t) {
         v1::UpdateAccountRequest request;
         *request.mutable_account() = account;
         request.mutable_update_mask()->add_paths("create_time");
         v1::UpdateAccountResponse response;
         return t->Call(&ContactsService::Stub::UpdateAccount, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "update_mask"},
      {"10,001 import rows",
       [account_name](ContactsServiceTest* t) {
         v1::ImportContactsRequest request;
         request.set_default_account(account_name);
         for (int i = 0; i < 10001; ++i) {
           request.add_rows()->mutable_contact()->set_given_name("R");
         }
         v1::ImportContactsResponse response;
         return t->Call(&ContactsService::Stub::ImportContacts, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "rows"},
      {"search query of 1 MB",
       [megabyte](ContactsServiceTest* t) {
         v1::SearchContactsRequest request;
         request.set_query(megabyte);
         v1::SearchContactsResponse response;
         return t->Call(&ContactsService::Stub::SearchContacts, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "query"},
      {"erase with a non-subject name",
       [](ContactsServiceTest* t) {
         v1::EraseDataSubjectRequest request;
         request.set_subject("mergeRecords/1");
         v1::EraseDataSubjectResponse response;
         return t->Call(&ContactsService::Stub::EraseDataSubject, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "subject"},
      {"merge with itself",
       [account_name](ContactsServiceTest* t) {
         v1::MergeAccountsRequest request;
         request.set_survivor(account_name);
         request.set_merged(account_name);
         v1::MergeAccountsResponse response;
         return t->Call(&ContactsService::Stub::MergeAccounts, request,
                        &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "merged"},
  };
  for (const Hostile& hostile : cases) {
    grpc::Status status = hostile.call(this);
    EXPECT_EQ(status.error_code(), hostile.code)
        << hostile.name << ": " << status.error_message();
    if (!hostile.field.empty()) {
      EXPECT_EQ(FirstField(status), hostile.field) << hostile.name;
    }
    EXPECT_LT(status.error_message().size(), 2000u) << hostile.name;
  }
  // Invalid UTF-8 does not parse as a proto3 string: the call fails before
  // the handler, naming the field, and the server goes on.
  v1::SearchContactsRequest invalid_utf8;
  invalid_utf8.set_query("\xc3\x28");
  v1::SearchContactsResponse ignored;
  grpc::Status status =
      Call(&ContactsService::Stub::SearchContacts, invalid_utf8, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_EQ(FirstField(status), "query");
  v1::CreateContactRequest nested_invalid_utf8;
  nested_invalid_utf8.mutable_contact()->set_account(account_name);
  nested_invalid_utf8.mutable_contact()->set_given_name("Y");
  nested_invalid_utf8.mutable_contact()->add_emails()->set_address(
      "y@example.com");
  nested_invalid_utf8.mutable_contact()->add_emails()->set_address(
      "\xff@example.com");
  v1::CreateContactResponse not_created;
  status = Call(&ContactsService::Stub::CreateContact, nested_invalid_utf8,
                &not_created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_EQ(FirstField(status), "contact.emails[1].address");

  // Nothing half-written, and the service still answers.
  v1::ListAccountsResponse listed;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListAccounts,
                   v1::ListAccountsRequest(), &listed)
                  .ok());
  EXPECT_EQ(listed.accounts_size(), 1);
  v1::ListContactsResponse contacts;
  ASSERT_TRUE(Call(&ContactsService::Stub::ListContacts,
                   v1::ListContactsRequest(), &contacts)
                  .ok());
  EXPECT_EQ(contacts.contacts_size(), 0);
  EXPECT_EQ(CreateAccount("Still serving").display_name(), "Still serving");
}

}  // namespace
}  // namespace clientele::contacts

#include "services/contacts/contact_manager.h"

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_test_env.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

class ContactManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto account = env_.backend().accounts().Create(
        acme_, ContactsTestEnv::NewAccount("Acme"));
    ASSERT_TRUE(account.ok()) << account.status();
    account_ = account->name();
  }
  ContactManager& contacts() { return env_.backend().contacts(); }

  v1::Contact Create(const std::string& given, const std::string& family,
                     const std::string& email) {
    auto created = contacts().Create(
        acme_, ContactsTestEnv::NewContact(account_, given, family, email));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Contact());
  }

  std::vector<std::string> Search(const std::string& query) {
    v1::SearchContactsRequest request;
    request.set_query(query);
    auto response = contacts().Search(acme_, request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> names;
    if (!response.ok()) return names;
    for (const auto& c : response->contacts()) {
      names.push_back(c.display_name());
    }
    return names;
  }

  ContactsTestEnv env_;
  const Caller acme_ = ContactsTestEnv::CallerFor("acme");
  const Caller globex_ = ContactsTestEnv::CallerFor("globex");
  std::string account_;
};

TEST_F(ContactManagerTest, CreateBuildsDisplayNameAndNormalizesPhones) {
  v1::Contact contact =
      ContactsTestEnv::NewContact(account_, "小明", "王", "wang@example.cn");
  contact.set_locale("zh-CN");
  contact.add_phones()->set_number("+86 (10) 1234-5678");
  contact.add_roles(v1::CONTACT_ROLE_PAYER);
  auto created = contacts().Create(acme_, contact);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->display_name(), "王小明");
  EXPECT_EQ(created->phones(0).number(), "+861012345678");
  EXPECT_EQ(created->account(), account_);
  auto events = env_.OutboxEvents();
  ASSERT_TRUE(events.back().has_contact_created());
  EXPECT_EQ(events.back().contact_created().contact().name(), created->name());
  // Events carry references, never the person's names, emails or phones.
  const std::string bytes = events.back().SerializeAsString();
  for (const char* personal :
       {"wang@example.cn", "王小明", "小明", "+861012345678"}) {
    EXPECT_EQ(bytes.find(personal), std::string::npos) << personal;
  }
}

TEST_F(ContactManagerTest, SecondContactWithTheSameEmailNamesTheFirst) {
  const v1::Contact first =
      Create("Ayşe", "Yılmaz", "Ayse.Yilmaz@Example.com.tr");
  absl::Status status = contacts()
                            .Create(acme_, ContactsTestEnv::NewContact(
                                               account_, "A", "Y",
                                               "  ayse.yilmaz@EXAMPLE.com.tr "))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(status.message()), HasSubstr(first.name()));
  // Another tenant has its own namespace of emails.
  auto other = env_.backend().accounts().Create(
      globex_, ContactsTestEnv::NewAccount("Globex"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(contacts()
                  .Create(globex_, ContactsTestEnv::NewContact(
                                       other->name(), "A", "Y",
                                       "ayse.yilmaz@example.com.tr"))
                  .ok());
}

TEST_F(ContactManagerTest, UnknownOrForeignAccountIsNotFoundNamingIt) {
  auto other = env_.backend().accounts().Create(
      globex_, ContactsTestEnv::NewAccount("Globex"));
  ASSERT_TRUE(other.ok());
  absl::Status status = contacts()
                            .Create(acme_, ContactsTestEnv::NewContact(
                                               other->name(), "A", "B", ""))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), HasSubstr(other->name()));
}

TEST_F(ContactManagerTest, InvalidFieldsAreNamed) {
  v1::Contact contact =
      ContactsTestEnv::NewContact(account_, "", "", "not-an-email");
  contact.add_emails()->set_address("ok@example.com");
  contact.mutable_emails(1)->set_primary(true);
  contact.add_emails()->set_address("OK@example.com");
  contact.mutable_emails(2)->set_primary(true);
  contact.add_phones()->set_number("12345");
  contact.add_roles(v1::CONTACT_ROLE_UNSPECIFIED);
  contact.add_roles(static_cast<v1::ContactRole>(99));
  contact.mutable_marketing_consent()->set_state(v1::CONSENT_STATE_GRANTED);
  contact.mutable_birthday()->set_month(13);
  contact.set_job_title(std::string(101, 'x'));
  absl::Status status = contacts().Create(acme_, contact).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status),
              ::testing::IsSupersetOf(
                  {"contact.given_name", "contact.emails[0].address",
                   "contact.emails[2].address", "contact.emails[2].primary",
                   "contact.phones[0].number", "contact.roles[0]",
                   "contact.roles[1]", "contact.marketing_consent.decide_time",
                   "contact.birthday", "contact.job_title"}));
  contact = ContactsTestEnv::NewContact("", "A", "", "");
  EXPECT_THAT(Fields(contacts().Create(acme_, contact).status()),
              ElementsAre("contact.account"));
}

TEST_F(ContactManagerTest, SearchFindsNamesInEveryScript) {
  Create("Ayşe", "Yılmaz", "ayse.yilmaz@example.com.tr");
  Create("Алексей", "Смирнов", "alexey@example.ru");
  Create("أحمد", "يوسف", "ahmed@example.eg");
  Create("小明", "王", "");
  Create("Isak", "Işık", "isak@example.com");
  EXPECT_THAT(Search("yilmaz"), ElementsAre("Ayşe Yılmaz"));
  EXPECT_THAT(Search("AYŞE"), ElementsAre("Ayşe Yılmaz"));
  EXPECT_THAT(Search("алексей"), ElementsAre("Алексей Смирнов"));
  EXPECT_THAT(Search("Смир"), ElementsAre("Алексей Смирнов"));
  EXPECT_THAT(Search("أحمد"), ElementsAre("أحمد يوسف"));
  EXPECT_THAT(Search("王"), ElementsAre("小明 王"));
  EXPECT_THAT(Search("ISIK"), ElementsAre("Isak Işık"));
  EXPECT_THAT(Search("ahmed@example.eg"), ElementsAre("أحمد يوسف"));
  EXPECT_THAT(Search("alex"), ElementsAre("Алексей Смирнов"));
  EXPECT_THAT(Search("nobody"), ElementsAre());
  // Every word must match.
  EXPECT_THAT(Search("ayşe smirnov"), ElementsAre());
}

TEST_F(ContactManagerTest, SearchRanksExactEmailThenWholeWordsAndPages) {
  Create("Anna", "Berg", "anna@example.com");
  Create("Annabel", "Lee", "lee@example.com");
  Create("Hanna", "Anna", "hanna@example.com");
  v1::SearchContactsRequest request;
  request.set_query("anna");
  request.set_page_size(1);
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    auto response = contacts().Search(acme_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& c : response->contacts()) {
      names.push_back(c.display_name());
    }
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  ASSERT_EQ(names.size(), 3u);
  EXPECT_THAT(std::vector<std::string>(names.begin(), names.begin() + 2),
              UnorderedElementsAre("Anna Berg", "Hanna Anna"));
  EXPECT_EQ(names[2], "Annabel Lee");
  request.set_query("lee@example.com");
  request.clear_page_token();
  auto exact = contacts().Search(acme_, request);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->contacts(0).display_name(), "Annabel Lee");
  request.set_query("");
  EXPECT_THAT(Fields(contacts().Search(acme_, request).status()),
              ElementsAre("query"));
}

TEST_F(ContactManagerTest, FindDuplicatesByEmailPhoneAndName) {
  v1::Contact with_phone = ContactsTestEnv::NewContact(
      account_, "Maria", "Garcia", "maria@example.es");
  with_phone.add_phones()->set_number("+34911234567");
  auto maria = contacts().Create(acme_, with_phone);
  ASSERT_TRUE(maria.ok());
  const v1::Contact other = Create("María", "García", "");
  v1::FindDuplicateContactsRequest request;
  request.set_email("MARIA@example.es");
  request.set_phone("+34 911 234 567");
  request.set_given_name("maria");
  request.set_family_name("garcia");
  auto response = contacts().FindDuplicates(acme_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->candidates_size(), 2);
  EXPECT_EQ(response->candidates(0).contact().name(), maria->name());
  EXPECT_THAT(response->candidates(0).reasons(),
              ElementsAre(v1::DUPLICATE_REASON_SAME_EMAIL,
                          v1::DUPLICATE_REASON_SAME_PHONE,
                          v1::DUPLICATE_REASON_SIMILAR_NAME));
  EXPECT_DOUBLE_EQ(response->candidates(0).confidence(), 1.0);
  EXPECT_EQ(response->candidates(1).contact().name(), other.name());
  EXPECT_THAT(response->candidates(1).reasons(),
              ElementsAre(v1::DUPLICATE_REASON_SIMILAR_NAME));
  EXPECT_THAT(
      Fields(contacts()
                 .FindDuplicates(acme_, v1::FindDuplicateContactsRequest())
                 .status()),
      ElementsAre("email"));
}

TEST_F(ContactManagerTest, UpdateChecksEmailsEtagAndMovesAccounts) {
  const v1::Contact ada = Create("Ada", "Lovelace", "ada@example.com");
  const v1::Contact bob = Create("Bob", "Builder", "bob@example.com");
  auto other = env_.backend().accounts().Create(
      acme_, ContactsTestEnv::NewAccount("Other"));
  ASSERT_TRUE(other.ok());
  v1::Contact change = bob;
  change.clear_emails();
  change.add_emails()->set_address("ADA@example.com");
  google::protobuf::FieldMask mask;
  mask.add_paths("emails");
  absl::Status taken = contacts().Update(acme_, change, mask).status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(taken.message()), HasSubstr(ada.name()));

  change = bob;
  change.set_account(other->name());
  change.set_family_name("Baumeister");
  mask.set_paths(0, "account");
  mask.add_paths("family_name");
  auto moved = contacts().Update(acme_, change, mask);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->account(), other->name());
  auto event = env_.OutboxEvents().back();
  ASSERT_TRUE(event.has_contact_updated());
  EXPECT_EQ(event.contact_updated().previous_account(), account_);
  EXPECT_THAT(Search("baumeister"), ElementsAre("Bob Builder"));
  // bob's etag is stale now.
  EXPECT_EQ(contacts().Update(acme_, change, mask).status().code(),
            absl::StatusCode::kAborted);

  v1::ListContactsRequest list;
  list.set_account(other->name());
  auto listed = contacts().List(acme_, list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->contacts_size(), 1);
  EXPECT_EQ(listed->contacts(0).name(), bob.name());

  auto deleted = contacts().Delete(acme_, bob.name(), "");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(contacts().Get(acme_, bob.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(Search("baumeister"), ElementsAre());
}

TEST_F(ContactManagerTest, ListFiltersByRoleAndConsent) {
  v1::Contact payer = ContactsTestEnv::NewContact(account_, "P", "", "");
  payer.add_roles(v1::CONTACT_ROLE_PAYER);
  payer.mutable_marketing_consent()->set_state(v1::CONSENT_STATE_GRANTED);
  payer.mutable_marketing_consent()->mutable_decide_time()->set_seconds(
      1700000000);
  ASSERT_TRUE(contacts().Create(acme_, payer).ok());
  Create("U", "", "");
  v1::ListContactsRequest request;
  request.set_role(v1::CONTACT_ROLE_PAYER);
  auto response = contacts().List(acme_, request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->contacts_size(), 1);
  EXPECT_EQ(response->contacts(0).display_name(), "P");
  request.clear_role();
  request.set_consent_state(v1::CONSENT_STATE_GRANTED);
  EXPECT_EQ(contacts().List(acme_, request)->contacts_size(), 1);
  request.set_consent_state(static_cast<v1::ConsentState>(7));
  EXPECT_THAT(Fields(contacts().List(acme_, request).status()),
              ElementsAre("consent_state"));
}

}  // namespace
}  // namespace clientele::contacts

// FindOrCreateContact as support intake calls it: the real service on a real
// server (port 0), real SQLite, the generated C++ stub.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "services/contacts/contacts_service_fixture.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;

class FindOrCreateContactTest : public ContactsServiceTest {
 protected:
  grpc::Status FindOrCreate(const std::string& email,
                            const std::string& display_name,
                            const std::string& request_id,
                            v1::FindOrCreateContactResponse* response,
                            const char* token = kAcmeAgent) {
    v1::FindOrCreateContactRequest request;
    request.set_email(email);
    request.set_display_name(display_name);
    request.set_request_id(request_id);
    return Call(&ContactsService::Stub::FindOrCreateContact, request, response,
                token);
  }

  int Outboxed(const std::string& type) {
    const std::vector<std::string> types = OutboxTypes();
    return static_cast<int>(std::count(types.begin(), types.end(), type));
  }

  int ContactCount() {
    v1::ListContactsRequest list;
    list.set_page_size(1000);
    v1::ListContactsResponse listed;
    EXPECT_TRUE(Call(&ContactsService::Stub::ListContacts, list, &listed).ok());
    return listed.contacts_size();
  }
};

TEST_F(FindOrCreateContactTest, FindsAKnownContactByADifferentlyCasedEmail) {
  const v1::Account account = CreateAccount("Bakery Petrov");
  const v1::Contact oleg =
      CreateContact(account.name(), "Oleg", "Oleg.Petrov@Example.ru");

  v1::FindOrCreateContactResponse found;
  grpc::Status status =
      FindOrCreate("  oleg.petrov@EXAMPLE.RU ", "O. Petrov", "", &found);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(found.created());
  EXPECT_EQ(found.contact().name(), oleg.name());
  EXPECT_EQ(found.contact().given_name(), "Oleg");
  EXPECT_EQ(found.account().name(), account.name());
  EXPECT_EQ(found.account().tier(), type::v1::ACCOUNT_TIER_PREMIUM);
  EXPECT_EQ(Outboxed("clientele.events.v1.AccountCreated"), 1);
  EXPECT_EQ(Outboxed("clientele.events.v1.ContactCreated"), 1);
}

TEST_F(FindOrCreateContactTest, CreatesAnIndividualCustomerOnceForARequestId) {
  v1::FindOrCreateContactResponse first;
  grpc::Status status = FindOrCreate("ayse.yilmaz@example.com.tr",
                                     "Ayşe Nur Yılmaz", "intake-1", &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(first.created());
  EXPECT_EQ(first.account().kind(), type::v1::ACCOUNT_KIND_INDIVIDUAL);
  EXPECT_EQ(first.account().segment(), type::v1::ACCOUNT_SEGMENT_B2C);
  EXPECT_EQ(first.account().tier(), type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_EQ(first.account().lifecycle_stage(),
            type::v1::LIFECYCLE_STAGE_ACTIVE);
  EXPECT_EQ(first.account().display_name(), "Ayşe Nur Yılmaz");
  EXPECT_EQ(first.contact().account(), first.account().name());
  EXPECT_EQ(first.contact().given_name(), "Ayşe Nur");
  EXPECT_EQ(first.contact().family_name(), "Yılmaz");
  ASSERT_EQ(first.contact().emails_size(), 1);
  EXPECT_EQ(first.contact().emails(0).address(), "ayse.yilmaz@example.com.tr");

  // The intake's retry of the same call: the first answer, nothing new.
  v1::FindOrCreateContactResponse retried;
  ASSERT_TRUE(FindOrCreate("ayse.yilmaz@example.com.tr", "Ayşe Nur Yılmaz",
                           "intake-1", &retried)
                  .ok());
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(ContactCount(), 1);
  EXPECT_EQ(Outboxed("clientele.events.v1.AccountCreated"), 1);
  EXPECT_EQ(Outboxed("clientele.events.v1.ContactCreated"), 1);

  // Her next form finds her.
  v1::FindOrCreateContactResponse later;
  ASSERT_TRUE(
      FindOrCreate("Ayse.Yilmaz@example.com.tr", "Ayşe", "intake-2", &later)
          .ok());
  EXPECT_FALSE(later.created());
  EXPECT_EQ(later.contact().name(), first.contact().name());
  EXPECT_EQ(ContactCount(), 1);
}

TEST_F(FindOrCreateContactTest, ASingleWordNameIsTheGivenName) {
  v1::FindOrCreateContactResponse created;
  ASSERT_TRUE(FindOrCreate("cher@example.com", "Cher", "", &created).ok());
  EXPECT_EQ(created.contact().given_name(), "Cher");
  EXPECT_EQ(created.contact().family_name(), "");
  EXPECT_EQ(created.contact().display_name(), "Cher");
}

TEST_F(FindOrCreateContactTest, IntakesRacingWithANewEmailMakeOneContact) {
  constexpr int kIntakes = 8;
  std::vector<v1::FindOrCreateContactResponse> responses(kIntakes);
  std::vector<grpc::Status> statuses(kIntakes);
  std::vector<std::thread> intakes;
  intakes.reserve(kIntakes);
  for (int i = 0; i < kIntakes; ++i) {
    intakes.emplace_back([&, i] {
      statuses[i] = FindOrCreate("new.person@example.com", "New Person",
                                 absl::StrCat("race-", i), &responses[i]);
    });
  }
  for (std::thread& intake : intakes) intake.join();
  int created = 0;
  for (int i = 0; i < kIntakes; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    created += responses[i].created() ? 1 : 0;
    EXPECT_EQ(responses[i].contact().name(), responses[0].contact().name());
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ContactCount(), 1);
}

TEST_F(FindOrCreateContactTest, BadFieldsAreInvalidArgumentNamingThem) {
  v1::FindOrCreateContactResponse response;
  for (const std::string& email :
       {std::string(""), std::string("not an email"),
        std::string("a@b@example.com"), std::string(300, 'a') + "@x.com"}) {
    grpc::Status status = FindOrCreate(email, "Ada", "", &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << email;
    EXPECT_EQ(FirstField(status), "email") << email;
  }
  for (const std::string& name :
       {std::string(""), std::string("   "), std::string(201, 'x')}) {
    grpc::Status status = FindOrCreate("ada@example.com", name, "", &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(FirstField(status), "display_name") << name;
  }
  EXPECT_EQ(ContactCount(), 0);
}

TEST_F(FindOrCreateContactTest, AViewerMayNotCreateRequesters) {
  v1::FindOrCreateContactResponse response;
  EXPECT_EQ(FindOrCreate("ada@example.com", "Ada", "", &response, kAcmeViewer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ContactCount(), 0);
  EXPECT_THAT(OutboxTypes(), ElementsAre());
}

}  // namespace
}  // namespace clientele::contacts

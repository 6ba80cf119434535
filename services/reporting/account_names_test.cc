// GrpcAccountNames against the real contacts service (port 0, real SQLite)
// over loopback: names asked with the caller's own token, accounts contacts
// no longer has (deleted, merged away, another tenant's) left unnamed,
// lookups larger than one call, and contacts refusing or unreachable.
#include "services/reporting/account_names.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_service_fixture.h"

namespace clientele::reporting {
namespace {

using ::clientele::contacts::kAcme;
using ::clientele::contacts::kAcmeViewer;
using ::clientele::contacts::kGlobex;
using ::clientele::contacts::v1::ContactsService;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// The id of "accounts/{id}".
std::string IdOf(const std::string& name) {
  return name.substr(std::string("accounts/").size());
}

class AccountNamesTest : public contacts::ContactsServiceTest {
 protected:
  void SetUp() override {
    ContactsServiceTest::SetUp();
    if (HasFatalFailure()) return;
    names_ = Connect(server_->address());
  }

  // A client of contacts at `target` with a budget no loaded machine
  // exhausts.
  static std::unique_ptr<GrpcAccountNames> Connect(const std::string& target) {
    auto names = GrpcAccountNames::Connect(target, RealClock::Get(),
                                           {absl::Seconds(20)});
    EXPECT_TRUE(names.ok()) << names.status();
    return names.ok() ? *std::move(names) : nullptr;
  }

  // A caller of `tenant` with `token`.
  static Caller CallerWith(const std::string& tenant, const char* token) {
    Caller caller;
    caller.tenant = tenant;
    caller.authorization = absl::StrCat("Bearer ", token);
    caller.deadline = absl::Now() + absl::Seconds(30);
    return caller;
  }

  std::unique_ptr<GrpcAccountNames> names_;
};

TEST_F(AccountNamesTest, NamesTheAccountsContactsHasAsThemselves) {
  const std::string weber =
      IdOf(CreateAccount("Kanzlei Weber & Partner").name());
  const std::string bakery = IdOf(CreateAccount("陈记面包").name());
  const std::string gone = IdOf(CreateAccount("Deleted GmbH").name());
  const std::string merged = IdOf(CreateAccount("Merged Away AG").name());
  contacts::v1::DeleteAccountRequest remove;
  remove.set_name(absl::StrCat("accounts/", gone));
  contacts::v1::DeleteAccountResponse removed;
  ASSERT_TRUE(
      Call(&ContactsService::Stub::DeleteAccount, remove, &removed).ok());
  contacts::v1::MergeAccountsRequest merge;
  merge.set_survivor(absl::StrCat("accounts/", weber));
  merge.set_merged(absl::StrCat("accounts/", merged));
  contacts::v1::MergeAccountsResponse merged_response;
  const grpc::Status merge_status =
      Call(&ContactsService::Stub::MergeAccounts, merge, &merged_response);
  ASSERT_TRUE(merge_status.ok()) << merge_status.error_message();

  absl::StatusOr<AccountNameMap> names =
      names_->Names(CallerWith("acme", kAcmeViewer),
                    {weber, gone, "never-was", bakery, weber, merged});
  ASSERT_TRUE(names.ok()) << names.status();
  // The deleted, the unknown and the merged-away (contacts answers its
  // survivor) are left out.
  EXPECT_THAT(*names,
              UnorderedElementsAre(Pair(weber, "Kanzlei Weber & Partner"),
                                   Pair(bakery, "陈记面包")));

  // Nothing asked, nothing answered.
  names = names_->Names(CallerWith("acme", kAcmeViewer), {});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, IsEmpty());
}

TEST_F(AccountNamesTest, ManyAccountsContactsNoLongerHasAreNoError) {
  const std::string weber = IdOf(CreateAccount("Kanzlei Weber").name());
  std::vector<std::string> ids;
  for (int i = 0; i <= GrpcAccountNames::kMaxMissingPerNames; ++i) {
    ids.push_back(absl::StrCat("gone-", i));
  }
  ids.push_back(weber);
  // Past kMaxMissingPerNames the rest of the call goes unnamed (shown by id)
  // rather than asking again and again.
  absl::StatusOr<AccountNameMap> names =
      names_->Names(CallerWith("acme", kAcmeViewer), ids);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, IsEmpty());
}

TEST_F(AccountNamesTest, AnotherTenantsAccountsAreNotNamed) {
  const std::string weber = IdOf(CreateAccount("Kanzlei Weber").name());
  const std::string globex = IdOf(CreateAccount("Globex Corp", kGlobex).name());
  absl::StatusOr<AccountNameMap> names =
      names_->Names(CallerWith("globex", kGlobex), {weber, globex});
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, UnorderedElementsAre(Pair(globex, "Globex Corp")));
}

TEST_F(AccountNamesTest, AsksMoreThanOneCallsWorth) {
  std::vector<std::string> ids;
  for (int i = 0; i <= GrpcAccountNames::kMaxNamesPerCall; ++i) {
    ids.push_back(IdOf(CreateAccount(absl::StrCat("Account ", i)).name()));
  }
  absl::StatusOr<AccountNameMap> names =
      names_->Names(CallerWith("acme", kAcmeViewer), ids);
  ASSERT_TRUE(names.ok()) << names.status();
  ASSERT_EQ(names->size(), ids.size());
  EXPECT_EQ(names->at(ids.back()),
            absl::StrCat("Account ", GrpcAccountNames::kMaxNamesPerCall));
}

TEST_F(AccountNamesTest, ContactsRefusingOrUnreachableIsAnError) {
  const std::string weber = IdOf(CreateAccount("Kanzlei Weber").name());
  Caller anonymous = CallerWith("acme", kAcme);
  anonymous.authorization.clear();
  absl::StatusOr<AccountNameMap> names = names_->Names(anonymous, {weber});
  EXPECT_EQ(names.status().code(), absl::StatusCode::kUnauthenticated)
      << names.status();

  Caller spent = CallerWith("acme", kAcmeViewer);
  spent.deadline = absl::Now() - absl::Seconds(1);
  names = names_->Names(spent, {weber});
  EXPECT_EQ(names.status().code(), absl::StatusCode::kDeadlineExceeded)
      << names.status();

  // Nothing listens on port 1 of loopback.
  std::unique_ptr<GrpcAccountNames> nowhere = Connect("127.0.0.1:1");
  ASSERT_NE(nowhere, nullptr);
  names = nowhere->Names(CallerWith("acme", kAcmeViewer), {weber});
  EXPECT_EQ(names.status().code(), absl::StatusCode::kUnavailable)
      << names.status();
  EXPECT_EQ(names.status().message(), "contacts could not be reached");
}

}  // namespace
}  // namespace clientele::reporting

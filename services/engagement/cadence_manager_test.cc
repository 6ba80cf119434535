// CadenceManager over a real SQLite database: validation per kind naming the
// field, defaults, idempotent create, etag, the list of cadences covering an
// account, revisions that make cached scores see changes, merges, erasure
// and export.
#include "services/engagement/cadence_manager.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/cadence_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::Duration kDay = kDayForTest;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) {
    mask.add_paths(path);
  }
  return mask;
}

class CadenceManagerTest : public CadenceFixture {
 protected:
  CadenceManager& cadences() { return backend_->cadences(); }

  v1::Cadence Survey(type::v1::RelationshipMode mode,
                     const std::string& account = "") {
    v1::Cadence cadence;
    cadence.set_kind(v1::CADENCE_KIND_RELATIONSHIP_SURVEY);
    cadence.set_mode(mode);
    if (!account.empty()) {
      cadence.set_account(absl::StrCat("accounts/", account));
    }
    return cadence;
  }

  v1::Cadence Greeting(const std::string& account = "") {
    v1::Cadence cadence;
    cadence.set_kind(v1::CADENCE_KIND_GREETING);
    if (!account.empty()) {
      cadence.set_account(absl::StrCat("accounts/", account));
    }
    return cadence;
  }

  std::vector<std::string> Listed(v1::ListCadencesRequest request) {
    std::vector<std::string> names;
    request.set_page_size(2);
    for (;;) {
      auto page = cadences().List(caller(), request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) {
        return names;
      }
      for (const v1::Cadence& cadence : page->cadences()) {
        names.push_back(cadence.title());
      }
      if (page->next_page_token().empty()) {
        return names;
      }
      request.set_page_token(page->next_page_token());
    }
  }

  int64_t Revision(const std::string& account) {
    return Count(absl::StrCat(
        "SELECT revision FROM accounts WHERE account_id = '", account, "'"));
  }
};

TEST_F(CadenceManagerTest, ValidationNamesTheBadFieldOfEachKind) {
  EXPECT_THAT(Fields(Create(v1::Cadence()).status()),
              ElementsAre("cadence.kind"));

  v1::Cadence newsletter;
  newsletter.set_kind(v1::CADENCE_KIND_NEWSLETTER);
  EXPECT_THAT(Fields(Create(newsletter).status()),
              ElementsAre("cadence.interval", "cadence.assignee"));
  for (absl::Duration bad : {absl::Hours(12), 366 * kDay}) {
    EXPECT_THAT(Fields(Create(Newsletter(bad)).status()),
                ElementsAre("cadence.interval"));
  }

  EXPECT_THAT(
      Fields(Create(Survey(type::v1::RELATIONSHIP_MODE_UNSPECIFIED)).status()),
      ElementsAre("cadence.mode"));
  EXPECT_THAT(
      Fields(
          Create(Survey(type::v1::RELATIONSHIP_MODE_TRANSITIONING)).status()),
      ElementsAre("cadence.mode"));
  v1::Cadence late = Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER);
  SetDuration(91 * kDay, late.mutable_delay_after_purchase());
  EXPECT_THAT(Fields(Create(late).status()),
              ElementsAre("cadence.delay_after_purchase"));

  AddAccount("a");
  v1::Cadence both = Greeting("a");
  both.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  SetDuration(31 * kDay, both.mutable_lead_time());
  SetDuration(7 * kDay, both.mutable_interval());  // greetings have none
  both.set_title(std::string(201, 'x'));
  EXPECT_THAT(Fields(Create(both).status()),
              ElementsAre("cadence.segment", "cadence.interval",
                          "cadence.lead_time", "cadence.title"));

  v1::Cadence malformed = Greeting();
  malformed.set_account("acme/a");
  EXPECT_THAT(Fields(Create(malformed).status()),
              ElementsAre("cadence.account"));
  const absl::Status unknown = Create(Greeting("nobody")).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("accounts/nobody"));
  EXPECT_EQ(Count("SELECT count(*) FROM cadences"), 0);
}

TEST_F(CadenceManagerTest, CreateFillsDefaultsAndIsIdempotent) {
  auto greeting = Create(Greeting(), "req-1");
  ASSERT_TRUE(greeting.ok()) << greeting.status();
  EXPECT_THAT(greeting->name(), ::testing::StartsWith("cadences/"));
  EXPECT_FALSE(greeting->etag().empty());
  EXPECT_EQ(ToTime(greeting->create_time()), clock_.Now());
  EXPECT_EQ(ToDuration(greeting->lead_time()), 3 * kDay);
  EXPECT_FALSE(greeting->has_interval());
  auto again = Create(Greeting(), "req-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->name(), greeting->name());
  EXPECT_EQ(Count("SELECT count(*) FROM cadences"), 1);

  auto client = Create(Survey(type::v1::RELATIONSHIP_MODE_CLIENT));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ(ToDuration(client->interval()), 90 * kDay);
  EXPECT_FALSE(client->has_delay_after_purchase());
  auto customer = Create(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER));
  ASSERT_TRUE(customer.ok()) << customer.status();
  EXPECT_EQ(ToDuration(customer->delay_after_purchase()), 7 * kDay);
  EXPECT_FALSE(customer->has_interval());
}

TEST_F(CadenceManagerTest, UpdateByMaskAndEtag) {
  auto created = Create(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER));
  ASSERT_TRUE(created.ok()) << created.status();

  v1::Cadence patch = *created;
  patch.set_paused(true);
  patch.set_kind(v1::CADENCE_KIND_NEWSLETTER);
  auto fixed = cadences().Update(caller(), patch, Mask({"paused", "kind"}));
  EXPECT_THAT(Fields(fixed.status()), ElementsAre("update_mask"));
  EXPECT_THAT(fixed.status().message(), HasSubstr("cannot be changed"));
  EXPECT_THAT(
      Fields(cadences().Update(caller(), patch, Mask({"etag"})).status()),
      ElementsAre("update_mask"));

  clock_.Advance(absl::Minutes(1));
  auto paused = cadences().Update(caller(), patch, Mask({"paused"}));
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_TRUE(paused->paused());
  EXPECT_EQ(paused->kind(), v1::CADENCE_KIND_RELATIONSHIP_SURVEY);
  EXPECT_NE(paused->etag(), created->etag());
  EXPECT_EQ(ToTime(paused->update_time()), clock_.Now());

  // The old etag is stale now.
  EXPECT_EQ(
      cadences().Update(caller(), patch, Mask({"paused"})).status().code(),
      absl::StatusCode::kAborted);
  // Sending what is stored changes nothing, not even the etag.
  auto same = cadences().Update(caller(), *paused, Mask({"paused"}));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->etag(), paused->etag());

  // Switching to CLIENT: the check-in interval comes with its default and
  // the purchase delay goes.
  v1::Cadence to_client = *paused;
  to_client.set_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  auto client = cadences().Update(caller(), to_client, Mask({"mode"}));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ(ToDuration(client->interval()), 90 * kDay);
  EXPECT_FALSE(client->has_delay_after_purchase());
  // A value the kind does not use, given on purpose, is refused.
  v1::Cadence delay = *client;
  SetDuration(kDay, delay.mutable_delay_after_purchase());
  EXPECT_THAT(
      Fields(cadences()
                 .Update(caller(), delay, Mask({"delay_after_purchase"}))
                 .status()),
      ElementsAre("cadence.delay_after_purchase"));

  v1::Cadence missing = *client;
  missing.set_name("cadences/nope");
  EXPECT_EQ(
      cadences().Update(caller(), missing, Mask({"title"})).status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(CadenceManagerTest, DeleteChecksTheEtagAndOtherTenantsSeeNothing) {
  auto created = Create(Greeting());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(cadences().Get(caller("globex"), created->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(cadences().Delete(caller("globex"), created->name(), "").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(cadences().Delete(caller(), created->name(), "stale").code(),
            absl::StatusCode::kAborted);
  EXPECT_THAT(Fields(cadences().Get(caller(), "cadence/x").status()),
              ElementsAre("name"));
  ASSERT_TRUE(
      cadences().Delete(caller(), created->name(), created->etag()).ok());
  EXPECT_EQ(cadences().Get(caller(), created->name()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CadenceManagerTest, ListsTheCadencesCoveringAnAccount) {
  AddAccount("shopper", type::v1::ACCOUNT_SEGMENT_B2C);
  AddAccount("firm", type::v1::ACCOUNT_SEGMENT_B2B);
  const auto titled = [](v1::Cadence cadence, const std::string& title) {
    cadence.set_title(title);
    return cadence;
  };
  v1::Cadence b2c_greeting = Greeting();
  b2c_greeting.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  v1::Cadence b2b_news = Newsletter(30 * kDay);
  b2b_news.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  for (const v1::Cadence& cadence :
       {titled(Newsletter(7 * kDay), "everyone"),
        titled(b2c_greeting, "b2c greeting"), titled(b2b_news, "b2b news"),
        titled(Survey(type::v1::RELATIONSHIP_MODE_CUSTOMER, "shopper"),
               "shopper survey"),
        titled(Greeting("firm"), "firm greeting")}) {
    clock_.Advance(absl::Seconds(1));
    ASSERT_TRUE(Create(cadence).ok());
  }

  v1::ListCadencesRequest request;
  EXPECT_THAT(Listed(request),
              ElementsAre("everyone", "b2c greeting", "b2b news",
                          "shopper survey", "firm greeting"));
  request.set_account("accounts/shopper");
  EXPECT_THAT(Listed(request),
              ElementsAre("everyone", "b2c greeting", "shopper survey"));
  request.set_kind(v1::CADENCE_KIND_GREETING);
  EXPECT_THAT(Listed(request), ElementsAre("b2c greeting"));
  request.set_account("accounts/firm");
  EXPECT_THAT(Listed(request), ElementsAre("firm greeting"));
  request.clear_account();
  request.clear_kind();
  request.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  EXPECT_THAT(Listed(request), ElementsAre("b2b news"));

  // A token is for the list it came from.
  v1::ListCadencesRequest first;
  first.set_page_size(1);
  auto page = cadences().List(caller(), first);
  ASSERT_TRUE(page.ok());
  first.set_page_token(page->next_page_token());
  first.set_kind(v1::CADENCE_KIND_NEWSLETTER);
  EXPECT_THAT(Fields(cadences().List(caller(), first).status()),
              ElementsAre("page_token"));
  v1::ListCadencesRequest bad;
  bad.set_account("shopper");
  bad.set_kind(static_cast<v1::CadenceKind>(42));
  bad.set_page_size(-1);
  EXPECT_THAT(Fields(cadences().List(caller(), bad).status()),
              ElementsAre("page_size"));
  bad.set_page_size(0);
  EXPECT_THAT(Fields(cadences().List(caller(), bad).status()),
              ElementsAre("account", "kind"));
}

TEST_F(CadenceManagerTest, ChangesTouchTheAccountsTheyCover) {
  AddAccount("a");
  AddAccount("b");
  int64_t a = Revision("a");
  int64_t b = Revision("b");
  auto own = Create(Greeting("a"));
  ASSERT_TRUE(own.ok());
  EXPECT_GT(Revision("a"), a);
  EXPECT_EQ(Revision("b"), b);

  a = Revision("a");
  auto wide = Create(Newsletter(7 * kDay));
  ASSERT_TRUE(wide.ok());
  EXPECT_GT(Revision("a"), a);
  EXPECT_GT(Revision("b"), b);

  // A new title changes nothing scores read; pausing does.
  a = Revision("a");
  b = Revision("b");
  v1::Cadence patch = *wide;
  patch.set_title("Weekly");
  ASSERT_TRUE(cadences().Update(caller(), patch, Mask({"title"})).ok());
  EXPECT_EQ(Revision("a"), a);
  patch.set_paused(true);
  patch.clear_etag();
  ASSERT_TRUE(cadences().Update(caller(), patch, Mask({"paused"})).ok());
  EXPECT_GT(Revision("b"), b);
  a = Revision("a");
  ASSERT_TRUE(cadences().Delete(caller(), own->name(), "").ok());
  EXPECT_GT(Revision("a"), a);
}

TEST_F(CadenceManagerTest, MergeMovesErasureDeletesExportLists) {
  AddAccount("old");
  AddAccount("new");
  auto own = Create(Greeting("old"));
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_TRUE(
      database_
          ->Write([&](sql::Transaction& txn) {
            CadenceTouch touch{IdOf(own->name()),         "old", "x",
                               v1::CADENCE_KIND_GREETING, "f-1", clock_.Now()};
            return SqliteCadenceStore().InsertTouch(txn, kCadenceTenant, touch);
          })
          .ok());

  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_merged("accounts/old");
  merged.mutable_accounts_merged()->set_survivor("accounts/new");
  *merged.mutable_accounts_merged()->mutable_survivor_account() =
      Account("new");
  ASSERT_TRUE(Deliver(merged).ok());
  auto moved = cadences().Get(caller(), own->name());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->account(), "accounts/new");
  EXPECT_EQ(moved->etag(), own->etag());
  EXPECT_EQ(Count("SELECT count(*) FROM cadence_touches WHERE account_id = "
                  "'new'"),
            1);
  // The merged account's name lists the survivor's cadences.
  v1::ListCadencesRequest request;
  request.set_account("accounts/old");
  EXPECT_EQ(cadences().List(caller(), request)->cadences_size(), 1);

  v1::ExportDataSubjectRequest export_request;
  export_request.set_subject("accounts/new");
  auto exported = backend_->data_subjects().Export(caller(), export_request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_EQ(exported->cadences_size(), 1);
  EXPECT_EQ(exported->cadences(0).name(), own->name());

  events::v1::Event erased;
  erased.mutable_data_subject_erased()->set_erased_account("accounts/new");
  ASSERT_TRUE(Deliver(erased).ok());
  EXPECT_EQ(cadences().Get(caller(), own->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM cadence_touches"), 0);
}

}  // namespace
}  // namespace clientele::engagement

// Test-only: a contacts backend on a fresh SQLite database in a TempDir, with
// a fake clock and sequential ids, plus builders of valid resources.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_TEST_ENV_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_TEST_ENV_H_

#include <memory>
#include <string>
#include <vector>

#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/contacts/contacts_backend.h"
#include "services/contacts/contacts_schema.h"

namespace clientele::contacts {

class ContactsTestEnv {
 public:
  ContactsTestEnv() {
    auto database = testing::OpenSqliteForTest(dir_, "contacts.db");
    if (!database.ok()) ADD_FAILURE() << database.status();
    database_ = *std::move(database);
    auto version = database_->Migrate(ContactsMigrations());
    if (!version.ok()) ADD_FAILURE() << version.status();
    events_ = std::make_unique<events::EventWriter>("contacts", &clock_,
                                                    &event_ids_, nullptr);
    backend_ = std::make_unique<ContactsBackend>(database_.get(), events_.get(),
                                                 &clock_, &ids_);
  }

  ContactsBackend& backend() { return *backend_; }
  sql::Database& database() { return *database_; }
  FakeClock& clock() { return clock_; }
  const std::string& dir() const { return dir_.path(); }

  static Caller CallerFor(const std::string& tenant) {
    return Caller{tenant, "role:admin", "trace-1"};
  }

  // Every event in the outbox, oldest first.
  std::vector<events::v1::Event> OutboxEvents() {
    auto outbox = testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    if (!outbox.ok()) return {};
    return *std::move(outbox);
  }

  // How many rows of `table` mention `text` anywhere in a text column or
  // blob (a crude "is this personal data still here" probe).
  int64_t RowsMentioning(const std::string& table, const std::string& column,
                         const std::string& text) {
    int64_t count = 0;
    absl::Status status = database_->Read([&](sql::Transaction& txn) {
      const sql::Value params[] = {text};
      auto rows = txn.Query("SELECT count(*) FROM " + table + " WHERE instr(" +
                                column + ", ?) > 0",
                            params);
      if (!rows.ok()) return rows.status();
      count = (*rows)[0].Int(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  static v1::Account NewAccount(const std::string& display_name) {
    v1::Account account;
    account.set_display_name(display_name);
    account.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
    account.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
    account.set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
    account.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
    return account;
  }

  static v1::Contact NewContact(const std::string& account,
                                const std::string& given,
                                const std::string& family,
                                const std::string& email) {
    v1::Contact contact;
    contact.set_account(account);
    contact.set_given_name(given);
    contact.set_family_name(family);
    if (!email.empty()) contact.add_emails()->set_address(email);
    return contact;
  }

 private:
  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id"};
  SequentialIdGenerator event_ids_{"event-"};
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  std::unique_ptr<ContactsBackend> backend_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_TEST_ENV_H_

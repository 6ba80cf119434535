// Test-only: the SLA part of ticketing over a real SQLite database, with the
// real ticket store, and a stand-in for the ticket manager's writes (append
// history, refresh the SLA, store the ticket) so that tracker, alerts and
// job can be tested without the rest of the service.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_FIXTURE_FOR_TEST_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/validation.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_alert_manager.h"
#include "services/ticketing/sla_job.h"
#include "services/ticketing/sla_policy_manager.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/sqlite_sla_store.h"
#include "services/ticketing/sqlite_ticket_store.h"
#include "services/ticketing/ticketing_deps.h"
#include "services/ticketing/ticketing_schema.h"

namespace clientele::ticketing {

// Monday 2026-01-05 00:00 UTC.
inline absl::Time Monday() { return absl::FromUnixSeconds(1767571200); }

inline std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

inline google::protobuf::Duration Hours(double hours) {
  return ToDurationProto(absl::Seconds(hours * 3600));
}

class SlaFixture : public ::testing::Test {
 protected:
  SlaFixture() : clock_(Monday()) {
    auto database = testing::OpenSqliteForTest(dir_, "ticketing.db");
    if (!database.ok()) ADD_FAILURE() << database.status();
    database_ = *std::move(database);
    auto version = database_->Migrate(TicketingMigrations());
    if (!version.ok()) ADD_FAILURE() << version.status();
    events_ = std::make_unique<events::EventWriter>("ticketing", &clock_,
                                                    &event_ids_, nullptr);
    deps_.database = database_.get();
    deps_.events = events_.get();
    deps_.clock = &clock_;
    deps_.ids = &ids_;
    deps_.tickets = &tickets_;
    deps_.sla = &sla_;
    policies_ = std::make_unique<SlaPolicyManager>(deps_);
    tracker_ = std::make_unique<SlaTracker>(deps_);
    alerts_ = std::make_unique<SlaAlertManager>(deps_);
    job_ = std::make_unique<SlaJob>(alerts_.get());
    admin_.tenant = "acme";
    admin_.actor = "role:admin";
  }

  absl::Time now() { return clock_.Now(); }

  // A policy with a resolution target of `hours`, created now.
  v1::SlaPolicy MustCreatePolicy(const std::string& display_name, int rank,
                                 double resolution_hours,
                                 const Caller* caller = nullptr) {
    v1::SlaPolicy policy;
    policy.set_display_name(display_name);
    policy.set_rank(rank);
    *policy.mutable_resolution_target() = Hours(resolution_hours);
    return MustCreatePolicy(policy, caller);
  }
  v1::SlaPolicy MustCreatePolicy(const v1::SlaPolicy& policy,
                                 const Caller* caller = nullptr) {
    auto created = policies_->Create(caller ? *caller : admin_, policy);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::SlaPolicy();
  }

  // A NEW ticket as the ticket manager would make it (not yet stored).
  v1::Ticket NewTicket(
      const std::string& id, const std::string& account = "a1",
      v1::TicketPriority priority = v1::TICKET_PRIORITY_NORMAL) {
    v1::Ticket ticket;
    ticket.set_name("tickets/" + id);
    ticket.set_account("accounts/" + account);
    ticket.set_subject("Printer on fire");
    ticket.set_priority(priority);
    ticket.set_status(v1::TICKET_STATUS_NEW);
    ticket.set_team("support");
    ticket.set_account_tier(type::v1::ACCOUNT_TIER_STANDARD);
    ticket.set_relationship_mode(type::v1::RELATIONSHIP_MODE_CUSTOMER);
    SetTimestamp(now(), ticket.mutable_create_time());
    SetTimestamp(now(), ticket.mutable_update_time());
    return ticket;
  }

  static v1::TicketHistoryEntry Entry(
      v1::TicketHistoryKind kind, absl::Time at,
      v1::TicketStatus status = v1::TICKET_STATUS_UNSPECIFIED) {
    v1::TicketHistoryEntry entry;
    entry.set_kind(kind);
    SetTimestamp(at, entry.mutable_occur_time());
    entry.set_status(status);
    entry.set_actor("role:agent");
    return entry;
  }

  // What the ticket manager does on a write: append `entries` to the
  // history, refresh the SLA at now, store the SLA's own entries and the
  // ticket. Returns the SLA's entries.
  std::vector<v1::TicketHistoryEntry> Write(
      v1::Ticket* ticket, const std::vector<v1::TicketHistoryEntry>& entries,
      bool reselect, const std::string& tenant = "acme") {
    std::vector<v1::TicketHistoryEntry> added;
    const std::string id = IdOf(ticket->name());
    const absl::Status status =
        database_->Write([&](sql::Transaction& txn) -> absl::Status {
          for (const v1::TicketHistoryEntry& entry : entries) {
            absl::Status appended =
                tickets_.AppendHistory(txn, tenant, id, entry);
            if (!appended.ok()) return appended;
          }
          absl::StatusOr<std::vector<v1::TicketHistoryEntry>> history =
              tickets_.History(txn, tenant, id);
          if (!history.ok()) return history.status();
          absl::Status refreshed = tracker_->Refresh(
              txn, tenant, reselect, *history, now(), ticket, &added);
          if (!refreshed.ok()) return refreshed;
          for (const v1::TicketHistoryEntry& entry : added) {
            absl::Status appended =
                tickets_.AppendHistory(txn, tenant, id, entry);
            if (!appended.ok()) return appended;
          }
          return tickets_.Put(txn, tenant, id, *ticket);
        });
    EXPECT_TRUE(status.ok()) << status;
    return added;
  }

  // Creates `ticket` (history CREATED, status NEW, at now).
  std::vector<v1::TicketHistoryEntry> Create(
      v1::Ticket* ticket, const std::string& tenant = "acme") {
    return Write(
        ticket,
        {Entry(v1::TICKET_HISTORY_KIND_CREATED, now(), v1::TICKET_STATUS_NEW)},
        /*reselect=*/true, tenant);
  }

  // Moves `ticket` to `status` at now.
  void ChangeStatus(v1::Ticket* ticket, v1::TicketStatus status) {
    v1::TicketHistoryEntry entry =
        Entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED, now(), status);
    entry.set_previous_status(ticket->status());
    ticket->set_status(status);
    Write(ticket, {entry}, /*reselect=*/false);
  }

  std::optional<v1::Ticket> Stored(const std::string& id,
                                   const std::string& tenant = "acme") {
    std::optional<v1::Ticket> ticket;
    const absl::Status status =
        database_->Read([&](sql::Transaction& txn) -> absl::Status {
          auto found = tickets_.Find(txn, tenant, id);
          if (!found.ok()) return found.status();
          ticket = *std::move(found);
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return ticket;
  }

  std::vector<v1::TicketHistoryEntry> HistoryOf(const std::string& id) {
    std::vector<v1::TicketHistoryEntry> history;
    const absl::Status status =
        database_->Read([&](sql::Transaction& txn) -> absl::Status {
          auto found = tickets_.History(txn, "acme", id);
          if (!found.ok()) return found.status();
          history = *std::move(found);
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return history;
  }

  std::vector<events::v1::Event> OutboxEvents() {
    auto outbox = testing::OutboxEventsForTest(*database_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    if (!outbox.ok()) return {};
    return *std::move(outbox);
  }

  static const v1::SlaClock* ClockOf(const v1::Ticket& ticket,
                                     v1::SlaMetric metric) {
    for (const v1::SlaClock& clock : ticket.sla_clocks()) {
      if (clock.metric() == metric) return &clock;
    }
    return nullptr;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  SequentialIdGenerator ids_{"id-"};
  SequentialIdGenerator event_ids_{"event-"};
  std::unique_ptr<sql::Database> database_;
  std::unique_ptr<events::EventWriter> events_;
  SqliteTicketStore tickets_;
  SqliteSlaStore sla_;
  TicketingDeps deps_;
  std::unique_ptr<SlaPolicyManager> policies_;
  std::unique_ptr<SlaTracker> tracker_;
  std::unique_ptr<SlaAlertManager> alerts_;
  std::unique_ptr<SlaJob> job_;
  Caller admin_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_FIXTURE_FOR_TEST_H_

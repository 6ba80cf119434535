// The read model when accounts go away or merge, across tenants, and with
// what the projector skips; watermarks.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/events/consumer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/projector.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Utc;

class ProjectorLifecycleTest : public testing::ReportingFixture {
 protected:
  std::vector<std::string> InScope(absl::Time as_of,
                                   const std::string& tenant = "acme") {
    const SqlFragment accounts =
        ScopedAccounts(testing::Scope(tenant, as_of, as_of, as_of));
    std::vector<std::string> ids;
    for (const sql::Row& row :
         Query(absl::StrCat(accounts.sql, " ORDER BY v.account_id"),
               accounts.params)) {
      ids.push_back(row.String(kAccountId));
    }
    return ids;
  }

  // How many rows of `table` name account `id` of acme.
  int64_t RowsOf(const std::string& table, const std::string& id) {
    return QueryInt(absl::StrCat("SELECT COUNT(*) FROM ", table,
                                 " WHERE tenant = 'acme' AND account_id = ?"),
                    {id});
  }

  // Gives `id` (of `tenant`) one of everything: an account, a score, a
  // purchase of `amount` on 1 March, a ticket with a clock and a survey, a
  // follow-up and a deal.
  void Populate(const std::string& id, int64_t amount,
                const std::string& tenant = "acme") {
    Apply("contacts",
          testing::AccountCreated(
              {.tenant = tenant, .id = id, .time = Utc(2024, 1, 1)}));
    Apply("engagement",
          testing::ScoreChanged(
              {.tenant = tenant, .account = id, .time = Utc(2024, 1, 2)}));
    Apply("engagement",
          testing::Interaction({.id = absl::StrCat(tenant, "-p-", id),
                                .account = id,
                                .time = Utc(2024, 3, 1, 12),
                                .kind = events::v1::INTERACTION_KIND_PURCHASE,
                                .amount = amount,
                                .currency = "EUR",
                                .staff = "u1"},
                               tenant));
    testing::TicketFields t{.tenant = tenant,
                            .id = absl::StrCat(tenant, "-t-", id),
                            .account = id,
                            .time = Utc(2024, 3, 2)};
    Apply("ticketing", testing::TicketCreated(t));
    Apply("ticketing",
          testing::TicketSolved(
              t, {.resolution = absl::Hours(1),
                  .clocks = {{.metric = events::v1::SLA_METRIC_RESOLUTION,
                              .stop_time = Utc(2024, 3, 2, 1),
                              .due = Utc(2024, 3, 3)}}}));
    Apply("ticketing", testing::CsatResponded({.tenant = tenant,
                                               .ticket = t.id,
                                               .account = id,
                                               .time = Utc(2024, 3, 3)}));
    Apply("engagement",
          testing::FollowUpCreated({.tenant = tenant,
                                    .id = absl::StrCat(tenant, "-f-", id),
                                    .account = id,
                                    .time = Utc(2024, 3, 4),
                                    .due = Utc(2024, 3, 10)}));
    Apply("engagement",
          testing::DealCreated({.tenant = tenant,
                                .id = absl::StrCat(tenant, "-d-", id),
                                .account = id,
                                .time = Utc(2024, 3, 5),
                                .amount = 5000}));
  }

  int64_t RevenueOf(const std::string& id, const std::string& tenant = "acme") {
    const SqlFragment revenue = RevenueByAccount(testing::Scope(
        tenant, Utc(2024, 1, 1), Utc(2025, 1, 1), Utc(2025, 1, 1)));
    const auto rows = Query(absl::StrCat("SELECT transactional_minor FROM (",
                                         revenue.sql, ") WHERE account_id = ?"),
                            [&] {
                              std::vector<sql::Value> params = revenue.params;
                              params.emplace_back(id);
                              return params;
                            }());
    return rows.empty() ? 0 : rows[0].Int(0);
  }
};

TEST_F(ProjectorLifecycleTest, DeletedAccountLeavesEveryReportHistoryIncluded) {
  Populate("a1", 1000);
  Populate("a2", 700);
  Apply("contacts", testing::AccountDeleted("a1", Utc(2024, 6, 1)));
  EXPECT_THAT(InScope(Utc(2024, 2, 1)), ElementsAre("a2"));
  EXPECT_THAT(InScope(Utc(2024, 7, 1)), ElementsAre("a2"));
  // A late update does not bring it back, and later facts are not kept.
  Apply("contacts",
        testing::AccountUpdated({.id = "a1", .time = Utc(2024, 6, 2)}));
  Apply("engagement",
        testing::Interaction({.id = "late",
                              .account = "a1",
                              .time = Utc(2024, 6, 3),
                              .kind = events::v1::INTERACTION_KIND_CALL}));
  EXPECT_THAT(InScope(Utc(2024, 7, 1)), ElementsAre("a2"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM interactions "
                     "WHERE interaction_id = 'late'"),
            0);
}

TEST_F(ProjectorLifecycleTest, ErasedAccountLeavesNothingBehind) {
  Populate("a1", 1000);
  Populate("a2", 700);
  // A contact's erasure: reporting keeps nothing about contacts.
  events::v1::Event contact_only =
      testing::DataSubjectErased("a1", Utc(2024, 6, 1));
  contact_only.mutable_data_subject_erased()->clear_erased_account();
  contact_only.mutable_data_subject_erased()->set_subject("contacts/c1");
  Apply("contacts", contact_only);
  EXPECT_EQ(RowsOf("interactions", "a1"), 1);

  Apply("contacts", testing::DataSubjectErased("a1", Utc(2024, 6, 1)));
  for (const char* table :
       {"interactions", "revenue_days", "activity_days", "score_versions",
        "tickets", "csat_responses", "follow_ups", "deal_versions"}) {
    EXPECT_EQ(RowsOf(table, "a1"), 0) << table;
    EXPECT_EQ(RowsOf(table, "a2"), 1) << table;
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ticket_versions "
                     "WHERE ticket_id = 'acme-t-a1'"),
            0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sla_clocks "
                     "WHERE ticket_id = 'acme-t-a1'"),
            0);
  // Only a marker is left, with none of the account's fields.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM account_versions WHERE "
                     "account_id = 'a1' AND state = 1 AND owner = ''"),
            1);
  EXPECT_EQ(RowsOf("account_versions", "a1"), 1);
  EXPECT_THAT(InScope(Utc(2024, 2, 1)), ElementsAre("a2"));
  // Events still in flight do not bring it back.
  Populate("a1", 400);
  EXPECT_EQ(RowsOf("interactions", "a1"), 0);
  EXPECT_EQ(RowsOf("tickets", "a1"), 0);
  EXPECT_THAT(InScope(Utc(2024, 7, 1)), ElementsAre("a2"));
}

TEST_F(ProjectorLifecycleTest, MergeMovesTheMergedAccountsFactsToTheSurvivor) {
  Populate("a1", 1000);
  Populate("a2", 700);
  Apply("contacts",
        testing::AccountsMerged({.id = "a1",
                                 .time = Utc(2024, 6, 1),
                                 .create_time = Utc(2024, 1, 1),
                                 .tier = type::v1::ACCOUNT_TIER_PREMIUM},
                                "a2"));
  // Both purchases were on 1 March: one revenue day of 1,700, one activity
  // day of two interactions by u1.
  EXPECT_EQ(RevenueOf("a1"), 1700);
  EXPECT_EQ(RevenueOf("a2"), 0);
  EXPECT_EQ(QueryInt("SELECT interactions FROM revenue_days "
                     "WHERE account_id = 'a1'"),
            2);
  EXPECT_EQ(QueryInt("SELECT interactions FROM activity_days "
                     "WHERE account_id = 'a1' AND staff_user = 'u1'"),
            2);
  for (const char* table : {"interactions", "tickets", "csat_responses",
                            "follow_ups", "deal_versions"}) {
    EXPECT_EQ(RowsOf(table, "a1"), 2) << table;
    EXPECT_EQ(RowsOf(table, "a2"), 0) << table;
  }
  // The merged account is gone from every as_of; its history is a1's.
  EXPECT_THAT(InScope(Utc(2024, 2, 1)), ElementsAre("a1"));
  EXPECT_THAT(InScope(Utc(2024, 7, 1)), ElementsAre("a1"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM account_versions WHERE "
                     "account_id = 'a2' AND (state != 2 OR merged_into != "
                     "'a1')"),
            0);
  // What still arrives about a2 lands on a1.
  Apply("engagement",
        testing::Interaction({.id = "late",
                              .account = "a2",
                              .time = Utc(2024, 6, 2),
                              .kind = events::v1::INTERACTION_KIND_PURCHASE,
                              .amount = 5,
                              .currency = "EUR"}));
  EXPECT_EQ(RevenueOf("a1"), 1705);
  // Deleting an interaction that moved undoes it on the survivor.
  Apply("engagement",
        testing::InteractionDeleted("acme-p-a2", "a2", Utc(2024, 6, 3)));
  EXPECT_EQ(RevenueOf("a1"), 1005);
}

TEST_F(ProjectorLifecycleTest, DeletedAndMergedTicketsAreMarked) {
  for (const char* id : {"t1", "t2", "t3"}) {
    Apply("ticketing",
          testing::TicketCreated(
              {.id = id, .account = "a1", .time = Utc(2024, 5, 1)}));
  }
  Apply("ticketing", testing::TicketDeleted("t1", "a1", Utc(2024, 5, 2)));
  Apply("ticketing", testing::TicketsMerged("t3", "t2", "a1", Utc(2024, 5, 2)));
  // A late change does not bring a deleted ticket back.
  Apply("ticketing", testing::TicketAssigned({.id = "t1",
                                              .account = "a1",
                                              .time = Utc(2024, 5, 3),
                                              .create_time = Utc(2024, 5, 1),
                                              .assignee = "u-x"}));
  std::vector<std::string> live;
  for (const sql::Row& row :
       Query("SELECT ticket_id FROM tickets WHERE deleted = 0")) {
    live.push_back(row.String(0));
  }
  EXPECT_THAT(live, ElementsAre("t3"));
}

TEST_F(ProjectorLifecycleTest, AnotherTenantsEventsStayApart) {
  Populate("a1", 1000);
  Populate("a1", 333, "other");
  Apply("contacts", testing::AccountDeleted("a1", Utc(2024, 6, 1), "other"));
  EXPECT_THAT(InScope(Utc(2024, 7, 1)), ElementsAre("a1"));
  EXPECT_THAT(InScope(Utc(2024, 7, 1), "other"), IsEmpty());
  EXPECT_EQ(RevenueOf("a1"), 1000);
  EXPECT_EQ(RevenueOf("a1", "other"), 333);
  Apply("contacts", testing::DataSubjectErased("a1", Utc(2024, 6, 2), "other"));
  EXPECT_EQ(RowsOf("interactions", "a1"), 1);
  EXPECT_EQ(RowsOf("tickets", "a1"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM interactions "
                     "WHERE tenant = 'other'"),
            0);
}

TEST_F(ProjectorLifecycleTest, WatermarksFollowTheNewestEventPerStream) {
  Apply("contacts",
        testing::AccountCreated({.id = "a1", .time = Utc(2024, 3, 1)}));
  Apply("engagement", testing::Interaction(
                          {.account = "a1", .time = Utc(2024, 2, 1)}, "acme"));
  // An event reports do not use still says the stream is read up to it.
  events::v1::Event contact =
      testing::Envelope("acme", Utc(2024, 3, 5), "contacts", "contacts/c1");
  contact.mutable_contact_created()->mutable_contact()->set_name("contacts/c1");
  Apply("contacts", contact);
  // An older event (clamped versions) does not move it back.
  Apply("contacts",
        testing::AccountUpdated({.id = "a1", .time = Utc(2024, 3, 2)}));
  Apply("contacts",
        testing::AccountCreated(
            {.tenant = "other", .id = "b1", .time = Utc(2024, 9, 1)}));
  std::vector<std::string> marks;
  for (const sql::Row& row :
       Query("SELECT tenant, stream, applied_us FROM stream_watermarks "
             "ORDER BY tenant, stream")) {
    marks.push_back(
        absl::StrCat(row.String(0), " ", row.String(1), " ",
                     absl::FormatTime("%Y-%m-%d", FromMicros(row.Int(2)),
                                      absl::UTCTimeZone())));
  }
  EXPECT_THAT(marks, ElementsAre("acme contacts 2024-03-05",
                                 "acme engagement 2024-02-01",
                                 "other contacts 2024-09-01"));
  // data_fresh_time: the oldest of the tenant's streams.
  auto metadata = Read([&](sql::Transaction& txn) {
    return Metadata(txn, testing::Scope("acme", Utc(2024, 1, 1),
                                        Utc(2024, 4, 1), Utc(2024, 4, 1)));
  });
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ToTime(metadata->data_fresh_time()), Utc(2024, 2, 1));
}

TEST_F(ProjectorLifecycleTest, PayloadThatDoesNotParseIsSkipped) {
  events::StreamEvent entry;
  entry.event_id = "e1";
  entry.tenant = "acme";
  entry.type = "clientele.events.v1.AccountCreated";
  entry.payload = "\xff\xff not a protobuf";
  const absl::Status status = database()->Write([&](sql::Transaction& txn) {
    return projector().Apply(txn, "contacts", entry);
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM stream_watermarks"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM account_versions"), 0);

  // The same entry with a payload that parses is applied.
  entry.payload = testing::AccountCreated({.id = "a1", .time = Utc(2024, 1, 1)})
                      .SerializeAsString();
  ASSERT_TRUE(database()
                  ->Write([&](sql::Transaction& txn) {
                    return projector().Apply(txn, "contacts", entry);
                  })
                  .ok());
  EXPECT_THAT(InScope(Utc(2024, 2, 1)), ElementsAre("a1"));
}

TEST_F(ProjectorLifecycleTest, OrdersKeepTheirStateAndFollowTheirAccount) {
  Apply("contacts",
        testing::AccountCreated({.id = "a1", .time = Utc(2024, 1, 1)}));
  Apply("contacts",
        testing::AccountCreated({.id = "a2", .time = Utc(2024, 1, 1)}));
  Apply("engagement",
        testing::OrderEvent("placed", "o1", "a2", Utc(2024, 2, 1)));
  Apply("engagement",
        testing::OrderEvent("fulfilled", "o1", "a2", Utc(2024, 2, 3)));
  const auto rows = Query(
      "SELECT account_id, status, items, total_minor, fulfil_us FROM orders "
      "WHERE tenant = 'acme'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].String(0), "a2");
  EXPECT_EQ(rows[0].Int(1), events::v1::ORDER_STATUS_FULFILLED);
  EXPECT_EQ(rows[0].String(2), "2 x Espresso beans");
  EXPECT_EQ(rows[0].Int(3), 2500);
  EXPECT_FALSE(rows[0].IsNull(4));

  // a2 merged into a1: the order is a1's; a1 erased: it is gone.
  Apply("contacts",
        testing::AccountsMerged({.id = "a1", .time = Utc(2024, 3, 1)}, "a2"));
  EXPECT_EQ(RowsOf("orders", "a1"), 1);
  EXPECT_EQ(RowsOf("orders", "a2"), 0);
  Apply("contacts", testing::DataSubjectErased("a1", Utc(2024, 4, 1)));
  EXPECT_EQ(RowsOf("orders", "a1"), 0);
}

}  // namespace
}  // namespace clientele::reporting

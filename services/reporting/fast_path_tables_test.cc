// The maintained aggregates themselves: what the migrations and the start-up
// build fill them with, and what the consumers' held writes leave, against
// what the projector maintains event by event (fast_path_fixture_for_test.h).
#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/reporting/fast_path_fixture_for_test.h"
#include "services/reporting/projector.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/reporting_schema.h"

namespace clientele::reporting {
namespace {

using testing::FastPathEquivalenceTest;
using testing::TableLines;

// The aggregates' migration fills them, on a database that has events, with
// what the projector would have maintained (zero rows aside).
TEST_F(FastPathEquivalenceTest, TheMigrationBuildsWhatTheProjectorMaintains) {
  RunHistory(11, 200, 200);
  RunHistory(12, 100, 100);
  ASSERT_FALSE(HasFailure());
  const std::vector<std::string> tables = {"report_horizon",
                                           "tenant_currency_counts",
                                           "account_cells",
                                           "cell_counts",
                                           "cell_revenue_blocks",
                                           "account_cells_pending",
                                           "deal_stage_weights",
                                           "deal_cells",
                                           "deal_months",
                                           "manager_cells",
                                           "manager_revenue_blocks",
                                           "staff_activity_blocks",
                                           "staff_open_tickets",
                                           "retention_cohort_days",
                                           "retention_active",
                                           "retention_late",
                                           "retention_money",
                                           "at_risk_revenue",
                                           "at_risk_state",
                                           "support_tickets",
                                           "support_blocks",
                                           "support_backlog",
                                           "support_backlog_now",
                                           "support_unsynced",
                                           "staff_numbers",
                                           "workload_blocks",
                                           "follow_up_counts",
                                           "follow_ups_open",
                                           "follow_ups_unsynced",
                                           "funnel_accounts",
                                           "funnel_blocks",
                                           "funnel_revenue",
                                           "funnel_unsynced"};
  std::vector<std::string> maintained;
  std::vector<std::string> rebuilt;
  const absl::Status status = database()->Write([&](sql::Transaction& txn) {
    absl::StatusOr<std::vector<std::string>> before = TableLines(txn, tables);
    if (!before.ok()) return before.status();
    maintained = *std::move(before);
    for (const char* table :
         {"report_horizon", "tenant_currency_counts", "account_cells",
          "cell_counts", "cell_revenue_blocks", "deal_stage_weights",
          "deal_cells", "manager_cells", "manager_revenue_blocks",
          "staff_activity_blocks", "staff_open_tickets"}) {
      absl::Status deleted =
          txn.Exec(absl::StrCat("DELETE FROM ", table)).status();
      if (!deleted.ok()) return deleted;
    }
    const std::string deals_sql = DealAggregatesSql();
    const std::string workload_sql = WorkloadAggregatesSql();
    for (const absl::string_view migration :
         {absl::string_view(kReportAggregatesSql), absl::string_view(deals_sql),
          absl::string_view(workload_sql)}) {
      // What fills the tables (the UPDATE: account_cells' manager).
      for (absl::string_view statement : absl::StrSplit(migration, ';')) {
        if (!absl::StrContains(statement, "INSERT") &&
            !absl::StrContains(statement, "UPDATE account_cells")) {
          continue;
        }
        absl::Status inserted = txn.Exec(statement).status();
        if (!inserted.ok()) return inserted;
      }
    }
    // deal_months from its own backfill (the triggers have just filled it
    // again from the deal cells rebuilt above).
    absl::Status emptied = txn.Exec("DELETE FROM deal_months").status();
    if (!emptied.ok()) return emptied;
    const std::string deal_months_sql = DealMonthsSql();
    for (absl::string_view statement : absl::StrSplit(deal_months_sql, ';')) {
      if (!absl::StrContains(statement, "INSERT") ||
          absl::StrContains(statement, "TRIGGER")) {
        continue;
      }
      absl::Status inserted = txn.Exec(statement).status();
      if (!inserted.ok()) return inserted;
    }
    // The retention tables as the service builds them at start on a
    // database migrated with events in it.
    for (const char* table :
         {"retention_cohort_days", "retention_active", "retention_late",
          "retention_money", "retention_state"}) {
      absl::Status deleted =
          txn.Exec(absl::StrCat("DELETE FROM ", table)).status();
      if (!deleted.ok()) return deleted;
    }
    for (absl::string_view statement :
         absl::StrSplit(kRetentionAggregatesSql, ';')) {
      if (!absl::StrContains(statement, "INSERT")) continue;
      absl::Status inserted = txn.Exec(statement).status();
      if (!inserted.ok()) return inserted;
    }
    absl::StatusOr<std::vector<sql::Row>> unbuilt = txn.Query(
        "SELECT tenant FROM retention_state WHERE built = 0 ORDER BY tenant");
    if (!unbuilt.ok()) return unbuilt.status();
    if (unbuilt->size() != 1 || (*unbuilt)[0].String(0) != "acme") {
      return absl::InternalError("the migration should mark acme unbuilt");
    }
    absl::Status built = BuildRetentionAggregates(txn, "acme");
    if (!built.ok()) return built;
    // The at-risk ranking as the first transaction after the migration
    // builds it from the rows.
    for (const char* table : {"at_risk_revenue", "at_risk_state"}) {
      absl::Status deleted =
          txn.Exec(absl::StrCat("DELETE FROM ", table)).status();
      if (!deleted.ok()) return deleted;
    }
    absl::Status ranked = projector_internal::AdvanceAtRiskWindow(txn, "acme");
    if (!ranked.ok()) return ranked;
    // The support and workload agent tables as the service builds them at
    // start: every ticket and follow-up unsynced by the migrations, then
    // counted.
    for (const char* table :
         {"support_tickets", "support_blocks", "support_backlog",
          "support_backlog_now", "support_unsynced", "workload_blocks",
          "follow_up_counts", "follow_ups_open", "follow_ups_unsynced"}) {
      absl::Status deleted =
          txn.Exec(absl::StrCat("DELETE FROM ", table)).status();
      if (!deleted.ok()) return deleted;
    }
    for (const char* migration :
         {kSupportAggregatesSql, kWorkloadAgentAggregatesSql}) {
      for (absl::string_view statement : absl::StrSplit(migration, ';')) {
        if (!absl::StrContains(statement, "INSERT")) continue;
        absl::Status inserted = txn.Exec(statement).status();
        if (!inserted.ok()) return inserted;
      }
    }
    absl::Status counted = projector_internal::SyncCounts(txn, {}, {});
    if (!counted.ok()) return counted;
    absl::Status summed = projector_internal::RefreshBacklogNow(txn, "acme");
    if (!summed.ok()) return summed;
    // The funnel's tables as the service builds them at start: every live
    // account unsynced by the migration, then counted.
    for (const char* table : {"funnel_accounts", "funnel_blocks",
                              "funnel_revenue", "funnel_unsynced"}) {
      absl::Status deleted =
          txn.Exec(absl::StrCat("DELETE FROM ", table)).status();
      if (!deleted.ok()) return deleted;
    }
    for (absl::string_view statement :
         absl::StrSplit(kFunnelAggregatesSql, ';')) {
      if (!absl::StrContains(statement, "INSERT")) continue;
      absl::Status inserted = txn.Exec(statement).status();
      if (!inserted.ok()) return inserted;
    }
    absl::Status funneled = projector_internal::SyncFunnelAccounts(txn, {});
    if (!funneled.ok()) return funneled;
    absl::StatusOr<std::vector<std::string>> after = TableLines(txn, tables);
    if (!after.ok()) return after.status();
    rebuilt = *std::move(after);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_GT(maintained.size(), 20u);
  // The rows only one side has (both are sorted), rather than two long
  // lists gtest would cut short.
  std::vector<std::string> only_maintained;
  std::vector<std::string> only_rebuilt;
  std::set_difference(maintained.begin(), maintained.end(), rebuilt.begin(),
                      rebuilt.end(), std::back_inserter(only_maintained));
  std::set_difference(rebuilt.begin(), rebuilt.end(), maintained.begin(),
                      maintained.end(), std::back_inserter(only_rebuilt));
  EXPECT_EQ(only_maintained, std::vector<std::string>());
  EXPECT_EQ(only_rebuilt, std::vector<std::string>());
}

// The consumers' way (Projector::ApplyHeld: sums and maxima held for the
// whole transaction, written at its end) leaves every table of the read
// model as applying each event on its own does, on random histories cut
// into transactions of random sizes.
TEST_F(FastPathEquivalenceTest, HeldWritesLeaveWhatEventByEventWritesLeave) {
  RunHistory(21, 300, 300);
  RunHistory(22, 150, 150);
  ASSERT_FALSE(HasFailure());
  clientele::testing::TempDir dir;
  auto held = clientele::testing::OpenSqliteForTest(dir, "held.db");
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_TRUE((*held)->Migrate(ReportingMigrations()).ok());
  const Projector projector;
  std::mt19937 random(23);
  size_t next = 0;
  int transactions = 0;
  while (next < applied().size()) {
    const size_t end =
        std::min(applied().size(),
                 next + std::uniform_int_distribution<size_t>(1, 64)(random));
    const absl::Status status = (*held)->Write([&](sql::Transaction& txn) {
      for (size_t i = next; i < end; ++i) {
        events::StreamEvent entry;
        entry.event_id = applied()[i].second.event_id();
        entry.tenant = applied()[i].second.tenant();
        entry.payload = applied()[i].second.SerializeAsString();
        absl::Status applied_one =
            projector.ApplyHeld(txn, applied()[i].first, entry);
        if (!applied_one.ok()) {
          projector.FinishTransaction(txn, false).IgnoreError();
          return applied_one;
        }
      }
      return projector.FinishTransaction(txn, true);
    });
    ASSERT_TRUE(status.ok()) << status;
    next = end;
    ++transactions;
  }
  EXPECT_GT(transactions, 5);

  // Every table but the migrations' own.
  std::vector<std::string> tables;
  for (const sql::Row& row :
       Query("SELECT name FROM sqlite_master WHERE type = 'table' AND "
             "name NOT LIKE 'sqlite%' AND name != 'schema_migrations' "
             "ORDER BY name")) {
    tables.push_back(row.String(0));
  }
  ASSERT_GT(tables.size(), 20u);
  absl::StatusOr<std::vector<std::string>> one_by_one =
      Read([&](sql::Transaction& txn) { return TableLines(txn, tables); });
  ASSERT_TRUE(one_by_one.ok()) << one_by_one.status();
  std::vector<std::string> batched;
  ASSERT_TRUE((*held)
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(batched, TableLines(txn, tables));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_GT(one_by_one->size(), 500u);
  EXPECT_EQ(*one_by_one, batched);
}

}  // namespace
}  // namespace clientele::reporting

// Test-only: reporting's read model over a real SQLite file, fed the way
// production feeds it (events through Projector::ApplyEvent, never rows
// inserted by hand), with the event builders of reporting_events_for_test.h.
//
//   class PortfolioReportTest : public testing::ReportingFixture {};
//   TEST_F(PortfolioReportTest, ...) {
//     Apply("contacts", testing::AccountCreated(
//                           {.id = "a1", .time = Utc(2024, 1, 1)}));
//     Apply("engagement", testing::Interaction(
//                             {.account = "a1", .time = Utc(2024, 2, 1),
//                              .kind = events::v1::INTERACTION_KIND_PURCHASE,
//                              .amount = 1000, .currency = "EUR"}));
//     auto report = Read([&](sql::Transaction& txn) {
//       return BuildPortfolioReport(txn, testing::Scope("acme", from, to,
//                                                       as_of));
//     });
//   }
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_FIXTURE_FOR_TEST_H_

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/proto_time.h"
#include "common/sql/database.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/reporting/projector.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/reporting_events_for_test.h"
#include "services/reporting/reporting_schema.h"

namespace clientele::reporting::testing {

// ---- the fixture ------------------------------------------------------

// A scope over [start, end) as of `as_of` (now = as_of), no filter.
inline ReportScope Scope(const std::string& tenant, absl::Time start,
                         absl::Time end, absl::Time as_of,
                         const std::string& currency = "EUR") {
  ReportScope scope;
  scope.tenant = tenant;
  scope.start_us = ToMicros(start);
  scope.end_us = ToMicros(end);
  scope.as_of_us = ToMicros(as_of);
  scope.now_us = ToMicros(as_of);
  scope.currency = currency;
  return scope;
}

class ReportingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = clientele::testing::OpenSqliteForTest(dir_, "reporting.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
    const auto migrated = database_->Migrate(ReportingMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.status();
  }

  // Applies `event` from `stream` ("contacts", "engagement", "ticketing") in
  // its own transaction, as the consumer does; an empty event_id gets a
  // unique one.
  void Apply(absl::string_view stream, events::v1::Event event) {
    if (event.event_id().empty()) {
      event.set_event_id(UniqueIdForTest("event-"));
    }
    const absl::Status status = database_->Write([&](sql::Transaction& txn) {
      return projector_.ApplyEvent(txn, stream, event);
    });
    ASSERT_TRUE(status.ok()) << status << "\n" << event.DebugString();
    applied_.emplace_back(std::string(stream), std::move(event));
  }

  // Every event Apply applied, with its stream, in order.
  const std::vector<std::pair<std::string, events::v1::Event>>& applied()
      const {
    return applied_;
  }

  // Runs `body(txn)` in a read transaction and returns what it returns
  // (absl::Status or absl::StatusOr<T>), or the error that kept it from
  // running.
  template <typename Body>
  std::invoke_result_t<Body&, sql::Transaction&> Read(Body&& body) {
    std::optional<std::invoke_result_t<Body&, sql::Transaction&>> result;
    const absl::Status status = database_->Read([&](sql::Transaction& txn) {
      result.emplace(body(txn));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *std::move(result);
  }

  // The rows of one query (a test failure and no rows on error).
  std::vector<sql::Row> Query(absl::string_view sql,
                              std::vector<sql::Value> params = {}) {
    std::vector<sql::Row> rows;
    const absl::Status status = database_->Read([&](sql::Transaction& txn) {
      auto result = txn.Query(sql, params);
      if (!result.ok()) return result.status();
      rows = *std::move(result);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status << "\n" << sql;
    return rows;
  }

  // The one integer a query answers (-1 and a test failure when it answers
  // no row).
  int64_t QueryInt(absl::string_view sql, std::vector<sql::Value> params = {}) {
    const std::vector<sql::Row> rows = Query(sql, std::move(params));
    EXPECT_FALSE(rows.empty()) << sql;
    return rows.empty() ? -1 : rows.front().Int(0);
  }

  sql::Database* database() { return database_.get(); }
  const Projector& projector() const { return projector_; }

 private:
  clientele::testing::TempDir dir_;
  std::unique_ptr<sql::Database> database_;
  Projector projector_;
  std::vector<std::pair<std::string, events::v1::Event>> applied_;
};

}  // namespace clientele::reporting::testing

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_FIXTURE_FOR_TEST_H_

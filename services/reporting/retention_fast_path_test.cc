// Retention from its maintained tables (projector_retention.cc) on the
// cases random histories reach rarely: contracts that start later in a
// month that runs past as_of, and contracts without end beside payments.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/reporting/fast_path_fixture_for_test.h"
#include "services/reporting/retention_report.h"

namespace clientele::reporting {
namespace {

using testing::AccountFields;
using testing::FastPathEquivalenceTest;
using testing::Utc;

class RetentionFastPathTest : public FastPathEquivalenceTest {
 protected:
  // An account on a monthly subscription whose contract starts on
  // `contract_start` (no end), acquired on `acquired`, created at `time`.
  static AccountFields Subscriber(const std::string& id, absl::Time time,
                                  absl::CivilDay acquired,
                                  absl::CivilDay contract_start) {
    AccountFields account;
    account.id = id;
    account.time = time;
    account.acquisition_date = acquired;
    account.model = type::v1::COMMERCIAL_MODEL_SUBSCRIPTION;
    account.billing_cycle = type::v1::BILLING_CYCLE_MONTHLY;
    account.contract_start = contract_start;
    return account;
  }

  // The monthly triangle of `scope`, both ways (BothWays).
  std::optional<v1::RetentionReport> MonthlyRetention(const ReportScope& scope,
                                                      const std::string& what) {
    RetentionOptions options;
    options.period = v1::COHORT_PERIOD_MONTH;
    return BothWays(scope, what,
                    [&](sql::Transaction& txn, const ReportScope& read) {
                      return BuildRetentionReport(txn, read, options);
                    });
  }
};

// A month that runs past as_of counts an account active only by a contract
// from the contract's first day on: a contract signed to start later in
// the month is not activity yet (retention_late).
TEST_F(RetentionFastPathTest, AContractStartingLaterThisMonthIsNotActiveYet) {
  Apply("contacts", testing::AccountCreated(Subscriber(
                        "a-later", Utc(2024, 3, 2), absl::CivilDay(2024, 1, 15),
                        absl::CivilDay(2024, 3, 20))));
  for (const auto& [as_of, active] : std::vector<std::pair<absl::Time, int>>{
           {Utc(2024, 3, 10), 0}, {Utc(2024, 3, 20, 0, 1), 1}}) {
    const auto report = MonthlyRetention(
        testing::Scope("acme", Utc(2024, 1, 1), Utc(2024, 4, 1), as_of),
        absl::StrCat("as of ", absl::FormatTime(as_of)));
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->cohorts_size(), 3);
    const v1::Cohort& january = report->cohorts(0);
    EXPECT_EQ(january.initial_accounts(), 1);
    ASSERT_EQ(january.points_size(), 3);
    EXPECT_EQ(january.points(0).active_accounts(), 0);  // no revenue
    EXPECT_EQ(january.points(2).active_accounts(), active);
    EXPECT_TRUE(january.points(2).partial());
  }
}

// An account with a contract without end that also pays every month is
// one active account each month, not one per reason.
TEST_F(RetentionFastPathTest, AnOpenContractAndPaymentsCountOnce) {
  Apply("contacts", testing::AccountCreated(Subscriber(
                        "a-open", Utc(2024, 1, 5), absl::CivilDay(2024, 1, 5),
                        absl::CivilDay(2024, 1, 10))));
  for (int month = 2; month <= 3; ++month) {
    Apply("engagement",
          testing::Interaction(
              {.id = absl::StrCat("pay-", month),
               .account = "a-open",
               .time = Utc(2024, month, 10),
               .kind = events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT,
               .amount = 5000,
               .currency = "EUR"}));
  }
  const auto report = MonthlyRetention(
      testing::Scope("acme", Utc(2024, 1, 1), Utc(2024, 2, 1), Utc(2024, 5, 1)),
      "an open contract and payments");
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->cohorts_size(), 1);
  ASSERT_EQ(report->cohorts(0).points_size(), 4);
  for (const v1::RetentionPoint& point : report->cohorts(0).points()) {
    EXPECT_EQ(point.active_accounts(), 1) << point.period_index();
  }
}

}  // namespace
}  // namespace clientele::reporting

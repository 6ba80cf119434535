// Retention by acquisition cohort on a golden data set fed as events, every
// figure computed by hand in the comments.
#include "services/reporting/retention_report.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::AccountFields;
using ::clientele::reporting::testing::Interaction;
using ::clientele::reporting::testing::Scope;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kPurchase = events::v1::INTERACTION_KIND_PURCHASE;
constexpr auto kRetainer = events::v1::INTERACTION_KIND_RETAINER_INVOICE;
constexpr auto kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr auto kClient = type::v1::RELATIONSHIP_MODE_CLIENT;
constexpr auto kUnscored = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;

// The golden set. Monthly cohorts of [2025-01-01, 2025-04-01): January,
// February, March. As of 2025-05-15: periods Jan..May, May partial
// ([05-01, 05-15)). Revenue in EUR minor units.
//
// acct  acquired  mode at as_of  activity
// a1    01-05     CUSTOMER       Jan 10000, Feb 5000, Apr 20000
// a2    01-20     CUSTOMER       Jan 20000, Mar 20000, May 10 09:00 10000
// a3    01-31     CLIENT         contract 02-01..03-31, retainer 02-01 30000
//                                (not active in January: no revenue, no
//                                contract yet; active in March: contract)
// a4    01-02     not scored     Jan 999 USD (active, 0 EUR)
// b1    02-14     CLIENT         Feb 40000, Mar 50000, Apr 50000, 05-16
//                                50000 (after as_of)
// b2    02-28     CUSTOMER       02-28 23:59 8000 (Feb), 03-01 00:00 2000 (Mar)
// m1    03-31     not scored     none
// o1    2024-12-31               Jan 5000: acquired before the range
// o2    04-01                    Apr 5000: acquired at the range's end
// dd    01-10     deleted 05-01  Jan 7000: left out (history included)
// globex/g1 01-10                Jan 1234: never in acme's report
//
// January cohort: 4 accounts, initial revenue 10000 + 20000 = 30000.
// k  active         rate  revenue  GRR (sum min(rev_k, rev_0))  NRR
// 0  a1 a2 a4 (3)   3/4   30000    10000 + 20000 = 30000 -> 1    1
// 1  a1 a3 (2)      2/4   35000    5000 + min(30000, 0) -> 1/6  7/6
// 2  a2 a3 (2)      2/4   20000    20000 -> 2/3                 2/3
// 3  a1 (1)         1/4   20000    min(20000, 10000) -> 1/3     2/3
// 4  a2 (1) partial 1/4   10000    10000 -> 1/3                 1/3
// February cohort: 2 accounts, initial revenue 40000 + 8000 = 48000.
// 0  b1 b2 (2)      1     48000    48000 -> 1                   1
// 1  b1 b2 (2)      1     52000    40000 + 2000 -> 7/8          13/12
// 2  b1 (1)         1/2   50000    40000 -> 5/6                 25/24
// 3  none, partial  0     0        0                            0
// March cohort: m1, never active, no revenue: every rate 0 but churn 1.
class RetentionReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    Account("a1", absl::CivilDay(2025, 1, 5));
    Account("a2", absl::CivilDay(2025, 1, 20));
    Apply("contacts",
          AccountCreated({.id = "a3",
                          .time = Utc(2025, 1, 31),
                          .acquisition_date = absl::CivilDay(2025, 1, 31),
                          .model = type::v1::COMMERCIAL_MODEL_RETAINER,
                          .billing_cycle = type::v1::BILLING_CYCLE_MONTHLY,
                          .recurring_minor = 30000,
                          .contract_start = absl::CivilDay(2025, 2, 1),
                          .contract_end = absl::CivilDay(2025, 3, 31)}));
    Account("a4", absl::CivilDay(2025, 1, 2));
    Account("b1", absl::CivilDay(2025, 2, 14));
    Account("b2", absl::CivilDay(2025, 2, 28));
    Account("m1", absl::CivilDay(2025, 3, 31));
    Account("o1", absl::CivilDay(2024, 12, 31));
    Account("o2", absl::CivilDay(2025, 4, 1));
    Account("dd", absl::CivilDay(2025, 1, 10));
    Account("g1", absl::CivilDay(2025, 1, 10), "globex");

    for (const char* id : {"a1", "a2", "b2"}) Score(id, kCustomer);
    for (const char* id : {"a3", "b1"}) Score(id, kClient);

    Pay("a1", Utc(2025, 1, 10), 10000);
    Pay("a1", Utc(2025, 2, 10), 5000);
    Pay("a1", Utc(2025, 4, 10), 20000);
    Pay("a2", Utc(2025, 1, 25), 20000);
    Pay("a2", Utc(2025, 3, 25), 20000);
    Pay("a2", Utc(2025, 5, 10, 9, 0), 10000);
    Pay("a3", Utc(2025, 2, 1), 30000, kRetainer);
    Pay("a4", Utc(2025, 1, 15), 999, kPurchase, "USD");
    Pay("b1", Utc(2025, 2, 14), 40000);
    Pay("b1", Utc(2025, 3, 14), 50000, kRetainer);
    Pay("b1", Utc(2025, 4, 14), 50000, kRetainer);
    Pay("b1", Utc(2025, 5, 16), 50000, kRetainer);
    Pay("b2", Utc(2025, 2, 28, 23, 59), 8000);
    Pay("b2", Utc(2025, 3, 1), 2000);
    Pay("o1", Utc(2025, 1, 10), 5000);
    Pay("o2", Utc(2025, 4, 10), 5000);
    Pay("dd", Utc(2025, 1, 10), 7000);
    Pay("g1", Utc(2025, 1, 10), 1234, kPurchase, "EUR", "globex");
    Apply("contacts", AccountDeleted("dd", Utc(2025, 5, 1)));
  }

  void Account(const std::string& id, absl::CivilDay acquired,
               const std::string& tenant = "acme") {
    Apply(
        "contacts",
        AccountCreated({.tenant = tenant,
                        .id = id,
                        .time = absl::FromCivil(acquired, absl::UTCTimeZone()),
                        .acquisition_date = acquired}));
  }
  void Score(const std::string& id, type::v1::RelationshipMode mode) {
    Apply("engagement",
          ScoreChanged({.account = id, .time = Utc(2025, 4, 1), .mode = mode}));
  }
  void Pay(const std::string& account, absl::Time time, int64_t amount,
           events::v1::InteractionKind kind = kPurchase,
           const std::string& currency = "EUR",
           const std::string& tenant = "acme") {
    Apply("engagement", Interaction({.account = account,
                                     .time = time,
                                     .kind = kind,
                                     .amount = amount,
                                     .currency = currency},
                                    tenant));
  }

  absl::StatusOr<v1::RetentionReport> Build(const ReportScope& scope,
                                            v1::CohortPeriod period,
                                            bool split_by_mode = false) {
    return Read([&](sql::Transaction& txn) {
      return BuildRetentionReport(txn, scope, {period, split_by_mode});
    });
  }

  absl::StatusOr<std::vector<std::string>> Accounts(
      absl::CivilDay cohort, std::optional<int> period_index = std::nullopt,
      type::v1::RelationshipMode mode = kUnscored, bool split = false,
      const ReportScope* scope = nullptr) {
    v1::RetentionAggregate aggregate;
    aggregate.mutable_cohort_start_date()->set_year(
        static_cast<int32_t>(cohort.year()));
    aggregate.mutable_cohort_start_date()->set_month(cohort.month());
    aggregate.mutable_cohort_start_date()->set_day(cohort.day());
    // A mode row (UNSPECIFIED: the accounts not scored) only when split.
    if (split || mode != kUnscored) aggregate.set_mode(mode);
    if (period_index) aggregate.set_period_index(*period_index);
    return Read([&](sql::Transaction& txn) {
      return RetentionAccounts(txn, scope ? *scope : scope_,
                               {v1::COHORT_PERIOD_MONTH, split}, aggregate);
    });
  }

  const ReportScope scope_ =
      Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 5, 15));
};

struct Expected {
  int active;
  int64_t revenue;
  double gross;
  double net;
  bool partial = false;
};

void ExpectPoints(const v1::Cohort& cohort,
                  const std::vector<Expected>& expected) {
  ASSERT_EQ(cohort.points_size(), static_cast<int>(expected.size()));
  for (size_t k = 0; k < expected.size(); ++k) {
    SCOPED_TRACE(k);
    const v1::RetentionPoint& point = cohort.points(static_cast<int>(k));
    const double rate =
        cohort.initial_accounts() == 0
            ? 0.0
            : 1.0 * expected[k].active / cohort.initial_accounts();
    EXPECT_EQ(point.period_index(), static_cast<int>(k));
    EXPECT_EQ(point.active_accounts(), expected[k].active);
    EXPECT_DOUBLE_EQ(point.retention_rate(), rate);
    EXPECT_DOUBLE_EQ(point.logo_churn_rate(),
                     cohort.initial_accounts() == 0 ? 0.0 : 1.0 - rate);
    EXPECT_EQ(point.revenue().currency_code(), "EUR");
    EXPECT_EQ(point.revenue().amount_minor_units(), expected[k].revenue);
    EXPECT_DOUBLE_EQ(point.gross_revenue_retention(), expected[k].gross);
    EXPECT_DOUBLE_EQ(point.net_revenue_retention(), expected[k].net);
    EXPECT_EQ(point.partial(), expected[k].partial);
  }
}

std::string DateOf(const v1::Cohort& cohort) {
  return absl::StrCat(cohort.cohort_start_date().year(), "-",
                      cohort.cohort_start_date().month(), "-",
                      cohort.cohort_start_date().day());
}

TEST_F(RetentionReportTest, DrawsTheMonthlyTriangle) {
  const auto report = Build(scope_, v1::COHORT_PERIOD_MONTH);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->period(), v1::COHORT_PERIOD_MONTH);
  ASSERT_EQ(report->cohorts_size(), 3);

  const v1::Cohort& january = report->cohorts(0);
  EXPECT_EQ(DateOf(january), "2025-1-1");
  EXPECT_EQ(january.mode(), kUnscored);
  EXPECT_EQ(january.initial_accounts(), 4);
  EXPECT_EQ(january.initial_revenue().amount_minor_units(), 30000);
  ExpectPoints(january, {{3, 30000, 1.0, 1.0},
                         {2, 35000, 1.0 / 6, 7.0 / 6},
                         {2, 20000, 2.0 / 3, 2.0 / 3},
                         {1, 20000, 1.0 / 3, 2.0 / 3},
                         {1, 10000, 1.0 / 3, 1.0 / 3, true}});

  const v1::Cohort& february = report->cohorts(1);
  EXPECT_EQ(DateOf(february), "2025-2-1");
  EXPECT_EQ(february.initial_accounts(), 2);
  EXPECT_EQ(february.initial_revenue().amount_minor_units(), 48000);
  ExpectPoints(february, {{2, 48000, 1.0, 1.0},
                          {2, 52000, 7.0 / 8, 13.0 / 12},
                          {1, 50000, 5.0 / 6, 25.0 / 24},
                          {0, 0, 0, 0, true}});

  const v1::Cohort& march = report->cohorts(2);
  EXPECT_EQ(DateOf(march), "2025-3-1");
  EXPECT_EQ(march.initial_accounts(), 1);
  EXPECT_EQ(march.initial_revenue().amount_minor_units(), 0);
  ExpectPoints(march, {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0, true}});
  EXPECT_DOUBLE_EQ(march.points(0).logo_churn_rate(), 1.0);
}

// One quarterly cohort, Q1 2025 (a1..a4, b1, b2, m1: 7 accounts), as of
// 05-15: Q1 and Q2 (partial).
//   Q1 revenue: a1 15000, a2 40000, a3 30000, b1 90000, b2 10000 = 185000;
//      active: all but m1 (6).
//   Q2: a1 20000, a2 10000, b1 50000 = 80000, active 3; GRR
//      min(20000, 15000) + min(10000, 40000) + min(50000, 90000) = 75000.
TEST_F(RetentionReportTest, DrawsQuarters) {
  const auto report = Build(scope_, v1::COHORT_PERIOD_QUARTER);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->cohorts_size(), 1);
  EXPECT_EQ(DateOf(report->cohorts(0)), "2025-1-1");
  EXPECT_EQ(report->cohorts(0).initial_accounts(), 7);
  EXPECT_EQ(report->cohorts(0).initial_revenue().amount_minor_units(), 185000);
  ExpectPoints(report->cohorts(0),
               {{6, 185000, 1.0, 1.0},
                {3, 80000, 75000.0 / 185000, 80000.0 / 185000, true}});
}

// Rows per cohort and mode at as_of, only those with accounts, modes in
// the order CUSTOMER, TRANSITIONING, CLIENT, not scored.
//   Jan CUSTOMER a1 a2: initial 30000; k=1 a1 5000 (GRR, NRR 1/6)
//   Jan CLIENT a3; Jan not scored a4; Feb CUSTOMER b2; Feb CLIENT b1;
//   Mar not scored m1.
TEST_F(RetentionReportTest, SplitsByMode) {
  const auto report = Build(scope_, v1::COHORT_PERIOD_MONTH, true);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> rows;
  for (const v1::Cohort& cohort : report->cohorts()) {
    rows.push_back(absl::StrCat(DateOf(cohort), " ",
                                type::v1::RelationshipMode_Name(cohort.mode()),
                                " ", cohort.initial_accounts()));
  }
  EXPECT_THAT(rows, ElementsAre("2025-1-1 RELATIONSHIP_MODE_CUSTOMER 2",
                                "2025-1-1 RELATIONSHIP_MODE_CLIENT 1",
                                "2025-1-1 RELATIONSHIP_MODE_UNSPECIFIED 1",
                                "2025-2-1 RELATIONSHIP_MODE_CUSTOMER 1",
                                "2025-2-1 RELATIONSHIP_MODE_CLIENT 1",
                                "2025-3-1 RELATIONSHIP_MODE_UNSPECIFIED 1"));
  ExpectPoints(report->cohorts(0), {{2, 30000, 1.0, 1.0},
                                    {1, 5000, 1.0 / 6, 1.0 / 6},
                                    {1, 20000, 2.0 / 3, 2.0 / 3},
                                    {1, 20000, 1.0 / 3, 2.0 / 3},
                                    {1, 10000, 1.0 / 3, 1.0 / 3, true}});
}

TEST_F(RetentionReportTest, DrillsDownToExactlyTheAccountsCounted) {
  const absl::CivilDay january(2025, 1, 1);
  EXPECT_THAT(*Accounts(january), ElementsAre("a1", "a2", "a3", "a4"));
  EXPECT_THAT(*Accounts(january, 0), ElementsAre("a1", "a2", "a4"));
  EXPECT_THAT(*Accounts(january, 1), ElementsAre("a1", "a3"));
  EXPECT_THAT(*Accounts(january, 2), ElementsAre("a2", "a3"));
  EXPECT_THAT(*Accounts(january, 4), ElementsAre("a2"));
  EXPECT_THAT(*Accounts(absl::CivilDay(2025, 2, 1), 3), IsEmpty());
  EXPECT_THAT(*Accounts(january, std::nullopt, kClient), ElementsAre("a3"));
  EXPECT_THAT(*Accounts(january, 1, kCustomer), ElementsAre("a1"));
  // Split by mode, UNSPECIFIED is the row of the accounts not scored.
  EXPECT_THAT(*Accounts(january, std::nullopt, kUnscored, true),
              ElementsAre("a4"));

  struct Bad {
    absl::CivilDay cohort;
    std::optional<int> period_index;
    const char* field;
  };
  for (const Bad& bad : {
           Bad{absl::CivilDay(2025, 1, 2), std::nullopt,
               "aggregate.retention.cohort_start_date"},
           Bad{absl::CivilDay(2024, 12, 1), std::nullopt,
               "aggregate.retention.cohort_start_date"},
           Bad{absl::CivilDay(2025, 4, 1), std::nullopt,
               "aggregate.retention.cohort_start_date"},
           Bad{january, 5, "aggregate.retention.period_index"},
           Bad{absl::CivilDay(2025, 3, 1), 3,
               "aggregate.retention.period_index"},
       }) {
    const auto ids = Accounts(bad.cohort, bad.period_index);
    ASSERT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldViolationsOf(ids.status()).at(0).field, bad.field);
  }
}

// a2's May purchase is at 05-10 09:00: as of that very moment it has not
// happened yet, a minute later it has. The running period is partial.
TEST_F(RetentionReportTest, CountsActivityUpToAsOf) {
  ReportScope scope = scope_;
  scope.as_of_us = ToMicros(Utc(2025, 5, 10, 9, 0));
  auto report = Build(scope, v1::COHORT_PERIOD_MONTH);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->cohorts(0).points(4).active_accounts(), 0);
  EXPECT_TRUE(report->cohorts(0).points(4).partial());
  EXPECT_THAT(
      *Accounts(absl::CivilDay(2025, 1, 1), 4, kUnscored, false, &scope),
      IsEmpty());

  scope.as_of_us = ToMicros(Utc(2025, 5, 10, 9, 1));
  report = Build(scope, v1::COHORT_PERIOD_MONTH);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->cohorts(0).points(4).active_accounts(), 1);
  EXPECT_EQ(report->cohorts(0).points(4).revenue().amount_minor_units(), 10000);

  // As of 04-01 00:00: April has not started; March is complete.
  scope.as_of_us = ToMicros(Utc(2025, 4, 1));
  report = Build(scope, v1::COHORT_PERIOD_MONTH);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->cohorts(0).points_size(), 3);
  EXPECT_FALSE(report->cohorts(0).points(2).partial());
  EXPECT_EQ(report->cohorts(2).points_size(), 1);
}

TEST_F(RetentionReportTest, KeepsTenantsApart) {
  const auto report =
      Build(Scope("globex", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 5, 15)),
            v1::COHORT_PERIOD_MONTH);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->cohorts_size(), 3);
  EXPECT_EQ(report->cohorts(0).initial_accounts(), 1);
  EXPECT_EQ(report->cohorts(0).initial_revenue().amount_minor_units(), 1234);
  EXPECT_EQ(report->cohorts(1).initial_accounts(), 0);
  ExpectPoints(report->cohorts(1),
               {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0, true}});
}

// Guards: too many cohorts, or cohorts too far before as_of.
TEST_F(RetentionReportTest, RefusesTrianglesTooLarge) {
  const auto cohorts =
      Build(Scope("acme", Utc(2000, 1, 1), Utc(2025, 1, 1), Utc(2025, 5, 15)),
            v1::COHORT_PERIOD_MONTH);
  ASSERT_EQ(cohorts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(cohorts.status()).at(0).field, "time_range");
  EXPECT_TRUE(
      Build(Scope("acme", Utc(2000, 1, 1), Utc(2025, 1, 1), Utc(2025, 5, 15)),
            v1::COHORT_PERIOD_YEAR)
          .ok());
  const auto periods =
      Build(Scope("acme", Utc(1800, 1, 1), Utc(1800, 2, 1), Utc(2025, 5, 15)),
            v1::COHORT_PERIOD_MONTH);
  ASSERT_EQ(periods.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(periods.status()).at(0).field, "time_range");
}

}  // namespace
}  // namespace clientele::reporting

// The portfolio report on a golden data set fed as events, every figure
// computed by hand in the comments.
#include "services/reporting/portfolio_report.h"

#include <optional>
#include <string>
#include <vector>

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::Interaction;
using ::clientele::reporting::testing::Scope;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kPurchase = events::v1::INTERACTION_KIND_PURCHASE;
constexpr auto kRefund = events::v1::INTERACTION_KIND_REFUND;
constexpr auto kRetainer = events::v1::INTERACTION_KIND_RETAINER_INVOICE;
constexpr auto kSubscription =
    events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT;
constexpr auto kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr auto kTransitioning = type::v1::RELATIONSHIP_MODE_TRANSITIONING;
constexpr auto kClient = type::v1::RELATIONSHIP_MODE_CLIENT;
constexpr auto kUnscored = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
constexpr auto kAtRisk = type::v1::SCORE_BAND_AT_RISK;
constexpr auto kNeedsAttention = type::v1::SCORE_BAND_NEEDS_ATTENTION;
constexpr auto kHealthy = type::v1::SCORE_BAND_HEALTHY;
constexpr auto kStrong = type::v1::SCORE_BAND_STRONG;

// The golden set. Range [2025-01-01, 2025-04-01), as of 2025-04-01, EUR.
// Revenue in minor units: rec = recurring, tra = transactional.
//
// acct  tier        mode at 04-01 (score band)    revenue in range
// c1    enterprise  CLIENT (80 STRONG)            rec 100000 on 01-31, 02-28
//                                                 and 03-31 23:59 = 300000
// c2    enterprise  CLIENT (45 NEEDS_ATTENTION)   rec 50000 (02-15),
//                                                 tra 20000 (03-10)
// t1    standard    TRANSITIONING (60 HEALTHY)    tra 111 (01-10 11:59) +
//                   since 03-01; CUSTOMER (55     30000 (01-10 12:00);
//                   HEALTHY) before               rec 5000 (02-01 00:00)
// u1    standard    CUSTOMER (70 HEALTHY)         tra 4000 (01-01 00:00)
//                                                 - 1000 refund (02-10);
//                                                 not 7000 (12-31 23:59) nor
//                                                 10000 (04-01 00:00)
// u2    standard    CUSTOMER (20 AT_RISK)         0 (9999 USD on 03-05: not
//                                                 the report's currency)
// u3    standard    CUSTOMER (50 HEALTHY); CLIENT tra 8000 (03-31 12:00)
//                   (90 STRONG) only from 04-02
// n1    standard    not scored                    tra 2500 (02-20)
// d1    standard    CUSTOMER (30 NEEDS_ATTENTION) tra 6000 (01-20);
//                   deleted 03-01                 left out at every as_of
// globex/g1         CLIENT (85 STRONG)            rec 999999: never in acme
//
// As of 04-01: 7 accounts (d1 deleted).
//   CUSTOMER       u1 u2 u3   rec 0, tra 3000 + 0 + 8000 = 11000;
//                  score (70 + 20 + 50) / 3; AT_RISK 1, HEALTHY 2
//   TRANSITIONING  t1         rec 5000, tra 30111 = 35111; score 60
//   CLIENT         c1 c2      rec 350000, tra 20000 = 370000;
//                  score (80 + 45) / 2 = 62.5; NEEDS_ATTENTION 1, STRONG 1
//   UNSPECIFIED    n1         tra 2500; score 0; UNSPECIFIED 1
//   total          rec 355000 + tra 63611 = 418611
class PortfolioReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 6, 1);
    for (const char* id : {"c1", "c2"}) {
      Apply("contacts",
            AccountCreated({.id = id,
                            .time = created,
                            .tier = type::v1::ACCOUNT_TIER_ENTERPRISE}));
    }
    for (const char* id : {"t1", "u1", "u2", "u3", "n1", "d1"}) {
      Apply("contacts", AccountCreated({.id = id, .time = created}));
    }
    Apply("contacts",
          AccountCreated({.tenant = "globex", .id = "g1", .time = created}));

    const absl::Time scored = Utc(2025, 1, 5);
    Score("c1", scored, kClient, 80, kStrong);
    Score("c2", scored, kClient, 45, kNeedsAttention);
    Score("t1", scored, kCustomer, 55, kHealthy);
    Score("t1", Utc(2025, 3, 1), kTransitioning, 60, kHealthy);
    Score("u1", scored, kCustomer, 70, kHealthy);
    Score("u2", scored, kCustomer, 20, kAtRisk);
    Score("u3", scored, kCustomer, 50, kHealthy);
    Score("u3", Utc(2025, 4, 2), kClient, 90, kStrong);
    Score("d1", scored, kCustomer, 30, kNeedsAttention);
    Apply("engagement", ScoreChanged({.tenant = "globex",
                                      .account = "g1",
                                      .time = scored,
                                      .mode = kClient,
                                      .score = 85,
                                      .band = kStrong}));

    Pay("c1", Utc(2025, 1, 31), kRetainer, 100000);
    Pay("c1", Utc(2025, 2, 28), kRetainer, 100000);
    Pay("c1", Utc(2025, 3, 31, 23, 59), kRetainer, 100000);
    Pay("c2", Utc(2025, 2, 15), kRetainer, 50000);
    Pay("c2", Utc(2025, 3, 10), kPurchase, 20000);
    Pay("t1", Utc(2025, 1, 10, 11, 59), kPurchase, 111);
    Pay("t1", Utc(2025, 1, 10, 12, 0), kPurchase, 30000);
    Pay("t1", Utc(2025, 2, 1), kSubscription, 5000);
    Pay("u1", Utc(2024, 12, 31, 23, 59), kPurchase, 7000);
    Pay("u1", Utc(2025, 1, 1), kPurchase, 4000);
    Pay("u1", Utc(2025, 2, 10), kRefund, -1000);
    Pay("u1", Utc(2025, 4, 1), kPurchase, 10000);
    Pay("u2", Utc(2025, 3, 5), kPurchase, 9999, "USD");
    Pay("u3", Utc(2025, 3, 31, 12, 0), kPurchase, 8000);
    Pay("n1", Utc(2025, 2, 20), kPurchase, 2500);
    Pay("d1", Utc(2025, 1, 20), kPurchase, 6000);
    Apply("contacts", AccountDeleted("d1", Utc(2025, 3, 1)));
    Apply("engagement", Interaction({.account = "g1",
                                     .time = Utc(2025, 2, 1),
                                     .kind = kRetainer,
                                     .amount = 999999,
                                     .currency = "EUR"},
                                    "globex"));
  }

  void Score(const std::string& account, absl::Time time,
             type::v1::RelationshipMode mode, int score,
             type::v1::ScoreBand band) {
    Apply("engagement", ScoreChanged({.account = account,
                                      .time = time,
                                      .mode = mode,
                                      .score = score,
                                      .band = band}));
  }

  void Pay(const std::string& account, absl::Time time,
           events::v1::InteractionKind kind, int64_t amount,
           const std::string& currency = "EUR") {
    Apply("engagement", Interaction({.account = account,
                                     .time = time,
                                     .kind = kind,
                                     .amount = amount,
                                     .currency = currency}));
  }

  v1::PortfolioReport Build(const ReportScope& scope) {
    auto report = Read([&](sql::Transaction& txn) {
      return BuildPortfolioReport(txn, scope);
    });
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::PortfolioReport();
  }

  std::vector<std::string> Accounts(const ReportScope& scope,
                                    const v1::PortfolioAggregate& aggregate) {
    auto ids = Read([&](sql::Transaction& txn) {
      return PortfolioAccounts(txn, scope, aggregate);
    });
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : std::vector<std::string>();
  }

  static v1::PortfolioAggregate Aggregate(
      std::optional<type::v1::RelationshipMode> mode,
      std::optional<type::v1::ScoreBand> band = std::nullopt) {
    v1::PortfolioAggregate aggregate;
    if (mode) aggregate.set_mode(*mode);
    if (band) aggregate.set_band(*band);
    return aggregate;
  }

  const ReportScope scope_ =
      Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 4, 1));
};

// The band counts of a slice, in band order (UNSPECIFIED .. STRONG).
std::vector<int> Bands(const v1::PortfolioModeSlice& slice) {
  std::vector<int> counts;
  for (int i = 0; i < slice.band_counts_size(); ++i) {
    EXPECT_EQ(slice.band_counts(i).band(), i);
    counts.push_back(slice.band_counts(i).account_count());
  }
  return counts;
}

TEST_F(PortfolioReportTest, SplitsThePortfolioByModeAsOfTheEnd) {
  const v1::PortfolioReport report = Build(scope_);
  EXPECT_EQ(report.metadata().currency_code(), "EUR");
  EXPECT_EQ(report.metadata().other_currency_interaction_count(), 1);  // u2
  EXPECT_EQ(report.account_count(), 7);
  EXPECT_EQ(report.revenue().currency_code(), "EUR");
  EXPECT_EQ(report.revenue().amount_minor_units(), 418611);
  ASSERT_EQ(report.mode_slices_size(), 4);
  const double total = 418611.0;

  const v1::PortfolioModeSlice& customers = report.mode_slices(0);
  EXPECT_EQ(customers.mode(), kCustomer);
  EXPECT_EQ(customers.account_count(), 3);
  EXPECT_DOUBLE_EQ(customers.account_share(), 3.0 / 7);
  EXPECT_EQ(customers.revenue().amount_minor_units(), 11000);
  EXPECT_DOUBLE_EQ(customers.revenue_share(), 11000 / total);
  EXPECT_EQ(customers.recurring_revenue().amount_minor_units(), 0);
  EXPECT_EQ(customers.transactional_revenue().amount_minor_units(), 11000);
  EXPECT_DOUBLE_EQ(customers.average_score(), 140.0 / 3);
  EXPECT_THAT(Bands(customers), ElementsAre(0, 1, 0, 2, 0));

  const v1::PortfolioModeSlice& transitioning = report.mode_slices(1);
  EXPECT_EQ(transitioning.mode(), kTransitioning);
  EXPECT_EQ(transitioning.account_count(), 1);
  EXPECT_DOUBLE_EQ(transitioning.account_share(), 1.0 / 7);
  EXPECT_EQ(transitioning.revenue().amount_minor_units(), 35111);
  EXPECT_DOUBLE_EQ(transitioning.revenue_share(), 35111 / total);
  EXPECT_EQ(transitioning.recurring_revenue().amount_minor_units(), 5000);
  EXPECT_EQ(transitioning.transactional_revenue().amount_minor_units(), 30111);
  EXPECT_DOUBLE_EQ(transitioning.average_score(), 60);
  EXPECT_THAT(Bands(transitioning), ElementsAre(0, 0, 0, 1, 0));

  const v1::PortfolioModeSlice& clients = report.mode_slices(2);
  EXPECT_EQ(clients.mode(), kClient);
  EXPECT_EQ(clients.account_count(), 2);
  EXPECT_DOUBLE_EQ(clients.account_share(), 2.0 / 7);
  EXPECT_EQ(clients.revenue().amount_minor_units(), 370000);
  EXPECT_DOUBLE_EQ(clients.revenue_share(), 370000 / total);
  EXPECT_EQ(clients.recurring_revenue().amount_minor_units(), 350000);
  EXPECT_EQ(clients.transactional_revenue().amount_minor_units(), 20000);
  EXPECT_DOUBLE_EQ(clients.average_score(), 62.5);
  EXPECT_THAT(Bands(clients), ElementsAre(0, 0, 1, 0, 1));

  const v1::PortfolioModeSlice& unscored = report.mode_slices(3);
  EXPECT_EQ(unscored.mode(), kUnscored);
  EXPECT_EQ(unscored.account_count(), 1);
  EXPECT_EQ(unscored.revenue().amount_minor_units(), 2500);
  EXPECT_EQ(unscored.transactional_revenue().amount_minor_units(), 2500);
  EXPECT_DOUBLE_EQ(unscored.average_score(), 0);
  EXPECT_THAT(Bands(unscored), ElementsAre(1, 0, 0, 0, 0));
}

// As of 2025-02-01 over January: t1 is still a customer, and u3 (a client
// only from 04-02) a customer. d1 stays out: a deleted account's history
// is deleted with it (docs/reports.md, "The read model").
//   CUSTOMER  t1 u1 u2 u3  tra 30111 (t1) + 4000 (u1) = 34111
//   CLIENT    c1 c2        rec 100000 (c1, 01-31)
//   UNSPEC.   n1           0
// t1's subscription payment at 02-01 00:00 is the range's end: left out.
TEST_F(PortfolioReportTest, AnswersAsItWouldHaveThen) {
  const v1::PortfolioReport report =
      Build(Scope("acme", Utc(2025, 1, 1), Utc(2025, 2, 1), Utc(2025, 2, 1)));
  EXPECT_EQ(report.account_count(), 7);
  EXPECT_EQ(report.revenue().amount_minor_units(), 134111);
  EXPECT_EQ(report.mode_slices(0).account_count(), 4);
  EXPECT_EQ(report.mode_slices(0).revenue().amount_minor_units(), 34111);
  EXPECT_THAT(Bands(report.mode_slices(0)), ElementsAre(0, 1, 0, 3, 0));
  EXPECT_EQ(report.mode_slices(1).account_count(), 0);
  EXPECT_DOUBLE_EQ(report.mode_slices(1).average_score(), 0);
  EXPECT_EQ(report.mode_slices(2).account_count(), 2);
  EXPECT_EQ(report.mode_slices(2).revenue().amount_minor_units(), 100000);
  EXPECT_EQ(report.mode_slices(3).account_count(), 1);

  // The drill-down answers the same moment.
  EXPECT_THAT(
      Accounts(Scope("acme", Utc(2025, 1, 1), Utc(2025, 2, 1), Utc(2025, 2, 1)),
               Aggregate(kCustomer)),
      ElementsAre("t1", "u1", "u2", "u3"));
}

// [2025-01-10 12:00, 2025-03-31 23:59): the partial days at both ends are
// exact. Left out: t1's 111 at 11:59, u1's 4000 on 01-01, c1's 100000 at
// 03-31 23:59 (the end itself). Kept: t1's 30000 at 12:00 (the start).
//   c1 200000 + c2 70000 + t1 35000 + u1 -1000 + u3 8000 + n1 2500 = 314500
TEST_F(PortfolioReportTest, CountsRevenueToTheMicrosecondAtTheEnds) {
  const v1::PortfolioReport report =
      Build(Scope("acme", Utc(2025, 1, 10, 12, 0), Utc(2025, 3, 31, 23, 59),
                  Utc(2025, 4, 1)));
  EXPECT_EQ(report.revenue().amount_minor_units(), 314500);
  EXPECT_EQ(report.mode_slices(0).revenue().amount_minor_units(), 7000);
  EXPECT_EQ(report.mode_slices(1).revenue().amount_minor_units(), 35000);
  EXPECT_EQ(report.mode_slices(2).revenue().amount_minor_units(), 270000);
}

TEST_F(PortfolioReportTest, DrillsDownToExactlyTheAccountsCounted) {
  EXPECT_THAT(Accounts(scope_, Aggregate(std::nullopt)),
              ElementsAre("c1", "c2", "n1", "t1", "u1", "u2", "u3"));
  EXPECT_THAT(Accounts(scope_, Aggregate(kCustomer)),
              ElementsAre("u1", "u2", "u3"));
  EXPECT_THAT(Accounts(scope_, Aggregate(kCustomer, kHealthy)),
              ElementsAre("u1", "u3"));
  EXPECT_THAT(Accounts(scope_, Aggregate(kClient, kHealthy)), IsEmpty());
  EXPECT_THAT(Accounts(scope_, Aggregate(kUnscored)), ElementsAre("n1"));
  EXPECT_THAT(Accounts(scope_, Aggregate(std::nullopt, kStrong)),
              ElementsAre("c1"));
  EXPECT_THAT(Accounts(scope_, Aggregate(std::nullopt,
                                         type::v1::SCORE_BAND_UNSPECIFIED)),
              ElementsAre("n1"));

  // Every slice's and band's count is its drill-down's size.
  const v1::PortfolioReport report = Build(scope_);
  for (const v1::PortfolioModeSlice& slice : report.mode_slices()) {
    EXPECT_EQ(Accounts(scope_, Aggregate(slice.mode())).size(),
              static_cast<size_t>(slice.account_count()));
    for (const v1::BandCount& band : slice.band_counts()) {
      EXPECT_EQ(Accounts(scope_, Aggregate(slice.mode(), band.band())).size(),
                static_cast<size_t>(band.account_count()));
    }
  }
}

TEST_F(PortfolioReportTest, RejectsAnAggregateTheReportDoesNotHave) {
  auto ids = Read([&](sql::Transaction& txn) {
    return PortfolioAccounts(
        txn, scope_, Aggregate(static_cast<type::v1::RelationshipMode>(9)));
  });
  ASSERT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(ids.status()).at(0).field,
            "aggregate.portfolio.mode");
  ids = Read([&](sql::Transaction& txn) {
    return PortfolioAccounts(
        txn, scope_,
        Aggregate(std::nullopt, static_cast<type::v1::ScoreBand>(-1)));
  });
  ASSERT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(ids.status()).at(0).field,
            "aggregate.portfolio.band");
}

// Enterprise accounts only (c1, c2); then clients only (c1, c2 again: the
// other slices are empty but still listed, shares of 0).
TEST_F(PortfolioReportTest, Filters) {
  ReportScope scope = scope_;
  scope.filter.add_tiers(type::v1::ACCOUNT_TIER_ENTERPRISE);
  v1::PortfolioReport report = Build(scope);
  EXPECT_EQ(report.account_count(), 2);
  EXPECT_EQ(report.revenue().amount_minor_units(), 370000);
  EXPECT_DOUBLE_EQ(report.mode_slices(2).account_share(), 1.0);
  EXPECT_DOUBLE_EQ(report.mode_slices(2).revenue_share(), 1.0);

  scope = scope_;
  scope.filter.add_modes(kClient);
  report = Build(scope);
  EXPECT_EQ(report.account_count(), 2);
  ASSERT_EQ(report.mode_slices_size(), 4);
  EXPECT_EQ(report.mode_slices(0).account_count(), 0);
  EXPECT_DOUBLE_EQ(report.mode_slices(0).account_share(), 0);
  EXPECT_DOUBLE_EQ(report.mode_slices(0).revenue_share(), 0);
  EXPECT_THAT(Accounts(scope, Aggregate(std::nullopt)),
              ElementsAre("c1", "c2"));
}

// globex sees g1 alone; acme's report never had it (7 accounts above).
TEST_F(PortfolioReportTest, KeepsTenantsApart) {
  const v1::PortfolioReport report =
      Build(Scope("globex", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 4, 1)));
  EXPECT_EQ(report.account_count(), 1);
  EXPECT_EQ(report.revenue().amount_minor_units(), 999999);
  EXPECT_EQ(report.mode_slices(2).account_count(), 1);
  EXPECT_THAT(Accounts(Scope("globex", Utc(2025, 1, 1), Utc(2025, 4, 1),
                             Utc(2025, 4, 1)),
                       Aggregate(std::nullopt)),
              ElementsAre("g1"));
  EXPECT_THAT(Accounts(Scope("initech", Utc(2025, 1, 1), Utc(2025, 4, 1),
                             Utc(2025, 4, 1)),
                       Aggregate(std::nullopt)),
              IsEmpty());
}

}  // namespace
}  // namespace clientele::reporting

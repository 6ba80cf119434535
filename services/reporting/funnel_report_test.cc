// The conversion funnel on a golden data set fed as events, every figure
// computed by hand in the comments.
#include "services/reporting/funnel_report.h"

#include <string>
#include <vector>

#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::Interaction;
using ::clientele::reporting::testing::InteractionFields;
using ::clientele::reporting::testing::Scope;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;

constexpr auto kPurchase = events::v1::INTERACTION_KIND_PURCHASE;
constexpr auto kRetainer = events::v1::INTERACTION_KIND_RETAINER_INVOICE;
constexpr auto kMeeting = events::v1::INTERACTION_KIND_MEETING;
constexpr auto kCall = events::v1::INTERACTION_KIND_CALL;
constexpr auto kAdvice = events::v1::INTERACTION_KIND_ADVICE_SESSION;
constexpr auto kEmail = events::v1::INTERACTION_KIND_EMAIL;
constexpr auto kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr auto kTransitioning = type::v1::RELATIONSHIP_MODE_TRANSITIONING;
constexpr auto kClient = type::v1::RELATIONSHIP_MODE_CLIENT;

// The golden set. Range [2025-01-01, 2025-04-01), as of 2025-04-01, EUR.
// The cohort: acquired on 2025-01-01 (entry 01-01 00:00) unless said
// otherwise. "d" = days from the entry.
//
// acct  scores (mode from)                 relationship interaction  revenue
// f1    CUST 2024-12-01, TRANS 02-01,      meeting 01-15 (14 d)      10000 +
//       CLIENT 03-01 and 03-15 (59 d)                                50000
// f2    CUST 2024-11-01, TRANS 03-01       personalized email 02-10  20000
//                                          (40 d)
// f3    CUST 2024-11-01                    a plain email only        5000
// f4    acquired 02-10 (entry 02-10),      call 02-20 (10 d)         30000
//       CUST 02-12, TRANS 03-10 (28 d),
//       CLIENT 03-20 (38 d)
// f5    CUST 2024-11-01                    meeting 04-02: after 0
// f6    CUST 2024-11-01, CLIENT 02-01      advice 01-05 09:00 (4 d)  7000
//       (never TRANSITIONING: the funnel is strict, it stops at ENGAGED)
// x1    CUST 2024-11-01, TRANS 02-01       meeting 01-05 15:00 (4 d) 1000
//       (31 d), CLIENT only from 04-05 (after as_of: not CLIENT)
// old   acquired 2024-06-01 (before the range: not in the cohort), CUST
//       2024-11-01, meeting 01-20, purchase 01-20
// r1    acquired 2024-06-01, CLIENT 2024-06-01, CUST 02-15: regressed
// r2    acquired 2024-06-01, CLIENT 2024-06-01, TRANS 03-01: regressed
// n1    not scored                         meeting 01-20
// dd    CUST 2024-11-01, deleted 03-10     meeting 01-20
// globex/g1: CUST 2024-11-01, meeting 01-10 (never in acme's funnel)
//
// stage          accounts                 rates      median  revenue
// CUSTOMER       f1 f2 f3 f4 f5 f6 x1 (7) 1, 1       0       123000
// ENGAGED        f1 f2 f4 f6 x1 (5)       5/7, 5/7   10 d    118000
//                  (days 14 40 10 4 4 -> sorted 4 4 10 14 40, rank 3)
// TRANSITIONING  f1 f2 f4 x1 (4)          4/5, 4/7   31 d    111000
//                  (days 31 59 28 31 -> 28 31 31 59, rank 2)
// CLIENT         f1 f4 (2)                2/4, 2/7   38 d    90000
//                  (days 59 38 -> 38 59, rank 1)
// regressed: r1, r2 (their last CLIENT versions ended 02-15 and 03-01).
class FunnelReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 6, 1);
    for (const char* id : {"f1", "f2", "f3", "f5", "f6", "x1", "n1", "dd"}) {
      Apply("contacts",
            AccountCreated({.id = id,
                            .time = created,
                            .acquisition_date = absl::CivilDay(2025, 1, 1)}));
    }
    for (const char* id : {"old", "r1", "r2"}) {
      Apply("contacts", AccountCreated({.id = id, .time = created}));
    }
    Apply("contacts",
          AccountCreated({.id = "f4",
                          .time = Utc(2025, 2, 10),
                          .owner = "u-bob",
                          .acquisition_date = absl::CivilDay(2025, 2, 10)}));
    Apply("contacts",
          AccountCreated({.tenant = "globex",
                          .id = "g1",
                          .time = created,
                          .acquisition_date = absl::CivilDay(2025, 1, 1)}));

    const absl::Time before = Utc(2024, 11, 1);
    Score("f1", Utc(2024, 12, 1), kCustomer);
    Score("f1", Utc(2025, 2, 1), kTransitioning);
    Score("f1", Utc(2025, 3, 1), kClient);
    Score("f1", Utc(2025, 3, 15), kClient, 90);
    Score("f2", before, kCustomer);
    Score("f2", Utc(2025, 3, 1), kTransitioning);
    Score("f3", before, kCustomer);
    Score("f4", Utc(2025, 2, 12), kCustomer);
    Score("f4", Utc(2025, 3, 10), kTransitioning);
    Score("f4", Utc(2025, 3, 20), kClient);
    Score("f5", before, kCustomer);
    Score("f6", before, kCustomer);
    Score("f6", Utc(2025, 2, 1), kClient);
    Score("x1", before, kCustomer);
    Score("x1", Utc(2025, 2, 1), kTransitioning);
    Score("x1", Utc(2025, 4, 5), kClient);
    Score("r1", created, kClient);
    Score("r1", Utc(2025, 2, 15), kCustomer);
    Score("r2", created, kClient);
    Score("r2", Utc(2025, 3, 1), kTransitioning);
    Score("dd", before, kCustomer);
    Score("old", before, kCustomer);
    Apply("engagement", ScoreChanged({.tenant = "globex",
                                      .account = "g1",
                                      .time = before,
                                      .mode = kCustomer}));

    Do({.account = "f1", .time = Utc(2025, 1, 15), .kind = kMeeting});
    Do({.account = "f2",
        .time = Utc(2025, 2, 10),
        .kind = kEmail,
        .personalized = true});
    Do({.account = "f3", .time = Utc(2025, 1, 20), .kind = kEmail});
    Do({.account = "f4", .time = Utc(2025, 2, 20), .kind = kCall});
    Do({.account = "f5", .time = Utc(2025, 4, 2), .kind = kMeeting});
    Do({.account = "old", .time = Utc(2025, 1, 20), .kind = kMeeting});
    Do({.account = "f6", .time = Utc(2025, 1, 5, 9, 0), .kind = kAdvice});
    Do({.account = "x1", .time = Utc(2025, 1, 5, 15, 0), .kind = kMeeting});
    Do({.account = "n1", .time = Utc(2025, 1, 20), .kind = kMeeting});
    Do({.account = "dd", .time = Utc(2025, 1, 20), .kind = kMeeting});
    Apply("engagement",
          Interaction(
              {.account = "g1", .time = Utc(2025, 1, 10), .kind = kMeeting},
              "globex"));

    Pay("f1", Utc(2025, 1, 5), kPurchase, 10000);
    Pay("f1", Utc(2025, 3, 31), kRetainer, 50000);
    Pay("f2", Utc(2025, 2, 1), kPurchase, 20000);
    Pay("f3", Utc(2025, 2, 1), kPurchase, 5000);
    Pay("f4", Utc(2025, 2, 15), kPurchase, 30000);
    Pay("f6", Utc(2025, 1, 3), kPurchase, 7000);
    Pay("x1", Utc(2025, 3, 1), kPurchase, 1000);
    Pay("old", Utc(2025, 1, 20), kPurchase, 4000);
    Apply("contacts", AccountDeleted("dd", Utc(2025, 3, 10)));
  }

  void Score(const std::string& account, absl::Time time,
             type::v1::RelationshipMode mode, int score = 50) {
    Apply(
        "engagement",
        ScoreChanged(
            {.account = account, .time = time, .mode = mode, .score = score}));
  }
  void Do(const InteractionFields& fields) {
    Apply("engagement", Interaction(fields));
  }
  void Pay(const std::string& account, absl::Time time,
           events::v1::InteractionKind kind, int64_t amount) {
    Apply("engagement", Interaction({.account = account,
                                     .time = time,
                                     .kind = kind,
                                     .amount = amount,
                                     .currency = "EUR"}));
  }

  v1::ConversionFunnelReport Build(const ReportScope& scope) {
    auto report = Read([&](sql::Transaction& txn) {
      return BuildConversionFunnelReport(txn, scope);
    });
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::ConversionFunnelReport();
  }

  absl::StatusOr<std::vector<std::string>> Accounts(const ReportScope& scope,
                                                    int stage) {
    v1::FunnelAggregate aggregate;
    aggregate.set_stage(static_cast<v1::FunnelStage>(stage));
    return Read([&](sql::Transaction& txn) {
      return ConversionFunnelAccounts(txn, scope, aggregate);
    });
  }

  const ReportScope scope_ =
      Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 4, 1));
};

std::vector<int> Counts(const v1::ConversionFunnelReport& report) {
  std::vector<int> counts;
  for (const auto& stage : report.stages()) {
    counts.push_back(stage.account_count());
  }
  return counts;
}

absl::Duration Days(int days) { return absl::Hours(24 * days); }

TEST_F(FunnelReportTest, CountsEachStageOfThoseBefore) {
  const v1::ConversionFunnelReport report = Build(scope_);
  ASSERT_EQ(report.stages_size(), 4);
  EXPECT_THAT(Counts(report), ElementsAre(7, 5, 4, 2));
  EXPECT_EQ(report.regressed_accounts(), 2);

  const auto& customer = report.stages(0);
  EXPECT_EQ(customer.stage(), v1::FUNNEL_STAGE_CUSTOMER);
  EXPECT_DOUBLE_EQ(customer.rate_from_previous(), 1.0);
  EXPECT_DOUBLE_EQ(customer.rate_from_entry(), 1.0);
  EXPECT_EQ(ToDuration(customer.median_time_to_reach()), absl::ZeroDuration());
  EXPECT_EQ(customer.revenue().currency_code(), "EUR");
  EXPECT_EQ(customer.revenue().amount_minor_units(), 123000);

  const auto& engaged = report.stages(1);
  EXPECT_EQ(engaged.stage(), v1::FUNNEL_STAGE_ENGAGED);
  EXPECT_DOUBLE_EQ(engaged.rate_from_previous(), 5.0 / 7);
  EXPECT_DOUBLE_EQ(engaged.rate_from_entry(), 5.0 / 7);
  EXPECT_EQ(ToDuration(engaged.median_time_to_reach()), Days(10));
  EXPECT_EQ(engaged.revenue().amount_minor_units(), 118000);

  const auto& transitioning = report.stages(2);
  EXPECT_EQ(transitioning.stage(), v1::FUNNEL_STAGE_TRANSITIONING);
  EXPECT_DOUBLE_EQ(transitioning.rate_from_previous(), 4.0 / 5);
  EXPECT_DOUBLE_EQ(transitioning.rate_from_entry(), 4.0 / 7);
  EXPECT_EQ(ToDuration(transitioning.median_time_to_reach()), Days(31));
  EXPECT_EQ(transitioning.revenue().amount_minor_units(), 111000);

  const auto& client = report.stages(3);
  EXPECT_EQ(client.stage(), v1::FUNNEL_STAGE_CLIENT);
  EXPECT_DOUBLE_EQ(client.rate_from_previous(), 2.0 / 4);
  EXPECT_DOUBLE_EQ(client.rate_from_entry(), 2.0 / 7);
  EXPECT_EQ(ToDuration(client.median_time_to_reach()), Days(38));
  EXPECT_EQ(client.revenue().amount_minor_units(), 90000);
}

TEST_F(FunnelReportTest, DrillsDownToExactlyTheAccountsCounted) {
  EXPECT_THAT(*Accounts(scope_, 1),
              ElementsAre("f1", "f2", "f3", "f4", "f5", "f6", "x1"));
  EXPECT_THAT(*Accounts(scope_, 2), ElementsAre("f1", "f2", "f4", "f6", "x1"));
  EXPECT_THAT(*Accounts(scope_, 3), ElementsAre("f1", "f2", "f4", "x1"));
  EXPECT_THAT(*Accounts(scope_, 4), ElementsAre("f1", "f4"));
  for (int stage : {0, 5}) {
    const auto ids = Accounts(scope_, stage);
    ASSERT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldViolationsOf(ids.status()).at(0).field,
              "aggregate.funnel.stage");
  }
}

// As of 2025-03-05 over [01-01, 03-05): score versions after 03-05 are not
// seen, so f4 is not TRANSITIONING yet (03-10) and f1 (CLIENT since 03-01)
// is the only client. dd stays out although it was deleted after 03-05: a
// deleted account's history goes with it (docs/reports.md).
//   CUSTOMER       f1 f2 f3 f4 f5 f6 x1 (7)
//   ENGAGED        f1 f2 f4 f6 x1 (5)
//   TRANSITIONING  f1 (02-01) f2 (03-01) x1 (02-01) (3)
//   CLIENT         f1 (1)
//   regressed      r1 (CUSTOMER since 02-15), r2 (TRANSITIONING since 03-01)
TEST_F(FunnelReportTest, AnswersAsItWouldHaveThen) {
  const ReportScope scope =
      Scope("acme", Utc(2025, 1, 1), Utc(2025, 3, 5), Utc(2025, 3, 5));
  const v1::ConversionFunnelReport report = Build(scope);
  EXPECT_THAT(Counts(report), ElementsAre(7, 5, 3, 1));
  EXPECT_EQ(report.regressed_accounts(), 2);
  EXPECT_THAT(*Accounts(scope, 3), ElementsAre("f1", "f2", "x1"));
  EXPECT_EQ(ToDuration(report.stages(3).median_time_to_reach()), Days(59));
}

// The cohort is that of the UTC days the range touches: starting at 12:00
// on 01-01 changes nothing, starting on 01-02 leaves f4 alone (acquired
// 02-10): engaged in 10 days, TRANSITIONING in 28, CLIENT in 38.
TEST_F(FunnelReportTest, FollowsTheCustomersOfTheRangesDays) {
  EXPECT_THAT(Counts(Build(Scope("acme", Utc(2025, 1, 1, 12, 0),
                                 Utc(2025, 4, 1), Utc(2025, 4, 1)))),
              ElementsAre(7, 5, 4, 2));
  const v1::ConversionFunnelReport report =
      Build(Scope("acme", Utc(2025, 1, 2), Utc(2025, 4, 1), Utc(2025, 4, 1)));
  EXPECT_THAT(Counts(report), ElementsAre(1, 1, 1, 1));
  EXPECT_EQ(ToDuration(report.stages(1).median_time_to_reach()), Days(10));
  EXPECT_EQ(ToDuration(report.stages(2).median_time_to_reach()), Days(28));
  EXPECT_EQ(ToDuration(report.stages(3).median_time_to_reach()), Days(38));
  EXPECT_EQ(report.stages(0).revenue().amount_minor_units(), 30000);
  // Nobody left CLIENT on those days but r1 and r2, as before.
  EXPECT_EQ(report.regressed_accounts(), 2);
}

// The cohort goes on after the range: as of 04-02 12:00 f5's meeting of
// that morning engages it (91 days, read from the interaction itself); as of
// 05-01 x1 is a client too (04-05: 94 days). As of 05-01, after every
// event, the counts come from the maintained aggregates; read account by
// account they are the same.
TEST_F(FunnelReportTest, FollowsTheCohortAfterTheRange) {
  EXPECT_THAT(Counts(Build(Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1),
                                 Utc(2025, 4, 2, 12, 0)))),
              ElementsAre(7, 6, 4, 2));
  ReportScope later =
      Scope("acme", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 5, 1));
  const v1::ConversionFunnelReport counted = Build(later);
  EXPECT_THAT(Counts(counted), ElementsAre(7, 6, 4, 3));
  // CLIENT: 38 59 94, rank 2.
  EXPECT_EQ(ToDuration(counted.stages(3).median_time_to_reach()), Days(59));
  EXPECT_EQ(counted.stages(3).revenue().amount_minor_units(), 91000);
  later.force_fallback = true;
  const v1::ConversionFunnelReport read = Build(later);
  // The same report but for when it was generated.
  EXPECT_EQ(counted.stages_size(), 4);
  for (int stage = 0; stage < counted.stages_size(); ++stage) {
    EXPECT_EQ(counted.stages(stage).ShortDebugString(),
              read.stages(stage).ShortDebugString());
  }
  EXPECT_EQ(counted.regressed_accounts(), read.regressed_accounts());
}

// The funnel is about modes: its filter's modes are ignored. The owner
// filter keeps f4 alone.
TEST_F(FunnelReportTest, IgnoresTheModeFilter) {
  ReportScope scope = scope_;
  scope.filter.add_modes(kClient);
  EXPECT_THAT(Counts(Build(scope)), ElementsAre(7, 5, 4, 2));
  scope.filter.set_owner("u-bob");
  EXPECT_THAT(Counts(Build(scope)), ElementsAre(1, 1, 1, 1));
  EXPECT_THAT(*Accounts(scope, 4), ElementsAre("f4"));
}

// An empty funnel: rates 0, no median for the later stages.
TEST_F(FunnelReportTest, KeepsTenantsApart) {
  const v1::ConversionFunnelReport globex =
      Build(Scope("globex", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 4, 1)));
  // g1 acquired 01-01, engaged 01-10.
  EXPECT_THAT(Counts(globex), ElementsAre(1, 1, 0, 0));
  EXPECT_THAT(*Accounts(Scope("globex", Utc(2025, 1, 1), Utc(2025, 4, 1),
                              Utc(2025, 4, 1)),
                        2),
              ElementsAre("g1"));

  const v1::ConversionFunnelReport empty = Build(
      Scope("initech", Utc(2025, 1, 1), Utc(2025, 4, 1), Utc(2025, 4, 1)));
  EXPECT_THAT(Counts(empty), ElementsAre(0, 0, 0, 0));
  EXPECT_DOUBLE_EQ(empty.stages(0).rate_from_previous(), 0);
  EXPECT_DOUBLE_EQ(empty.stages(1).rate_from_entry(), 0);
  EXPECT_FALSE(empty.stages(1).has_median_time_to_reach());
  EXPECT_EQ(empty.stages(3).revenue().amount_minor_units(), 0);
}

}  // namespace
}  // namespace clientele::reporting

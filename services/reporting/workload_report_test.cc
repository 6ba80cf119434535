// The workload report on a golden data set fed as events, every figure
// computed by hand below.
#include "services/reporting/workload_report.h"

#include <string>
#include <vector>

#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::CsatResponded;
using ::clientele::reporting::testing::FollowUpCompleted;
using ::clientele::reporting::testing::FollowUpCreated;
using ::clientele::reporting::testing::FollowUpFields;
using ::clientele::reporting::testing::FollowUpUpdated;
using ::clientele::reporting::testing::Interaction;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::SlaBreached;
using ::clientele::reporting::testing::SolveFields;
using ::clientele::reporting::testing::TicketAssigned;
using ::clientele::reporting::testing::TicketCreated;
using ::clientele::reporting::testing::TicketFields;
using ::clientele::reporting::testing::TicketSolved;
using ::clientele::reporting::testing::TicketStatusChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kOpen = events::v1::TICKET_STATUS_OPEN;
constexpr auto kPending = events::v1::TICKET_STATUS_PENDING;
constexpr auto kOnHold = events::v1::TICKET_STATUS_ON_HOLD;

int64_t SecondsOf(const google::protobuf::Duration& duration) {
  return absl::ToInt64Seconds(ToDuration(duration));
}

// The golden set. Time range [2024-03-01 12:00, 2024-04-01 00:00) (the
// first day is partial). Accounts since 2024-01-01:
//   a1 maria, CUSTOMER HEALTHY;  a2 maria, CLIENT AT_RISK;
//   a3 olga, CLIENT NEEDS_ATTENTION;  a4 no manager, CUSTOMER.
//
// Revenue in EUR: a1 purchase 10000 on 03-01 13:00 (staff maria); 5000 on
// 03-01 09:00 and 4000 on 04-01 00:00 (outside); 999 USD on 03-05 (another
// currency). a2 retainer 200000 on 03-15, refund -3000 on 03-31 23:00. a3
// subscription 7000 on 03-10. maria: 10000 + 200000 - 3000 = 207000; olga
// 7000.
// Interactions by maria: calls on a1 03-01 13:00, a2 03-15, a3 03-20 and
// the purchase above = 4 (calls on a1 03-01 09:00 and a4 04-01 00:00 are
// outside). By olga: a call on a3 03-10 = 1.
// Follow-ups: f1 maria a1 created 02-20 due 03-10 open; f2 maria a2 03-05
// due 04-10 open; f3 maria a2 03-01 due 03-20 completed 03-18; f4 maria a1
// 02-01 due 02-10 completed 03-01 10:00 (before the range); f5 maria a2
// 03-02 due 03-03 cancelled 03-04; f6 olga a3 03-25 due 03-31 open; f7
// maria a4 03-01 due 04-05 open.
//   at 04-01: maria open f1 f2 f7 = 3, overdue f1 = 1, completed f3 = 1;
//   olga open 1, overdue 1, completed 0.
// Tickets (assignee history):
//   t1 a1 03-02 ann; reply 03-02 01:00 (OPEN); solved 03-03 (published
//      reply 1 h 4 min 30 s: counts as 1 h 4 min, the minute's step);
//      CSAT 5 (ann) 03-04.
//   t2 a2 02-20 ann; to bob 03-05 (OPEN); RESOLUTION breached, due 03-10.
//   t3 a3 03-10 bob; PENDING 03-11.
//   t4 a1 03-12 queued; to ann 03-13; ON_HOLD 03-14.
//   t5 a1 03-20 ann; reply 03-20 00:30; to bob 03-21; back to ann 03-22;
//      solved 03-23 (reply 30m); CSAT 3 (ann) 03-24.
//   t6 a4 02-01 cy; OPEN 03-03 (no assignment).
//   t7 a1 03-01 10:00 ann (before the range), NEW.
// Agents at 04-01:
//   ann  open t4 t7 = 2; assigned t1 t4 t5 t5 (back from bob) = 4; solved
//        t1 t5 = 2; replies t1 3840, t5 1800 (median, nearest rank: 1800);
//        CSAT 5, 3 -> 0.5
//   bob  open t2 t3 = 2; assigned t2 t3 t5 = 3; breach t2 = 1
//   cy   open t6 = 1
// Managers' open tickets: maria t2 (OPEN), t7 (NEW) = 2 (t4 ON_HOLD); olga
// t3 (PENDING) = 1.
// globex: its own maria, ann, a ticket and interactions (never counted).
class WorkloadReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 1, 1);
    Apply("contacts",
          AccountCreated(
              {.id = "a1", .time = created, .account_manager = "maria"}));
    Apply("contacts",
          AccountCreated(
              {.id = "a2", .time = created, .account_manager = "maria"}));
    Apply("contacts",
          AccountCreated(
              {.id = "a3", .time = created, .account_manager = "olga"}));
    Apply("contacts", AccountCreated({.id = "a4", .time = created}));
    Apply("engagement", ScoreChanged({.account = "a1", .time = created}));
    Apply("engagement",
          ScoreChanged({.account = "a2",
                        .time = created,
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 20,
                        .band = type::v1::SCORE_BAND_AT_RISK}));
    Apply("engagement",
          ScoreChanged({.account = "a3",
                        .time = created,
                        .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                        .score = 40,
                        .band = type::v1::SCORE_BAND_NEEDS_ATTENTION}));
    Apply("engagement", ScoreChanged({.account = "a4", .time = created}));

    const auto purchase = events::v1::INTERACTION_KIND_PURCHASE;
    const auto touch = [&](const std::string& account, absl::Time at,
                           const std::string& staff) {
      Apply("engagement",
            Interaction({.account = account,
                         .time = at,
                         .kind = events::v1::INTERACTION_KIND_CALL,
                         .staff = staff}));
    };
    // A revenue interaction in `currency`, by `staff` ("" for none).
    const auto money = [&](const std::string& account, absl::Time at,
                           events::v1::InteractionKind kind, int64_t amount,
                           const std::string& currency,
                           const std::string& staff) {
      Apply("engagement", Interaction({.account = account,
                                       .time = at,
                                       .kind = kind,
                                       .amount = amount,
                                       .currency = currency,
                                       .staff = staff}));
    };
    const auto retainer = events::v1::INTERACTION_KIND_RETAINER_INVOICE;
    const auto refund = events::v1::INTERACTION_KIND_REFUND;
    const auto subscription = events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT;
    money("a1", Utc(2024, 3, 1, 13), purchase, 10000, "EUR", "maria");
    money("a1", Utc(2024, 3, 1, 9), purchase, 5000, "EUR", "");
    money("a1", Utc(2024, 4, 1), purchase, 4000, "EUR", "");
    money("a1", Utc(2024, 3, 5), purchase, 999, "USD", "");
    money("a2", Utc(2024, 3, 15, 12), retainer, 200000, "EUR", "");
    money("a2", Utc(2024, 3, 31, 23), refund, -3000, "EUR", "");
    money("a3", Utc(2024, 3, 10), subscription, 7000, "EUR", "");
    touch("a1", Utc(2024, 3, 1, 13), "maria");
    touch("a2", Utc(2024, 3, 15), "maria");
    touch("a3", Utc(2024, 3, 20), "maria");
    touch("a1", Utc(2024, 3, 1, 9), "maria");
    touch("a4", Utc(2024, 4, 1), "maria");
    touch("a3", Utc(2024, 3, 10), "olga");

    const auto follow_up = [](const std::string& id, const std::string& who,
                              const std::string& account, absl::Time at,
                              absl::Time due) {
      return FollowUpFields{.id = id,
                            .account = account,
                            .assignee = who,
                            .time = at,
                            .due = due};
    };
    const auto then = [](FollowUpFields f, absl::Time at) {
      f.time = at;
      return f;
    };
    Apply("engagement",
          FollowUpCreated(follow_up("f1", "maria", "a1", Utc(2024, 2, 20),
                                    Utc(2024, 3, 10))));
    Apply("engagement",
          FollowUpCreated(follow_up("f2", "maria", "a2", Utc(2024, 3, 5),
                                    Utc(2024, 4, 10))));
    FollowUpFields f3 =
        follow_up("f3", "maria", "a2", Utc(2024, 3, 1), Utc(2024, 3, 20));
    Apply("engagement", FollowUpCreated(f3));
    Apply("engagement", FollowUpCompleted(then(f3, Utc(2024, 3, 18))));
    FollowUpFields f4 =
        follow_up("f4", "maria", "a1", Utc(2024, 2, 1), Utc(2024, 2, 10));
    Apply("engagement", FollowUpCreated(f4));
    Apply("engagement", FollowUpCompleted(then(f4, Utc(2024, 3, 1, 10))));
    FollowUpFields f5 =
        follow_up("f5", "maria", "a2", Utc(2024, 3, 2), Utc(2024, 3, 3));
    Apply("engagement", FollowUpCreated(f5));
    f5 = then(f5, Utc(2024, 3, 4));
    f5.state = events::v1::FOLLOW_UP_STATE_CANCELLED;
    Apply("engagement", FollowUpUpdated(f5));
    Apply("engagement",
          FollowUpCreated(follow_up("f6", "olga", "a3", Utc(2024, 3, 25),
                                    Utc(2024, 3, 31))));
    Apply("engagement",
          FollowUpCreated(follow_up("f7", "maria", "a4", Utc(2024, 3, 1),
                                    Utc(2024, 4, 5))));

    // Tickets: `at` moves the ticket along; create_time stays.
    const auto ticket = [](const std::string& id, const std::string& account,
                           absl::Time at, const std::string& assignee) {
      return TicketFields{.id = id,
                          .account = account,
                          .time = at,
                          .create_time = at,
                          .assignee = assignee};
    };
    const auto move = [](TicketFields t, absl::Time at) {
      t.time = at;
      return t;
    };
    TicketFields t1 = ticket("t1", "a1", Utc(2024, 3, 2), "ann");
    Apply("ticketing", TicketCreated(t1));
    t1 = move(t1, Utc(2024, 3, 2, 1));
    t1.status = kOpen;
    t1.first_response_time = t1.time;
    Apply("ticketing", TicketStatusChanged(t1));
    Apply("ticketing",
          TicketSolved(move(t1, Utc(2024, 3, 3)),
                       SolveFields{.first_response = absl::Seconds(3870),
                                   .resolution = absl::Hours(24)}));
    Apply("ticketing", CsatResponded({.ticket = "t1",
                                      .account = "a1",
                                      .agent = "ann",
                                      .rating = 5,
                                      .time = Utc(2024, 3, 4)}));

    TicketFields t2 = ticket("t2", "a2", Utc(2024, 2, 20), "ann");
    Apply("ticketing", TicketCreated(t2));
    t2 = move(t2, Utc(2024, 3, 5));
    t2.assignee = "bob";
    t2.status = kOpen;
    Apply("ticketing", TicketAssigned(t2, "ann"));
    Apply("ticketing",
          SlaBreached(move(t2, Utc(2024, 3, 10)),
                      events::v1::SLA_METRIC_RESOLUTION, Utc(2024, 3, 10)));

    TicketFields t3 = ticket("t3", "a3", Utc(2024, 3, 10), "bob");
    Apply("ticketing", TicketCreated(t3));
    t3 = move(t3, Utc(2024, 3, 11));
    t3.status = kPending;
    Apply("ticketing", TicketStatusChanged(t3));

    TicketFields t4 = ticket("t4", "a1", Utc(2024, 3, 12), "");
    Apply("ticketing", TicketCreated(t4));
    t4 = move(t4, Utc(2024, 3, 13));
    t4.assignee = "ann";
    Apply("ticketing", TicketAssigned(t4));
    t4 = move(t4, Utc(2024, 3, 14));
    t4.status = kOnHold;
    Apply("ticketing", TicketStatusChanged(t4));

    TicketFields t5 = ticket("t5", "a1", Utc(2024, 3, 20), "ann");
    Apply("ticketing", TicketCreated(t5));
    t5 = move(t5, Utc(2024, 3, 20, 0, 30));
    t5.status = kOpen;
    t5.first_response_time = t5.time;
    Apply("ticketing", TicketStatusChanged(t5));
    t5 = move(t5, Utc(2024, 3, 21));
    t5.assignee = "bob";
    Apply("ticketing", TicketAssigned(t5, "ann"));
    t5 = move(t5, Utc(2024, 3, 22));
    t5.assignee = "ann";
    Apply("ticketing", TicketAssigned(t5, "bob"));
    Apply("ticketing",
          TicketSolved(move(t5, Utc(2024, 3, 23)),
                       SolveFields{.first_response = absl::Minutes(30),
                                   .resolution = absl::Hours(72)}));
    Apply("ticketing", CsatResponded({.ticket = "t5",
                                      .account = "a1",
                                      .agent = "ann",
                                      .rating = 3,
                                      .time = Utc(2024, 3, 24)}));

    TicketFields t6 = ticket("t6", "a4", Utc(2024, 2, 1), "cy");
    Apply("ticketing", TicketCreated(t6));
    t6 = move(t6, Utc(2024, 3, 3));
    t6.status = kOpen;
    Apply("ticketing", TicketStatusChanged(t6));

    Apply("ticketing",
          TicketCreated(ticket("t7", "a1", Utc(2024, 3, 1, 10), "ann")));

    // Another tenant, with the same staff ids.
    Apply("contacts", AccountCreated({.tenant = "globex",
                                      .id = "g1",
                                      .time = created,
                                      .account_manager = "maria"}));
    Apply("engagement",
          Interaction(
              {.account = "g1", .time = Utc(2024, 3, 10), .staff = "maria"},
              "globex"));
    TicketFields g = ticket("gt1", "g1", Utc(2024, 3, 10), "ann");
    g.tenant = "globex";
    Apply("ticketing", TicketCreated(g));
  }

  absl::StatusOr<v1::WorkloadReport> Report(const ReportScope& scope) {
    return Read(
        [&](sql::Transaction& txn) { return BuildWorkloadReport(txn, scope); });
  }
  absl::StatusOr<std::vector<std::string>> Accounts(
      const ReportScope& scope, const std::string& manager) {
    v1::WorkloadAggregate aggregate;
    aggregate.set_account_manager(manager);
    return Read([&](sql::Transaction& txn) {
      return WorkloadAccounts(txn, scope, aggregate);
    });
  }

  static ReportScope March(absl::Time as_of = Utc(2024, 4, 1)) {
    return testing::Scope("acme", Utc(2024, 3, 1, 12), Utc(2024, 4, 1), as_of);
  }
};

TEST_F(WorkloadReportTest, AgentsAreTheHandComputedOnes) {
  auto report = Report(March());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->agents_size(), 3);
  const v1::AgentWorkload& ann = report->agents(0);
  EXPECT_EQ(ann.agent(), "ann");
  EXPECT_EQ(ann.open_tickets(), 2);
  EXPECT_EQ(ann.tickets_assigned(), 4);
  EXPECT_EQ(ann.tickets_solved(), 2);
  EXPECT_EQ(ann.sla_breaches(), 0);
  EXPECT_EQ(SecondsOf(ann.median_first_response()), 1800);
  EXPECT_EQ(ann.csat_responses(), 2);
  EXPECT_DOUBLE_EQ(ann.csat_rate(), 0.5);
  const v1::AgentWorkload& bob = report->agents(1);
  EXPECT_EQ(bob.agent(), "bob");
  EXPECT_EQ(bob.open_tickets(), 2);
  EXPECT_EQ(bob.tickets_assigned(), 3);
  EXPECT_EQ(bob.tickets_solved(), 0);
  EXPECT_EQ(bob.sla_breaches(), 1);
  EXPECT_FALSE(bob.has_median_first_response());
  EXPECT_EQ(bob.csat_responses(), 0);
  const v1::AgentWorkload& cy = report->agents(2);
  EXPECT_EQ(cy.agent(), "cy");
  EXPECT_EQ(cy.open_tickets(), 1);
  EXPECT_EQ(cy.tickets_assigned(), 0);
}

// As of 04-01 the agents' flows and the follow-ups come from the maintained
// counts (workload_blocks, follow_ups_open), the range's partial first day
// from the tickets; read ticket by ticket they are the same, breaches,
// reassignments and counted durations included.
TEST_F(WorkloadReportTest, TheMaintainedCountsAnswerAsTheTicketsDo) {
  auto counted = Report(March());
  ReportScope scope = March();
  scope.force_fallback = true;
  auto read = Report(scope);
  ASSERT_TRUE(counted.ok()) << counted.status();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(counted->ShortDebugString(), read->ShortDebugString());
  EXPECT_EQ(counted->agents(1).sla_breaches(), 1);
}

TEST_F(WorkloadReportTest, AccountManagersAreTheHandComputedOnes) {
  auto report = Report(March());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->account_managers_size(), 2);
  const v1::AccountManagerWorkload& maria = report->account_managers(0);
  EXPECT_EQ(maria.account_manager(), "maria");
  EXPECT_EQ(maria.accounts(), 2);
  EXPECT_EQ(maria.client_accounts(), 1);
  EXPECT_EQ(maria.at_risk_accounts(), 1);
  EXPECT_EQ(maria.revenue().currency_code(), "EUR");
  EXPECT_EQ(maria.revenue().amount_minor_units(), 207000);
  EXPECT_EQ(maria.interactions(), 4);
  EXPECT_EQ(maria.open_follow_ups(), 3);
  EXPECT_EQ(maria.overdue_follow_ups(), 1);
  EXPECT_EQ(maria.completed_follow_ups(), 1);
  EXPECT_EQ(maria.open_tickets(), 2);
  const v1::AccountManagerWorkload& olga = report->account_managers(1);
  EXPECT_EQ(olga.account_manager(), "olga");
  EXPECT_EQ(olga.accounts(), 1);
  EXPECT_EQ(olga.client_accounts(), 1);
  EXPECT_EQ(olga.at_risk_accounts(), 1);
  EXPECT_EQ(olga.revenue().amount_minor_units(), 7000);
  EXPECT_EQ(olga.interactions(), 1);
  EXPECT_EQ(olga.open_follow_ups(), 1);
  EXPECT_EQ(olga.overdue_follow_ups(), 1);
  EXPECT_EQ(olga.completed_follow_ups(), 0);
  EXPECT_EQ(olga.open_tickets(), 1);
}

TEST_F(WorkloadReportTest, APastAsOfTakesOpenWorkOfThen) {
  // As of 03-12 00:00: ann has t7 (t1 solved; t4 created at that very
  // moment, queued); bob t2 and t3; cy t6. maria's follow-ups open then: f1
  // (overdue since 03-10), f2, f3 (completed only on 03-18), f7; her
  // accounts' open tickets t2, t7 and t4. t5's reply (03-20) is after
  // as_of: ann's replies are t1's only.
  auto report = Report(March(Utc(2024, 3, 12)));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->agents_size(), 3);
  EXPECT_EQ(report->agents(0).agent(), "bob");
  EXPECT_EQ(report->agents(0).open_tickets(), 2);
  EXPECT_EQ(report->agents(1).agent(), "ann");
  EXPECT_EQ(report->agents(1).open_tickets(), 1);
  // 1 h 4 min 30 s counted to the minute.
  EXPECT_EQ(SecondsOf(report->agents(1).median_first_response()), 3840);
  EXPECT_EQ(report->agents(2).agent(), "cy");
  const v1::AccountManagerWorkload& maria = report->account_managers(0);
  EXPECT_EQ(maria.open_follow_ups(), 4);
  EXPECT_EQ(maria.overdue_follow_ups(), 1);
  EXPECT_EQ(maria.open_tickets(), 3);
  EXPECT_EQ(report->account_managers(1).open_follow_ups(), 0);
}

TEST_F(WorkloadReportTest, TheFilterNarrowsAccountsAndTheirWork) {
  ReportScope scope = March();
  scope.filter.set_account_manager("olga");
  auto report = Report(scope);
  ASSERT_TRUE(report.ok()) << report.status();
  // Only a3: bob's t3; maria's call on a3 still counts as hers, but she
  // manages none of the accounts in scope.
  ASSERT_EQ(report->agents_size(), 1);
  EXPECT_EQ(report->agents(0).agent(), "bob");
  EXPECT_EQ(report->agents(0).open_tickets(), 1);
  EXPECT_EQ(report->agents(0).tickets_assigned(), 1);
  EXPECT_EQ(report->agents(0).sla_breaches(), 0);
  ASSERT_EQ(report->account_managers_size(), 1);
  EXPECT_EQ(report->account_managers(0).account_manager(), "olga");
}

TEST_F(WorkloadReportTest, AccountsAreTheManagedOnes) {
  auto maria = Accounts(March(), "maria");
  ASSERT_TRUE(maria.ok()) << maria.status();
  EXPECT_THAT(*maria, ElementsAre("a1", "a2"));
  EXPECT_THAT(*Accounts(March(), "olga"), ElementsAre("a3"));
  EXPECT_THAT(*Accounts(March(), "nobody"), IsEmpty());
  EXPECT_EQ(Accounts(March(), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WorkloadReportTest, AnotherTenantSeesOnlyItsOwn) {
  auto report = Report(testing::Scope("globex", Utc(2024, 3, 1, 12),
                                      Utc(2024, 4, 1), Utc(2024, 4, 1)));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->agents_size(), 1);
  EXPECT_EQ(report->agents(0).open_tickets(), 1);
  EXPECT_EQ(report->agents(0).tickets_assigned(), 1);
  ASSERT_EQ(report->account_managers_size(), 1);
  EXPECT_EQ(report->account_managers(0).accounts(), 1);
  EXPECT_EQ(report->account_managers(0).interactions(), 1);
  EXPECT_EQ(report->account_managers(0).revenue().amount_minor_units(), 0);
}

}  // namespace
}  // namespace clientele::reporting

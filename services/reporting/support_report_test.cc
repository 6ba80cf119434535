// The support report on a golden data set fed as ticketing's events, every
// figure computed by hand below.
#include "services/reporting/support_report.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::clientele::reporting::testing::AccountCreated;
using ::clientele::reporting::testing::AccountDeleted;
using ::clientele::reporting::testing::AccountFields;
using ::clientele::reporting::testing::CsatResponded;
using ::clientele::reporting::testing::ScoreChanged;
using ::clientele::reporting::testing::SlaBreached;
using ::clientele::reporting::testing::SlaClockFields;
using ::clientele::reporting::testing::SolveFields;
using ::clientele::reporting::testing::TicketCreated;
using ::clientele::reporting::testing::TicketDeleted;
using ::clientele::reporting::testing::TicketFields;
using ::clientele::reporting::testing::TicketSolved;
using ::clientele::reporting::testing::TicketStatusChanged;
using ::clientele::reporting::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kCustomer = type::v1::RELATIONSHIP_MODE_CUSTOMER;
constexpr auto kClient = type::v1::RELATIONSHIP_MODE_CLIENT;
constexpr auto kStandard = type::v1::ACCOUNT_TIER_STANDARD;
constexpr auto kPremium = type::v1::ACCOUNT_TIER_PREMIUM;
constexpr auto kFirstResponse = events::v1::SLA_METRIC_FIRST_RESPONSE;
constexpr auto kResolution = events::v1::SLA_METRIC_RESOLUTION;
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

int64_t SecondsOf(const google::protobuf::Duration& duration) {
  return absl::ToInt64Seconds(ToDuration(duration));
}

// The backlog's five buckets' counts.
std::vector<int> Buckets(const v1::SupportMetrics& metrics) {
  std::vector<int> counts;
  for (const auto& bucket : metrics.backlog_by_age()) {
    counts.push_back(bucket.ticket_count());
  }
  return counts;
}

// The golden set. Time range [2024-03-01, 2024-04-01); acme's accounts a1
// (STANDARD, CUSTOMER) and a2 (PREMIUM, CLIENT) since 2024-01-01; a4 deleted
// on 02-01 (its ticket is never kept). Tickets (slice = mode/tier at
// creation):
//
// ticket slice      created        reply         solved     status at 04-01
// t1  a1 CUST/STD   03-01 00:00    +1h (b 30m)   03-02 00:00 SOLVED
//                   resolution 24h (business 8h); CSAT 5 on 03-03; clocks
//                   FIRST_RESPONSE met 03-01 01:00, RESOLUTION met 03-02
// t2  a1 CUST/STD   02-25          +2h           03-05 00:00 SOLVED
//                   resolution 7d pauses excluded (business 40h); CSAT 2 on
//                   03-06; FIRST_RESPONSE met 02-25 02:00 (before the
//                   range), RESOLUTION breached, stopped 03-05
// t3  a2 CLI/PREM   03-10 00:00    03-10 00:30   -          OPEN (reply not
//                   yet published as a duration: 30m elapsed); RESOLUTION
//                   breached while running, due 03-15
// t4  a2 CLI/PREM   04-01 00:00 (the range's end: not created in it)
//                                                          NEW
// t5  a1 CUST/STD   03-20          -             -          PENDING (03-21)
// t6  a1 CUST/STD   03-28          -             -          ON_HOLD (03-29)
// t7  a2 CLI/PREM   01-15          -             -          NEW
// t8  a1 CUST/STD   03-31 12:00    -             -          NEW
// t9  a1 CUST/STD   03-25          -             04-01 00:00 (the end: not
//                                                          solved in range)
// t10 a1            03-03, deleted 03-04: left out
// globex/g1: a ticket created, solved, rated and breached in March.
//
// Backlog ages at 04-01 00:00: t4 0, t8 12h, t5 12d, t3 22d, t7 77d.
class SupportReportTest : public testing::ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time created = Utc(2024, 1, 1);
    Apply("contacts", AccountCreated({.id = "a1", .time = created}));
    Apply("contacts",
          AccountCreated({.id = "a2", .time = created, .tier = kPremium}));
    Apply("contacts", AccountCreated({.id = "a4", .time = created}));
    Apply("engagement", ScoreChanged({.account = "a1", .time = created}));
    Apply("engagement",
          ScoreChanged({.account = "a2", .time = created, .mode = kClient}));
    Apply("contacts", AccountDeleted("a4", Utc(2024, 2, 1)));

    const auto customer = [](const std::string& id, absl::Time at) {
      return TicketFields{.id = id, .account = "a1", .time = at};
    };
    const auto client = [](const std::string& id, absl::Time at) {
      return TicketFields{.id = id,
                          .account = "a2",
                          .time = at,
                          .tier = kPremium,
                          .mode = kClient};
    };
    const auto later = [](TicketFields t, absl::Time at,
                          events::v1::TicketStatus status =
                              events::v1::TICKET_STATUS_OPEN) {
      t.create_time = t.time;
      t.time = at;
      t.status = status;
      return t;
    };

    TicketFields t1 = customer("t1", Utc(2024, 3, 1));
    Apply("ticketing", TicketCreated(t1));
    Apply("ticketing",
          TicketSolved(later(t1, Utc(2024, 3, 2)),
                       SolveFields{.first_response = absl::Hours(1),
                                   .resolution = absl::Hours(24),
                                   .business_first_response = absl::Minutes(30),
                                   .business_resolution = absl::Hours(8),
                                   .clocks = {{.metric = kFirstResponse,
                                               .stop_time = Utc(2024, 3, 1, 1),
                                               .due = Utc(2024, 3, 1, 2)},
                                              {.metric = kResolution,
                                               .stop_time = Utc(2024, 3, 2),
                                               .due = Utc(2024, 3, 3)}}}));
    Apply("ticketing", CsatResponded({.ticket = "t1",
                                      .account = "a1",
                                      .rating = 5,
                                      .time = Utc(2024, 3, 3)}));

    TicketFields t2 = customer("t2", Utc(2024, 2, 25));
    Apply("ticketing", TicketCreated(t2));
    Apply("ticketing",
          TicketSolved(later(t2, Utc(2024, 3, 5)),
                       SolveFields{.first_response = absl::Hours(2),
                                   .resolution = absl::Hours(7 * 24),
                                   .business_resolution = absl::Hours(40),
                                   .sla_breached = true,
                                   .clocks = {{.metric = kFirstResponse,
                                               .stop_time = Utc(2024, 2, 25, 2),
                                               .due = Utc(2024, 2, 25, 4)},
                                              {.metric = kResolution,
                                               .breached = true,
                                               .stop_time = Utc(2024, 3, 5),
                                               .due = Utc(2024, 3, 1)}}}));
    Apply("ticketing", CsatResponded({.ticket = "t2",
                                      .account = "a1",
                                      .rating = 2,
                                      .time = Utc(2024, 3, 6)}));

    TicketFields t3 = client("t3", Utc(2024, 3, 10));
    Apply("ticketing", TicketCreated(t3));
    t3 = later(t3, Utc(2024, 3, 10, 0, 30), events::v1::TICKET_STATUS_OPEN);
    t3.first_response_time = Utc(2024, 3, 10, 0, 30);
    Apply("ticketing", TicketStatusChanged(t3));
    t3.time = Utc(2024, 3, 15);
    Apply("ticketing", SlaBreached(t3, kResolution, Utc(2024, 3, 15)));

    Apply("ticketing", TicketCreated(client("t4", Utc(2024, 4, 1))));
    TicketFields t5 = customer("t5", Utc(2024, 3, 20));
    Apply("ticketing", TicketCreated(t5));
    Apply("ticketing",
          TicketStatusChanged(
              later(t5, Utc(2024, 3, 21), events::v1::TICKET_STATUS_PENDING)));
    TicketFields t6 = customer("t6", Utc(2024, 3, 28));
    Apply("ticketing", TicketCreated(t6));
    Apply("ticketing",
          TicketStatusChanged(
              later(t6, Utc(2024, 3, 29), events::v1::TICKET_STATUS_ON_HOLD)));
    Apply("ticketing", TicketCreated(client("t7", Utc(2024, 1, 15))));
    Apply("ticketing", TicketCreated(customer("t8", Utc(2024, 3, 31, 12))));
    TicketFields t9 = customer("t9", Utc(2024, 3, 25));
    Apply("ticketing", TicketCreated(t9));
    Apply("ticketing",
          TicketSolved(later(t9, Utc(2024, 4, 1)),
                       SolveFields{.resolution = absl::Hours(7 * 24)}));
    Apply("ticketing", TicketCreated(customer("t10", Utc(2024, 3, 3))));
    Apply("ticketing", TicketDeleted("t10", "a1", Utc(2024, 3, 4)));
    Apply(
        "ticketing",
        TicketCreated({.id = "t11", .account = "a4", .time = Utc(2024, 3, 5)}));

    // Another tenant.
    Apply("contacts",
          AccountCreated({.tenant = "globex", .id = "g1", .time = created}));
    TicketFields g = {.tenant = "globex",
                      .id = "gt1",
                      .account = "g1",
                      .time = Utc(2024, 3, 5)};
    Apply("ticketing", TicketCreated(g));
    Apply("ticketing",
          TicketSolved(later(g, Utc(2024, 3, 6)),
                       SolveFields{.first_response = absl::Hours(1),
                                   .resolution = absl::Hours(5),
                                   .clocks = {{.metric = kResolution,
                                               .breached = true,
                                               .stop_time = Utc(2024, 3, 6),
                                               .due = Utc(2024, 3, 5, 4)}}}));
    Apply("ticketing", CsatResponded({.tenant = "globex",
                                      .ticket = "gt1",
                                      .account = "g1",
                                      .rating = 1,
                                      .time = Utc(2024, 3, 7)}));
  }

  absl::StatusOr<v1::SupportReport> Report(const ReportScope& scope) {
    return Read(
        [&](sql::Transaction& txn) { return BuildSupportReport(txn, scope); });
  }
  absl::StatusOr<std::vector<std::string>> Accounts(
      const ReportScope& scope, const v1::SupportAggregate& aggregate) {
    return Read([&](sql::Transaction& txn) {
      return SupportAccounts(txn, scope, aggregate);
    });
  }

  static ReportScope March(absl::Time as_of = Utc(2024, 4, 1)) {
    return testing::Scope("acme", Utc(2024, 3, 1), Utc(2024, 4, 1), as_of);
  }
};

TEST_F(SupportReportTest, OverallFiguresAreTheHandComputedOnes) {
  auto report = Report(March());
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::SupportMetrics& m = report->overall();
  // Created in range: t1, t3, t5, t6, t8, t9 (t2 before, t4 at the end,
  // t10 deleted, t11's account deleted). Solved: t1, t2 (t9 at the end).
  EXPECT_EQ(m.tickets_created(), 6);
  EXPECT_EQ(m.tickets_solved(), 2);
  // CSAT 5 and 2: one of two rated 4-5, mean 3.5.
  EXPECT_EQ(m.csat_responses(), 2);
  EXPECT_DOUBLE_EQ(m.csat_rate(), 0.5);
  EXPECT_DOUBLE_EQ(m.average_csat_rating(), 3.5);
  // Clocks judged in range: t1 FR and RES (met), t2 RES and t3 RES
  // (breached); t2's FR was judged in February.
  EXPECT_EQ(m.sla_clocks(), 4);
  EXPECT_EQ(m.sla_breaches(), 2);
  EXPECT_DOUBLE_EQ(m.sla_compliance_rate(), 0.5);
  // First replies of tickets created in range: t1 3600 (business 1800), t3
  // 1800 (not yet solved: elapsed for both). Nearest rank of 2 values:
  // median the 1st, p90 the 2nd.
  EXPECT_EQ(SecondsOf(m.median_first_response()), 1800);
  EXPECT_EQ(SecondsOf(m.p90_first_response()), kHour);
  EXPECT_EQ(SecondsOf(m.business_median_first_response()), 1800);
  EXPECT_EQ(SecondsOf(m.business_p90_first_response()), 1800);
  // Resolutions: t1 24h (8h), t2 7d (40h).
  EXPECT_EQ(SecondsOf(m.median_resolution()), kDay);
  EXPECT_EQ(SecondsOf(m.p90_resolution()), 7 * kDay);
  EXPECT_EQ(SecondsOf(m.business_median_resolution()), 8 * kHour);
  EXPECT_EQ(SecondsOf(m.business_p90_resolution()), 40 * kHour);
  // Backlog at 04-01: t3, t4, t5, t7, t8 (t6 ON_HOLD apart, t9 solved at
  // that very moment); t3 breached. Ages 0, 12h, 12d, 22d, 77d: median the
  // 3rd (12d), oldest 77d.
  EXPECT_EQ(m.backlog(), 5);
  EXPECT_EQ(m.backlog_breached(), 1);
  EXPECT_EQ(m.on_hold(), 1);
  EXPECT_EQ(SecondsOf(m.median_backlog_age()), 12 * kDay);
  EXPECT_EQ(SecondsOf(m.oldest_backlog_age()), 77 * kDay);
  EXPECT_THAT(Buckets(m), ElementsAre(2, 0, 0, 2, 1));
  ASSERT_EQ(m.backlog_by_age_size(), 5);
  EXPECT_EQ(SecondsOf(m.backlog_by_age(1).min_age()), kDay);
  EXPECT_EQ(SecondsOf(m.backlog_by_age(1).max_age()), 3 * kDay);
  EXPECT_EQ(SecondsOf(m.backlog_by_age(4).min_age()), 30 * kDay);
  EXPECT_FALSE(m.backlog_by_age(4).has_max_age());
  EXPECT_EQ(report->metadata().currency_code(), "EUR");
}

TEST_F(SupportReportTest, SlicesAreByModeThenTierAtCreation) {
  auto report = Report(March());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->slices_size(), 2);
  const v1::SupportSlice& customers = report->slices(0);
  EXPECT_EQ(customers.mode(), kCustomer);
  EXPECT_EQ(customers.tier(), kStandard);
  const v1::SupportMetrics& c = customers.metrics();
  // t1, t5, t6, t8, t9 created; t1, t2 solved; both CSATs; 3 clocks, 1
  // breach; first reply t1 only; backlog t8 (12h), t5 (12d); t6 on hold.
  EXPECT_EQ(c.tickets_created(), 5);
  EXPECT_EQ(c.tickets_solved(), 2);
  EXPECT_EQ(c.csat_responses(), 2);
  EXPECT_EQ(c.sla_clocks(), 3);
  EXPECT_EQ(c.sla_breaches(), 1);
  EXPECT_DOUBLE_EQ(c.sla_compliance_rate(), 2.0 / 3.0);
  EXPECT_EQ(SecondsOf(c.median_first_response()), kHour);
  EXPECT_EQ(SecondsOf(c.business_median_first_response()), 1800);
  EXPECT_EQ(SecondsOf(c.median_resolution()), kDay);
  EXPECT_EQ(SecondsOf(c.p90_resolution()), 7 * kDay);
  EXPECT_EQ(c.backlog(), 2);
  EXPECT_EQ(c.on_hold(), 1);
  EXPECT_EQ(SecondsOf(c.median_backlog_age()), 12 * kHour);
  EXPECT_EQ(SecondsOf(c.oldest_backlog_age()), 12 * kDay);
  EXPECT_THAT(Buckets(c), ElementsAre(1, 0, 0, 1, 0));

  const v1::SupportSlice& clients = report->slices(1);
  EXPECT_EQ(clients.mode(), kClient);
  EXPECT_EQ(clients.tier(), kPremium);
  const v1::SupportMetrics& k = clients.metrics();
  // t3 created; nothing solved or rated; t3's RES clock breached; backlog
  // t4 (0), t3 (22d, breached), t7 (77d): median the 2nd.
  EXPECT_EQ(k.tickets_created(), 1);
  EXPECT_EQ(k.tickets_solved(), 0);
  EXPECT_EQ(k.csat_responses(), 0);
  EXPECT_DOUBLE_EQ(k.csat_rate(), 0.0);
  EXPECT_EQ(k.sla_clocks(), 1);
  EXPECT_DOUBLE_EQ(k.sla_compliance_rate(), 0.0);
  EXPECT_EQ(SecondsOf(k.median_first_response()), 1800);
  EXPECT_FALSE(k.has_median_resolution());
  EXPECT_EQ(k.backlog(), 3);
  EXPECT_EQ(k.backlog_breached(), 1);
  EXPECT_EQ(SecondsOf(k.median_backlog_age()), 22 * kDay);
  EXPECT_EQ(SecondsOf(k.oldest_backlog_age()), 77 * kDay);
  EXPECT_THAT(Buckets(k), ElementsAre(1, 0, 0, 1, 1));
}

TEST_F(SupportReportTest, APastAsOfTakesTheBacklogAndRepliesOfThen) {
  // As of 03-10 00:15: t3 is NEW (its reply at 00:30 is still to come, its
  // breach on 03-15), t7 NEW for 55 days and 15 minutes; t5, t6, t8 do not
  // exist yet. The only first reply by then is t1's.
  const absl::Time as_of = Utc(2024, 3, 10, 0, 15);
  auto report = Report(March(as_of));
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::SupportMetrics& m = report->overall();
  EXPECT_EQ(m.backlog(), 2);
  EXPECT_EQ(m.backlog_breached(), 0);
  EXPECT_EQ(m.on_hold(), 0);
  EXPECT_EQ(SecondsOf(m.median_backlog_age()), 900);
  EXPECT_EQ(SecondsOf(m.oldest_backlog_age()), 55 * kDay + 900);
  EXPECT_THAT(Buckets(m), ElementsAre(1, 0, 0, 0, 1));
  EXPECT_EQ(SecondsOf(m.median_first_response()), kHour);
  EXPECT_EQ(SecondsOf(m.p90_first_response()), kHour);
  auto backlog = Accounts(March(as_of), [] {
    v1::SupportAggregate aggregate;
    aggregate.set_backlog_only(true);
    return aggregate;
  }());
  ASSERT_TRUE(backlog.ok()) << backlog.status();
  EXPECT_THAT(*backlog, ElementsAre("a2"));
}

TEST_F(SupportReportTest, TheFilterAppliesToTheAccounts) {
  ReportScope scope = March();
  scope.filter.add_tiers(kPremium);
  auto report = Report(scope);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->overall().tickets_created(), 1);
  EXPECT_EQ(report->overall().backlog(), 3);
  ASSERT_EQ(report->slices_size(), 1);
  EXPECT_EQ(report->slices(0).mode(), kClient);
  auto accounts = Accounts(scope, v1::SupportAggregate());
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  EXPECT_THAT(*accounts, ElementsAre("a2"));
}

TEST_F(SupportReportTest, AccountsAreThoseOfTheAggregatesTickets) {
  v1::SupportAggregate aggregate;
  auto overall = Accounts(March(), aggregate);
  ASSERT_TRUE(overall.ok()) << overall.status();
  EXPECT_THAT(*overall, ElementsAre("a1", "a2"));

  aggregate.set_mode(kCustomer);
  aggregate.set_tier(kStandard);
  EXPECT_THAT(*Accounts(March(), aggregate), ElementsAre("a1"));
  aggregate.set_backlog_only(true);
  EXPECT_THAT(*Accounts(March(), aggregate), ElementsAre("a1"));
  aggregate.set_mode(kClient);
  aggregate.set_tier(kPremium);
  EXPECT_THAT(*Accounts(March(), aggregate), ElementsAre("a2"));
  // A slice the report does not have.
  aggregate.set_tier(kStandard);
  EXPECT_THAT(*Accounts(March(), aggregate), IsEmpty());

  aggregate.set_mode(static_cast<type::v1::RelationshipMode>(42));
  EXPECT_EQ(Accounts(March(), aggregate).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Durations count to their step, about a tenth of them (support_facts.h):
// replies after 7 s, 2 h 14 min and 41 h 59 min count as 7 s, 2 h 10 min and
// 41 h; read from the maintained counts (as of the last event) as from the
// tickets themselves.
TEST_F(SupportReportTest, DurationsCountToTheirStep) {
  Apply("contacts",
        AccountCreated(
            {.tenant = "initech", .id = "i1", .time = Utc(2024, 1, 1)}));
  const int64_t replies[] = {7, 2 * kHour + 14 * kMinute,
                             41 * kHour + 59 * kMinute};
  const int64_t resolutions[] = {99, 12 * kDay + 23 * kHour, 7 * kDay};
  absl::Time at = Utc(2024, 5, 1);
  for (int i = 0; i < 3; ++i) {
    TicketFields ticket{.tenant = "initech",
                        .id = absl::StrCat("i-t", i),
                        .account = "i1",
                        .time = at};
    Apply("ticketing", TicketCreated(ticket));
    ticket.create_time = at;
    ticket.time = at + absl::Hours(50);
    Apply(
        "ticketing",
        TicketSolved(ticket,
                     SolveFields{.first_response = absl::Seconds(replies[i]),
                                 .resolution = absl::Seconds(resolutions[i])}));
    at += absl::Hours(60);
  }
  for (const bool fallback : {false, true}) {
    ReportScope scope = testing::Scope("initech", Utc(2024, 5, 1),
                                       Utc(2024, 6, 1), at - absl::Hours(10));
    scope.force_fallback = fallback;
    auto report = Report(scope);
    ASSERT_TRUE(report.ok()) << report.status();
    const v1::SupportMetrics& m = report->overall();
    EXPECT_EQ(m.tickets_solved(), 3);
    EXPECT_EQ(SecondsOf(m.median_first_response()), 2 * kHour + 10 * kMinute);
    EXPECT_EQ(SecondsOf(m.p90_first_response()), 41 * kHour);
    EXPECT_EQ(SecondsOf(m.median_resolution()), 7 * kDay);
    EXPECT_EQ(SecondsOf(m.p90_resolution()), 12 * kDay);
    EXPECT_EQ(SecondsOf(m.business_median_first_response()),
              2 * kHour + 10 * kMinute);
  }
}

// A first reply dated after as_of (ahead of the newest event) is left out
// of a report as of before it, though the maintained counts hold it.
TEST_F(SupportReportTest, AReplyDatedAfterAsOfIsLeftOut) {
  Apply("contacts",
        AccountCreated(
            {.tenant = "initech", .id = "i1", .time = Utc(2024, 1, 1)}));
  const absl::Time created = Utc(2024, 5, 1);
  Apply("ticketing",
        TicketCreated({.tenant = "initech",
                       .id = "i-t9",
                       .account = "i1",
                       .time = created,
                       .first_response_time = created + absl::Hours(2)}));
  for (const absl::Duration after : {absl::Hours(1), absl::Hours(3)}) {
    auto report = Report(testing::Scope("initech", Utc(2024, 5, 1),
                                        Utc(2024, 6, 1), created + after));
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->overall().tickets_created(), 1);
    EXPECT_EQ(report->overall().has_median_first_response(),
              after > absl::Hours(2));
  }
}

// A rating outside 1..5 (ticketing never sends one) is not a response.
TEST_F(SupportReportTest, ARatingOutsideOneToFiveIsNotCounted) {
  Apply("contacts",
        AccountCreated(
            {.tenant = "initech", .id = "i1", .time = Utc(2024, 1, 1)}));
  const absl::Time at = Utc(2024, 5, 1);
  Apply("ticketing",
        TicketCreated(
            {.tenant = "initech", .id = "i-t8", .account = "i1", .time = at}));
  for (const int32_t rating : {-1, 0, 6, 4}) {
    Apply("ticketing", CsatResponded({.tenant = "initech",
                                      .ticket = "i-t8",
                                      .account = "i1",
                                      .rating = rating,
                                      .time = at}));
  }
  for (const bool fallback : {false, true}) {
    ReportScope scope =
        testing::Scope("initech", Utc(2024, 5, 1), Utc(2024, 6, 1), at);
    scope.force_fallback = fallback;
    auto report = Report(scope);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->overall().csat_responses(), 1);
    EXPECT_EQ(report->overall().average_csat_rating(), 4.0);
  }
}

TEST_F(SupportReportTest, AnotherTenantSeesOnlyItsOwn) {
  auto report = Report(testing::Scope("globex", Utc(2024, 3, 1),
                                      Utc(2024, 4, 1), Utc(2024, 4, 1)));
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::SupportMetrics& m = report->overall();
  EXPECT_EQ(m.tickets_created(), 1);
  EXPECT_EQ(m.tickets_solved(), 1);
  EXPECT_EQ(m.csat_responses(), 1);
  EXPECT_EQ(m.sla_breaches(), 1);
  EXPECT_EQ(m.backlog(), 0);
  EXPECT_EQ(SecondsOf(m.median_resolution()), 5 * kHour);
  auto accounts = Read([&](sql::Transaction& txn) {
    return SupportAccounts(txn,
                           testing::Scope("globex", Utc(2024, 3, 1),
                                          Utc(2024, 4, 1), Utc(2024, 4, 1)),
                           v1::SupportAggregate());
  });
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  EXPECT_THAT(*accounts, ElementsAre("g1"));
}

}  // namespace
}  // namespace clientele::reporting

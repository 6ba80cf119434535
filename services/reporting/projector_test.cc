// The read model from events: each family of events applied, then the rows
// a report reads (the tables of reporting_schema.cc, and ScopedAccounts /
// RevenueByAccount over them).
#include "services/reporting/projector.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/reporting_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class ProjectorTest : public testing::ReportingFixture {
 protected:
  // The ids ScopedAccounts answers for `tenant` as of `as_of`, with the
  // filter's tiers.
  std::vector<std::string> InScope(
      absl::Time as_of, const std::vector<type::v1::AccountTier>& tiers = {},
      const std::string& tenant = "acme") {
    ReportScope scope = testing::Scope(tenant, as_of, as_of, as_of);
    for (type::v1::AccountTier tier : tiers) scope.filter.add_tiers(tier);
    const SqlFragment accounts = ScopedAccounts(scope);
    std::vector<std::string> ids;
    for (const sql::Row& row :
         Query(absl::StrCat(accounts.sql, " ORDER BY v.account_id"),
               accounts.params)) {
      ids.push_back(row.String(kAccountId));
    }
    return ids;
  }

  // account_id -> (recurring, transactional) in EUR over [start, end).
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> Revenue(
      absl::Time start, absl::Time end, const std::string& tenant = "acme") {
    const SqlFragment revenue =
        RevenueByAccount(testing::Scope(tenant, start, end, end));
    std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> out;
    for (const sql::Row& row :
         Query(absl::StrCat("SELECT * FROM (", revenue.sql,
                            ") ORDER BY account_id"),
               revenue.params)) {
      out.push_back({row.String(0), {row.Int(1), row.Int(2)}});
    }
    return out;
  }

  // The ticket's (status, assignee) as of `at`.
  std::pair<int64_t, std::string> TicketAsOf(const std::string& id,
                                             absl::Time at) {
    const std::vector<sql::Row> rows = Query(
        "SELECT status, assignee FROM ticket_versions WHERE tenant = "
        "'acme' AND ticket_id = ? AND from_us <= ? AND ? < to_us",
        {id, ToMicros(at), ToMicros(at)});
    EXPECT_EQ(rows.size(), 1u) << id;
    if (rows.empty()) return {-1, ""};
    return {rows[0].Int(0), rows[0].String(1)};
  }
};

using testing::Utc;

TEST_F(ProjectorTest, AccountVersionsAnswerAsOfBeforeAndAfterAChange) {
  Apply("contacts", testing::AccountCreated(
                        {.id = "a1",
                         .time = Utc(2024, 1, 10),
                         .owner = "u-own",
                         .model = type::v1::COMMERCIAL_MODEL_SUBSCRIPTION,
                         .billing_cycle = type::v1::BILLING_CYCLE_MONTHLY,
                         .recurring_minor = 9900,
                         .contract_start = absl::CivilDay(2024, 1, 1)}));
  Apply("contacts",
        testing::AccountUpdated({.id = "a1",
                                 .time = Utc(2024, 3, 1),
                                 .create_time = Utc(2024, 1, 10),
                                 .tier = type::v1::ACCOUNT_TIER_PREMIUM,
                                 .owner = "u-own"}));

  EXPECT_THAT(InScope(Utc(2024, 1, 9)), IsEmpty());  // not created yet
  EXPECT_THAT(InScope(Utc(2024, 2, 1), {type::v1::ACCOUNT_TIER_STANDARD}),
              ElementsAre("a1"));
  EXPECT_THAT(InScope(Utc(2024, 2, 1), {type::v1::ACCOUNT_TIER_PREMIUM}),
              IsEmpty());
  EXPECT_THAT(InScope(Utc(2024, 3, 1), {type::v1::ACCOUNT_TIER_PREMIUM}),
              ElementsAre("a1"));
  EXPECT_THAT(InScope(Utc(2024, 3, 1), {type::v1::ACCOUNT_TIER_STANDARD}),
              IsEmpty());

  // Without an acquisition date the cohort is the create day; the terms
  // are the version's.
  const auto rows = Query(
      "SELECT acquisition_day, recurring_minor, recurring_currency, "
      "contract_start_day, contract_end_day FROM account_versions "
      "WHERE account_id = 'a1' ORDER BY from_us");
  ASSERT_EQ(rows.size(), 2u);
  const int64_t jan10 = absl::CivilDay(2024, 1, 10) - absl::CivilDay(1970);
  EXPECT_EQ(rows[0].Int(0), jan10);
  EXPECT_EQ(rows[0].Int(1), 9900);
  EXPECT_EQ(rows[0].String(2), "EUR");
  EXPECT_EQ(rows[0].Int(3), jan10 - 9);
  EXPECT_TRUE(rows[0].IsNull(4));
  EXPECT_EQ(rows[1].Int(0), jan10);
  EXPECT_EQ(rows[1].Int(1), 0);
  EXPECT_TRUE(rows[1].IsNull(3));
}

TEST_F(ProjectorTest, VersionsNeverOverlap) {
  Apply("contacts",
        testing::AccountCreated({.id = "a1", .time = Utc(2024, 2, 1)}));
  // The same state again: no new version.
  Apply("contacts", testing::AccountUpdated({.id = "a1",
                                             .time = Utc(2024, 2, 5),
                                             .create_time = Utc(2024, 2, 1)}));
  // A change stamped before the current version starts at its start and
  // replaces it.
  Apply("contacts",
        testing::AccountUpdated({.id = "a1",
                                 .time = Utc(2024, 1, 20),
                                 .create_time = Utc(2024, 2, 1),
                                 .tier = type::v1::ACCOUNT_TIER_ENTERPRISE}));
  Apply("contacts",
        testing::AccountUpdated({.id = "a1",
                                 .time = Utc(2024, 3, 1),
                                 .create_time = Utc(2024, 2, 1),
                                 .tier = type::v1::ACCOUNT_TIER_PREMIUM}));
  std::vector<std::pair<int64_t, int64_t>> spans;
  std::vector<int64_t> tiers;
  for (const sql::Row& row :
       Query("SELECT from_us, to_us, tier FROM account_versions "
             "ORDER BY from_us")) {
    spans.push_back({row.Int(0), row.Int(1)});
    tiers.push_back(row.Int(2));
  }
  EXPECT_THAT(spans, ElementsAre(Pair(testing::UtcUs(2024, 2, 1),
                                      testing::UtcUs(2024, 3, 1)),
                                 Pair(testing::UtcUs(2024, 3, 1), kOpenEndUs)));
  EXPECT_THAT(tiers, ElementsAre(type::v1::ACCOUNT_TIER_ENTERPRISE,
                                 type::v1::ACCOUNT_TIER_PREMIUM));
}

TEST_F(ProjectorTest, ScoresAreVersionedWithTheirReasons) {
  Apply("contacts",
        testing::AccountCreated({.id = "a1", .time = Utc(2024, 1, 1)}));
  Apply("engagement",
        testing::ScoreChanged({.account = "a1",
                               .time = Utc(2024, 1, 2),
                               .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                               .score = 80,
                               .band = type::v1::SCORE_BAND_STRONG}));
  Apply("engagement",
        testing::ScoreChanged(
            {.account = "a1",
             .time = Utc(2024, 2, 1),
             .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
             .score = 30,
             .band = type::v1::SCORE_BAND_AT_RISK,
             .reasons = {"No contact in 60 days", "Refund requested"},
             .trend = -50}));
  const auto at = [&](absl::Time as_of) {
    ReportScope scope = testing::Scope("acme", as_of, as_of, as_of);
    const SqlFragment accounts = ScopedAccounts(scope);
    const auto rows = Query(accounts.sql, accounts.params);
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty()
               ? std::string()
               : absl::StrCat(rows[0].Int(kMode), "/", rows[0].Int(kScore), "/",
                              rows[0].Int(kBand), "/", rows[0].Int(kTrendDelta),
                              "/", rows[0].String(kRiskReasons));
  };
  EXPECT_EQ(at(Utc(2024, 1, 1, 12)), "0/0/0/0/");  // not scored yet
  EXPECT_EQ(at(Utc(2024, 1, 15)), "2/80/4/0/");
  EXPECT_EQ(at(Utc(2024, 2, 1)),
            "2/30/1/-50/No contact in 60 days\nRefund requested");
}

TEST_F(ProjectorTest, InteractionsFeedRevenueAndActivityDays) {
  Apply("contacts",
        testing::AccountCreated({.id = "a1", .time = Utc(2024, 1, 1)}));
  Apply("engagement",
        testing::Interactions(
            {{.id = "p1",
              .account = "a1",
              .time = Utc(2024, 3, 1, 9),
              .kind = events::v1::INTERACTION_KIND_PURCHASE,
              .amount = 1000,
              .currency = "EUR"},
             {.id = "s1",
              .account = "a1",
              .time = Utc(2024, 3, 1, 10),
              .kind = events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT,
              .amount = 500,
              .currency = "EUR"},
             {.id = "r1",
              .account = "a1",
              .time = Utc(2024, 3, 1, 11),
              .kind = events::v1::INTERACTION_KIND_REFUND,
              .amount = -200,
              .currency = "EUR"},
             {.id = "m1",
              .account = "a1",
              .time = Utc(2024, 3, 1, 12),
              .kind = events::v1::INTERACTION_KIND_MEETING,
              .staff = "u-am"},
             {.id = "n1",
              .account = "a1",
              .time = Utc(2024, 3, 2),
              .kind = events::v1::INTERACTION_KIND_NEWSLETTER},
             {.id = "e1",
              .account = "a1",
              .time = Utc(2024, 3, 2),
              .kind = events::v1::INTERACTION_KIND_EMAIL,
              .staff = "u-am",
              .personalized = true},
             {.id = "q1",
              .account = "a1",
              .time = Utc(2024, 3, 2),
              .kind = events::v1::INTERACTION_KIND_PROPOSAL,
              .amount = 70000,
              .currency = "EUR",
              .staff = "u-am"}}));
  // A refund published with a positive amount still reduces revenue.
  Apply("engagement",
        testing::Interaction({.id = "r2",
                              .account = "a1",
                              .time = Utc(2024, 3, 2),
                              .kind = events::v1::INTERACTION_KIND_REFUND,
                              .amount = 50,
                              .currency = "EUR"}));

  // Revenue on 1 March: recurring 500; transactional 1000 - 200 = 800.
  // 2 March: the refund of 50; the proposal is not revenue.
  const int64_t mar1 = absl::CivilDay(2024, 3, 1) - absl::CivilDay(1970);
  std::vector<std::string> revenue_days;
  for (const sql::Row& row :
       Query("SELECT day, currency, recurring_minor, transactional_minor, "
             "interactions FROM revenue_days ORDER BY day")) {
    revenue_days.push_back(absl::StrCat(row.Int(0) - mar1, " ", row.String(1),
                                        " ", row.Int(2), " ", row.Int(3), " ",
                                        row.Int(4)));
  }
  EXPECT_THAT(revenue_days, ElementsAre("0 EUR 500 800 3", "1 EUR 0 -50 1"));
  // Activity: 1 March, three without staff and the meeting (relationship)
  // by u-am; 2 March the newsletter and the refund without staff, the
  // personalized email (relationship) and the proposal by u-am.
  std::vector<std::string> activity_days;
  for (const sql::Row& row :
       Query("SELECT day, staff_user, interactions, "
             "relationship_interactions FROM activity_days "
             "ORDER BY day, staff_user")) {
    activity_days.push_back(absl::StrCat(row.Int(0) - mar1, " ", row.String(1),
                                         " ", row.Int(2), " ", row.Int(3)));
  }
  EXPECT_THAT(activity_days,
              ElementsAre("0  3 0", "0 u-am 1 1", "1  2 0", "1 u-am 2 1"));
  // Over a range cut mid-day: whole days from the aggregate, the edges from
  // the interactions (1 March 10:00 .. 2 March 00:00 + the whole 2nd).
  EXPECT_THAT(Revenue(Utc(2024, 3, 1, 10), Utc(2024, 3, 3)),
              ElementsAre(Pair("a1", Pair(500, -200 - 50))));
  EXPECT_THAT(Revenue(Utc(2024, 2, 1), Utc(2024, 4, 1)),
              ElementsAre(Pair("a1", Pair(500, 750))));
}

TEST_F(ProjectorTest, InteractionDeliveredAgainCountsOnce) {
  events::v1::Event event =
      testing::Interaction({.id = "p1",
                            .account = "a1",
                            .time = Utc(2024, 3, 1),
                            .kind = events::v1::INTERACTION_KIND_PURCHASE,
                            .amount = 1000,
                            .currency = "EUR"});
  Apply("engagement", event);
  event.set_event_id("another-id");  // a replay under another event id
  Apply("engagement", event);
  EXPECT_THAT(Revenue(Utc(2024, 1, 1), Utc(2025, 1, 1)),
              ElementsAre(Pair("a1", Pair(0, 1000))));
  EXPECT_EQ(QueryInt("SELECT SUM(interactions) FROM activity_days"), 1);
}

TEST_F(ProjectorTest, InteractionDeletedUndoesItsShare) {
  Apply("engagement",
        testing::Interactions({{.id = "p1",
                                .account = "a1",
                                .time = Utc(2024, 3, 1),
                                .kind = events::v1::INTERACTION_KIND_PURCHASE,
                                .amount = 1000,
                                .currency = "EUR",
                                .staff = "u1"},
                               {.id = "p2",
                                .account = "a1",
                                .time = Utc(2024, 3, 1),
                                .kind = events::v1::INTERACTION_KIND_PURCHASE,
                                .amount = 300,
                                .currency = "EUR",
                                .staff = "u1"}}));
  Apply("engagement", testing::InteractionDeleted("p1", "a1", Utc(2024, 3, 5)));
  EXPECT_THAT(Revenue(Utc(2024, 1, 1), Utc(2025, 1, 1)),
              ElementsAre(Pair("a1", Pair(0, 300))));
  Apply("engagement", testing::InteractionDeleted("p2", "a1", Utc(2024, 3, 6)));
  // Unknown: nothing to undo.
  Apply("engagement", testing::InteractionDeleted("zz", "a1", Utc(2024, 3, 6)));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM revenue_days"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM activity_days"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM interactions"), 0);
}

TEST_F(ProjectorTest, TicketsKeepTheirHistoryClocksAndSurveys) {
  testing::TicketFields t{.id = "t1",
                          .account = "a1",
                          .time = Utc(2024, 5, 1, 9),
                          .tier = type::v1::ACCOUNT_TIER_PREMIUM,
                          .mode = type::v1::RELATIONSHIP_MODE_CLIENT};
  Apply("ticketing", testing::TicketCreated(t));
  t.create_time = t.time;
  t.time = Utc(2024, 5, 1, 10);
  t.assignee = "u-agent";
  Apply("ticketing", testing::TicketAssigned(t));
  t.time = Utc(2024, 5, 1, 11);
  t.status = events::v1::TICKET_STATUS_OPEN;
  Apply("ticketing", testing::TicketStatusChanged(t));
  t.time = Utc(2024, 5, 2, 9);
  Apply("ticketing", testing::SlaBreached(t, events::v1::SLA_METRIC_RESOLUTION,
                                          Utc(2024, 5, 2, 9)));
  t.time = Utc(2024, 5, 3, 9);
  Apply("ticketing",
        testing::TicketSolved(
            t, {.first_response = absl::Hours(2),
                .resolution = absl::Hours(48),
                .business_first_response = absl::Hours(1),
                .business_resolution = absl::Hours(16),
                .sla_breached = true,
                .clocks = {{.metric = events::v1::SLA_METRIC_FIRST_RESPONSE,
                            .stop_time = Utc(2024, 5, 1, 11),
                            .due = Utc(2024, 5, 1, 13)},
                           {.metric = events::v1::SLA_METRIC_RESOLUTION,
                            .breached = true,
                            .stop_time = Utc(2024, 5, 3, 9),
                            .due = Utc(2024, 5, 2, 9)}}}));
  Apply("ticketing",
        testing::CsatResponded({.survey = "s1",
                                .ticket = "t1",
                                .account = "a1",
                                .rating = 4,
                                .time = Utc(2024, 5, 4),
                                .mode = type::v1::RELATIONSHIP_MODE_CLIENT,
                                .tier = type::v1::ACCOUNT_TIER_PREMIUM}));

  EXPECT_THAT(TicketAsOf("t1", Utc(2024, 5, 1, 9, 30)),
              Pair(events::v1::TICKET_STATUS_NEW, ""));
  EXPECT_THAT(TicketAsOf("t1", Utc(2024, 5, 1, 10, 30)),
              Pair(events::v1::TICKET_STATUS_NEW, "u-agent"));
  EXPECT_THAT(TicketAsOf("t1", Utc(2024, 5, 2)),
              Pair(events::v1::TICKET_STATUS_OPEN, "u-agent"));
  EXPECT_THAT(TicketAsOf("t1", Utc(2024, 6, 1)),
              Pair(events::v1::TICKET_STATUS_SOLVED, "u-agent"));
  const auto ticket = Query(
      "SELECT account_id, mode, tier, create_us, first_response_us, "
      "solve_us, first_response_s, resolution_s, "
      "business_first_response_s, business_resolution_s, deleted "
      "FROM tickets");
  ASSERT_EQ(ticket.size(), 1u);
  EXPECT_EQ(ticket[0].String(0), "a1");
  EXPECT_EQ(ticket[0].Int(1), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(ticket[0].Int(2), type::v1::ACCOUNT_TIER_PREMIUM);
  EXPECT_EQ(ticket[0].Int(3), testing::UtcUs(2024, 5, 1, 9));
  EXPECT_EQ(ticket[0].Int(4), testing::UtcUs(2024, 5, 1, 11));
  EXPECT_EQ(ticket[0].Int(5), testing::UtcUs(2024, 5, 3, 9));
  EXPECT_EQ(ticket[0].Int(6), 2 * 3600);
  EXPECT_EQ(ticket[0].Int(7), 48 * 3600);
  EXPECT_EQ(ticket[0].Int(8), 3600);
  EXPECT_EQ(ticket[0].Int(9), 16 * 3600);
  EXPECT_EQ(ticket[0].Int(10), 0);
  std::vector<std::string> clocks;
  for (const sql::Row& row :
       Query("SELECT metric, breached, due_us, judged_us FROM sla_clocks "
             "ORDER BY metric")) {
    clocks.push_back(absl::StrCat(
        row.Int(0), " ", row.Int(1), " ",
        row.Int(2) == testing::UtcUs(2024, 5, 1, 13) ? "due 1 May 13:00"
                                                     : "due 2 May 09:00",
        " judged ", (row.Int(3) - row.Int(2)) / 3600000000, "h after"));
  }
  EXPECT_THAT(clocks, ElementsAre("1 0 due 1 May 13:00 judged -2h after",
                                  "3 1 due 2 May 09:00 judged 24h after"));
  const auto csat = Query(
      "SELECT ticket_id, account_id, agent, rating, respond_us, mode, tier "
      "FROM csat_responses WHERE survey_id = 's1'");
  ASSERT_EQ(csat.size(), 1u);
  EXPECT_EQ(csat[0].String(0), "t1");
  EXPECT_EQ(csat[0].Int(3), 4);
  EXPECT_EQ(csat[0].Int(4), testing::UtcUs(2024, 5, 4));
  EXPECT_EQ(csat[0].Int(5), type::v1::RELATIONSHIP_MODE_CLIENT);
}

TEST_F(ProjectorTest, BreachWhileRunningIsJudgedAtItsDueTime) {
  testing::TicketFields t{
      .id = "t1", .account = "a1", .time = Utc(2024, 5, 1, 9)};
  Apply("ticketing", testing::TicketCreated(t));
  t.create_time = t.time;
  t.time = Utc(2024, 5, 1, 13, 5);
  Apply("ticketing",
        testing::SlaBreached(t, events::v1::SLA_METRIC_FIRST_RESPONSE,
                             Utc(2024, 5, 1, 13)));
  const auto rows = Query("SELECT breached, due_us, judged_us FROM sla_clocks");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Int(2), testing::UtcUs(2024, 5, 1, 13));
}

TEST_F(ProjectorTest, FollowUpsAreOpenUntilDoneCancelledOrDeleted) {
  const testing::FollowUpFields base{.account = "a1",
                                     .assignee = "u1",
                                     .time = Utc(2024, 4, 1),
                                     .due = Utc(2024, 4, 10)};
  for (const char* id : {"f1", "f2", "f3", "f4"}) {
    testing::FollowUpFields f = base;
    f.id = id;
    Apply("engagement", testing::FollowUpCreated(f));
  }
  testing::FollowUpFields f1 = base;
  f1.id = "f1";
  f1.time = Utc(2024, 4, 5);
  Apply("engagement", testing::FollowUpCompleted(f1));
  testing::FollowUpFields f2 = base;
  f2.id = "f2";
  f2.time = Utc(2024, 4, 6);
  f2.state = events::v1::FOLLOW_UP_STATE_CANCELLED;
  Apply("engagement", testing::FollowUpUpdated(f2));
  testing::FollowUpFields f3 = base;
  f3.id = "f3";
  f3.time = Utc(2024, 4, 7);
  Apply("engagement", testing::FollowUpDeleted(f3));
  testing::FollowUpFields f4 = base;
  f4.id = "f4";
  f4.time = Utc(2024, 4, 8);
  f4.assignee = "u2";
  f4.due = Utc(2024, 4, 20);
  Apply("engagement", testing::FollowUpUpdated(f4));

  std::vector<std::string> rows;
  for (const sql::Row& row :
       Query("SELECT follow_up_id, assignee, create_us, due_us, done_us, "
             "completed FROM follow_ups ORDER BY follow_up_id")) {
    EXPECT_EQ(row.Int(2), testing::UtcUs(2024, 4, 1));
    rows.push_back(absl::StrCat(
        row.String(0), " ", row.String(1), " due ",
        absl::FormatTime("%d", FromMicros(row.Int(3)), absl::UTCTimeZone()),
        " done ",
        row.IsNull(4) ? "-"
                      : absl::FormatTime("%d", FromMicros(row.Int(4)),
                                         absl::UTCTimeZone()),
        " ", row.Int(5)));
  }
  EXPECT_THAT(rows,
              ElementsAre("f1 u1 due 10 done 05 1", "f2 u1 due 10 done 06 0",
                          "f3 u1 due 10 done 07 0", "f4 u2 due 20 done - 0"));
}

TEST_F(ProjectorTest, DealsAreVersioned) {
  testing::DealFields deal{.id = "d1",
                           .account = "a1",
                           .time = Utc(2024, 1, 5),
                           .amount = 100000,
                           .probability = 0.2,
                           .expected_close = absl::CivilDay(2024, 3, 31)};
  Apply("engagement", testing::DealCreated(deal));
  deal.create_time = deal.time;
  deal.time = Utc(2024, 2, 1);
  deal.stage = events::v1::DEAL_STAGE_NEGOTIATION;
  deal.probability = 0.6;
  Apply("engagement", testing::DealUpdated(deal));
  deal.time = Utc(2024, 3, 15);
  Apply("engagement", testing::DealWon(deal));
  const auto stage_at = [&](absl::Time at) {
    return QueryInt(
        "SELECT stage FROM deal_versions WHERE tenant = 'acme' AND "
        "deal_id = 'd1' AND from_us <= ? AND ? < to_us",
        {ToMicros(at), ToMicros(at)});
  };
  EXPECT_EQ(stage_at(Utc(2024, 1, 20)), events::v1::DEAL_STAGE_QUALIFYING);
  EXPECT_EQ(stage_at(Utc(2024, 2, 20)), events::v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_EQ(stage_at(Utc(2024, 4, 1)), events::v1::DEAL_STAGE_WON);
  EXPECT_EQ(QueryInt("SELECT close_day FROM deal_versions WHERE to_us = ?",
                     {kOpenEndUs}),
            absl::CivilDay(2024, 3, 15) - absl::CivilDay(1970));
}

}  // namespace
}  // namespace clientele::reporting

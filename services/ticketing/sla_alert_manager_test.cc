#include "services/ticketing/sla_alert_manager.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// "ticket metric state" of each alert.
std::vector<std::string> Described(const v1::ListSlaAlertsResponse& response) {
  std::vector<std::string> out;
  for (const v1::SlaAlert& alert : response.sla_alerts()) {
    const std::string metric = v1::SlaMetric_Name(alert.metric());
    const std::string state = v1::SlaAlertState_Name(alert.state());
    out.push_back(absl::StrCat(alert.ticket(), " ",
                               absl::StripPrefix(metric, "SLA_METRIC_"), " ",
                               absl::StripPrefix(state, "SLA_ALERT_STATE_")));
  }
  return out;
}

std::vector<std::string> EventTypes(
    const std::vector<events::v1::Event>& events) {
  std::vector<std::string> types;
  for (const events::v1::Event& event : events) {
    const auto* field = event.GetReflection()->GetOneofFieldDescriptor(
        event, event.GetDescriptor()->FindOneofByName("payload"));
    types.push_back(field == nullptr ? "?" : field->name());
  }
  return types;
}

class SlaAlertManagerTest : public SlaFixture {
 protected:
  absl::StatusOr<v1::ListSlaAlertsResponse> List(
      const v1::ListSlaAlertsRequest& request) {
    return alerts_->List(admin_, request);
  }
  std::vector<std::string> ListAll(v1::ListSlaAlertsRequest request = {}) {
    request.set_page_size(100);
    auto listed = List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? Described(*listed) : std::vector<std::string>();
  }

  // Policy: first response in 1h, resolution in 10h, around the clock.
  // t1 (maria, a1) at T0, t2 (ivan, a2) at T0+2h, t3 at T0+4h goes PENDING
  // at once; now is T0+8.5h: both first responses are breached, t1's
  // resolution (due T0+10h) is at risk, t2's (due T0+12h) not yet.
  void MakeTickets() {
    v1::SlaPolicy policy;
    policy.set_display_name("Default");
    policy.set_rank(100);
    *policy.mutable_first_response_target() = Hours(1);
    *policy.mutable_resolution_target() = Hours(10);
    MustCreatePolicy(policy);
    t0_ = now();
    t1_ = NewTicket("t1", "a1");
    t1_.set_assignee("maria");
    Create(&t1_);
    clock_.Advance(absl::Hours(2));
    t2_ = NewTicket("t2", "a2", v1::TICKET_PRIORITY_HIGH);
    t2_.set_assignee("ivan");
    Create(&t2_);
    clock_.Advance(absl::Hours(2));
    t3_ = NewTicket("t3", "a1");
    Create(&t3_);
    ChangeStatus(&t3_, v1::TICKET_STATUS_PENDING);
    clock_.Set(t0_ + absl::Hours(8.5));
  }

  absl::Time t0_;
  v1::Ticket t1_, t2_, t3_;
};

TEST_F(SlaAlertManagerTest, ListsBreachesThenWarningsEarliestDueFirst) {
  MakeTickets();
  EXPECT_THAT(ListAll(), ElementsAre("tickets/t1 FIRST_RESPONSE BREACHED",
                                     "tickets/t2 FIRST_RESPONSE BREACHED",
                                     "tickets/t1 RESOLUTION AT_RISK"));

  v1::ListSlaAlertsRequest request;
  auto listed = List(request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  const v1::SlaAlert& breach = listed->sla_alerts(0);
  EXPECT_EQ(breach.account(), "accounts/a1");
  EXPECT_EQ(breach.assignee(), "maria");
  EXPECT_EQ(breach.team(), "support");
  EXPECT_EQ(breach.priority(), v1::TICKET_PRIORITY_NORMAL);
  EXPECT_EQ(breach.account_tier(), type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_EQ(breach.relationship_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(ToTime(breach.due_time()), t0_ + absl::Hours(1));
  EXPECT_EQ(ToDuration(breach.overdue_by()), absl::Hours(7.5));
  EXPECT_EQ(ToDuration(breach.remaining()), absl::ZeroDuration());
  const v1::SlaAlert& warning = listed->sla_alerts(2);
  EXPECT_EQ(ToDuration(warning.remaining()), absl::Hours(1.5));
  EXPECT_EQ(ToDuration(warning.overdue_by()), absl::ZeroDuration());
}

TEST_F(SlaAlertManagerTest, FiltersCombine) {
  MakeTickets();
  v1::ListSlaAlertsRequest request;
  request.set_state(v1::SLA_ALERT_STATE_AT_RISK);
  EXPECT_THAT(ListAll(request), ElementsAre("tickets/t1 RESOLUTION AT_RISK"));
  request.set_state(v1::SLA_ALERT_STATE_BREACHED);
  EXPECT_THAT(ListAll(request),
              ElementsAre("tickets/t1 FIRST_RESPONSE BREACHED",
                          "tickets/t2 FIRST_RESPONSE BREACHED"));
  request.set_assignee("ivan");
  EXPECT_THAT(ListAll(request),
              ElementsAre("tickets/t2 FIRST_RESPONSE BREACHED"));

  request.Clear();
  request.set_metric(v1::SLA_METRIC_RESOLUTION);
  EXPECT_THAT(ListAll(request), ElementsAre("tickets/t1 RESOLUTION AT_RISK"));
  request.Clear();
  request.set_account("accounts/a2");
  EXPECT_THAT(ListAll(request),
              ElementsAre("tickets/t2 FIRST_RESPONSE BREACHED"));
  request.Clear();
  request.set_team("Support");  // teams are lower-cased like tickets'
  EXPECT_THAT(ListAll(request), SizeIs(3));
  request.set_team("billing");
  EXPECT_THAT(ListAll(request), IsEmpty());
}

TEST_F(SlaAlertManagerTest, PagesKeepTheirAsOfTime) {
  MakeTickets();
  v1::ListSlaAlertsRequest request;
  request.set_page_size(1);
  std::vector<std::string> paged;
  for (int page = 0; page < 10; ++page) {
    auto listed = List(request);
    ASSERT_TRUE(listed.ok()) << listed.status();
    for (const std::string& alert : Described(*listed)) paged.push_back(alert);
    if (listed->next_page_token().empty()) break;
    request.set_page_token(listed->next_page_token());
    // Time passes between pages: t2's resolution turns at risk, t1's is
    // breached by now; the pages still describe the first page's instant.
    clock_.Advance(absl::Hours(1.6));
  }
  EXPECT_THAT(paged, ElementsAre("tickets/t1 FIRST_RESPONSE BREACHED",
                                 "tickets/t2 FIRST_RESPONSE BREACHED",
                                 "tickets/t1 RESOLUTION AT_RISK"));

  // A token is bound to its filters.
  request.set_state(v1::SLA_ALERT_STATE_BREACHED);
  auto other = List(request);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(other.status()), ElementsAre("page_token"));
}

TEST_F(SlaAlertManagerTest, TheListIsTheSameOnceTheJobPublishedTheWarnings) {
  MakeTickets();
  const std::vector<std::string> before = ListAll();
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(ListAll(), before);
}

TEST_F(SlaAlertManagerTest, FinishedTicketsOnlyWithIncludeFinished) {
  MakeTickets();
  clock_.Set(t0_ + absl::Hours(9));
  ChangeStatus(&t1_, v1::TICKET_STATUS_SOLVED);
  EXPECT_THAT(ListAll(), ElementsAre("tickets/t2 FIRST_RESPONSE BREACHED"));

  v1::ListSlaAlertsRequest request;
  request.set_include_finished_tickets(true);
  EXPECT_THAT(ListAll(request),
              ElementsAre("tickets/t1 FIRST_RESPONSE BREACHED",
                          "tickets/t2 FIRST_RESPONSE BREACHED"));
  SetTimestamp(t0_ + absl::Minutes(30),
               request.mutable_due_time_range()->mutable_start_time());
  SetTimestamp(t0_ + absl::Hours(2),
               request.mutable_due_time_range()->mutable_end_time());
  EXPECT_THAT(ListAll(request),
              ElementsAre("tickets/t1 FIRST_RESPONSE BREACHED"));

  request.set_include_finished_tickets(false);
  auto refused = List(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(refused.status()), ElementsAre("due_time_range"));
}

TEST_F(SlaAlertManagerTest, BadFiltersAreNamed) {
  v1::ListSlaAlertsRequest request;
  request.set_state(static_cast<v1::SlaAlertState>(9));
  request.set_metric(static_cast<v1::SlaMetric>(9));
  request.set_account("contacts/c1");
  request.set_page_size(-1);
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_page_size(0);
  EXPECT_THAT(FieldsOf(List(request).status()),
              ElementsAre("state", "metric", "account"));
}

TEST_F(SlaAlertManagerTest, AnotherTenantSeesNoAlerts) {
  MakeTickets();
  Caller globex = admin_;
  globex.tenant = "globex";
  auto listed = alerts_->List(globex, v1::ListSlaAlertsRequest());
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->sla_alerts(), IsEmpty());
}

TEST_F(SlaAlertManagerTest, TheFirstPageWalksIndexesNotTickets) {
  MakeTickets();
  SlaAlertQuery query;
  query.as_of_us = ToMicros(now());
  std::vector<std::string> plans;
  ASSERT_TRUE(database_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto found = sla_.AlertQueryPlansForTest(txn, "acme", query,
                                                             std::nullopt, 51);
                    if (!found.ok()) return found.status();
                    plans = *std::move(found);
                    return absl::OkStatus();
                  })
                  .ok());
  // Breaches by due time, then warnings by risk class: first responses (a
  // 12-minute window) and resolutions (2 hours).
  ASSERT_THAT(plans, SizeIs(3));
  for (const std::string& plan : plans) {
    EXPECT_THAT(plan, HasSubstr("USING INDEX sla_clock_"));
    EXPECT_THAT(plan, Not(HasSubstr("SCAN")));
    // Walked in order: no sort of what they find.
    EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE")));
  }
  EXPECT_THAT(plans[0], HasSubstr("sla_clock_due"));
  EXPECT_THAT(plans[1], HasSubstr("sla_clock_risk"));
  EXPECT_THAT(plans[2], HasSubstr("sla_clock_risk"));
}

// ---------------------------------------------------------------------------
// The SLA job.

TEST_F(SlaAlertManagerTest, TheJobWarnsThenPublishesTheBreachExactlyOnce) {
  MustCreatePolicy("Default", 100, 1);
  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);

  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_THAT(OutboxEvents(), IsEmpty());

  clock_.Set(t0 + absl::Minutes(50));
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_THAT(EventTypes(OutboxEvents()), ElementsAre("sla_at_risk"));

  clock_.Set(t0 + absl::Minutes(61));
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  const std::vector<events::v1::Event> events = OutboxEvents();
  ASSERT_THAT(EventTypes(events), ElementsAre("sla_at_risk", "sla_breached"));
  const events::v1::SlaBreached& breached = events[1].sla_breached();
  EXPECT_EQ(breached.ticket().name(), "tickets/t1");
  EXPECT_EQ(breached.ticket().account(), "accounts/a1");
  EXPECT_EQ(breached.ticket().sla_policy(), ticket.sla_policy());
  EXPECT_EQ(breached.metric(), events::v1::SLA_METRIC_RESOLUTION);
  EXPECT_EQ(ToTime(breached.due_time()), t0 + absl::Hours(1));
  EXPECT_EQ(events[1].tenant(), "acme");
  EXPECT_EQ(events[1].subject(), "tickets/t1");

  const std::vector<v1::TicketHistoryEntry> history = HistoryOf("t1");
  ASSERT_FALSE(history.empty());
  const v1::TicketHistoryEntry& last = history.back();
  EXPECT_EQ(last.kind(), v1::TICKET_HISTORY_KIND_SLA_BREACHED);
  EXPECT_EQ(ToTime(last.occur_time()), t0 + absl::Hours(1));
  EXPECT_EQ(last.explanation(),
            "resolution target of 1h breached at 2026-01-05 01:00 UTC");

  // The stored ticket shows the breach.
  std::optional<v1::Ticket> stored = Stored("t1");
  ASSERT_TRUE(stored.has_value());
  ASSERT_THAT(stored->sla_clocks(), SizeIs(1));
  EXPECT_EQ(stored->sla_clocks(0).state(), v1::SLA_CLOCK_STATE_BREACHED);
  EXPECT_EQ(stored->etag(), ticket.etag());

  // Later writes of the ticket do not publish it again.
  clock_.Advance(absl::Minutes(5));
  ChangeStatus(&ticket, v1::TICKET_STATUS_OPEN);
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_THAT(OutboxEvents(), SizeIs(2));
}

TEST_F(SlaAlertManagerTest, AClockStoppedLatePublishesItsBreachOnce) {
  v1::SlaPolicy policy;
  policy.set_display_name("Default");
  policy.set_rank(100);
  *policy.mutable_first_response_target() = Hours(1);
  MustCreatePolicy(policy);
  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  // The agent answers after two hours, before the job ever ran.
  clock_.Advance(absl::Hours(2));
  Write(&ticket, {Entry(v1::TICKET_HISTORY_KIND_AGENT_REPLY, now())},
        /*reselect=*/false);
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  const std::vector<events::v1::Event> events = OutboxEvents();
  ASSERT_THAT(EventTypes(events), ElementsAre("sla_breached"));
  EXPECT_EQ(ToTime(events[0].sla_breached().due_time()), t0 + absl::Hours(1));
  EXPECT_EQ(events[0].sla_breached().metric(),
            events::v1::SLA_METRIC_FIRST_RESPONSE);
}

TEST_F(SlaAlertManagerTest,
       AFailedTicketPublishesNothingAndTheNextPassDoesItAll) {
  MustCreatePolicy("Default", 100, 1);
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  clock_.Advance(absl::Hours(2));
  // The ticket's step dies at its end, marking the clock published, after
  // it wrote the event and the history entry: all of it must roll back, and
  // the clock stays due.
  ASSERT_TRUE(database_
                  ->Write([](sql::Transaction& txn) {
                    return txn
                        .Exec(
                            "CREATE TRIGGER crash BEFORE UPDATE ON "
                            "sla_clock_index WHEN NEW.breach_published = 1 "
                            "BEGIN SELECT RAISE(ABORT, 'crash'); END")
                        .status();
                  })
                  .ok());
  job_->RunOnceForTest().IgnoreError();
  EXPECT_THAT(OutboxEvents(), IsEmpty());
  EXPECT_THAT(HistoryOf("t1"), SizeIs(2));  // CREATED, SLA_POLICY_APPLIED
  ASSERT_TRUE(database_
                  ->Write([](sql::Transaction& txn) {
                    return txn.Exec("DROP TRIGGER crash").status();
                  })
                  .ok());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_THAT(EventTypes(OutboxEvents()), ElementsAre("sla_breached"));
  int breaches = 0;
  for (const v1::TicketHistoryEntry& entry : HistoryOf("t1")) {
    breaches += entry.kind() == v1::TICKET_HISTORY_KIND_SLA_BREACHED;
  }
  EXPECT_EQ(breaches, 1);
}

TEST_F(SlaAlertManagerTest, TheBackgroundJobStartsAndStops) {
  SlaJob job(alerts_.get(), absl::Milliseconds(1));
  job.Start();
  job.Stop();
  job.Stop();
}

}  // namespace
}  // namespace clientele::ticketing

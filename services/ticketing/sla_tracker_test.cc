#include "services/ticketing/sla_tracker.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Monday to Friday, 09:00-17:00 in Istanbul (UTC+3 all year).
v1::BusinessCalendar OfficeHours() {
  v1::BusinessCalendar calendar;
  calendar.set_time_zone("Europe/Istanbul");
  for (int day = v1::WEEKDAY_MONDAY; day <= v1::WEEKDAY_FRIDAY; ++day) {
    v1::WorkingHours* hours = calendar.add_working_hours();
    hours->set_weekday(static_cast<v1::Weekday>(day));
    hours->set_start_minute(9 * 60);
    hours->set_end_minute(17 * 60);
  }
  return calendar;
}

absl::Time Utc(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute),
                         absl::UTCTimeZone());
}

std::vector<v1::TicketHistoryKind> Kinds(
    const std::vector<v1::TicketHistoryEntry>& entries) {
  std::vector<v1::TicketHistoryKind> kinds;
  kinds.reserve(entries.size());
  for (const v1::TicketHistoryEntry& entry : entries) {
    kinds.push_back(entry.kind());
  }
  return kinds;
}

class SlaTrackerTest : public SlaFixture {
 protected:
  absl::Time DueOf(const v1::Ticket& ticket, v1::SlaMetric metric) {
    const v1::SlaClock* clock = ClockOf(ticket, metric);
    EXPECT_NE(clock, nullptr) << v1::SlaMetric_Name(metric);
    return clock == nullptr ? absl::InfinitePast() : ToTime(clock->due_time());
  }
  v1::SlaClockState StateOf(const v1::Ticket& ticket, v1::SlaMetric metric) {
    const v1::SlaClock* clock = ClockOf(ticket, metric);
    EXPECT_NE(clock, nullptr) << v1::SlaMetric_Name(metric);
    return clock == nullptr ? v1::SLA_CLOCK_STATE_UNSPECIFIED : clock->state();
  }
  // SlaBreached events in the outbox.
  int Breaches() {
    int count = 0;
    for (const events::v1::Event& event : OutboxEvents()) {
      if (event.has_sla_breached()) ++count;
    }
    return count;
  }
  // Records a reply of `kind` at now.
  void Reply(v1::Ticket* ticket, v1::TicketHistoryKind kind) {
    Write(ticket, {Entry(kind, now())}, /*reselect=*/false);
  }
  // Ticket t1 under a next-response target of 1 hour, created at now: an
  // agent answers at once, the requester at +1h, whose cycle falls due at
  // +2h.
  v1::Ticket NextResponseTicket() {
    v1::SlaPolicy policy;
    policy.set_display_name("Next response");
    policy.set_rank(100);
    *policy.mutable_next_response_target() = Hours(1);
    MustCreatePolicy(policy);
    v1::Ticket ticket = NewTicket("t1");
    Create(&ticket);
    Reply(&ticket, v1::TICKET_HISTORY_KIND_AGENT_REPLY);
    clock_.Advance(absl::Hours(1));
    Reply(&ticket, v1::TICKET_HISTORY_KIND_REQUESTER_REPLY);
    return ticket;
  }
  // Alerts of the tenant at now, as "ticket metric state".
  std::vector<std::string> Alerts() {
    v1::ListSlaAlertsRequest request;
    request.set_page_size(100);
    auto listed = alerts_->List(admin_, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> out;
    if (!listed.ok()) return out;
    for (const v1::SlaAlert& alert : listed->sla_alerts()) {
      out.push_back(absl::StrCat(alert.ticket(), " ",
                                 v1::SlaMetric_Name(alert.metric()), " ",
                                 v1::SlaAlertState_Name(alert.state())));
    }
    return out;
  }
};

TEST_F(SlaTrackerTest, CreateStartsClocksDueInWorkingHours) {
  v1::SlaPolicy policy;
  policy.set_display_name("Office hours");
  policy.set_rank(10);
  *policy.mutable_first_response_target() = Hours(2);
  *policy.mutable_resolution_target() = Hours(8);
  *policy.mutable_business_calendar() = OfficeHours();
  const v1::SlaPolicy created = MustCreatePolicy(policy);

  // Friday 15:00 in Istanbul.
  clock_.Set(Utc(2026, 1, 9, 12));
  v1::Ticket ticket = NewTicket("t1");
  const std::vector<v1::TicketHistoryEntry> added = Create(&ticket);

  EXPECT_EQ(ticket.sla_policy(), created.name());
  ASSERT_THAT(ticket.sla_clocks(), SizeIs(2));
  // Two working hours: Friday 15:00-17:00.
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_FIRST_RESPONSE), Utc(2026, 1, 9, 14));
  // Eight: two on Friday, six from Monday 09:00, so Monday 15:00 (12:00 UTC).
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), Utc(2026, 1, 12, 12));
  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_RESOLUTION),
            v1::SLA_CLOCK_STATE_RUNNING);

  ASSERT_THAT(added, SizeIs(1));
  EXPECT_EQ(added[0].kind(), v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED);
  EXPECT_EQ(added[0].related(), created.name());
  EXPECT_EQ(added[0].explanation(),
            "matched 'Office hours' (rank 10): no criteria, applies to every "
            "ticket");
  // The stored ticket has what Refresh set.
  std::optional<v1::Ticket> stored = Stored("t1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_THAT(stored->sla_clocks(), SizeIs(2));
}

TEST_F(SlaTrackerTest, PendingPausesTheClocksAndMovesTheirDueTimes) {
  v1::SlaPolicy policy;
  policy.set_display_name("Default");
  policy.set_rank(100);
  *policy.mutable_resolution_target() = Hours(4);
  MustCreatePolicy(policy);
  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(4));

  clock_.Advance(absl::Hours(1));
  ChangeStatus(&ticket, v1::TICKET_STATUS_PENDING);
  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_RESOLUTION),
            v1::SLA_CLOCK_STATE_PAUSED);

  // Three and a half hours on the requester: past the first due time, yet
  // nothing is at risk or breached while paused.
  clock_.Advance(absl::Hours(3.5));
  EXPECT_THAT(Alerts(), IsEmpty());

  ChangeStatus(&ticket, v1::TICKET_STATUS_OPEN);
  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_RESOLUTION),
            v1::SLA_CLOCK_STATE_RUNNING);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(7.5));
  // 1h counted before the pause and 2.5h now: past 80% of 4h.
  clock_.Advance(absl::Hours(2.5));
  EXPECT_THAT(Alerts(), ElementsAre("tickets/t1 SLA_METRIC_RESOLUTION "
                                    "SLA_ALERT_STATE_AT_RISK"));
}

TEST_F(SlaTrackerTest, APriorityChangeReselectsAndRecomputesFromHistory) {
  MustCreatePolicy("Default", 100, 24);
  v1::SlaPolicy urgent;
  urgent.set_display_name("Urgent");
  urgent.set_rank(10);
  urgent.add_priorities(v1::TICKET_PRIORITY_URGENT);
  *urgent.mutable_resolution_target() = Hours(1);
  const v1::SlaPolicy urgent_policy = MustCreatePolicy(urgent);

  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(24));

  clock_.Advance(absl::Minutes(30));
  ticket.set_priority(v1::TICKET_PRIORITY_URGENT);
  const std::vector<v1::TicketHistoryEntry> added =
      Write(&ticket, {}, /*reselect=*/true);
  EXPECT_EQ(ticket.sla_policy(), urgent_policy.name());
  // From creation, not from the change.
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(1));
  ASSERT_THAT(added, SizeIs(1));
  EXPECT_EQ(added[0].explanation(),
            "matched 'Urgent' (rank 10): priority urgent");
  EXPECT_THAT(Kinds(HistoryOf("t1")),
              ElementsAre(v1::TICKET_HISTORY_KIND_CREATED,
                          v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED,
                          v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED));

  // The index moved with it: 50 minutes of a 1 hour target is at risk.
  clock_.Advance(absl::Minutes(20));
  EXPECT_THAT(Alerts(), ElementsAre("tickets/t1 SLA_METRIC_RESOLUTION "
                                    "SLA_ALERT_STATE_AT_RISK"));
}

TEST_F(SlaTrackerTest, APolicyUpdateMovesNoRunningClockUntilReselected) {
  v1::SlaPolicy policy = MustCreatePolicy("Default", 100, 24);
  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);

  policy.set_display_name("Default, slower");
  *policy.mutable_resolution_target() = Hours(48);
  google::protobuf::FieldMask mask;
  mask.add_paths("resolution_target");
  mask.add_paths("display_name");
  ASSERT_TRUE(policies_->Update(admin_, policy, mask).ok());

  clock_.Advance(absl::Minutes(10));
  EXPECT_THAT(Write(&ticket, {}, /*reselect=*/false), IsEmpty());
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(24));

  // Chosen again (say the tier changed): the new version applies.
  const std::vector<v1::TicketHistoryEntry> added =
      Write(&ticket, {}, /*reselect=*/true);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(48));
  ASSERT_THAT(added, SizeIs(1));
  EXPECT_EQ(added[0].explanation(),
            "matched 'Default, slower' (rank 100): no criteria, applies to "
            "every ticket");
  // The same version chosen again is no news.
  EXPECT_THAT(Write(&ticket, {}, /*reselect=*/true), IsEmpty());

  // Deleting the policy leaves the ticket its targets.
  auto current = policies_->Get(admin_, policy.name());
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(policies_->Delete(admin_, policy.name(), current->etag()).ok());
  EXPECT_THAT(Write(&ticket, {}, /*reselect=*/false), IsEmpty());
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(48));
  EXPECT_EQ(ticket.sla_policy(), policy.name());
}

TEST_F(SlaTrackerTest, ATierChangeReselectsThePolicyOfTheTier) {
  MustCreatePolicy("Default", 100, 24);
  v1::SlaPolicy premium;
  premium.set_display_name("Premium clients");
  premium.set_rank(20);
  premium.add_tiers(type::v1::ACCOUNT_TIER_PREMIUM);
  premium.add_modes(type::v1::RELATIONSHIP_MODE_CLIENT);
  *premium.mutable_resolution_target() = Hours(4);
  MustCreatePolicy(premium);

  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(24));

  ticket.set_account_tier(type::v1::ACCOUNT_TIER_PREMIUM);
  ticket.set_relationship_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  const std::vector<v1::TicketHistoryEntry> added =
      Write(&ticket, {}, /*reselect=*/true);
  EXPECT_EQ(DueOf(ticket, v1::SLA_METRIC_RESOLUTION), t0 + absl::Hours(4));
  ASSERT_THAT(added, SizeIs(1));
  EXPECT_EQ(added[0].explanation(),
            "matched 'Premium clients' (rank 20): tier premium, mode client");
}

TEST_F(SlaTrackerTest, NoMatchingPolicyMeansNoClocksUntilReselected) {
  v1::Ticket ticket = NewTicket("t1");
  EXPECT_THAT(Create(&ticket), IsEmpty());
  EXPECT_TRUE(ticket.sla_policy().empty());
  EXPECT_THAT(ticket.sla_clocks(), IsEmpty());

  // A policy made later applies to new tickets and to re-selection only.
  MustCreatePolicy("Default", 100, 1);
  EXPECT_THAT(Write(&ticket, {}, /*reselect=*/false), IsEmpty());
  EXPECT_THAT(ticket.sla_clocks(), IsEmpty());
  EXPECT_THAT(Write(&ticket, {}, /*reselect=*/true), SizeIs(1));
  EXPECT_THAT(ticket.sla_clocks(), SizeIs(1));
}

TEST_F(SlaTrackerTest, ALateReplyRecomputesTheClocks) {
  v1::SlaPolicy policy;
  policy.set_display_name("Default");
  policy.set_rank(100);
  *policy.mutable_first_response_target() = Hours(1);
  MustCreatePolicy(policy);
  const absl::Time t0 = now();
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);

  // Two hours later an agent's phone reply from 30 minutes in is recorded.
  clock_.Advance(absl::Hours(2));
  Write(&ticket,
        {Entry(v1::TICKET_HISTORY_KIND_AGENT_REPLY, t0 + absl::Minutes(30))},
        /*reselect=*/false);
  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_FIRST_RESPONSE),
            v1::SLA_CLOCK_STATE_MET);
  EXPECT_THAT(Alerts(), IsEmpty());
}

TEST_F(SlaTrackerTest, AClockPausedExactlyAtItsDueTimeIsPausedNotBreached) {
  MustCreatePolicy("Default", 100, 4);
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  clock_.Advance(absl::Hours(4));
  ChangeStatus(&ticket, v1::TICKET_STATUS_PENDING);
  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_RESOLUTION),
            v1::SLA_CLOCK_STATE_PAUSED);
  clock_.Advance(absl::Hours(1));
  EXPECT_THAT(Alerts(), IsEmpty());
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(Breaches(), 0);

  // Counting again, it is past due at once.
  ChangeStatus(&ticket, v1::TICKET_STATUS_OPEN);
  EXPECT_THAT(Alerts(), ElementsAre("tickets/t1 SLA_METRIC_RESOLUTION "
                                    "SLA_ALERT_STATE_BREACHED"));
}

TEST_F(SlaTrackerTest, ANextResponseCycleMetAfterABreachStaysBreached) {
  const absl::Time t0 = now();
  v1::Ticket ticket = NextResponseTicket();
  const absl::Time breached_due = t0 + absl::Hours(2);
  clock_.Set(t0 + absl::Hours(3));
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(Breaches(), 1);
  Reply(&ticket, v1::TICKET_HISTORY_KIND_AGENT_REPLY);
  clock_.Advance(absl::Minutes(1));
  Reply(&ticket, v1::TICKET_HISTORY_KIND_REQUESTER_REPLY);
  clock_.Advance(absl::Minutes(10));
  Reply(&ticket, v1::TICKET_HISTORY_KIND_AGENT_REPLY);  // well within 1h

  EXPECT_EQ(StateOf(ticket, v1::SLA_METRIC_NEXT_RESPONSE),
            v1::SLA_CLOCK_STATE_BREACHED);
  // Listed as the ticket shows it, with the due time that was breached.
  v1::ListSlaAlertsRequest request;
  request.set_metric(v1::SLA_METRIC_NEXT_RESPONSE);
  auto listed = alerts_->List(admin_, request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->sla_alerts(), SizeIs(1));
  EXPECT_EQ(listed->sla_alerts(0).state(), v1::SLA_ALERT_STATE_BREACHED);
  EXPECT_EQ(ToTime(listed->sla_alerts(0).due_time()), breached_due);
  // One breach, published once.
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(Breaches(), 1);

  // A later cycle of its own that breaches is another breach.
  clock_.Advance(absl::Minutes(1));
  Reply(&ticket, v1::TICKET_HISTORY_KIND_REQUESTER_REPLY);
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(Breaches(), 2);
}

// The index keeps one row per metric: a requester replying again before the
// SLA job's next pass would hide a next-response breach from it.
TEST_F(SlaTrackerTest, ABreachANewCycleReplacesIsPublishedByTheWrite) {
  const absl::Time t0 = now();
  v1::Ticket ticket = NextResponseTicket();
  clock_.Set(t0 + absl::Hours(3));
  Reply(&ticket, v1::TICKET_HISTORY_KIND_AGENT_REPLY);  // late
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Breaches(), 0);  // the job has not run
  Reply(&ticket, v1::TICKET_HISTORY_KIND_REQUESTER_REPLY);

  EXPECT_EQ(Breaches(), 1);
  std::vector<v1::TicketHistoryEntry> breaches;
  for (const v1::TicketHistoryEntry& entry : HistoryOf("t1")) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_SLA_BREACHED) {
      breaches.push_back(entry);
    }
  }
  ASSERT_THAT(breaches, SizeIs(1));
  EXPECT_EQ(ToTime(breaches[0].occur_time()), t0 + absl::Hours(2));
  EXPECT_EQ(breaches[0].explanation(),
            "next response target of 1h breached at 2026-01-05 02:00 UTC");
  // The job has nothing left to publish for it.
  ASSERT_TRUE(job_->RunOnceForTest().ok());
  EXPECT_EQ(Breaches(), 1);
}

TEST_F(SlaTrackerTest, ForgetRemovesTheTicketsClocksFromTheIndex) {
  MustCreatePolicy("Default", 100, 1);
  v1::Ticket ticket = NewTicket("t1");
  Create(&ticket);
  clock_.Advance(absl::Hours(2));
  EXPECT_THAT(Alerts(), SizeIs(1));
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return tracker_->Forget(txn, "acme", "t1");
                  })
                  .ok());
  EXPECT_THAT(Alerts(), IsEmpty());
}

}  // namespace
}  // namespace clientele::ticketing

// Ticketing's events as engagement's ticketing consumer applies them, over a
// real SQLite database: each becomes its TICKET_* interaction once, a
// client's solved ticket makes the survey follow-up, and a bad survey answer
// and a breach lower the score with a reason that names support.
#include "services/engagement/ticket_event_recorder.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clientele/events/v1/event.pb.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/proto_time.h"
#include "common/testing/caller_for_test.h"
#include "common/testing/outbox_for_test.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_backend_fixture_for_test.h"
#include "services/engagement/engagement_schema.h"

namespace clientele::engagement {
namespace {

constexpr char kTenant[] = "acme";

// The backend fixture, with accounts and deliveries as this test needs them
// (its CreateAccount and Deliver hide the fixture's).
class TicketEventRecorderTest : public EngagementBackendTest {
 protected:
  // Contacts' side: the account engagement learns of.
  void CreateAccount(const std::string& id, bool client) {
    events::v1::Event event;
    event.set_event_id(absl::StrCat("contacts-", id));
    auto* account = event.mutable_account_created()->mutable_account();
    account->set_name(absl::StrCat("accounts/", id));
    account->set_account_manager("manager-1");
    if (client) account->set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return backend_->projection().ApplyEvent(txn, kTenant,
                                                               event);
                    })
                    .ok());
  }

  // Ticketing's side, through the consumer's handler as the stream brings
  // it: the serialized envelope and its type.
  absl::Status Deliver(const events::v1::Event& event) {
    events::StreamEvent entry;
    entry.event_id = event.event_id();
    entry.tenant = kTenant;
    entry.payload = event.SerializeAsString();
    const auto* field =
        event.GetDescriptor()->FindFieldByNumber(event.payload_case());
    entry.type = field->message_type()->full_name();
    return database_->Write([&](sql::Transaction& txn) {
      return backend_->ticket_events().Apply(txn, entry);
    });
  }

  events::v1::Event Envelope(const std::string& event_id, absl::Duration ago) {
    events::v1::Event event;
    event.set_event_id(event_id);
    event.set_tenant(kTenant);
    event.set_source_service("ticketing");
    event.set_actor("agent-7");
    SetTimestamp(clock_.Now() - ago, event.mutable_occurred_at());
    return event;
  }

  events::v1::TicketSnapshot Ticket(const std::string& id,
                                    const std::string& account) {
    events::v1::TicketSnapshot ticket;
    ticket.set_name(absl::StrCat("tickets/", id));
    ticket.set_account(account.empty() ? ""
                                       : absl::StrCat("accounts/", account));
    ticket.set_requester("contacts/requester-1");
    ticket.set_assignee("agent-7");
    ticket.set_type(events::v1::TICKET_TYPE_PROBLEM);
    ticket.set_priority(events::v1::TICKET_PRIORITY_HIGH);
    SetTimestamp(clock_.Now() - absl::Hours(30), ticket.mutable_create_time());
    return ticket;
  }

  events::v1::Event Created(const std::string& event_id,
                            const events::v1::TicketSnapshot& ticket) {
    events::v1::Event event = Envelope(event_id, absl::Hours(30));
    *event.mutable_ticket_created()->mutable_ticket() = ticket;
    return event;
  }

  events::v1::Event Solved(const std::string& event_id,
                           events::v1::TicketSnapshot ticket,
                           absl::Duration ago = absl::Hours(4)) {
    events::v1::Event event = Envelope(event_id, ago);
    ticket.set_status(events::v1::TICKET_STATUS_SOLVED);
    SetTimestamp(clock_.Now() - ago, ticket.mutable_solve_time());
    *event.mutable_ticket_solved()->mutable_ticket() = ticket;
    event.mutable_ticket_solved()->set_csat_survey("csatSurveys/s-1");
    return event;
  }

  events::v1::Event Csat(const std::string& event_id,
                         const events::v1::TicketSnapshot& ticket, int rating) {
    events::v1::Event event = Envelope(event_id, absl::Hours(2));
    auto* responded = event.mutable_csat_survey_responded();
    responded->set_csat_survey(absl::StrCat("csatSurveys/for-", ticket.name()));
    responded->set_ticket(ticket.name());
    responded->set_account(ticket.account());
    responded->set_requester(ticket.requester());
    responded->set_agent("agent-7");
    responded->set_rating(rating);
    return event;
  }

  events::v1::Event Breached(const std::string& event_id,
                             const events::v1::TicketSnapshot& ticket) {
    events::v1::Event event = Envelope(event_id, absl::Hours(20));
    auto* breached = event.mutable_sla_breached();
    *breached->mutable_ticket() = ticket;
    breached->set_metric(events::v1::SLA_METRIC_FIRST_RESPONSE);
    SetTimestamp(clock_.Now() - absl::Hours(22), breached->mutable_due_time());
    return event;
  }

  std::vector<v1::Interaction> Timeline(const std::string& account) {
    v1::ListInteractionsRequest request;
    request.set_account(absl::StrCat("accounts/", account));
    request.set_page_size(100);
    auto listed = backend_->interactions().List(caller(), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->interactions().begin(), listed->interactions().end()};
  }

  std::vector<v1::FollowUp> FollowUps(const std::string& account) {
    v1::ListFollowUpsRequest request;
    request.set_account(absl::StrCat("accounts/", account));
    auto listed = backend_->follow_ups().List(caller(), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->follow_ups().begin(), listed->follow_ups().end()};
  }
};

const v1::Interaction* OfKind(const std::vector<v1::Interaction>& timeline,
                              v1::InteractionKind kind) {
  for (const v1::Interaction& interaction : timeline) {
    if (interaction.kind() == kind) return &interaction;
  }
  return nullptr;
}

TEST_F(TicketEventRecorderTest, EachTicketEventBecomesItsInteraction) {
  CreateAccount("salon", /*client=*/false);
  const events::v1::TicketSnapshot ticket = Ticket("t-1", "salon");
  ASSERT_TRUE(Deliver(Created("e-1", ticket)).ok());
  ASSERT_TRUE(Deliver(Breached("e-2", ticket)).ok());
  ASSERT_TRUE(Deliver(Solved("e-3", ticket)).ok());
  ASSERT_TRUE(Deliver(Csat("e-4", ticket, 2)).ok());

  const std::vector<v1::Interaction> timeline = Timeline("salon");
  ASSERT_EQ(timeline.size(), 4u);
  const v1::Interaction* opened =
      OfKind(timeline, v1::INTERACTION_KIND_TICKET_OPENED);
  const v1::Interaction* breached =
      OfKind(timeline, v1::INTERACTION_KIND_TICKET_SLA_BREACHED);
  const v1::Interaction* solved =
      OfKind(timeline, v1::INTERACTION_KIND_TICKET_SOLVED);
  const v1::Interaction* csat =
      OfKind(timeline, v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE);
  ASSERT_NE(opened, nullptr);
  ASSERT_NE(breached, nullptr);
  ASSERT_NE(solved, nullptr);
  ASSERT_NE(csat, nullptr);
  for (const v1::Interaction& interaction : timeline) {
    EXPECT_EQ(interaction.source(), v1::INTERACTION_SOURCE_TICKETING);
    EXPECT_EQ(interaction.account(), "accounts/salon");
    EXPECT_EQ(interaction.contact(), "contacts/requester-1");
    EXPECT_EQ(interaction.staff_user(), "agent-7");
    EXPECT_EQ(interaction.source_ref(), "tickets/t-1");
  }
  EXPECT_EQ(csat->rating(), 2);
  EXPECT_EQ(opened->rating(), 0);
  EXPECT_EQ(opened->direction(), v1::INTERACTION_DIRECTION_INBOUND);
  EXPECT_EQ(solved->direction(), v1::INTERACTION_DIRECTION_OUTBOUND);
  EXPECT_EQ(csat->direction(), v1::INTERACTION_DIRECTION_INBOUND);
  EXPECT_EQ(breached->direction(), v1::INTERACTION_DIRECTION_INTERNAL);
  // When each happened, not when engagement heard of it.
  EXPECT_EQ(ToTime(opened->occur_time()), clock_.Now() - absl::Hours(30));
  EXPECT_EQ(ToTime(breached->occur_time()), clock_.Now() - absl::Hours(22));
  EXPECT_EQ(ToTime(solved->occur_time()), clock_.Now() - absl::Hours(4));
  EXPECT_EQ(ToTime(csat->occur_time()), clock_.Now() - absl::Hours(2));
  EXPECT_EQ(opened->summary(),
            "Support ticket opened (problem, high priority)");
  EXPECT_EQ(breached->summary(),
            "Support SLA breached: first response target missed");

  // Each published as engagement publishes any recorded interaction.
  auto types = testing::OutboxTypesForTest(*database_);
  ASSERT_TRUE(types.ok());
  EXPECT_EQ(std::count(types->begin(), types->end(),
                       "clientele.events.v1.InteractionsRecorded"),
            4);
  auto score = Score("salon");
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->interaction_count(), 4);

  // They change with the ticket, not by hand.
  const absl::Status deleted =
      backend_->interactions().Delete(caller(), opened->name());
  EXPECT_EQ(deleted.code(), absl::StatusCode::kFailedPrecondition) << deleted;
  EXPECT_EQ(Timeline("salon").size(), 4u);
}

TEST_F(TicketEventRecorderTest, ReplaysAndSecondSolvesRecordNothingNew) {
  CreateAccount("firm", /*client=*/true);
  const events::v1::TicketSnapshot ticket = Ticket("t-1", "firm");
  const std::vector<events::v1::Event> stream = {
      Created("e-1", ticket), Breached("e-2", ticket), Solved("e-3", ticket),
      Csat("e-4", ticket, 1)};
  for (const events::v1::Event& event : stream) {
    ASSERT_TRUE(Deliver(event).ok());
  }
  const int64_t interactions = Count("SELECT count(*) FROM interactions");
  const int64_t follow_ups = Count("SELECT count(*) FROM follow_ups");
  const int64_t outbox = Count("SELECT count(*) FROM outbox");
  ASSERT_EQ(interactions, 4);
  ASSERT_EQ(follow_ups, 1);

  // The relay publishes again after Redis lost the stream: same event ids.
  for (const events::v1::Event& event : stream) {
    ASSERT_TRUE(Deliver(event).ok());
  }
  // The ticket reopened and solved again: a new event, the same ticket
  // solved (and ticketing sends no second survey).
  ASSERT_TRUE(Deliver(Solved("e-5", ticket, absl::Hours(1))).ok());

  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), interactions);
  EXPECT_EQ(Count("SELECT count(*) FROM follow_ups"), follow_ups);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox);
  EXPECT_EQ(Score("firm")->interaction_count(), 4);
}

TEST_F(TicketEventRecorderTest, AClientsSolvedTicketMakesTheSurveyFollowUp) {
  CreateAccount("firm", /*client=*/true);
  CreateAccount("shopper", /*client=*/false);
  for (const char* account : {"firm", "shopper"}) {
    const events::v1::TicketSnapshot ticket =
        Ticket(absl::StrCat("t-", account), account);
    ASSERT_TRUE(Deliver(Created(absl::StrCat("c-", account), ticket)).ok());
    ASSERT_TRUE(Deliver(Solved(absl::StrCat("s-", account), ticket)).ok());
  }

  const std::vector<v1::FollowUp> follow_ups = FollowUps("firm");
  ASSERT_EQ(follow_ups.size(), 1u);
  const v1::FollowUp& survey = follow_ups[0];
  EXPECT_EQ(survey.rule(), v1::FOLLOW_UP_RULE_TICKET_SOLVED);
  EXPECT_EQ(survey.kind(), v1::FOLLOW_UP_KIND_SEND_SURVEY);
  EXPECT_EQ(survey.origin(), v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(survey.assignee(), "agent-7");
  // Due a day (the default delay) after the solve.
  EXPECT_EQ(ToTime(survey.due_time()),
            clock_.Now() - absl::Hours(4) + absl::Hours(24));
  const std::vector<v1::Interaction> timeline = Timeline("firm");
  const v1::Interaction* solved =
      OfKind(timeline, v1::INTERACTION_KIND_TICKET_SOLVED);
  ASSERT_NE(solved, nullptr);
  EXPECT_EQ(survey.source(), solved->name());
  // A customer gets the CSAT survey alone.
  EXPECT_TRUE(FollowUps("shopper").empty());
}

TEST_F(TicketEventRecorderTest,
       ABadRatingAndABreachLowerTheScoreNamingSupport) {
  CreateAccount("firm", /*client=*/true);
  // A relationship with some history, and a ticket solved.
  std::vector<v1::Interaction> history;
  for (int month = 1; month <= 6; ++month) {
    v1::Interaction meeting;
    meeting.set_account("accounts/firm");
    meeting.set_kind(v1::INTERACTION_KIND_ADVICE_SESSION);
    SetTimestamp(clock_.Now() - absl::Hours(24 * 30 * month),
                 meeting.mutable_occur_time());
    meeting.set_direction(v1::INTERACTION_DIRECTION_OUTBOUND);
    meeting.set_channel(v1::INTERACTION_CHANNEL_IN_PERSON);
    history.push_back(meeting);
  }
  v1::BatchRecordInteractionsRequest request;
  request.mutable_interactions()->Assign(history.begin(), history.end());
  ASSERT_TRUE(backend_->interactions()
                  .Record(testing::CallerServingForTest(caller(), request),
                          request.interactions(), false)
                  .ok());
  const events::v1::TicketSnapshot ticket = Ticket("t-1", "firm");
  ASSERT_TRUE(Deliver(Created("e-1", ticket)).ok());
  ASSERT_TRUE(Deliver(Solved("e-2", ticket)).ok());
  auto before = Score("firm");
  ASSERT_TRUE(before.ok()) << before.status();

  ASSERT_TRUE(Deliver(Breached("e-3", ticket)).ok());
  ASSERT_TRUE(Deliver(Csat("e-4", ticket, 1)).ok());
  auto after = Score("firm");
  ASSERT_TRUE(after.ok()) << after.status();

  EXPECT_LT(after->score(), before->score());
  // Both support components fell, and the reasons say it is support.
  auto value = [](const v1::RelationshipScore& score,
                  v1::ScoreComponentKind kind) {
    for (const v1::ScoreComponent& c : score.components()) {
      if (c.kind() == kind) return c.value();
    }
    return -1.0;
  };
  EXPECT_LT(value(*after, v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION),
            value(*before, v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION));
  EXPECT_LT(value(*after, v1::SCORE_COMPONENT_KIND_SUPPORT_SLA),
            value(*before, v1::SCORE_COMPONENT_KIND_SUPPORT_SLA));
  const v1::ScoreReason* satisfaction = nullptr;
  for (const v1::ScoreReason& reason : after->top_reasons()) {
    if (reason.component() == v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION) {
      satisfaction = &reason;
    }
  }
  ASSERT_NE(satisfaction, nullptr);
  EXPECT_EQ(satisfaction->effect(), v1::REASON_EFFECT_NEGATIVE);
  // The account is a declared client, and the reason says so.
  EXPECT_EQ(satisfaction->summary(),
            "Support CSAT averages 1.0 of 5 over 1 rating (support "
            "satisfaction -5.0 points, as a declared client)");
  for (const v1::ScoreComponent& c : after->components()) {
    if (c.kind() == v1::SCORE_COMPONENT_KIND_SUPPORT_SLA) {
      EXPECT_EQ(c.observation(),
                "1 SLA breach on 1 ticket in the support window");
    }
  }
}

TEST_F(TicketEventRecorderTest, TicketEventsBeforeTheAccountAreKept) {
  // Ticketing heard of the account (contacts' FindOrCreateContact) before
  // engagement read contacts' stream.
  const events::v1::TicketSnapshot ticket = Ticket("t-1", "new-customer");
  ASSERT_TRUE(Deliver(Created("e-1", ticket)).ok());
  EXPECT_EQ(Score("new-customer").status().code(), absl::StatusCode::kNotFound);

  CreateAccount("new-customer", /*client=*/false);
  auto score = Score("new-customer");
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->interaction_count(), 1);
  const std::vector<v1::Interaction> timeline = Timeline("new-customer");
  EXPECT_NE(OfKind(timeline, v1::INTERACTION_KIND_TICKET_OPENED), nullptr);
}

TEST_F(TicketEventRecorderTest, MergedAccountsRecordOnTheSurvivorGoneOnesNot) {
  CreateAccount("survivor", /*client=*/false);
  CreateAccount("duplicate", /*client=*/false);
  CreateAccount("deleted", /*client=*/false);
  events::v1::Event merged;
  merged.mutable_accounts_merged()->set_merged("accounts/duplicate");
  merged.mutable_accounts_merged()->set_survivor("accounts/survivor");
  merged.mutable_accounts_merged()->mutable_survivor_account()->set_name(
      "accounts/survivor");
  events::v1::Event deleted;
  deleted.mutable_account_deleted()->set_account("accounts/deleted");
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    absl::Status s =
                        backend_->projection().ApplyEvent(txn, kTenant, merged);
                    if (!s.ok()) return s;
                    return backend_->projection().ApplyEvent(txn, kTenant,
                                                             deleted);
                  })
                  .ok());

  ASSERT_TRUE(Deliver(Created("e-1", Ticket("t-1", "duplicate"))).ok());
  ASSERT_TRUE(Deliver(Created("e-2", Ticket("t-2", "deleted"))).ok());

  const std::vector<v1::Interaction> timeline = Timeline("survivor");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].source_ref(), "tickets/t-1");
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 1);
}

TEST_F(TicketEventRecorderTest, AFormTicketIsOpenedOnceItIsLinked) {
  // Taken while contacts was down: no account yet.
  events::v1::TicketSnapshot ticket = Ticket("t-1", "");
  ticket.clear_requester();
  ASSERT_TRUE(Deliver(Created("e-1", ticket)).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 0);

  CreateAccount("walk-in", /*client=*/false);
  ticket.set_account("accounts/walk-in");
  ticket.set_requester("contacts/requester-1");
  events::v1::Event linked = Envelope("e-2", absl::Hours(1));
  *linked.mutable_ticket_updated()->mutable_ticket() = ticket;
  linked.mutable_ticket_updated()->add_changed_fields("requester");
  linked.mutable_ticket_updated()->add_changed_fields("account");
  ASSERT_TRUE(Deliver(linked).ok());
  // A later change of the requester is no second opening.
  linked.set_event_id("e-3");
  ASSERT_TRUE(Deliver(linked).ok());

  const std::vector<v1::Interaction> timeline = Timeline("walk-in");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].kind(), v1::INTERACTION_KIND_TICKET_OPENED);
  // Opened when the requester wrote, not when contacts came back.
  EXPECT_EQ(ToTime(timeline[0].occur_time()), clock_.Now() - absl::Hours(30));
}

TEST_F(TicketEventRecorderTest, MergedAndDeletedTicketsLeaveTheBacklog) {
  CreateAccount("shop", /*client=*/false);
  const events::v1::TicketSnapshot kept = Ticket("kept", "shop");
  const events::v1::TicketSnapshot duplicate = Ticket("duplicate", "shop");
  const events::v1::TicketSnapshot spam = Ticket("spam", "shop");
  ASSERT_TRUE(Deliver(Created("e-1", kept)).ok());
  ASSERT_TRUE(Deliver(Created("e-2", duplicate)).ok());
  ASSERT_TRUE(Deliver(Created("e-3", spam)).ok());
  ASSERT_TRUE(Deliver(Breached("e-4", spam)).ok());

  events::v1::Event merged = Envelope("e-5", absl::Hours(1));
  merged.mutable_tickets_merged()->set_target("tickets/kept");
  merged.mutable_tickets_merged()->set_source("tickets/duplicate");
  merged.mutable_tickets_merged()->set_account("accounts/shop");
  merged.mutable_tickets_merged()->set_source_account("accounts/shop");
  ASSERT_TRUE(Deliver(merged).ok());
  events::v1::Event deleted = Envelope("e-6", absl::Hours(1));
  deleted.mutable_ticket_deleted()->set_ticket("tickets/spam");
  deleted.mutable_ticket_deleted()->set_account("accounts/shop");
  ASSERT_TRUE(Deliver(deleted).ok());

  const std::vector<v1::Interaction> timeline = Timeline("shop");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].source_ref(), "tickets/kept");
  auto score = Score("shop");
  ASSERT_TRUE(score.ok());
  for (const v1::ScoreComponent& c : score->components()) {
    if (c.kind() == v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG) {
      EXPECT_EQ(c.observation(), "1 support ticket still open");
    }
    if (c.kind() == v1::SCORE_COMPONENT_KIND_SUPPORT_SLA) {
      EXPECT_EQ(c.observation(),
                "no SLA breaches on 1 ticket in the support window");
    }
  }
}

TEST_F(TicketEventRecorderTest, OtherEventsAreAcknowledgedAndBadOnesLogged) {
  CreateAccount("shop", /*client=*/false);
  const events::v1::TicketSnapshot ticket = Ticket("t-1", "shop");
  events::v1::Event assigned = Envelope("e-1", absl::Hours(1));
  *assigned.mutable_ticket_assigned()->mutable_ticket() = ticket;
  ASSERT_TRUE(Deliver(assigned).ok());
  events::v1::Event at_risk = Envelope("e-2", absl::Hours(1));
  *at_risk.mutable_sla_at_risk()->mutable_ticket() = ticket;
  ASSERT_TRUE(Deliver(at_risk).ok());
  // Retrying cannot mend a rating of 7: acknowledged, nothing recorded.
  ASSERT_TRUE(Deliver(Csat("e-3", ticket, 7)).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM interactions"), 0);

  // A payload that does not parse is retried, never skipped.
  events::StreamEvent garbage;
  garbage.event_id = "e-4";
  garbage.tenant = kTenant;
  garbage.type = "clientele.events.v1.TicketSolved";
  garbage.payload = "\xff\xff\xff";
  const absl::Status status = database_->Write([&](sql::Transaction& txn) {
    return backend_->ticket_events().Apply(txn, garbage);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace clientele::engagement

// The support form's intake: a requester found in ticketing's own map, one
// created by contacts, and contacts down (the ticket is taken with its
// requester pending, then linked by the RequesterLinker with the same
// request id).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"
#include "services/ticketing/requester_linker.h"
#include "services/ticketing/ticket_manager.h"

namespace clientele::ticketing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class TicketIntakeTest : public testing::CsatFixture {
 protected:
  static v1::SubmitTicketFormRequest Form(const std::string& email,
                                          const std::string& request_id = "") {
    v1::SubmitTicketFormRequest request;
    request.set_name("Ana López");
    request.set_email(email);
    request.set_product("Espresso machine");
    request.set_problem("\nThe pump is loud\nIt started on Monday.");
    request.set_priority(v1::TICKET_PRIORITY_HIGH);
    request.set_request_id(request_id);
    return request;
  }

  absl::StatusOr<v1::SubmitTicketFormResponse> Submit(
      const v1::SubmitTicketFormRequest& request) {
    clock_.Advance(absl::Seconds(1));
    Caller caller = Serving(request);
    caller.authorization = "Bearer agent-token";
    return tickets_->SubmitForm(caller, request);
  }

  std::vector<v1::TicketHistoryEntry> History(const std::string& name) {
    v1::ListTicketHistoryRequest request;
    request.set_parent(name);
    request.set_page_size(1000);
    auto history = tickets_->ListHistory(Agent(), request);
    EXPECT_TRUE(history.ok()) << history.status();
    if (!history.ok()) return {};
    return {history->entries().begin(), history->entries().end()};
  }

  static std::vector<std::string> FieldsOf(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      fields.push_back(v.field);
    }
    return fields;
  }
};

TEST_F(TicketIntakeTest, ARequesterKnownToTheProjectionNeedsNoCall) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_PREMIUM,
                             type::v1::RELATIONSHIP_MODE_CLIENT, "u-maria")
                  .ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  FoundRequester ana;
  ana.contact_id = "c1";
  ana.account_id = "a1";
  contacts_.SetAnswer("acme", "ana@example.com", ana);

  // The first form asks contacts and records the email.
  auto first = Submit(Form(" Ana@Example.com "));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(contacts_.calls(), 1);
  EXPECT_EQ(first->ticket().requester(), "contacts/c1");
  EXPECT_EQ(first->ticket().account(), "accounts/a1");
  EXPECT_FALSE(first->requester_created());

  // The next one finds it locally.
  auto second = Submit(Form("ana@example.com"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(contacts_.calls(), 1);
  const v1::Ticket& ticket = second->ticket();
  EXPECT_EQ(ticket.requester(), "contacts/c1");
  EXPECT_EQ(ticket.account_tier(), type::v1::ACCOUNT_TIER_PREMIUM);
  EXPECT_EQ(ticket.relationship_mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  EXPECT_EQ(ticket.subject(), "The pump is loud");
  EXPECT_EQ(ticket.product(), "Espresso machine");
  EXPECT_EQ(ticket.channel(), v1::TICKET_CHANNEL_WEB);
  EXPECT_EQ(ticket.priority(), v1::TICKET_PRIORITY_HIGH);
  EXPECT_FALSE(ticket.requester_pending());
  EXPECT_THAT(ticket.requester_email(), IsEmpty());
  // A client: routed to its account manager.
  EXPECT_EQ(ticket.assignee(), "u-maria");
}

TEST_F(TicketIntakeTest, AnUnknownEmailIsCreatedByContacts) {
  auto submitted = Submit(Form("new.person@example.com", "form-1"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_TRUE(submitted->requester_created());
  EXPECT_EQ(submitted->ticket().requester(), "contacts/contact-1");
  EXPECT_EQ(submitted->ticket().account(), "accounts/account-1");
  EXPECT_EQ(submitted->ticket().account_tier(),
            type::v1::ACCOUNT_TIER_STANDARD);
  const auto calls = contacts_.CallsForTest();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].request_id, "intake-form-1");
  EXPECT_EQ(calls[0].authorization, "Bearer agent-token");
  EXPECT_EQ(calls[0].display_name, "Ana López");

  // A retry returns the first answer.
  auto retried = Submit(Form("new.person@example.com", "form-1"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->ticket().name(), submitted->ticket().name());
  auto listed = tickets_->List(Agent(), v1::ListTicketsRequest());
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->tickets(), SizeIs(1));
}

TEST_F(TicketIntakeTest, ContactsDownStillTakesTheTicketAndLinksItLater) {
  contacts_.FailWith(absl::UnavailableError("contacts is down"));
  auto submitted = Submit(Form("late@example.com", "form-7"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  const v1::Ticket& pending = submitted->ticket();
  EXPECT_TRUE(pending.requester_pending());
  EXPECT_THAT(pending.account(), IsEmpty());
  EXPECT_THAT(pending.requester(), IsEmpty());
  EXPECT_EQ(pending.requester_display_name(), "Ana López");
  EXPECT_EQ(pending.requester_email(), "late@example.com");
  EXPECT_EQ(pending.status(), v1::TICKET_STATUS_NEW);

  RequesterLinker linker(deps_, tickets_.get(), RequesterLinker::Options());
  // Still down: nothing linked, asked again with the same id.
  auto none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);

  contacts_.Recover();
  clock_.Advance(absl::Minutes(5));
  auto linked = linker.RunOnceForTest();
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(*linked, 1);
  const auto calls = contacts_.CallsForTest();
  ASSERT_THAT(calls, SizeIs(3));
  for (const auto& call : calls) {
    EXPECT_EQ(call.request_id, "intake-form-7");
    EXPECT_EQ(call.authorization, "Bearer agent-token");
    EXPECT_EQ(call.email, "late@example.com");
  }

  auto got = tickets_->Get(Agent(), pending.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->requester_pending());
  EXPECT_EQ(got->requester(), "contacts/contact-1");
  EXPECT_EQ(got->account(), "accounts/account-1");
  EXPECT_THAT(got->requester_email(), IsEmpty());
  EXPECT_THAT(got->requester_display_name(), IsEmpty());
  const auto history = History(pending.name());
  ASSERT_FALSE(history.empty());
  bool saw_link = false;
  for (const auto& entry : history) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_REQUESTER_LINKED) {
      saw_link = true;
      EXPECT_EQ(entry.related(), "contacts/contact-1");
      EXPECT_EQ(entry.actor(), "system");
    }
  }
  EXPECT_TRUE(saw_link);
  auto events = clientele::testing::OutboxEventsForTest(*database_);
  ASSERT_TRUE(events.ok());
  bool updated = false;
  for (const auto& event : *events) {
    if (event.has_ticket_updated()) {
      updated = true;
      EXPECT_THAT(event.ticket_updated().changed_fields(),
                  ElementsAre("account", "requester"));
    }
  }
  EXPECT_TRUE(updated);

  // Nothing left to do.
  auto again = linker.RunOnceForTest();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(contacts_.calls(), 3);
}

TEST_F(TicketIntakeTest, TakingAPendingFormTellsTheListenerOnly) {
  int told = 0;
  tickets_->SetPendingRequesterListener([&told] { ++told; });
  contacts_.FailWith(absl::UnavailableError("contacts is down"));
  ASSERT_TRUE(Submit(Form("late@example.com")).ok());
  EXPECT_EQ(told, 1);
  contacts_.Recover();
  ASSERT_TRUE(Submit(Form("known@example.com")).ok());
  EXPECT_EQ(told, 1);
}

// After a restart the intake caller's credentials are gone (they are never
// stored); the linker then asks contacts with those of the tenant's latest
// agent who wrote to ticketing.
TEST_F(TicketIntakeTest, AfterARestartTheTenantsLatestAgentsCredentialsLink) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  contacts_.FailWith(absl::UnavailableError("contacts is down"));
  auto submitted = Submit(Form("late@example.com", "form-7"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_TRUE(submitted->ticket().requester_pending());
  contacts_.Recover();

  // The process restarts: a new manager over the same database.
  TicketManager restarted(deps_, sla_.get(), csat_.get(), routing_.get());
  RequesterLinker linker(deps_, &restarted, RequesterLinker::Options());
  auto none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(contacts_.calls(), 1);  // the intake's, nobody's since

  const auto create = [&](const std::string& actor,
                          const std::string& authorization) {
    v1::Ticket ticket;
    ticket.set_account("accounts/a1");
    ticket.set_subject("Another one");
    Caller caller = Agent();
    caller.actor = actor;
    caller.authorization = authorization;
    auto created = restarted.Create(caller, ticket);
    EXPECT_TRUE(created.ok()) << created.status();
  };
  // Writes without credentials (the event consumers') or below agent do not
  // lend theirs.
  create("role:agent", "");
  create("role:viewer", "Bearer viewer-token");
  create("u-someone", "Bearer not-a-role");
  none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(contacts_.calls(), 1);

  create("role:agent", "Bearer first-agent");
  create("role:manager", "Bearer latest-manager");
  auto linked = linker.RunOnceForTest();
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(*linked, 1);
  const auto calls = contacts_.CallsForTest();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[1].authorization, "Bearer latest-manager");
  EXPECT_EQ(calls[1].request_id, "intake-form-7");
  auto got = restarted.Get(Agent(), submitted->ticket().name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->requester_pending());
  EXPECT_EQ(got->requester(), "contacts/contact-1");
}

TEST_F(TicketIntakeTest, CredentialsContactsRefusesAreDropped) {
  contacts_.FailWith(absl::UnavailableError("contacts is down"));
  auto submitted = Submit(Form("late@example.com", "form-8"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  // The intake's token was revoked meanwhile.
  contacts_.Recover();
  contacts_.FailNext(1, absl::UnauthenticatedError("unknown token"));
  RequesterLinker linker(deps_, tickets_.get(), RequesterLinker::Options());
  auto none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  // Not asked again with it.
  none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(contacts_.calls(), 2);

  // Another agent's work brings credentials that do.
  Caller agent = Agent();
  agent.actor = "role:agent";
  agent.authorization = "Bearer valid-token";
  v1::ListTicketsRequest list;
  ASSERT_TRUE(tickets_->List(agent, list).ok());  // a read lends nothing
  none = linker.RunOnceForTest();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  ASSERT_TRUE(tickets_
                  ->ChangeStatus(agent, submitted->ticket().name(),
                                 v1::TICKET_STATUS_OPEN, "")
                  .ok());
  auto linked = linker.RunOnceForTest();
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(*linked, 1);
  EXPECT_EQ(contacts_.CallsForTest().back().authorization,
            "Bearer valid-token");
}

TEST_F(TicketIntakeTest, APendingTicketCanBeLinkedByHand) {
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
  ASSERT_TRUE(PublishContact("c1", "a1").ok());
  contacts_.FailWith(absl::DeadlineExceededError("contacts is slow"));
  auto submitted = Submit(Form("hand@example.com"));
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_TRUE(submitted->ticket().requester_pending());

  v1::Ticket change;
  change.set_name(submitted->ticket().name());
  change.set_requester("contacts/c1");
  google::protobuf::FieldMask mask;
  mask.add_paths("requester");
  auto linked = tickets_->Update(Agent(), change, mask);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_FALSE(linked->requester_pending());
  EXPECT_EQ(linked->account(), "accounts/a1");

  // The linker has nothing left to do for it.
  contacts_.Recover();
  RequesterLinker linker(deps_, tickets_.get(), RequesterLinker::Options());
  auto swept = linker.RunOnceForTest();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0);
}

TEST_F(TicketIntakeTest, ContactsRefusalIsTheAnswer) {
  contacts_.FailWith(absl::PermissionDeniedError("role too low"));
  EXPECT_EQ(Submit(Form("x@example.com")).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto listed = tickets_->List(Agent(), v1::ListTicketsRequest());
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->tickets(), IsEmpty());
}

TEST_F(TicketIntakeTest, HostileFormsNameTheirFields) {
  v1::SubmitTicketFormRequest request;
  request.set_name(std::string(201, 'n'));
  request.set_email("not an email");
  request.set_product(std::string(201, 'p'));
  request.set_subject(std::string(301, 's'));
  request.set_priority(static_cast<v1::TicketPriority>(9));
  request.set_type(static_cast<v1::TicketType>(9));
  request.set_channel(static_cast<v1::TicketChannel>(99));
  EXPECT_THAT(FieldsOf(Submit(request).status()),
              ElementsAre("name", "email", "product", "problem", "subject",
                          "priority", "type", "channel"));
  EXPECT_EQ(contacts_.calls(), 0);
}

}  // namespace
}  // namespace clientele::ticketing

// Tickets over real SQLite through the ticket manager, with accounts and
// contacts arriving as contacts' events do: create, get, update by mask and
// etag, delete, lists with filters and pages, tenancy, hostile input, and
// what an account's change or a ticket's priority change does to tickets in
// progress. Comments and status moves are in ticket_comments_test.cc,
// merges in ticket_merge_test.cc, routing in routing_manager_test.cc.
#include "services/ticketing/ticket_manager.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/sla_policy_manager.h"
#include "services/ticketing/ticket_manager_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST_F(TicketManagerTest, CreateGetUpdateDelete) {
  v1::Ticket draft = Draft("a1");
  draft.set_requester("contacts/c1");
  draft.set_priority(v1::TICKET_PRIORITY_HIGH);
  draft.add_tags("Printer");
  draft.set_status(v1::TICKET_STATUS_SOLVED);  // output only: ignored
  draft.set_etag("made-up");
  const v1::Ticket created = MustCreate(draft);
  EXPECT_THAT(created.name(), HasSubstr("tickets/"));
  EXPECT_EQ(created.status(), v1::TICKET_STATUS_NEW);
  EXPECT_EQ(created.account(), "accounts/a1");
  EXPECT_EQ(created.requester(), "contacts/c1");
  EXPECT_EQ(created.account_tier(), type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_EQ(created.relationship_mode(), type::v1::RELATIONSHIP_MODE_CUSTOMER);
  EXPECT_EQ(created.type(), v1::TICKET_TYPE_QUESTION);
  EXPECT_THAT(created.tags(), ElementsAre("printer"));
  EXPECT_EQ(created.team(), "support");
  EXPECT_EQ(created.routing().reason(), v1::ROUTING_REASON_TEAM_QUEUE);
  EXPECT_THAT(created.routing().explanation(),
              HasSubstr("team support has no agents"));
  EXPECT_NE(created.etag(), "made-up");
  EXPECT_THAT(Kinds(created.name()),
              ElementsAre(v1::TICKET_HISTORY_KIND_CREATED,
                          v1::TICKET_HISTORY_KIND_ROUTED));

  auto got = tickets_->Get(Agent(), created.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->etag(), created.etag());

  v1::Ticket change;
  change.set_name(created.name());
  change.set_subject("Printer smoking");
  change.set_priority(v1::TICKET_PRIORITY_URGENT);
  change.set_etag("stale");
  google::protobuf::FieldMask mask;
  mask.add_paths("subject");
  mask.add_paths("priority");
  EXPECT_EQ(tickets_->Update(Agent(), change, mask).status().code(),
            absl::StatusCode::kAborted);
  change.set_etag(created.etag());
  clock_.Advance(absl::Minutes(5));
  auto updated = tickets_->Update(Agent(), change, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->subject(), "Printer smoking");
  EXPECT_EQ(updated->priority(), v1::TICKET_PRIORITY_URGENT);
  EXPECT_EQ(updated->description(), created.description());
  EXPECT_NE(updated->etag(), created.etag());
  const auto history = History(created.name());
  ASSERT_FALSE(history.empty());
  bool saw_update = false;
  for (const auto& entry : history) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_UPDATED) {
      saw_update = true;
      EXPECT_THAT(entry.changed_fields(), ElementsAre("subject", "priority"));
      EXPECT_EQ(entry.priority(), v1::TICKET_PRIORITY_URGENT);
    }
  }
  EXPECT_TRUE(saw_update);

  // Sending what is there changes nothing, not even the etag.
  change.clear_etag();
  auto same = tickets_->Update(Agent(), change, mask);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), updated->etag());

  google::protobuf::FieldMask status_mask;
  status_mask.add_paths("status");
  EXPECT_EQ(tickets_->Update(Agent(), change, status_mask).status().code(),
            absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(tickets_->Delete(Agent(), created.name(), "stale").code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(tickets_->Delete(Agent(), created.name(), updated->etag()).ok());
  EXPECT_EQ(tickets_->Get(Agent(), created.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(tickets_->Delete(Agent(), created.name(), "").code(),
            absl::StatusCode::kNotFound);

  const std::vector<std::string> types = OutboxTypes();
  EXPECT_THAT(types, Contains("clientele.events.v1.TicketCreated"));
  EXPECT_THAT(types, Contains("clientele.events.v1.TicketUpdated"));
  EXPECT_THAT(types, Contains("clientele.events.v1.TicketDeleted"));
}

TEST_F(TicketManagerTest, CreateIsIdempotentWithARequestId) {
  v1::CreateTicketRequest request;
  *request.mutable_ticket() = Draft("a1");
  request.set_request_id("req-1");
  auto first = tickets_->Create(Serving(request), request.ticket());
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = tickets_->Create(Serving(request), request.ticket());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  auto listed = tickets_->List(Agent(), v1::ListTicketsRequest());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->tickets(), SizeIs(1));
}

TEST_F(TicketManagerTest, CreateChecksAccountAndRequester) {
  auto unknown = tickets_->Create(Agent(), Draft("nobody"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);

  v1::Ticket foreign = Draft("a1");
  foreign.set_requester("contacts/c2");  // belongs to a2
  auto refused = tickets_->Create(Agent(), foreign);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(refused.status()), ElementsAre("ticket.requester"));

  v1::Ticket stranger = Draft("a1");
  stranger.set_requester("contacts/nobody");
  EXPECT_EQ(tickets_->Create(Agent(), stranger).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TicketManagerTest, HostileInputNamesTheFields) {
  v1::Ticket hostile;
  hostile.set_account("accounts/../etc");
  hostile.set_requester("people/1");
  hostile.set_subject(std::string(301, 's'));
  hostile.set_description(std::string(32001, 'd'));
  hostile.set_product(std::string(201, 'p'));
  hostile.set_type(static_cast<v1::TicketType>(17));
  hostile.set_priority(static_cast<v1::TicketPriority>(9));
  hostile.set_channel(static_cast<v1::TicketChannel>(-3));
  hostile.set_assignee(std::string(129, 'a'));
  hostile.set_team(std::string(101, 't'));
  auto refused = tickets_->Create(Agent(), hostile);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      FieldsOf(refused.status()),
      ElementsAre("ticket.account", "ticket.requester", "ticket.product",
                  "ticket.subject", "ticket.description", "ticket.type",
                  "ticket.priority", "ticket.channel", "ticket.assignee",
                  "ticket.team"));

  v1::Ticket tags = Draft("a1");
  for (int i = 0; i < 33; ++i) tags.add_tags(absl::StrCat("tag", i));
  EXPECT_THAT(FieldsOf(tickets_->Create(Agent(), tags).status()),
              ElementsAre("ticket.tags"));

  EXPECT_EQ(tickets_->Get(Agent(), "tickets/").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tickets_->Get(Agent(), "accounts/a1").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tickets_->Get(Agent(), "tickets/a/b").status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListTicketsRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(FieldsOf(tickets_->List(Agent(), negative).status()),
              ElementsAre("page_size"));
  v1::ListTicketsRequest bad_filters;
  bad_filters.add_statuses(static_cast<v1::TicketStatus>(12));
  bad_filters.set_priority(static_cast<v1::TicketPriority>(7));
  bad_filters.set_account("tickets/x");
  bad_filters.set_page_token("garbage");
  EXPECT_THAT(FieldsOf(tickets_->List(Agent(), bad_filters).status()),
              ElementsAre("account", "statuses[0]", "priority"));
  v1::ListTicketsRequest bad_token;
  bad_token.set_page_token("garbage");
  EXPECT_THAT(FieldsOf(tickets_->List(Agent(), bad_token).status()),
              ElementsAre("page_token"));

  const v1::Ticket ticket = MustCreate(Draft("a1"));
  v1::TicketComment comment;
  comment.set_visibility(static_cast<v1::CommentVisibility>(5));
  comment.set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
  comment.set_body(std::string(32001, 'b'));
  EXPECT_THAT(
      FieldsOf(tickets_->AddComment(Agent(), ticket.name(), comment).status()),
      ElementsAre("comment.visibility", "comment.body"));
  EXPECT_EQ(tickets_
                ->ChangeStatus(Agent(), ticket.name(),
                               static_cast<v1::TicketStatus>(40), "")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TicketManagerTest, AnotherTenantsTicketIsNotFound) {
  const v1::Ticket ticket = MustCreate(Draft("a1"));
  const Caller other = Agent("globex");
  EXPECT_EQ(tickets_->Get(other, ticket.name()).status().code(),
            absl::StatusCode::kNotFound);
  v1::Ticket change;
  change.set_name(ticket.name());
  change.set_subject("mine now");
  google::protobuf::FieldMask mask;
  mask.add_paths("subject");
  EXPECT_EQ(tickets_->Update(other, change, mask).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(tickets_->Delete(other, ticket.name(), "").code(),
            absl::StatusCode::kNotFound);
  v1::TicketComment comment;
  comment.set_visibility(v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
  comment.set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
  comment.set_body("hi");
  EXPECT_EQ(tickets_->AddComment(other, ticket.name(), comment).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      tickets_->ChangeStatus(other, ticket.name(), v1::TICKET_STATUS_OPEN, "")
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  v1::ListTicketHistoryRequest history;
  history.set_parent(ticket.name());
  EXPECT_EQ(tickets_->ListHistory(other, history).status().code(),
            absl::StatusCode::kNotFound);
  auto listed = tickets_->List(other, v1::ListTicketsRequest());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->tickets(), IsEmpty());
  // And the other tenant's account is not known to it either.
  EXPECT_EQ(tickets_->Create(other, Draft("a1")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TicketManagerTest, ListFiltersAndPagesNewestFirst) {
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    v1::Ticket draft = Draft(i % 2 == 0 ? "a1" : "a2", absl::StrCat("T", i));
    draft.set_priority(i < 2 ? v1::TICKET_PRIORITY_HIGH
                             : v1::TICKET_PRIORITY_LOW);
    if (i == 4) draft.set_assignee("u-zoe");
    names.push_back(MustCreate(draft).name());
  }
  ASSERT_TRUE(Status(names[1], v1::TICKET_STATUS_PENDING).ok());

  std::vector<std::string> seen;
  v1::ListTicketsRequest request;
  request.set_page_size(2);
  int pages = 0;
  do {
    auto page = tickets_->List(Agent(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& ticket : page->tickets()) seen.push_back(ticket.name());
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{names[4], names[3], names[2],
                                            names[1], names[0]}));

  const auto names_of = [&](const v1::ListTicketsRequest& filter) {
    std::vector<std::string> out;
    auto page = tickets_->List(Agent(), filter);
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const auto& ticket : page->tickets()) out.push_back(ticket.name());
    }
    return out;
  };
  v1::ListTicketsRequest by_account;
  by_account.set_account("accounts/a1");
  EXPECT_EQ(names_of(by_account),
            (std::vector<std::string>{names[4], names[2], names[0]}));
  v1::ListTicketsRequest by_priority;
  by_priority.set_priority(v1::TICKET_PRIORITY_HIGH);
  EXPECT_EQ(names_of(by_priority),
            (std::vector<std::string>{names[1], names[0]}));
  v1::ListTicketsRequest by_status;
  by_status.add_statuses(v1::TICKET_STATUS_PENDING);
  EXPECT_EQ(names_of(by_status), (std::vector<std::string>{names[1]}));
  v1::ListTicketsRequest by_assignee;
  by_assignee.set_assignee("u-zoe");
  EXPECT_EQ(names_of(by_assignee), (std::vector<std::string>{names[4]}));
  v1::ListTicketsRequest by_range;
  auto first = tickets_->Get(Agent(), names[1]);
  ASSERT_TRUE(first.ok());
  *by_range.mutable_create_time_range()->mutable_start_time() =
      first->create_time();
  *by_range.mutable_create_time_range()->mutable_end_time() =
      ToTimestamp(ToTime(first->create_time()) + absl::Seconds(2));
  EXPECT_EQ(names_of(by_range), (std::vector<std::string>{names[2], names[1]}));

  // A token is only good for the filter it was issued for.
  v1::ListTicketsRequest paged = by_account;
  paged.set_page_size(1);
  auto page = tickets_->List(Agent(), paged);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token().empty());
  v1::ListTicketsRequest other_filter = by_priority;
  other_filter.set_page_token(page->next_page_token());
  EXPECT_EQ(tickets_->List(Agent(), other_filter).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TicketManagerTest, ATierChangeReachesTicketsInProgress) {
  const v1::Ticket open = MustCreate(Draft("a1"));
  const v1::Ticket solved = MustCreate(Draft("a1"));
  ASSERT_TRUE(Status(solved.name(), v1::TICKET_STATUS_SOLVED).ok());
  ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_ENTERPRISE,
                             type::v1::RELATIONSHIP_MODE_CLIENT, "",
                             /*update=*/true)
                  .ok());
  auto got = tickets_->Get(Agent(), open.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->account_tier(), type::v1::ACCOUNT_TIER_ENTERPRISE);
  EXPECT_EQ(got->relationship_mode(), type::v1::RELATIONSHIP_MODE_CLIENT);
  auto kept = tickets_->Get(Agent(), solved.name());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->account_tier(), type::v1::ACCOUNT_TIER_STANDARD);
}

TEST_F(TicketManagerTest, ClocksFollowTheTicketAndAPriorityChangeReselects) {
  SlaPolicyManager policies(deps_);
  v1::SlaPolicy urgent;
  urgent.set_display_name("Urgent");
  urgent.add_priorities(v1::TICKET_PRIORITY_URGENT);
  urgent.set_rank(1);
  *urgent.mutable_first_response_target() = ToDurationProto(absl::Hours(1));
  auto urgent_policy = policies.Create(Agent(), urgent);
  ASSERT_TRUE(urgent_policy.ok()) << urgent_policy.status();
  v1::SlaPolicy standard;
  standard.set_display_name("Everyone else");
  standard.set_rank(2);
  *standard.mutable_first_response_target() = ToDurationProto(absl::Hours(8));
  auto standard_policy = policies.Create(Agent(), standard);
  ASSERT_TRUE(standard_policy.ok()) << standard_policy.status();

  const v1::Ticket ticket = MustCreate(Draft("a1"));
  EXPECT_EQ(ticket.sla_policy(), standard_policy->name());
  ASSERT_THAT(ticket.sla_clocks(), SizeIs(1));
  EXPECT_EQ(ticket.sla_clocks(0).state(), v1::SLA_CLOCK_STATE_RUNNING);
  EXPECT_EQ(ToTime(ticket.sla_clocks(0).due_time()),
            ToTime(ticket.create_time()) + absl::Hours(8));

  v1::Ticket change;
  change.set_name(ticket.name());
  change.set_priority(v1::TICKET_PRIORITY_URGENT);
  google::protobuf::FieldMask mask;
  mask.add_paths("priority");
  clock_.Advance(absl::Minutes(10));
  auto urgent_now = tickets_->Update(Agent(), change, mask);
  ASSERT_TRUE(urgent_now.ok()) << urgent_now.status();
  EXPECT_EQ(urgent_now->sla_policy(), urgent_policy->name());
  ASSERT_THAT(urgent_now->sla_clocks(), SizeIs(1));
  // Computed from the whole history: due an hour after creation.
  EXPECT_EQ(ToTime(urgent_now->sla_clocks(0).due_time()),
            ToTime(ticket.create_time()) + absl::Hours(1));
  int applied = 0;
  for (const auto& entry : History(ticket.name())) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED) ++applied;
  }
  EXPECT_EQ(applied, 2);

  auto pending = Status(ticket.name(), v1::TICKET_STATUS_PENDING);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_THAT(pending->sla_clocks(), SizeIs(1));
  EXPECT_EQ(pending->sla_clocks(0).state(), v1::SLA_CLOCK_STATE_PAUSED);

  auto replied = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                         v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "Done soon");
  ASSERT_TRUE(replied.ok()) << replied.status();
  ASSERT_THAT(replied->ticket.sla_clocks(), SizeIs(1));
  EXPECT_EQ(replied->ticket.sla_clocks(0).state(), v1::SLA_CLOCK_STATE_MET);
}

}  // namespace
}  // namespace clientele::ticketing

// Tickets over real SQLite through the ticket manager, with accounts and
// contacts arriving as contacts' events do: create, get, update by mask and
// etag, delete, lists with filters and pages, comments and the status moves
// they cause, replies to closed tickets, merges, routing, tenancy and
// hostile input.
#include "services/ticketing/ticket_manager.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"
#include "services/ticketing/sla_policy_manager.h"

namespace clientele::ticketing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class TicketManagerTest : public testing::CsatFixture {
 protected:
  void SetUp() override {
    CsatFixture::SetUp();
    ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD,
                               type::v1::RELATIONSHIP_MODE_CUSTOMER)
                    .ok());
    ASSERT_TRUE(PublishContact("c1", "a1").ok());
    ASSERT_TRUE(PublishAccount("a2", type::v1::ACCOUNT_TIER_PREMIUM,
                               type::v1::RELATIONSHIP_MODE_CLIENT, "u-maria")
                    .ok());
    ASSERT_TRUE(PublishContact("c2", "a2").ok());
  }

  static v1::Ticket Draft(const std::string& account,
                          const std::string& subject = "Printer on fire") {
    v1::Ticket ticket;
    ticket.set_account(absl::StrCat("accounts/", account));
    ticket.set_subject(subject);
    ticket.set_description("It smokes when printing.");
    return ticket;
  }

  v1::Ticket MustCreate(const v1::Ticket& draft,
                        const std::string& tenant = "acme") {
    clock_.Advance(absl::Seconds(1));
    absl::StatusOr<v1::Ticket> ticket = tickets_->Create(Agent(tenant), draft);
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    return ticket.ok() ? *ticket : v1::Ticket();
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

  std::vector<v1::TicketHistoryKind> Kinds(const std::string& name) {
    std::vector<v1::TicketHistoryKind> kinds;
    for (const auto& entry : History(name)) {
      if (entry.kind() != v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED) {
        kinds.push_back(entry.kind());
      }
    }
    return kinds;
  }

  std::vector<std::string> OutboxTypes() {
    auto types = clientele::testing::OutboxTypesForTest(*database_);
    EXPECT_TRUE(types.ok()) << types.status();
    return types.ok() ? *types : std::vector<std::string>();
  }

  static std::vector<std::string> FieldsOf(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      fields.push_back(v.field);
    }
    return fields;
  }

  absl::StatusOr<CommentResult> Comment(const std::string& ticket,
                                        v1::CommentAuthorType author_type,
                                        v1::CommentVisibility visibility,
                                        const std::string& body = "Hello") {
    v1::TicketComment comment;
    comment.set_author_type(author_type);
    comment.set_visibility(visibility);
    comment.set_body(body);
    clock_.Advance(absl::Minutes(1));
    return tickets_->AddComment(Agent(), ticket, comment);
  }

  absl::StatusOr<v1::Ticket> Status(const std::string& name,
                                    v1::TicketStatus status) {
    clock_.Advance(absl::Minutes(1));
    auto changed = tickets_->ChangeStatus(Agent(), name, status, "");
    if (!changed.ok()) return changed.status();
    return changed->ticket;
  }
};

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

TEST_F(TicketManagerTest, RepliesMoveTheStatusAsAHelpDeskDoes) {
  v1::Ticket draft = Draft("a1");
  draft.set_requester("contacts/c1");
  const v1::Ticket ticket = MustCreate(draft);

  auto note = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                      v1::COMMENT_VISIBILITY_INTERNAL_NOTE, "Checking logs");
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->ticket.status(), v1::TICKET_STATUS_NEW);
  EXPECT_FALSE(note->ticket.has_first_response_time());
  EXPECT_EQ(note->comment.author(), "u-agent");

  auto reply = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                       v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "On it");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->ticket.status(), v1::TICKET_STATUS_OPEN);
  EXPECT_EQ(ToTime(reply->ticket.first_response_time()), clock_.Now());
  EXPECT_THAT(reply->comment.name(),
              HasSubstr(absl::StrCat(ticket.name(), "/comments/")));

  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_PENDING).ok());
  auto answer = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_REQUESTER,
                        v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "Here it is");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->ticket.status(), v1::TICKET_STATUS_OPEN);
  EXPECT_EQ(answer->comment.author(), "contacts/c1");

  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_SOLVED).ok());
  auto reopen = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_REQUESTER,
                        v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "Still broken");
  ASSERT_TRUE(reopen.ok()) << reopen.status();
  EXPECT_EQ(reopen->ticket.status(), v1::TICKET_STATUS_OPEN);

  EXPECT_THAT(
      Kinds(ticket.name()),
      ElementsAre(v1::TICKET_HISTORY_KIND_CREATED,
                  v1::TICKET_HISTORY_KIND_ROUTED, v1::TICKET_HISTORY_KIND_NOTE,
                  v1::TICKET_HISTORY_KIND_AGENT_REPLY,
                  v1::TICKET_HISTORY_KIND_STATUS_CHANGED,  // NEW -> OPEN
                  v1::TICKET_HISTORY_KIND_STATUS_CHANGED,  // -> PENDING
                  v1::TICKET_HISTORY_KIND_STATUS_CHANGED,  // reopen
                  v1::TICKET_HISTORY_KIND_REQUESTER_REPLY,
                  v1::TICKET_HISTORY_KIND_STATUS_CHANGED,  // -> SOLVED
                  v1::TICKET_HISTORY_KIND_CSAT_SENT,
                  v1::TICKET_HISTORY_KIND_STATUS_CHANGED,  // reopen
                  v1::TICKET_HISTORY_KIND_REQUESTER_REPLY));

  // Comments list oldest first, in pages, by visibility.
  v1::ListTicketCommentsRequest list;
  list.set_parent(ticket.name());
  list.set_page_size(3);
  auto page = tickets_->ListComments(Agent(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->comments(), SizeIs(3));
  EXPECT_EQ(page->comments(0).body(), "Checking logs");
  ASSERT_FALSE(page->next_page_token().empty());
  list.set_page_token(page->next_page_token());
  auto rest = tickets_->ListComments(Agent(), list);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_THAT(rest->comments(), SizeIs(1));
  EXPECT_EQ(rest->comments(0).body(), "Still broken");
  EXPECT_THAT(rest->next_page_token(), IsEmpty());
  v1::ListTicketCommentsRequest notes;
  notes.set_parent(ticket.name());
  notes.set_visibility(v1::COMMENT_VISIBILITY_INTERNAL_NOTE);
  auto only_notes = tickets_->ListComments(Agent(), notes);
  ASSERT_TRUE(only_notes.ok());
  EXPECT_THAT(only_notes->comments(), SizeIs(1));
}

TEST_F(TicketManagerTest, ALateReplyIsPlacedWhenItWasWritten) {
  const v1::Ticket ticket = MustCreate(Draft("a1"));
  clock_.Advance(absl::Hours(3));
  v1::TicketComment late;
  late.set_author_type(v1::COMMENT_AUTHOR_TYPE_AGENT);
  late.set_visibility(v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
  late.set_body("Called them back");
  const absl::Time written = ToTime(ticket.create_time()) + absl::Hours(1);
  SetTimestamp(written, late.mutable_occur_time());
  auto added = tickets_->AddComment(Agent(), ticket.name(), late);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(ToTime(added->ticket.first_response_time()), written);

  SetTimestamp(ToTime(ticket.create_time()) - absl::Seconds(1),
               late.mutable_occur_time());
  EXPECT_THAT(
      FieldsOf(tickets_->AddComment(Agent(), ticket.name(), late).status()),
      ElementsAre("comment.occur_time"));
  SetTimestamp(clock_.Now() + absl::Minutes(1), late.mutable_occur_time());
  EXPECT_THAT(
      FieldsOf(tickets_->AddComment(Agent(), ticket.name(), late).status()),
      ElementsAre("comment.occur_time"));
}

TEST_F(TicketManagerTest, AReplyToAClosedTicketOpensAFollowUp) {
  v1::Ticket draft = Draft("a1");
  draft.set_requester("contacts/c1");
  draft.set_type(v1::TICKET_TYPE_RETURN);
  const v1::Ticket ticket = MustCreate(draft);
  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_SOLVED).ok());
  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_CLOSED).ok());

  auto agent = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                       v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
  EXPECT_EQ(agent.status().code(), absl::StatusCode::kFailedPrecondition);
  auto note = Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                      v1::COMMENT_VISIBILITY_INTERNAL_NOTE);
  EXPECT_EQ(note.status().code(), absl::StatusCode::kFailedPrecondition);

  auto reply =
      Comment(ticket.name(), v1::COMMENT_AUTHOR_TYPE_REQUESTER,
              v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "The replacement broke too");
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::Ticket& follow_up = reply->ticket;
  EXPECT_NE(follow_up.name(), ticket.name());
  EXPECT_EQ(follow_up.follow_up_of(), ticket.name());
  EXPECT_EQ(follow_up.status(), v1::TICKET_STATUS_NEW);
  EXPECT_EQ(follow_up.account(), "accounts/a1");
  EXPECT_EQ(follow_up.requester(), "contacts/c1");
  EXPECT_EQ(follow_up.type(), v1::TICKET_TYPE_RETURN);
  EXPECT_THAT(reply->comment.name(), HasSubstr(follow_up.name()));

  auto closed = tickets_->Get(Agent(), ticket.name());
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status(), v1::TICKET_STATUS_CLOSED);
  const auto history = History(ticket.name());
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind(), v1::TICKET_HISTORY_KIND_FOLLOW_UP_OPENED);
  EXPECT_EQ(history.back().related(), follow_up.name());

  v1::ListTicketCommentsRequest list;
  list.set_parent(follow_up.name());
  auto comments = tickets_->ListComments(Agent(), list);
  ASSERT_TRUE(comments.ok());
  ASSERT_THAT(comments->comments(), SizeIs(1));
  EXPECT_EQ(comments->comments(0).body(), "The replacement broke too");
}

TEST_F(TicketManagerTest, StatusChangesFollowTheTable) {
  const v1::Ticket ticket = MustCreate(Draft("a1"));
  auto same =
      tickets_->ChangeStatus(Agent(), ticket.name(), v1::TICKET_STATUS_NEW, "");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->ticket.etag(), ticket.etag());

  ASSERT_TRUE(Status(ticket.name(), v1::TICKET_STATUS_ON_HOLD).ok());
  EXPECT_EQ(Status(ticket.name(), v1::TICKET_STATUS_NEW).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Status(ticket.name(), v1::TICKET_STATUS_CLOSED).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tickets_
                ->ChangeStatus(Agent(), ticket.name(), v1::TICKET_STATUS_OPEN,
                               "stale")
                .status()
                .code(),
            absl::StatusCode::kAborted);
  clock_.Advance(absl::Hours(2));
  auto solved = Status(ticket.name(), v1::TICKET_STATUS_SOLVED);
  ASSERT_TRUE(solved.ok()) << solved.status();
  EXPECT_EQ(ToTime(solved->solve_time()), clock_.Now());
  auto closed = Status(ticket.name(), v1::TICKET_STATUS_CLOSED);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_TRUE(closed->has_close_time());
  EXPECT_EQ(Status(ticket.name(), v1::TICKET_STATUS_OPEN).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // The solve published TicketSolved with the time worked: the minute it
  // was NEW, not the hours ON_HOLD.
  auto events = clientele::testing::OutboxEventsForTest(*database_);
  ASSERT_TRUE(events.ok());
  int solved_events = 0;
  for (const auto& event : *events) {
    if (!event.has_ticket_solved()) continue;
    ++solved_events;
    EXPECT_EQ(event.ticket_solved().ticket().name(), ticket.name());
    EXPECT_EQ(event.ticket_solved().previous_status(),
              events::v1::TICKET_STATUS_ON_HOLD);
    EXPECT_EQ(ToDuration(event.ticket_solved().resolution_duration()),
              absl::Minutes(1));
    EXPECT_FALSE(event.ticket_solved().csat_survey().empty());
  }
  EXPECT_EQ(solved_events, 1);
}

TEST_F(TicketManagerTest, MergeClosesDuplicatesWithAnAuditTrail) {
  v1::Ticket draft = Draft("a1");
  draft.set_requester("contacts/c1");
  const v1::Ticket target = MustCreate(draft);
  const v1::Ticket first = MustCreate(draft);
  const v1::Ticket second = MustCreate(draft);
  ASSERT_TRUE(Comment(first.name(), v1::COMMENT_AUTHOR_TYPE_REQUESTER,
                      v1::COMMENT_VISIBILITY_PUBLIC_REPLY, "Also this")
                  .ok());
  ASSERT_TRUE(Comment(first.name(), v1::COMMENT_AUTHOR_TYPE_AGENT,
                      v1::COMMENT_VISIBILITY_INTERNAL_NOTE, "Private")
                  .ok());

  v1::MergeTicketsRequest request;
  request.set_target(target.name());
  request.add_sources(first.name());
  request.add_sources(second.name());
  auto merged = tickets_->Merge(Agent(), request);
  ASSERT_TRUE(merged.ok()) << merged.status();
  ASSERT_THAT(merged->sources(), SizeIs(2));
  for (const auto& source : merged->sources()) {
    EXPECT_EQ(source.status(), v1::TICKET_STATUS_CLOSED);
    EXPECT_EQ(source.merged_into(), target.name());
    EXPECT_THAT(Kinds(source.name()),
                Contains(v1::TICKET_HISTORY_KIND_MERGED_INTO));
  }
  std::vector<v1::TicketHistoryEntry> merged_from;
  for (const auto& entry : History(target.name())) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_MERGED_FROM) {
      merged_from.push_back(entry);
    }
  }
  ASSERT_THAT(merged_from, SizeIs(2));
  EXPECT_EQ(merged_from[0].related(), first.name());
  EXPECT_EQ(merged_from[1].related(), second.name());

  // The target got the source's public reply (not its internal note) and a
  // note per source.
  v1::ListTicketCommentsRequest list;
  list.set_parent(target.name());
  auto comments = tickets_->ListComments(Agent(), list);
  ASSERT_TRUE(comments.ok());
  std::vector<std::string> bodies;
  for (const auto& comment : comments->comments()) {
    bodies.push_back(comment.body());
  }
  EXPECT_THAT(bodies, Contains("Also this"));
  EXPECT_THAT(bodies, ::testing::Not(Contains("Private")));
  EXPECT_THAT(bodies, SizeIs(3));
  // The source got a public note pointing to the target.
  v1::ListTicketCommentsRequest source_list;
  source_list.set_parent(second.name());
  auto source_comments = tickets_->ListComments(Agent(), source_list);
  ASSERT_TRUE(source_comments.ok());
  ASSERT_THAT(source_comments->comments(), SizeIs(1));
  EXPECT_THAT(source_comments->comments(0).body(), HasSubstr(target.name()));

  // Again: nothing more happens.
  auto again = tickets_->Merge(Agent(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  auto comments_again = tickets_->ListComments(Agent(), list);
  ASSERT_TRUE(comments_again.ok());
  EXPECT_THAT(comments_again->comments(), SizeIs(3));
  int merged_events = 0;
  for (const std::string& type : OutboxTypes()) {
    if (type == "clientele.events.v1.TicketsMerged") ++merged_events;
  }
  EXPECT_EQ(merged_events, 2);

  // Bad requests.
  v1::MergeTicketsRequest self;
  self.set_target(target.name());
  self.add_sources(target.name());
  EXPECT_THAT(FieldsOf(tickets_->Merge(Agent(), self).status()),
              ElementsAre("sources[0]"));
  v1::MergeTicketsRequest into_closed;
  into_closed.set_target(first.name());
  into_closed.add_sources(target.name());
  EXPECT_EQ(tickets_->Merge(Agent(), into_closed).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::MergeTicketsRequest too_many;
  too_many.set_target(target.name());
  for (int i = 0; i < 21; ++i) {
    too_many.add_sources(absl::StrCat("tickets/x", i));
  }
  EXPECT_THAT(FieldsOf(tickets_->Merge(Agent(), too_many).status()),
              ElementsAre("sources"));
}

TEST_F(TicketManagerTest, RoutingSendsClientsToTheirManagerAndSaysWhy) {
  v1::RoutingPolicy policy;
  v1::SupportTeam* team = policy.add_teams();
  team->set_name("Support");
  team->add_agents("u-ali");
  team->add_agents("u-bea");
  policy.set_agent_capacity(1);
  policy.set_account_manager_capacity(1);
  google::protobuf::FieldMask mask;
  mask.add_paths("teams");
  mask.add_paths("agent_capacity");
  mask.add_paths("account_manager_capacity");
  auto stored = routing_->Update(Agent(), policy, mask);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->teams(0).name(), "support");
  EXPECT_EQ(stored->default_team(), "support");

  // a2 is a client with manager u-maria (capacity 1).
  const v1::Ticket client = MustCreate(Draft("a2"));
  EXPECT_EQ(client.assignee(), "u-maria");
  EXPECT_EQ(client.routing().reason(), v1::ROUTING_REASON_ACCOUNT_MANAGER);
  EXPECT_EQ(client.routing().explanation(),
            "client account; routed to its account manager u-maria (0 open "
            "tickets, capacity 1)");
  const v1::Ticket client2 = MustCreate(Draft("a2"));
  EXPECT_EQ(client2.assignee(), "u-ali");
  EXPECT_THAT(client2.routing().explanation(),
              HasSubstr("its account manager u-maria is at capacity"));
  const v1::Ticket customer = MustCreate(Draft("a1"));
  EXPECT_EQ(customer.assignee(), "u-bea");
  EXPECT_EQ(customer.routing().reason(), v1::ROUTING_REASON_ROUND_ROBIN);
  const v1::Ticket queued = MustCreate(Draft("a1"));
  EXPECT_EQ(queued.assignee(), "");
  EXPECT_EQ(queued.routing().reason(), v1::ROUTING_REASON_TEAM_QUEUE);
  EXPECT_EQ(queued.routing().explanation(),
            "customer account; no agent of team support under capacity (1); "
            "queued for the team");
  // The ROUTED history entry carries the explanation.
  bool routed = false;
  for (const auto& entry : History(client.name())) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_ROUTED) {
      routed = true;
      EXPECT_EQ(entry.assignee(), "u-maria");
      EXPECT_EQ(entry.explanation(), client.routing().explanation());
    }
  }
  EXPECT_TRUE(routed);

  // Solving u-ali's ticket frees it: RouteTicket gives it the queued one.
  ASSERT_TRUE(Status(client2.name(), v1::TICKET_STATUS_SOLVED).ok());
  auto rerouted = tickets_->Route(Agent(), queued.name(), "");
  ASSERT_TRUE(rerouted.ok()) << rerouted.status();
  EXPECT_EQ(rerouted->assignee(), "u-ali");
  // Re-routing the manager's own ticket keeps it with the manager.
  auto kept = tickets_->Route(Agent(), client.name(), "");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->assignee(), "u-maria");
  EXPECT_EQ(tickets_->Route(Agent(), client2.name(), "").status().code(),
            absl::StatusCode::kFailedPrecondition);

  // By hand.
  v1::AssignTicketRequest assign;
  assign.set_name(customer.name());
  assign.set_assignee("u-zoe");
  assign.set_team("Billing");
  auto assigned = tickets_->Assign(Agent(), assign);
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->assignee(), "u-zoe");
  EXPECT_EQ(assigned->team(), "billing");
  EXPECT_EQ(assigned->routing().reason(), v1::ROUTING_REASON_MANUAL);
  v1::AssignTicketRequest nothing;
  nothing.set_name(customer.name());
  EXPECT_EQ(tickets_->Assign(Agent(), nothing).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(OutboxTypes(), Contains("clientele.events.v1.TicketAssigned"));
}

TEST_F(TicketManagerTest, RoutingPolicyValidatesAndUsesItsEtag) {
  auto defaults = routing_->Get(Agent(), "routingPolicy");
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->default_team(), "support");
  EXPECT_EQ(defaults->agent_capacity(), 20);
  EXPECT_EQ(defaults->account_manager_capacity(), 30);
  EXPECT_FALSE(defaults->has_update_time());
  EXPECT_EQ(routing_->Get(Agent(), "routingPolicies/1").status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::RoutingPolicy bad;
  bad.set_agent_capacity(10001);
  bad.set_account_manager_capacity(-1);
  bad.add_teams()->set_name("a");
  bad.add_teams()->set_name("A");
  bad.mutable_teams(1)->add_agents("u-1");
  bad.mutable_teams(1)->add_agents("u-1");
  google::protobuf::FieldMask all;
  all.add_paths("*");
  EXPECT_THAT(FieldsOf(routing_->Update(Agent(), bad, all).status()),
              ElementsAre("routing_policy.teams[1].name",
                          "routing_policy.teams[1].agents[1]",
                          "routing_policy.agent_capacity",
                          "routing_policy.account_manager_capacity"));

  v1::RoutingPolicy good;
  good.set_default_team("Billing");
  google::protobuf::FieldMask mask;
  mask.add_paths("default_team");
  auto updated = routing_->Update(Agent(), good, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->default_team(), "billing");
  EXPECT_TRUE(updated->has_update_time());
  good.set_etag("stale");
  EXPECT_EQ(routing_->Update(Agent(), good, mask).status().code(),
            absl::StatusCode::kAborted);
  // Another tenant still has the defaults.
  auto other = routing_->Get(Agent("globex"), "routingPolicy");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->default_team(), "support");
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

// Comments on tickets through the ticket manager over real SQLite, and the
// status moves they cause as a help desk's do: replies, notes, a late reply
// placed when it was written, a reply to a closed ticket opening a
// follow-up, and the status table itself.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticket_manager_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

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

}  // namespace
}  // namespace clientele::ticketing

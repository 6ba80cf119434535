// Merging duplicate tickets through the ticket manager over real SQLite:
// sources closed into the target with an audit trail on both sides, public
// replies carried over, retries that change nothing, and bad requests.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticket_manager_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

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

}  // namespace
}  // namespace clientele::ticketing

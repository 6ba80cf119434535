// The status transition table (every pair), the fields a client may write,
// and the support form's email key and subject.
#include "services/ticketing/ticket_rules.h"

#include <string>
#include <utility>
#include <vector>

#include "common/errors.h"
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> FieldsOf(const FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(violations.ToStatus())) {
    fields.push_back(v.field);
  }
  return fields;
}

constexpr v1::TicketStatus kNew = v1::TICKET_STATUS_NEW;
constexpr v1::TicketStatus kOpen = v1::TICKET_STATUS_OPEN;
constexpr v1::TicketStatus kPending = v1::TICKET_STATUS_PENDING;
constexpr v1::TicketStatus kOnHold = v1::TICKET_STATUS_ON_HOLD;
constexpr v1::TicketStatus kSolved = v1::TICKET_STATUS_SOLVED;
constexpr v1::TicketStatus kClosed = v1::TICKET_STATUS_CLOSED;
constexpr v1::TicketStatus kUnset = v1::TICKET_STATUS_UNSPECIFIED;

TEST(AllowedTransitionTest, EveryPairAsTheContractLists) {
  // The allowed moves of ticket_enums.proto; every other pair is refused.
  const std::vector<std::pair<v1::TicketStatus, v1::TicketStatus>> allowed = {
      {kNew, kOpen},       {kNew, kPending},  {kNew, kOnHold},
      {kNew, kSolved},     {kOpen, kPending}, {kOpen, kOnHold},
      {kOpen, kSolved},    {kPending, kOpen}, {kPending, kOnHold},
      {kPending, kSolved}, {kOnHold, kOpen},  {kOnHold, kPending},
      {kOnHold, kSolved},  {kSolved, kOpen},  {kSolved, kClosed},
  };
  const v1::TicketStatus all[] = {kUnset,  kNew,    kOpen,  kPending,
                                  kOnHold, kSolved, kClosed};
  int checked = 0;
  for (v1::TicketStatus from : all) {
    for (v1::TicketStatus to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::make_pair(from, to)) !=
          allowed.end();
      EXPECT_EQ(AllowedTransition(from, to), expected)
          << StatusLabel(from) << " -> " << StatusLabel(to);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 49);
}

TEST(AllowedTransitionTest, NothingGoesBackToNewAndClosedIsFinal) {
  for (v1::TicketStatus from :
       {kNew, kOpen, kPending, kOnHold, kSolved, kClosed}) {
    EXPECT_FALSE(AllowedTransition(from, kNew)) << StatusLabel(from);
  }
  for (v1::TicketStatus to : {kNew, kOpen, kPending, kOnHold, kSolved}) {
    EXPECT_FALSE(AllowedTransition(kClosed, to)) << StatusLabel(to);
  }
  // Out-of-range values are not statuses.
  EXPECT_FALSE(AllowedTransition(kOpen, static_cast<v1::TicketStatus>(99)));
}

TEST(IsOpenStatusTest, OpenMeansInProgress) {
  EXPECT_TRUE(IsOpenStatus(kNew));
  EXPECT_TRUE(IsOpenStatus(kOpen));
  EXPECT_TRUE(IsOpenStatus(kPending));
  EXPECT_TRUE(IsOpenStatus(kOnHold));
  EXPECT_FALSE(IsOpenStatus(kSolved));
  EXPECT_FALSE(IsOpenStatus(kClosed));
  EXPECT_EQ(StatusLabel(kOnHold), "ON_HOLD");
}

TEST(CheckTicketFieldsTest, DefaultsAndTagsAreNormalized) {
  v1::Ticket ticket;
  ticket.set_subject("  Printer on fire  ");
  ticket.add_tags("Urgent");
  ticket.add_tags("urgent ");
  ticket.add_tags("Hardware");
  FieldViolations violations;
  CheckTicketFields(&ticket, "ticket.", &violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(ticket.subject(), "Printer on fire");
  EXPECT_EQ(ticket.type(), v1::TICKET_TYPE_QUESTION);
  EXPECT_EQ(ticket.priority(), v1::TICKET_PRIORITY_NORMAL);
  EXPECT_THAT(ticket.tags(), ElementsAre("urgent", "hardware"));
}

TEST(CheckTicketFieldsTest, HostileValuesNameTheirFields) {
  v1::Ticket ticket;
  ticket.set_subject(std::string(301, 'x'));
  ticket.set_product(std::string(201, 'p'));
  ticket.set_description(std::string(32001, 'd'));
  ticket.set_type(static_cast<v1::TicketType>(42));
  ticket.set_priority(static_cast<v1::TicketPriority>(-1));
  ticket.set_channel(static_cast<v1::TicketChannel>(8));
  FieldViolations violations;
  CheckTicketFields(&ticket, "ticket.", &violations);
  EXPECT_THAT(
      FieldsOf(violations),
      ElementsAre("ticket.product", "ticket.subject", "ticket.description",
                  "ticket.type", "ticket.priority", "ticket.channel"));

  v1::Ticket empty;
  FieldViolations required;
  CheckTicketFields(&empty, "ticket.", &required);
  EXPECT_THAT(FieldsOf(required), ElementsAre("ticket.subject"));

  v1::Ticket control;
  control.set_subject("bell\a");
  FieldViolations controls;
  CheckTicketFields(&control, "ticket.", &controls);
  EXPECT_THAT(FieldsOf(controls), ElementsAre("ticket.subject"));
}

TEST(CheckTicketFieldsTest, AtMost32TagsOfAtMost64Characters) {
  v1::Ticket ticket;
  ticket.set_subject("s");
  for (int i = 0; i < 33; ++i) ticket.add_tags(absl::StrCat("t", i));
  FieldViolations violations;
  CheckTicketFields(&ticket, "ticket.", &violations);
  EXPECT_THAT(FieldsOf(violations), ElementsAre("ticket.tags"));

  v1::Ticket long_tag;
  long_tag.set_subject("s");
  long_tag.add_tags("ok");
  long_tag.add_tags(std::string(65, 't'));
  long_tag.add_tags("");
  FieldViolations tag_violations;
  CheckTicketFields(&long_tag, "ticket.", &tag_violations);
  EXPECT_THAT(FieldsOf(tag_violations),
              ElementsAre("ticket.tags[1]", "ticket.tags[2]"));
}

TEST(CheckCommentTest, RequiresItsEnumsAndABody) {
  v1::TicketComment comment;
  FieldViolations violations;
  CheckComment(&comment, "comment.", &violations);
  EXPECT_THAT(
      FieldsOf(violations),
      ElementsAre("comment.visibility", "comment.author_type", "comment.body"));

  v1::TicketComment note;
  note.set_visibility(v1::COMMENT_VISIBILITY_INTERNAL_NOTE);
  note.set_author_type(v1::COMMENT_AUTHOR_TYPE_REQUESTER);
  note.set_author("people/7");
  note.set_body(std::string(32001, 'b'));
  FieldViolations note_violations;
  CheckComment(&note, "comment.", &note_violations);
  EXPECT_THAT(
      FieldsOf(note_violations),
      ElementsAre("comment.author", "comment.visibility", "comment.body"));

  v1::TicketComment system;
  system.set_visibility(v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
  system.set_author_type(v1::COMMENT_AUTHOR_TYPE_SYSTEM);
  system.set_author("u-someone");
  system.set_body("hello");
  FieldViolations system_violations;
  CheckComment(&system, "comment.", &system_violations);
  EXPECT_THAT(FieldsOf(system_violations), ElementsAre("comment.author"));
}

TEST(CheckOccurTimeTest, NotInTheFutureNorBeforeTheTicket) {
  const absl::Time created = absl::FromUnixSeconds(1000);
  const absl::Time now = absl::FromUnixSeconds(5000);
  v1::TicketComment comment;
  EXPECT_TRUE(CheckOccurTime(comment, created, now, "comment.occur_time").ok());
  SetTimestamp(absl::FromUnixSeconds(3000), comment.mutable_occur_time());
  EXPECT_TRUE(CheckOccurTime(comment, created, now, "comment.occur_time").ok());
  SetTimestamp(absl::FromUnixSeconds(5001), comment.mutable_occur_time());
  EXPECT_EQ(CheckOccurTime(comment, created, now, "comment.occur_time").code(),
            absl::StatusCode::kInvalidArgument);
  SetTimestamp(absl::FromUnixSeconds(999), comment.mutable_occur_time());
  EXPECT_EQ(CheckOccurTime(comment, created, now, "comment.occur_time").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EmailKeyTest, TrimsAndLowerCases) {
  auto key = EmailKey("  Ana.Lopez@Example.COM ", "email");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "ana.lopez@example.com");
  for (const char* bad : {"", "ana", "@example.com", "ana@", "ana@example",
                          "a b@example.com", "ana@@example.com"}) {
    auto rejected = EmailKey(bad, "email");
    EXPECT_EQ(rejected.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    ASSERT_FALSE(FieldViolationsOf(rejected.status()).empty());
    EXPECT_EQ(FieldViolationsOf(rejected.status())[0].field, "email");
  }
}

TEST(SubjectFromProblemTest, FirstNonBlankLineCutTo300Characters) {
  EXPECT_EQ(SubjectFromProblem("\n  \n  The invoice is wrong \r\nDetails"),
            "The invoice is wrong");
  EXPECT_THAT(SubjectFromProblem("   "), IsEmpty());
  // 301 two-byte characters: cut on a character boundary.
  std::string line;
  for (int i = 0; i < 301; ++i) line += "\xc3\xa9";
  EXPECT_EQ(SubjectFromProblem(line).size(), 600u);
}

TEST(ActiveTimeTest, PausesAndSolvedTimeDoNotCount) {
  const absl::Time t0 = absl::FromUnixSeconds(0);
  const auto entry = [&](v1::TicketHistoryKind kind, v1::TicketStatus status,
                         absl::Duration at) {
    v1::TicketHistoryEntry e;
    e.set_kind(kind);
    e.set_status(status);
    SetTimestamp(t0 + at, e.mutable_occur_time());
    return e;
  };
  // NEW 1h, PENDING 5h (paused), OPEN 2h, SOLVED.
  const std::vector<v1::TicketHistoryEntry> history = {
      entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED, kSolved, absl::Hours(8)),
      entry(v1::TICKET_HISTORY_KIND_CREATED, kNew, absl::ZeroDuration()),
      entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED, kPending, absl::Hours(1)),
      entry(v1::TICKET_HISTORY_KIND_AGENT_REPLY, kUnset, absl::Hours(2)),
      entry(v1::TICKET_HISTORY_KIND_STATUS_CHANGED, kOpen, absl::Hours(6)),
  };
  EXPECT_EQ(ActiveTime(history, t0, t0 + absl::Hours(8)), absl::Hours(3));
  EXPECT_EQ(ActiveTime(history, t0, t0 + absl::Hours(30)), absl::Hours(3));
  EXPECT_EQ(ActiveTime(history, t0, t0 + absl::Minutes(30)), absl::Minutes(30));
}

}  // namespace
}  // namespace clientele::ticketing

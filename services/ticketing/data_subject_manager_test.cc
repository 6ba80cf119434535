// Data subjects in ticketing over real SQLite: what an export shows, and
// what contacts' DataSubjectErased leaves behind (anonymous counts, no text
// of the person, not even in the database file).
#include "services/ticketing/data_subject_manager.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Text only the erased person wrote, to look for afterwards.
constexpr char kSubject[] = "Zanzibar-7731 invoice wrong";
constexpr char kReply[] = "My address is Quokka Lane 19";
constexpr char kCsatComment[] = "Marmalade-4410 was rude";

class DataSubjectManagerTest : public testing::CsatFixture {
 protected:
  void SetUp() override {
    CsatFixture::SetUp();
    ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
    ASSERT_TRUE(PublishContact("c1", "a1").ok());
    ASSERT_TRUE(PublishContact("c2", "a1").ok());
  }

  absl::StatusOr<CommentResult> Comment(const std::string& ticket,
                                        v1::CommentAuthorType author_type,
                                        const std::string& author,
                                        const std::string& body) {
    v1::TicketComment comment;
    comment.set_visibility(v1::COMMENT_VISIBILITY_PUBLIC_REPLY);
    comment.set_author_type(author_type);
    comment.set_author(author);
    comment.set_body(body);
    return tickets_->AddComment(Agent(), ticket, comment);
  }

  // c1's ticket with a requester reply, an agent reply, solved, and its
  // survey answered with a comment; c2's ticket, open.
  void Populate() {
    auto mine = NewTicket("a1", "c1", kSubject);
    ASSERT_TRUE(mine.ok()) << mine.status();
    mine_ = mine->name();
    clock_.Advance(absl::Minutes(1));
    ASSERT_TRUE(Comment(mine_, v1::COMMENT_AUTHOR_TYPE_AGENT, "u-agent",
                        "Which invoice?")
                    .ok());
    clock_.Advance(absl::Minutes(1));
    ASSERT_TRUE(
        Comment(mine_, v1::COMMENT_AUTHOR_TYPE_REQUESTER, "contacts/c1", kReply)
            .ok());
    clock_.Advance(absl::Minutes(1));
    auto survey = Solve(mine_);
    ASSERT_TRUE(survey.ok()) << survey.status();
    ASSERT_TRUE(survey->has_value());
    survey_ = (*survey)->name();
    token_ = (*survey)->token();
    // With a request_id: the stored answer holds the comment too.
    ASSERT_TRUE(
        Answer(survey_, (*survey)->token(), 1, kCsatComment, "answer-1").ok());
    clock_.Advance(absl::Minutes(1));
    auto theirs = NewTicket("a1", "c2", "Colleague's question");
    ASSERT_TRUE(theirs.ok()) << theirs.status();
    theirs_ = theirs->name();
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return projection_store_.PutEmail(
                          txn, "acme", "c1@example.com",
                          RequesterRef{"c1", "a1"});
                    })
                    .ok());
  }

  absl::StatusOr<v1::ExportDataSubjectResponse> Export(
      const std::string& subject, int page_size = 0,
      const std::string& page_token = "") {
    v1::ExportDataSubjectRequest request;
    request.set_subject(subject);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return data_subjects_->Export(Agent(), request);
  }

  absl::Status EraseContact(const std::string& contact) {
    events::v1::Event event;
    auto* erased = event.mutable_data_subject_erased();
    erased->set_erasure_id("erasure-1");
    erased->set_subject(absl::StrCat("contacts/", contact));
    erased->add_erased_contacts(absl::StrCat("contacts/", contact));
    erased->set_account("accounts/a1");
    return Apply(event);
  }

  // Everything in the database's files, as bytes.
  std::string FileBytes() {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(dir_.File(absl::StrCat("ticketing.db", suffix)),
                       std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      all += bytes.str();
    }
    return all;
  }

  std::string mine_;
  std::string theirs_;
  std::string survey_;
  std::string token_;
};

TEST_F(DataSubjectManagerTest,
       ExportShowsTicketsCommentsAndSurveysOldestFirst) {
  Populate();
  auto account = Export("accounts/a1");
  ASSERT_TRUE(account.ok()) << account.status();
  ASSERT_THAT(account->tickets(), SizeIs(2));
  EXPECT_EQ(account->tickets(0).ticket().name(), mine_);
  EXPECT_EQ(account->tickets(1).ticket().name(), theirs_);
  const v1::ExportedTicket& exported = account->tickets(0);
  EXPECT_EQ(exported.ticket().subject(), kSubject);
  ASSERT_THAT(exported.comments(), SizeIs(2));
  EXPECT_EQ(exported.comments(0).body(), "Which invoice?");
  EXPECT_EQ(exported.comments(1).body(), kReply);
  ASSERT_THAT(exported.csat_surveys(), SizeIs(1));
  EXPECT_EQ(exported.csat_surveys(0).comment(), kCsatComment);
  EXPECT_THAT(exported.csat_surveys(0).token(), IsEmpty());
  EXPECT_EQ(ToTime(account->export_time()), clock_.Now());

  // In pages of one.
  auto first = Export("accounts/a1", 1);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->tickets(), SizeIs(1));
  EXPECT_EQ(first->tickets(0).ticket().name(), mine_);
  ASSERT_FALSE(first->next_page_token().empty());
  auto second = Export("accounts/a1", 1, first->next_page_token());
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->tickets(), SizeIs(1));
  EXPECT_EQ(second->tickets(0).ticket().name(), theirs_);
  EXPECT_TRUE(second->next_page_token().empty());
  // A token is bound to its subject.
  EXPECT_EQ(Export("contacts/c1", 1, first->next_page_token()).status().code(),
            absl::StatusCode::kInvalidArgument);

  // A contact: only the tickets they asked.
  auto person = Export("contacts/c1");
  ASSERT_TRUE(person.ok()) << person.status();
  ASSERT_THAT(person->tickets(), SizeIs(1));
  EXPECT_EQ(person->tickets(0).ticket().name(), mine_);
  // Nothing held: nothing exported. Another tenant: nothing either.
  auto nobody = Export("contacts/c9");
  ASSERT_TRUE(nobody.ok());
  EXPECT_THAT(nobody->tickets(), IsEmpty());
  v1::ExportDataSubjectRequest request;
  request.set_subject("accounts/a1");
  auto globex = data_subjects_->Export(Agent("globex"), request);
  ASSERT_TRUE(globex.ok());
  EXPECT_THAT(globex->tickets(), IsEmpty());

  auto bad = Export("tickets/1");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(bad.status())) {
    fields.push_back(v.field);
  }
  EXPECT_THAT(fields, ElementsAre("subject"));
}

TEST_F(DataSubjectManagerTest, ErasureRemovesThePersonsTextAndKeepsTheCounts) {
  Populate();
  ASSERT_THAT(FileBytes(), HasSubstr(kCsatComment));
  ASSERT_TRUE(EraseContact("c1").ok());

  auto exported = Export("accounts/a1");
  ASSERT_TRUE(exported.ok()) << exported.status();
  // Both tickets are still counted, with their status and times.
  ASSERT_THAT(exported->tickets(), SizeIs(2));
  const v1::ExportedTicket& mine = exported->tickets(0);
  EXPECT_EQ(mine.ticket().name(), mine_);
  EXPECT_EQ(mine.ticket().status(), v1::TICKET_STATUS_SOLVED);
  EXPECT_EQ(mine.ticket().subject(), kErasedText);
  EXPECT_EQ(mine.ticket().description(), kErasedText);
  ASSERT_THAT(mine.comments(), SizeIs(2));
  EXPECT_EQ(mine.comments(0).body(), "Which invoice?");
  EXPECT_EQ(mine.comments(1).body(), kErasedText);
  // The rating counts for reports; the comment is gone.
  ASSERT_THAT(mine.csat_surveys(), SizeIs(1));
  EXPECT_EQ(mine.csat_surveys(0).rating(), 1);
  EXPECT_EQ(mine.csat_surveys(0).state(), v1::CSAT_SURVEY_STATE_RESPONDED);
  EXPECT_THAT(mine.csat_surveys(0).comment(), IsEmpty());
  // The colleague's ticket is untouched.
  EXPECT_EQ(exported->tickets(1).ticket().subject(), "Colleague's question");

  // Intake forgot the email; the projection forgot the contact.
  ASSERT_TRUE(database_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto email = projection_store_.FindEmail(txn, "acme",
                                                             "c1@example.com");
                    EXPECT_TRUE(email.ok() && !email->has_value());
                    auto account =
                        projection_store_.AccountOfContact(txn, "acme", "c1");
                    EXPECT_TRUE(account.ok() && !account->has_value());
                    return absl::OkStatus();
                  })
                  .ok());

  // The stored answer of the survey (request_id "answer-1") is forgotten:
  // the same request now runs anew, and the survey is answered already.
  auto retry = Answer(survey_, token_, 1, kCsatComment, "answer-1");
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kFailedPrecondition);

  // Not even the database's files hold the text any more.
  const std::string bytes = FileBytes();
  EXPECT_THAT(bytes, Not(HasSubstr(kCsatComment)));
  EXPECT_THAT(bytes, Not(HasSubstr(kReply)));
  EXPECT_THAT(bytes, Not(HasSubstr(kSubject)));

  // Erasing again changes nothing.
  EXPECT_TRUE(EraseContact("c1").ok());
}

TEST_F(DataSubjectManagerTest, AnErasedAccountLosesItsTicketTextAndProjection) {
  Populate();
  events::v1::Event event;
  auto* erased = event.mutable_data_subject_erased();
  erased->set_erasure_id("erasure-2");
  erased->set_subject("accounts/a1");
  erased->set_erased_account("accounts/a1");
  erased->add_erased_contacts("contacts/c1");
  erased->add_erased_contacts("contacts/c2");
  ASSERT_TRUE(Apply(event).ok());

  v1::ExportDataSubjectRequest request;
  request.set_subject("accounts/a1");
  auto exported = data_subjects_->Export(Agent(), request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_THAT(exported->tickets(), SizeIs(2));
  for (const v1::ExportedTicket& ticket : exported->tickets()) {
    EXPECT_EQ(ticket.ticket().subject(), kErasedText);
    EXPECT_EQ(ticket.ticket().description(), kErasedText);
  }
  EXPECT_THAT(exported->tickets(0).csat_surveys(0).comment(), IsEmpty());
  // New tickets for it are refused.
  EXPECT_EQ(NewTicket("a1", "").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace clientele::ticketing

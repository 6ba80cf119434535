// CSAT surveys over real SQLite, through the ticket manager's solves: one
// survey per ticket ever, its token returned once and only hashed at rest,
// answered once without a tenant, expiring.
#include "services/ticketing/csat_manager.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/testing/outbox_for_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class CsatManagerTest : public testing::CsatFixture {
 protected:
  void SetUp() override {
    CsatFixture::SetUp();
    ASSERT_TRUE(PublishAccount("a1", type::v1::ACCOUNT_TIER_STANDARD).ok());
    ASSERT_TRUE(PublishContact("c1", "a1").ok());
  }

  // A solved ticket of a1 by c1 and its survey.
  v1::CsatSurvey SolvedSurvey(const std::string& subject = "Broken") {
    absl::StatusOr<v1::Ticket> ticket = NewTicket("a1", "c1", subject);
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    if (!ticket.ok()) return {};
    absl::StatusOr<std::optional<v1::CsatSurvey>> survey =
        Solve(ticket->name());
    EXPECT_TRUE(survey.ok()) << survey.status();
    if (!survey.ok() || !survey->has_value()) return {};
    return **survey;
  }

  std::vector<std::string> OutboxTypes() {
    absl::StatusOr<std::vector<std::string>> types =
        clientele::testing::OutboxTypesForTest(*database_);
    EXPECT_TRUE(types.ok()) << types.status();
    return types.ok() ? *types : std::vector<std::string>();
  }

  std::vector<std::string> FieldsOf(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      fields.push_back(v.field);
    }
    return fields;
  }
};

TEST_F(CsatManagerTest, OneSurveyPerTicketEvenAfterReopenAndSolveAgain) {
  absl::StatusOr<v1::Ticket> ticket = NewTicket("a1", "c1");
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  auto first = Solve(ticket->name());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  const v1::CsatSurvey& survey = **first;
  EXPECT_EQ(survey.ticket(), ticket->name());
  EXPECT_EQ(survey.account(), "accounts/a1");
  EXPECT_EQ(survey.requester(), "contacts/c1");
  EXPECT_EQ(survey.state(), v1::CSAT_SURVEY_STATE_SENT);
  EXPECT_EQ(ToTime(survey.expire_time()) - ToTime(survey.send_time()),
            absl::Hours(24 * 7));
  // 32 random bytes, base64url without padding.
  EXPECT_EQ(survey.token().size(), 43u);

  auto reopened = SetStatus(ticket->name(), v1::TICKET_STATUS_OPEN);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto solved_again = SetStatus(ticket->name(), v1::TICKET_STATUS_SOLVED);
  ASSERT_TRUE(solved_again.ok()) << solved_again.status();
  EXPECT_FALSE(solved_again->csat_survey.has_value());
  EXPECT_EQ(solved_again->ticket.csat_survey(), survey.name());

  v1::ListCsatSurveysRequest list;
  list.set_ticket(ticket->name());
  auto listed = csat_->List(Agent(), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->csat_surveys(), SizeIs(1));
  EXPECT_EQ(listed->csat_surveys(0).name(), survey.name());

  int sent = 0;
  for (const std::string& type : OutboxTypes()) {
    if (type == "clientele.events.v1.CsatSurveySent") ++sent;
  }
  EXPECT_EQ(sent, 1);
  auto history = tickets_->ListHistory(Agent(), [&] {
    v1::ListTicketHistoryRequest request;
    request.set_parent(ticket->name());
    request.set_page_size(1000);
    return request;
  }());
  ASSERT_TRUE(history.ok()) << history.status();
  int csat_sent = 0;
  for (const auto& entry : history->entries()) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_CSAT_SENT) {
      ++csat_sent;
      EXPECT_EQ(entry.related(), survey.name());
    }
  }
  EXPECT_EQ(csat_sent, 1);
}

TEST_F(CsatManagerTest, TokenIsReturnedOnceAndOnlyItsHashIsKept) {
  const v1::CsatSurvey issued = SolvedSurvey();
  ASSERT_FALSE(issued.token().empty());

  auto got = csat_->Get(Agent(), issued.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(got->token(), IsEmpty());
  EXPECT_EQ(got->state(), v1::CSAT_SURVEY_STATE_SENT);
  auto listed = csat_->List(Agent(), v1::ListCsatSurveysRequest());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->csat_surveys(), SizeIs(1));
  EXPECT_THAT(listed->csat_surveys(0).token(), IsEmpty());

  // At rest: the SHA-256 of the token, never the token.
  std::vector<std::string> hashes;
  std::vector<std::string> blobs;
  ASSERT_TRUE(database_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto rows = txn.Query("SELECT token_hash FROM csat_tokens");
                    if (!rows.ok()) return rows.status();
                    for (const auto& row : *rows) {
                      hashes.push_back(row.String(0));
                    }
                    rows = txn.Query("SELECT data FROM csat_surveys");
                    if (!rows.ok()) return rows.status();
                    for (const auto& row : *rows) {
                      blobs.push_back(row.String(0));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(hashes, ElementsAre(Sha256Hex(issued.token())));
  for (const std::string& blob : blobs) {
    EXPECT_THAT(blob, Not(HasSubstr(issued.token())));
  }

  // Two surveys never share a token.
  const v1::CsatSurvey other = SolvedSurvey("Also broken");
  EXPECT_NE(other.token(), issued.token());
}

TEST_F(CsatManagerTest, TheRightTokenAnswersWithoutATenant) {
  const v1::CsatSurvey issued = SolvedSurvey();
  clock_.Advance(absl::Hours(2));
  auto answered = Answer(issued.name(), issued.token(), 2, "  Slow reply.  ");
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->state(), v1::CSAT_SURVEY_STATE_RESPONDED);
  EXPECT_EQ(answered->rating(), 2);
  EXPECT_EQ(answered->comment(), "Slow reply.");
  EXPECT_EQ(ToTime(answered->respond_time()), clock_.Now());
  EXPECT_THAT(answered->token(), IsEmpty());

  // The tenant's staff see the answer.
  auto got = csat_->Get(Agent(), issued.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->state(), v1::CSAT_SURVEY_STATE_RESPONDED);
  EXPECT_EQ(got->rating(), 2);

  // The event carries the rating and the ticket's relationship, never the
  // comment (which the contract reserves).
  absl::StatusOr<std::vector<events::v1::Event>> outbox =
      clientele::testing::OutboxEventsForTest(*database_);
  ASSERT_TRUE(outbox.ok()) << outbox.status();
  const events::v1::Event* responded = nullptr;
  for (const events::v1::Event& event : *outbox) {
    if (event.has_csat_survey_responded()) responded = &event;
  }
  ASSERT_NE(responded, nullptr);
  EXPECT_EQ(responded->tenant(), "acme");
  EXPECT_EQ(responded->csat_survey_responded().rating(), 2);
  EXPECT_EQ(responded->csat_survey_responded().account(), "accounts/a1");
  EXPECT_EQ(responded->csat_survey_responded().requester(), "contacts/c1");
  EXPECT_EQ(responded->csat_survey_responded().agent(), "u-agent");
  EXPECT_EQ(responded->csat_survey_responded().account_tier(),
            type::v1::ACCOUNT_TIER_STANDARD);
  EXPECT_THAT(responded->SerializeAsString(), Not(HasSubstr("Slow reply")));

  auto history = tickets_->ListHistory(Agent(), [&] {
    v1::ListTicketHistoryRequest request;
    request.set_parent(issued.ticket());
    request.set_page_size(1000);
    return request;
  }());
  ASSERT_TRUE(history.ok()) << history.status();
  bool responded_entry = false;
  for (const auto& entry : history->entries()) {
    if (entry.kind() == v1::TICKET_HISTORY_KIND_CSAT_RESPONDED) {
      responded_entry = true;
      EXPECT_EQ(entry.actor(), "contacts/c1");
      EXPECT_EQ(entry.related(), issued.name());
    }
  }
  EXPECT_TRUE(responded_entry);
}

TEST_F(CsatManagerTest, AWrongTokenIsUnauthenticated) {
  const v1::CsatSurvey first = SolvedSurvey("First");
  const v1::CsatSurvey second = SolvedSurvey("Second");
  for (const std::string& token : {std::string(), std::string("not-a-token"),
                                   second.token(), first.token() + "x"}) {
    auto answered = Answer(first.name(), token, 5);
    EXPECT_EQ(answered.status().code(), absl::StatusCode::kUnauthenticated)
        << token << ": " << answered.status();
  }
  // Nothing was answered.
  auto got = csat_->Get(Agent(), first.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state(), v1::CSAT_SURVEY_STATE_SENT);
  // Another tenant does not see the survey at all.
  EXPECT_EQ(csat_->Get(Agent("globex"), first.name()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CsatManagerTest, RatingOutsideOneToFiveAndLongCommentsAreRefused) {
  const v1::CsatSurvey issued = SolvedSurvey();
  for (int rating : {0, 6, -1}) {
    auto answered = Answer(issued.name(), issued.token(), rating);
    EXPECT_EQ(answered.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldsOf(answered.status()), ElementsAre("rating"));
  }
  auto too_long =
      Answer(issued.name(), issued.token(), 3, std::string(2001, 'x'));
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(too_long.status()), ElementsAre("comment"));
  auto bad_name = Answer("surveys/x", issued.token(), 3);
  EXPECT_THAT(FieldsOf(bad_name.status()), ElementsAre("name"));

  auto at_limit =
      Answer(issued.name(), issued.token(), 3, std::string(2000, 'x'));
  EXPECT_TRUE(at_limit.ok()) << at_limit.status();
}

TEST_F(CsatManagerTest, AnsweredOnceButARetryGetsTheSameAnswer) {
  const v1::CsatSurvey issued = SolvedSurvey();
  auto first = Answer(issued.name(), issued.token(), 4, "ok", "answer-1");
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Minutes(5));

  auto retry = Answer(issued.name(), issued.token(), 4, "ok", "answer-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->rating(), 4);
  EXPECT_EQ(retry->respond_time().seconds(), first->respond_time().seconds());

  auto again = Answer(issued.name(), issued.token(), 1, "changed my mind");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  auto other_id = Answer(issued.name(), issued.token(), 4, "ok", "answer-2");
  EXPECT_EQ(other_id.status().code(), absl::StatusCode::kFailedPrecondition);

  auto got = csat_->Get(Agent(), issued.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->rating(), 4);
  int responded = 0;
  for (const std::string& type : OutboxTypes()) {
    if (type == "clientele.events.v1.CsatSurveyResponded") ++responded;
  }
  EXPECT_EQ(responded, 1);
}

TEST_F(CsatManagerTest, AnExpiredSurveyTakesNoAnswer) {
  const v1::CsatSurvey issued = SolvedSurvey();
  clock_.Advance(absl::Hours(24 * 7));

  auto got = csat_->Get(Agent(), issued.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->state(), v1::CSAT_SURVEY_STATE_EXPIRED);
  auto answered = Answer(issued.name(), issued.token(), 5);
  EXPECT_EQ(answered.status().code(), absl::StatusCode::kFailedPrecondition);

  v1::ListCsatSurveysRequest expired;
  expired.set_state(v1::CSAT_SURVEY_STATE_EXPIRED);
  auto listed = csat_->List(Agent(), expired);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->csat_surveys(), SizeIs(1));
  EXPECT_EQ(listed->csat_surveys(0).state(), v1::CSAT_SURVEY_STATE_EXPIRED);
  v1::ListCsatSurveysRequest sent;
  sent.set_state(v1::CSAT_SURVEY_STATE_SENT);
  listed = csat_->List(Agent(), sent);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->csat_surveys(), IsEmpty());
}

TEST_F(CsatManagerTest, ListsNewestFirstInPagesWithFilters) {
  ASSERT_TRUE(PublishAccount("a2", type::v1::ACCOUNT_TIER_PREMIUM).ok());
  ASSERT_TRUE(PublishContact("c2", "a2").ok());
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(absl::Minutes(1));
    names.push_back(SolvedSurvey(absl::StrCat("Ticket ", i)).name());
  }
  clock_.Advance(absl::Minutes(1));
  auto other = NewTicket("a2", "c2");
  ASSERT_TRUE(other.ok()) << other.status();
  auto other_survey = Solve(other->name());
  ASSERT_TRUE(other_survey.ok() && other_survey->has_value());

  v1::ListCsatSurveysRequest request;
  request.set_account("accounts/a1");
  request.set_page_size(2);
  auto page = csat_->List(Agent(), request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->csat_surveys(), SizeIs(2));
  EXPECT_EQ(page->csat_surveys(0).name(), names[2]);
  EXPECT_EQ(page->csat_surveys(1).name(), names[1]);
  ASSERT_FALSE(page->next_page_token().empty());
  request.set_page_token(page->next_page_token());
  page = csat_->List(Agent(), request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->csat_surveys(), SizeIs(1));
  EXPECT_EQ(page->csat_surveys(0).name(), names[0]);
  EXPECT_TRUE(page->next_page_token().empty());

  // A token is bound to its filter.
  request.set_account("accounts/a2");
  EXPECT_EQ(csat_->List(Agent(), request).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListCsatSurveysRequest bad;
  bad.set_account("a1");
  bad.set_state(static_cast<v1::CsatSurveyState>(9));
  EXPECT_THAT(FieldsOf(csat_->List(Agent(), bad).status()),
              ElementsAre("account", "state"));

  // Another tenant lists nothing.
  auto globex = csat_->List(Agent("globex"), v1::ListCsatSurveysRequest());
  ASSERT_TRUE(globex.ok());
  EXPECT_THAT(globex->csat_surveys(), IsEmpty());
}

}  // namespace
}  // namespace clientele::ticketing

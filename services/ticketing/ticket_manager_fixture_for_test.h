// Test-only: the ticket manager over real SQLite (CsatFixture's managers),
// with acme's accounts a1 (a STANDARD customer, contact c1) and a2 (a
// PREMIUM client managed by u-maria, contact c2) published as contacts'
// events, and the calls ticket tests make spelled once. Shared by
// ticket_manager_test.cc, ticket_comments_test.cc, ticket_merge_test.cc and
// routing_manager_test.cc.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_FIXTURE_FOR_TEST_H_
#define CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_FIXTURE_FOR_TEST_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/testing/outbox_for_test.h"
#include "gtest/gtest.h"
#include "services/ticketing/csat_fixture_for_test.h"
#include "services/ticketing/ticket_manager.h"

namespace clientele::ticketing {

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

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKET_MANAGER_FIXTURE_FOR_TEST_H_

// The follow-up rules as FollowUpManager::ApplyRules stores them over real
// SQLite: which interaction makes which follow-up, for whom and when; rules
// turned off; no duplicates on a retry.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/follow_up_manager_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST_F(FollowUpManagerTest, ProposalRuleFollowsUpWithWhoeverSentIt) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction by_sam =
      Recorded("i1", v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, by_sam, DefaultRules()).ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  const v1::FollowUp& made = all[0];
  EXPECT_EQ(made.origin(), v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(made.rule(), v1::FOLLOW_UP_RULE_PROPOSAL_SENT);
  EXPECT_EQ(made.kind(), v1::FOLLOW_UP_KIND_EMAIL);
  EXPECT_EQ(made.assignee(), "sam");
  EXPECT_EQ(made.account(), "accounts/a1");
  EXPECT_EQ(made.contact(), "contacts/c1");
  EXPECT_EQ(made.source(), "interactions/i1");
  EXPECT_EQ(made.state(), v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(made.due_time().seconds(),
            by_sam.occur_time().seconds() + int64_t{3} * 86400);
  EXPECT_FALSE(made.title().empty());

  // No staff user: the account manager; no manager either: the owner.
  v1::Interaction by_phone = Recorded("i2", v1::INTERACTION_KIND_PROPOSAL, "");
  by_phone.set_channel(v1::INTERACTION_CHANNEL_PHONE);
  ASSERT_TRUE(ApplyRules(a1, by_phone, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(Account("a2", "olga", ""),
                         Recorded("i3", v1::INTERACTION_KIND_PROPOSAL, ""),
                         DefaultRules())
                  .ok());
  v1::ListFollowUpsRequest request;
  request.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  request.set_assignee("max");
  auto by_manager = manager().List(acme_, request);
  ASSERT_TRUE(by_manager.ok());
  ASSERT_THAT(by_manager->follow_ups(), SizeIs(1));
  EXPECT_EQ(by_manager->follow_ups(0).kind(), v1::FOLLOW_UP_KIND_CALL);
  request.set_assignee("olga");
  EXPECT_THAT(manager().List(acme_, request)->follow_ups(), SizeIs(1));

  auto events = OutboxEvents();
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_TRUE(events[0].has_follow_up_created());
  EXPECT_EQ(events[0].follow_up_created().follow_up().assignee(), "sam");
  EXPECT_EQ(events[0].actor(), "role:admin");
}

TEST_F(FollowUpManagerTest, PurchaseRuleMakesAnInvoiceTaskUnlessTurnedOff) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction purchase =
      Recorded("p1", v1::INTERACTION_KIND_PURCHASE, "");
  ASSERT_TRUE(ApplyRules(a1, purchase, DefaultRules()).ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].kind(), v1::FOLLOW_UP_KIND_SEND_INVOICE);
  EXPECT_EQ(all[0].rule(), v1::FOLLOW_UP_RULE_PURCHASE_FULFILLED);
  EXPECT_EQ(all[0].assignee(), "max");
  EXPECT_EQ(all[0].due_time().seconds(),
            purchase.occur_time().seconds() + 86400);

  // Businesses that invoice at the till turn the rule off with 0.
  v1::FollowUpRules off = DefaultRules();
  off.clear_invoice_after_purchase_delay();
  off.clear_proposal_follow_up_delay();
  ASSERT_TRUE(
      ApplyRules(a1, Recorded("p2", v1::INTERACTION_KIND_PURCHASE, ""), off)
          .ok());
  ASSERT_TRUE(
      ApplyRules(a1, Recorded("p3", v1::INTERACTION_KIND_PROPOSAL, ""), off)
          .ok());
  // Kinds without a rule make nothing.
  ASSERT_TRUE(ApplyRules(a1, Recorded("m1", v1::INTERACTION_KIND_MEETING, ""),
                         DefaultRules())
                  .ok());
  EXPECT_THAT(AllOf(acme_), SizeIs(1));
  EXPECT_THAT(OutboxEvents(), SizeIs(1));
}

TEST_F(FollowUpManagerTest, TicketSolvedRuleIsForClientsOnly) {
  ProjectedAccount customer = Account("a1", "olga", "max");
  ASSERT_TRUE(
      ApplyRules(customer,
                 Recorded("t1", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 DefaultRules())
          .ok());
  EXPECT_THAT(AllOf(acme_), IsEmpty());

  ProjectedAccount declared = Account("a1", "olga", "max");
  declared.snapshot.set_declared_mode(type::v1::RELATIONSHIP_MODE_CLIENT);
  ASSERT_TRUE(
      ApplyRules(declared,
                 Recorded("t2", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 DefaultRules())
          .ok());
  ProjectedAccount retainer = Account("a2", "olga", "");
  retainer.snapshot.mutable_commercial_terms()->set_model(
      type::v1::COMMERCIAL_MODEL_RETAINER);
  ASSERT_TRUE(ApplyRules(retainer,
                         Recorded("t3", v1::INTERACTION_KIND_TICKET_SOLVED, ""),
                         DefaultRules())
                  .ok());
  // A declared customer on a retainer: the declaration wins.
  ProjectedAccount declared_customer = retainer;
  declared_customer.snapshot.set_declared_mode(
      type::v1::RELATIONSHIP_MODE_CUSTOMER);
  ASSERT_TRUE(ApplyRules(declared_customer,
                         Recorded("t4", v1::INTERACTION_KIND_TICKET_SOLVED, ""),
                         DefaultRules())
                  .ok());
  // Turned off.
  v1::FollowUpRules off = DefaultRules();
  off.clear_survey_after_solve_delay();
  ASSERT_TRUE(
      ApplyRules(declared,
                 Recorded("t5", v1::INTERACTION_KIND_TICKET_SOLVED, "agent"),
                 off)
          .ok());

  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(2));
  for (const v1::FollowUp& f : all) {
    EXPECT_EQ(f.kind(), v1::FOLLOW_UP_KIND_SEND_SURVEY);
    EXPECT_EQ(f.rule(), v1::FOLLOW_UP_RULE_TICKET_SOLVED);
  }
  EXPECT_EQ(all[0].source(), "interactions/t2");
  EXPECT_EQ(all[0].assignee(), "agent");
  EXPECT_EQ(all[1].source(), "interactions/t3");
  EXPECT_EQ(all[1].assignee(), "olga");
}

TEST_F(FollowUpManagerTest, ReapplyingRulesForAnInteractionMakesNoDuplicate) {
  const ProjectedAccount a1 = Account("a1", "olga", "max");
  const v1::Interaction proposal =
      Recorded("i1", v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  // Even after someone completed it.
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  ASSERT_TRUE(manager().Complete(acme_, all[0].name(), "").ok());
  ASSERT_TRUE(ApplyRules(a1, proposal, DefaultRules()).ok());
  all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].state(), v1::FOLLOW_UP_STATE_DONE);
  // An interaction id too long to extend still maps to one follow-up.
  const v1::Interaction long_id =
      Recorded(std::string(64, 'z'), v1::INTERACTION_KIND_PROPOSAL, "sam");
  ASSERT_TRUE(ApplyRules(a1, long_id, DefaultRules()).ok());
  ASSERT_TRUE(ApplyRules(a1, long_id, DefaultRules()).ok());
  EXPECT_THAT(AllOf(acme_), SizeIs(2));
  ASSERT_THAT(OutboxEvents(), SizeIs(3));  // two created, one completed
}

TEST_F(FollowUpManagerTest, RuleMadeFollowUpWithoutAssigneeCanStillChange) {
  const ProjectedAccount nobody = Account("a2", "", "");
  ASSERT_TRUE(ApplyRules(nobody,
                         Recorded("p1", v1::INTERACTION_KIND_PURCHASE, ""),
                         DefaultRules())
                  .ok());
  std::vector<v1::FollowUp> all = AllOf(acme_);
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_EQ(all[0].assignee(), "");
  v1::FollowUp change = all[0];
  change.set_priority(v1::FOLLOW_UP_PRIORITY_HIGH);
  auto updated = manager().Update(acme_, change, Mask({"priority"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->priority(), v1::FOLLOW_UP_PRIORITY_HIGH);
  change = *updated;
  change.set_assignee("max");
  updated = manager().Update(acme_, change, Mask({"assignee"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->assignee(), "max");
}

}  // namespace
}  // namespace clientele::engagement

// Routing over real SQLite: new tickets sent to a client's account manager
// or round-robin to the team under capacity, with the reason said; routing
// again and by hand; and the routing policy with its validation and etag.
// The pure routing decision is in routing_test.cc.
#include "services/ticketing/routing_manager.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ticketing/ticket_manager_fixture_for_test.h"

namespace clientele::ticketing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

}  // namespace
}  // namespace clientele::ticketing

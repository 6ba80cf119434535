// Routing decisions as a table: a client's ticket to its account manager
// under capacity, else round robin in the team (in order, skipping agents at
// capacity), else the team queue; every explanation names the numbers.
#include "services/ticketing/routing.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace clientele::ticketing {
namespace {

using type::v1::RelationshipMode;

struct Case {
  const char* name;
  RelationshipMode mode;
  std::string manager;
  int64_t manager_open;
  std::vector<RoutingAgent> agents;
  std::string cursor;
  // Expected.
  std::string assignee;
  v1::RoutingReason reason;
  std::string explanation;
};

TEST(DecideRoutingTest, Table) {
  const std::vector<RoutingAgent> team = {
      {"u-ali", 2}, {"u-bea", 20}, {"u-cem", 5}};
  const std::vector<Case> cases = {
      {"client, manager under capacity", type::v1::RELATIONSHIP_MODE_CLIENT,
       "u-maria", 3, team, "", "u-maria", v1::ROUTING_REASON_ACCOUNT_MANAGER,
       "client account; routed to its account manager u-maria (3 open "
       "tickets, capacity 30)"},
      {"client, manager with one ticket", type::v1::RELATIONSHIP_MODE_CLIENT,
       "u-maria", 1, team, "", "u-maria", v1::ROUTING_REASON_ACCOUNT_MANAGER,
       "client account; routed to its account manager u-maria (1 open "
       "ticket, capacity 30)"},
      {"client, manager at capacity", type::v1::RELATIONSHIP_MODE_CLIENT,
       "u-maria", 30, team, "", "u-ali", v1::ROUTING_REASON_ROUND_ROBIN,
       "client account; its account manager u-maria is at capacity (30 open, "
       "capacity 30); round robin in team support: u-ali (2 open, capacity "
       "20)"},
      {"client, no manager", type::v1::RELATIONSHIP_MODE_CLIENT, "", 0, team,
       "", "u-ali", v1::ROUTING_REASON_ROUND_ROBIN,
       "client account; no account manager; round robin in team support: "
       "u-ali (2 open, capacity 20)"},
      {"transitioning goes to its manager too",
       type::v1::RELATIONSHIP_MODE_TRANSITIONING, "u-maria", 0, team, "",
       "u-maria", v1::ROUTING_REASON_ACCOUNT_MANAGER,
       "transitioning account (routed as a client); routed to its account "
       "manager u-maria (0 open tickets, capacity 30)"},
      {"customer skips its manager", type::v1::RELATIONSHIP_MODE_CUSTOMER,
       "u-maria", 0, team, "", "u-ali", v1::ROUTING_REASON_ROUND_ROBIN,
       "customer account; round robin in team support: u-ali (2 open, "
       "capacity 20)"},
      {"unknown mode is routed as a customer",
       type::v1::RELATIONSHIP_MODE_UNSPECIFIED, "u-maria", 0, team, "", "u-ali",
       v1::ROUTING_REASON_ROUND_ROBIN,
       "account of unknown mode (routed as a customer); round robin in team "
       "support: u-ali (2 open, capacity 20)"},
      {"round robin continues after the cursor, skipping one at capacity",
       type::v1::RELATIONSHIP_MODE_CUSTOMER, "", 0, team, "u-ali", "u-cem",
       v1::ROUTING_REASON_ROUND_ROBIN,
       "customer account; round robin in team support: u-cem (5 open, "
       "capacity 20)"},
      {"round robin wraps around", type::v1::RELATIONSHIP_MODE_CUSTOMER, "", 0,
       team, "u-cem", "u-ali", v1::ROUTING_REASON_ROUND_ROBIN,
       "customer account; round robin in team support: u-ali (2 open, "
       "capacity 20)"},
      {"a cursor no longer in the team starts at the first",
       type::v1::RELATIONSHIP_MODE_CUSTOMER, "", 0, team, "u-gone", "u-ali",
       v1::ROUTING_REASON_ROUND_ROBIN,
       "customer account; round robin in team support: u-ali (2 open, "
       "capacity 20)"},
      {"everyone at capacity: queued",
       type::v1::RELATIONSHIP_MODE_CUSTOMER,
       "",
       0,
       {{"u-ali", 20}, {"u-bea", 25}},
       "",
       "",
       v1::ROUTING_REASON_TEAM_QUEUE,
       "customer account; no agent of team support under capacity (20); "
       "queued for the team"},
      {"empty team: queued",
       type::v1::RELATIONSHIP_MODE_CLIENT,
       "u-maria",
       31,
       {},
       "",
       "",
       v1::ROUTING_REASON_TEAM_QUEUE,
       "client account; its account manager u-maria is at capacity (31 open, "
       "capacity 30); team support has no agents; queued for the team"},
  };
  for (const Case& c : cases) {
    RoutingInput input;
    input.mode = c.mode;
    input.account_manager = c.manager;
    input.account_manager_open = c.manager_open;
    input.team = "support";
    input.agents = c.agents;
    input.cursor = c.cursor;
    input.agent_capacity = 20;
    input.account_manager_capacity = 30;
    const RoutingOutcome outcome = DecideRouting(input);
    EXPECT_EQ(outcome.assignee, c.assignee) << c.name;
    EXPECT_EQ(outcome.reason, c.reason) << c.name;
    EXPECT_EQ(outcome.explanation, c.explanation) << c.name;
    EXPECT_EQ(outcome.team, "support") << c.name;
    EXPECT_EQ(outcome.advances_cursor,
              c.reason == v1::ROUTING_REASON_ROUND_ROBIN)
        << c.name;
  }
}

TEST(DecideRoutingTest, RoundRobinTakesTurns) {
  RoutingInput input;
  input.mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
  input.team = "support";
  input.agents = {{"a", 0}, {"b", 0}, {"c", 0}};
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    const RoutingOutcome outcome = DecideRouting(input);
    order.push_back(outcome.assignee);
    input.cursor = outcome.assignee;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "a", "b"}));
}

}  // namespace
}  // namespace clientele::ticketing

#include "services/ticketing/routing.h"

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"

namespace clientele::ticketing {
namespace {

// How the explanation names the account's relationship.
std::string ModeLabel(type::v1::RelationshipMode mode) {
  switch (mode) {
    case type::v1::RELATIONSHIP_MODE_CLIENT:
      return "client account";
    case type::v1::RELATIONSHIP_MODE_TRANSITIONING:
      return "transitioning account (routed as a client)";
    case type::v1::RELATIONSHIP_MODE_CUSTOMER:
      return "customer account";
    default:
      return "account of unknown mode (routed as a customer)";
  }
}

// "1 open ticket" / "3 open tickets".
std::string OpenTickets(int64_t open) {
  return absl::StrCat(open, open == 1 ? " open ticket" : " open tickets");
}

}  // namespace

bool RoutesAsClient(type::v1::RelationshipMode mode) {
  return mode == type::v1::RELATIONSHIP_MODE_CLIENT ||
         mode == type::v1::RELATIONSHIP_MODE_TRANSITIONING;
}

RoutingOutcome DecideRouting(const RoutingInput& input) {
  RoutingOutcome outcome;
  outcome.team = input.team;
  std::string why = ModeLabel(input.mode);

  if (RoutesAsClient(input.mode)) {
    if (input.account_manager.empty()) {
      absl::StrAppend(&why, "; no account manager");
    } else if (input.account_manager_open < input.account_manager_capacity) {
      outcome.assignee = input.account_manager;
      outcome.reason = v1::ROUTING_REASON_ACCOUNT_MANAGER;
      outcome.explanation = absl::StrCat(
          why, "; routed to its account manager ", input.account_manager, " (",
          OpenTickets(input.account_manager_open), ", capacity ",
          input.account_manager_capacity, ")");
      return outcome;
    } else {
      absl::StrAppend(&why, "; its account manager ", input.account_manager,
                      " is at capacity (", input.account_manager_open,
                      " open, capacity ", input.account_manager_capacity, ")");
    }
  }

  // Round robin: the agent after the cursor first, wrapping around.
  const size_t count = input.agents.size();
  size_t start = 0;
  for (size_t i = 0; i < count; ++i) {
    if (input.agents[i].id == input.cursor) {
      start = i + 1;
      break;
    }
  }
  for (size_t k = 0; k < count; ++k) {
    const RoutingAgent& agent = input.agents[(start + k) % count];
    if (agent.open >= input.agent_capacity) continue;
    outcome.assignee = agent.id;
    outcome.reason = v1::ROUTING_REASON_ROUND_ROBIN;
    outcome.advances_cursor = true;
    outcome.explanation = absl::StrCat(
        why, "; round robin in team ", input.team, ": ", agent.id, " (",
        agent.open, " open, capacity ", input.agent_capacity, ")");
    return outcome;
  }

  outcome.reason = v1::ROUTING_REASON_TEAM_QUEUE;
  outcome.explanation =
      count == 0 ? absl::StrCat(why, "; team ", input.team,
                                " has no agents; queued for the team")
                 : absl::StrCat(why, "; no agent of team ", input.team,
                                " under capacity (", input.agent_capacity,
                                "); queued for the team");
  return outcome;
}

}  // namespace clientele::ticketing

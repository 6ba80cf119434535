// Routing as a pure decision: who gets a new (or re-routed) ticket and why,
// from the account's relationship, its manager's load and the team's agents'
// loads. No I/O; routing_manager.h gathers the inputs inside the ticket's
// transaction and stores the outcome.
//
// The rules:
//   1. A client's ticket goes to the account's dedicated manager when one is
//      set and holds fewer open tickets than the manager capacity. A
//      TRANSITIONING account is on its way to becoming a client (engagement
//      saw it buy repeatedly): it is treated as a client, so its manager meets
//      the relationship early.
//   2. Otherwise (customers, accounts of unknown mode, clients without a
//      manager or whose manager is at capacity) round robin in the team: the
//      next agent after the team's cursor, in the policy's order, wrapping
//      around, skipping agents at capacity.
//   3. When no agent of the team is under capacity (or the team has none),
//      the ticket is queued for the team with no assignee.
// The explanation names the numbers that decided, e.g. "client account;
// routed to its account manager u-maria (3 open tickets, capacity 30)".
#ifndef CLIENTELE_SERVICES_TICKETING_ROUTING_H_
#define CLIENTELE_SERVICES_TICKETING_ROUTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/type/v1/relationship.pb.h"

namespace clientele::ticketing {

// An agent of the team with the open tickets (NEW, OPEN, PENDING, ON_HOLD)
// it holds.
struct RoutingAgent {
  std::string id;
  int64_t open = 0;
};

struct RoutingInput {
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  // The account's dedicated manager ("" when none) and its open tickets.
  std::string account_manager;
  int64_t account_manager_open = 0;
  // The team the ticket goes to and its agents in round-robin order.
  std::string team;
  std::vector<RoutingAgent> agents;
  // The agent round robin chose last in this team ("" when none yet, or one
  // no longer in the team: round robin then starts at the first agent).
  std::string cursor;
  int64_t agent_capacity = 20;
  int64_t account_manager_capacity = 30;
};

struct RoutingOutcome {
  // "" when queued for the team.
  std::string assignee;
  std::string team;
  v1::RoutingReason reason = v1::ROUTING_REASON_UNSPECIFIED;
  std::string explanation;
  // Whether round robin chose `assignee` (then it becomes the team's cursor).
  bool advances_cursor = false;
};

// Whether an account of `mode` is routed as a client (CLIENT, TRANSITIONING).
bool RoutesAsClient(type::v1::RelationshipMode mode);

// The decision for `input` (see the file comment).
RoutingOutcome DecideRouting(const RoutingInput& input);

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_ROUTING_H_

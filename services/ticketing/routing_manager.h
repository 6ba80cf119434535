// The tenant's routing policy (teams, agents, capacities: one per tenant,
// "routingPolicy", the defaults until first updated) and the routing step
// ticket creation and RouteTicket run inside their transaction.
#ifndef CLIENTELE_SERVICES_TICKETING_ROUTING_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_ROUTING_MANAGER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/routing_policy.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/ticketing/projection_store.h"
#include "services/ticketing/routing.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class RoutingManager {
 public:
  // Limits and defaults from the contract (routing_policy.proto).
  static constexpr char kPolicyName[] = "routingPolicy";
  static constexpr char kDefaultTeam[] = "support";
  static constexpr int kDefaultAgentCapacity = 20;
  static constexpr int kDefaultAccountManagerCapacity = 30;
  static constexpr int kMaxCapacity = 10000;
  static constexpr int kMaxTeams = 50;
  static constexpr int kMaxAgentsPerTeam = 200;
  static constexpr int kMaxTeamChars = 100;
  static constexpr int kMaxAgentChars = 128;

  // Uses deps.database, clock and tickets.
  explicit RoutingManager(const TicketingDeps& deps) : deps_(deps) {}

  // The caller's tenant's policy (the defaults, without update_time, until
  // first updated). INVALID_ARGUMENT naming "name" unless "routingPolicy".
  absl::StatusOr<v1::RoutingPolicy> Get(const Caller& caller,
                                        absl::string_view name);

  // Replaces the fields of `policy` named by `mask` (teams, default_team,
  // agent_capacity, account_manager_capacity). INVALID_ARGUMENT naming
  // "routing_policy.<field>" (or "update_mask") for bad values; ABORTED
  // when policy.etag is set and stale.
  absl::StatusOr<v1::RoutingPolicy> Update(
      const Caller& caller, const v1::RoutingPolicy& policy,
      const google::protobuf::FieldMask& mask);

  // The policy as stored or the defaults, inside `txn`.
  absl::StatusOr<v1::RoutingPolicy> Load(sql::Transaction& txn,
                                         absl::string_view tenant);

  // Routes `ticket` of `account` (nullopt: account unknown, e.g. a form
  // ticket whose requester is pending) at `now`: fills ticket->assignee,
  // team (the ticket's team when set, else the policy's default team) and
  // routing, advances the team's round-robin cursor, and returns the
  // outcome (for the ROUTED history entry). When re-routing a ticket in
  // progress, the ticket itself does not count against its current
  // assignee's capacity (so a manager at exactly capacity keeps it).
  absl::StatusOr<RoutingOutcome> Route(
      sql::Transaction& txn, absl::string_view tenant,
      const std::optional<ProjectedAccount>& account, absl::Time now,
      v1::Ticket* ticket);

 private:
  TicketingDeps deps_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_ROUTING_MANAGER_H_

#include "services/ticketing/routing_manager.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

constexpr absl::string_view kUpdatablePaths[] = {
    "teams", "default_team", "agent_capacity", "account_manager_capacity"};
constexpr absl::string_view kOutputOnlyPaths[] = {"name", "update_time",
                                                  "etag"};

v1::RoutingPolicy Defaults() {
  v1::RoutingPolicy policy;
  policy.set_name(RoutingManager::kPolicyName);
  policy.set_default_team(RoutingManager::kDefaultTeam);
  policy.set_agent_capacity(RoutingManager::kDefaultAgentCapacity);
  policy.set_account_manager_capacity(
      RoutingManager::kDefaultAccountManagerCapacity);
  return policy;
}

// 0 means the default; otherwise 1..kMaxCapacity.
int32_t CheckCapacity(int32_t capacity, int32_t default_value,
                      absl::string_view path, FieldViolations* violations) {
  if (capacity == 0) return default_value;
  if (capacity < 0 || capacity > RoutingManager::kMaxCapacity) {
    violations->Add(path, absl::StrCat("must be between 1 and ",
                                       RoutingManager::kMaxCapacity,
                                       " (0 for the default)"));
  }
  return capacity;
}

// Checks `policy` in place (names trimmed and lower-cased, defaults filled).
void CheckPolicy(v1::RoutingPolicy* policy, FieldViolations* violations) {
  constexpr absl::string_view kPrefix = "routing_policy.";
  if (policy->teams_size() > RoutingManager::kMaxTeams) {
    violations->Add(
        absl::StrCat(kPrefix, "teams"),
        absl::StrCat("at most ", RoutingManager::kMaxTeams, " teams"));
  } else {
    std::vector<std::string> seen;
    for (int i = 0; i < policy->teams_size(); ++i) {
      v1::SupportTeam* team = policy->mutable_teams(i);
      const std::string path = absl::StrCat(kPrefix, "teams[", i, "]");
      if (CheckText(team->mutable_name(), absl::StrCat(path, ".name"),
                    RoutingManager::kMaxTeamChars, /*required=*/true,
                    /*multiline=*/false, violations)) {
        team->set_name(absl::AsciiStrToLower(team->name()));
        if (std::find(seen.begin(), seen.end(), team->name()) != seen.end()) {
          violations->Add(
              absl::StrCat(path, ".name"),
              absl::StrCat("team \"", team->name(), "\" is listed twice"));
        }
        seen.push_back(team->name());
      }
      if (team->agents_size() > RoutingManager::kMaxAgentsPerTeam) {
        violations->Add(
            absl::StrCat(path, ".agents"),
            absl::StrCat("at most ", RoutingManager::kMaxAgentsPerTeam,
                         " agents"));
        continue;
      }
      std::vector<std::string> agents;
      for (int j = 0; j < team->agents_size(); ++j) {
        std::string* agent = team->mutable_agents(j);
        const std::string agent_path = absl::StrCat(path, ".agents[", j, "]");
        if (!CheckText(agent, agent_path, RoutingManager::kMaxAgentChars,
                       /*required=*/true, /*multiline=*/false, violations)) {
          continue;
        }
        if (std::find(agents.begin(), agents.end(), *agent) != agents.end()) {
          violations->Add(agent_path, absl::StrCat("agent \"", *agent,
                                                   "\" is listed twice"));
        }
        agents.push_back(*agent);
      }
    }
  }
  if (CheckText(policy->mutable_default_team(),
                absl::StrCat(kPrefix, "default_team"),
                RoutingManager::kMaxTeamChars, /*required=*/false,
                /*multiline=*/false, violations)) {
    policy->set_default_team(
        policy->default_team().empty()
            ? RoutingManager::kDefaultTeam
            : absl::AsciiStrToLower(policy->default_team()));
  }
  policy->set_agent_capacity(CheckCapacity(
      policy->agent_capacity(), RoutingManager::kDefaultAgentCapacity,
      absl::StrCat(kPrefix, "agent_capacity"), violations));
  policy->set_account_manager_capacity(CheckCapacity(
      policy->account_manager_capacity(),
      RoutingManager::kDefaultAccountManagerCapacity,
      absl::StrCat(kPrefix, "account_manager_capacity"), violations));
}

}  // namespace

absl::StatusOr<v1::RoutingPolicy> RoutingManager::Load(
    sql::Transaction& txn, absl::string_view tenant) {
  ASSIGN_OR_RETURN(std::optional<v1::RoutingPolicy> stored,
                   deps_.tickets->FindRoutingPolicy(txn, tenant));
  if (!stored.has_value()) return Defaults();
  return *std::move(stored);
}

absl::StatusOr<v1::RoutingPolicy> RoutingManager::Get(const Caller& caller,
                                                      absl::string_view name) {
  if (name != kPolicyName) {
    return InvalidFieldError("name",
                             absl::StrCat("must be \"", kPolicyName, "\""));
  }
  v1::RoutingPolicy policy;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(policy, Load(txn, caller.tenant));
        return absl::OkStatus();
      }));
  return policy;
}

absl::StatusOr<v1::RoutingPolicy> RoutingManager::Update(
    const Caller& caller, const v1::RoutingPolicy& policy,
    const google::protobuf::FieldMask& mask) {
  if (!policy.name().empty() && policy.name() != kPolicyName) {
    return InvalidFieldError(
        "routing_policy.name",
        absl::StrCat("must be \"", kPolicyName, "\" or empty"));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  const absl::Time now = deps_.clock->Now();
  v1::RoutingPolicy result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::RoutingPolicy current, Load(txn, caller.tenant));
        RETURN_IF_ERROR(
            CheckEtag(policy.etag(), current.etag(), "routing_policy.etag"));
        v1::RoutingPolicy updated = current;
        CopyFieldPaths(policy, paths, &updated);
        FieldViolations violations;
        CheckPolicy(&updated, &violations);
        RETURN_IF_ERROR(violations.ToStatus());
        updated.set_name(kPolicyName);
        SetTimestamp(now, updated.mutable_update_time());
        updated.set_etag(deps_.ids->NewId());
        RETURN_IF_ERROR(
            deps_.tickets->PutRoutingPolicy(txn, caller.tenant, updated));
        result = std::move(updated);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<RoutingOutcome> RoutingManager::Route(
    sql::Transaction& txn, absl::string_view tenant,
    const std::optional<ProjectedAccount>& account, absl::Time now,
    v1::Ticket* ticket) {
  ASSIGN_OR_RETURN(v1::RoutingPolicy policy, Load(txn, tenant));
  RoutingInput input;
  input.team = ticket->team().empty() ? policy.default_team() : ticket->team();
  input.agent_capacity = policy.agent_capacity() > 0 ? policy.agent_capacity()
                                                     : kDefaultAgentCapacity;
  input.account_manager_capacity = policy.account_manager_capacity() > 0
                                       ? policy.account_manager_capacity()
                                       : kDefaultAccountManagerCapacity;
  // A ticket in progress counts against its current assignee already.
  const std::string self =
      IsOpenStatus(ticket->status()) ? ticket->assignee() : std::string();
  const auto open_of = [&](const std::string& who) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(int64_t open,
                     deps_.tickets->CountOpenAssigned(txn, tenant, who));
    if (!self.empty() && who == self && open > 0) --open;
    return open;
  };
  if (account.has_value()) {
    input.mode = account->mode;
    input.account_manager = account->account_manager;
  } else {
    input.mode = ticket->relationship_mode();
  }
  if (RoutesAsClient(input.mode) && !input.account_manager.empty()) {
    ASSIGN_OR_RETURN(input.account_manager_open,
                     open_of(input.account_manager));
  }
  // Round robin's candidates in the order it tries them (after the team's
  // cursor, wrapping around), counted only until one is under capacity: a
  // create reads one count per agent it skips, not one per agent. None when
  // the account manager takes it.
  const bool to_manager =
      RoutesAsClient(input.mode) && !input.account_manager.empty() &&
      input.account_manager_open < input.account_manager_capacity;
  for (const v1::SupportTeam& team : policy.teams()) {
    if (to_manager) break;
    if (team.name() != input.team) continue;
    if (team.agents().empty()) break;
    ASSIGN_OR_RETURN(std::string cursor,
                     deps_.tickets->RoundRobinCursor(txn, tenant, input.team));
    const int count = team.agents_size();
    int start = 0;
    for (int i = 0; i < count; ++i) {
      if (team.agents(i) == cursor) {
        start = i + 1;
        break;
      }
    }
    for (int k = 0; k < count; ++k) {
      const std::string& agent = team.agents((start + k) % count);
      ASSIGN_OR_RETURN(int64_t open, open_of(agent));
      input.agents.push_back({agent, open});
      if (open < input.agent_capacity) break;
    }
    break;
  }
  RoutingOutcome outcome = DecideRouting(input);
  if (outcome.advances_cursor) {
    RETURN_IF_ERROR(deps_.tickets->SetRoundRobinCursor(txn, tenant, input.team,
                                                       outcome.assignee));
  }
  ticket->set_assignee(outcome.assignee);
  ticket->set_team(outcome.team);
  v1::RoutingDecision* routing = ticket->mutable_routing();
  routing->set_reason(outcome.reason);
  routing->set_explanation(outcome.explanation);
  SetTimestamp(now, routing->mutable_route_time());
  return outcome;
}

}  // namespace clientele::ticketing

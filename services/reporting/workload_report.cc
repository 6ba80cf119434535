#include "services/reporting/workload_report.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_stats.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

struct AgentFacts {
  int64_t open = 0;
  int64_t assigned = 0;
  int64_t solved = 0;
  int64_t breaches = 0;
  // The first replies' counted durations (DurationCode).
  DurationHistogram first_response;
  int64_t csat = 0;
  int64_t csat_good = 0;

  bool Empty() const {
    return open == 0 && assigned == 0 && solved == 0 && breaches == 0 &&
           first_response.n() == 0 && csat == 0;
  }
};

struct ManagerFacts {
  int64_t accounts = 0;
  int64_t clients = 0;
  int64_t at_risk = 0;
  int64_t revenue = 0;
  int64_t interactions = 0;
  int64_t open_follow_ups = 0;
  int64_t overdue_follow_ups = 0;
  int64_t completed_follow_ups = 0;
  int64_t open_tickets = 0;
};

// Builds queries over ticket rows `x` of a table with (tenant, ticket_id)
// joined to their tickets `t` of the accounts `a` in scope:
//   <select> FROM <table> x JOIN tickets t ... JOIN (<scoped>) AS a ...
//   <joins> WHERE t.tenant = ? AND t.deleted = 0 <where>
class TicketQueries {
 public:
  // `accounts`: ScopedAccountCells' (account_id and account_manager are
  // read).
  TicketQueries(const ReportScope& scope, const SqlFragment& accounts)
      : scope_(scope), accounts_(accounts) {}

  absl::StatusOr<std::vector<sql::Row>> Run(
      sql::Transaction& txn, absl::string_view select, absl::string_view table,
      absl::string_view joins, absl::string_view where,
      std::vector<sql::Value> where_params) const {
    std::vector<sql::Value> params = accounts_.params;
    params.emplace_back(scope_.tenant);
    params.insert(params.end(), where_params.begin(), where_params.end());
    return txn.Query(
        absl::StrCat(select, " FROM ", table,
                     " x JOIN tickets t ON t.tenant = x.tenant AND "
                     "t.ticket_id = x.ticket_id JOIN (",
                     accounts_.sql, ") AS a ON a.account_id = t.account_id ",
                     joins, " WHERE t.tenant = ? AND t.deleted = 0 ", where),
        params);
  }

 private:
  const ReportScope& scope_;
  const SqlFragment& accounts_;
};

// How one report reads: the accounts in scope (ScopedAccountCells) and,
// as of now for the whole tenant, the maintained aggregates.
struct WorkloadReads {
  SqlFragment accounts;
  // The aggregates hold the managers' accounts, revenue, interactions and
  // everyone's open tickets (`open_tickets`).
  bool aggregates = false;
  std::vector<StaffOpenTickets> open_tickets;
  // And the agents' flows and the follow-ups (workload_blocks,
  // follow_ups_open): no first reply, SLA judgement or follow-up done
  // dated after as_of.
  bool counted = false;
  // Follow-ups completed in the range per assignee, when `counted`
  // (CollectAgents reads them with the agents' flows).
  std::map<std::string, int64_t> completed_follow_ups;
  // The staff users the counts name, by number (staff_numbers), when
  // `counted`.
  absl::flat_hash_map<int64_t, std::string> staff_by_number;
};

// The AgentFacts count a workload_blocks fact adds to; nullptr for the
// first replies (a histogram), the follow-ups and a fact of no agent.
int64_t AgentFacts::*AgentCount(int64_t fact) {
  switch (fact) {
    case kAgentAssigned:
      return &AgentFacts::assigned;
    case kAgentSolved:
      return &AgentFacts::solved;
    case kAgentBreaches:
      return &AgentFacts::breaches;
    case kAgentCsat:
      return &AgentFacts::csat;
    case kAgentCsatGood:
      return &AgentFacts::csat_good;
    default:
      return nullptr;
  }
}

// Follow-ups of accounts in scope completed in [from_us, to_us), per
// assignee, into `completed`.
absl::Status CountCompletedFollowUps(
    sql::Transaction& txn, const ReportScope& scope,
    const SqlFragment& accounts, int64_t from_us, int64_t to_us,
    std::map<std::string, int64_t>* completed) {
  if (from_us >= to_us) return absl::OkStatus();
  std::vector<sql::Value> params = {scope.tenant, from_us, to_us};
  params.insert(params.end(), accounts.params.begin(), accounts.params.end());
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          absl::StrCat("SELECT f.assignee, COUNT(*) FROM follow_ups f "
                       "INDEXED BY follow_ups_by_done WHERE f.tenant = ? AND "
                       "f.done_us >= ? AND f.done_us < ? AND f.completed = 1 "
                       "AND f.assignee != '' AND f.account_id IN (SELECT "
                       "account_id FROM (",
                       accounts.sql, ")) GROUP BY f.assignee"),
          params));
  for (const sql::Row& row : rows) (*completed)[row.String(0)] += row.Int(1);
  return absl::OkStatus();
}

// The agents' flows in [from_us, to_us) from the tickets themselves: all
// but their open tickets.
absl::Status CountAgentFlows(sql::Transaction& txn, const ReportScope& scope,
                             const TicketQueries& queries, int64_t from_us,
                             int64_t to_us,
                             std::map<std::string, AgentFacts>* agents) {
  if (from_us >= to_us) return absl::OkStatus();
  // Counts per agent (column 0), into `field`.
  const auto counts = [&](absl::StatusOr<std::vector<sql::Row>> rows,
                          int64_t AgentFacts::*field) -> absl::Status {
    if (!rows.ok()) return rows.status();
    for (const sql::Row& row : *rows) {
      (*agents)[row.String(0)].*field += row.Int(1);
    }
    return absl::OkStatus();
  };
  // A version starting in the range whose assignee the previous version
  // (ending where it starts) did not have.
  RETURN_IF_ERROR(counts(
      queries.Run(
          txn, "SELECT x.assignee, COUNT(*)", "ticket_versions", "",
          "AND x.from_us >= ? AND x.from_us < ? AND +x.to_us >= ? AND "
          "x.assignee != '' AND NOT EXISTS (SELECT 1 FROM ticket_versions p "
          "WHERE p.tenant = x.tenant AND p.ticket_id = x.ticket_id AND "
          "p.to_us = x.from_us AND p.assignee = x.assignee) "
          "GROUP BY x.assignee",
          {from_us, to_us, from_us}),
      &AgentFacts::assigned));
  RETURN_IF_ERROR(counts(
      queries.Run(txn, "SELECT x.assignee, COUNT(*)", "ticket_versions", "",
                  "AND t.solve_us >= ? AND t.solve_us < ? AND "
                  "x.from_us <= t.solve_us AND t.solve_us < x.to_us AND "
                  "x.assignee != '' GROUP BY x.assignee",
                  {from_us, to_us}),
      &AgentFacts::solved));
  RETURN_IF_ERROR(
      counts(queries.Run(txn, "SELECT x.assignee, COUNT(*)", "ticket_versions",
                         "JOIN sla_clocks s ON s.tenant = t.tenant AND "
                         "s.ticket_id = t.ticket_id",
                         "AND s.breached = 1 AND s.judged_us >= ? AND "
                         "s.judged_us < ? AND x.from_us <= s.judged_us AND "
                         "s.judged_us < x.to_us AND x.assignee != '' "
                         "GROUP BY x.assignee",
                         {from_us, to_us}),
             &AgentFacts::breaches));
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> replies,
      queries.Run(txn,
                  "SELECT x.assignee, t.create_us, t.first_response_us, "
                  "t.first_response_s",
                  "ticket_versions", "",
                  "AND t.create_us >= ? AND t.create_us < ? AND "
                  "t.first_response_us <= ? AND "
                  "x.from_us <= t.first_response_us AND "
                  "t.first_response_us < x.to_us AND x.assignee != ''",
                  {from_us, to_us, scope.as_of_us}));
  for (const sql::Row& row : replies) {
    // As the support report counts it.
    (*agents)[row.String(0)].first_response.Add(
        DurationCode(
            DurationSeconds(row.Int(1), row.Int(2), OptionalColumn(row, 3))),
        1);
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> ratings,
      queries.Run(txn, "SELECT x.agent, x.rating", "csat_responses", "",
                  "AND x.respond_us >= ? AND x.respond_us < ? AND "
                  "x.agent != ''",
                  {from_us, to_us}));
  for (const sql::Row& row : ratings) {
    AgentFacts& agent = (*agents)[row.String(0)];
    ++agent.csat;
    if (row.Int(1) >= 4) ++agent.csat_good;
  }
  return absl::OkStatus();
}

// The agents' flows and the follow-ups completed over the range's whole
// days from workload_blocks (projector_support.cc), by signed blocks
// (report_blocks.h).
absl::Status CountAgentBlocks(
    sql::Transaction& txn, const ReportScope& scope, const SplitRange& split,
    const absl::flat_hash_map<int64_t, std::string>& by_number,
    std::map<std::string, AgentFacts>* agents,
    std::map<std::string, int64_t>* completed) {
  bool known = true;
  RETURN_IF_ERROR(VisitBlockRows(
      txn, "workload_blocks", scope.tenant, split.first_day, split.end_day,
      [&](int64_t sign, const SupportRowKey& key, int64_t first, size_t n,
          const auto& count) {
        const auto found = by_number.find(key.tier);
        if (key.mode != kAgentSliceMode || found == by_number.end()) {
          known = false;
          return;
        }
        const std::string& staff_user = found->second;
        if (key.fact == kAgentFirstResponse) {
          (*agents)[staff_user].first_response.AddRow(
              first, n, [&](size_t i) { return sign * count(i); });
          return;
        }
        int64_t sum = 0;
        for (size_t i = 0; i < n; ++i) sum += count(i);
        if (key.fact == kFollowUpCompleted) {
          (*completed)[staff_user] += sign * sum;
          return;
        }
        int64_t AgentFacts::*const field = AgentCount(key.fact);
        if (field == nullptr) {
          known = false;
          return;
        }
        (*agents)[staff_user].*field += sign * sum;
      }));
  if (!known) {
    return absl::DataLossError(
        "workload_blocks holds a count of no agent's figure");
  }
  return absl::OkStatus();
}

absl::Status CollectAgents(sql::Transaction& txn, const ReportScope& scope,
                           WorkloadReads& reads,
                           std::map<std::string, AgentFacts>* agents) {
  const TicketQueries queries(scope, reads.accounts);
  if (reads.aggregates) {
    for (const StaffOpenTickets& staff : reads.open_tickets) {
      if (staff.assigned > 0) (*agents)[staff.staff_user].open = staff.assigned;
    }
  } else {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        queries.Run(
            txn, "SELECT x.assignee, COUNT(*)", "ticket_versions", "",
            absl::StrCat("AND x.from_us <= ? AND ? < x.to_us AND "
                         "x.assignee != '' AND x.status IN (",
                         kWaitingTicketStatusesSql, ") GROUP BY x.assignee"),
            {scope.as_of_us, scope.as_of_us}));
    for (const sql::Row& row : rows) {
      (*agents)[row.String(0)].open += row.Int(1);
    }
  }
  if (!reads.counted) {
    return CountAgentFlows(txn, scope, queries, scope.start_us, scope.end_us,
                           agents);
  }
  // The whole days from the blocks, the partial ones from the tickets and
  // follow-ups.
  const SplitRange split = SplitTimeRange(scope.start_us, scope.end_us);
  RETURN_IF_ERROR(CountAgentBlocks(txn, scope, split, reads.staff_by_number,
                                   agents, &reads.completed_follow_ups));
  for (const auto& [from_us, to_us] :
       {std::pair(split.start_us, split.head_end_us),
        std::pair(split.tail_start_us, split.end_us)}) {
    RETURN_IF_ERROR(
        CountAgentFlows(txn, scope, queries, from_us, to_us, agents));
    RETURN_IF_ERROR(CountCompletedFollowUps(txn, scope, reads.accounts, from_us,
                                            to_us,
                                            &reads.completed_follow_ups));
  }
  return absl::OkStatus();
}

// Per assignee, the follow-ups open now and of those the ones due before
// as_of, from follow_ups_open (their due times, ascending); `counted` must
// hold.
absl::Status CountOpenFollowUps(
    sql::Transaction& txn, const ReportScope& scope,
    const absl::flat_hash_map<int64_t, std::string>& by_number,
    std::map<std::string, ManagerFacts>* managers) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT o.facts FROM follow_ups_open o WHERE o.tenant = ?",
                {scope.tenant}));
  if (rows.empty()) return absl::OkStatus();
  SupportTimes times;
  std::string held;
  RETURN_IF_ERROR(DecodeSupportTimes(BlobOf(rows[0], &held), &times));
  for (const auto& [key, due] : times) {
    const auto found = by_number.find(key.tier);
    if (key.mode != kAgentSliceMode || key.fact != kFollowUpOpen ||
        found == by_number.end()) {
      return absl::DataLossError(
          "follow_ups_open holds times of no assignee's open follow-ups");
    }
    const auto manager = managers->find(found->second);
    if (manager == managers->end()) continue;
    manager->second.open_follow_ups = static_cast<int64_t>(due.size());
    manager->second.overdue_follow_ups =
        std::lower_bound(due.begin(), due.end(), scope.as_of_us) - due.begin();
  }
  return absl::OkStatus();
}

// Interactions per staff user in the range, of accounts in scope: whole UTC
// days from activity_days, the partial days at the ends from interactions
// (as RevenueByAccount splits the range).
absl::Status CountInteractions(sql::Transaction& txn, const ReportScope& scope,
                               std::map<std::string, ManagerFacts>* managers) {
  const SqlFragment accounts = ScopedAccounts(scope);
  const int64_t first_day = DayOfUs(scope.start_us + kDayUs - 1);
  const int64_t end_day = std::max(first_day, DayOfUs(scope.end_us));
  std::vector<sql::Value> params = accounts.params;
  params.insert(params.end(), {scope.tenant, first_day, end_day});
  // The partial days' interactions: the tenant in each arm of the OR, so
  // that SQLite reads interactions_by_time twice (a multi-index OR), and the
  // accounts as a set, built once; a join would read the interactions
  // again for every account in scope.
  params.insert(
      params.end(),
      {scope.tenant, scope.start_us, std::min(first_day * kDayUs, scope.end_us),
       scope.tenant, std::max(end_day * kDayUs, scope.start_us), scope.end_us});
  params.insert(params.end(), accounts.params.begin(), accounts.params.end());
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat(
                    "SELECT staff, SUM(n) FROM (SELECT d.staff_user AS staff, "
                    "d.interactions AS n FROM activity_days d JOIN (",
                    accounts.sql,
                    ") AS a ON a.account_id = d.account_id WHERE d.tenant = ? "
                    "AND d.day >= ? AND d.day < ? AND d.staff_user != '' "
                    "UNION ALL SELECT i.staff_user AS staff, 1 AS n "
                    "FROM interactions i WHERE i.staff_user != '' AND "
                    "((i.tenant = ? AND i.occur_us >= ? AND i.occur_us < ?) "
                    "OR (i.tenant = ? AND i.occur_us >= ? AND "
                    "i.occur_us < ?)) AND i.account_id IN (SELECT account_id "
                    "FROM (",
                    accounts.sql, "))) GROUP BY staff"),
                params));
  for (const sql::Row& row : rows) {
    auto found = managers->find(row.String(0));
    if (found != managers->end()) found->second.interactions = row.Int(1);
  }
  return absl::OkStatus();
}

// Accounts, revenue and interactions per manager, account by account.
absl::Status CollectManagersByAccount(
    sql::Transaction& txn, const ReportScope& scope,
    std::map<std::string, ManagerFacts>* managers) {
  const SqlFragment accounts = ScopedAccounts(scope);
  std::vector<sql::Value> params = accounts.params;
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT a.account_manager, COUNT(*), "
                             "SUM(a.mode = ",
                             type::v1::RELATIONSHIP_MODE_CLIENT,
                             "), SUM(a.band IN (", type::v1::SCORE_BAND_AT_RISK,
                             ", ", type::v1::SCORE_BAND_NEEDS_ATTENTION,
                             ")) FROM (", accounts.sql,
                             ") AS a WHERE a.account_manager != '' "
                             "GROUP BY a.account_manager"),
                params));
  for (const sql::Row& row : rows) {
    ManagerFacts& manager = (*managers)[row.String(0)];
    manager.accounts = row.Int(1);
    manager.clients = row.Int(2);
    manager.at_risk = row.Int(3);
  }

  const SqlFragment revenue = RevenueByAccount(scope);
  params = accounts.params;
  params.insert(params.end(), revenue.params.begin(), revenue.params.end());
  ASSIGN_OR_RETURN(
      rows, txn.Query(absl::StrCat("SELECT a.account_manager, "
                                   "r.recurring_minor, r.transactional_minor "
                                   "FROM (",
                                   accounts.sql, ") AS a JOIN (", revenue.sql,
                                   ") AS r ON r.account_id = a.account_id "
                                   "WHERE a.account_manager != ''"),
                      params));
  for (const sql::Row& row : rows) {
    int64_t& sum = (*managers)[row.String(0)].revenue;
    sum = SaturatingAdd(SaturatingAdd(sum, row.Int(1)), row.Int(2));
  }

  RETURN_IF_ERROR(CountInteractions(txn, scope, managers));
  return absl::OkStatus();
}

// Accounts, revenue and interactions per manager from the maintained
// aggregates (report_fast_path.h), when FastPath allows it.
absl::Status CollectManagerAggregates(
    sql::Transaction& txn, const ReportScope& scope,
    std::map<std::string, ManagerFacts>* managers) {
  ASSIGN_OR_RETURN(std::vector<ManagerCount> counts, ManagerCounts(txn, scope));
  for (const ManagerCount& count : counts) {
    ManagerFacts& manager = (*managers)[count.account_manager];
    manager.accounts = count.accounts;
    manager.clients = count.clients;
    manager.at_risk = count.at_risk;
  }
  ASSIGN_OR_RETURN(std::vector<ManagerRevenue> revenues,
                   ManagerRevenues(txn, scope));
  for (const ManagerRevenue& revenue : revenues) {
    int64_t& sum = (*managers)[revenue.account_manager].revenue;
    sum = SaturatingAdd(SaturatingAdd(sum, revenue.recurring_minor),
                        revenue.transactional_minor);
  }
  ASSIGN_OR_RETURN(std::vector<StaffInteractions> staff,
                   StaffInteractionCounts(txn, scope));
  for (const StaffInteractions& row : staff) {
    auto found = managers->find(row.staff_user);
    if (found != managers->end()) found->second.interactions = row.interactions;
  }
  return absl::OkStatus();
}

absl::Status CollectManagers(sql::Transaction& txn, const ReportScope& scope,
                             const WorkloadReads& reads,
                             std::map<std::string, ManagerFacts>* managers) {
  if (reads.aggregates) {
    RETURN_IF_ERROR(CollectManagerAggregates(txn, scope, managers));
  } else {
    RETURN_IF_ERROR(CollectManagersByAccount(txn, scope, managers));
  }
  if (reads.counted) {
    RETURN_IF_ERROR(
        CountOpenFollowUps(txn, scope, reads.staff_by_number, managers));
    for (const auto& [staff_user, completed] : reads.completed_follow_ups) {
      const auto found = managers->find(staff_user);
      if (found != managers->end()) {
        found->second.completed_follow_ups = completed;
      }
    }
    for (const StaffOpenTickets& staff : reads.open_tickets) {
      auto found = managers->find(staff.staff_user);
      if (found != managers->end()) found->second.open_tickets = staff.managed;
    }
    return absl::OkStatus();
  }

  // Open at as_of: created by then, not yet done (completed, cancelled or
  // deleted) then.
  const std::string open =
      "(f.create_us <= ? AND (f.done_us IS NULL OR "
      "f.done_us > ?))";
  const SqlFragment& accounts = reads.accounts;
  std::vector<sql::Value> params = {
      scope.as_of_us, scope.as_of_us, scope.as_of_us, scope.as_of_us,
      scope.as_of_us, scope.start_us, scope.end_us};
  params.insert(params.end(), accounts.params.begin(), accounts.params.end());
  params.emplace_back(scope.tenant);
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          absl::StrCat(
              "SELECT f.assignee, SUM(", open, "), SUM(", open,
              " AND f.due_us < ?), SUM(f.completed = 1 AND f.done_us >= ? "
              "AND f.done_us < ?) FROM follow_ups f JOIN (",
              accounts.sql,
              ") AS a ON a.account_id = f.account_id WHERE f.tenant = ? "
              "AND f.assignee != '' GROUP BY f.assignee"),
          params));
  for (const sql::Row& row : rows) {
    auto found = managers->find(row.String(0));
    if (found == managers->end()) continue;
    found->second.open_follow_ups = row.Int(1);
    found->second.overdue_follow_ups = row.Int(2);
    found->second.completed_follow_ups = row.Int(3);
  }

  if (reads.aggregates) {
    for (const StaffOpenTickets& staff : reads.open_tickets) {
      auto found = managers->find(staff.staff_user);
      if (found != managers->end()) found->second.open_tickets = staff.managed;
    }
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(
      rows,
      TicketQueries(scope, accounts)
          .Run(txn, "SELECT a.account_manager, COUNT(*)", "ticket_versions", "",
               absl::StrCat("AND x.from_us <= ? AND ? < x.to_us AND "
                            "x.status IN (",
                            kBacklogTicketStatusesSql,
                            ") AND a.account_manager != '' "
                            "GROUP BY a.account_manager"),
               {scope.as_of_us, scope.as_of_us}));
  for (const sql::Row& row : rows) {
    auto found = managers->find(row.String(0));
    if (found != managers->end()) found->second.open_tickets = row.Int(1);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::WorkloadReport> BuildWorkloadReport(
    sql::Transaction& txn, const ReportScope& scope) {
  v1::WorkloadReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));

  // As of now and for the whole tenant, the maintained aggregates hold
  // some figures (report_fast_path.h).
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  WorkloadReads reads;
  reads.accounts = ScopedAccountCells(scope, fast);
  reads.aggregates = fast && Unfiltered(scope.filter);
  if (reads.aggregates) {
    ASSIGN_OR_RETURN(reads.open_tickets,
                     StaffOpenTicketCounts(txn, scope.tenant));
    ASSIGN_OR_RETURN(const bool ticket_after, TicketFactsAfterAsOf(txn, scope));
    // A follow-up done after as_of: follow_ups_open has it done, a report
    // as of then has it open.
    ASSIGN_OR_RETURN(
        const bool follow_up_after,
        DatedAfterAsOf(txn, scope, "follow_ups INDEXED BY follow_ups_by_done",
                       "done_us"));
    reads.counted = !ticket_after && !follow_up_after;
  }
  if (reads.counted) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> staff,
                     txn.Query("SELECT number, staff_user FROM staff_numbers "
                               "WHERE tenant = ?",
                               {scope.tenant}));
    for (const sql::Row& row : staff) {
      reads.staff_by_number[row.Int(0)] = row.String(1);
    }
  }

  std::map<std::string, AgentFacts> agents;
  RETURN_IF_ERROR(CollectAgents(txn, scope, reads, &agents));
  std::vector<std::pair<const std::string*, AgentFacts*>> agent_rows;
  for (auto& [id, facts] : agents) {
    if (!facts.Empty()) agent_rows.emplace_back(&id, &facts);
  }
  // Most open tickets first; the map's order (id ascending) breaks ties.
  std::stable_sort(agent_rows.begin(), agent_rows.end(),
                   [](const auto& a, const auto& b) {
                     return a.second->open > b.second->open;
                   });
  if (agent_rows.size() > kMaxWorkloadRows) agent_rows.resize(kMaxWorkloadRows);
  for (auto& [id, facts] : agent_rows) {
    v1::AgentWorkload* out = report.add_agents();
    out->set_agent(*id);
    out->set_open_tickets(Count32(facts->open));
    out->set_tickets_assigned(Count32(facts->assigned));
    out->set_tickets_solved(Count32(facts->solved));
    out->set_sla_breaches(Count32(facts->breaches));
    if (facts->first_response.n() > 0) {
      *out->mutable_median_first_response() =
          Seconds(CodeSeconds(facts->first_response.RankCode(50)));
    }
    out->set_csat_responses(Count32(facts->csat));
    out->set_csat_rate(Rate(facts->csat_good, facts->csat));
  }

  std::map<std::string, ManagerFacts> managers;
  RETURN_IF_ERROR(CollectManagers(txn, scope, reads, &managers));
  std::vector<std::pair<const std::string*, const ManagerFacts*>> manager_rows;
  for (const auto& [id, facts] : managers) {
    if (facts.accounts > 0) manager_rows.emplace_back(&id, &facts);
  }
  std::stable_sort(manager_rows.begin(), manager_rows.end(),
                   [](const auto& a, const auto& b) {
                     return a.second->accounts > b.second->accounts;
                   });
  if (manager_rows.size() > kMaxWorkloadRows) {
    manager_rows.resize(kMaxWorkloadRows);
  }
  for (const auto& [id, facts] : manager_rows) {
    v1::AccountManagerWorkload* out = report.add_account_managers();
    out->set_account_manager(*id);
    out->set_accounts(Count32(facts->accounts));
    out->set_client_accounts(Count32(facts->clients));
    out->set_at_risk_accounts(Count32(facts->at_risk));
    out->mutable_revenue()->set_currency_code(scope.currency);
    out->mutable_revenue()->set_amount_minor_units(facts->revenue);
    out->set_interactions(Count32(facts->interactions));
    out->set_open_follow_ups(Count32(facts->open_follow_ups));
    out->set_overdue_follow_ups(Count32(facts->overdue_follow_ups));
    out->set_completed_follow_ups(Count32(facts->completed_follow_ups));
    out->set_open_tickets(Count32(facts->open_tickets));
  }
  return report;
}

absl::StatusOr<std::vector<std::string>> WorkloadAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::WorkloadAggregate& aggregate) {
  if (aggregate.account_manager().empty()) {
    return InvalidFieldError("aggregate.workload.account_manager",
                             "required: the account manager's staff user id");
  }
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  const SqlFragment accounts = ScopedAccountCells(scope, fast);
  std::vector<sql::Value> params = accounts.params;
  params.emplace_back(aggregate.account_manager());
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT a.account_id FROM (", accounts.sql,
                             ") AS a WHERE a.account_manager = ? "
                             "ORDER BY a.account_id"),
                params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

}  // namespace clientele::reporting

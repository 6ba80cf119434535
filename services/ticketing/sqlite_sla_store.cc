#include "services/ticketing/sqlite_sla_store.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::ticketing {
namespace {

using sql::Value;

constexpr char kPolicyOrder[] = " ORDER BY rank, create_us, policy_id";

// The columns of a clock row, in the order RowFrom reads them.
constexpr char kRowColumns[] =
    "ticket_id, metric, state, start_us, at_risk_us, due_us, account_id, "
    "assignee, team, priority, tier, mode, finished, at_risk_published, "
    "breach_published";

constexpr char kAlertOrder[] = " ORDER BY due_us, ticket_id, metric";

// NULL when unset.
Value OptionalInt(const std::optional<int64_t>& value) {
  if (!value.has_value()) return std::monostate();
  return *value;
}

// A clock row from `row`, whose columns from `first` on are kRowColumns.
SlaClockRow RowFrom(const sql::Row& row, size_t first) {
  SlaClockRow out;
  out.ticket_id = row.String(first);
  out.metric = static_cast<int>(row.Int(first + 1));
  out.state = static_cast<CycleState>(row.Int(first + 2));
  out.start_us = row.Int(first + 3);
  if (!row.IsNull(first + 4)) out.at_risk_us = row.Int(first + 4);
  if (!row.IsNull(first + 5)) out.due_us = row.Int(first + 5);
  out.account_id = row.String(first + 6);
  out.assignee = row.String(first + 7);
  out.team = row.String(first + 8);
  out.priority = static_cast<int>(row.Int(first + 9));
  out.tier = static_cast<int>(row.Int(first + 10));
  out.mode = static_cast<int>(row.Int(first + 11));
  out.finished = row.Int(first + 12) != 0;
  out.at_risk_published = row.Int(first + 13) != 0;
  out.breach_published = row.Int(first + 14) != 0;
  return out;
}

absl::StatusOr<std::vector<v1::SlaPolicy>> QueryPolicies(
    sql::Transaction& txn, absl::string_view sql,
    absl::Span<const Value> params) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows, txn.Query(sql, params));
  return sql::ParseStoredColumn<v1::SlaPolicy>(rows, 0, "SLA policy");
}

// One statement of ListAlerts, with its bound values.
struct Statement {
  std::string sql;
  std::vector<Value> params;
};

// The risk class of a running row: floor(log2) of its at-risk window
// (due_us - at_risk_us) in microseconds, 0 for a window under 2. An at-risk
// row of class c (at_risk_us <= as_of < due_us) is due before
// as_of + 2^(c+1), which bounds the part of the index an at-risk list
// walks. nullopt for rows that are never at risk (not running, or without
// both times).
std::optional<int64_t> RiskClass(const SlaClockRow& row) {
  if (row.state != CycleState::kRunning || !row.at_risk_us.has_value() ||
      !row.due_us.has_value() || *row.due_us < *row.at_risk_us) {
    return std::nullopt;
  }
  uint64_t window = static_cast<uint64_t>(*row.due_us - *row.at_risk_us);
  int64_t risk_class = 0;
  while (window > 1) {
    window >>= 1;
    ++risk_class;
  }
  return risk_class;
}

// as_of_us + 2^(risk_class + 1), saturated.
int64_t RiskHorizon(int64_t as_of_us, int64_t risk_class) {
  if (risk_class >= 61) return std::numeric_limits<int64_t>::max();
  const int64_t window = int64_t{1} << (risk_class + 1);
  return as_of_us > std::numeric_limits<int64_t>::max() - window
             ? std::numeric_limits<int64_t>::max()
             : as_of_us + window;
}

// The risk classes of `tenant`'s running rows of tickets in progress,
// ascending: one index seek per class present (a loose scan of
// sla_clock_risk), so a few whatever the number of rows.
absl::StatusOr<std::vector<int64_t>> RiskClasses(sql::Transaction& txn,
                                                 absl::string_view tenant) {
  std::vector<int64_t> classes;
  int64_t after = -1;
  for (;;) {
    const Value params[] = {std::string(tenant), after};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT risk_class FROM sla_clock_index INDEXED BY "
                  "sla_clock_risk WHERE tenant = ? AND finished = 0 AND "
                  "risk_class > ? ORDER BY risk_class LIMIT 1",
                  params));
    if (rows.empty()) return classes;
    after = rows[0].Int(0);
    classes.push_back(after);
  }
}

// The statements ListAlerts runs for `query`, each returning kRowColumns in
// alert order, at most `limit` rows. Which index serves each is pinned
// (INDEXED BY) so that the cost of a page never depends on the planner's
// guess:
//   breaches of tickets in progress: sla_clock_due, finished = 0, the range
//     due_us <= as_of walked in due order: every row found is an alert;
//   breaches of finished tickets (include_finished): the same, finished = 1;
//   at-risk clocks, one statement per risk class: sla_clock_risk, the range
//     as_of < due_us < as_of + 2^(class+1) walked in due order, at_risk_us
//     checked in the index. Every row due within the class's shortest
//     window is at risk, so a walk skips only rows due soon but not yet at
//     risk, never the far future.
absl::StatusOr<std::vector<Statement>> AlertStatements(
    sql::Transaction& txn, absl::string_view tenant, const SlaAlertQuery& query,
    const std::optional<SlaAlertCursor>& after, int limit) {
  std::vector<std::string> filters;
  std::vector<Value> filter_params;
  if (query.metric != 0) {
    filters.push_back("metric = ?");
    filter_params.push_back(int64_t{query.metric});
  }
  if (!query.assignee.empty()) {
    filters.push_back("assignee = ?");
    filter_params.push_back(query.assignee);
  }
  if (!query.team.empty()) {
    filters.push_back("team = ?");
    filter_params.push_back(query.team);
  }
  if (!query.account_id.empty()) {
    filters.push_back("account_id = ?");
    filter_params.push_back(query.account_id);
  }
  if (after.has_value()) {
    filters.push_back("(due_us, ticket_id, metric) > (?, ?, ?)");
    filter_params.push_back(after->due_us);
    filter_params.push_back(after->ticket_id);
    filter_params.push_back(int64_t{after->metric});
  }

  std::vector<Statement> statements;
  const auto add = [&](absl::string_view index,
                       std::vector<std::string> conditions,
                       std::vector<Value> params) {
    conditions.insert(conditions.end(), filters.begin(), filters.end());
    params.insert(params.end(), filter_params.begin(), filter_params.end());
    params.push_back(int64_t{limit});
    statements.push_back(
        {absl::StrCat("SELECT ", kRowColumns,
                      " FROM sla_clock_index INDEXED BY ", index, " WHERE ",
                      absl::StrJoin(conditions, " AND "), kAlertOrder,
                      " LIMIT ?"),
         std::move(params)});
  };

  if (query.breached) {
    for (int finished = 0; finished <= (query.include_finished ? 1 : 0);
         ++finished) {
      std::vector<std::string> conditions = {"tenant = ?", "finished = ?",
                                             "due_us <= ?"};
      std::vector<Value> params = {std::string(tenant), int64_t{finished},
                                   query.as_of_us};
      if (query.include_finished) {
        conditions.push_back("due_us >= ?");
        params.push_back(query.due_start_us);
        conditions.push_back("due_us < ?");
        params.push_back(query.due_end_us);
      }
      add("sla_clock_due", std::move(conditions), std::move(params));
    }
  }
  if (query.at_risk) {
    ASSIGN_OR_RETURN(std::vector<int64_t> classes, RiskClasses(txn, tenant));
    for (int64_t risk_class : classes) {
      if (after.has_value() &&
          after->due_us >= RiskHorizon(query.as_of_us, risk_class)) {
        continue;  // the cursor is past everything this class can hold
      }
      add("sla_clock_risk",
          {"tenant = ?", "finished = 0", "risk_class = ?", "due_us > ?",
           "due_us < ?", "at_risk_us <= ?"},
          {std::string(tenant), risk_class, query.as_of_us,
           RiskHorizon(query.as_of_us, risk_class), query.as_of_us});
    }
  }
  return statements;
}

// Alert order: due time, then ticket id (bytewise, as SQLite compares
// text), then metric.
bool AlertBefore(const SlaClockRow& a, const SlaClockRow& b) {
  const int64_t a_due = a.due_us.value_or(0);
  const int64_t b_due = b.due_us.value_or(0);
  if (a_due != b_due) return a_due < b_due;
  if (a.ticket_id != b.ticket_id) return a.ticket_id < b.ticket_id;
  return a.metric < b.metric;
}

}  // namespace

// ---- Policies

absl::StatusOr<std::optional<v1::SlaPolicy>> SqliteSlaStore::FindPolicy(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      std::vector<v1::SlaPolicy> policies,
      QueryPolicies(txn,
                    "SELECT data FROM sla_policies WHERE tenant = ? AND "
                    "policy_id = ?",
                    params));
  if (policies.empty()) return std::nullopt;
  return std::move(policies.front());
}

absl::Status SqliteSlaStore::InsertPolicy(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view id,
                                          const v1::SlaPolicy& policy) {
  const Value params[] = {
      std::string(tenant),        std::string(id),
      int64_t{policy.rank()},     int64_t{policy.disabled() ? 1 : 0},
      PolicyCreateMicros(policy), sql::Blob{policy.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT INTO sla_policies (tenant, policy_id, rank, disabled, "
          "create_us, data) VALUES (?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteSlaStore::UpdatePolicy(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view id,
                                          const v1::SlaPolicy& policy) {
  const Value params[] = {
      int64_t{policy.rank()},     int64_t{policy.disabled() ? 1 : 0},
      PolicyCreateMicros(policy), sql::Blob{policy.SerializeAsString()},
      std::string(tenant),        std::string(id)};
  ASSIGN_OR_RETURN(int64_t changed,
                   txn.Exec("UPDATE sla_policies SET rank = ?, disabled = ?, "
                            "create_us = ?, data = ? WHERE tenant = ? AND "
                            "policy_id = ?",
                            params));
  if (changed == 0) return absl::NotFoundError("SLA policy not found");
  return absl::OkStatus();
}

absl::Status SqliteSlaStore::DeletePolicy(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(int64_t deleted,
                   txn.Exec("DELETE FROM sla_policies WHERE tenant = ? AND "
                            "policy_id = ?",
                            params));
  if (deleted == 0) return absl::NotFoundError("SLA policy not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::SlaPolicy>> SqliteSlaStore::ListPolicies(
    sql::Transaction& txn, absl::string_view tenant,
    const std::optional<SlaPolicyCursor>& after, int limit) {
  std::vector<Value> params = {std::string(tenant)};
  std::string sql = "SELECT data FROM sla_policies WHERE tenant = ?";
  if (after.has_value()) {
    absl::StrAppend(&sql, " AND (rank, create_us, policy_id) > (?, ?, ?)");
    params.push_back(after->rank);
    params.push_back(after->create_us);
    params.push_back(after->id);
  }
  absl::StrAppend(&sql, kPolicyOrder, " LIMIT ?");
  params.push_back(int64_t{limit});
  return QueryPolicies(txn, sql, params);
}

absl::StatusOr<std::vector<v1::SlaPolicy>> SqliteSlaStore::EnabledPolicies(
    sql::Transaction& txn, absl::string_view tenant) {
  const Value params[] = {std::string(tenant)};
  return QueryPolicies(txn,
                       absl::StrCat("SELECT data FROM sla_policies WHERE "
                                    "tenant = ? AND disabled = 0",
                                    kPolicyOrder),
                       params);
}

// ---- What each ticket was given

absl::StatusOr<std::optional<KeptSla>> SqliteSlaStore::FindKept(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT policy_id, data FROM ticket_sla WHERE "
                             "tenant = ? AND ticket_id = ?",
                             params));
  if (rows.empty()) return std::nullopt;
  KeptSla kept;
  kept.policy_id = rows[0].String(0);
  ASSIGN_OR_RETURN(kept.policy, sql::ParseStored<v1::SlaPolicy>(
                                    rows[0].String(1), "ticket SLA"));
  return kept;
}

absl::Status SqliteSlaStore::PutKept(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view ticket_id,
                                     const KeptSla& kept) {
  const Value params[] = {std::string(tenant), std::string(ticket_id),
                          kept.policy_id,
                          sql::Blob{kept.policy.SerializeAsString()}};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO ticket_sla (tenant, ticket_id, policy_id, "
          "data) VALUES (?, ?, ?, ?)",
          params)
      .status();
}

// ---- The clock index

absl::StatusOr<std::vector<SlaClockRow>> SqliteSlaStore::ClockRows(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT ", kRowColumns,
                             " FROM sla_clock_index WHERE tenant = ? AND "
                             "ticket_id = ? ORDER BY metric"),
                params));
  std::vector<SlaClockRow> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) out.push_back(RowFrom(row, 0));
  return out;
}

absl::Status SqliteSlaStore::PutClockRow(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         const SlaClockRow& row) {
  const Value params[] = {std::string(tenant),
                          row.ticket_id,
                          int64_t{row.metric},
                          int64_t{static_cast<int>(row.state)},
                          row.start_us,
                          OptionalInt(row.at_risk_us),
                          OptionalInt(row.due_us),
                          OptionalInt(RiskClass(row)),
                          row.account_id,
                          row.assignee,
                          row.team,
                          int64_t{row.priority},
                          int64_t{row.tier},
                          int64_t{row.mode},
                          int64_t{row.finished ? 1 : 0},
                          int64_t{row.at_risk_published ? 1 : 0},
                          int64_t{row.breach_published ? 1 : 0}};
  return txn
      .Exec(
          "INSERT OR REPLACE INTO sla_clock_index (tenant, ticket_id, "
          "metric, state, start_us, at_risk_us, due_us, risk_class, "
          "account_id, assignee, team, priority, tier, mode, finished, "
          "at_risk_published, breach_published) VALUES (?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

absl::Status SqliteSlaStore::DeleteClockRow(sql::Transaction& txn,
                                            absl::string_view tenant,
                                            absl::string_view ticket_id,
                                            int metric) {
  const Value params[] = {std::string(tenant), std::string(ticket_id),
                          int64_t{metric}};
  return txn
      .Exec(
          "DELETE FROM sla_clock_index WHERE tenant = ? AND ticket_id = ? "
          "AND metric = ?",
          params)
      .status();
}

absl::Status SqliteSlaStore::ForgetTicket(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view ticket_id) {
  const Value params[] = {std::string(tenant), std::string(ticket_id)};
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM ticket_sla WHERE tenant = ? AND ticket_id = ?",
               params)
          .status());
  return txn
      .Exec("DELETE FROM sla_clock_index WHERE tenant = ? AND ticket_id = ?",
            params)
      .status();
}

absl::Status SqliteSlaStore::MoveAccount(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view from_account_id,
                                         absl::string_view to_account_id) {
  if (from_account_id == to_account_id) return absl::OkStatus();
  // No index leads with account_id: merges are rare, and this walks only
  // the tenant's rows.
  const Value params[] = {std::string(to_account_id), std::string(tenant),
                          std::string(from_account_id)};
  return txn
      .Exec(
          "UPDATE sla_clock_index SET account_id = ? WHERE tenant = ? AND "
          "account_id = ?",
          params)
      .status();
}

absl::StatusOr<std::vector<SlaClockRow>> SqliteSlaStore::ListAlerts(
    sql::Transaction& txn, absl::string_view tenant, const SlaAlertQuery& query,
    const std::optional<SlaAlertCursor>& after, int limit) {
  ASSIGN_OR_RETURN(std::vector<Statement> statements,
                   AlertStatements(txn, tenant, query, after, limit));
  std::vector<SlaClockRow> out;
  for (const Statement& statement : statements) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(statement.sql, statement.params));
    for (const sql::Row& row : rows) out.push_back(RowFrom(row, 0));
  }
  // Each statement returned its first `limit` rows in alert order, so the
  // first `limit` of them all are the page.
  std::sort(out.begin(), out.end(), AlertBefore);
  if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

absl::StatusOr<std::vector<std::string>> SqliteSlaStore::AlertQueryPlansForTest(
    sql::Transaction& txn, absl::string_view tenant, const SlaAlertQuery& query,
    const std::optional<SlaAlertCursor>& after, int limit) {
  ASSIGN_OR_RETURN(std::vector<Statement> statements,
                   AlertStatements(txn, tenant, query, after, limit));
  std::vector<std::string> plans;
  for (const Statement& statement : statements) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query(absl::StrCat("EXPLAIN QUERY PLAN ", statement.sql),
                  statement.params));
    std::vector<std::string> steps;
    steps.reserve(rows.size());
    for (const sql::Row& row : rows) steps.push_back(row.String(3));
    plans.push_back(absl::StrJoin(steps, "; "));
  }
  return plans;
}

absl::StatusOr<std::vector<DueClock>> SqliteSlaStore::DueClocks(
    sql::Transaction& txn, int64_t now_us, int limit) {
  std::vector<DueClock> out;
  {
    const Value params[] = {now_us, int64_t{limit}};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query(absl::StrCat("SELECT tenant, ", kRowColumns,
                               " FROM sla_clock_index INDEXED BY "
                               "sla_clock_unpublished_breach WHERE "
                               "breach_published = 0 AND due_us <= ? "
                               "ORDER BY due_us LIMIT ?"),
                  params));
    for (const sql::Row& row : rows) {
      out.push_back({row.String(0), RowFrom(row, 1), /*breach=*/true});
    }
  }
  // Warnings only once no breach waits: a breach covers its clock's
  // warning, and the breaches found above are still unmarked.
  if (out.size() < static_cast<size_t>(limit)) {
    const Value params[] = {now_us, now_us,
                            int64_t{limit} - static_cast<int64_t>(out.size())};
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query(absl::StrCat("SELECT tenant, ", kRowColumns,
                               " FROM sla_clock_index INDEXED BY "
                               "sla_clock_unpublished_at_risk WHERE "
                               "at_risk_published = 0 AND state = 1 AND "
                               "at_risk_us <= ? AND due_us > ? "
                               "ORDER BY at_risk_us LIMIT ?"),
                  params));
    for (const sql::Row& row : rows) {
      out.push_back({row.String(0), RowFrom(row, 1), /*breach=*/false});
    }
  }
  return out;
}

absl::Status SqliteSlaStore::MarkPublished(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           absl::string_view ticket_id,
                                           int metric, bool breach) {
  // A breach covers the warning too: a clock found past due is never
  // warned about afterwards.
  const Value params[] = {int64_t{breach ? 1 : 0}, std::string(tenant),
                          std::string(ticket_id), int64_t{metric}};
  return txn
      .Exec(
          "UPDATE sla_clock_index SET at_risk_published = 1, "
          "breach_published = MAX(breach_published, ?) WHERE tenant = ? AND "
          "ticket_id = ? AND metric = ?",
          params)
      .status();
}

}  // namespace clientele::ticketing

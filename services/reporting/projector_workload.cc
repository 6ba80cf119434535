// The workload's aggregates (migration 6; projector_aggregates.h lists
// them): the open tickets per staff user, moved around every ticket event
// and with their account's cell.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {
namespace {

// " FROM tickets t ... WHERE <where> AND t.deleted = 0": the tickets not
// deleted matching `where` with their current version `x` and their
// account's cell `c` (none for an account without one). CROSS JOIN keeps
// SQLite on this order, the tickets first (by key, or `by_account` through
// their account's index, which the planner would pass over for a scan of
// the tenant's tickets).
std::string CurrentTicketsSql(const std::string& where, bool by_account) {
  return absl::StrCat(" FROM tickets t",
                      by_account ? " INDEXED BY tickets_by_account" : "",
                      " CROSS JOIN ticket_versions x ON x.tenant = t.tenant "
                      "AND x.ticket_id = t.ticket_id AND x.to_us = ",
                      kOpenEndUs,
                      " CROSS JOIN account_cells c ON c.tenant = t.tenant "
                      "AND c.account_id = t.account_id WHERE ",
                      where, " AND t.deleted = 0");
}

// "INSERT INTO staff_open_tickets ..." adding `? AS sign` times the shares
// (OpenTicketShareOf) of the tickets of CurrentTicketsSql(where,
// by_account); the parameters of `where` come after the sign, twice (once
// per arm).
std::string AddOpenTicketsSql(const std::string& where, bool by_account) {
  const std::string tickets = CurrentTicketsSql(where, by_account);
  return absl::StrCat(
      "INSERT INTO staff_open_tickets (tenant, staff_user, assigned, managed) "
      "SELECT tenant, staff, sign * SUM(assigned), sign * SUM(managed) "
      "FROM (SELECT ? AS sign) JOIN (SELECT t.tenant AS tenant, "
      "x.assignee AS staff, 1 AS assigned, 0 AS managed",
      tickets, " AND x.status IN (", kWaitingTicketStatusesSql,
      ") AND x.assignee != '' UNION ALL SELECT t.tenant, c.account_manager, "
      "0, 1",
      tickets, " AND x.status IN (", kBacklogTicketStatusesSql,
      ") AND c.account_manager != '') GROUP BY tenant, staff "
      "ON CONFLICT (tenant, staff_user) DO UPDATE SET "
      "assigned = assigned + excluded.assigned, "
      "managed = managed + excluded.managed");
}

}  // namespace

// Migration 6. The levels' VALUES as in kReportAggregatesSql.
std::string WorkloadAggregatesSql() {
  return absl::StrCat(
      R"sql(
ALTER TABLE account_cells ADD COLUMN account_manager TEXT NOT NULL
  DEFAULT '';
UPDATE account_cells SET account_manager = COALESCE((
  SELECT v.account_manager FROM account_versions v
  WHERE v.tenant = account_cells.tenant
    AND v.account_id = account_cells.account_id
    AND v.to_us = 9223372036854775807 AND v.state = 0), '');

-- A manager's accounts (the workload's listing).
CREATE INDEX account_cells_by_manager
  ON account_cells (tenant, account_manager, account_id);

CREATE TABLE manager_cells (
  tenant TEXT NOT NULL,
  account_manager TEXT NOT NULL,
  mode INTEGER NOT NULL,
  band INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  accounts INTEGER NOT NULL,
  PRIMARY KEY (tenant, account_manager, mode, band, tier, segment)
) WITHOUT ROWID;
INSERT INTO manager_cells
  SELECT tenant, account_manager, mode, band, tier, segment, COUNT(*)
  FROM account_cells WHERE account_manager != ''
  GROUP BY tenant, account_manager, mode, band, tier, segment;

-- A block's rows may stay at zero after moves (both tables).
CREATE TABLE manager_revenue_blocks (
  tenant TEXT NOT NULL,
  currency TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  account_manager TEXT NOT NULL,
  recurring_minor INTEGER NOT NULL,
  transactional_minor INTEGER NOT NULL,
  interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, currency, level, block_day, account_manager)
) WITHOUT ROWID;
WITH levels (level, size) AS (VALUES (0, 1), (1, 8), (2, 64), (3, 512))
INSERT INTO manager_revenue_blocks
  SELECT r.tenant, r.currency, l.level, r.day & ~(l.size - 1),
         c.account_manager, SUM(r.recurring_minor),
         SUM(r.transactional_minor),
         SUM(r.interactions)
  FROM revenue_days r
  JOIN account_cells c ON c.tenant = r.tenant AND c.account_id = r.account_id
  CROSS JOIN levels l
  WHERE c.account_manager != ''
  GROUP BY r.tenant, r.currency, l.level, r.day & ~(l.size - 1),
           c.account_manager;

CREATE TABLE staff_activity_blocks (
  tenant TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  interactions INTEGER NOT NULL,
  PRIMARY KEY (tenant, level, block_day, staff_user)
) WITHOUT ROWID;
WITH levels (level, size) AS (VALUES (0, 1), (1, 8), (2, 64), (3, 512))
INSERT INTO staff_activity_blocks
  SELECT d.tenant, l.level, d.day & ~(l.size - 1), d.staff_user,
         SUM(d.interactions)
  FROM activity_days d
  JOIN account_cells c ON c.tenant = d.tenant AND c.account_id = d.account_id
  CROSS JOIN levels l
  WHERE d.staff_user != ''
  GROUP BY d.tenant, l.level, d.day & ~(l.size - 1), d.staff_user;

-- The workload's assignments in a time range: versions by their start.
CREATE INDEX ticket_versions_by_start ON ticket_versions (tenant, from_us);
)sql",
      // The backlog and the open work (NEW, OPEN, PENDING,
      // ON_HOLD): only such versions, not every current one.
      "CREATE INDEX ticket_versions_waiting ON ticket_versions "
      "(tenant, to_us, from_us) WHERE status IN (",
      kWaitingTicketStatusesSql, R"sql();

CREATE TABLE staff_open_tickets (
  tenant TEXT NOT NULL,
  staff_user TEXT NOT NULL,
  assigned INTEGER NOT NULL,
  managed INTEGER NOT NULL,
  PRIMARY KEY (tenant, staff_user)
) WITHOUT ROWID;
)sql",
      projector_internal::WithSignPlusOne(
          AddOpenTicketsSql("1", /*by_account=*/false)),
      ";\n");
}

namespace projector_internal {

absl::StatusOr<OpenTicketShare> OpenTicketShareOf(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& ticket_id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT x.status, x.assignee, c.account_manager",
                             CurrentTicketsSql("t.tenant = ? AND "
                                               "t.ticket_id = ?",
                                               /*by_account=*/false)),
                {tenant, ticket_id}));
  OpenTicketShare share;
  if (rows.empty()) return share;
  const int64_t status = rows[0].Int(0);
  if (IsWaitingTicketStatus(status)) share.assignee = rows[0].String(1);
  if (IsBacklogTicketStatus(status)) share.account_manager = rows[0].String(2);
  return share;
}

absl::Status MoveOpenTicketShare(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const OpenTicketShare& from,
                                 const OpenTicketShare& to) {
  if (from == to) return absl::OkStatus();
  // (staff user, assigned, managed) to add.
  const auto add = [&](const std::string& staff, int64_t assigned,
                       int64_t managed) -> absl::Status {
    if (staff.empty()) return absl::OkStatus();
    return txn
        .Exec(
            "INSERT INTO staff_open_tickets (tenant, staff_user, assigned, "
            "managed) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, staff_user) "
            "DO UPDATE SET assigned = assigned + excluded.assigned, "
            "managed = managed + excluded.managed",
            {tenant, staff, assigned, managed})
        .status();
  };
  RETURN_IF_ERROR(add(from.assignee, -1, 0));
  RETURN_IF_ERROR(add(from.account_manager, 0, -1));
  RETURN_IF_ERROR(add(to.assignee, 1, 0));
  return add(to.account_manager, 0, 1);
}

absl::Status MoveAccountTickets(sql::Transaction& txn,
                                const std::string& tenant,
                                const std::string& account_id, int64_t sign) {
  return txn
      .Exec(AddOpenTicketsSql("t.tenant = ? AND t.account_id = ?",
                              /*by_account=*/true),
            {sign, tenant, account_id, tenant, account_id})
      .status();
}

}  // namespace projector_internal
}  // namespace clientele::reporting

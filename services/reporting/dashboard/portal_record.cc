#include "services/reporting/dashboard/portal_record.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "common/status_macros.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting::dashboard {
namespace {

// account_versions.state (reporting_schema.cc).
constexpr int64_t kLive = 0;
constexpr int64_t kMerged = 2;

std::optional<int64_t> OptionalInt(const sql::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Int(column);
}

// Tickets of the account with their current status: `where` picks open or
// solved ones, `order` sorts them.
absl::StatusOr<std::vector<PortalRecord::Ticket>> Tickets(
    sql::Transaction& txn, absl::string_view where, absl::string_view order,
    const std::vector<sql::Value>& params) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat(
                    "SELECT t.ticket_id, COALESCE(v.status, 0), t.create_us, "
                    "t.first_response_us, v.from_us, t.solve_us "
                    "FROM tickets t LEFT JOIN ticket_versions v "
                    "ON v.tenant = t.tenant AND v.ticket_id = t.ticket_id AND "
                    "v.to_us = ? WHERE t.tenant = ? AND t.account_id = ? AND "
                    "t.deleted = 0 AND ",
                    where, " ORDER BY ", order, " LIMIT ?"),
                params));
  std::vector<PortalRecord::Ticket> tickets;
  tickets.reserve(rows.size());
  for (const sql::Row& row : rows) {
    PortalRecord::Ticket ticket;
    ticket.id = row.String(0);
    ticket.status = static_cast<int>(row.Int(1));
    ticket.create_us = row.Int(2);
    ticket.update_us =
        std::max({ticket.create_us, OptionalInt(row, 3).value_or(0),
                  OptionalInt(row, 4).value_or(0)});
    ticket.solve_us = OptionalInt(row, 5);
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

}  // namespace

int64_t ItemCount(absl::string_view items) {
  int64_t count = 0;
  for (absl::string_view line :
       absl::StrSplit(items, '\n', absl::SkipEmpty())) {
    int64_t quantity = 0;
    const absl::string_view number = line.substr(0, line.find(" x "));
    if (!absl::SimpleAtoi(number, &quantity) || quantity <= 0) quantity = 1;
    count += quantity;
  }
  return count;
}

absl::StatusOr<PortalAccount> PortalAccountOf(sql::Transaction& txn,
                                              const std::string& tenant,
                                              const std::string& account_id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT state, merged_into FROM account_versions WHERE "
                "tenant = ? AND account_id = ? ORDER BY from_us DESC LIMIT 1",
                {tenant, account_id}));
  PortalAccount account;
  if (rows.empty()) return account;
  if (rows[0].Int(0) == kLive) {
    account.state = PortalAccountState::kLive;
  } else if (rows[0].Int(0) == kMerged) {
    account.state = PortalAccountState::kMerged;
    account.merged_into = rows[0].String(1);
  }
  return account;
}

absl::StatusOr<PortalRecord> LoadPortalRecord(sql::Transaction& txn,
                                              const std::string& tenant,
                                              const std::string& account_id,
                                              int64_t now_us) {
  PortalRecord record;
  record.account_id = account_id;
  const int64_t rows = kPortalRows;
  const int64_t solved = events::v1::TICKET_STATUS_SOLVED;
  const int64_t closed = events::v1::TICKET_STATUS_CLOSED;

  ASSIGN_OR_RETURN(
      record.open_tickets,
      Tickets(txn, "COALESCE(v.status, 0) NOT IN (?, ?)",
              "t.create_us DESC, t.ticket_id",
              {kOpenEndUs, tenant, account_id, solved, closed, rows}));
  const int64_t solved_since_us =
      now_us - absl::ToInt64Microseconds(absl::Hours(24) * kPortalSolvedDays);
  ASSIGN_OR_RETURN(record.solved_tickets,
                   Tickets(txn, "v.status IN (?, ?) AND t.solve_us >= ?",
                           "t.solve_us DESC, t.ticket_id",
                           {kOpenEndUs, tenant, account_id, solved, closed,
                            solved_since_us, rows}));

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> orders,
      txn.Query("SELECT status, currency, total_minor, items, place_us "
                "FROM orders WHERE tenant = ? AND account_id = ? "
                "ORDER BY place_us DESC, order_id LIMIT ?",
                {tenant, account_id, rows}));
  record.orders.reserve(orders.size());
  for (const sql::Row& row : orders) {
    record.orders.push_back({static_cast<int>(row.Int(0)), row.String(1),
                             row.Int(2), ItemCount(row.String(3)), row.Int(4)});
  }

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> deals,
      txn.Query("SELECT kind, stage, currency, amount_minor, "
                "expected_close_day, close_day FROM deal_versions "
                "WHERE tenant = ? AND account_id = ? AND to_us = ? AND "
                "stage IN (?, ?, ?, ?) ORDER BY from_us DESC, deal_id LIMIT ?",
                {tenant, account_id, kOpenEndUs,
                 int64_t{events::v1::DEAL_STAGE_PROPOSAL},
                 int64_t{events::v1::DEAL_STAGE_NEGOTIATION},
                 int64_t{events::v1::DEAL_STAGE_WON},
                 int64_t{events::v1::DEAL_STAGE_LOST}, rows}));
  record.deals.reserve(deals.size());
  for (const sql::Row& row : deals) {
    record.deals.push_back(
        {static_cast<int>(row.Int(0)), static_cast<int>(row.Int(1)),
         row.String(2), row.Int(3), OptionalInt(row, 4), OptionalInt(row, 5)});
  }

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> meetings,
      txn.Query("SELECT due_us FROM follow_ups WHERE tenant = ? AND "
                "account_id = ? AND kind = ? AND done_us IS NULL AND "
                "due_us > ? ORDER BY due_us, follow_up_id LIMIT ?",
                {tenant, account_id,
                 int64_t{events::v1::FOLLOW_UP_KIND_MEETING}, now_us, rows}));
  record.meeting_us.reserve(meetings.size());
  for (const sql::Row& row : meetings) record.meeting_us.push_back(row.Int(0));
  return record;
}

}  // namespace clientele::reporting::dashboard

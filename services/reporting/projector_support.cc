// The support report's aggregates (migration 10; projector_aggregates.h
// lists them): each ticket's facts (support_facts.h) as last counted, and
// their sums per day block and for the backlog now. A ticket touched by an
// event, or whose account comes or goes, is counted again when the
// transaction's held writes are flushed, and the sums move by the
// difference.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {

const char kSupportAggregatesSql[] = R"sql(
-- What each ticket adds now (TicketFacts' blob); no row for a ticket that
-- adds nothing (deleted, or its account without a cell).
CREATE TABLE support_tickets (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
-- The flows summed per day block (report_blocks.h), one blob of counts.
CREATE TABLE support_blocks (
  tenant TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, level, block_day)
) WITHOUT ROWID;
-- The tickets waiting now, by slice, state and creation time.
CREATE TABLE support_backlog (
  tenant TEXT NOT NULL PRIMARY KEY,
  facts BLOB NOT NULL
) WITHOUT ROWID;
-- The backlog as reports read it (support_facts.h, BacklogNow), from
-- support_backlog and the tenant's newest event, after every transaction.
CREATE TABLE support_backlog_now (
  tenant TEXT NOT NULL PRIMARY KEY,
  facts BLOB NOT NULL
) WITHOUT ROWID;
-- Tickets to count again at the next flush (their account came, went, was
-- merged or erased), and every ticket a database had before this table.
CREATE TABLE support_unsynced (
  tenant TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  PRIMARY KEY (tenant, ticket_id)
) WITHOUT ROWID;
INSERT INTO support_unsynced (tenant, ticket_id)
  SELECT tenant, ticket_id FROM tickets;
CREATE INDEX csat_responses_by_ticket ON csat_responses (tenant, ticket_id);
-- A first reply dated after a report's as_of_time (support_report.cc).
CREATE INDEX tickets_by_first_response ON tickets (tenant, first_response_us);
)sql";

namespace projector_internal {
namespace {

using support_internal::PutVarint;
using support_internal::ReadVarint;
using support_internal::Unzigzag;
using support_internal::Zigzag;

// The day of a ticket's backlog counts in TicketFacts.
constexpr int64_t kBacklogDay = INT64_MIN;

// A ticket's counts by the day they happened on (kBacklogDay: waiting now);
// a std::map, whose entries stay put while CountTicket adds to them.
using TicketFacts = std::map<int64_t, SupportCounts>;

// [zigzag day, length, EncodeSupportCounts] per day.
std::string EncodeTicketFacts(const TicketFacts& facts) {
  std::string out;
  for (const auto& [day, counts] : facts) {
    const std::string blob = EncodeSupportCounts(counts);
    PutVarint(Zigzag(day), &out);
    PutVarint(blob.size(), &out);
    out += blob;
  }
  return out;
}

absl::Status DecodeTicketFacts(absl::string_view blob, TicketFacts* facts) {
  size_t pos = 0;
  while (pos < blob.size()) {
    uint64_t day = 0, size = 0;
    if (!ReadVarint(blob, &pos, &day) || !ReadVarint(blob, &pos, &size) ||
        size > blob.size() - pos) {
      return support_internal::Malformed();
    }
    RETURN_IF_ERROR(
        DecodeSupportCounts(blob.substr(pos, size), &(*facts)[Unzigzag(day)]));
    pos += size;
  }
  return absl::OkStatus();
}

// What the ticket adds now, from its rows: nothing when it is deleted or
// its account has no cell (the accounts in scope of a report as of now).
absl::StatusOr<TicketFacts> CountTicket(sql::Transaction& txn,
                                        const std::string& tenant,
                                        const std::string& ticket_id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT t.mode, t.tier, t.create_us, t.first_response_us, "
                "t.solve_us, t.first_response_s, t.resolution_s, "
                "t.business_first_response_s, t.business_resolution_s, "
                "(SELECT x.status FROM ticket_versions x "
                "WHERE x.tenant = t.tenant AND x.ticket_id = t.ticket_id "
                "AND x.to_us = ?) FROM tickets t JOIN account_cells c "
                "ON c.tenant = t.tenant AND c.account_id = t.account_id "
                "WHERE t.tenant = ? AND t.ticket_id = ? AND t.deleted = 0",
                {kOpenEndUs, tenant, ticket_id}));
  TicketFacts facts;
  if (rows.empty()) return facts;
  const sql::Row& t = rows[0];
  const int64_t mode = t.Int(0);
  const int64_t tier = t.Int(1);
  const int64_t create_us = t.Int(2);
  // The counts of what happened at `at_us` (kBacklogDay: the backlog).
  const auto on = [&](int64_t at_us) {
    SupportCounts& day =
        facts[at_us == kBacklogDay ? kBacklogDay : DayOfUs(at_us)];
    return [&day, mode, tier](int64_t fact, int64_t code, int64_t count) {
      day[{mode, tier, fact, code}] += count;
    };
  };
  on(create_us)(kTicketsCreated, 0, 1);
  if (const std::optional<int64_t> reply_us = OptionalColumn(t, 3)) {
    CountReply(create_us, *reply_us, OptionalColumn(t, 5), OptionalColumn(t, 7),
               on(create_us));
  }
  if (const std::optional<int64_t> solve_us = OptionalColumn(t, 4)) {
    CountSolve(create_us, *solve_us, OptionalColumn(t, 6), OptionalColumn(t, 8),
               on(*solve_us));
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> clocks,
      txn.Query("SELECT breached, judged_us FROM sla_clocks "
                "WHERE tenant = ? AND ticket_id = ? AND judged_us IS NOT NULL",
                {tenant, ticket_id}));
  bool breached = false;
  for (const sql::Row& clock : clocks) {
    CountClock(clock.Int(0) != 0, on(clock.Int(1)));
    breached = breached || clock.Int(0) != 0;
  }
  ASSIGN_OR_RETURN(std::vector<sql::Row> responses,
                   txn.Query("SELECT rating, respond_us FROM csat_responses "
                             "INDEXED BY csat_responses_by_ticket "
                             "WHERE tenant = ? AND ticket_id = ?",
                             {tenant, ticket_id}));
  for (const sql::Row& response : responses) {
    CountRating(response.Int(0), on(response.Int(1)));
  }
  if (const std::optional<int64_t> status = OptionalColumn(t, 9);
      status.has_value() && IsWaitingTicketStatus(*status)) {
    on(kBacklogDay)(BacklogFact(!IsBacklogTicketStatus(*status), breached),
                    create_us, 1);
  }
  return facts;
}

// Adds `sign` times `add` to `into`.
void AddCounts(const SupportCounts& add, int64_t sign, SupportCounts* into) {
  for (const auto& [key, count] : add) (*into)[key] += sign * count;
}

// Replaces the blob of `table`'s row with key `key` (its `key_columns`) by
// `rewrite(old blob, "" for none)`, the row gone when that is "".
absl::Status RewriteBlob(
    sql::Transaction& txn, const std::string& table,
    const std::vector<std::string>& key_columns,
    const std::vector<sql::Value>& key,
    const std::function<absl::StatusOr<std::string>(absl::string_view)>&
        rewrite) {
  std::string where;
  std::string columns;
  std::string marks;
  for (const std::string& column : key_columns) {
    absl::StrAppend(&where, where.empty() ? "" : " AND ", column, " = ?");
    absl::StrAppend(&columns, column, ", ");
    absl::StrAppend(&marks, "?, ");
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT facts FROM ", table, " WHERE ", where),
                key));
  const std::string old = rows.empty() ? "" : rows[0].String(0);
  ASSIGN_OR_RETURN(std::string blob, rewrite(old));
  if (blob.empty()) {
    if (rows.empty()) return absl::OkStatus();
    return txn.Exec(absl::StrCat("DELETE FROM ", table, " WHERE ", where), key)
        .status();
  }
  std::vector<sql::Value> params = key;
  params.emplace_back(sql::Blob{std::move(blob)});
  return txn
      .Exec(absl::StrCat("INSERT INTO ", table, " (", columns,
                         "facts) VALUES (", marks,
                         "?) ON CONFLICT DO UPDATE SET facts = excluded.facts"),
            params)
      .status();
}

}  // namespace

absl::Status TouchAccountTickets(sql::Transaction& txn,
                                 const std::string& tenant,
                                 const std::string& account_id) {
  return txn
      .Exec(
          "INSERT INTO support_unsynced (tenant, ticket_id) "
          "SELECT tenant, ticket_id FROM tickets "
          "WHERE tenant = ? AND account_id = ? ON CONFLICT DO NOTHING",
          {tenant, account_id})
      .status();
}

absl::Status SyncSupportTickets(sql::Transaction& txn,
                                absl::btree_set<TicketKey> tickets) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> unsynced,
                   txn.Query("SELECT tenant, ticket_id FROM support_unsynced"));
  if (!unsynced.empty()) {
    for (const sql::Row& row : unsynced) {
      tickets.emplace(row.String(0), row.String(1));
    }
    RETURN_IF_ERROR(txn.Exec("DELETE FROM support_unsynced").status());
  }
  // (tenant, level, block_day) and tenant -> what to add.
  absl::btree_map<std::tuple<std::string, int, int64_t>, SupportCounts> blocks;
  absl::btree_map<std::string, SupportCounts> backlogs;
  for (const auto& [tenant, ticket_id] : tickets) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> stored,
                     txn.Query("SELECT facts FROM support_tickets "
                               "WHERE tenant = ? AND ticket_id = ?",
                               {tenant, ticket_id}));
    TicketFacts before;
    if (!stored.empty()) {
      RETURN_IF_ERROR(DecodeTicketFacts(stored[0].String(0), &before));
    }
    ASSIGN_OR_RETURN(TicketFacts after, CountTicket(txn, tenant, ticket_id));
    if (before == after) continue;
    for (const auto& [facts, sign] :
         {std::pair<const TicketFacts*, int64_t>{&before, -1},
          std::pair<const TicketFacts*, int64_t>{&after, 1}}) {
      for (const auto& [day, counts] : *facts) {
        if (day == kBacklogDay) {
          AddCounts(counts, sign, &backlogs[tenant]);
          continue;
        }
        for (int level = 0; level < kBlockLevels; ++level) {
          AddCounts(counts, sign,
                    &blocks[{tenant, level, BlockDay(day, level)}]);
        }
      }
    }
    if (after.empty()) {
      RETURN_IF_ERROR(txn.Exec("DELETE FROM support_tickets "
                               "WHERE tenant = ? AND ticket_id = ?",
                               {tenant, ticket_id})
                          .status());
    } else {
      RETURN_IF_ERROR(
          txn.Exec("INSERT INTO support_tickets (tenant, ticket_id, facts) "
                   "VALUES (?, ?, ?) ON CONFLICT (tenant, ticket_id) "
                   "DO UPDATE SET facts = excluded.facts",
                   {tenant, ticket_id, sql::Blob{EncodeTicketFacts(after)}})
              .status());
    }
  }
  for (const auto& [key, deltas] : blocks) {
    const auto& [tenant, level, block_day] = key;
    RETURN_IF_ERROR(RewriteBlob(
        txn, "support_blocks", {"tenant", "level", "block_day"},
        {tenant, int64_t{level}, block_day},
        [&deltas =
             deltas](absl::string_view old) -> absl::StatusOr<std::string> {
          SupportRows rows;
          RETURN_IF_ERROR(DecodeSupportRows(old, &rows));
          AddToSupportRows(deltas, 1, &rows);
          return EncodeSupportRows(rows);
        }));
  }
  for (const auto& [tenant, deltas] : backlogs) {
    RETURN_IF_ERROR(RewriteBlob(
        txn, "support_backlog", {"tenant"}, {tenant},
        [&deltas =
             deltas](absl::string_view old) -> absl::StatusOr<std::string> {
          SupportTimes times;
          RETURN_IF_ERROR(DecodeSupportTimes(old, &times));
          RETURN_IF_ERROR(AddToSupportTimes(deltas, 1, &times));
          return EncodeSupportTimes(times);
        }));
  }
  return absl::OkStatus();
}

absl::Status RefreshBacklogNow(sql::Transaction& txn,
                               const std::string& tenant) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT h.max_us, b.facts FROM report_horizon h "
                             "JOIN support_backlog b ON b.tenant = h.tenant "
                             "WHERE h.tenant = ?",
                             {tenant}));
  if (rows.empty()) {
    return txn
        .Exec("DELETE FROM support_backlog_now WHERE tenant = ?", {tenant})
        .status();
  }
  SupportTimes times;
  RETURN_IF_ERROR(DecodeSupportTimes(rows[0].String(1), &times));
  return txn
      .Exec(
          "INSERT INTO support_backlog_now (tenant, facts) VALUES (?, ?) "
          "ON CONFLICT (tenant) DO UPDATE SET facts = excluded.facts",
          {tenant, sql::Blob{EncodeBacklogNow(
                       SummarizeBacklog(times, rows[0].Int(0)))}})
      .status();
}

}  // namespace projector_internal

absl::Status SyncSupportWhereNeeded(sql::Database& db) {
  return db.Write([](sql::Transaction& txn) -> absl::Status {
    // Every transaction leaves support_unsynced empty and the summaries
    // current: only a migrated database has work here.
    ASSIGN_OR_RETURN(std::vector<sql::Row> tenants,
                     txn.Query("SELECT DISTINCT tenant FROM support_unsynced"));
    if (tenants.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(projector_internal::SyncSupportTickets(txn, {}));
    for (const sql::Row& tenant : tenants) {
      RETURN_IF_ERROR(
          projector_internal::RefreshBacklogNow(txn, tenant.String(0)));
    }
    return absl::OkStatus();
  });
}

}  // namespace clientele::reporting

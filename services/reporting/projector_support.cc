// The support report's and the workload's counted aggregates (migrations
// 10 and 11; projector_aggregates.h lists them): each ticket's facts
// (support_facts.h) and each follow-up's as last counted, and their sums per
// day block (support_blocks; workload_blocks, per agent) and for what waits
// now (support_backlog, follow_ups_open). A ticket or follow-up touched by
// an event, or whose account comes or goes, is counted again when the
// transaction's held writes are flushed, and the sums move by the
// difference.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_scope.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting {

const char kSupportAggregatesSql[] = R"sql(
-- What each ticket adds now (DayCounts' blob); no row for a ticket that
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

const char kWorkloadAgentAggregatesSql[] = R"sql(
-- A number for each staff user a count names (support_facts.h, AgentKey).
CREATE TABLE staff_numbers (
  number INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  staff_user TEXT NOT NULL,
  UNIQUE (tenant, staff_user)
);
-- The workload's per-agent flows summed per day block, as support_blocks.
CREATE TABLE workload_blocks (
  tenant TEXT NOT NULL,
  level INTEGER NOT NULL,
  block_day INTEGER NOT NULL,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, level, block_day)
) WITHOUT ROWID;
-- Every ticket counted again (now with its agents) at start.
INSERT INTO support_unsynced (tenant, ticket_id)
  SELECT tenant, ticket_id FROM tickets WHERE true ON CONFLICT DO NOTHING;
-- What each follow-up adds now (as support_tickets).
CREATE TABLE follow_up_counts (
  tenant TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  facts BLOB NOT NULL,
  PRIMARY KEY (tenant, follow_up_id)
) WITHOUT ROWID;
-- The open follow-ups' due times per assignee (a SupportTimes blob).
CREATE TABLE follow_ups_open (
  tenant TEXT NOT NULL PRIMARY KEY,
  facts BLOB NOT NULL
) WITHOUT ROWID;
-- Follow-ups to count again at the next flush, as support_unsynced; every
-- follow-up at start.
CREATE TABLE follow_ups_unsynced (
  tenant TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  PRIMARY KEY (tenant, follow_up_id)
) WITHOUT ROWID;
INSERT INTO follow_ups_unsynced (tenant, follow_up_id)
  SELECT tenant, follow_up_id FROM follow_ups;
-- A follow-up done after a report's as_of_time (workload_report.cc).
CREATE INDEX follow_ups_by_done ON follow_ups (tenant, done_us)
  WHERE done_us IS NOT NULL;
-- An account's follow-ups, counted again when it comes or goes
-- (TouchAccountWork): without it each touch reads every follow-up.
CREATE INDEX follow_ups_by_account ON follow_ups (tenant, account_id);
)sql";

namespace projector_internal {

using support_internal::PutVarint;
using support_internal::ReadVarint;
using support_internal::Unzigzag;
using support_internal::Zigzag;

std::string EncodeDayCounts(const DayCounts& facts) {
  std::string out;
  for (const auto& [day, counts] : facts) {
    const std::string blob = EncodeSupportCounts(counts);
    PutVarint(Zigzag(day), &out);
    PutVarint(blob.size(), &out);
    out += blob;
  }
  return out;
}

absl::Status DecodeDayCounts(absl::string_view blob, DayCounts* facts) {
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

absl::Status AddToBlockBlobs(sql::Transaction& txn, const std::string& table,
                             const BlockCounts& blocks) {
  for (const auto& [key, deltas] : blocks) {
    const auto& [tenant, level, block_day] = key;
    RETURN_IF_ERROR(RewriteBlob(
        txn, table, {"tenant", "level", "block_day"},
        {tenant, int64_t{level}, block_day},
        [&deltas =
             deltas](absl::string_view old) -> absl::StatusOr<std::string> {
          SupportRows rows;
          RETURN_IF_ERROR(DecodeSupportRows(old, &rows));
          AddToSupportRows(deltas, 1, &rows);
          return EncodeSupportRows(rows);
        }));
  }
  return absl::OkStatus();
}

namespace {

// The day of a ticket's backlog counts in DayCounts.
constexpr int64_t kBacklogDay = INT64_MIN;

// The staff users' numbers (staff_numbers), each given one the first time
// it counts; remembered for one flush.
class StaffNumbers {
 public:
  explicit StaffNumbers(sql::Transaction& txn) : txn_(txn) {}

  absl::StatusOr<int64_t> Of(const std::string& tenant,
                             const std::string& staff_user) {
    const auto key = std::make_pair(tenant, staff_user);
    if (const auto found = known_.find(key); found != known_.end()) {
      return found->second;
    }
    RETURN_IF_ERROR(txn_.Exec("INSERT INTO staff_numbers (tenant, staff_user) "
                              "VALUES (?, ?) ON CONFLICT DO NOTHING",
                              {tenant, staff_user})
                        .status());
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn_.Query("SELECT number FROM staff_numbers "
                                "WHERE tenant = ? AND staff_user = ?",
                                {tenant, staff_user}));
    return known_[key] = rows[0].Int(0);
  }

 private:
  sql::Transaction& txn_;
  std::map<std::pair<std::string, std::string>, int64_t> known_;
};

// The workload's counts of a ticket (the kAgent* facts): `versions` its
// (from_us, to_us, assignee) ascending, `t` and `clocks` CountTicket's rows,
// `responses` its CSAT responses (rating, respond_us, agent); each count to
// on(at_us)(key, count).
template <typename On>
absl::Status CountAgentFacts(const std::string& tenant,
                             const std::vector<sql::Row>& versions,
                             const sql::Row& t,
                             const std::vector<sql::Row>& clocks,
                             const std::vector<sql::Row>& responses,
                             StaffNumbers& numbers, On&& on) {
  // The agent (non-empty assignee) at `at_us`, if any: the version
  // starting last at or before it, if it lasts past it (versions do not
  // overlap).
  const auto agent_at = [&](int64_t at_us) -> const sql::Row* {
    const auto after =
        std::upper_bound(versions.begin(), versions.end(), at_us,
                         [](int64_t at, const sql::Row& version) {
                           return at < version.Int(0);
                         });
    if (after == versions.begin()) return nullptr;
    const sql::Row& version = *std::prev(after);
    if (at_us >= version.Int(1) || version.String(2).empty()) return nullptr;
    return &version;
  };
  const auto count = [&](const std::string& agent, int64_t at_us, int64_t fact,
                         int64_t code) -> absl::Status {
    ASSIGN_OR_RETURN(const int64_t number, numbers.Of(tenant, agent));
    on(at_us)(AgentKey(number, fact, code), 1);
    return absl::OkStatus();
  };
  // An assignment: a version whose assignee the version ending where it
  // starts did not have.
  absl::flat_hash_map<int64_t, std::vector<std::string>> ending_at;
  for (const sql::Row& version : versions) {
    ending_at[version.Int(1)].push_back(version.String(2));
  }
  for (const sql::Row& version : versions) {
    const std::string assignee = version.String(2);
    if (assignee.empty()) continue;
    bool kept = false;
    if (const auto found = ending_at.find(version.Int(0));
        found != ending_at.end()) {
      for (const std::string& before : found->second) {
        kept = kept || before == assignee;
      }
    }
    if (!kept) {
      RETURN_IF_ERROR(count(assignee, version.Int(0), kAgentAssigned, 0));
    }
  }
  const int64_t create_us = t.Int(2);
  if (const std::optional<int64_t> reply_us = OptionalColumn(t, 3)) {
    if (const sql::Row* version = agent_at(*reply_us)) {
      RETURN_IF_ERROR(count(version->String(2), create_us, kAgentFirstResponse,
                            DurationCode(DurationSeconds(
                                create_us, *reply_us, OptionalColumn(t, 5)))));
    }
  }
  if (const std::optional<int64_t> solve_us = OptionalColumn(t, 4)) {
    if (const sql::Row* version = agent_at(*solve_us)) {
      RETURN_IF_ERROR(count(version->String(2), *solve_us, kAgentSolved, 0));
    }
  }
  for (const sql::Row& clock : clocks) {
    if (clock.Int(0) == 0) continue;
    if (const sql::Row* version = agent_at(clock.Int(1))) {
      RETURN_IF_ERROR(
          count(version->String(2), clock.Int(1), kAgentBreaches, 0));
    }
  }
  for (const sql::Row& response : responses) {
    const std::string& agent = response.String(2);
    if (agent.empty()) continue;
    RETURN_IF_ERROR(count(agent, response.Int(1), kAgentCsat, 0));
    if (response.Int(0) >= 4) {
      RETURN_IF_ERROR(count(agent, response.Int(1), kAgentCsatGood, 0));
    }
  }
  return absl::OkStatus();
}

// What the ticket adds now, from its rows: nothing when it is deleted or
// its account has no cell (the accounts in scope of a report as of now).
absl::StatusOr<DayCounts> CountTicket(sql::Transaction& txn,
                                      const std::string& tenant,
                                      const std::string& ticket_id,
                                      StaffNumbers& numbers) {
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
  DayCounts facts;
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
  // The same for a count already keyed (the workload's).
  const auto on_key = [&](int64_t at_us) {
    SupportCounts& day = facts[DayOfUs(at_us)];
    return [&day](const SupportKey& key, int64_t count) { day[key] += count; };
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
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> responses,
      txn.Query("SELECT rating, respond_us, agent FROM csat_responses "
                "INDEXED BY csat_responses_by_ticket "
                "WHERE tenant = ? AND ticket_id = ?",
                {tenant, ticket_id}));
  for (const sql::Row& response : responses) {
    CountRating(response.Int(0), on(response.Int(1)));
  }
  ASSIGN_OR_RETURN(std::vector<sql::Row> versions,
                   txn.Query("SELECT from_us, to_us, assignee "
                             "FROM ticket_versions WHERE tenant = ? AND "
                             "ticket_id = ? ORDER BY from_us",
                             {tenant, ticket_id}));
  RETURN_IF_ERROR(
      CountAgentFacts(tenant, versions, t, clocks, responses, numbers, on_key));
  if (const std::optional<int64_t> status = OptionalColumn(t, 9);
      status.has_value() && IsWaitingTicketStatus(*status)) {
    on(kBacklogDay)(BacklogFact(!IsBacklogTicketStatus(*status), breached),
                    create_us, 1);
  }
  return facts;
}

// What the follow-up adds now: to its assignee, while open its due time,
// once completed a completion on its day; nothing when it has no assignee
// or its account no cell.
absl::StatusOr<DayCounts> CountFollowUp(sql::Transaction& txn,
                                        const std::string& tenant,
                                        const std::string& follow_up_id,
                                        StaffNumbers& numbers) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT f.assignee, f.due_us, f.done_us, f.completed "
                "FROM follow_ups f JOIN account_cells c ON c.tenant = "
                "f.tenant AND c.account_id = f.account_id "
                "WHERE f.tenant = ? AND f.follow_up_id = ?",
                {tenant, follow_up_id}));
  DayCounts facts;
  if (rows.empty() || rows[0].String(0).empty()) return facts;
  const sql::Row& f = rows[0];
  ASSIGN_OR_RETURN(const int64_t number, numbers.Of(tenant, f.String(0)));
  if (f.IsNull(2)) {
    facts[kBacklogDay][AgentKey(number, kFollowUpOpen, f.Int(1))] = 1;
  } else if (f.Int(3) != 0) {
    facts[DayOfUs(f.Int(2))][AgentKey(number, kFollowUpCompleted, 0)] = 1;
  }
  return facts;
}

// Adds `sign` times `add` to `into`.
void AddCounts(const SupportCounts& add, int64_t sign, SupportCounts* into) {
  for (const auto& [key, count] : add) (*into)[key] += sign * count;
}

}  // namespace

absl::Status TouchAccountWork(sql::Transaction& txn, const std::string& tenant,
                              const std::string& account_id) {
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO support_unsynced (tenant, ticket_id) "
               "SELECT tenant, ticket_id FROM tickets "
               "WHERE tenant = ? AND account_id = ? ON CONFLICT DO NOTHING",
               {tenant, account_id})
          .status());
  return txn
      .Exec(
          "INSERT INTO follow_ups_unsynced (tenant, follow_up_id) "
          "SELECT tenant, follow_up_id FROM follow_ups "
          "WHERE tenant = ? AND account_id = ? ON CONFLICT DO NOTHING",
          {tenant, account_id})
      .status();
}

absl::Status SyncCounts(sql::Transaction& txn,
                        absl::btree_set<TicketKey> tickets,
                        absl::btree_set<TicketKey> follow_ups) {
  // (tenant, level, block_day) and tenant -> what to add: the support
  // report's and the workload's (agent_blocks); the tickets waiting and the
  // follow-ups open.
  using Blocks = BlockCounts;
  using Waiting = absl::btree_map<std::string, SupportCounts>;
  Blocks blocks;
  Blocks agent_blocks;
  Waiting backlogs;
  Waiting open_follow_ups;
  StaffNumbers numbers(txn);
  // How each kind of item counts: its stored counts' and unsynced tables,
  // where its waiting counts go and how it is counted.
  struct Kind {
    const char* stored;
    const char* id_column;
    const char* unsynced;
    Waiting* waiting;
    absl::StatusOr<DayCounts> (*count)(sql::Transaction&, const std::string&,
                                       const std::string&, StaffNumbers&);
    absl::btree_set<TicketKey>* items;
  };
  for (const Kind& kind :
       {Kind{"support_tickets", "ticket_id", "support_unsynced", &backlogs,
             &CountTicket, &tickets},
        Kind{"follow_up_counts", "follow_up_id", "follow_ups_unsynced",
             &open_follow_ups, &CountFollowUp, &follow_ups}}) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> unsynced,
                     txn.Query(absl::StrCat("SELECT tenant, ", kind.id_column,
                                            " FROM ", kind.unsynced)));
    if (!unsynced.empty()) {
      for (const sql::Row& row : unsynced) {
        kind.items->emplace(row.String(0), row.String(1));
      }
      RETURN_IF_ERROR(
          txn.Exec(absl::StrCat("DELETE FROM ", kind.unsynced)).status());
    }
    for (const auto& [tenant, id] : *kind.items) {
      ASSIGN_OR_RETURN(std::vector<sql::Row> stored,
                       txn.Query(absl::StrCat("SELECT facts FROM ", kind.stored,
                                              " WHERE tenant = ? AND ",
                                              kind.id_column, " = ?"),
                                 {tenant, id}));
      DayCounts before;
      if (!stored.empty()) {
        RETURN_IF_ERROR(DecodeDayCounts(stored[0].String(0), &before));
      }
      ASSIGN_OR_RETURN(DayCounts after, kind.count(txn, tenant, id, numbers));
      if (before == after) continue;
      for (const auto& [facts, sign] :
           {std::pair<const DayCounts*, int64_t>{&before, -1},
            std::pair<const DayCounts*, int64_t>{&after, 1}}) {
        for (const auto& [day, counts] : *facts) {
          if (day == kBacklogDay) {
            AddCounts(counts, sign, &(*kind.waiting)[tenant]);
            continue;
          }
          for (int level = 0; level < kBlockLevels; ++level) {
            const std::tuple<std::string, int, int64_t> block = {
                tenant, level, BlockDay(day, level)};
            for (const auto& [key, count] : counts) {
              Blocks& into = IsWorkloadFact(key.fact) ? agent_blocks : blocks;
              into[block][key] += sign * count;
            }
          }
        }
      }
      if (after.empty()) {
        RETURN_IF_ERROR(txn.Exec(absl::StrCat("DELETE FROM ", kind.stored,
                                              " WHERE tenant = ? AND ",
                                              kind.id_column, " = ?"),
                                 {tenant, id})
                            .status());
      } else {
        RETURN_IF_ERROR(
            txn.Exec(absl::StrCat("INSERT INTO ", kind.stored, " (tenant, ",
                                  kind.id_column,
                                  ", facts) VALUES (?, ?, ?) ON CONFLICT "
                                  "DO UPDATE SET facts = excluded.facts"),
                     {tenant, id, sql::Blob{EncodeDayCounts(after)}})
                .status());
      }
    }
  }
  RETURN_IF_ERROR(AddToBlockBlobs(txn, "support_blocks", blocks));
  RETURN_IF_ERROR(AddToBlockBlobs(txn, "workload_blocks", agent_blocks));
  for (const auto& [table, sums] :
       {std::pair<const char*, const Waiting*>{"support_backlog", &backlogs},
        std::pair<const char*, const Waiting*>{"follow_ups_open",
                                               &open_follow_ups}}) {
    for (const auto& [tenant, deltas] : *sums) {
      RETURN_IF_ERROR(RewriteBlob(
          txn, table, {"tenant"}, {tenant},
          [&deltas =
               deltas](absl::string_view old) -> absl::StatusOr<std::string> {
            SupportTimes times;
            RETURN_IF_ERROR(DecodeSupportTimes(old, &times));
            RETURN_IF_ERROR(AddToSupportTimes(deltas, 1, &times));
            return EncodeSupportTimes(times);
          }));
    }
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

absl::Status SyncCountsWhereNeeded(sql::Database& db) {
  return db.Write([](sql::Transaction& txn) -> absl::Status {
    // Every transaction leaves the unsynced tables empty and the summaries
    // current: only a migrated database has work here.
    ASSIGN_OR_RETURN(std::vector<sql::Row> tenants,
                     txn.Query("SELECT tenant FROM support_unsynced UNION "
                               "SELECT tenant FROM follow_ups_unsynced"));
    ASSIGN_OR_RETURN(std::vector<sql::Row> funnel,
                     txn.Query("SELECT 1 FROM funnel_unsynced LIMIT 1"));
    if (!funnel.empty()) {
      RETURN_IF_ERROR(projector_internal::SyncFunnelAccounts(txn, {}));
    }
    if (tenants.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(projector_internal::SyncCounts(txn, {}, {}));
    for (const sql::Row& tenant : tenants) {
      RETURN_IF_ERROR(
          projector_internal::RefreshBacklogNow(txn, tenant.String(0)));
    }
    return absl::OkStatus();
  });
}

}  // namespace clientele::reporting

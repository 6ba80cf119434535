#include "services/reporting/support_report.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/reporting/report_blocks.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/support_facts.h"
#include "services/reporting/support_tally.h"

namespace clientele::reporting {
namespace {

using support_tally::SupportTallies;

// What one row of a support query counts in.
enum class Figure { kCreated, kSolved, kCsat, kSla, kBacklog };

// Every query selects t.mode, t.tier, t.account_id first (the ticket's
// slice and account), then its figure's columns.
enum TicketColumn : size_t {
  kTicketMode = 0,
  kTicketTier,
  kTicketAccount,
  kFirst
};

struct FigureQuery {
  Figure figure;
  std::string sql;
  std::vector<sql::Value> params;
};

// `accounts`: ScopedAccountCells' (only account_id is read). The flows
// over [start_us, end_us); the backlog at as_of with `backlog`.
std::vector<FigureQuery> Queries(const ReportScope& scope,
                                 const SqlFragment& accounts, int64_t start_us,
                                 int64_t end_us, bool backlog) {
  const std::string tickets =
      absl::StrCat(" JOIN (", accounts.sql,
                   ") AS a ON a.account_id = t.account_id WHERE t.tenant = ? "
                   "AND t.deleted = 0");
  // The scoped accounts' values, the tenant's, then `rest`.
  const auto params = [&](std::vector<sql::Value> before,
                          std::vector<sql::Value> rest) {
    std::vector<sql::Value> out = std::move(before);
    out.insert(out.end(), accounts.params.begin(), accounts.params.end());
    out.emplace_back(scope.tenant);
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  };
  const std::string of_ticket =
      "JOIN tickets t ON t.tenant = x.tenant AND t.ticket_id = x.ticket_id";
  std::vector<FigureQuery> queries;
  if (start_us < end_us) {
    queries.push_back(
        {Figure::kCreated,
         absl::StrCat("SELECT t.mode, t.tier, t.account_id, t.create_us, "
                      "t.first_response_us, t.first_response_s, "
                      "t.business_first_response_s FROM tickets t",
                      tickets, " AND t.create_us >= ? AND t.create_us < ?"),
         params({}, {start_us, end_us})});
    queries.push_back(
        {Figure::kSolved,
         absl::StrCat("SELECT t.mode, t.tier, t.account_id, t.create_us, "
                      "t.solve_us, t.resolution_s, t.business_resolution_s "
                      "FROM tickets t",
                      tickets, " AND t.solve_us >= ? AND t.solve_us < ?"),
         params({}, {start_us, end_us})});
    queries.push_back(
        {Figure::kCsat,
         absl::StrCat("SELECT t.mode, t.tier, t.account_id, x.rating "
                      "FROM csat_responses x ",
                      of_ticket, tickets,
                      " AND x.respond_us >= ? AND x.respond_us < ?"),
         params({}, {start_us, end_us})});
    queries.push_back(
        {Figure::kSla,
         absl::StrCat("SELECT t.mode, t.tier, t.account_id, x.breached "
                      "FROM sla_clocks x ",
                      of_ticket, tickets,
                      " AND x.judged_us >= ? AND x.judged_us < ?"),
         params({}, {start_us, end_us})});
  }
  if (!backlog) return queries;
  // A clock counts as breached at as_of once it was judged breached then.
  // +s.judged_us: the ticket's clocks by primary key; through
  // sla_clocks_by_judged SQLite would read every judged clock of the tenant
  // for each ticket (quadratic).
  queries.push_back(
      {Figure::kBacklog,
       absl::StrCat(
           "SELECT t.mode, t.tier, t.account_id, t.create_us, x.status, "
           "EXISTS (SELECT 1 FROM sla_clocks s WHERE s.tenant = t.tenant "
           "AND s.ticket_id = t.ticket_id AND s.breached = 1 "
           "AND +s.judged_us <= ?) FROM ticket_versions x ",
           of_ticket, tickets,
           " AND x.from_us <= ? AND ? < x.to_us AND x.status IN (",
           kWaitingTicketStatusesSql, ")"),
       params({scope.as_of_us}, {scope.as_of_us, scope.as_of_us})});
  return queries;
}

// Runs the support queries of `accounts` (Queries' arguments), handing each
// row to `visit`.
absl::Status VisitTickets(
    sql::Transaction& txn, const ReportScope& scope,
    const SqlFragment& accounts, int64_t start_us, int64_t end_us, bool backlog,
    const std::function<void(Figure, const sql::Row&)>& visit) {
  for (const FigureQuery& query :
       Queries(scope, accounts, start_us, end_us, backlog)) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(query.sql, query.params));
    for (const sql::Row& row : rows) visit(query.figure, row);
  }
  return absl::OkStatus();
}

// The counts (support_facts.h) of one query row, as the projector counts a
// ticket (projector_support.cc), each handed to `count`.
template <typename Count>
void CountRow(Figure figure, const sql::Row& row, int64_t as_of_us,
              Count&& count) {
  const int64_t mode = row.Int(kTicketMode);
  const int64_t tier = row.Int(kTicketTier);
  const auto add = [&](int64_t fact, int64_t code, int64_t n) {
    count(SupportKey{mode, tier, fact, code}, n);
  };
  switch (figure) {
    case Figure::kCreated: {
      add(kTicketsCreated, 0, 1);
      const std::optional<int64_t> reply_us = OptionalColumn(row, kFirst + 1);
      if (reply_us.has_value() && *reply_us <= as_of_us) {
        CountReply(row.Int(kFirst), *reply_us, OptionalColumn(row, kFirst + 2),
                   OptionalColumn(row, kFirst + 3), add);
      }
      break;
    }
    case Figure::kSolved:
      CountSolve(row.Int(kFirst), row.Int(kFirst + 1),
                 OptionalColumn(row, kFirst + 2),
                 OptionalColumn(row, kFirst + 3), add);
      break;
    case Figure::kCsat:
      CountRating(row.Int(kFirst), add);
      break;
    case Figure::kSla:
      CountClock(row.Int(kFirst) != 0, add);
      break;
    case Figure::kBacklog:
      add(BacklogFact(row.Int(kFirst + 1) == events::v1::TICKET_STATUS_ON_HOLD,
                      row.Int(kFirst + 2) != 0),
          row.Int(kFirst), 1);
      break;
  }
}

// The maintained counts (projector_support.cc) of the report's whole days
// and of the backlog now; the partial days at the range's ends from the
// tickets. FastPath must hold and the filter must be empty.
absl::Status CountFromAggregates(sql::Transaction& txn,
                                 const ReportScope& scope,
                                 SupportTallies* tallies) {
  const auto add = [tallies](const SupportKey& key, int64_t count) {
    tallies->Add(key, count);
  };
  const SplitRange split = SplitTimeRange(scope.start_us, scope.end_us);
  RETURN_IF_ERROR(VisitBlockRows(
      txn, "support_blocks", scope.tenant, split.first_day, split.end_day,
      [tallies](int64_t sign, const SupportRowKey& key, int64_t first, size_t n,
                const auto& count) {
        if (sign == 1) {
          tallies->AddRow(key, first, n, count);
        } else {
          tallies->AddRow(key, first, n,
                          [&count, sign](size_t j) { return sign * count(j); });
        }
      }));
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> backlog,
      txn.Query("SELECT facts FROM support_backlog_now WHERE tenant = ?",
                {scope.tenant}));
  if (!backlog.empty()) {
    BacklogNow now;
    std::string held;
    RETURN_IF_ERROR(DecodeBacklogNow(BlobOf(backlog[0], &held), &now));
    tallies->SetBacklog(std::move(now), scope.as_of_us);
  }
  const SqlFragment accounts = ScopedAccountCells(scope, /*fast=*/true);
  const auto visit = [&](Figure figure, const sql::Row& row) {
    CountRow(figure, row, scope.as_of_us, add);
  };
  RETURN_IF_ERROR(VisitTickets(txn, scope, accounts, split.start_us,
                               split.head_end_us, /*backlog=*/false, visit));
  return VisitTickets(txn, scope, accounts, split.tail_start_us, split.end_us,
                      /*backlog=*/false, visit);
}

}  // namespace

absl::StatusOr<v1::SupportReport> BuildSupportReport(sql::Transaction& txn,
                                                     const ReportScope& scope) {
  v1::SupportReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  SupportTallies tallies;
  bool counted = fast && Unfiltered(scope.filter);
  if (counted) {
    ASSIGN_OR_RETURN(const bool after, TicketFactsAfterAsOf(txn, scope));
    counted = !after;
  }
  if (counted) {
    RETURN_IF_ERROR(CountFromAggregates(txn, scope, &tallies));
  } else {
    RETURN_IF_ERROR(
        VisitTickets(txn, scope, ScopedAccountCells(scope, fast),
                     scope.start_us, scope.end_us, /*backlog=*/true,
                     [&](Figure figure, const sql::Row& row) {
                       CountRow(figure, row, scope.as_of_us,
                                [&](const SupportKey& key, int64_t count) {
                                  tallies.Add(key, count);
                                });
                     }));
    tallies.SummarizeRowsBacklog(scope.as_of_us);
  }
  tallies.Fill(scope.as_of_us, &report);
  return report;
}

absl::StatusOr<std::vector<std::string>> SupportAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::SupportAggregate& aggregate) {
  if (!type::v1::RelationshipMode_IsValid(aggregate.mode())) {
    return InvalidFieldError(
        "aggregate.support.mode",
        absl::StrCat("unknown value ", static_cast<int>(aggregate.mode())));
  }
  if (!type::v1::AccountTier_IsValid(aggregate.tier())) {
    return InvalidFieldError(
        "aggregate.support.tier",
        absl::StrCat("unknown value ", static_cast<int>(aggregate.tier())));
  }
  const bool overall =
      aggregate.mode() == type::v1::RELATIONSHIP_MODE_UNSPECIFIED &&
      aggregate.tier() == type::v1::ACCOUNT_TIER_UNSPECIFIED;
  std::set<std::string> accounts;
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  RETURN_IF_ERROR(VisitTickets(
      txn, scope, ScopedAccountCells(scope, fast), scope.start_us, scope.end_us,
      /*backlog=*/true, [&](Figure figure, const sql::Row& row) {
        if (!overall && (row.Int(kTicketMode) != aggregate.mode() ||
                         row.Int(kTicketTier) != aggregate.tier())) {
          return;
        }
        if (aggregate.backlog_only() &&
            (figure != Figure::kBacklog ||
             row.Int(kFirst + 1) == events::v1::TICKET_STATUS_ON_HOLD)) {
          return;
        }
        accounts.insert(row.String(kTicketAccount));
      }));
  return std::vector<std::string>(accounts.begin(), accounts.end());
}

}  // namespace clientele::reporting

#include "services/reporting/support_report.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_stats.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kSecondUs = 1000000;
constexpr int64_t kDayUs = int64_t{86400} * kSecondUs;
// The backlog's age buckets' bounds, in days: [0, 1), [1, 3), [3, 7),
// [7, 30), [30, ...).
constexpr std::array<int64_t, 4> kBacklogBoundDays = {1, 3, 7, 30};

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

// `accounts`: ScopedAccountCells' (only account_id is read).
std::vector<FigureQuery> Queries(const ReportScope& scope,
                                 const SqlFragment& accounts) {
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
  queries.push_back(
      {Figure::kCreated,
       absl::StrCat("SELECT t.mode, t.tier, t.account_id, t.create_us, "
                    "t.first_response_us, t.first_response_s, "
                    "t.business_first_response_s FROM tickets t",
                    tickets, " AND t.create_us >= ? AND t.create_us < ?"),
       params({}, {scope.start_us, scope.end_us})});
  queries.push_back(
      {Figure::kSolved,
       absl::StrCat("SELECT t.mode, t.tier, t.account_id, t.create_us, "
                    "t.solve_us, t.resolution_s, t.business_resolution_s "
                    "FROM tickets t",
                    tickets, " AND t.solve_us >= ? AND t.solve_us < ?"),
       params({}, {scope.start_us, scope.end_us})});
  queries.push_back(
      {Figure::kCsat,
       absl::StrCat("SELECT t.mode, t.tier, t.account_id, x.rating "
                    "FROM csat_responses x ",
                    of_ticket, tickets,
                    " AND x.respond_us >= ? AND x.respond_us < ?"),
       params({}, {scope.start_us, scope.end_us})});
  queries.push_back(
      {Figure::kSla,
       absl::StrCat("SELECT t.mode, t.tier, t.account_id, x.breached "
                    "FROM sla_clocks x ",
                    of_ticket, tickets,
                    " AND x.judged_us >= ? AND x.judged_us < ?"),
       params({}, {scope.start_us, scope.end_us})});
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

// Runs every support query, handing each row to `visit`.
absl::Status VisitTickets(
    sql::Transaction& txn, const ReportScope& scope,
    const std::function<void(Figure, const sql::Row&)>& visit) {
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  const SqlFragment accounts = ScopedAccountCells(scope, fast);
  for (const FigureQuery& query : Queries(scope, accounts)) {
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(query.sql, query.params));
    for (const sql::Row& row : rows) visit(query.figure, row);
  }
  return absl::OkStatus();
}

// Whole seconds from `from_us` to `to_us`, never negative.
int64_t SecondsBetween(int64_t from_us, int64_t to_us) {
  return std::max<int64_t>(0, (to_us - from_us) / kSecondUs);
}

// A SupportMetrics duration field, by its mutable accessor.
using DurationField = google::protobuf::Duration* (v1::SupportMetrics::*)();

// Sets the `median` and `p90` fields of `out` from `values` (seconds),
// unless it is empty (then they stay unset).
void SetPercentiles(std::vector<int64_t>& values, DurationField median,
                    DurationField p90, v1::SupportMetrics* out) {
  if (values.empty()) return;
  *(out->*median)() = Seconds(NearestRankPercentile(values, 50));
  *(out->*p90)() = Seconds(NearestRankPercentile(values, 90));
}

// The figures of one slice (or of all tickets) as the rows come.
class SupportFacts {
 public:
  explicit SupportFacts(int64_t as_of_us) : as_of_us_(as_of_us) {}

  void Add(Figure figure, const sql::Row& row) {
    switch (figure) {
      case Figure::kCreated: {
        ++created_;
        const int64_t create_us = row.Int(kFirst);
        if (row.IsNull(kFirst + 1) || row.Int(kFirst + 1) > as_of_us_) break;
        // Until the solve publishes the paused-excluded durations, the
        // reply's elapsed time from creation.
        const int64_t elapsed =
            row.IsNull(kFirst + 2)
                ? SecondsBetween(create_us, row.Int(kFirst + 1))
                : row.Int(kFirst + 2);
        first_response_.push_back(elapsed);
        business_first_response_.push_back(
            row.IsNull(kFirst + 3) ? elapsed : row.Int(kFirst + 3));
        break;
      }
      case Figure::kSolved: {
        ++solved_;
        const int64_t elapsed =
            row.IsNull(kFirst + 2)
                ? SecondsBetween(row.Int(kFirst), row.Int(kFirst + 1))
                : row.Int(kFirst + 2);
        resolution_.push_back(elapsed);
        business_resolution_.push_back(
            row.IsNull(kFirst + 3) ? elapsed : row.Int(kFirst + 3));
        break;
      }
      case Figure::kCsat: {
        const int64_t rating = row.Int(kFirst);
        ++csat_;
        csat_sum_ += rating;
        if (rating >= 4) ++csat_good_;
        break;
      }
      case Figure::kSla:
        ++clocks_;
        if (row.Int(kFirst) != 0) ++breaches_;
        break;
      case Figure::kBacklog:
        if (row.Int(kFirst + 1) == events::v1::TICKET_STATUS_ON_HOLD) {
          ++on_hold_;
          break;
        }
        ++backlog_;
        if (row.Int(kFirst + 2) != 0) ++backlog_breached_;
        backlog_age_us_.push_back(
            std::max<int64_t>(0, as_of_us_ - row.Int(kFirst)));
        break;
    }
  }

  void Fill(v1::SupportMetrics* out) {
    out->set_tickets_created(Count32(created_));
    out->set_tickets_solved(Count32(solved_));
    out->set_csat_responses(Count32(csat_));
    out->set_csat_rate(Rate(csat_good_, csat_));
    out->set_average_csat_rating(csat_ == 0 ? 0.0
                                            : static_cast<double>(csat_sum_) /
                                                  static_cast<double>(csat_));
    out->set_sla_clocks(Count32(clocks_));
    out->set_sla_breaches(Count32(breaches_));
    out->set_sla_compliance_rate(Rate(clocks_ - breaches_, clocks_));
    using M = v1::SupportMetrics;
    SetPercentiles(first_response_, &M::mutable_median_first_response,
                   &M::mutable_p90_first_response, out);
    SetPercentiles(resolution_, &M::mutable_median_resolution,
                   &M::mutable_p90_resolution, out);
    SetPercentiles(business_first_response_,
                   &M::mutable_business_median_first_response,
                   &M::mutable_business_p90_first_response, out);
    SetPercentiles(business_resolution_, &M::mutable_business_median_resolution,
                   &M::mutable_business_p90_resolution, out);
    out->set_backlog(Count32(backlog_));
    out->set_backlog_breached(Count32(backlog_breached_));
    out->set_on_hold(Count32(on_hold_));
    std::array<int64_t, kBacklogBoundDays.size() + 1> buckets{};
    for (const int64_t age : backlog_age_us_) {
      size_t bucket = 0;
      while (bucket < kBacklogBoundDays.size() &&
             age >= kBacklogBoundDays[bucket] * kDayUs) {
        ++bucket;
      }
      ++buckets[bucket];
    }
    for (size_t b = 0; b < buckets.size(); ++b) {
      v1::BacklogAgeBucket* bucket = out->add_backlog_by_age();
      *bucket->mutable_min_age() =
          Seconds(b == 0 ? 0 : kBacklogBoundDays[b - 1] * 86400);
      if (b < kBacklogBoundDays.size()) {
        *bucket->mutable_max_age() = Seconds(kBacklogBoundDays[b] * 86400);
      }
      bucket->set_ticket_count(Count32(buckets[b]));
    }
    if (!backlog_age_us_.empty()) {
      *out->mutable_median_backlog_age() =
          Micros(NearestRankPercentile(backlog_age_us_, 50));
      *out->mutable_oldest_backlog_age() = Micros(backlog_age_us_.back());
    }
  }

 private:
  int64_t as_of_us_;
  int64_t created_ = 0;
  int64_t solved_ = 0;
  int64_t csat_ = 0;
  int64_t csat_good_ = 0;
  int64_t csat_sum_ = 0;
  int64_t clocks_ = 0;
  int64_t breaches_ = 0;
  int64_t backlog_ = 0;
  int64_t backlog_breached_ = 0;
  int64_t on_hold_ = 0;
  std::vector<int64_t> first_response_;
  std::vector<int64_t> business_first_response_;
  std::vector<int64_t> resolution_;
  std::vector<int64_t> business_resolution_;
  std::vector<int64_t> backlog_age_us_;
};

}  // namespace

absl::StatusOr<v1::SupportReport> BuildSupportReport(sql::Transaction& txn,
                                                     const ReportScope& scope) {
  v1::SupportReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));
  SupportFacts overall(scope.as_of_us);
  std::map<std::pair<int64_t, int64_t>, SupportFacts> slices;
  RETURN_IF_ERROR(
      VisitTickets(txn, scope, [&](Figure figure, const sql::Row& row) {
        overall.Add(figure, row);
        slices
            .try_emplace({row.Int(kTicketMode), row.Int(kTicketTier)},
                         scope.as_of_us)
            .first->second.Add(figure, row);
      }));
  overall.Fill(report.mutable_overall());
  for (auto& [key, facts] : slices) {
    v1::SupportSlice* slice = report.add_slices();
    slice->set_mode(static_cast<type::v1::RelationshipMode>(key.first));
    slice->set_tier(static_cast<type::v1::AccountTier>(key.second));
    facts.Fill(slice->mutable_metrics());
  }
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
  RETURN_IF_ERROR(
      VisitTickets(txn, scope, [&](Figure figure, const sql::Row& row) {
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

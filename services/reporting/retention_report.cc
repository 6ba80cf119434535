#include "services/reporting/retention_report.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/cohort_periods.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_request.h"
#include "services/reporting/report_stats.h"

namespace clientele::reporting {
namespace {

using type::v1::RelationshipMode;

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// Split rows come in this order of modes.
constexpr std::array<RelationshipMode, 4> kRowModes = {
    type::v1::RELATIONSHIP_MODE_CUSTOMER,
    type::v1::RELATIONSHIP_MODE_TRANSITIONING,
    type::v1::RELATIONSHIP_MODE_CLIENT,
    type::v1::RELATIONSHIP_MODE_UNSPECIFIED,
};

int ModeRank(RelationshipMode mode) {
  return static_cast<int>(std::find(kRowModes.begin(), kRowModes.end(), mode) -
                          kRowModes.begin());
}

// The cohorts and periods of a request. Periods are numbered from the
// first cohort's (p = 0); cohort c is period c.
struct Layout {
  v1::CohortPeriod period = v1::COHORT_PERIOD_MONTH;
  int64_t first_index = 0;
  int cohorts = 0;
  // Periods that started before as_of (points are drawn up to them).
  int periods = 0;
  // Acquisition days in the range: [first_day, last_day].
  int64_t first_day = 0;
  int64_t last_day = 0;

  int64_t StartDay(int p) const {
    return DayOfCivil(PeriodStartOf(first_index + p, period));
  }
};

absl::StatusOr<Layout> MakeLayout(const ReportScope& scope,
                                  const RetentionOptions& options) {
  Layout layout;
  if (!v1::CohortPeriod_IsValid(options.period)) {
    return InvalidFieldError("period",
                             absl::StrCat("unknown value ", options.period));
  }
  if (options.period != v1::COHORT_PERIOD_UNSPECIFIED) {
    layout.period = options.period;
  }
  layout.first_day = DayOfUs(scope.start_us);
  layout.last_day = DayOfUs(scope.end_us - 1);
  layout.first_index =
      PeriodIndexOf(CivilOfDay(layout.first_day), layout.period);
  const int64_t cohorts = std::max<int64_t>(
      0, PeriodIndexOf(CivilOfDay(layout.last_day), layout.period) -
             layout.first_index + 1);
  if (scope.end_us <= scope.start_us || cohorts > kMaxCohorts) {
    return InvalidFieldError(
        "time_range", absl::StrCat("spans ", cohorts,
                                   " cohorts; between 1 "
                                   "and ",
                                   kMaxCohorts, " (use a longer period)"));
  }
  layout.cohorts = static_cast<int>(cohorts);
  const int64_t first_start_us = layout.StartDay(0) * kDayUs;
  int64_t periods = 0;
  if (scope.as_of_us > first_start_us) {
    periods =
        PeriodIndexOf(CivilOfDay(DayOfUs(scope.as_of_us - 1)), layout.period) -
        layout.first_index + 1;
  }
  if (periods > kMaxRetentionPeriods) {
    return InvalidFieldError(
        "time_range",
        absl::StrCat("the first cohort starts ", periods,
                     " periods before as_of_time; at most ",
                     kMaxRetentionPeriods,
                     " (use a longer period or a later time_range)"));
  }
  layout.periods = static_cast<int>(periods);
  return layout;
}

// A contract as days, both ends inclusive, unbounded where unset.
struct Contract {
  int64_t start_day = INT64_MIN;
  int64_t end_day = INT64_MAX;
};

// One account of a cohort.
struct Member {
  int cohort = 0;
  RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  int row = 0;
  std::vector<Contract> contracts;
  int64_t revenue0 = 0;    // in its acquisition period
  int active_period = -1;  // the last period it was found active in
};

// The cohorts' accounts, with the contracts recorded for them up to as_of.
absl::StatusOr<absl::flat_hash_map<std::string, Member>> LoadMembers(
    sql::Transaction& txn, const ReportScope& scope, const Layout& layout) {
  const SqlFragment accounts = ScopedAccounts(scope);
  std::vector<sql::Value> params = accounts.params;
  params.insert(params.end(), {layout.first_day, layout.last_day});
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT a.account_id, a.acquisition_day, a.mode "
                             "FROM (",
                             accounts.sql,
                             ") AS a WHERE a.acquisition_day >= ? AND "
                             "a.acquisition_day <= ?"),
                params));
  absl::flat_hash_map<std::string, Member> members;
  for (const sql::Row& row : rows) {
    auto [it, inserted] = members.try_emplace(row.String(0));
    if (!inserted) continue;
    Member& member = it->second;
    member.cohort =
        static_cast<int>(PeriodIndexOf(CivilOfDay(row.Int(1)), layout.period) -
                         layout.first_index);
    const int64_t mode = row.Int(2);
    member.mode = type::v1::RelationshipMode_IsValid(static_cast<int>(mode))
                      ? static_cast<RelationshipMode>(mode)
                      : type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  }
  // Their contracts, in a query of their own: joined to the accounts above,
  // the distinct contracts were scanned once per account (quadratic).
  ASSIGN_OR_RETURN(std::vector<sql::Row> contracts,
                   txn.Query("SELECT DISTINCT account_id, contract_start_day, "
                             "contract_end_day FROM account_versions "
                             "WHERE tenant = ? AND from_us <= ? AND "
                             "(contract_start_day IS NOT NULL OR "
                             "contract_end_day IS NOT NULL)",
                             {scope.tenant, scope.as_of_us}));
  for (const sql::Row& row : contracts) {
    const auto it = members.find(row.String(0));
    if (it == members.end()) continue;
    Contract contract;
    if (!row.IsNull(1)) contract.start_day = row.Int(1);
    if (!row.IsNull(2)) contract.end_day = row.Int(2);
    it->second.contracts.push_back(contract);
  }
  return members;
}

// Revenue (in scope.currency) and revenue interactions (any currency) per
// account over [from_us, to_us), for the accounts of `ids_json` (a JSON
// array: the cohorts' members, read by key): whole UTC days from
// revenue_days, partial days from the interactions (the tenant in each arm
// of the OR, so that SQLite reads interactions_by_time, see funnel_report.cc).
struct Activity {
  std::string account_id;
  int64_t revenue_minor = 0;
  int64_t interactions = 0;
};
absl::StatusOr<std::vector<Activity>> ActivityIn(sql::Transaction& txn,
                                                 const ReportScope& scope,
                                                 const std::string& ids_json,
                                                 int64_t from_us,
                                                 int64_t to_us) {
  const int64_t first_day = DayOfUs(from_us + kDayUs - 1);
  const int64_t end_day = std::max(first_day, DayOfUs(to_us));
  const std::string kinds =
      absl::StrCat(events::v1::INTERACTION_KIND_PURCHASE, ", ",
                   events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT, ", ",
                   events::v1::INTERACTION_KIND_RETAINER_INVOICE, ", ",
                   events::v1::INTERACTION_KIND_REFUND);
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          absl::StrCat(
              "SELECT x.account_id, SUM(x.rec), SUM(x.tra), SUM(x.n) FROM ("
              "SELECT account_id, CASE WHEN currency = ? THEN recurring_minor "
              "ELSE 0 END AS rec, CASE WHEN currency = ? THEN "
              "transactional_minor ELSE 0 END AS tra, interactions AS n "
              "FROM revenue_days WHERE tenant = ? AND day >= ? AND day < ? "
              "UNION ALL SELECT account_id, 0, CASE WHEN currency = ? THEN "
              "amount_minor ELSE 0 END, 1 FROM interactions "
              "WHERE currency != '' AND kind IN (",
              kinds,
              ") AND ((tenant = ? AND occur_us >= ? AND occur_us < ?) OR "
              "(tenant = ? AND occur_us >= ? AND occur_us < ?))) AS x "
              "WHERE x.account_id IN (SELECT value FROM json_each(?)) "
              "GROUP BY x.account_id"),
          {scope.currency, scope.currency, scope.tenant, first_day, end_day,
           scope.currency, scope.tenant, from_us,
           std::min(first_day * kDayUs, to_us), scope.tenant,
           std::max(end_day * kDayUs, from_us), to_us, ids_json}));
  std::vector<Activity> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    out.push_back(
        {row.String(0), SaturatingAdd(row.Int(1), row.Int(2)), row.Int(3)});
  }
  return out;
}

// What is counted of period p: [start, end) in microseconds, clipped at
// as_of, and its days [first_day, last_day].
struct Span {
  int64_t start_us = 0;
  int64_t end_us = 0;
  int64_t first_day = 0;
  int64_t last_day = 0;
  bool partial = false;
};
Span SpanOf(const Layout& layout, const ReportScope& scope, int p) {
  Span span;
  span.first_day = layout.StartDay(p);
  span.start_us = span.first_day * kDayUs;
  const int64_t period_end_us = layout.StartDay(p + 1) * kDayUs;
  span.end_us = std::min(period_end_us, scope.as_of_us);
  span.partial = scope.as_of_us < period_end_us;
  span.last_day = DayOfUs(span.end_us - 1);
  return span;
}

bool Covers(const std::vector<Contract>& contracts, const Span& span) {
  for (const Contract& contract : contracts) {
    if (contract.start_day <= span.last_day &&
        contract.end_day >= span.first_day) {
      return true;
    }
  }
  return false;
}

// Activity in period p, per account: calls `on_row(member, revenue, active)`
// for each account of a cohort that started by p (active: a revenue
// interaction or a contract covering the period; revenue 0 when it only has
// a contract), once per account.
template <typename OnRow>
absl::Status ForEachInPeriod(sql::Transaction& txn, const ReportScope& scope,
                             const Span& span, int p,
                             absl::flat_hash_map<std::string, Member>& members,
                             OnRow on_row) {
  // The members whose cohort started by p (once per period: 12 lists of
  // ids cost less than one scan of every current account per period).
  std::vector<std::string> ids;
  ids.reserve(members.size());
  for (const auto& [id, member] : members) {
    if (member.cohort <= p) ids.push_back(id);
  }
  ASSIGN_OR_RETURN(
      std::vector<Activity> activity,
      ActivityIn(txn, scope, JsonStringArray(ids), span.start_us, span.end_us));
  for (const Activity& row : activity) {
    auto it = members.find(row.account_id);
    if (it == members.end()) continue;
    Member& member = it->second;
    const bool active = row.interactions > 0 || Covers(member.contracts, span);
    if (active) member.active_period = p;
    on_row(it->first, member, row.revenue_minor, active);
  }
  for (auto& [id, member] : members) {
    if (member.cohort > p || member.active_period == p ||
        member.contracts.empty() || !Covers(member.contracts, span)) {
      continue;
    }
    member.active_period = p;
    on_row(id, member, int64_t{0}, true);
  }
  return absl::OkStatus();
}

type::v1::Money MoneyOf(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return money;
}

// One row of the report and its points' sums.
struct PointSums {
  int64_t active = 0;
  int64_t revenue_minor = 0;
  int64_t gross_minor = 0;  // sum of min(rev_k, rev_0), both floored at 0
};
struct RowSums {
  int cohort = 0;
  RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  int64_t accounts = 0;
  int64_t initial_minor = 0;
  int64_t initial_positive_minor = 0;
  std::vector<PointSums> points;
};

// The report's rows, oldest cohort first, and each member's row.
std::vector<RowSums> MakeRows(
    const Layout& layout, bool split_by_mode,
    absl::flat_hash_map<std::string, Member>& members) {
  std::vector<std::array<int, kRowModes.size()>> index(
      static_cast<size_t>(layout.cohorts));
  for (auto& modes : index) modes.fill(split_by_mode ? -1 : 0);
  if (split_by_mode) {
    for (const auto& [id, member] : members) {
      index[member.cohort][ModeRank(member.mode)] = 0;
    }
  }
  std::vector<RowSums> rows;
  for (int c = 0; c < layout.cohorts; ++c) {
    for (size_t rank = 0; rank < kRowModes.size(); ++rank) {
      if (index[c][rank] < 0 || (!split_by_mode && rank > 0)) continue;
      index[c][rank] = static_cast<int>(rows.size());
      RowSums row;
      row.cohort = c;
      if (split_by_mode) row.mode = kRowModes[rank];
      row.points.resize(static_cast<size_t>(std::max(0, layout.periods - c)));
      rows.push_back(std::move(row));
    }
  }
  for (auto& [id, member] : members) {
    member.row =
        index[member.cohort][split_by_mode ? ModeRank(member.mode) : 0];
    ++rows[member.row].accounts;
  }
  return rows;
}

// The rows from the maintained retention tables (projector_aggregates.h),
// when they give the report exactly: as of now (FastPath) and after the
// newest revenue interaction (a period running past as_of counts what came
// before it), without a filter, not split, by month, with the tables built,
// and no account acquired on the days of the first and last cohorts' months
// that the range leaves out (the tables hold whole months). nullopt
// otherwise.
absl::StatusOr<std::optional<std::vector<RowSums>>> MaintainedRows(
    sql::Transaction& txn, const ReportScope& scope,
    const RetentionOptions& options, const Layout& layout) {
  using Rows = std::optional<std::vector<RowSums>>;
  if (options.split_by_mode || layout.period != v1::COHORT_PERIOD_MONTH ||
      !Unfiltered(scope.filter) || layout.cohorts == 0) {
    return Rows();
  }
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (!fast) return Rows();
  ASSIGN_OR_RETURN(std::vector<sql::Row> state,
                   txn.Query("SELECT max_revenue_occur_us, built FROM "
                             "retention_state WHERE tenant = ?",
                             {scope.tenant}));
  if (!state.empty() &&
      (state[0].Int(1) == 0 || state[0].Int(0) >= scope.as_of_us)) {
    return Rows();
  }
  const int64_t first_cohort = layout.first_index;
  const int64_t last_cohort = layout.first_index + layout.cohorts - 1;
  const int64_t months_first_day = layout.StartDay(0);
  const int64_t months_end_day = layout.StartDay(layout.cohorts);
  // Accounts per cohort, from their acquisition days; none may be on the
  // days the range leaves out.
  ASSIGN_OR_RETURN(std::vector<sql::Row> days,
                   txn.Query("SELECT day, accounts FROM retention_cohort_days "
                             "WHERE tenant = ? AND day >= ? AND day < ?",
                             {scope.tenant, months_first_day, months_end_day}));
  std::vector<RowSums> rows(static_cast<size_t>(layout.cohorts));
  for (int c = 0; c < layout.cohorts; ++c) {
    rows[c].cohort = c;
    rows[c].points.resize(static_cast<size_t>(std::max(0, layout.periods - c)));
  }
  for (const sql::Row& row : days) {
    const int64_t day = row.Int(0);
    if (day < layout.first_day || day > layout.last_day) return Rows();
    rows[MonthOfDay(day) - first_cohort].accounts += row.Int(1);
  }
  if (layout.periods <= 0) return Rows(std::move(rows));
  const int64_t last_month = first_cohort + layout.periods - 1;
  // Active accounts: the difference array summed over the months.
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> active,
      txn.Query("SELECT cohort, month, delta FROM retention_active "
                "WHERE tenant = ? AND cohort >= ? AND cohort <= ? "
                "AND month <= ? ORDER BY cohort, month",
                {scope.tenant, first_cohort, last_cohort, last_month}));
  size_t next = 0;
  for (int c = 0; c < layout.cohorts; ++c) {
    int64_t running = 0;
    for (size_t k = 0; k < rows[c].points.size(); ++k) {
      const int64_t month = first_cohort + c + static_cast<int64_t>(k);
      while (next < active.size() && active[next].Int(0) == first_cohort + c &&
             active[next].Int(1) <= month) {
        running += active[next].Int(2);
        ++next;
      }
      rows[c].points[k].active = running;
    }
    while (next < active.size() && active[next].Int(0) == first_cohort + c) {
      ++next;
    }
  }
  // A period running past as_of: the accounts active in it only by a
  // contract that starts after its last counted day are not active yet.
  const Span last = SpanOf(layout, scope, layout.periods - 1);
  if (last.partial) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> late,
        txn.Query("SELECT cohort, SUM(accounts) FROM retention_late "
                  "WHERE tenant = ? AND cohort >= ? AND cohort <= ? "
                  "AND month = ? AND day > ? GROUP BY cohort",
                  {scope.tenant, first_cohort, last_cohort, last_month,
                   last.last_day}));
    for (const sql::Row& row : late) {
      RowSums& sums = rows[row.Int(0) - first_cohort];
      if (sums.points.empty()) continue;
      sums.points.back().active -= row.Int(1);
    }
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> money,
      txn.Query("SELECT cohort, month, revenue_minor, gross_minor "
                "FROM retention_money WHERE tenant = ? AND currency = ? "
                "AND cohort >= ? AND cohort <= ? AND month <= ?",
                {scope.tenant, scope.currency, first_cohort, last_cohort,
                 last_month}));
  for (const sql::Row& row : money) {
    RowSums& sums = rows[row.Int(0) - first_cohort];
    const int64_t k = row.Int(1) - row.Int(0);
    if (k < 0 || k >= static_cast<int64_t>(sums.points.size())) continue;
    PointSums& point = sums.points[k];
    point.revenue_minor = row.Int(2);
    point.gross_minor = row.Int(3);
    if (k == 0) {
      sums.initial_minor = row.Int(2);
      sums.initial_positive_minor = row.Int(3);
    }
  }
  return Rows(std::move(rows));
}

}  // namespace

absl::StatusOr<v1::RetentionReport> BuildRetentionReport(
    sql::Transaction& txn, const ReportScope& scope,
    const RetentionOptions& options) {
  ASSIGN_OR_RETURN(const Layout layout, MakeLayout(scope, options));
  v1::RetentionReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));
  report.set_period(layout.period);
  std::vector<bool> partial(static_cast<size_t>(layout.periods));
  for (int p = 0; p < layout.periods; ++p) {
    partial[p] = SpanOf(layout, scope, p).partial;
  }
  ASSIGN_OR_RETURN(std::optional<std::vector<RowSums>> maintained,
                   MaintainedRows(txn, scope, options, layout));
  const bool account_by_account = !maintained.has_value();
  absl::flat_hash_map<std::string, Member> members;
  if (account_by_account) {
    ASSIGN_OR_RETURN(members, LoadMembers(txn, scope, layout));
  }
  std::vector<RowSums> rows =
      account_by_account ? MakeRows(layout, options.split_by_mode, members)
                         : *std::move(maintained);

  for (int p = 0; p < layout.periods && account_by_account; ++p) {
    const Span span = SpanOf(layout, scope, p);
    RETURN_IF_ERROR(ForEachInPeriod(
        txn, scope, span, p, members,
        [&](const std::string&, Member& member, int64_t revenue, bool active) {
          const int k = p - member.cohort;
          RowSums& row = rows[member.row];
          if (k == 0) {
            member.revenue0 = revenue;
            row.initial_minor = SaturatingAdd(row.initial_minor, revenue);
            row.initial_positive_minor = SaturatingAdd(
                row.initial_positive_minor, std::max<int64_t>(0, revenue));
          }
          PointSums& point = row.points[k];
          if (active) ++point.active;
          point.revenue_minor = SaturatingAdd(point.revenue_minor, revenue);
          point.gross_minor =
              SaturatingAdd(point.gross_minor,
                            std::min(std::max<int64_t>(0, revenue),
                                     std::max<int64_t>(0, member.revenue0)));
        }));
  }

  for (const RowSums& row : rows) {
    v1::Cohort* cohort = report.add_cohorts();
    const absl::CivilDay start =
        PeriodStartOf(layout.first_index + row.cohort, layout.period);
    cohort->mutable_cohort_start_date()->set_year(
        static_cast<int32_t>(start.year()));
    cohort->mutable_cohort_start_date()->set_month(start.month());
    cohort->mutable_cohort_start_date()->set_day(start.day());
    cohort->set_mode(row.mode);
    cohort->set_initial_accounts(Count32(row.accounts));
    *cohort->mutable_initial_revenue() =
        MoneyOf(scope.currency, row.initial_minor);
    for (size_t k = 0; k < row.points.size(); ++k) {
      const PointSums& sums = row.points[k];
      v1::RetentionPoint* point = cohort->add_points();
      point->set_period_index(static_cast<int32_t>(k));
      point->set_active_accounts(Count32(sums.active));
      const double rate = Rate(sums.active, row.accounts);
      point->set_retention_rate(rate);
      point->set_logo_churn_rate(row.accounts == 0 ? 0.0 : 1.0 - rate);
      *point->mutable_revenue() = MoneyOf(scope.currency, sums.revenue_minor);
      if (row.initial_positive_minor > 0) {
        point->set_gross_revenue_retention(
            Rate(sums.gross_minor, row.initial_positive_minor));
      }
      if (row.initial_minor > 0) {
        point->set_net_revenue_retention(
            Rate(sums.revenue_minor, row.initial_minor));
      }
      point->set_partial(partial[row.cohort + k]);
    }
  }
  return report;
}

absl::StatusOr<std::vector<std::string>> RetentionAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const RetentionOptions& options, const v1::RetentionAggregate& aggregate) {
  ASSIGN_OR_RETURN(const Layout layout, MakeLayout(scope, options));
  if (!type::v1::RelationshipMode_IsValid(aggregate.mode())) {
    return InvalidFieldError("aggregate.retention.mode",
                             absl::StrCat("unknown value ", aggregate.mode()));
  }
  // The cohort: a real date that starts one of the report's periods.
  const type::v1::Date& date = aggregate.cohort_start_date();
  const absl::CivilDay day(date.year(), date.month(), date.day());
  const int64_t cohort = PeriodIndexOf(day, layout.period) - layout.first_index;
  if (day.year() != date.year() || day.month() != date.month() ||
      day.day() != date.day() || cohort < 0 || cohort >= layout.cohorts ||
      PeriodStartOf(layout.first_index + cohort, layout.period) != day) {
    return InvalidFieldError("aggregate.retention.cohort_start_date",
                             "not the first day of a cohort of the report");
  }
  ASSIGN_OR_RETURN(auto members, LoadMembers(txn, scope, layout));
  const bool by_mode = aggregate.has_mode();
  absl::erase_if(members, [&](const auto& entry) {
    return entry.second.cohort != cohort ||
           (by_mode && entry.second.mode != aggregate.mode());
  });
  std::vector<std::string> ids;
  if (!aggregate.has_period_index()) {
    for (const auto& [id, member] : members) ids.push_back(id);
  } else {
    const int64_t k = aggregate.period_index();
    if (k < 0 || cohort + k >= layout.periods) {
      return InvalidFieldError(
          "aggregate.retention.period_index",
          absl::StrCat("the cohort has ",
                       std::max<int64_t>(0, layout.periods - cohort),
                       " periods up to as_of_time"));
    }
    const int p = static_cast<int>(cohort + k);
    RETURN_IF_ERROR(ForEachInPeriod(
        txn, scope, SpanOf(layout, scope, p), p, members,
        [&](const std::string& id, Member&, int64_t, bool active) {
          if (active) ids.push_back(id);
        }));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace clientele::reporting

#include "services/reporting/pipeline_report.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "common/errors.h"
#include "common/pipeline_summary.h"
#include "common/status_macros.h"
#include "services/reporting/report_fast_path.h"

namespace clientele::reporting {
namespace {

namespace ev1 = ::clientele::engagement::v1;

// engagement's default policy, for a stage no deal carries a probability of.
constexpr std::array<double, 3> kDefaultProbabilities = {0.1, 0.3, 0.6};

const absl::CivilDay kEpoch(1970, 1, 1);

using Place = PipelineGroup::Place;

// A deal of the accounts in scope counted in the quarter (open in it, won
// or lost in it), in any currency.
struct CountedDeal {
  std::string account;
  Place place = Place::kOpen;
  size_t stage = 0;  // index in kPipelineOpenStages (open deals)
  size_t month = 0;  // 0-2: the quarter's month it is expected in (open)
  std::string currency;
  int64_t amount = 0;
};

// The deals of a quarter as of as_of, before they are summed.
struct QuarterDeals {
  absl::CivilMonth first_month;
  std::string currency;  // the pipeline's; "" when none
  std::array<double, 3> probabilities = kDefaultProbabilities;
  std::vector<CountedDeal> deals;
  int64_t overdue = 0;
};

absl::StatusOr<absl::CivilMonth> FirstMonth(const PipelineOptions& options) {
  if (options.year < 1970 || options.year > 9999) {
    return InvalidFieldError("year", "must be 1970-9999");
  }
  if (options.quarter < 1 || options.quarter > 4) {
    return InvalidFieldError("quarter", "must be 1-4");
  }
  return absl::CivilMonth(options.year, 3 * options.quarter - 2);
}

// The request's currency, else the one most counted deals use (ties to the
// alphabetically first).
std::string PickCurrency(const std::string& requested,
                         const std::map<std::string, int64_t>& uses) {
  return requested.empty() ? MostUsedCurrency(uses) : requested;
}

absl::StatusOr<QuarterDeals> LoadQuarter(sql::Transaction& txn,
                                         const ReportScope& scope,
                                         const PipelineOptions& options) {
  QuarterDeals out;
  ASSIGN_OR_RETURN(out.first_month, FirstMonth(options));
  const int64_t first_day = absl::CivilDay(out.first_month) - kEpoch;
  const int64_t last_day = absl::CivilDay(out.first_month + 3) - kEpoch - 1;

  for (size_t s = 0; s < kPipelineOpenStages.size(); ++s) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> rows,
        txn.Query("SELECT probability FROM deal_versions WHERE tenant = ? "
                  "AND from_us <= ? AND ? < to_us AND stage = ? "
                  "ORDER BY from_us DESC, deal_id DESC LIMIT 1",
                  {scope.tenant, scope.as_of_us, scope.as_of_us,
                   static_cast<int64_t>(kPipelineOpenStages[s])}));
    if (!rows.empty()) out.probabilities[s] = rows[0].Double(0);
  }

  const SqlFragment accounts = ScopedAccounts(scope);
  std::vector<sql::Value> params = accounts.params;
  params.insert(params.end(), {scope.tenant, scope.as_of_us, scope.as_of_us,
                               last_day, first_day, last_day});
  std::string owner;
  if (!options.deal_owner.empty()) {
    owner = " AND d.owner = ?";
    params.emplace_back(options.deal_owner);
  }
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(
          absl::StrCat(
              "SELECT d.account_id, d.stage, d.currency, d.amount_minor, "
              "d.expected_close_day, d.close_day FROM deal_versions d JOIN (",
              accounts.sql,
              ") AS a ON a.account_id = d.account_id WHERE d.tenant = ? "
              "AND d.from_us <= ? AND ? < d.to_us AND ((d.stage IN (",
              ev1::DEAL_STAGE_QUALIFYING, ", ", ev1::DEAL_STAGE_PROPOSAL, ", ",
              ev1::DEAL_STAGE_NEGOTIATION,
              ") AND d.expected_close_day <= ?) OR (d.stage IN (",
              ev1::DEAL_STAGE_WON, ", ", ev1::DEAL_STAGE_LOST,
              ") AND d.close_day >= ? AND d.close_day <= ?))", owner),
          params));
  std::map<std::string, int64_t> uses;
  for (const sql::Row& row : rows) {
    CountedDeal deal;
    deal.account = row.String(0);
    const int64_t stage = row.Int(1);
    deal.currency = row.String(2);
    deal.amount = row.Int(3);
    if (stage == ev1::DEAL_STAGE_WON || stage == ev1::DEAL_STAGE_LOST) {
      deal.place = stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost;
    } else {
      const int64_t expected = row.Int(4);
      if (expected < first_day) {
        ++out.overdue;
        continue;
      }
      deal.place = Place::kOpen;
      deal.stage =
          static_cast<size_t>(std::find(kPipelineOpenStages.begin(),
                                        kPipelineOpenStages.end(), stage) -
                              kPipelineOpenStages.begin());
      deal.month = static_cast<size_t>(absl::CivilMonth(kEpoch + expected) -
                                       out.first_month);
    }
    ++uses[deal.currency];
    out.deals.push_back(std::move(deal));
  }
  out.currency = PickCurrency(scope.currency, uses);
  return out;
}

// The deals as groups of one (PipelineSums' year and quarter left to the
// caller).
PipelineSums GroupDeals(const QuarterDeals& quarter) {
  PipelineSums out;
  out.currency = quarter.currency;
  out.probabilities = quarter.probabilities;
  out.overdue = quarter.overdue;
  out.groups.reserve(quarter.deals.size());
  for (const CountedDeal& deal : quarter.deals) {
    PipelineGroup group;
    group.place = deal.place;
    group.stage = deal.stage;
    group.month = deal.month;
    group.currency = deal.currency;
    group.count = 1;
    group.amount = deal.amount;
    if (deal.place == Place::kOpen) {
      group.weighted =
          WeightedAmountMinor(deal.amount, quarter.probabilities[deal.stage]);
    }
    out.groups.push_back(std::move(group));
  }
  return out;
}

// The same groups from the maintained deal cells (FastPath, a cell filter,
// no owner): deal_cells weighs each deal at its stage's newest probability,
// which is the one LoadQuarter reads as of now.
absl::StatusOr<PipelineSums> LoadQuarterCells(sql::Transaction& txn,
                                              const ReportScope& scope,
                                              const PipelineOptions& options) {
  PipelineSums out;
  ASSIGN_OR_RETURN(const absl::CivilMonth first_month, FirstMonth(options));
  out.probabilities = kDefaultProbabilities;
  for (size_t s = 0; s < kPipelineOpenStages.size(); ++s) {
    ASSIGN_OR_RETURN(
        std::optional<double> probability,
        NewestStageProbability(txn, scope.tenant,
                               static_cast<int64_t>(kPipelineOpenStages[s])));
    if (probability) out.probabilities[s] = *probability;
  }
  const int64_t first = first_month - absl::CivilMonth(1970, 1);
  ASSIGN_OR_RETURN(std::vector<DealCellSum> cells,
                   DealCellSums(txn, scope, first, first + 2));
  std::map<std::string, int64_t> uses;
  for (DealCellSum& cell : cells) {
    PipelineGroup group;
    if (cell.stage == ev1::DEAL_STAGE_WON ||
        cell.stage == ev1::DEAL_STAGE_LOST) {
      group.place =
          cell.stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost;
    } else if (cell.month < first) {
      out.overdue += cell.deals;
      continue;
    } else {
      group.stage =
          static_cast<size_t>(std::find(kPipelineOpenStages.begin(),
                                        kPipelineOpenStages.end(), cell.stage) -
                              kPipelineOpenStages.begin());
      group.month = static_cast<size_t>(cell.month - first);
      group.weighted = cell.weighted_minor;
    }
    group.count = cell.deals;
    group.amount = cell.amount_minor;
    uses[cell.currency] += cell.deals;
    group.currency = std::move(cell.currency);
    out.groups.push_back(std::move(group));
  }
  out.currency = PickCurrency(scope.currency, uses);
  return out;
}

}  // namespace

absl::StatusOr<v1::PipelineReport> BuildPipelineReport(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options) {
  PipelineSums quarter;
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (fast && CellFilterOnly(scope.filter) && options.deal_owner.empty()) {
    ASSIGN_OR_RETURN(quarter, LoadQuarterCells(txn, scope, options));
  } else {
    ASSIGN_OR_RETURN(const QuarterDeals deals,
                     LoadQuarter(txn, scope, options));
    quarter = GroupDeals(deals);
  }
  v1::PipelineReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(),
                   MetadataWithoutInteractions(txn, scope));
  report.mutable_metadata()->set_currency_code(quarter.currency);
  quarter.year = options.year;
  quarter.quarter = options.quarter;
  *report.mutable_pipeline() = SummarizePipeline(quarter);
  return report;
}

absl::StatusOr<std::vector<std::string>> PipelineAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const PipelineOptions& options, const v1::PipelineAggregate& aggregate) {
  const ev1::DealStage stage = aggregate.stage();
  if (!ev1::DealStage_IsValid(stage)) {
    return InvalidFieldError(
        "aggregate.pipeline.stage",
        absl::StrCat("unknown value ", static_cast<int>(stage)));
  }
  ASSIGN_OR_RETURN(const QuarterDeals quarter,
                   LoadQuarter(txn, scope, options));
  const bool closed =
      stage == ev1::DEAL_STAGE_WON || stage == ev1::DEAL_STAGE_LOST;
  std::optional<size_t> month;
  if (aggregate.has_month()) {
    const type::v1::Date& date = aggregate.month();
    if (closed) {
      return InvalidFieldError("aggregate.pipeline.month",
                               "won and lost deals have no close month");
    }
    const int64_t index =
        date.month() < 1 || date.month() > 12
            ? -1
            : absl::CivilMonth(date.year(), date.month()) - quarter.first_month;
    if (date.day() != 0 || index < 0 || index > 2) {
      return InvalidFieldError(
          "aggregate.pipeline.month",
          "must be a month of the quarter, with day unset");
    }
    month = static_cast<size_t>(index);
  }
  std::set<std::string> accounts;
  for (const CountedDeal& deal : quarter.deals) {
    if (deal.currency != quarter.currency) continue;
    bool counted = false;
    if (closed) {
      counted = deal.place ==
                (stage == ev1::DEAL_STAGE_WON ? Place::kWon : Place::kLost);
    } else {
      counted = deal.place == Place::kOpen &&
                (stage == ev1::DEAL_STAGE_UNSPECIFIED ||
                 kPipelineOpenStages[deal.stage] == stage) &&
                (!month.has_value() || deal.month == *month);
    }
    if (counted) accounts.insert(deal.account);
  }
  return std::vector<std::string>(accounts.begin(), accounts.end());
}

}  // namespace clientele::reporting

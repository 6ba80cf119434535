#include "services/reporting/portfolio_report.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "services/reporting/report_fast_path.h"
#include "services/reporting/report_stats.h"

namespace clientele::reporting {
namespace {

using type::v1::RelationshipMode;
using type::v1::ScoreBand;

// The slices in the contract's order.
constexpr std::array<RelationshipMode, 4> kSliceModes = {
    type::v1::RELATIONSHIP_MODE_CUSTOMER,
    type::v1::RELATIONSHIP_MODE_TRANSITIONING,
    type::v1::RELATIONSHIP_MODE_CLIENT,
    type::v1::RELATIONSHIP_MODE_UNSPECIFIED,
};
constexpr int kBandCount = 5;  // UNSPECIFIED .. STRONG, in enum order

// One account in scope at as_of with its revenue over the range.
struct PortfolioAccount {
  std::string id;
  RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  ScoreBand band = type::v1::SCORE_BAND_UNSPECIFIED;
  int64_t score = 0;
  int64_t recurring_minor = 0;
  int64_t transactional_minor = 0;
};

// A mode or band the projection holds, read defensively: a value this
// build does not know counts as UNSPECIFIED.
RelationshipMode ModeOf(int64_t value) {
  return type::v1::RelationshipMode_IsValid(static_cast<int>(value))
             ? static_cast<RelationshipMode>(value)
             : type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
}
ScoreBand BandOf(int64_t value) {
  return type::v1::ScoreBand_IsValid(static_cast<int>(value))
             ? static_cast<ScoreBand>(value)
             : type::v1::SCORE_BAND_UNSPECIFIED;
}

// The accounts in scope, ascending by id.
absl::StatusOr<std::vector<PortfolioAccount>> LoadAccounts(
    sql::Transaction& txn, const ReportScope& scope) {
  const SqlFragment accounts = ScopedAccounts(scope);
  const SqlFragment revenue = RevenueByAccount(scope);
  std::vector<sql::Value> params = accounts.params;
  params.insert(params.end(), revenue.params.begin(), revenue.params.end());
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT a.account_id, a.mode, a.band, a.score, "
                             "COALESCE(r.recurring_minor, 0), "
                             "COALESCE(r.transactional_minor, 0) FROM (",
                             accounts.sql, ") AS a LEFT JOIN (", revenue.sql,
                             ") AS r ON r.account_id = a.account_id "
                             "ORDER BY a.account_id"),
                params));
  std::vector<PortfolioAccount> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    PortfolioAccount account;
    account.id = row.String(0);
    account.mode = ModeOf(row.Int(1));
    account.band = BandOf(row.Int(2));
    account.score = row.Int(3);
    account.recurring_minor = row.Int(4);
    account.transactional_minor = row.Int(5);
    out.push_back(std::move(account));
  }
  return out;
}

type::v1::Money MoneyOf(const std::string& currency, int64_t minor) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return money;
}

// A share of a total that may be zero or negative (refunds above sales).
double ShareOf(int64_t part, int64_t total) {
  return total <= 0 ? 0.0
                    : static_cast<double>(part) / static_cast<double>(total);
}

// What one slice adds up.
struct SliceSums {
  int64_t accounts = 0;
  int64_t recurring_minor = 0;
  int64_t transactional_minor = 0;
  int64_t scored = 0;
  int64_t score_sum = 0;
  std::array<int64_t, kBandCount> bands = {};

  int64_t revenue() const {
    return SaturatingAdd(recurring_minor, transactional_minor);
  }
};

using Slices = std::array<SliceSums, kSliceModes.size()>;

size_t SliceOf(RelationshipMode mode) {
  return static_cast<size_t>(
      std::find(kSliceModes.begin(), kSliceModes.end(), mode) -
      kSliceModes.begin());
}

// The slices account by account (any scope).
absl::Status SumAccounts(sql::Transaction& txn, const ReportScope& scope,
                         Slices* slices, SliceSums* total) {
  ASSIGN_OR_RETURN(std::vector<PortfolioAccount> accounts,
                   LoadAccounts(txn, scope));
  for (const PortfolioAccount& account : accounts) {
    for (SliceSums* sums : {&(*slices)[SliceOf(account.mode)], total}) {
      ++sums->accounts;
      sums->recurring_minor =
          SaturatingAdd(sums->recurring_minor, account.recurring_minor);
      sums->transactional_minor =
          SaturatingAdd(sums->transactional_minor, account.transactional_minor);
      ++sums->bands[account.band];
      if (account.band != type::v1::SCORE_BAND_UNSPECIFIED) {
        ++sums->scored;
        sums->score_sum += account.score;
      }
    }
  }
  return absl::OkStatus();
}

// The same sums from the maintained cells (FastPath and a cell filter).
absl::Status SumCells(sql::Transaction& txn, const ReportScope& scope,
                      Slices* slices, SliceSums* total) {
  ASSIGN_OR_RETURN(std::vector<ModeBandCount> counts,
                   CellCountsByModeBand(txn, scope));
  for (const ModeBandCount& count : counts) {
    const ScoreBand band = BandOf(count.band);
    for (SliceSums* sums : {&(*slices)[SliceOf(ModeOf(count.mode))], total}) {
      sums->accounts += count.accounts;
      sums->bands[band] += count.accounts;
      if (band != type::v1::SCORE_BAND_UNSPECIFIED) {
        sums->scored += count.accounts;
        sums->score_sum += count.score_sum;
      }
    }
  }
  ASSIGN_OR_RETURN(std::vector<ModeRevenue> revenues,
                   CellRevenueByMode(txn, scope));
  for (const ModeRevenue& revenue : revenues) {
    for (SliceSums* sums : {&(*slices)[SliceOf(ModeOf(revenue.mode))], total}) {
      sums->recurring_minor =
          SaturatingAdd(sums->recurring_minor, revenue.recurring_minor);
      sums->transactional_minor =
          SaturatingAdd(sums->transactional_minor, revenue.transactional_minor);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::PortfolioReport> BuildPortfolioReport(
    sql::Transaction& txn, const ReportScope& scope) {
  v1::PortfolioReport report;
  ASSIGN_OR_RETURN(*report.mutable_metadata(), Metadata(txn, scope));
  Slices slices;
  SliceSums total;
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (fast && CellFilterOnly(scope.filter)) {
    RETURN_IF_ERROR(SumCells(txn, scope, &slices, &total));
  } else {
    RETURN_IF_ERROR(SumAccounts(txn, scope, &slices, &total));
  }

  report.set_account_count(Count32(total.accounts));
  *report.mutable_revenue() = MoneyOf(scope.currency, total.revenue());
  for (size_t i = 0; i < kSliceModes.size(); ++i) {
    const SliceSums& sums = slices[i];
    v1::PortfolioModeSlice* slice = report.add_mode_slices();
    slice->set_mode(kSliceModes[i]);
    slice->set_account_count(Count32(sums.accounts));
    slice->set_account_share(Rate(sums.accounts, total.accounts));
    *slice->mutable_revenue() = MoneyOf(scope.currency, sums.revenue());
    slice->set_revenue_share(ShareOf(sums.revenue(), total.revenue()));
    *slice->mutable_recurring_revenue() =
        MoneyOf(scope.currency, sums.recurring_minor);
    *slice->mutable_transactional_revenue() =
        MoneyOf(scope.currency, sums.transactional_minor);
    slice->set_average_score(sums.scored == 0
                                 ? 0.0
                                 : static_cast<double>(sums.score_sum) /
                                       static_cast<double>(sums.scored));
    for (int band = 0; band < kBandCount; ++band) {
      v1::BandCount* count = slice->add_band_counts();
      count->set_band(static_cast<ScoreBand>(band));
      count->set_account_count(Count32(sums.bands[band]));
    }
  }
  return report;
}

absl::StatusOr<std::vector<std::string>> PortfolioAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const v1::PortfolioAggregate& aggregate) {
  if (aggregate.has_mode() &&
      !type::v1::RelationshipMode_IsValid(aggregate.mode())) {
    return InvalidFieldError("aggregate.portfolio.mode",
                             absl::StrCat("unknown value ", aggregate.mode()));
  }
  if (aggregate.has_band() && !type::v1::ScoreBand_IsValid(aggregate.band())) {
    return InvalidFieldError("aggregate.portfolio.band",
                             absl::StrCat("unknown value ", aggregate.band()));
  }
  ASSIGN_OR_RETURN(std::vector<PortfolioAccount> accounts,
                   LoadAccounts(txn, scope));
  std::vector<std::string> ids;
  for (PortfolioAccount& account : accounts) {
    if (aggregate.has_mode() && account.mode != aggregate.mode()) continue;
    if (aggregate.has_band() && account.band != aggregate.band()) continue;
    ids.push_back(std::move(account.id));
  }
  return ids;
}

}  // namespace clientele::reporting

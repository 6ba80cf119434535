#include "services/reporting/at_risk_report.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "services/reporting/report_fast_path.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
// 365.25 days: a year on average over the leap cycle.
constexpr int64_t kYearUs = int64_t{36525} * kDayUs / 100;

// One account of the list before paging.
struct Candidate {
  std::string account_id;
  std::string account_manager;
  int64_t revenue_minor = 0;
  int64_t revenue_at_risk_minor = 0;
  bool has_contract_end = false;
  int64_t contract_end_day = 0;
  int mode = 0;
  int score = 0;
  int band = 0;
  int trend_delta = 0;
  std::string risk_reasons;
};

// The accounts in scope in the bands [AT_RISK, max_band] at as_of, with
//   account_id, account_manager, commercial_model, billing_cycle,
//   recurring_minor, recurring_currency, contract_end_day, mode, score,
//   band, trend_delta, risk_reasons, revenue over the range
// in that order. As of now with a cell-only filter the bands are read from
// account_cells and only those accounts' versions and revenue (by key);
// else every account in scope and the tenant's revenue in the range.
struct CandidateRows {
  std::vector<sql::Row> rows;
  // When set, the revenue per account (the rows' last column is 0).
  std::optional<absl::flat_hash_map<std::string, int64_t>> revenue_of;

  int64_t RevenueOf(const sql::Row& row) const {
    if (!revenue_of.has_value()) return row.Int(12);
    const auto found = revenue_of->find(row.String(0));
    return found == revenue_of->end() ? 0 : found->second;
  }
};
absl::StatusOr<CandidateRows> ReadCandidates(sql::Transaction& txn,
                                             const ReportScope& scope,
                                             int max_band) {
  CandidateRows out;
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (!fast || !CellFilterOnly(scope.filter)) {
    SqlFragment accounts = ScopedAccounts(scope);
    SqlFragment revenue = RevenueByAccount(scope);
    std::vector<sql::Value> params = std::move(accounts.params);
    for (sql::Value& value : revenue.params) params.push_back(std::move(value));
    params.emplace_back(static_cast<int64_t>(type::v1::SCORE_BAND_AT_RISK));
    params.emplace_back(static_cast<int64_t>(max_band));
    ASSIGN_OR_RETURN(
        out.rows,
        txn.Query(
            absl::StrCat(
                "SELECT a.account_id, a.account_manager, a.commercial_model, "
                "a.billing_cycle, a.recurring_minor, a.recurring_currency, "
                "a.contract_end_day, a.mode, a.score, a.band, a.trend_delta, "
                "a.risk_reasons, "
                "COALESCE(r.recurring_minor, 0) + "
                "COALESCE(r.transactional_minor, 0) "
                "FROM (",
                accounts.sql, ") AS a LEFT JOIN (", revenue.sql,
                ") AS r ON r.account_id = a.account_id "
                "WHERE a.band >= ? AND a.band <= ?"),
            params));
    return out;
  }
  SqlFragment cells;
  cells.sql = absl::StrCat(
      "SELECT c.account_id, v.account_manager, v.commercial_model, "
      "v.billing_cycle, v.recurring_minor, v.recurring_currency, "
      "v.contract_end_day, c.mode, c.score, c.band, "
      "COALESCE(s.trend_delta, 0), COALESCE(s.risk_reasons, ''), 0 "
      "FROM account_cells c CROSS JOIN account_versions v "
      "ON v.tenant = c.tenant AND v.account_id = c.account_id AND v.to_us = ",
      kOpenEndUs,
      " LEFT JOIN score_versions s ON s.tenant = c.tenant AND "
      "s.account_id = c.account_id AND s.to_us = ",
      kOpenEndUs, " WHERE c.tenant = ? AND c.band >= ? AND c.band <= ?");
  cells.params = {scope.tenant,
                  static_cast<int64_t>(type::v1::SCORE_BAND_AT_RISK),
                  static_cast<int64_t>(max_band)};
  AppendCellFilter(scope.filter, "c.", &cells);
  ASSIGN_OR_RETURN(out.rows, txn.Query(cells.sql, cells.params));
  std::vector<std::string> ids;
  ids.reserve(out.rows.size());
  for (const sql::Row& row : out.rows) ids.push_back(row.String(0));
  ASSIGN_OR_RETURN(out.revenue_of, RevenueOfAccounts(txn, scope, ids));
  return out;
}

// Whether `a` ranks before `b`: larger revenue at risk, then account id.
bool RanksBefore(int64_t a_risk, const std::string& a_id, int64_t b_risk,
                 const std::string& b_id) {
  if (a_risk != b_risk) return a_risk > b_risk;
  return a_id < b_id;
}

// Billing cycles a year (0 when the cycle is not a recurring one).
int64_t CyclesPerYear(int billing_cycle) {
  switch (billing_cycle) {
    case type::v1::BILLING_CYCLE_WEEKLY:
      return 52;
    case type::v1::BILLING_CYCLE_MONTHLY:
      return 12;
    case type::v1::BILLING_CYCLE_QUARTERLY:
      return 4;
    case type::v1::BILLING_CYCLE_ANNUAL:
      return 1;
    default:
      return 0;
  }
}

// `value` clamped to [0, kMaxAmountSum].
int64_t ClampAmount(__int128 value) {
  if (value < 0) return 0;
  if (value > kMaxAmountSum) return kMaxAmountSum;
  return static_cast<int64_t>(value);
}

// Where a page starts: after this account.
struct AtRiskCursor {
  int64_t revenue_at_risk_minor = 0;
  std::string account_id;
};

// What a page token of this list is bound to: every request field that
// selects or orders the list.
std::string TokenFilter(const ReportScope& scope, const AtRiskQuery& query,
                        int max_band) {
  const std::string parts[] = {scope.tenant,
                               absl::StrCat(scope.start_us),
                               absl::StrCat(scope.end_us),
                               query.as_of_defaulted
                                   ? std::string("default")
                                   : absl::StrCat(scope.as_of_us),
                               scope.currency,
                               scope.filter.SerializeAsString(),
                               absl::StrCat(max_band)};
  return PageTokenFilter("ListAtRiskAccounts", parts);
}

// ", ?" repeated: the placeholders of an IN list of `n` values.
std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i == 0 ? "?" : ", ?");
  return out;
}

type::v1::Date DateOfDay(int64_t day) {
  const absl::CivilDay civil = absl::CivilDay(1970, 1, 1) + day;
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(civil.year()));
  date.set_month(civil.month());
  date.set_day(civil.day());
  return date;
}

type::v1::Money MoneyOf(int64_t minor, const std::string& currency) {
  type::v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor_units(minor);
  return money;
}

// The page's last interaction times and its newest score version, filled
// into `response` (whose accounts are in `ids`' order).
absl::Status FillPageDetails(sql::Transaction& txn, const ReportScope& scope,
                             const std::vector<std::string>& ids,
                             v1::ListAtRiskAccountsResponse* response) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<sql::Value> params = {scope.tenant, scope.as_of_us};
  for (const std::string& id : ids) params.emplace_back(id);

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> last,
      // +occur_us: through interactions_by_account (the page's accounts),
      // not interactions_by_time, which would read the whole history.
      txn.Query(absl::StrCat("SELECT account_id, MAX(occur_us) FROM "
                             "interactions WHERE tenant = ? AND +occur_us <= ? "
                             "AND account_id IN (",
                             Placeholders(ids.size()), ") GROUP BY account_id"),
                params));
  for (const sql::Row& row : last) {
    if (row.IsNull(1)) continue;
    const std::string name = absl::StrCat("accounts/", row.String(0));
    for (v1::AtRiskAccount& account : *response->mutable_at_risk_accounts()) {
      if (account.account() == name) {
        *account.mutable_last_interaction_time() =
            ToTimestamp(FromMicros(row.Int(1)));
      }
    }
  }

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> newest,
      txn.Query(absl::StrCat("SELECT MAX(from_us) FROM score_versions "
                             "WHERE tenant = ? AND from_us <= ? "
                             "AND account_id IN (",
                             Placeholders(ids.size()), ")"),
                params));
  if (!newest.empty() && !newest[0].IsNull(0)) {
    *response->mutable_score_freshness()->mutable_projection_time() =
        ToTimestamp(FromMicros(newest[0].Int(0)));
  }
  return absl::OkStatus();
}

}  // namespace

int64_t RevenueAtRiskMinor(const RevenueAtRiskInputs& inputs,
                           const ReportScope& scope) {
  const bool recurring_model =
      inputs.commercial_model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION ||
      inputs.commercial_model == type::v1::COMMERCIAL_MODEL_RETAINER;
  const int64_t cycles = CyclesPerYear(inputs.billing_cycle);
  if (recurring_model && cycles > 0 && inputs.recurring_minor > 0 &&
      inputs.recurring_currency == scope.currency) {
    return ClampAmount(static_cast<__int128>(inputs.recurring_minor) * cycles);
  }
  const int64_t range_us = scope.end_us - scope.start_us;
  if (inputs.revenue_minor <= 0 || range_us <= 0) return 0;
  // revenue * year / range, rounded half up, exactly.
  const __int128 scaled =
      (static_cast<__int128>(inputs.revenue_minor) * kYearUs + range_us / 2) /
      range_us;
  return ClampAmount(scaled);
}

absl::StatusOr<v1::ListAtRiskAccountsResponse> ListAtRisk(
    sql::Transaction& txn, const ReportScope& scope, const AtRiskQuery& query) {
  FieldViolations violations;
  if (query.page_size < 0) {
    violations.Add("page_size", "must not be negative (0 means 50)");
  }
  int max_band = query.max_band;
  if (max_band == type::v1::SCORE_BAND_UNSPECIFIED) {
    max_band = type::v1::SCORE_BAND_NEEDS_ATTENTION;
  } else if (!type::v1::ScoreBand_IsValid(max_band)) {
    violations.Add("max_band", absl::StrCat("unknown band ", max_band));
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const int32_t page_size = query.page_size == 0
                                ? kDefaultAtRiskPageSize
                                : std::min(query.page_size, kMaxAtRiskPageSize);

  const std::string filter = TokenFilter(scope, query, max_band);
  ASSIGN_OR_RETURN(
      const std::optional<AtRiskCursor> after,
      DecodeIntIdPageToken<AtRiskCursor>(query.page_token, filter));

  v1::ListAtRiskAccountsResponse response;
  ASSIGN_OR_RETURN(*response.mutable_metadata(), Metadata(txn, scope));
  response.mutable_score_freshness()->set_source(v1::SCORE_SOURCE_PROJECTION);

  ASSIGN_OR_RETURN(const CandidateRows read,
                   ReadCandidates(txn, scope, max_band));

  std::vector<Candidate> candidates;
  candidates.reserve(read.rows.size());
  for (const sql::Row& row : read.rows) {
    Candidate c;
    c.account_id = row.String(0);
    c.account_manager = row.String(1);
    RevenueAtRiskInputs inputs;
    inputs.commercial_model = static_cast<int>(row.Int(2));
    inputs.billing_cycle = static_cast<int>(row.Int(3));
    inputs.recurring_minor = row.Int(4);
    inputs.recurring_currency = row.String(5);
    c.has_contract_end = !row.IsNull(6);
    c.contract_end_day = row.Int(6);
    c.mode = static_cast<int>(row.Int(7));
    c.score = static_cast<int>(row.Int(8));
    c.band = static_cast<int>(row.Int(9));
    c.trend_delta = static_cast<int>(row.Int(10));
    c.risk_reasons = row.String(11);
    c.revenue_minor = read.RevenueOf(row);
    inputs.revenue_minor = c.revenue_minor;
    c.revenue_at_risk_minor = RevenueAtRiskMinor(inputs, scope);
    candidates.push_back(std::move(c));
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              return RanksBefore(a.revenue_at_risk_minor, a.account_id,
                                 b.revenue_at_risk_minor, b.account_id);
            });
  response.set_total_size(static_cast<int32_t>(candidates.size()));

  // The page starts after the token's account (which may have left the
  // list since: the position is by key, not by index).
  auto first = candidates.begin();
  if (after.has_value()) {
    first = std::partition_point(
        candidates.begin(), candidates.end(), [&](const Candidate& c) {
          return !RanksBefore(after->revenue_at_risk_minor, after->account_id,
                              c.revenue_at_risk_minor, c.account_id);
        });
  }
  const std::ptrdiff_t remaining = candidates.end() - first;
  const std::ptrdiff_t count =
      std::min(remaining, static_cast<std::ptrdiff_t>(page_size));
  const auto last_on_page = first + count;
  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(count));
  for (auto it = first; it != last_on_page; ++it) {
    v1::AtRiskAccount* account = response.add_at_risk_accounts();
    account->set_account(absl::StrCat("accounts/", it->account_id));
    account->set_mode(static_cast<type::v1::RelationshipMode>(it->mode));
    account->set_score(it->score);
    account->set_band(static_cast<type::v1::ScoreBand>(it->band));
    account->set_score_delta(it->trend_delta);
    *account->mutable_revenue_at_risk() =
        MoneyOf(it->revenue_at_risk_minor, scope.currency);
    *account->mutable_revenue() = MoneyOf(it->revenue_minor, scope.currency);
    account->set_account_manager(it->account_manager);
    if (it->has_contract_end) {
      *account->mutable_contract_end_date() = DateOfDay(it->contract_end_day);
    }
    if (!it->risk_reasons.empty()) {
      int n = 0;
      for (absl::string_view reason : absl::StrSplit(it->risk_reasons, '\n')) {
        if (n++ == 3) break;
        account->add_reasons(std::string(reason));
      }
    }
    ids.push_back(it->account_id);
  }
  if (count < remaining) {
    const Candidate& last = *(last_on_page - 1);
    response.set_next_page_token(EncodeIntIdPageToken(
        filter, last.revenue_at_risk_minor, last.account_id));
  }
  RETURN_IF_ERROR(FillPageDetails(txn, scope, ids, &response));
  return response;
}

bool WantsLiveScores(const ReportScope& scope) {
  return absl::Microseconds(scope.now_us - scope.as_of_us) <= kLiveAsOfWindow;
}

void RefreshAtRiskScores(LiveScores& live, const Caller& caller,
                         const ReportScope& scope,
                         v1::ListAtRiskAccountsResponse* response) {
  if (!WantsLiveScores(scope) || response->at_risk_accounts().empty()) return;
  // Refresh leaves the accounts as they were when it fails.
  const absl::Status status =
      live.Refresh(caller, response->mutable_at_risk_accounts());
  v1::ScoreFreshness* freshness = response->mutable_score_freshness();
  if (status.ok()) {
    freshness->set_source(v1::SCORE_SOURCE_LIVE);
    freshness->clear_stale_reason();
    return;
  }
  freshness->set_source(v1::SCORE_SOURCE_PROJECTION);
  freshness->set_stale_reason(absl::StrCat(
      status.message(), ": ", absl::StatusCodeToString(status.code())));
}

}  // namespace clientele::reporting

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
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/report_fast_path.h"

namespace clientele::reporting {
namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

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

// Whether `a` ranks before `b`: larger revenue at risk, then account id.
bool RanksBefore(int64_t a_risk, const std::string& a_id, int64_t b_risk,
                 const std::string& b_id) {
  if (a_risk != b_risk) return a_risk > b_risk;
  return a_id < b_id;
}

// Where a page starts: after this account.
struct AtRiskCursor {
  int64_t revenue_at_risk_minor = 0;
  std::string account_id;
};

// One page of the list, with what the response says of the whole list.
struct Page {
  std::vector<Candidate> accounts;
  int64_t total_size = 0;
  bool more = false;  // accounts after the page
};

// The columns every candidate row has, in this order (from column 0):
//   account_id, account_manager, commercial_model, billing_cycle,
//   recurring_minor, recurring_currency, contract_end_day, mode, score,
//   band, trend_delta, risk_reasons
constexpr char kCandidateColumns[] =
    "a.account_id, a.account_manager, a.commercial_model, a.billing_cycle, "
    "a.recurring_minor, a.recurring_currency, a.contract_end_day, a.mode, "
    "a.score, a.band, a.trend_delta, a.risk_reasons";

Candidate CandidateOf(const sql::Row& row) {
  Candidate c;
  c.account_id = row.String(0);
  c.account_manager = row.String(1);
  c.has_contract_end = !row.IsNull(6);
  c.contract_end_day = row.Int(6);
  c.mode = static_cast<int>(row.Int(7));
  c.score = static_cast<int>(row.Int(8));
  c.band = static_cast<int>(row.Int(9));
  c.trend_delta = static_cast<int>(row.Int(10));
  c.risk_reasons = row.String(11);
  return c;
}

RevenueAtRiskInputs TermsOf(const sql::Row& row) {
  RevenueAtRiskInputs inputs;
  inputs.commercial_model = static_cast<int>(row.Int(2));
  inputs.billing_cycle = static_cast<int>(row.Int(3));
  inputs.recurring_minor = row.Int(4);
  inputs.recurring_currency = row.String(5);
  return inputs;
}

// The scope with its range replaced by the revenue-at-risk window as of
// scope.as_of_us: from the window's first day to as_of included, but not
// into a month that begins at as_of (the window ends before it).
ReportScope WindowScope(const ReportScope& scope) {
  const AtRiskWindow months = AtRiskWindow::AsOf(scope.as_of_us);
  ReportScope window = scope;
  window.start_us = months.first_day() * kDayUs;
  window.end_us = std::min(scope.as_of_us + 1, months.end_day() * kDayUs);
  return window;
}

// The candidate columns (kCandidateColumns) of the account cells `cells`
// names as `c` (its values `params`), narrowed by `where` (SQL starting with
// " WHERE", or empty), with the current versions read by key.
SqlFragment CellCandidates(absl::string_view cells,
                           std::vector<sql::Value> params,
                           const SqlFragment& where) {
  SqlFragment out;
  out.sql = absl::StrCat(
      "SELECT ", kCandidateColumns,
      " FROM (SELECT c.account_id, v.account_manager, v.commercial_model, "
      "v.billing_cycle, v.recurring_minor, v.recurring_currency, "
      "v.contract_end_day, c.mode, c.score, c.band, "
      "COALESCE(s.trend_delta, 0) AS trend_delta, "
      "COALESCE(s.risk_reasons, '') AS risk_reasons FROM ",
      cells,
      // The current versions by (tenant, to_us, account_id): one seek each,
      // where the key would read every version of the account.
      " CROSS JOIN account_versions v INDEXED BY account_versions_current "
      "ON v.tenant = c.tenant AND v.account_id = c.account_id AND v.to_us = ",
      kOpenEndUs,
      " LEFT JOIN score_versions s INDEXED BY score_versions_current "
      "ON s.tenant = c.tenant AND s.account_id = c.account_id AND s.to_us = ",
      kOpenEndUs, where.sql, ") AS a");
  out.params = std::move(params);
  out.params.insert(out.params.end(), where.params.begin(), where.params.end());
  return out;
}

// `select` (a SELECT ... FROM of a table of cells whose columns carry
// `prefix`) narrowed to the tenant, the bands [AT_RISK, max_band] and the
// filter's cell dimensions.
SqlFragment InBands(absl::string_view select, absl::string_view prefix,
                    const ReportScope& scope, int max_band) {
  SqlFragment out;
  out.sql = absl::StrCat(select, " WHERE ", prefix, "tenant = ? AND ", prefix,
                         "band >= ? AND ", prefix, "band <= ?");
  out.params = {scope.tenant,
                static_cast<int64_t>(type::v1::SCORE_BAND_AT_RISK),
                static_cast<int64_t>(max_band)};
  AppendCellFilter(scope.filter, prefix, &out);
  return out;
}

// `id`'s sum in RevenueOfAccounts' answer (0 when it has none).
int64_t SumOf(const absl::flat_hash_map<std::string, int64_t>& sums,
              const std::string& id) {
  const auto found = sums.find(id);
  return found == sums.end() ? 0 : found->second;
}

// A candidate of its row (kCandidateColumns) and its revenue over the range
// and over the year window.
Candidate CandidateWith(const sql::Row& row, int64_t revenue_minor,
                        int64_t window_minor, const std::string& currency) {
  Candidate c = CandidateOf(row);
  c.revenue_minor = revenue_minor;
  RevenueAtRiskInputs inputs = TermsOf(row);
  inputs.window_revenue_minor = window_minor;
  c.revenue_at_risk_minor = RevenueAtRiskMinor(inputs, currency);
  return c;
}

// Every account in scope in the bands [AT_RISK, max_band] at as_of, unranked:
// with `cells` (as of now, a cell-only filter) from account_cells and the
// revenue of those accounts only (by key); else every account in scope and
// the tenant's revenue.
absl::StatusOr<std::vector<Candidate>> ReadCandidates(sql::Transaction& txn,
                                                      const ReportScope& scope,
                                                      int max_band,
                                                      bool cells) {
  std::vector<Candidate> candidates;
  if (cells) {
    const SqlFragment query = CellCandidates(
        "account_cells c", {}, InBands("", "c.", scope, max_band));
    ASSIGN_OR_RETURN(const std::vector<sql::Row> rows,
                     txn.Query(query.sql, query.params));
    std::vector<std::string> ids;
    ids.reserve(rows.size());
    for (const sql::Row& row : rows) ids.push_back(row.String(0));
    ASSIGN_OR_RETURN(const auto revenue, RevenueOfAccounts(txn, scope, ids));
    ASSIGN_OR_RETURN(const auto window,
                     RevenueOfAccounts(txn, WindowScope(scope), ids));
    candidates.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      candidates.push_back(CandidateWith(rows[i], SumOf(revenue, ids[i]),
                                         SumOf(window, ids[i]),
                                         scope.currency));
    }
    return candidates;
  }
  SqlFragment accounts = ScopedAccounts(scope);
  SqlFragment revenue = RevenueByAccount(scope);
  SqlFragment window = RevenueByAccount(WindowScope(scope));
  std::vector<sql::Value> params = std::move(accounts.params);
  for (sql::Value& value : revenue.params) params.push_back(std::move(value));
  for (sql::Value& value : window.params) params.push_back(std::move(value));
  params.emplace_back(static_cast<int64_t>(type::v1::SCORE_BAND_AT_RISK));
  params.emplace_back(static_cast<int64_t>(max_band));
  ASSIGN_OR_RETURN(
      const std::vector<sql::Row> rows,
      txn.Query(absl::StrCat("SELECT ", kCandidateColumns,
                             ", COALESCE(r.recurring_minor, 0) + "
                             "COALESCE(r.transactional_minor, 0), "
                             "COALESCE(w.recurring_minor, 0) + "
                             "COALESCE(w.transactional_minor, 0) FROM (",
                             accounts.sql, ") AS a LEFT JOIN (", revenue.sql,
                             ") AS r ON r.account_id = a.account_id "
                             "LEFT JOIN (",
                             window.sql,
                             ") AS w ON w.account_id = a.account_id "
                             "WHERE a.band >= ? AND a.band <= ?"),
                params));
  candidates.reserve(rows.size());
  for (const sql::Row& row : rows) {
    candidates.push_back(
        CandidateWith(row, row.Int(12), row.Int(13), scope.currency));
  }
  return candidates;
}

// Every account in scope in the bands [AT_RISK, max_band] at as_of, ranked,
// the page after `after` taken (ReadCandidates, `cells` as there).
absl::StatusOr<Page> PageOfCandidates(sql::Transaction& txn,
                                      const ReportScope& scope, int max_band,
                                      bool cells,
                                      const std::optional<AtRiskCursor>& after,
                                      int32_t page_size) {
  ASSIGN_OR_RETURN(std::vector<Candidate> candidates,
                   ReadCandidates(txn, scope, max_band, cells));
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              return RanksBefore(a.revenue_at_risk_minor, a.account_id,
                                 b.revenue_at_risk_minor, b.account_id);
            });
  Page page;
  page.total_size = static_cast<int64_t>(candidates.size());
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
  page.accounts.assign(std::make_move_iterator(first),
                       std::make_move_iterator(first + count));
  page.more = count < remaining;
  return page;
}

// AtRiskRankingAnswers once FastPath and CellFilterOnly hold.
absl::StatusOr<bool> RankingHoldsWindow(sql::Transaction& txn,
                                        const ReportScope& scope) {
  const AtRiskWindow window = AtRiskWindow::AsOf(scope.as_of_us);
  ASSIGN_OR_RETURN(const std::optional<AtRiskWindow> stored,
                   projector_internal::StoredAtRiskWindow(txn, scope.tenant));
  if (!stored.has_value() || stored->last_month != window.last_month) {
    return false;
  }
  // The ranking holds the window's months whole: nothing may be dated
  // after as_of in them (an interaction dated ahead of its recording).
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> ahead,
      txn.Query("SELECT 1 FROM interactions WHERE tenant = ? AND occur_us > ? "
                "AND occur_us < ? AND currency != '' LIMIT 1",
                {scope.tenant, scope.as_of_us, window.end_day() * kDayUs}));
  return ahead.empty();
}

}  // namespace

absl::StatusOr<bool> AtRiskRankingAnswers(sql::Transaction& txn,
                                          const ReportScope& scope) {
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (!fast || !CellFilterOnly(scope.filter)) return false;
  return RankingHoldsWindow(txn, scope);
}

namespace {

// The page from the maintained ranking: per band, the accounts with revenue
// at risk above 0 after the cursor, by key; then, while the page has room,
// those at 0 (no row above 0 in the currency) by account id. The page's
// accounts' details are read by key.
absl::StatusOr<Page> ReadRankedPage(sql::Transaction& txn,
                                    const ReportScope& scope, int max_band,
                                    const std::optional<AtRiskCursor>& after,
                                    int32_t page_size) {
  Page page;
  ASSIGN_OR_RETURN(const std::vector<ModeBandCount> cells,
                   CellCountsByModeBand(txn, scope));
  for (const ModeBandCount& cell : cells) {
    if (cell.band >= type::v1::SCORE_BAND_AT_RISK && cell.band <= max_band) {
      page.total_size += cell.accounts;
    }
  }

  const size_t wanted = static_cast<size_t>(page_size) + 1;
  // (revenue at risk, account id), ranked.
  std::vector<std::pair<int64_t, std::string>> ranked;
  if (!after.has_value() || after->revenue_at_risk_minor > 0) {
    for (int band = type::v1::SCORE_BAND_AT_RISK; band <= max_band; ++band) {
      SqlFragment query;
      query.sql =
          "SELECT -neg_risk, account_id FROM at_risk_revenue "
          "WHERE tenant = ? AND currency = ? AND band = ? AND neg_risk < 0";
      query.params = {scope.tenant, scope.currency, int64_t{band}};
      if (after.has_value()) {
        query.sql += " AND (neg_risk, account_id) > (?, ?)";
        query.params.emplace_back(-after->revenue_at_risk_minor);
        query.params.emplace_back(after->account_id);
      }
      AppendCellFilter(scope.filter, "", &query);
      query.sql += " ORDER BY neg_risk, account_id LIMIT ?";
      query.params.emplace_back(static_cast<int64_t>(wanted));
      ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                       txn.Query(query.sql, query.params));
      for (const sql::Row& row : rows) {
        ranked.emplace_back(row.Int(0), row.String(1));
      }
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return RanksBefore(a.first, a.second, b.first, b.second);
    });
    if (ranked.size() > wanted) ranked.resize(wanted);
  }
  if (ranked.size() < wanted) {
    SqlFragment zeros = InBands("SELECT c.account_id FROM account_cells c",
                                "c.", scope, max_band);
    if (after.has_value() && after->revenue_at_risk_minor == 0) {
      zeros.sql += " AND c.account_id > ?";
      zeros.params.emplace_back(after->account_id);
    }
    zeros.sql +=
        " AND NOT EXISTS (SELECT 1 FROM at_risk_revenue x "
        "WHERE x.tenant = c.tenant AND x.account_id = c.account_id "
        "AND x.currency = ? AND x.neg_risk < 0) "
        "ORDER BY c.account_id LIMIT ?";
    zeros.params.emplace_back(scope.currency);
    zeros.params.emplace_back(static_cast<int64_t>(wanted - ranked.size()));
    ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                     txn.Query(zeros.sql, zeros.params));
    for (const sql::Row& row : rows) ranked.emplace_back(0, row.String(0));
  }
  page.more = ranked.size() > static_cast<size_t>(page_size);
  if (page.more) ranked.resize(static_cast<size_t>(page_size));
  if (ranked.empty()) return page;

  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (const auto& [risk, id] : ranked) ids.push_back(id);
  SqlFragment details = CellCandidates(
      "json_each(?) j CROSS JOIN account_cells c "
      "ON c.tenant = ? AND c.account_id = j.value",
      {JsonStringArray(ids), scope.tenant}, SqlFragment());
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(details.sql, details.params));
  ASSIGN_OR_RETURN(const auto revenue_of, RevenueOfAccounts(txn, scope, ids));
  absl::flat_hash_map<std::string, Candidate> by_id;
  for (const sql::Row& row : rows) {
    Candidate c = CandidateOf(row);
    by_id.emplace(c.account_id, std::move(c));
  }
  for (const auto& [risk, id] : ranked) {
    auto found = by_id.find(id);
    if (found == by_id.end()) continue;  // cannot happen in one snapshot
    Candidate c = std::move(found->second);
    c.revenue_at_risk_minor = risk;
    c.revenue_minor = SumOf(revenue_of, id);
    page.accounts.push_back(std::move(c));
  }
  return page;
}

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

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> last,
      // One seek per account in interactions_by_account (tenant,
      // account_id, occur_us).
      txn.Query("SELECT j.value, (SELECT MAX(i.occur_us) FROM interactions i "
                "WHERE i.tenant = ? AND i.account_id = j.value "
                "AND i.occur_us <= ?) FROM json_each(?) j",
                {scope.tenant, scope.as_of_us, JsonStringArray(ids)}));
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
      // One seek per account in the key (tenant, account_id, from_us).
      txn.Query("SELECT MAX((SELECT MAX(s.from_us) FROM score_versions s "
                "WHERE s.tenant = ? AND s.account_id = j.value "
                "AND s.from_us <= ?)) FROM json_each(?) j",
                {scope.tenant, scope.as_of_us, JsonStringArray(ids)}));
  if (!newest.empty() && !newest[0].IsNull(0)) {
    *response->mutable_score_freshness()->mutable_projection_time() =
        ToTimestamp(FromMicros(newest[0].Int(0)));
  }
  return absl::OkStatus();
}

}  // namespace

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

  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  const bool cells = fast && CellFilterOnly(scope.filter);
  bool ranked = false;
  if (cells) {
    ASSIGN_OR_RETURN(ranked, RankingHoldsWindow(txn, scope));
  }
  Page page;
  if (ranked) {
    ASSIGN_OR_RETURN(page,
                     ReadRankedPage(txn, scope, max_band, after, page_size));
  } else {
    ASSIGN_OR_RETURN(
        page, PageOfCandidates(txn, scope, max_band, cells, after, page_size));
  }
  response.set_total_size(static_cast<int32_t>(page.total_size));
  std::vector<std::string> ids;
  ids.reserve(page.accounts.size());
  for (auto it = page.accounts.begin(); it != page.accounts.end(); ++it) {
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
  if (page.more && !page.accounts.empty()) {
    const Candidate& last = page.accounts.back();
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

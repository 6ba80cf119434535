#include "services/reporting/report_scope.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/events/v1/ticketing_events.pb.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "services/reporting/report_fast_path.h"

namespace clientele::reporting {

static_assert(events::v1::TICKET_STATUS_NEW == 1 &&
                  events::v1::TICKET_STATUS_OPEN == 2 &&
                  events::v1::TICKET_STATUS_PENDING == 3 &&
                  events::v1::TICKET_STATUS_ON_HOLD == 6,
              "kBacklogTicketStatusesSql and kWaitingTicketStatusesSql "
              "(report_scope.h)");
namespace {

// Appends " AND <column> IN (?, ?, ...)" for the enum values of a repeated
// filter field (nothing when it is empty).
template <typename Values>
void AppendInList(absl::string_view column, const Values& values,
                  SqlFragment* out) {
  if (values.empty()) return;
  absl::StrAppend(&out->sql, " AND ", column, " IN (");
  for (int i = 0; i < values.size(); ++i) {
    absl::StrAppend(&out->sql, i == 0 ? "?" : ", ?");
    out->params.emplace_back(static_cast<int64_t>(values.Get(i)));
  }
  absl::StrAppend(&out->sql, ")");
}

}  // namespace

SqlFragment ScopedAccounts(const ReportScope& scope, bool apply_mode_filter) {
  SqlFragment out;
  // `+s.to_us` keeps SQLite from looking the score up through
  // score_versions_current (a scan of every current score per account when
  // no score column is read); the primary key finds it.
  out.sql =
      "SELECT v.account_id, v.tier, v.segment, v.owner, v.account_manager, "
      "v.acquisition_day, v.create_us, v.commercial_model, v.billing_cycle, "
      "v.recurring_minor, v.recurring_currency, v.contract_start_day, "
      "v.contract_end_day, COALESCE(s.mode, 0) AS mode, "
      "COALESCE(s.score, 0) AS score, COALESCE(s.band, 0) AS band, "
      "COALESCE(s.trend_delta, 0) AS trend_delta, "
      "COALESCE(s.risk_reasons, '') AS risk_reasons "
      "FROM account_versions v LEFT JOIN score_versions s "
      "ON s.tenant = v.tenant AND s.account_id = v.account_id "
      "AND s.from_us <= ? AND ? < +s.to_us "
      "WHERE v.tenant = ? AND v.from_us <= ? AND ? < v.to_us AND v.state = 0";
  out.params = {scope.as_of_us, scope.as_of_us, scope.tenant, scope.as_of_us,
                scope.as_of_us};
  const v1::ReportFilter& filter = scope.filter;
  AppendInList("v.tier", filter.tiers(), &out);
  AppendInList("v.segment", filter.segments(), &out);
  if (apply_mode_filter) {
    AppendInList("COALESCE(s.mode, 0)", filter.modes(), &out);
  }
  if (!filter.account_manager().empty()) {
    absl::StrAppend(&out.sql, " AND v.account_manager = ?");
    out.params.emplace_back(filter.account_manager());
  }
  if (!filter.owner().empty()) {
    absl::StrAppend(&out.sql, " AND v.owner = ?");
    out.params.emplace_back(filter.owner());
  }
  return out;
}

bool IsRecurringRevenueKind(int kind) {
  return kind == events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT ||
         kind == events::v1::INTERACTION_KIND_RETAINER_INVOICE;
}

bool IsRevenueKind(int kind) {
  return IsRecurringRevenueKind(kind) ||
         kind == events::v1::INTERACTION_KIND_PURCHASE ||
         kind == events::v1::INTERACTION_KIND_REFUND;
}

SqlFragment RevenueByAccount(const ReportScope& scope,
                             const std::string& ids_json) {
  constexpr int64_t kDayUs = int64_t{86400} * 1000000;
  // Whole days [first_day, end_day); the rest comes from the interactions.
  const int64_t first_day = DayOfUs(scope.start_us + kDayUs - 1);
  const int64_t end_day = std::max(first_day, DayOfUs(scope.end_us));
  const std::string recurring = absl::StrCat(
      "CASE WHEN kind IN (", events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT,
      ", ", events::v1::INTERACTION_KIND_RETAINER_INVOICE,
      ") THEN amount_minor ELSE 0 END");
  const std::string transactional = absl::StrCat(
      "CASE WHEN kind IN (", events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT,
      ", ", events::v1::INTERACTION_KIND_RETAINER_INVOICE,
      ") THEN 0 ELSE amount_minor END");
  const std::string only_ids =
      ids_json.empty() ? ""
                       : " AND account_id IN (SELECT value FROM json_each(?))";
  SqlFragment out;
  // The tenant is in each arm of the partial days' OR: SQLite then reads
  // interactions_by_time twice (a multi-index OR), not every interaction of
  // the tenant.
  out.sql = absl::StrCat(
      "SELECT account_id, SUM(rec) AS recurring_minor, "
      "SUM(tra) AS transactional_minor, SUM(n) AS interactions FROM ("
      "SELECT account_id, recurring_minor AS rec, transactional_minor AS tra, "
      "interactions AS n FROM revenue_days WHERE tenant = ? AND currency = ? "
      "AND day >= ? AND day < ?",
      only_ids, " UNION ALL SELECT account_id, ", recurring, " AS rec, ",
      transactional,
      " AS tra, 1 AS n FROM interactions WHERE currency = ? AND kind IN (",
      events::v1::INTERACTION_KIND_PURCHASE, ", ",
      events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT, ", ",
      events::v1::INTERACTION_KIND_RETAINER_INVOICE, ", ",
      events::v1::INTERACTION_KIND_REFUND,
      ") "
      "AND ((tenant = ? AND occur_us >= ? AND occur_us < ?) OR "
      "(tenant = ? AND occur_us >= ? AND occur_us < ?))",
      only_ids, ") GROUP BY account_id");
  const int64_t whole_start = first_day * kDayUs;
  const int64_t whole_end = end_day * kDayUs;
  out.params = {scope.tenant, scope.currency, first_day, end_day};
  if (!ids_json.empty()) out.params.emplace_back(ids_json);
  for (sql::Value value : {sql::Value(scope.currency), sql::Value(scope.tenant),
                           sql::Value(scope.start_us),
                           sql::Value(std::min(whole_start, scope.end_us)),
                           sql::Value(scope.tenant),
                           sql::Value(std::max(whole_end, scope.start_us)),
                           sql::Value(scope.end_us)}) {
    out.params.push_back(std::move(value));
  }
  if (!ids_json.empty()) out.params.emplace_back(ids_json);
  return out;
}

std::string JsonStringArray(const std::vector<std::string>& ids) {
  std::string json = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) json.push_back(',');
    json.push_back('"');
    for (const char c : ids[i]) {
      if (c == '"' || c == '\\') {
        json.push_back('\\');
        json.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        absl::StrAppend(&json, "\\u00", absl::Hex(c, absl::kZeroPad2));
      } else {
        json.push_back(c);
      }
    }
    json.push_back('"');
  }
  json.push_back(']');
  return json;
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> RevenueOfAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const std::vector<std::string>& ids) {
  absl::flat_hash_map<std::string, int64_t> revenue_of;
  if (ids.empty()) return revenue_of;
  const SqlFragment revenue = RevenueByAccount(scope, JsonStringArray(ids));
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(revenue.sql, revenue.params));
  for (const sql::Row& row : rows) {
    revenue_of[row.String(0)] = SaturatingAdd(row.Int(1), row.Int(2));
  }
  return revenue_of;
}

absl::StatusOr<std::string> TenantCurrency(sql::Transaction& txn,
                                           const std::string& tenant) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT currency FROM tenant_currency_counts "
                             "WHERE tenant = ? AND interactions > 0 "
                             "ORDER BY interactions DESC, currency LIMIT 1",
                             {tenant}));
  if (rows.empty()) return std::string("EUR");
  return rows[0].String(0);
}

absl::StatusOr<bool> FastPath(sql::Transaction& txn, const ReportScope& scope) {
  if (scope.force_fallback) return false;
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT max_us FROM report_horizon WHERE tenant = ?",
                {scope.tenant}));
  return rows.empty() || scope.as_of_us >= rows[0].Int(0);
}

absl::StatusOr<v1::ReportMetadata> MetadataWithoutInteractions(
    sql::Transaction& txn, const ReportScope& scope) {
  v1::ReportMetadata metadata;
  *metadata.mutable_time_range()->mutable_start_time() =
      ToTimestamp(FromMicros(scope.start_us));
  *metadata.mutable_time_range()->mutable_end_time() =
      ToTimestamp(FromMicros(scope.end_us));
  *metadata.mutable_as_of_time() = ToTimestamp(FromMicros(scope.as_of_us));
  *metadata.mutable_generate_time() = ToTimestamp(FromMicros(scope.now_us));
  metadata.set_currency_code(scope.currency);
  ASSIGN_OR_RETURN(std::vector<sql::Row> fresh,
                   txn.Query("SELECT MIN(applied_us) FROM stream_watermarks "
                             "WHERE tenant = ?",
                             {scope.tenant}));
  if (!fresh.empty() && !fresh[0].IsNull(0)) {
    *metadata.mutable_data_fresh_time() =
        ToTimestamp(FromMicros(fresh[0].Int(0)));
  }
  return metadata;
}

absl::StatusOr<v1::ReportMetadata> Metadata(sql::Transaction& txn,
                                            const ReportScope& scope) {
  ASSIGN_OR_RETURN(v1::ReportMetadata metadata,
                   MetadataWithoutInteractions(txn, scope));
  ASSIGN_OR_RETURN(const bool fast, FastPath(txn, scope));
  if (fast && CellFilterOnly(scope.filter)) {
    ASSIGN_OR_RETURN(const int64_t other,
                     CellOtherCurrencyInteractions(txn, scope));
    metadata.set_other_currency_interaction_count(other);
    return metadata;
  }
  SqlFragment accounts = ScopedAccounts(scope);
  std::vector<sql::Value> params = std::move(accounts.params);
  params.emplace_back(scope.tenant);
  params.emplace_back(scope.start_us);
  params.emplace_back(scope.end_us);
  params.emplace_back(scope.currency);
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> other,
      txn.Query(absl::StrCat("SELECT COUNT(*) FROM interactions i JOIN (",
                             accounts.sql,
                             ") AS a ON a.account_id = i.account_id "
                             "WHERE i.tenant = ? AND i.occur_us >= ? "
                             "AND i.occur_us < ? AND i.currency != '' "
                             "AND i.currency != ?"),
                params));
  metadata.set_other_currency_interaction_count(other[0].Int(0));
  return metadata;
}

}  // namespace clientele::reporting

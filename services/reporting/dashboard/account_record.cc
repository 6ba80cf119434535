#include "services/reporting/dashboard/account_record.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting::dashboard {
namespace {

std::optional<int64_t> OptionalInt(const sql::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Int(column);
}

absl::StatusOr<int64_t> Count(sql::Transaction& txn, absl::string_view sql,
                              const std::string& tenant,
                              const std::string& account_id) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query(sql, {tenant, account_id}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace

absl::StatusOr<AccountRecord> LoadAccountRecord(sql::Transaction& txn,
                                                const std::string& tenant,
                                                const std::string& account_id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> accounts,
      txn.Query("SELECT state, merged_into, kind, segment, tier, owner, "
                "account_manager, declared_mode, acquisition_day, create_us, "
                "commercial_model, billing_cycle, recurring_minor, "
                "recurring_currency, contract_start_day, contract_end_day "
                "FROM account_versions WHERE tenant = ? AND account_id = ? "
                "AND to_us = ?",
                {tenant, account_id, kOpenEndUs}));
  if (accounts.empty() || accounts[0].Int(0) == 1) {
    return NotFoundResourceError("account",
                                 absl::StrCat("accounts/", account_id));
  }
  const sql::Row& a = accounts[0];
  AccountRecord record;
  record.id = account_id;
  record.state = static_cast<int>(a.Int(0));
  record.merged_into = a.String(1);
  record.kind = static_cast<int>(a.Int(2));
  record.segment = static_cast<int>(a.Int(3));
  record.tier = static_cast<int>(a.Int(4));
  record.owner = a.String(5);
  record.account_manager = a.String(6);
  record.declared_mode = static_cast<int>(a.Int(7));
  record.acquisition_day = a.Int(8);
  record.create_us = a.Int(9);
  record.commercial_model = static_cast<int>(a.Int(10));
  record.billing_cycle = static_cast<int>(a.Int(11));
  record.recurring_minor = a.Int(12);
  record.recurring_currency = a.String(13);
  record.contract_start_day = OptionalInt(a, 14);
  record.contract_end_day = OptionalInt(a, 15);

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> scores,
      txn.Query("SELECT from_us, to_us, mode, score, band, trend_delta, "
                "risk_reasons FROM score_versions WHERE tenant = ? AND "
                "account_id = ? ORDER BY from_us DESC LIMIT ?",
                {tenant, account_id, int64_t{kAccountPageRows}}));
  for (const sql::Row& row : scores) {
    AccountRecord::Score score;
    score.from_us = row.Int(0);
    score.mode = static_cast<int>(row.Int(2));
    score.score = static_cast<int>(row.Int(3));
    score.band = static_cast<int>(row.Int(4));
    score.trend_delta = static_cast<int>(row.Int(5));
    const std::string reasons = row.String(6);
    if (!reasons.empty()) score.reasons = absl::StrSplit(reasons, '\n');
    if (record.scores.empty()) record.scored_now = row.Int(1) == kOpenEndUs;
    record.scores.push_back(std::move(score));
  }

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> interactions,
      txn.Query("SELECT interaction_id, kind, occur_us, staff_user, "
                "personalized, currency, amount_minor FROM interactions "
                "WHERE tenant = ? AND account_id = ? "
                "ORDER BY occur_us DESC, interaction_id LIMIT ?",
                {tenant, account_id, int64_t{kAccountPageRows}}));
  for (const sql::Row& row : interactions) {
    record.timeline.push_back({row.String(0), static_cast<int>(row.Int(1)),
                               row.Int(2), row.String(3), row.Int(4) != 0,
                               row.String(5), row.Int(6)});
  }
  ASSIGN_OR_RETURN(record.interaction_count,
                   Count(txn,
                         "SELECT COUNT(*) FROM interactions WHERE tenant = ? "
                         "AND account_id = ?",
                         tenant, account_id));

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> deals,
      txn.Query("SELECT deal_id, kind, stage, currency, amount_minor, "
                "probability, expected_close_day, close_day, owner "
                "FROM deal_versions WHERE tenant = ? AND account_id = ? AND "
                "to_us = ? ORDER BY from_us DESC, deal_id LIMIT ?",
                {tenant, account_id, kOpenEndUs, int64_t{kAccountPageRows}}));
  for (const sql::Row& row : deals) {
    record.deals.push_back({row.String(0), static_cast<int>(row.Int(1)),
                            static_cast<int>(row.Int(2)), row.String(3),
                            row.Int(4), row.Double(5), OptionalInt(row, 6),
                            OptionalInt(row, 7), row.String(8)});
  }

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> orders,
      txn.Query("SELECT order_id, status, currency, total_minor, items, "
                "place_us, fulfil_us, cancel_us FROM orders "
                "WHERE tenant = ? AND account_id = ? "
                "ORDER BY place_us DESC, order_id LIMIT ?",
                {tenant, account_id, int64_t{kAccountPageRows}}));
  for (const sql::Row& row : orders) {
    record.orders.push_back(
        {row.String(0), static_cast<int>(row.Int(1)), row.String(2), row.Int(3),
         row.String(4), row.Int(5), OptionalInt(row, 6), OptionalInt(row, 7)});
  }
  ASSIGN_OR_RETURN(record.order_count,
                   Count(txn,
                         "SELECT COUNT(*) FROM orders WHERE tenant = ? AND "
                         "account_id = ?",
                         tenant, account_id));

  ASSIGN_OR_RETURN(
      std::vector<sql::Row> tickets,
      txn.Query("SELECT t.ticket_id, COALESCE(v.status, 0), "
                "COALESCE(v.assignee, ''), t.create_us, t.first_response_s, "
                "t.resolution_s FROM tickets t LEFT JOIN ticket_versions v "
                "ON v.tenant = t.tenant AND v.ticket_id = t.ticket_id AND "
                "v.to_us = ? WHERE t.tenant = ? AND t.account_id = ? AND "
                "t.deleted = 0 ORDER BY t.create_us DESC, t.ticket_id LIMIT ?",
                {kOpenEndUs, tenant, account_id, int64_t{kAccountPageRows}}));
  for (const sql::Row& row : tickets) {
    record.tickets.push_back({row.String(0), static_cast<int>(row.Int(1)),
                              row.String(2), row.Int(3), OptionalInt(row, 4),
                              OptionalInt(row, 5)});
  }
  ASSIGN_OR_RETURN(record.ticket_count,
                   Count(txn,
                         "SELECT COUNT(*) FROM tickets WHERE tenant = ? AND "
                         "account_id = ? AND deleted = 0",
                         tenant, account_id));
  return record;
}

}  // namespace clientele::reporting::dashboard

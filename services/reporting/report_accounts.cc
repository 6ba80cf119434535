#include "services/reporting/report_accounts.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/reporting/funnel_report.h"
#include "services/reporting/pipeline_report.h"
#include "services/reporting/portfolio_report.h"
#include "services/reporting/retention_report.h"
#include "services/reporting/support_report.h"
#include "services/reporting/workload_report.h"

namespace clientele::reporting {
namespace {

// The request's bytes with the paging fields cleared: what a page token is
// bound to. Deterministic, so the same fields always give the same bytes.
std::string RequestKey(v1::ListReportAccountsRequest request) {
  request.clear_page_size();
  request.clear_page_token();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// Where a page starts: after the row with this revenue and account id, in
// the listing of this as_of and currency.
struct Cursor {
  int64_t as_of_us = 0;
  std::string currency;
  int64_t revenue_minor = 0;
  std::string account_id;
};

absl::StatusOr<Cursor> DecodeCursor(absl::string_view token,
                                    absl::string_view filter) {
  ASSIGN_OR_RETURN(std::vector<std::string> parts,
                   DecodePageToken(token, filter));
  Cursor cursor;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &cursor.as_of_us) ||
      !absl::SimpleAtoi(parts[2], &cursor.revenue_minor) ||
      !IsKnownCurrency(parts[1])) {
    return InvalidFieldError("page_token", "not a token this list issued");
  }
  cursor.currency = std::move(parts[1]);
  cursor.account_id = std::move(parts[3]);
  return cursor;
}

// One listed account and the revenue it is sorted by.
struct Listed {
  int64_t revenue_minor = 0;
  std::string account_id;
  v1::ReportAccount account;
};

// The ReportAccount of each of `ids` at scope.as_of_us.
absl::StatusOr<std::vector<Listed>> DescribeAccounts(
    sql::Transaction& txn, const ReportScope& scope,
    const std::vector<std::string>& ids) {
  // The aggregate chose the accounts: describe them whatever the filter.
  ReportScope unfiltered = scope;
  unfiltered.filter.Clear();
  const std::string ids_json = JsonStringArray(ids);
  SqlFragment accounts = ScopedAccounts(unfiltered);
  // Only the listed accounts' revenue, read by key.
  SqlFragment revenue = RevenueByAccount(scope, ids_json);
  std::vector<sql::Value> params = {ids_json};
  for (sql::Value& value : accounts.params) params.push_back(std::move(value));
  for (sql::Value& value : revenue.params) params.push_back(std::move(value));
  // CROSS JOIN: from the listed ids to their versions (by key), not from
  // every current version of the tenant to the list.
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query(absl::StrCat(
                    "SELECT a.account_id, a.tier, a.segment, "
                    "a.account_manager, a.mode, a.score, a.band, "
                    "COALESCE(r.recurring_minor, 0), "
                    "COALESCE(r.transactional_minor, 0) FROM "
                    "(SELECT DISTINCT value AS id FROM json_each(?)) AS j "
                    "CROSS JOIN (",
                    accounts.sql, ") AS a ON a.account_id = j.id LEFT JOIN (",
                    revenue.sql, ") AS r ON r.account_id = a.account_id"),
                params));
  absl::flat_hash_map<std::string, size_t> row_of;
  for (size_t i = 0; i < rows.size(); ++i) row_of[rows[i].String(0)] = i;

  std::vector<Listed> listed;
  listed.reserve(ids.size());
  for (const std::string& id : ids) {
    Listed item;
    item.account_id = id;
    item.account.set_account(absl::StrCat("accounts/", id));
    const auto found = row_of.find(id);
    if (found != row_of.end()) {
      const sql::Row& row = rows[found->second];
      item.account.set_tier(static_cast<type::v1::AccountTier>(row.Int(1)));
      item.account.set_segment(
          static_cast<type::v1::AccountSegment>(row.Int(2)));
      item.account.set_account_manager(row.String(3));
      item.account.set_mode(
          static_cast<type::v1::RelationshipMode>(row.Int(4)));
      item.account.set_score(static_cast<int32_t>(row.Int(5)));
      item.account.set_band(static_cast<type::v1::ScoreBand>(row.Int(6)));
      item.revenue_minor = SaturatingAdd(row.Int(7), row.Int(8));
    }
    item.account.mutable_revenue()->set_currency_code(scope.currency);
    item.account.mutable_revenue()->set_amount_minor_units(item.revenue_minor);
    listed.push_back(std::move(item));
  }
  return listed;
}

// Whether `a` is listed before `b`: larger revenue first, then by account.
bool ListedBefore(int64_t a_revenue, const std::string& a_id, int64_t b_revenue,
                  const std::string& b_id) {
  if (a_revenue != b_revenue) return a_revenue > b_revenue;
  return a_id < b_id;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> AggregateAccounts(
    sql::Transaction& txn, const AccountsRequest& checked,
    const v1::ReportAggregate& aggregate) {
  ReportScope scope = checked.scope;
  // As its report resolves it: the pipeline picks its own currency.
  if (aggregate.aggregate_case() != v1::ReportAggregate::kPipeline) {
    RETURN_IF_ERROR(ResolveCurrency(txn, &scope));
  }
  switch (aggregate.aggregate_case()) {
    case v1::ReportAggregate::kPortfolio:
      return PortfolioAccounts(txn, scope, aggregate.portfolio());
    case v1::ReportAggregate::kSupport:
      return SupportAccounts(txn, scope, aggregate.support());
    case v1::ReportAggregate::kWorkload:
      return WorkloadAccounts(txn, scope, aggregate.workload());
    case v1::ReportAggregate::kFunnel:
      return ConversionFunnelAccounts(txn, scope, aggregate.funnel());
    case v1::ReportAggregate::kRetention: {
      RetentionOptions options;
      options.period = checked.period;
      // A mode row is only in a report split by mode.
      options.split_by_mode = aggregate.retention().has_mode();
      return RetentionAccounts(txn, scope, options, aggregate.retention());
    }
    case v1::ReportAggregate::kPipeline: {
      PipelineOptions options;
      options.year = checked.year;
      options.quarter = checked.quarter;
      options.deal_owner = checked.deal_owner;
      return PipelineAccounts(txn, scope, options, aggregate.pipeline());
    }
    case v1::ReportAggregate::AGGREGATE_NOT_SET:
      break;
  }
  return InvalidFieldError(
      "aggregate", "required: the report aggregate whose accounts to list");
}

absl::StatusOr<v1::ListReportAccountsResponse> ListReportAccounts(
    sql::Transaction& txn, AccountsRequest checked,
    const v1::ListReportAccountsRequest& request) {
  const std::string filter = PageTokenFilter(
      "ListReportAccounts", {checked.scope.tenant, RequestKey(request)});
  std::optional<Cursor> after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(request.page_token(), filter));
    // The moment the first page resolved; a given as_of_time is already
    // bound by the filter.
    if (!checked.as_of_given) {
      if (after->as_of_us > checked.scope.now_us) {
        return InvalidFieldError("page_token", "not a token this list issued");
      }
      checked.scope.as_of_us = after->as_of_us;
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   AggregateAccounts(txn, checked, request.aggregate()));

  // Revenue is listed in the request's currency, else the one the first
  // page resolved, else the tenant's.
  ReportScope scope = checked.scope;
  if (!checked.currency_given && after.has_value()) {
    scope.currency = after->currency;
  }
  RETURN_IF_ERROR(ResolveCurrency(txn, &scope));
  ASSIGN_OR_RETURN(std::vector<Listed> listed,
                   DescribeAccounts(txn, scope, ids));
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
    return ListedBefore(a.revenue_minor, a.account_id, b.revenue_minor,
                        b.account_id);
  });

  v1::ListReportAccountsResponse response;
  ASSIGN_OR_RETURN(*response.mutable_metadata(), Metadata(txn, scope));
  response.set_total_size(
      static_cast<int32_t>(std::min<size_t>(listed.size(), INT32_MAX)));
  size_t first = 0;
  if (after.has_value()) {
    first = static_cast<size_t>(
        std::partition_point(listed.begin(), listed.end(),
                             [&](const Listed& item) {
                               return !ListedBefore(
                                   after->revenue_minor, after->account_id,
                                   item.revenue_minor, item.account_id);
                             }) -
        listed.begin());
  }
  const size_t end =
      std::min(listed.size(), first + static_cast<size_t>(checked.page_size));
  for (size_t i = first; i < end; ++i) {
    *response.add_accounts() = std::move(listed[i].account);
  }
  if (end < listed.size()) {
    const Listed& last = listed[end - 1];
    const std::string key[] = {absl::StrCat(scope.as_of_us), scope.currency,
                               absl::StrCat(last.revenue_minor),
                               last.account_id};
    response.set_next_page_token(EncodePageToken(filter, key));
  }
  return response;
}

}  // namespace clientele::reporting

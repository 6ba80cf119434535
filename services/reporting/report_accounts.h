// ListReportAccounts: the accounts behind one aggregate of a report, so that
// every figure a report answers can be listed down to its accounts. The
// report that owns the aggregate says which accounts it counted
// (<Report>Accounts in <report>_report.h); this file lists them, one
// ReportAccount each, largest revenue over the time range first, then by
// account name, in pages.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORT_ACCOUNTS_H_
#define CLIENTELE_SERVICES_REPORTING_REPORT_ACCOUNTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/reporting_service.pb.h"
#include "common/sql/database.h"
#include "services/reporting/report_request.h"

namespace clientele::reporting {

// The account ids (no "accounts/" prefix) of `request.aggregate()`, exactly
// those its report counts, from the report's own *Accounts function.
// INVALID_ARGUMENT "aggregate" when it is unset, or naming
// "aggregate.<report>.<field>" for an aggregate its report does not answer.
// Other errors are the database's.
absl::StatusOr<std::vector<std::string>> AggregateAccounts(
    sql::Transaction& txn, const AccountsRequest& checked,
    const v1::ReportAggregate& aggregate);

// One page of the aggregate's accounts as of checked.scope.as_of_us: each
// with its mode, score, band, tier, segment and account manager at as_of and
// its revenue over the time range in the scope's currency (an account the
// read model no longer has at as_of is listed by name alone), largest
// revenue first then by account; total_size is the aggregate's count;
// metadata as every report's. `checked` comes from CheckAccountsRequest of
// `request`, whose currency is resolved here.
//
// next_page_token is bound to the tenant and every request field but
// page_size and page_token, and carries the as_of and currency the first
// page resolved, so that every page of one listing describes the same
// moment when as_of_time or currency_code was left to its default.
// INVALID_ARGUMENT naming "page_token" for a token that is not one of ours,
// was altered, or was issued for another tenant or other request fields;
// the errors of AggregateAccounts; others are the database's.
absl::StatusOr<v1::ListReportAccountsResponse> ListReportAccounts(
    sql::Transaction& txn, AccountsRequest checked,
    const v1::ListReportAccountsRequest& request);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORT_ACCOUNTS_H_

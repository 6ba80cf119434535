// A report aggregate (ListReportAccounts' ReportAggregate) in the
// dashboard's query string, so a drill-down link reads as what it lists:
//
//   /accounts?aggregate=portfolio&a.mode=client&a.band=at_risk
//   /accounts?aggregate=retention&a.cohort_start_date=2025-03-01&a.period_index=2
//   /accounts?aggregate=pipeline&a.stage=proposal&a.month=2026-02
//
// `aggregate` names the report (a field of ReportAggregate's oneof) and each
// `a.<field>` one field of that report's aggregate message: enums by their
// short names ("at_risk") or full names, dates as YYYY-MM-DD (YYYY-MM for a
// month), numbers in decimal, booleans as true/false/1/0, text as is.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_AGGREGATE_PARAMS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_AGGREGATE_PARAMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "services/reporting/dashboard/dashboard_query.h"

namespace clientele::reporting::dashboard {

// INVALID_ARGUMENT naming the parameter ("aggregate", "a.band") when
// `aggregate` is missing or names no report, an `a.` parameter names no
// field of it or is given twice, or a value does not parse. Whether the
// aggregate is one its report answers is the report's to say.
absl::StatusOr<v1::ReportAggregate> ParseAggregate(const QueryParams& params);

// The query string of `aggregate` ("aggregate=portfolio&a.mode=client"),
// URL-encoded; fields in field-number order, unset ones left out.
std::string AggregateQuery(const v1::ReportAggregate& aggregate);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_AGGREGATE_PARAMS_H_

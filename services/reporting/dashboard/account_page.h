// The account page (/accounts/<id>): who the account is, its relationship
// score with its reasons and history, its timeline, deals, orders and
// tickets, from the read model (account_record.h).
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_

#include <string>

#include "services/reporting/dashboard/account_record.h"

namespace clientele::reporting::dashboard {

// The page's body.
std::string AccountBody(const AccountRecord& record);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_

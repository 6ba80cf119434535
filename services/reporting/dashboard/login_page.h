// The login form: one field for the bearer token, posted to /login.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_LOGIN_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_LOGIN_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clientele::reporting::dashboard {

// The whole document. `next`: where to go after login (a local path, or ""
// for the overview); `error`: why the last attempt failed ("" for none).
std::string LoginDocument(absl::string_view next, absl::string_view error);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_LOGIN_PAGE_H_

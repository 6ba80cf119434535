// The client portal's HTML: the page a client opens with their link
// (a layout of its own, styled like the dashboard, with no link into the
// dashboard and no script), its "not valid" and "expired" pages, and the
// dashboard's side: the form on the account page and the page showing a
// new link.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_PAGE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "services/reporting/dashboard/portal_record.h"

namespace clientele::reporting::dashboard {

// The portal page of `record` at `now_us`, for a link valid until
// `expire_us`: open and recently solved tickets, orders, proposals and
// deals, upcoming meetings; statuses in words meant for a client.
std::string PortalDocument(const PortalRecord& record, int64_t now_us,
                           int64_t expire_us);

// A portal page that only says `message` (a link not valid, expired).
std::string PortalMessageDocument(absl::string_view message);

// What the signed-in user may do about portal links on an account page.
enum class PortalLinkAccess {
  kNotConfigured,  // the process has no --portal_secret_file
  kNotAllowed,     // the user's role is below manager
  kAllowed,
};

// The account page's "Client portal" section: the form that creates a
// link (valid days, 1-90, default 30), or a note saying why there is none.
std::string PortalLinkSection(absl::string_view account_id,
                              PortalLinkAccess access);

// The body of the page answering the form: the absolute `url` (in
// <a id="portal-link">) and its expiry (in <time id="portal-link-expiry">).
std::string PortalLinkBody(absl::string_view account_id, absl::string_view url,
                           int64_t expire_us);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_PAGE_H_

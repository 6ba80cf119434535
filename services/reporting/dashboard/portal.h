// The client portal's two flows, without HTTP (dashboard_server.h routes
// them): creating a link for an account, and answering a link.
//
//   POST /accounts/<id>/portal-link   days=<1..90>   (signed-in, manager+)
//   GET  /portal/<token>                             (no login, no cookie)
//
// A link is "<scheme>://<host>/portal/<token>" (portal_token.h): it opens
// one account's page of one tenant until it expires, without a tenant token.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/sql/database.h"
#include "services/reporting/dashboard/portal_page.h"
#include "services/reporting/dashboard/portal_token.h"

namespace clientele::reporting::dashboard {

// How long a link is valid when the form does not say.
inline constexpr int kDefaultPortalLinkDays = 30;
// The longest a link may be valid.
inline constexpr int kMaxPortalLinkDays = 90;

// What `principal` may do about portal links (`tokens` null: the portal is
// not configured).
PortalLinkAccess PortalLinkAccessOf(const PortalTokens* tokens,
                                    const Principal& principal);

struct IssuedPortalLink {
  std::string token;
  absl::Time expire_time;
};

// A link to account `account_id` of the principal's tenant, valid for
// `days` (the form's text; "" for kDefaultPortalLinkDays) from `now`.
// PERMISSION_DENIED below manager; INVALID_ARGUMENT "days: ..." unless a
// whole number from 1 to kMaxPortalLinkDays; NOT_FOUND when the tenant has
// no such live account (deleted, erased, another tenant's);
// FAILED_PRECONDITION naming the survivor when it was merged. Other errors
// are the database's.
absl::StatusOr<IssuedPortalLink> CreatePortalLink(sql::Database& database,
                                                  const PortalTokens& tokens,
                                                  const Principal& principal,
                                                  const std::string& account_id,
                                                  absl::string_view days,
                                                  absl::Time now);

// What GET /portal/<token> answers: an HTTP status and a whole document.
struct PortalAnswer {
  int status = 200;
  std::string html;
};

// The portal page of `token` at `now`:
// - 200 with the account's page;
// - 404 "This link is not valid." when the portal is not configured
//   (`tokens` null), the token is not a valid one, or its account was
//   deleted or erased (nothing more is said);
// - 410 when the link expired, or its account was merged into another
//   (both: ask your account manager for a new one);
// - 503 when the read model cannot answer (logged).
PortalAnswer AnswerPortal(sql::Database& database, const PortalTokens* tokens,
                          absl::string_view token, absl::Time now);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_H_

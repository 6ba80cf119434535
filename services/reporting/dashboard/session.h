// How a browser carries its bearer token to the dashboard. Scripts send
// `Authorization: Bearer <token>` like any gRPC client; a browser posts the
// token once to /login and gets it back as a cookie:
//
//   clientele_token=<token, URL-encoded>; Path=/; HttpOnly; SameSite=Strict
//   (and Secure when the dashboard is served over TLS)
//
// HttpOnly keeps it from scripts (the dashboard runs none, and its CSP allows
// none); SameSite=Strict keeps other sites from riding it (no cross-site
// request carries it, so no CSRF token is needed). The cookie holds the token
// itself, so the dashboard keeps no session state, and a token removed from
// the token file stops working in the browser at once.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_SESSION_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_SESSION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clientele::reporting::dashboard {

inline constexpr absl::string_view kSessionCookieName = "clientele_token";

// The `authorization` value to authenticate a request with: its
// Authorization header when it has one (even a malformed one, which the
// authenticator then refuses), else "Bearer <token>" from the session
// cookie, else "" (no credential).
std::string RequestAuthorization(absl::string_view authorization_header,
                                 absl::string_view cookie_header);

// The Set-Cookie value that stores `token`, and the one that clears it.
std::string SessionCookie(absl::string_view token, bool secure);
std::string ClearedSessionCookie(bool secure);

// Whether `target` is safe to redirect to after login: a path on this site
// ("/accounts/a1?x=1"), never another site ("//evil.example",
// "/\evil.example", "https://..."), of printable ASCII only.
bool IsLocalPath(absl::string_view target);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_SESSION_H_

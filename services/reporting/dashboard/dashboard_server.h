// The web dashboard the reporting process serves beside its gRPC API
// (cpp-httplib, Debian's libcpp-httplib): server-rendered HTML with SVG
// charts, no script and nothing fetched from elsewhere, CSV exports, and the
// same bearer tokens as the API.
//
//   GET  /login                   the login form (a token field)
//   POST /login                   token=<token>[&next=<path>]: sets the
//                                 session cookie (session.h), 303 to next
//                                 or /; 401 with the form for a bad token
//   POST /logout                  clears the cookie, 303 to /login
//   GET  /                        every report (overview_page.h)
//   (every page names accounts by their display names, fetched live from
//   contacts with the user's token; by their ids when that fails)
//   GET  /accounts?aggregate=...  the accounts behind a figure
//   GET  /accounts.csv?aggregate=...
//   GET  /accounts/<id>           one account; its score's components
//                                 fetched live from engagement (with the
//                                 user's token, within the live score
//                                 timeout), the projected score when that
//                                 fails
//   GET  /reports/<report>.csv    portfolio, support, workload, at-risk,
//                                 funnel, retention, pipeline
//   POST /accounts/<id>/portal-link  days=<1..90>: a client portal link
//                                 for the account (manager or admin; 403
//                                 otherwise), shown on the page answered
//   GET  /portal/<token>          the client portal (portal.h): no login,
//                                 the token is the credential
//
// Every page but /login and /portal/... needs a valid token, from
// `Authorization: Bearer` or the cookie: without one an HTML page answers
// 302 to /login (with `next`), a CSV 401. Report parameters are
// dashboard_query.h's; a bad one answers 400 with a message naming it.
// Another tenant's account answers 404, as a missing one does. Every
// response carries a Content-Security-Policy that allows nothing but this
// origin's pages, inline style and data: images, and is not cached. The
// portal's pages allow less still (no form, nothing but inline style and
// data: images), are not indexed, and the request log shows no token.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_SERVER_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "clientele/reporting/v1/reporting_service.clientele.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/sql/database.h"
#include "services/reporting/dashboard/portal_token.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace clientele::reporting {
class AccountNames;  // account_names.h
class LiveScores;    // live_scores.h
}  // namespace clientele::reporting

namespace clientele::reporting::dashboard {

struct DashboardOptions {
  // Address to listen on: the gRPC server's (--host), loopback by default.
  std::string host = "127.0.0.1";
  // 0 picks a free port (tests).
  int port = 0;
  // Threads serving requests.
  int threads = 4;
  // Whether the session cookie is marked Secure (behind TLS).
  bool secure_cookies = false;
};

// What the dashboard reads; not owned, all outlive the server.
struct DashboardDeps {
  // The reporting service, whose RPC handlers answer every report.
  v1::ReportingServiceBase* reports = nullptr;
  // The read model, for the account page.
  sql::Database* database = nullptr;
  const TokenAuthenticator* authenticator = nullptr;
  Clock* clock = nullptr;
  // Engagement's live scores, asked for the components of the score an
  // account page shows (account_page.h) on behalf of the signed-in user;
  // null leaves the page to the read model alone.
  LiveScores* live_scores = nullptr;
  // Contacts' account names, asked once per page render for the accounts
  // the page shows, on behalf of the signed-in user (account_labels.h); null,
  // or a failed call, shows account ids instead. The client portal never
  // asks.
  AccountNames* account_names = nullptr;
  // Signs and checks client portal links; null turns the portal off (its
  // URLs answer 404, account pages say links are not configured).
  const PortalTokens* portal_tokens = nullptr;
};

class DashboardServer {
 public:
  // Binds and starts serving on a thread of its own. UNAVAILABLE when the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<DashboardServer>> Start(
      const DashboardOptions& options, const DashboardDeps& deps);
  ~DashboardServer();  // Stop()

  // The port bound.
  int port() const { return port_; }
  // "http://host:port"
  std::string address() const;

  // Stops taking requests, finishes those being served, and joins.
  // Idempotent.
  void Stop();

 private:
  DashboardServer(const DashboardOptions& options, const DashboardDeps& deps);
  void Route();

  const DashboardOptions options_;
  const DashboardDeps deps_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_DASHBOARD_SERVER_H_

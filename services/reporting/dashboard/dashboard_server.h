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
//   GET  /accounts?aggregate=...  the accounts behind a figure
//   GET  /accounts.csv?aggregate=...
//   GET  /accounts/<id>           one account
//   GET  /reports/<report>.csv    portfolio, support, workload, at-risk,
//                                 funnel, retention, pipeline
//
// Every page but /login needs a valid token, from `Authorization: Bearer`
// or the cookie: without one an HTML page answers 302 to /login (with
// `next`), a CSV 401. Report parameters are dashboard_query.h's; a bad one
// answers 400 with a message naming it. Another tenant's account answers
// 404, as a missing one does. Every response carries a Content-Security-
// Policy that allows nothing but this origin's pages, inline style and
// data: images, and is not cached.
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

namespace httplib {
class Server;
}  // namespace httplib

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

#include "services/reporting/dashboard/dashboard_server.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "httplib.h"
#include "services/reporting/dashboard/account_labels.h"
#include "services/reporting/dashboard/account_page.h"
#include "services/reporting/dashboard/account_record.h"
#include "services/reporting/dashboard/accounts_page.h"
#include "services/reporting/dashboard/csv_exports.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/html_page.h"
#include "services/reporting/dashboard/links.h"
#include "services/reporting/dashboard/login_page.h"
#include "services/reporting/dashboard/overview_page.h"
#include "services/reporting/dashboard/portal.h"
#include "services/reporting/dashboard/session.h"
#include "services/reporting/live_scores.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr char kHtml[] = "text/html; charset=utf-8";
constexpr char kCsv[] = "text/csv; charset=utf-8";
constexpr char kPlain[] = "text/plain; charset=utf-8";
// The longest account id the account page looks up.
constexpr size_t kMaxAccountIdChars = 128;
// The largest request body (the login form).
constexpr size_t kMaxBodyBytes = size_t{16} * 1024;

// What a page answers when it needs a token it was not given.
enum class Kind { kHtml, kCsv };

int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

// What a user is shown of an error: its message for their own mistakes,
// a sentence for ours (logged in full).
std::string ShownMessage(const absl::Status& status) {
  const int code = HttpStatus(status);
  if (code < 500) return std::string(status.message());
  LOG(ERROR) << "dashboard: " << status;
  if (code == 503 || code == 504) {
    return "The reporting database is busy; try again in a moment.";
  }
  return "The dashboard could not answer this; the reporting log says why.";
}

void SetError(const absl::Status& status, Kind kind, absl::string_view tenant,
              httplib::Response& res) {
  res.status = HttpStatus(status);
  const std::string message = ShownMessage(status);
  if (kind == Kind::kCsv) {
    res.set_content(absl::StrCat(message, "\n"), kPlain);
  } else {
    res.set_content(HtmlDocument("Error", tenant, ErrorBody(message)), kHtml);
  }
}

// What the client portal's pages carry instead of the dashboard's headers:
// nothing but inline style and data: images (no script, no form, no other
// origin), never framed, cached, indexed or named in a Referer.
void SetPortalHeaders(httplib::Response& res) {
  const std::pair<const char*, const char*> kHeaders[] = {
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"},
      {"Cache-Control", "no-store"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Robots-Tag", "noindex, nofollow"},
  };
  for (const auto& [name, value] : kHeaders) {
    res.headers.erase(name);
    res.set_header(name, value);
  }
}

// Whether `host` (a Host header) is a host name or address with an optional
// port, fit to build a link with.
bool IsHostHeader(absl::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (const char c : host) {
    if (!(absl::ascii_isalnum(c) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']')) {
      return false;
    }
  }
  return true;
}

// A signed-in user.
struct Session {
  Principal principal;
  std::string authorization;  // "Bearer <token>"
};

// The user as the peers the dashboard calls on their behalf see them: their
// tenant, role and bearer token, forwarded as they came. No deadline of
// their own: a peer call is bounded by its own timeout.
Caller DashboardCaller(const Session& session) {
  Caller caller;
  caller.tenant = session.principal.tenant;
  caller.actor = absl::StrCat("role:", session.principal.role);
  caller.authorization = session.authorization;
  return caller;
}

}  // namespace

DashboardServer::DashboardServer(const DashboardOptions& options,
                                 const DashboardDeps& deps)
    : options_(options),
      deps_(deps),
      http_(std::make_unique<httplib::Server>()) {}

DashboardServer::~DashboardServer() { Stop(); }

absl::StatusOr<std::unique_ptr<DashboardServer>> DashboardServer::Start(
    const DashboardOptions& options, const DashboardDeps& deps) {
  auto server =
      std::unique_ptr<DashboardServer>(new DashboardServer(options, deps));
  httplib::Server& http = *server->http_;
  const int threads = std::max(1, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(kMaxBodyBytes);
  http.set_read_timeout(5, 0);
  // An idle keep-alive connection holds a thread: let it go soon.
  http.set_keep_alive_timeout(2);
  http.set_write_timeout(10, 0);
  http.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  });
  server->Route();
  if (options.port == 0) {
    server->port_ = http.bind_to_any_port(options.host);
  } else if (http.bind_to_port(options.host, options.port)) {
    server->port_ = options.port;
  } else {
    server->port_ = -1;
  }
  if (server->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat(
        "dashboard cannot listen on ", options.host, ":", options.port));
  }
  server->thread_ = std::thread([&http] { http.listen_after_bind(); });
  LOG(INFO) << "dashboard listening on " << server->address();
  return server;
}

std::string DashboardServer::address() const {
  const bool ipv6 = absl::StrContains(options_.host, ':');
  return absl::StrCat("http://", ipv6 ? "[" : "", options_.host,
                      ipv6 ? "]" : "", ":", port_);
}

void DashboardServer::Stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

void DashboardServer::Route() {
  httplib::Server& http = *http_;
  const DashboardDeps deps = deps_;
  const bool secure = options_.secure_cookies;

  // The session of a request, or nothing (no token, or not a valid one).
  const auto authenticate =
      [deps](const httplib::Request& req) -> std::optional<Session> {
    std::string authorization = RequestAuthorization(
        req.get_header_value("Authorization"), req.get_header_value("Cookie"));
    if (authorization.empty()) return std::nullopt;
    const absl::string_view view = authorization;
    absl::StatusOr<Principal> principal =
        deps.authenticator->Authenticate(&view);
    if (!principal.ok()) return std::nullopt;
    return Session{*std::move(principal), std::move(authorization)};
  };

  // Runs `page` for a signed-in user; else 302 to the login form (HTML) or
  // 401 (CSV).
  const auto guarded = [authenticate, secure](Kind kind, auto page) {
    return [authenticate, secure, kind, page](const httplib::Request& req,
                                              httplib::Response& res) {
      const std::optional<Session> session = authenticate(req);
      if (!session.has_value()) {
        if (req.has_header("Cookie") && !req.has_header("Authorization")) {
          // A cookie that no longer works: drop it.
          res.set_header("Set-Cookie", ClearedSessionCookie(secure));
        }
        if (kind == Kind::kCsv) {
          res.status = 401;
          res.set_header("WWW-Authenticate", "Bearer");
          res.set_content("A bearer token is required.\n", kPlain);
        } else {
          const std::string next =
              IsLocalPath(req.target) && req.target != "/"
                  ? absl::StrCat("?next=", UrlEncode(req.target))
                  : "";
          res.set_redirect(absl::StrCat("/login", next), 302);
        }
        return;
      }
      page(*session, req, res);
    };
  };

  http.Get("/login", [](const httplib::Request& req, httplib::Response& res) {
    std::string next = req.get_param_value("next");
    if (!IsLocalPath(next)) next.clear();
    res.set_content(LoginDocument(next, ""), kHtml);
  });

  http.Post("/login", [deps, secure](const httplib::Request& req,
                                     httplib::Response& res) {
    std::string next = req.get_param_value("next");
    if (!IsLocalPath(next)) next = "/";
    const std::string token = req.get_param_value("token");
    const std::string authorization = absl::StrCat("Bearer ", token);
    const absl::string_view view = authorization;
    if (token.empty() || !deps.authenticator->Authenticate(&view).ok()) {
      res.status = 401;
      res.set_content(
          LoginDocument(next == "/" ? "" : next, "That token is not valid."),
          kHtml);
      return;
    }
    res.set_header("Set-Cookie", SessionCookie(token, secure));
    res.set_redirect(next, 303);
  });

  http.Post("/logout",
            [secure](const httplib::Request&, httplib::Response& res) {
              res.set_header("Set-Cookie", ClearedSessionCookie(secure));
              res.set_redirect("/login", 303);
            });

  http.Get(
      "/", guarded(Kind::kHtml, [deps](const Session& session,
                                       const httplib::Request& req,
                                       httplib::Response& res) {
        const absl::Time now = deps.clock->Now();
        ReportCalls reports(deps.reports, session.principal,
                            session.authorization);
        absl::StatusOr<std::string> body;
        absl::StatusOr<DashboardQuery> query =
            ParseDashboardQuery(req.params, now);
        if (query.ok()) {
          body = OverviewBody(reports, *query, now,
                              {deps.account_names, DashboardCaller(session)});
        } else {
          body = query.status();
        }
        if (!body.ok()) {
          SetError(body.status(), Kind::kHtml, session.principal.tenant, res);
          return;
        }
        res.set_content(HtmlDocument("Portfolio dashboard",
                                     session.principal.tenant, *body),
                        kHtml);
      }));

  const auto accounts = [deps](Kind kind) {
    return [deps, kind](const Session& session, const httplib::Request& req,
                        httplib::Response& res) {
      const absl::Time now = deps.clock->Now();
      ReportCalls reports(deps.reports, session.principal,
                          session.authorization);
      absl::StatusOr<std::string> text;
      absl::StatusOr<DashboardQuery> query =
          ParseDashboardQuery(req.params, now);
      if (!query.ok()) {
        text = query.status();
      } else if (kind == Kind::kCsv) {
        text = AccountsCsvText(reports, req.params, *query, now);
      } else {
        text = AccountsBody(reports, req.params, *query, now,
                            {deps.account_names, DashboardCaller(session)});
      }
      if (!text.ok()) {
        SetError(text.status(), kind, session.principal.tenant, res);
      } else if (kind == Kind::kCsv) {
        res.set_header("Content-Disposition",
                       "attachment; filename=\"accounts.csv\"");
        res.set_content(*text, kCsv);
      } else {
        res.set_content(
            HtmlDocument("Accounts", session.principal.tenant, *text), kHtml);
      }
    };
  };
  http.Get("/accounts", guarded(Kind::kHtml, accounts(Kind::kHtml)));
  http.Get("/accounts.csv", guarded(Kind::kCsv, accounts(Kind::kCsv)));

  http.Get(
      R"(/accounts/([^/]+))",
      guarded(Kind::kHtml, [deps](const Session& session,
                                  const httplib::Request& req,
                                  httplib::Response& res) {
        const std::string id = req.matches[1];
        const std::string& tenant = session.principal.tenant;
        absl::StatusOr<AccountRecord> record =
            absl::NotFoundError("no such account");
        if (!id.empty() && id.size() <= kMaxAccountIdChars) {
          const absl::Status read =
              deps.database->Read([&](sql::Transaction& txn) {
                record = LoadAccountRecord(txn, tenant, id);
                return absl::OkStatus();
              });
          if (!read.ok()) record = read;
        }
        if (!record.ok()) {
          SetError(absl::IsNotFound(record.status())
                       ? absl::NotFoundError("No such account.")
                       : record.status(),
                   Kind::kHtml, tenant, res);
          return;
        }
        // Asked outside the read transaction: engagement may be slow.
        std::optional<absl::StatusOr<engagement::v1::RelationshipScore>> live;
        if (deps.live_scores != nullptr && record->state == 0) {
          live = deps.live_scores->GetScore(DashboardCaller(session),
                                            absl::StrCat("accounts/", id));
          if (!live->ok()) {
            LOG(WARNING) << "dashboard: no live score of accounts/" << id
                         << ": " << live->status();
          }
        }
        std::vector<std::string> named = {id};
        if (!record->merged_into.empty()) named.push_back(record->merged_into);
        const AccountLabels labels =
            AccountNameSource{deps.account_names, DashboardCaller(session)}
                .Fetch(named);
        std::string body =
            AccountBody(*record, live.has_value() ? &*live : nullptr, labels);
        if (record->state == 0) {  // not merged
          body += PortalLinkSection(
              id, PortalLinkAccessOf(deps.portal_tokens, session.principal));
        }
        res.set_content(
            HtmlDocument(labels.Label(id) == id ? absl::StrCat("Account ", id)
                                                : labels.Label(id),
                         tenant, body),
            kHtml);
      }));

  // A client portal link (portal.h). Signed out, back to the account page
  // after login: the form is there.
  const auto create_portal_link = [deps, authenticate, secure](
                                      const httplib::Request& req,
                                      httplib::Response& res) {
    const std::string id = req.matches[1];
    const std::optional<Session> session = authenticate(req);
    if (!session.has_value()) {
      res.set_redirect(
          absl::StrCat("/login?next=", UrlEncode(Links::Account(id))), 303);
      return;
    }
    const std::string& tenant = session->principal.tenant;
    const std::string host = req.get_header_value("Host");
    absl::StatusOr<IssuedPortalLink> link;
    if (deps.portal_tokens == nullptr) {
      link = absl::NotFoundError("Client portal links are not configured.");
    } else if (!IsHostHeader(host)) {
      link = absl::InvalidArgumentError(
          "The request's Host header is not a host name.");
    } else if (id.size() > kMaxAccountIdChars) {
      link = absl::NotFoundError("No such account.");
    } else {
      link = CreatePortalLink(*deps.database, *deps.portal_tokens,
                              session->principal, id,
                              req.get_param_value("days"), deps.clock->Now());
    }
    if (!link.ok()) {
      SetError(link.status(), Kind::kHtml, tenant, res);
      return;
    }
    const std::string url = absl::StrCat(secure ? "https://" : "http://", host,
                                         Links::Portal(link->token));
    res.set_content(
        HtmlDocument("Client portal link", tenant,
                     PortalLinkBody(id, url, ToMicros(link->expire_time))),
        kHtml);
  };
  http.Post(R"(/accounts/([^/]+)/portal-link)", create_portal_link);

  // The client portal: the token is the credential; no cookie is read.
  http.Get(R"(/portal/(.*))",
           [deps](const httplib::Request& req, httplib::Response& res) {
             const PortalAnswer answer =
                 AnswerPortal(*deps.database, deps.portal_tokens,
                              req.matches[1].str(), deps.clock->Now());
             SetPortalHeaders(res);
             res.status = answer.status;
             res.set_content(answer.html, kHtml);
           });

  http.Get(R"(/reports/([a-z-]+)\.csv)",
           guarded(Kind::kCsv, [deps](const Session& session,
                                      const httplib::Request& req,
                                      httplib::Response& res) {
             const std::string report = req.matches[1];
             const absl::Time now = deps.clock->Now();
             ReportCalls reports(deps.reports, session.principal,
                                 session.authorization);
             absl::StatusOr<std::string> text;
             absl::StatusOr<DashboardQuery> query =
                 ParseDashboardQuery(req.params, now);
             if (query.ok()) {
               text = ReportCsvText(reports, report, *query, now);
             } else {
               text = query.status();
             }
             if (!text.ok()) {
               SetError(text.status(), Kind::kCsv, session.principal.tenant,
                        res);
               return;
             }
             res.set_header(
                 "Content-Disposition",
                 absl::StrCat("attachment; filename=\"", report, ".csv\""));
             res.set_content(*text, kCsv);
           }));

  // Pages that are not there, and errors httplib answers itself (a body too
  // large, a bad request line), get a short page of their own.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || (res.status >= 300 && res.status < 400)) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        res.set_content(res.status == 404
                            ? "Not found.\n"
                            : absl::StrCat("HTTP error ", res.status, ".\n"),
                        kPlain);
        return httplib::Server::HandlerResponse::Handled;
      }));

  http.set_logger([](const httplib::Request& req,
                     const httplib::Response& res) {
    // A portal token opens an account's page: it stays out of logs.
    const std::string path =
        absl::StartsWith(req.path, "/portal/") ? "/portal/<token>" : req.path;
    LogFields(
        res.status >= 500 ? LogSeverity::kError : LogSeverity::kInfo,
        {LogField::String("msg", "dashboard request"),
         LogField::String("method", req.method), LogField::String("path", path),
         LogField::Raw("status", absl::StrCat(res.status))});
  });
}

}  // namespace clientele::reporting::dashboard

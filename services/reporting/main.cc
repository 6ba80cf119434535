// reporting: portfolio, support, workload, retention and conversion reports.
// Flags -> dependencies -> run; see common/server/process.h.
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "clientele/reporting/v1/reporting_service.grpc.pb.h"
#include "common/clock.h"
#include "common/events/consumer.h"
#include "common/log.h"
#include "common/server/process.h"
#include "common/server/server.h"
#include "services/reporting/account_names.h"
#include "services/reporting/dashboard/dashboard_server.h"
#include "services/reporting/dashboard/portal_token.h"
#include "services/reporting/live_scores.h"
#include "services/reporting/projector.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/reporting_grpc_service.h"
#include "services/reporting/reporting_schema.h"

ABSL_FLAG(std::string, engagement_address, "127.0.0.1:7002",
          "The engagement service (host:port), asked for the current scores "
          "of the accounts on an at-risk page and for the score components "
          "a dashboard account page shows.");
ABSL_FLAG(absl::Duration, live_score_timeout, absl::Milliseconds(300),
          "Longest the at-risk list waits for engagement's live scores, "
          "retries included; the caller's remaining deadline can only "
          "shorten it. Past it the list answers from reporting's own "
          "projection and says so (score_freshness); the dashboard's "
          "account page shows the projected score without components.");
ABSL_FLAG(std::string, contacts_address, "127.0.0.1:7001",
          "The contacts service (host:port), asked for the display names of "
          "the accounts a dashboard page shows, with the signed-in user's "
          "token. Empty shows account ids instead.");
ABSL_FLAG(absl::Duration, contacts_timeout, absl::Milliseconds(300),
          "Longest a dashboard page waits for contacts' account names, "
          "retries included. Past it the page shows account ids instead.");
ABSL_FLAG(int, dashboard_port, 7104,
          "Port of the web dashboard (HTTP, on --host like the gRPC API, the "
          "same bearer tokens); 0 turns it off.");
ABSL_FLAG(std::string, portal_secret_file, "",
          "File holding the secret (at least 32 bytes; trailing whitespace "
          "ignored) that signs client portal links "
          "(dashboard/portal_token.h). Empty turns the client portal off: "
          "its links answer 404 and account pages say links are not "
          "configured. Changing the secret ends every link issued.");

int main(int argc, char** argv) {
  clientele::server::InitProcess(argc, argv,
                                 "reporting: portfolio, support, workload, "
                                 "retention and conversion reports");
  auto process = clientele::server::ServiceProcess::Open(
      {"reporting", 7004, clientele::reporting::ReportingMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::server::ServiceProcess& p = **process;
  // A read model that had events before the retention tables existed has
  // them built once, before the consumers start (projector_aggregates.h).
  if (const absl::Status built =
          clientele::reporting::BuildRetentionAggregatesWhereNeeded(
              p.database());
      !built.ok()) {
    LOG(ERROR) << "cannot build the retention aggregates: " << built;
    return 1;
  }
  if (const absl::Status synced =
          clientele::reporting::SyncCountsWhereNeeded(p.database());
      !synced.ok()) {
    LOG(ERROR) << "cannot build the support aggregates: " << synced;
    return 1;
  }

  // The read model: every service's events, each applied once (see
  // projector.h). Reports read only it, so they answer while any other
  // service is down.
  clientele::reporting::Projector projector;
  std::vector<std::unique_ptr<clientele::events::EventConsumer>> consumers;
  for (const char* source : {"contacts", "engagement", "ticketing"}) {
    consumers.push_back(p.NewEventConsumer(source, projector.HandlerFor(source),
                                           projector.ConsumerTuning()));
    consumers.back()->Start();
  }

  // ---- engagement: live scores for at-risk pages and account pages -----
  // One channel to engagement for the process's life, made lazily (engagement
  // may start later); reads retried on UNAVAILABLE (GrpcLiveScores).
  auto engagement = clientele::reporting::GrpcLiveScores::Connect(
      absl::GetFlag(FLAGS_engagement_address), clientele::RealClock::Get(),
      {absl::GetFlag(FLAGS_live_score_timeout)});
  if (!engagement.ok()) {
    LOG(ERROR) << "--engagement_address: " << engagement.status();
    return 1;
  }
  clientele::reporting::LiveScores* live_scores = engagement->get();
  // ---- end engagement --------------------------------------------------

  clientele::reporting::ReportingDeps deps;
  deps.database = &p.database();
  deps.clock = clientele::RealClock::Get();
  deps.live_scores = live_scores;
  clientele::reporting::ReportingGrpcService service(p.runtime(), deps);

  // ---- the web dashboard (dashboard/dashboard_server.h) ----------------
  // Its reports are the service's RPC handlers, called for the signed-in
  // user; it stops after the gRPC server.
  std::unique_ptr<clientele::reporting::dashboard::DashboardServer> dashboard;
  const int dashboard_port = absl::GetFlag(FLAGS_dashboard_port);
  if (dashboard_port < 0 || dashboard_port > 65535) {
    LOG(ERROR) << "--dashboard_port must be 0 (off) or a port";
    return 1;
  }
  std::unique_ptr<clientele::reporting::dashboard::PortalTokens> portal_tokens;
  if (const std::string secret_file = absl::GetFlag(FLAGS_portal_secret_file);
      !secret_file.empty()) {
    auto tokens =
        clientele::reporting::dashboard::PortalTokens::FromFile(secret_file);
    if (!tokens.ok()) {
      LOG(ERROR) << "--portal_secret_file: " << tokens.status();
      return 1;
    }
    portal_tokens = *std::move(tokens);
  }
  // Contacts' account names for the dashboard's pages: one channel for the
  // process's life, made lazily; reads retried on UNAVAILABLE.
  std::unique_ptr<clientele::reporting::GrpcAccountNames> account_names;
  if (const std::string contacts = absl::GetFlag(FLAGS_contacts_address);
      dashboard_port != 0 && !contacts.empty()) {
    auto connected = clientele::reporting::GrpcAccountNames::Connect(
        contacts, clientele::RealClock::Get(),
        {absl::GetFlag(FLAGS_contacts_timeout)});
    if (!connected.ok()) {
      LOG(ERROR) << "--contacts_address: " << connected.status();
      return 1;
    }
    account_names = *std::move(connected);
  }
  if (dashboard_port != 0) {
    clientele::reporting::dashboard::DashboardOptions options;
    options.host = clientele::server::ServerOptionsFromFlags(7004).host;
    options.port = dashboard_port;
    clientele::reporting::dashboard::DashboardDeps dashboard_deps;
    dashboard_deps.reports = &service;
    dashboard_deps.database = &p.database();
    dashboard_deps.authenticator = p.runtime()->authenticator;
    dashboard_deps.clock = clientele::RealClock::Get();
    dashboard_deps.portal_tokens = portal_tokens.get();
    dashboard_deps.live_scores = live_scores;
    dashboard_deps.account_names = account_names.get();
    auto started = clientele::reporting::dashboard::DashboardServer::Start(
        options, dashboard_deps);
    if (!started.ok()) {
      LOG(ERROR) << "cannot start the dashboard: " << started.status();
      return 1;
    }
    dashboard = *std::move(started);
  }
  // ---- end dashboard ---------------------------------------------------

  const absl::Status status = p.Serve(
      {{&service,
        clientele::reporting::v1::ReportingService::service_full_name()}});
  if (dashboard != nullptr) dashboard->Stop();
  for (auto& consumer : consumers) consumer->Stop();
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

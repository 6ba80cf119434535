// ticketing: support tickets, SLA policies and clocks, CSAT surveys.
// Flags -> dependencies -> run; see common/server/process.h.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticketing_service.grpc.pb.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/peer_channel.h"
#include "common/server/process.h"
#include "common/write_pipeline.h"
#include "services/ticketing/contacts_directory.h"
#include "services/ticketing/ticketing_backend.h"
#include "services/ticketing/ticketing_grpc_service.h"
#include "services/ticketing/ticketing_schema.h"

ABSL_FLAG(std::string, contacts_address, "127.0.0.1:7001",
          "The contacts service (host:port), which the support form asks to "
          "find or create a requester.");
ABSL_FLAG(absl::Duration, contacts_timeout, absl::Seconds(2),
          "Longest a call to contacts may take, retries included; the "
          "caller's remaining deadline can only shorten it. When contacts "
          "does not answer in time the form's ticket is taken anyway and "
          "linked later.");
ABSL_FLAG(absl::Duration, requester_link_interval, absl::Seconds(10),
          "How often tickets taken while contacts was unreachable are offered "
          "to it again.");
ABSL_FLAG(absl::Duration, sla_check_interval, absl::Seconds(5),
          "How often SLA clocks that became at risk or breached are looked "
          "for (each publishes one event).");
ABSL_FLAG(absl::Duration, csat_survey_ttl, absl::Hours(24 * 14),
          "How long a CSAT survey accepts its answer.");

int main(int argc, char** argv) {
  clientele::server::InitProcess(
      argc, argv,
      "ticketing: support tickets, SLA policies and clocks, CSAT surveys");
  auto process = clientele::server::ServiceProcess::Open(
      {"ticketing", 7003, clientele::ticketing::TicketingMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::server::ServiceProcess& p = **process;
  p.retention_job().Add("stored responses", clientele::StoredResponsePurge());

  // One channel to contacts for the process's life.
  clientele::PeerChannelOptions peer_options;
  peer_options.retry_safe_methods =
      clientele::ticketing::GrpcContactsDirectory::RetrySafeMethods();
  auto contacts_channel = clientele::MakePeerChannel(
      absl::GetFlag(FLAGS_contacts_address), peer_options);
  if (!contacts_channel.ok()) {
    LOG(ERROR) << "--contacts_address: " << contacts_channel.status();
    return 1;
  }
  clientele::ticketing::GrpcContactsDirectory contacts(
      *contacts_channel, clientele::RealClock::Get(),
      {absl::GetFlag(FLAGS_contacts_timeout)});

  clientele::ticketing::TicketingBackendOptions options;
  options.csat_survey_ttl = absl::GetFlag(FLAGS_csat_survey_ttl);
  options.sla_check_interval = absl::GetFlag(FLAGS_sla_check_interval);
  options.requester_link_interval =
      absl::GetFlag(FLAGS_requester_link_interval);
  clientele::ticketing::TicketingBackend backend(
      &p.database(), &p.event_writer(), clientele::RealClock::Get(),
      clientele::RandomIdGenerator::Get(), &contacts, options);

  // Accounts, contacts and erasures from contacts; relationship modes from
  // engagement: the local projections tickets read.
  auto handler = [&backend](clientele::sql::Transaction& txn,
                            const clientele::events::StreamEvent& event) {
    return backend.projection().Apply(txn, event);
  };
  auto contacts_events = p.NewEventConsumer("contacts", handler);
  auto engagement_events = p.NewEventConsumer("engagement", handler);
  contacts_events->Start();
  engagement_events->Start();
  backend.Start();

  clientele::ticketing::TicketingGrpcService service(p.runtime(),
                                                     backend.managers());
  const absl::Status status = p.Serve(
      {{&service,
        clientele::ticketing::v1::TicketingService::service_full_name()}});
  backend.Stop();
  engagement_events->Stop();
  contacts_events->Stop();
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

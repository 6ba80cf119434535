// The ticketing service's stores, managers and background jobs, wired once:
// main.cc builds it from ServiceProcess, tests from a TempDir database.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_BACKEND_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_BACKEND_H_

#include "absl/time/time.h"
#include "services/ticketing/contacts_directory.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/data_subject_manager.h"
#include "services/ticketing/projection_updater.h"
#include "services/ticketing/requester_linker.h"
#include "services/ticketing/routing_manager.h"
#include "services/ticketing/sla_alert_manager.h"
#include "services/ticketing/sla_job.h"
#include "services/ticketing/sla_policy_manager.h"
#include "services/ticketing/sla_tracker.h"
#include "services/ticketing/sqlite_csat_store.h"
#include "services/ticketing/sqlite_projection_store.h"
#include "services/ticketing/sqlite_sla_store.h"
#include "services/ticketing/sqlite_ticket_store.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticketing_deps.h"
#include "services/ticketing/ticketing_grpc_service.h"

namespace clientele::ticketing {

struct TicketingBackendOptions {
  // How long a CSAT survey accepts an answer.
  absl::Duration csat_survey_ttl = absl::Hours(24 * 14);
  // How often the SLA job looks for clocks that became at risk or breached.
  absl::Duration sla_check_interval = absl::Seconds(5);
  // How often pending form tickets are offered to contacts again.
  absl::Duration requester_link_interval = absl::Seconds(10);
};

class TicketingBackend {
 public:
  // Nothing is owned; everything must outlive the backend. The database
  // must be migrated to TicketingMigrations().
  TicketingBackend(sql::Database* database, events::EventWriter* events,
                   Clock* clock, IdGenerator* ids, ContactsDirectory* contacts,
                   const TicketingBackendOptions& options)
      : deps_(MakeDeps(database, events, clock, ids, contacts, options)),
        tracker_(deps_),
        csat_(deps_),
        routing_(deps_),
        tickets_(deps_, &tracker_, &csat_, &routing_),
        sla_policies_(deps_),
        sla_alerts_(deps_),
        data_subjects_(deps_, &csat_),
        projection_(deps_, &tickets_, &csat_, &data_subjects_),
        sla_job_(&sla_alerts_, options.sla_check_interval),
        linker_(deps_, &tickets_,
                RequesterLinker::Options{options.requester_link_interval}) {
    // A form taken without its requester is offered to contacts again at
    // once rather than after the linker's period.
    tickets_.SetPendingRequesterListener([this] { linker_.Wake(); });
  }
  TicketingBackend(const TicketingBackend&) = delete;
  TicketingBackend& operator=(const TicketingBackend&) = delete;

  // The managers behind the gRPC service.
  TicketingManagers managers() {
    return {&tickets_,    &routing_, &sla_policies_,
            &sla_alerts_, &csat_,    &data_subjects_};
  }
  TicketManager& tickets() { return tickets_; }
  // Both consumers' (contacts' and engagement's streams) event handler.
  ProjectionUpdater& projection() { return projection_; }

  // The background jobs: SLA alerts and breaches, linking form tickets.
  void Start() {
    sla_job_.Start();
    linker_.Start();
  }
  void Stop() {
    linker_.Stop();
    sla_job_.Stop();
  }

  SlaJob& sla_job() { return sla_job_; }
  RequesterLinker& linker() { return linker_; }

 private:
  TicketingDeps MakeDeps(sql::Database* database, events::EventWriter* events,
                         Clock* clock, IdGenerator* ids,
                         ContactsDirectory* contacts,
                         const TicketingBackendOptions& options) {
    TicketingDeps deps;
    deps.database = database;
    deps.events = events;
    deps.clock = clock;
    deps.ids = ids;
    deps.tickets = &ticket_store_;
    deps.sla = &sla_store_;
    deps.csat = &csat_store_;
    deps.projection = &projection_store_;
    deps.contacts = contacts;
    deps.csat_survey_ttl = options.csat_survey_ttl;
    return deps;
  }

  // Declared first: the deps point at them.
  SqliteTicketStore ticket_store_;
  SqliteSlaStore sla_store_;
  SqliteCsatStore csat_store_;
  SqliteProjectionStore projection_store_;
  TicketingDeps deps_;
  SlaTracker tracker_;
  CsatManager csat_;
  RoutingManager routing_;
  TicketManager tickets_;
  SlaPolicyManager sla_policies_;
  SlaAlertManager sla_alerts_;
  DataSubjectManager data_subjects_;
  ProjectionUpdater projection_;
  SlaJob sla_job_;
  RequesterLinker linker_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_BACKEND_H_

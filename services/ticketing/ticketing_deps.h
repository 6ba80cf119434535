// What the ticketing managers are built from. Nothing here is owned.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_DEPS_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_DEPS_H_

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"
#include "common/write_pipeline.h"

namespace clientele::ticketing {

class TicketStore;        // ticket_store.h
class SlaStore;           // sla_store.h
class CsatStore;          // csat_store.h
class ProjectionStore;    // projection_store.h
class ContactsDirectory;  // contacts_directory.h

struct TicketingDeps {
  sql::Database* database = nullptr;
  events::EventWriter* events = nullptr;
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  TicketStore* tickets = nullptr;
  SlaStore* sla = nullptr;
  CsatStore* csat = nullptr;
  ProjectionStore* projection = nullptr;
  // Finds or creates a form's requester in contacts (a gRPC peer).
  ContactsDirectory* contacts = nullptr;
  // How long a CSAT survey accepts an answer (--csat_survey_ttl).
  absl::Duration csat_survey_ttl = absl::Hours(24 * 14);

  // Every write of the managers goes through this (common/write_pipeline.h).
  WritePipeline writes() const { return WritePipeline(database, clock); }
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_DEPS_H_

// The ticketing database schema, as the ordered migrations applied at start-up.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_

#include <vector>

#include "common/sql/database.h"

namespace clientele::ticketing {

// The tables of each part of the service, created together by migration 3.
// Resources are stored as serialized protos (`data`) next to the columns
// that lists filter on; every table leads with `tenant`; times are
// microseconds since the Unix epoch (`*_us`).
extern const char kTicketTablesSql[];
extern const char kSlaTablesSql[];
extern const char kCsatTablesSql[];
extern const char kProjectionTablesSql[];

// Every migration of the ticketing database, oldest first. Append only: a
// released migration is never edited.
std::vector<sql::Migration> TicketingMigrations();

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_

// The ticketing database schema, as the ordered migrations applied at start-up.
#ifndef CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_
#define CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_

#include <vector>

#include "common/sql/database.h"

namespace clientele::ticketing {

// Every migration of the ticketing database, oldest first. Append only: a
// released migration is never edited.
std::vector<sql::Migration> TicketingMigrations();

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_TICKETING_SCHEMA_H_

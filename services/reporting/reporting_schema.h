// The reporting database schema, as the ordered migrations applied at start-up.
#ifndef CLIENTELE_SERVICES_REPORTING_REPORTING_SCHEMA_H_
#define CLIENTELE_SERVICES_REPORTING_REPORTING_SCHEMA_H_

#include <vector>

#include "common/sql/database.h"

namespace clientele::reporting {

// Every migration of the reporting database, oldest first. Append only: a
// released migration is never edited.
std::vector<sql::Migration> ReportingMigrations();

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REPORTING_SCHEMA_H_

// The engagement database schema, as the ordered migrations applied at
// start-up.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SCHEMA_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SCHEMA_H_

#include <vector>

#include "common/sql/database.h"

namespace clientele::engagement {

// Every migration of the engagement database, oldest first. Append only: a
// released migration is never edited.
std::vector<sql::Migration> EngagementMigrations();

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_SCHEMA_H_

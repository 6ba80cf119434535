// The contacts database schema, as the ordered migrations applied at start-up.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_SCHEMA_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_SCHEMA_H_

#include <vector>

#include "common/sql/database.h"

namespace clientele::contacts {

// Every migration of the contacts database, oldest first. Append only: a
// released migration is never edited.
std::vector<sql::Migration> ContactsMigrations();

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_SCHEMA_H_

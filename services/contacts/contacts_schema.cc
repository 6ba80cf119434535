#include "services/contacts/contacts_schema.h"

#include "common/events/outbox.h"

namespace clientele::contacts {

std::vector<sql::Migration> ContactsMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
  };
}

}  // namespace clientele::contacts

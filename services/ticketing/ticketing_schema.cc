#include "services/ticketing/ticketing_schema.h"

#include "common/events/outbox.h"

namespace clientele::ticketing {

std::vector<sql::Migration> TicketingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
  };
}

}  // namespace clientele::ticketing

#include "services/ticketing/ticketing_schema.h"

#include "common/events/outbox.h"

namespace clientele::ticketing {

std::vector<sql::Migration> TicketingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
  };
}

}  // namespace clientele::ticketing

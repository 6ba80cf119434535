#include "services/reporting/reporting_schema.h"

#include "common/events/outbox.h"

namespace clientele::reporting {

std::vector<sql::Migration> ReportingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
  };
}

}  // namespace clientele::reporting

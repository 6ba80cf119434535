#include "services/reporting/reporting_schema.h"

#include "common/events/outbox.h"

namespace clientele::reporting {

std::vector<sql::Migration> ReportingMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
  };
}

}  // namespace clientele::reporting

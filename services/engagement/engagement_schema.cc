#include "services/engagement/engagement_schema.h"

#include "common/events/outbox.h"

namespace clientele::engagement {

std::vector<sql::Migration> EngagementMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
  };
}

}  // namespace clientele::engagement

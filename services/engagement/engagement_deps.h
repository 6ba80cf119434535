// What the engagement managers are built from. Nothing here is owned.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_DEPS_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_DEPS_H_

#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"
#include "common/write_pipeline.h"
#include "services/engagement/follow_up_store.h"
#include "services/engagement/interaction_store.h"
#include "services/engagement/projection_store.h"
#include "services/engagement/score_store.h"

namespace clientele::engagement {

struct EngagementDeps {
  sql::Database* database = nullptr;
  events::EventWriter* events = nullptr;
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  ProjectionStore* projection = nullptr;
  InteractionStore* interactions = nullptr;
  ScoreStore* scores = nullptr;
  FollowUpStore* follow_ups = nullptr;

  // Every write of the managers goes through this (common/write_pipeline.h).
  WritePipeline writes() const { return WritePipeline(database, clock); }
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_DEPS_H_

// engagement: the interaction timeline, relationship mode and score, next best
// actions, follow-ups. Flags -> dependencies -> run; see
// common/server/process.h.
#include <string>

#include "absl/flags/flag.h"
#include "clientele/engagement/v1/engagement_service.grpc.pb.h"
#include "common/clock.h"
#include "common/events/consumer.h"
#include "common/events/event_writer.h"
#include "common/log.h"
#include "common/server/process.h"
#include "common/write_pipeline.h"
#include "services/engagement/engagement_backend.h"
#include "services/engagement/engagement_grpc_service.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/redis_score_cache.h"

ABSL_FLAG(absl::Duration, score_cache_ttl, absl::Minutes(10),
          "How long a computed score is served from the cache (scores move "
          "as time passes); Redis entries expire after it plus up to a tenth "
          "more, at random.");
ABSL_FLAG(int, near_cache_capacity, 100000,
          "Scores kept in the process in front of Redis.");
ABSL_FLAG(absl::Duration, cadence_interval, absl::Minutes(1),
          "How often keep-in-touch cadences are checked for touches that "
          "fell due (each makes one follow-up); 0 turns the cadence job "
          "off.");

int main(int argc, char** argv) {
  clientele::server::InitProcess(
      argc, argv,
      "engagement: the interaction timeline, relationship mode and score, next "
      "best actions, follow-ups");
  auto process = clientele::server::ServiceProcess::Open(
      {"engagement", 7002, clientele::engagement::EngagementMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  clientele::server::ServiceProcess& p = **process;
  p.retention_job().Add("stored responses", clientele::StoredResponsePurge());
  clientele::engagement::RedisScoreCacheOptions cache_options;
  cache_options.ttl = absl::GetFlag(FLAGS_score_cache_ttl);
  cache_options.jitter = cache_options.ttl / 10;
  cache_options.near_capacity = absl::GetFlag(FLAGS_near_cache_capacity);
  clientele::engagement::RedisScoreCache cache(&p.redis(), cache_options,
                                               clientele::RealClock::Get());
  // While it is live, warm scores are answered from memory (see
  // RedisScoreCache).
  auto invalidations = p.NewChannelSubscriber(
      clientele::engagement::RedisScoreCache::kInvalidationChannel, &cache);
  invalidations->Start();
  clientele::engagement::EngagementBackend backend(
      &p.database(), &p.event_writer(), clientele::RealClock::Get(),
      clientele::RandomIdGenerator::Get(), &cache);

  // Contacts' account events feed the local projection; ticketing's become
  // TICKET_* interactions (TicketEventRecorder).
  auto contacts_events = p.NewEventConsumer(
      "contacts", [&backend](clientele::sql::Transaction& txn,
                             const clientele::events::StreamEvent& event) {
        return backend.projection().Apply(txn, event);
      });
  auto ticketing_events = p.NewEventConsumer(
      "ticketing", [&backend](clientele::sql::Transaction& txn,
                              const clientele::events::StreamEvent& event) {
        return backend.ticket_events().Apply(txn, event);
      });
  contacts_events->Start();
  ticketing_events->Start();
  backend.rescorer().Start();
  const absl::Duration cadence_interval = absl::GetFlag(FLAGS_cadence_interval);
  if (cadence_interval > absl::ZeroDuration()) {
    backend.cadence_job().Start(cadence_interval);
  }

  clientele::engagement::EngagementGrpcService service(p.runtime(), &backend);
  const absl::Status status = p.Serve(
      {{&service,
        clientele::engagement::v1::EngagementService::service_full_name()}});
  contacts_events->Stop();
  ticketing_events->Stop();
  backend.rescorer().Stop();
  backend.cadence_job().Stop();
  invalidations->Stop();
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}

// What every Clientele server process has in common, so that each
// services/<service>/main.cc stays "flags -> dependencies -> run":
//
//   InitProcess        blocks SIGTERM/SIGINT (before any thread starts),
//                      routes protobuf's and gRPC's own log messages through
//                      common/log.h (JSON, rate-limited) and parses flags,
//                      each also settable as CLIENTELE_<FLAG>;
//   ServiceProcess::Open
//                      loads the token file, opens <data_dir>/<name>.db
//                      (SQLite, WAL) and applies the service's migrations,
//                      creates the Redis client (which connects lazily: Redis
//                      being down never stops a start), starts the outbox
//                      relay and the worker pool, and prepares the retention
//                      job (published events and processed-event marks past
//                      --event_retention / --processed_event_retention);
//   Serve              serves until SIGTERM/SIGINT, then shuts down
//                      gracefully (calls that arrive meanwhile are answered
//                      UNAVAILABLE, never CANCELLED: see server.h) and stops
//                      the background work in order.
#ifndef CLIENTELE_COMMON_SERVER_PROCESS_H_
#define CLIENTELE_COMMON_SERVER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/events/consumer.h"
#include "common/events/event_writer.h"
#include "common/events/relay.h"
#include "common/redis/channel_subscriber.h"
#include "common/redis/hiredis_client.h"
#include "common/redis/redis_client.h"
#include "common/retention_job.h"
#include "common/server/call_gate.h"
#include "common/server/server.h"
#include "common/server/thread_pool.h"
#include "common/server/unary_call.h"
#include "common/sql/database.h"

namespace clientele::server {

// Call first in main().
void InitProcess(int argc, char** argv, absl::string_view usage);

struct ProcessConfig {
  std::string name;                        // "contacts": file and stream names
  int default_port = 0;                    // used when --port is -1
  std::vector<sql::Migration> migrations;  // the service's schema
  bool use_database = true;                // false: no database, no relay
};

class ServiceProcess {
 public:
  // See the file comment. Fails when the token file cannot be read, the
  // database cannot be opened or a migration fails.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Open(
      const ProcessConfig& config);
  ~ServiceProcess();

  RpcRuntime* runtime() { return &runtime_; }
  // Only when config.use_database.
  sql::Database& database() { return *database_; }
  redis::RedisClient& redis() { return *redis_; }
  // Writes this service's events to its outbox and wakes the relay after
  // commits. Only when config.use_database.
  events::EventWriter& event_writer() { return *event_writer_; }
  // Purges rows past their retention every --retention_interval; the
  // outbox's and processed_events' purges are registered. Services Add
  // theirs before Serve, which starts it. Only when config.use_database.
  RetentionJob& retention_job() { return *retention_job_; }
  const std::string& name() const { return config_.name; }
  // A new Redis client of its own for a reader that blocks in Redis for up
  // to `max_block` (an EventConsumer): see BlockingReaderOptions.
  std::unique_ptr<redis::RedisClient> NewBlockingRedisClient(
      absl::Duration max_block) const;
  // A subscriber of `channel` on this process's Redis (not started).
  std::unique_ptr<redis::ChannelSubscriber> NewChannelSubscriber(
      std::string channel, redis::SubscriptionListener* listener) const;
  // A consumer (not started) of `source`'s event stream ("contacts" reads
  // "clientele.events.contacts") in this service's consumer group (its
  // name), as this replica (--consumer_name, default the host name), on a
  // Redis connection of its own; `handler` applies each event inside the
  // consumer's transaction. Start it before Serve, Stop it after.
  std::unique_ptr<events::EventConsumer> NewEventConsumer(
      absl::string_view source, events::EventHandler handler);
  // The same with `tuning`'s batch size, timeouts, backoffs and
  // apply_read_in_one_transaction; its stream, group and consumer are
  // ignored (set as above).
  std::unique_ptr<events::EventConsumer> NewEventConsumer(
      absl::string_view source, events::EventHandler handler,
      events::EventConsumerOptions tuning);

  // Serves `services` until SIGTERM or SIGINT; then health turns
  // NOT_SERVING, calls in flight finish (within --shutdown_grace), the
  // outbox relay, the retention job and the worker pool stop. OK after a
  // clean shutdown.
  absl::Status Serve(const std::vector<ServiceRegistration>& services);

 private:
  explicit ServiceProcess(ProcessConfig config) : config_(std::move(config)) {}

  ProcessConfig config_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  std::unique_ptr<sql::Database> database_;
  redis::HiredisOptions redis_options_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<events::OutboxRelay> relay_;
  std::unique_ptr<events::EventWriter> event_writer_;
  std::unique_ptr<RetentionJob> retention_job_;
  // One blocking connection per consumer made by NewEventConsumer.
  std::vector<std::unique_ptr<redis::RedisClient>> consumer_redis_;
  std::unique_ptr<ThreadPool> pool_;
  CallGate gate_;  // closed by the server's shutdown
  RpcRuntime runtime_;
};

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_PROCESS_H_

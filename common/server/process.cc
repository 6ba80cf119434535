#include "common/server/process.h"

#include <unistd.h>

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/events/consumer.h"
#include "common/events/outbox.h"
#include "common/flags.h"
#include "common/log.h"
#include "common/redis/hiredis_client.h"
#include "common/server/grpc_logs.h"
#include "common/sql/sqlite_database.h"

ABSL_FLAG(
    std::string, data_dir, ".clientele/data",
    "Directory of the service's SQLite database (<data_dir>/<service>.db).");
ABSL_FLAG(std::string, token_file, ".clientele/tokens.txt",
          "Token file: lines of `<sha256-hex-of-token> <tenant> <role>`.");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379",
          "Redis host:port, for cached scores and event streams.");
ABSL_FLAG(
    int, worker_threads, 16,
    "Threads that run RPC handlers (which may block on SQLite or Redis).");
ABSL_FLAG(bool, log_rpcs, true, "Write one JSON log line per RPC.");
ABSL_FLAG(std::string, consumer_name, "",
          "This replica's name in Redis consumer groups (default: the host "
          "name, which is the pod name on Kubernetes).");
ABSL_FLAG(absl::Duration, event_retention, absl::Hours(24 * 7),
          "How long events stay in the outbox after they were appended (and "
          "published), so that consumers can have them published again "
          "after Redis lost them.");
ABSL_FLAG(absl::Duration, processed_event_retention, absl::Hours(24 * 14),
          "How long a consumer remembers the ids of the events it applied; "
          "longer than --event_retention of every service it consumes.");
ABSL_FLAG(absl::Duration, retention_interval, absl::Minutes(10),
          "How often rows past their retention are purged.");

namespace clientele::server {
namespace {

absl::StatusOr<redis::HiredisOptions> RedisOptionsFromFlag() {
  const std::string address = absl::GetFlag(FLAGS_redis_address);
  std::pair<std::string, std::string> parts =
      absl::StrSplit(address, absl::MaxSplits(':', 1));
  redis::HiredisOptions options;
  options.host = parts.first;
  if (options.host.empty() || !absl::SimpleAtoi(parts.second, &options.port) ||
      options.port <= 0 || options.port > 65535) {
    return InvalidFieldError("redis_address", "must be host:port");
  }
  return options;
}

}  // namespace

void InitProcess(int argc, char** argv, absl::string_view usage) {
  BlockTerminationSignals();
  // Before anything can make protobuf or gRPC log.
  RouteProtobufLogs();
  RouteGrpcLogs();
  ParseFlagsWithEnv(argc, argv, usage);
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Open(
    const ProcessConfig& config) {
  auto process = std::unique_ptr<ServiceProcess>(new ServiceProcess(config));

  auto authenticator =
      TokenAuthenticator::FromFile(absl::GetFlag(FLAGS_token_file));
  if (!authenticator.ok()) return authenticator.status();
  process->authenticator_ = *std::move(authenticator);
  LOG(INFO) << "loaded " << process->authenticator_->size() << " tokens from "
            << absl::GetFlag(FLAGS_token_file);

  auto redis_options = RedisOptionsFromFlag();
  if (!redis_options.ok()) return redis_options.status();
  process->redis_options_ = *redis_options;
  process->redis_ = std::make_unique<redis::HiredisClient>(*redis_options);

  const absl::Duration event_retention = absl::GetFlag(FLAGS_event_retention);
  const absl::Duration processed_event_retention =
      absl::GetFlag(FLAGS_processed_event_retention);
  if (event_retention <= absl::ZeroDuration()) {
    return InvalidFieldError("event_retention", "must be positive");
  }
  if (processed_event_retention <= event_retention) {
    // Else a replay could bring back an event whose mark is gone.
    return InvalidFieldError("processed_event_retention",
                             "must be longer than event_retention");
  }
  if (config.use_database) {
    sql::SqliteOptions options;
    options.path =
        absl::StrCat(absl::GetFlag(FLAGS_data_dir), "/", config.name, ".db");
    auto database = sql::SqliteDatabase::Open(options);
    if (!database.ok()) return database.status();
    process->database_ = *std::move(database);
    auto version = process->database_->Migrate(config.migrations);
    if (!version.ok()) return version.status();
    LOG(INFO) << "database " << options.path << " at schema version "
              << *version;
    process->relay_ = std::make_unique<events::OutboxRelay>(
        process->database_.get(), process->redis_.get(), RealClock::Get());
    process->relay_->Start();
    process->retention_job_ = std::make_unique<RetentionJob>(
        process->database_.get(), RealClock::Get(),
        absl::GetFlag(FLAGS_retention_interval));
    process->retention_job_->Add(
        "published events (outbox)",
        [event_retention](sql::Transaction& txn, absl::Time now) {
          return events::PurgeOutbox(txn, now - event_retention,
                                     kPurgeBatchSize);
        });
    process->retention_job_->Add(
        "processed events",
        [processed_event_retention](sql::Transaction& txn, absl::Time now) {
          return events::PurgeProcessedEvents(
              txn, now - processed_event_retention, kPurgeBatchSize);
        });
    process->event_writer_ = std::make_unique<events::EventWriter>(
        config.name, RealClock::Get(), RandomIdGenerator::Get(),
        [relay = process->relay_.get()] { relay->Wake(); });
  }

  process->pool_ =
      std::make_unique<ThreadPool>(absl::GetFlag(FLAGS_worker_threads));
  process->runtime_.authenticator = process->authenticator_.get();
  process->runtime_.executor = process->pool_.get();
  process->runtime_.gate = &process->gate_;
  process->runtime_.log_rpcs = absl::GetFlag(FLAGS_log_rpcs);
  return process;
}

std::unique_ptr<redis::RedisClient> ServiceProcess::NewBlockingRedisClient(
    absl::Duration max_block) const {
  return std::make_unique<redis::HiredisClient>(
      redis::BlockingReaderOptions(redis_options_, max_block));
}

std::unique_ptr<events::EventConsumer> ServiceProcess::NewEventConsumer(
    absl::string_view source, events::EventHandler handler) {
  return NewEventConsumer(source, std::move(handler), {});
}

std::unique_ptr<events::EventConsumer> ServiceProcess::NewEventConsumer(
    absl::string_view source, events::EventHandler handler,
    events::EventConsumerOptions tuning) {
  events::EventConsumerOptions options = std::move(tuning);
  options.stream = events::StreamFor(source);
  options.group = config_.name;
  options.consumer = absl::GetFlag(FLAGS_consumer_name);
  if (options.consumer.empty()) {
    char host[256] = {};
    options.consumer =
        gethostname(host, sizeof(host) - 1) == 0 ? host : config_.name;
  }
  consumer_redis_.push_back(NewBlockingRedisClient(options.block_timeout));
  return std::make_unique<events::EventConsumer>(
      options, database_.get(), consumer_redis_.back().get(), RealClock::Get(),
      std::move(handler));
}

std::unique_ptr<redis::ChannelSubscriber> ServiceProcess::NewChannelSubscriber(
    std::string channel, redis::SubscriptionListener* listener) const {
  redis::ChannelSubscriberOptions options;
  options.host = redis_options_.host;
  options.port = redis_options_.port;
  options.connect_timeout = redis_options_.connect_timeout;
  options.channel = std::move(channel);
  return std::make_unique<redis::ChannelSubscriber>(std::move(options),
                                                    listener);
}

ServiceProcess::~ServiceProcess() {
  if (pool_) pool_->Shutdown();
  if (relay_) relay_->Stop();
  if (retention_job_) retention_job_->Stop();
}

absl::Status ServiceProcess::Serve(
    const std::vector<ServiceRegistration>& services) {
  ReadinessProbe readiness;
  if (database_) {
    readiness = [db = database_.get()] { return db->Ping(); };
  }
  ServerOptions options = ServerOptionsFromFlags(config_.default_port);
  options.call_gate = &gate_;
  auto server = Server::Start(options, services, std::move(readiness));
  if (!server.ok()) return server.status();
  if (retention_job_) retention_job_->Start();
  (*server)->WaitForTerminationSignal();
  // Every call has finished or been cancelled; finish what handlers queued,
  // then publish what they committed.
  pool_->Shutdown();
  if (relay_) relay_->Stop();
  if (retention_job_) retention_job_->Stop();
  LOG(INFO) << config_.name << " stopped cleanly";
  return absl::OkStatus();
}

}  // namespace clientele::server

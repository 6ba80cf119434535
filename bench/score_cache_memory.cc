// score_cache_memory: Redis memory per cached relationship score (issue 5).
//
// Computes one FULL score with the real model (an account with a realistic
// history in a temporary SQLite database), then stores it for --accounts
// account ids through RedisScoreCache::Put, the service's own write path
// (a hash with r, p and the serialized score, and a TTL), and reads
// INFO memory's used_memory before and after. Prints one JSON object:
//
//   {"accounts":100000,"score_bytes":...,"used_memory_before":...,
//    "used_memory_after":...,"bytes_per_score":...,"key_memory_usage":...,
//    "key_encoding":"..."}
//
// The Redis should hold nothing else that changes meanwhile (scripts/bench.sh
// starts a private redis-server for it).
//
//   score_cache_memory --redis_address=127.0.0.1:6379 --accounts=100000
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/engagement_fixture.h"
#include "common/clock.h"
#include "common/flags.h"
#include "common/redis/hiredis_client.h"
#include "common/status_macros.h"
#include "services/engagement/redis_score_cache.h"

ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379",
          "host:port of a redis-server that nothing else writes to meanwhile.");
ABSL_FLAG(int, accounts, 100000, "Scores to cache, one per account id.");
ABSL_FLAG(int, history, 500,
          "Interactions of the account whose score is cached (over two "
          "years).");

namespace clientele::bench {
namespace {

constexpr char kTenant[] = "bench";

absl::StatusOr<redis::Reply> Run(redis::RedisClient& redis,
                                 std::initializer_list<std::string> args) {
  const std::vector<std::string> command(args);
  ASSIGN_OR_RETURN(redis::Reply reply, redis.Command(command));
  if (reply.type == redis::Reply::Type::kError) {
    return absl::InternalError(
        absl::StrCat(*args.begin(), " answered ", reply.str));
  }
  return reply;
}

// A field of INFO's "name:value" lines.
absl::StatusOr<int64_t> InfoField(redis::RedisClient& redis,
                                  absl::string_view section,
                                  absl::string_view name) {
  ASSIGN_OR_RETURN(redis::Reply info,
                   Run(redis, {"INFO", std::string(section)}));
  for (absl::string_view line : absl::StrSplit(info.str, "\r\n")) {
    if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, ":")) {
      continue;
    }
    int64_t value = 0;
    if (absl::SimpleAtoi(line, &value)) return value;
  }
  return absl::InternalError(absl::StrCat("INFO has no ", name));
}

absl::StatusOr<int64_t> DbSize(redis::RedisClient& redis) {
  ASSIGN_OR_RETURN(redis::Reply reply, Run(redis, {"DBSIZE"}));
  return reply.integer;
}

absl::StatusOr<std::string> Measure() {
  const int accounts = absl::GetFlag(FLAGS_accounts);
  redis::HiredisOptions options;
  {
    const std::string address = absl::GetFlag(FLAGS_redis_address);
    const std::pair<std::string, std::string> parts =
        absl::StrSplit(address, absl::MaxSplits(':', 1));
    options.host = parts.first;
    if (!absl::SimpleAtoi(parts.second, &options.port)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--redis_address must be host:port, got ", address));
    }
  }
  options.pool_size = 1;

  // One real score: FULL, as ScoreManager puts it in the cache.
  ASSIGN_OR_RETURN(std::unique_ptr<EngagementFixture> fixture,
                   EngagementFixture::Create(kTenant));
  RETURN_IF_ERROR(fixture->CreateAccount("scored"));
  RETURN_IF_ERROR(
      fixture->RecordHistory("scored", absl::GetFlag(FLAGS_history)));
  ASSIGN_OR_RETURN(engagement::ScoreManager::Computed computed,
                   fixture->backend().scores().ComputeNow(kTenant, "scored"));
  const size_t score_bytes = computed.score->ByteSizeLong();

  redis::HiredisClient redis(options);
  engagement::RedisScoreCache cache(
      &redis, engagement::RedisScoreCacheOptions{}, RealClock::Get());
  // The first Put loads the script and opens the connection: not per score.
  cache.Put("bench-warmup", "warmup", computed.version, computed.score);

  ASSIGN_OR_RETURN(const int64_t keys_before, DbSize(redis));
  ASSIGN_OR_RETURN(const int64_t before,
                   InfoField(redis, "memory", "used_memory"));
  std::string last_key;
  for (int i = 0; i < accounts; ++i) {
    const std::string account_id = RandomIdGenerator::Get()->NewId();
    cache.Put(kTenant, account_id, computed.version, computed.score);
    last_key = engagement::RedisScoreCache::KeyFor(kTenant, account_id);
  }
  ASSIGN_OR_RETURN(const int64_t after,
                   InfoField(redis, "memory", "used_memory"));
  ASSIGN_OR_RETURN(const int64_t keys_after, DbSize(redis));
  // Put is best effort and says nothing: count what arrived.
  if (keys_after - keys_before != accounts) {
    return absl::InternalError(absl::StrCat(
        "Redis holds ", keys_after - keys_before, " of ", accounts, " scores"));
  }
  ASSIGN_OR_RETURN(redis::Reply usage,
                   Run(redis, {"MEMORY", "USAGE", last_key, "SAMPLES", "0"}));
  ASSIGN_OR_RETURN(redis::Reply encoding,
                   Run(redis, {"OBJECT", "ENCODING", last_key}));
  return absl::StrCat(
      "{\"accounts\":", accounts, ",\"history\":", absl::GetFlag(FLAGS_history),
      ",\"score_bytes\":", score_bytes, ",\"used_memory_before\":", before,
      ",\"used_memory_after\":", after, ",\"bytes_per_score\":",
      absl::StrFormat(
          "%.1f",
          accounts > 0 ? static_cast<double>(after - before) / accounts : 0.0),
      ",\"key_memory_usage\":", usage.integer, ",\"key_encoding\":\"",
      encoding.str, "\"}");
}

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) {
  clientele::ParseFlagsWithEnv(
      argc, argv,
      "score_cache_memory: Redis memory per cached relationship score");
  absl::StatusOr<std::string> json = clientele::bench::Measure();
  if (!json.ok()) {
    std::cerr << "score_cache_memory: " << json.status() << "\n";
    return 1;
  }
  std::cout << *json << "\n";
  return 0;
}

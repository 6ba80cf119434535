#include "bench/reporting_ingest.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "common/events/consumer.h"
#include "common/events/event_writer.h"
#include "common/events/stream_entry.h"
#include "common/redis/redis_client.h"
#include "common/status_macros.h"
#include "services/reporting/projector.h"

namespace clientele::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A RedisClient that answers an EventConsumer the way Redis would: the
// group exists, nothing is pending, and each XREADGROUP for new entries
// returns the next of what Load put there, as many as its COUNT asks
// (nothing once all were read). Replay requests (HSET) are
// counted: a correct feed has no gaps, so there must be none.
class FeedRedis : public redis::RedisClient {
 public:
  explicit FeedRedis(std::string stream) : stream_(std::move(stream)) {}

  // The next read's entries: `events` with their positions and entry ids.
  void Load(const std::vector<events::StreamEvent>& events) {
    entries_.clear();
    entries_.reserve(events.size());
    for (const events::StreamEvent& event : events) {
      redis::Reply entry = Array();
      entry.elements.push_back(String(absl::StrCat(event.seq, "-0")));
      redis::Reply fields = Array();
      for (const auto& [name, value] :
           {std::pair<const char*, const std::string*>{events::kEventIdField,
                                                       &event.event_id},
            {events::kTenantField, &event.tenant},
            {events::kTypeField, &event.type},
            {events::kPayloadField, &event.payload}}) {
        fields.elements.push_back(String(name));
        fields.elements.push_back(String(*value));
      }
      fields.elements.push_back(String(events::kSeqField));
      fields.elements.push_back(String(absl::StrCat(event.seq)));
      entry.elements.push_back(std::move(fields));
      entries_.push_back(std::move(entry));
    }
  }

  int64_t replay_requests() const { return replay_requests_; }
  bool empty() const { return entries_.empty(); }

  absl::StatusOr<redis::Reply> Command(
      absl::Span<const std::string> args) override {
    redis::Reply reply;
    if (args.empty()) return reply;
    const std::string& command = args[0];
    if (command == "XGROUP") {
      reply.type = redis::Reply::Type::kStatus;
      reply.str = "OK";
    } else if (command == "XREADGROUP") {
      // The last argument: "0" (this consumer's pending entries: none) or
      // ">" (new ones).
      redis::Reply stream = Array();
      stream.elements.push_back(String(stream_));
      redis::Reply entries = Array();
      if (args.back() == ">") {
        if (entries_.empty()) return redis::Reply();  // BLOCK timed out
        size_t count = entries_.size();
        for (size_t i = 0; i + 1 < args.size(); ++i) {
          size_t asked = 0;
          if (args[i] == "COUNT" && absl::SimpleAtoi(args[i + 1], &asked)) {
            count = asked;
          }
        }
        const auto end =
            entries_.begin() +
            static_cast<std::ptrdiff_t>(std::min(count, entries_.size()));
        entries.elements.assign(std::make_move_iterator(entries_.begin()),
                                std::make_move_iterator(end));
        entries_.erase(entries_.begin(), end);
      }
      stream.elements.push_back(std::move(entries));
      reply = Array();
      reply.elements.push_back(std::move(stream));
    } else if (command == "XACK") {
      reply.type = redis::Reply::Type::kInteger;
      reply.integer = static_cast<int64_t>(args.size()) - 3;
    } else if (command == "HSET") {
      ++replay_requests_;
      reply.type = redis::Reply::Type::kInteger;
      reply.integer = 1;
    } else {
      reply.type = redis::Reply::Type::kError;
      reply.str = absl::StrCat("ERR the feed does not answer ", command);
    }
    return reply;
  }

 private:
  static redis::Reply Array() {
    redis::Reply reply;
    reply.type = redis::Reply::Type::kArray;
    return reply;
  }
  static redis::Reply String(std::string value) {
    redis::Reply reply;
    reply.type = redis::Reply::Type::kString;
    reply.str = std::move(value);
    return reply;
  }

  const std::string stream_;
  std::vector<redis::Reply> entries_;
  int64_t replay_requests_ = 0;
};

// One source stream: its consumer as reporting's main.cc makes it, and the
// events waiting for the next read.
struct Source {
  Source(const char* name, sql::Database* db,
         const reporting::Projector* projector)
      : name(name), redis(events::StreamFor(name)) {
    events::EventConsumerOptions options = projector->ConsumerTuning();
    options.stream = events::StreamFor(name);
    options.group = "reporting";
    options.consumer = "bench";
    consumer = std::make_unique<events::EventConsumer>(
        options, db, &redis, RealClock::Get(), projector->HandlerFor(name));
  }

  const char* name;
  FeedRedis redis;
  std::unique_ptr<events::EventConsumer> consumer;
  std::vector<events::StreamEvent> waiting;
  int64_t next_seq = 1;
};

// The payload's message type, as EventWriter names it.
std::string TypeOf(const events::v1::Event& event) {
  const auto* field = events::v1::Event::descriptor()->FindFieldByNumber(
      static_cast<int>(event.payload_case()));
  return field == nullptr ? ""
                          : std::string(field->message_type()->full_name());
}

}  // namespace

double PerSecond(int64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

int64_t DatabaseBytes(const std::string& path) {
  int64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path + suffix, error);
    if (!error) bytes += static_cast<int64_t>(size);
  }
  return bytes;
}

absl::StatusOr<Ingested> Ingest(sql::Database* db, ReportingHistory& history) {
  const reporting::Projector projector;
  std::vector<std::unique_ptr<Source>> sources;
  for (const char* name : {"contacts", "engagement", "ticketing"}) {
    sources.push_back(std::make_unique<Source>(name, db, &projector));
    // Creates the group and finds nothing pending.
    ASSIGN_OR_RETURN(int first, sources.back()->consumer->PollOnceForTest());
    if (first != 0) return absl::InternalError("the feed had pending entries");
  }
  Ingested ingested;
  const auto started = Clock::now();
  int64_t applied_total = 0;
  // One read of up to kConsumerBatchSize waiting entries of `source`.
  const auto read = [&](Source& source) -> absl::Status {
    const auto n = std::min<std::ptrdiff_t>(
        static_cast<std::ptrdiff_t>(source.waiting.size()),
        reporting::kConsumerBatchSize);
    const std::vector<events::StreamEvent> batch(
        std::make_move_iterator(source.waiting.begin()),
        std::make_move_iterator(source.waiting.begin() + n));
    source.waiting.erase(source.waiting.begin(), source.waiting.begin() + n);
    source.redis.Load(batch);
    // Polls until the consumer has read them all (its reads may ask for
    // fewer: EventConsumerOptions::read_bytes).
    int applied = 0;
    while (!source.redis.empty()) {
      const auto start = Clock::now();
      ASSIGN_OR_RETURN(const int polled, source.consumer->PollOnceForTest());
      ingested.consumer_seconds += SecondsSince(start);
      ++ingested.transactions;
      if (polled == 0) break;
      applied += polled;
    }
    if (applied != static_cast<int>(n) || source.redis.replay_requests() > 0) {
      return absl::InternalError(absl::StrCat(source.name, ": a read of ", n,
                                              " entries applied ", applied));
    }
    applied_total += applied;
    // About every 500,000 events: the rate so far, which falls as the
    // database grows.
    if (applied_total / 500000 != (applied_total - applied) / 500000) {
      std::cerr << absl::StrFormat(
          "  %d events applied, %.0f events/s so far\n", applied_total,
          PerSecond(applied_total, ingested.consumer_seconds));
    }
    return absl::OkStatus();
  };
  std::vector<HistoryEvent> day;
  while (history.NextDay(&day)) {
    for (HistoryEvent& event : day) {
      for (auto& source : sources) {
        if (event.stream != std::string(source->name)) continue;
        events::StreamEvent entry;
        entry.event_id = event.event.event_id();
        entry.tenant = event.event.tenant();
        entry.type = TypeOf(event.event);
        entry.payload = event.event.SerializeAsString();
        entry.seq = source->next_seq++;
        source->waiting.push_back(std::move(entry));
        if (source->waiting.size() <
            static_cast<size_t>(reporting::kConsumerBatchSize)) {
          continue;
        }
        // A full read is waiting: the other streams' consumers, which keep
        // up with their few events, have read what came before it (as
        // reporting's consumers, each polling its own stream, do: an
        // account's creation is applied before the interactions that follow
        // it, not a full read later).
        for (auto& other : sources) {
          if (other.get() == source.get()) continue;
          while (!other->waiting.empty()) RETURN_IF_ERROR(read(*other));
        }
        RETURN_IF_ERROR(read(*source));
      }
    }
    day.clear();
  }
  for (auto& source : sources) {
    while (!source->waiting.empty()) RETURN_IF_ERROR(read(*source));
  }
  ingested.total_seconds = SecondsSince(started);
  ingested.counts = history.counts();
  return ingested;
}

}  // namespace clientele::bench

#include "common/events/consumer.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace clientele::events {
namespace {

using redis::Reply;

void Warn(const EventConsumerOptions& options, const std::string& message) {
  LOG(WARNING) << "event consumer " << options.stream << "/" << options.group
               << "/" << options.consumer << ": " << message;
}

// Fills `event` from an entry's field list [name, value, name, value, ...].
// False when the entry carries no event_id.
bool ParseFields(const Reply& fields, StreamEvent& event) {
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& name = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (name == "event_id") {
      event.event_id = value;
    } else if (name == "tenant") {
      event.tenant = value;
    } else if (name == "type") {
      event.type = value;
    } else if (name == "payload") {
      event.payload = value;
    }
  }
  return !event.event_id.empty();
}

}  // namespace

EventConsumer::EventConsumer(EventConsumerOptions options, sql::Database* db,
                             redis::RedisClient* redis, EventHandler handler)
    : options_(std::move(options)),
      db_(db),
      redis_(redis),
      handler_(std::move(handler)) {}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void EventConsumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void EventConsumer::CrashAfterCommitBeforeAckForTest() {
  absl::MutexLock lock(&mu_);
  crash_requested_ = true;
}

bool EventConsumer::CrashedForTest() const {
  absl::MutexLock lock(&mu_);
  return crashed_;
}

absl::Status EventConsumer::EnsureGroup() {
  const std::string args[] = {"XGROUP",       "CREATE", options_.stream,
                              options_.group, "0",      "MKSTREAM"};
  ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
  if (reply.type == Reply::Type::kError &&
      !absl::StartsWith(reply.str, "BUSYGROUP")) {
    return absl::UnavailableError(
        absl::StrCat("XGROUP CREATE refused: ", reply.str));
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::Apply(const StreamEvent& event) {
  return db_->Write([&](sql::Transaction& txn) -> absl::Status {
    const sql::Value key[] = {options_.group, event.event_id};
    ASSIGN_OR_RETURN(std::vector<sql::Row> seen,
                     txn.Query("SELECT 1 FROM processed_events "
                               "WHERE consumer_group = ? AND event_id = ?",
                               key));
    if (!seen.empty()) return absl::OkStatus();  // a redelivery
    RETURN_IF_ERROR(handler_(txn, event));
    const sql::Value mark[] = {options_.group, event.event_id,
                               int64_t{absl::ToUnixMicros(absl::Now())}};
    return txn
        .Exec(
            "INSERT INTO processed_events "
            "(consumer_group, event_id, processed_at_us) VALUES (?, ?, ?)",
            mark)
        .status();
  });
}

absl::Status EventConsumer::Ack(const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return absl::OkStatus();
  std::vector<std::string> args = {"XACK", options_.stream, options_.group};
  args.insert(args.end(), entry_ids.begin(), entry_ids.end());
  ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
  if (reply.type == Reply::Type::kError) {
    if (absl::StartsWith(reply.str, "NOGROUP")) group_ready_ = false;
    return absl::UnavailableError(absl::StrCat("XACK refused: ", reply.str));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EventConsumer::Poll() {
  if (!group_ready_) {
    RETURN_IF_ERROR(EnsureGroup());
    group_ready_ = true;
    pending_cursor_ = "0";
  }
  const bool reading_pending = !pending_cursor_.empty();
  std::vector<std::string> args = {
      "XREADGROUP",   "GROUP",
      options_.group, options_.consumer,
      "COUNT",        absl::StrCat(std::max(1, options_.batch_size))};
  if (!reading_pending) {
    args.push_back("BLOCK");
    args.push_back(absl::StrCat(std::max<int64_t>(
        1, absl::ToInt64Milliseconds(options_.block_timeout))));
  }
  args.push_back("STREAMS");
  args.push_back(options_.stream);
  args.push_back(reading_pending ? pending_cursor_ : ">");

  ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
  if (reply.type == Reply::Type::kError) {
    // NOGROUP: the stream or the group is gone (Redis was flushed or lost
    // its data). UNBLOCKED: it went while this read was blocked on it. Either
    // way, recreate the group and read what the stream holds from the start.
    if (absl::StartsWith(reply.str, "NOGROUP") ||
        absl::StartsWith(reply.str, "UNBLOCKED")) {
      group_ready_ = false;
      return absl::UnavailableError(
          absl::StrCat("consumer group vanished: ", reply.str));
    }
    return absl::UnavailableError(
        absl::StrCat("XREADGROUP refused: ", reply.str));
  }
  // Nil: BLOCK timed out with nothing new.
  if (reply.type != Reply::Type::kArray || reply.elements.empty() ||
      reply.elements[0].elements.size() < 2) {
    return 0;
  }
  const std::vector<Reply>& entries = reply.elements[0].elements[1].elements;
  if (reading_pending && entries.empty()) {
    pending_cursor_.clear();  // history done: from now on, new entries
    return 0;
  }

  std::vector<std::string> to_ack;
  absl::Status status;
  for (const Reply& entry : entries) {
    if (entry.elements.size() < 2) continue;
    const std::string& entry_id = entry.elements[0].str;
    StreamEvent event;
    event.entry_id = entry_id;
    if (entry.elements[1].is_nil()) {
      // A pending entry trimmed from the stream (MAXLEN) before it was
      // applied: its content is gone, nothing is left to do but forget it.
      Warn(options_, absl::StrCat("entry ", entry_id,
                                  " was trimmed before it was applied"));
    } else if (!ParseFields(entry.elements[1], event)) {
      Warn(options_, absl::StrCat("entry ", entry_id,
                                  " has no event_id; acknowledged unapplied"));
    } else {
      status = Apply(event);
      if (!status.ok()) {
        Warn(options_,
             absl::StrCat("event ", event.event_id, " (entry ", entry_id,
                          ", type ", event.type,
                          ") failed, will retry: ", status.ToString()));
        break;
      }
      absl::MutexLock lock(&mu_);
      if (crash_requested_) {
        crashed_ = true;
        return absl::AbortedError("simulated crash after commit, before ack");
      }
    }
    to_ack.push_back(entry_id);
    if (reading_pending) pending_cursor_ = entry_id;
  }

  const absl::Status ack_status = Ack(to_ack);
  if (status.ok()) status = ack_status;
  if (!status.ok()) {
    // Re-read this consumer's pending entries from the oldest, so the failed
    // entry (and any unacknowledged one) comes first again.
    pending_cursor_ = "0";
    return status;
  }
  return static_cast<int>(to_ack.size());
}

void EventConsumer::Run() {
  absl::Duration backoff = options_.min_backoff;
  int64_t failures = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_ || crashed_) return;
    }
    absl::StatusOr<int> polled = Poll();
    if (polled.ok()) {
      if (failures > 0) {
        Warn(options_,
             absl::StrCat("consuming again after ", failures, " failures"));
      }
      failures = 0;
      backoff = options_.min_backoff;
      continue;
    }
    if (CrashedForTest()) return;
    if (failures % 10 == 0) {
      Warn(options_, absl::StrCat("failed (", failures + 1,
                                  " times so far), retrying in ",
                                  absl::FormatDuration(backoff), ": ",
                                  polled.status().ToString()));
    }
    ++failures;
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace clientele::events

#include "common/events/consumer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/events/stream_entry.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace clientele::events {
namespace {

using redis::Reply;

void Warn(const EventConsumerOptions& options, const std::string& message) {
  LOG(WARNING) << "event consumer " << options.stream << "/" << options.group
               << "/" << options.consumer << ": " << message;
}

// An entry's fields [name, value, name, value, ...]: an event, or a loss
// marker when `lost_from` is set.
struct ParsedEntry {
  StreamEvent event;
  int64_t lost_from = 0;
};

ParsedEntry ParseFields(const Reply& fields) {
  ParsedEntry parsed;
  StreamEvent& event = parsed.event;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& name = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (name == kEventIdField) {
      event.event_id = value;
    } else if (name == kTenantField) {
      event.tenant = value;
    } else if (name == kTypeField) {
      event.type = value;
    } else if (name == kPayloadField) {
      event.payload = value;
    } else if (name == kSeqField) {
      if (!absl::SimpleAtoi(value, &event.seq) || event.seq < 0) event.seq = 0;
    } else if (name == kLostFromField) {
      if (!absl::SimpleAtoi(value, &parsed.lost_from)) parsed.lost_from = 0;
    }
  }
  return parsed;
}

// The group's position in the stream: the last position applied, 0 before
// the first.
absl::StatusOr<int64_t> Position(sql::Transaction& txn,
                                 const EventConsumerOptions& options) {
  const sql::Value key[] = {options.group, options.stream};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT last_seq FROM consumer_positions "
                             "WHERE consumer_group = ? AND stream = ?",
                             key));
  return rows.empty() ? 0 : rows[0].Int(0);
}

absl::Status SetPosition(sql::Transaction& txn,
                         const EventConsumerOptions& options, int64_t position,
                         int64_t lost) {
  const sql::Value row[] = {options.group, options.stream, position, lost};
  return txn
      .Exec(
          "INSERT INTO consumer_positions "
          "(consumer_group, stream, last_seq, lost_events) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (consumer_group, stream) DO UPDATE SET "
          "last_seq = excluded.last_seq, "
          "lost_events = lost_events + excluded.lost_events",
          row)
      .status();
}

}  // namespace

EventConsumer::EventConsumer(EventConsumerOptions options, sql::Database* db,
                             redis::RedisClient* redis, Clock* clock,
                             EventHandler handler)
    : options_(std::move(options)),
      db_(db),
      redis_(redis),
      clock_(clock),
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

bool EventConsumer::CrashRequested() const {
  absl::MutexLock lock(&mu_);
  return crash_requested_;
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

absl::StatusOr<EventConsumer::Applied> EventConsumer::Apply(
    const StreamEvent& event) {
  Applied applied{Outcome::kApplied, 0};
  RETURN_IF_ERROR(WriteFinishing([&](sql::Transaction& txn) -> absl::Status {
    int64_t position = 0;
    if (event.seq > 0) {
      ASSIGN_OR_RETURN(position, Position(txn, options_));
    }
    ASSIGN_OR_RETURN(applied, ApplyIn(txn, event, position));
    if (applied.outcome == Outcome::kApplied && event.seq > 0) {
      RETURN_IF_ERROR(SetPosition(txn, options_, applied.position, 0));
    }
    return absl::OkStatus();
  }));
  return applied;
}

absl::Status EventConsumer::WriteFinishing(
    const std::function<absl::Status(sql::Transaction&)>& body) {
  return db_->Write([&](sql::Transaction& txn) -> absl::Status {
    absl::Status status = body(txn);
    if (!options_.finish_transaction) return status;
    absl::Status finished = options_.finish_transaction(txn, status.ok());
    return status.ok() ? finished : status;
  });
}

absl::StatusOr<EventConsumer::Applied> EventConsumer::ApplyIn(
    sql::Transaction& txn, const StreamEvent& event, int64_t position) {
  Applied applied{Outcome::kApplied, position};
  if (event.seq > 0) {
    if (event.seq <= position) {
      applied.outcome = Outcome::kAlreadyApplied;
      return applied;
    }
    if (event.seq > position + 1) {
      applied.outcome = Outcome::kBeyondGap;
      return applied;
    }
  }
  // The mark goes in first, in one statement that also says whether it was
  // there: the handler's writes and the mark commit or roll back together.
  const sql::Value mark[] = {options_.group, event.event_id,
                             int64_t{absl::ToUnixMicros(clock_->Now())}};
  ASSIGN_OR_RETURN(const int64_t marked,
                   txn.Exec("INSERT INTO processed_events "
                            "(consumer_group, event_id, processed_at_us) "
                            "VALUES (?, ?, ?) "
                            "ON CONFLICT (consumer_group, event_id) DO NOTHING",
                            mark));
  if (marked > 0) {
    RETURN_IF_ERROR(handler_(txn, event));
  } else if (event.seq == 0) {
    applied.outcome = Outcome::kAlreadyApplied;  // a redelivery
    return applied;
  }
  if (event.seq > 0) applied.position = event.seq;
  return applied;
}

absl::StatusOr<EventConsumer::BatchApplied> EventConsumer::ApplyBatch(
    const std::vector<StreamEvent>& events) {
  BatchApplied done;
  RETURN_IF_ERROR(WriteFinishing([&](sql::Transaction& txn) -> absl::Status {
    done = BatchApplied();
    ASSIGN_OR_RETURN(const int64_t start, Position(txn, options_));
    done.position = start;
    for (const StreamEvent& event : events) {
      ASSIGN_OR_RETURN(Applied applied, ApplyIn(txn, event, done.position));
      if (applied.outcome == Outcome::kBeyondGap) break;
      done.position = applied.position;
      ++done.count;
    }
    // The position once for the whole batch: the last one applied.
    if (done.position > start) {
      RETURN_IF_ERROR(SetPosition(txn, options_, done.position, 0));
    }
    return absl::OkStatus();
  }));
  return done;
}

absl::StatusOr<EventConsumer::Applied> EventConsumer::SkipLost(
    int64_t lost_from, int64_t seq) {
  Applied applied{Outcome::kLost, 0};
  int64_t lost = 0;
  RETURN_IF_ERROR(db_->Write([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(applied.position, Position(txn, options_));
    if (seq <= applied.position) {
      applied.outcome = Outcome::kAlreadyApplied;
      return absl::OkStatus();
    }
    if (lost_from > applied.position + 1) {
      applied.outcome = Outcome::kBeyondGap;
      return absl::OkStatus();
    }
    lost = seq - applied.position;
    applied.position = seq;
    return SetPosition(txn, options_, seq, lost);
  }));
  if (lost > 0) {
    lost_events_ += lost;
    LOG(ERROR) << "event consumer " << options_.stream << "/" << options_.group
               << ": " << lost << " events (positions " << seq - lost + 1
               << ".." << seq
               << ") were lost: the producer no longer has them (past its "
                  "retention); going on after them";
  }
  return applied;
}

absl::StatusOr<bool> EventConsumer::OnGap(int64_t position, int64_t seq) {
  const absl::Time now = clock_->Now();
  if (gap_position_ != position) {
    gap_position_ = position;
    gap_since_ = now;
  }
  if (now - gap_since_ < options_.gap_grace) return false;
  const int64_t from = position + 1;
  if (requested_from_ != from || now - requested_at_ >= options_.replay_retry) {
    Warn(options_, absl::StrCat("positions ", from, "..", seq - 1,
                                " are missing (Redis lost them?): asking for "
                                "them to be published again"));
    RETURN_IF_ERROR(RequestReplay(from));
  }
  awaited_through_ = std::max(awaited_through_, seq);
  return true;
}

absl::Status EventConsumer::RequestReplay(int64_t from) {
  const std::string args[] = {"HSET", ReplayRequestsKey(options_.stream),
                              options_.group, absl::StrCat(from)};
  ASSIGN_OR_RETURN(Reply reply, redis_->Command(args));
  if (reply.type == Reply::Type::kError) {
    return absl::UnavailableError(
        absl::StrCat("asking for a replay refused: ", reply.str));
  }
  requested_from_ = from;
  requested_at_ = clock_->Now();
  return absl::OkStatus();
}

absl::Status EventConsumer::RetryReplay() {
  if (awaited_through_ == 0 ||
      clock_->Now() - requested_at_ < options_.replay_retry) {
    return absl::OkStatus();
  }
  int64_t position = 0;
  RETURN_IF_ERROR(db_->Read([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(position, Position(txn, options_));
    return absl::OkStatus();
  }));
  if (position >= awaited_through_) {
    awaited_through_ = 0;
    return absl::OkStatus();
  }
  Warn(options_, absl::StrCat("the replay from position ", position + 1,
                              " has not come: asking again"));
  return RequestReplay(position + 1);
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

int EventConsumer::NextReadCount() const {
  const int most = std::max(1, options_.batch_size);
  if (options_.read_bytes <= 0) return most;
  if (average_entry_bytes_ <= 0) return std::min(most, kFirstReadEntries);
  const double fit =
      static_cast<double>(options_.read_bytes) / average_entry_bytes_;
  return static_cast<int>(std::clamp(fit, 1.0, static_cast<double>(most)));
}

void EventConsumer::NoteEntrySizes(const std::vector<Reply>& entries) {
  if (options_.read_bytes <= 0 || entries.empty()) return;
  double bytes = 0;
  for (const Reply& entry : entries) {
    bytes += static_cast<double>(
        entry.elements.empty() ? 0 : entry.elements[0].str.size());
    if (entry.elements.size() < 2) continue;
    for (const Reply& field : entry.elements[1].elements) {
      bytes += static_cast<double>(field.str.size());
    }
  }
  const double average = bytes / static_cast<double>(entries.size());
  average_entry_bytes_ = average_entry_bytes_ <= 0
                             ? average
                             : (average_entry_bytes_ + average) / 2;
}

absl::StatusOr<int> EventConsumer::Poll() {
  if (!group_ready_) {
    RETURN_IF_ERROR(EnsureGroup());
    group_ready_ = true;
    pending_cursor_ = "0";
  }
  RETURN_IF_ERROR(RetryReplay());
  const bool reading_pending = !pending_cursor_.empty();
  std::vector<std::string> args = {
      "XREADGROUP",      "GROUP", options_.group,
      options_.consumer, "COUNT", absl::StrCat(NextReadCount())};
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
  NoteEntrySizes(entries);
  if (reading_pending && entries.empty()) {
    pending_cursor_.clear();  // history done: from now on, new entries
    return 0;
  }

  std::vector<std::string> to_ack;
  absl::Status status;
  size_t first = 0;  // entries before it were applied as one batch
  if (options_.apply_read_in_one_transaction && !CrashRequested()) {
    std::vector<StreamEvent> batch;
    for (const Reply& entry : entries) {
      if (entry.elements.size() < 2 || entry.elements[1].is_nil()) break;
      ParsedEntry parsed = ParseFields(entry.elements[1]);
      if (parsed.event.event_id.empty()) break;  // a loss marker or broken
      parsed.event.entry_id = entry.elements[0].str;
      batch.push_back(std::move(parsed.event));
    }
    if (!batch.empty()) {
      // On an error the batch rolled back: its entries go one by one below.
      absl::StatusOr<BatchApplied> applied = ApplyBatch(batch);
      if (applied.ok() && applied->count > 0) {
        first = applied->count;
        gap_position_ = -1;  // moving again
        if (applied->position >= awaited_through_) awaited_through_ = 0;
        for (size_t i = 0; i < first; ++i) {
          to_ack.push_back(batch[i].entry_id);
        }
        if (reading_pending) pending_cursor_ = batch[first - 1].entry_id;
      }
    }
  }
  for (size_t index = first; index < entries.size(); ++index) {
    const Reply& entry = entries[index];
    if (entry.elements.size() < 2) continue;
    const std::string& entry_id = entry.elements[0].str;
    absl::StatusOr<Applied> applied = Applied{Outcome::kAlreadyApplied, 0};
    ParsedEntry parsed;
    if (entry.elements[1].is_nil()) {
      // A pending entry trimmed from the stream (MAXLEN) before it was
      // applied: its content is gone here; the gap it leaves is filled by a
      // replay.
      Warn(options_, absl::StrCat("entry ", entry_id,
                                  " was trimmed before it was applied"));
    } else {
      parsed = ParseFields(entry.elements[1]);
      parsed.event.entry_id = entry_id;
      if (parsed.event.event_id.empty() && parsed.lost_from > 0 &&
          parsed.event.seq >= parsed.lost_from) {
        applied = SkipLost(parsed.lost_from, parsed.event.seq);
      } else if (parsed.event.event_id.empty()) {
        Warn(options_, absl::StrCat("entry ", entry_id,
                                    " has no event_id; acknowledged "
                                    "unapplied"));
      } else {
        applied = Apply(parsed.event);
      }
    }
    if (!applied.ok()) {
      status = applied.status();
      Warn(options_, absl::StrCat("event ", parsed.event.event_id, " (entry ",
                                  entry_id, ", type ", parsed.event.type,
                                  ") failed, will retry: ", status.ToString()));
      break;
    }
    if (applied->outcome == Outcome::kBeyondGap) {
      absl::StatusOr<bool> drop = OnGap(applied->position, parsed.event.seq);
      if (!drop.ok()) {
        status = drop.status();
        break;
      }
      if (!*drop) {
        status = absl::UnavailableError(absl::StrCat(
            "waiting for position ", applied->position + 1, " before ",
            parsed.event.seq, " (entry ", entry_id, ")"));
        break;
      }
    } else {
      gap_position_ = -1;  // moving again
      if (applied->position >= awaited_through_) awaited_through_ = 0;
      if (applied->outcome == Outcome::kApplied) {
        absl::MutexLock lock(&mu_);
        if (crash_requested_) {
          crashed_ = true;
          return absl::AbortedError("simulated crash after commit, before ack");
        }
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

absl::StatusOr<int64_t> PurgeProcessedEvents(sql::Transaction& txn,
                                             absl::Time processed_before,
                                             int64_t limit) {
  const sql::Value params[] = {int64_t{absl::ToUnixMicros(processed_before)},
                               limit};
  return txn.Exec(
      "DELETE FROM processed_events WHERE (consumer_group, event_id) IN "
      "(SELECT consumer_group, event_id FROM processed_events "
      "WHERE processed_at_us < ? ORDER BY processed_at_us LIMIT ?)",
      params);
}

}  // namespace clientele::events

// EventConsumer reads one Redis stream as a member of a consumer group and
// applies each event exactly once to the service's database: the handler's
// writes, the "processed" mark and the group's new position commit in one
// transaction, and the entry is acknowledged in Redis only after that
// commit. It notices events Redis lost and has the producer publish them
// again (see "Gaps" below).
#ifndef CLIENTELE_COMMON_EVENTS_CONSUMER_H_
#define CLIENTELE_COMMON_EVENTS_CONSUMER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis/redis_client.h"
#include "common/sql/database.h"

namespace clientele::events {

// One stream entry, as published by OutboxRelay.
struct StreamEvent {
  std::string entry_id;  // the Redis stream entry id, e.g. "1700000000000-0"
  std::string event_id;
  std::string tenant;
  std::string type;
  std::string payload;  // opaque bytes
  // The event's position in its stream (1, 2, 3, ...); 0 for an entry
  // published before positions existed.
  int64_t seq = 0;
};

// Applies one event using `txn`, the consumer's write transaction. OK commits
// the handler's writes together with the processed mark. An error rolls them
// back and leaves the entry unacknowledged: it is retried, before any later
// entry, after a backoff. Return OK for an event the service does not care
// about, or it is retried forever.
using EventHandler =
    std::function<absl::Status(sql::Transaction&, const StreamEvent&)>;

// With EventConsumerOptions::read_bytes: the most entries the first read
// asks for, before the entries' size is known.
inline constexpr int kFirstReadEntries = 256;

struct EventConsumerOptions {
  std::string stream;
  std::string group;     // one per service (or per projection)
  std::string consumer;  // stable per process, e.g. the pod name
  // Entries read per XREADGROUP, at most.
  int batch_size = 64;
  // Bytes a read should hold, roughly (0: no bound, every read asks for
  // batch_size entries). A read then asks for read_bytes / (the entries'
  // recent average size) entries, between 1 and batch_size; the first asks
  // for at most kFirstReadEntries. So a consumer that reads many small
  // events at once (reporting) reads a backlog of large ones (an import's
  // batches, up to ~0.75 MiB each) a few at a time. The average follows the
  // last reads (each weighs half of what came before), so a read right after
  // small entries can still exceed the bound by as much as its entries are
  // larger than them.
  int64_t read_bytes = 0;
  // How long one XREADGROUP waits for new entries; Stop() may wait as long.
  absl::Duration block_timeout = absl::Seconds(1);
  // After a failure (Redis down, handler error) the consumer waits
  // min_backoff, doubling up to max_backoff while failures go on.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
  // How long (on the injected clock) an entry beyond the next expected
  // position is held back, in case another consumer of the group is about
  // to apply the missing one, before the consumer asks for a replay.
  absl::Duration gap_grace = absl::Seconds(1);
  // How long a replay request may go unanswered before it is made again
  // (it can be lost with Redis too).
  absl::Duration replay_retry = absl::Seconds(5);
  // Applies the events of one read (up to batch_size) in ONE transaction
  // instead of one each: their handlers' writes, processed marks and the
  // new position commit together, then all are acknowledged. For consumers
  // that ingest at high rates (a commit per event bounds them to the
  // database's commit rate). When a handler fails, the batch rolls back and
  // its entries are applied one by one as without this option, so a bad
  // event holds back only itself and the ones after it. Entries beyond a gap
  // and loss markers end the batch and go the one-by-one way.
  bool apply_read_in_one_transaction = false;
  // Called at the end of every transaction the consumer applies entries in
  // (whether or not the handler was called in it): with `ok` true just before
  // the commit (what it writes commits with the handlers' writes; an error
  // rolls everything back like a handler's), with false when anything in the
  // transaction failed (a handler, the processed mark, the position) and it
  // rolls back. For handlers that hold writes of a whole transaction in memory
  // and write them once (reporting's projector): with false they drop them.
  std::function<absl::Status(sql::Transaction&, bool ok)> finish_transaction;
};

// Delivery is at least once (a relay may publish an event twice, a crash
// between commit and XACK redelivers it, a replay publishes again); two
// records in the consumer's database (see kOutboxMigrationSql and
// kOutboxRetentionMigrationSql, which it must include) turn that into
// exactly-once application per group:
//   - consumer_positions: the last position applied from the stream. An
//     entry at or below it is acknowledged without calling the handler.
//   - processed_events: the ids of applied events, for entries without a
//     position and for the same event under two positions. Marks older than
//     the retention are purged (PurgeProcessedEvents), which is safe because
//     positions already stop anything the producer can still replay.
//
// Gaps. Entries are applied in position order. An entry beyond the next
// expected position means entries are missing: Redis lost them (flushed,
// restarted from a short AOF, trimmed) or another consumer of the group has
// not committed them yet. The entry is held back (not acknowledged, retried)
// for gap_grace; if the gap is still there, the consumer asks the producer's
// relay to publish again from the missing position (HSET
// ReplayRequestsKey(stream) <group> <position>), acknowledges the entries
// beyond the gap unapplied (the replay brings them again, in order) and
// repeats the request every replay_retry until its position has caught up.
// When Redis lost the end of a stream and nothing newer comes, the relay
// notices on its own and publishes its last event again, which shows each
// group its gap. Events the producer no longer holds arrive as a loss
// marker: the consumer logs an error, adds them to lost_events() and to
// consumer_positions.lost_events, and goes on after them: it never hangs.
//
// Positions tie a group to the producer's outbox: a producer whose database
// is replaced (positions restart at 1) needs its consumers' positions for
// that stream deleted too, or they skip its events as already applied.
//
// Lifecycle of the thread: create the group (XGROUP CREATE <stream> <group> 0
// MKSTREAM; an existing group is fine), re-read this consumer's own pending
// entries (those delivered to it before a crash or a failure, oldest first),
// then block for new ones. An entry whose handler keeps failing holds back
// the ones after it. When Redis is down the consumer backs off and retries;
// when the group has vanished (Redis flushed: NOGROUP) it recreates it and
// reads the stream from the start.
//
// The consumer does not own `db`, `redis` or `clock`, which must outlive it.
// `redis` must be dedicated to this consumer because XREADGROUP BLOCK holds a
// connection for up to block_timeout; use a HiredisClient built with
// BlockingReaderOptions(base, block_timeout) (hiredis_client.h).
class EventConsumer {
 public:
  EventConsumer(EventConsumerOptions options, sql::Database* db,
                redis::RedisClient* redis, Clock* clock, EventHandler handler);
  // Stops the thread if it runs.
  ~EventConsumer();

  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Starts the background thread. Call at most once.
  void Start();
  // Finishes the read in progress (up to block_timeout) and joins the
  // thread. Idempotent.
  void Stop();

  // Events this consumer skipped since it was created because the producer
  // no longer had them (each also logged as an error). Thread-safe.
  int64_t lost_events() const { return lost_events_.load(); }

  // Runs one step on the calling thread (creating the group if needed, then
  // one read and the processing of what it returned) and returns how many
  // entries were applied, skipped as duplicates or dropped beyond a gap.
  // UNAVAILABLE while an entry is held back at a gap. Not to be mixed with
  // Start().
  absl::StatusOr<int> PollOnceForTest() { return Poll(); }

  // Simulates a crash between commit and acknowledgement: the next entry the
  // consumer commits is not acknowledged, and the consumer stops processing
  // (its thread exits) right after that commit. Call Stop() afterwards.
  void CrashAfterCommitBeforeAckForTest();
  // Whether that simulated crash has happened.
  bool CrashedForTest() const;

 private:
  // What became of one entry.
  enum class Outcome {
    kApplied,         // the handler ran (or the event id was already there)
    kAlreadyApplied,  // at or below the group's position: nothing to do
    kLost,            // a loss marker moved the position past lost events
    kBeyondGap,       // not applied: positions before it are missing
  };
  struct Applied {
    Outcome outcome;
    int64_t position;  // the group's position after the transaction
  };

  absl::StatusOr<int> Poll();
  absl::Status EnsureGroup();
  // Applies `event` once: skips it when the group already applied it.
  absl::StatusOr<Applied> Apply(const StreamEvent& event);
  // Apply's body inside `txn`, the group being at `position` (read once by
  // the caller). It does not write the group's new position (the returned
  // one): the caller does, once per transaction.
  absl::StatusOr<Applied> ApplyIn(sql::Transaction& txn,
                                  const StreamEvent& event, int64_t position);
  // With apply_read_in_one_transaction: applies the leading entries of
  // `events` that follow the position without a gap, in one transaction,
  // and returns how many it applied or skipped as already applied (0 when
  // the first is beyond a gap) and the group's position after them. An
  // error rolls everything back.
  struct BatchApplied {
    size_t count = 0;
    int64_t position = 0;
  };
  absl::StatusOr<BatchApplied> ApplyBatch(
      const std::vector<StreamEvent>& events);
  // Moves the position past lost_from..seq when it is waiting for them.
  absl::StatusOr<Applied> SkipLost(int64_t lost_from, int64_t seq);
  // Called for an entry at `seq` while the group is at `position`: false to
  // hold the entry back (within gap_grace), true to drop it once a replay
  // from position + 1 has been asked for.
  absl::StatusOr<bool> OnGap(int64_t position, int64_t seq);
  absl::Status RequestReplay(int64_t from);
  // Asks again for a replay that has not come within replay_retry.
  absl::Status RetryReplay();
  // A write transaction running `body` (Apply, ApplyBatch), ending in
  // finish_transaction with whether `body` succeeded (see the option).
  absl::Status WriteFinishing(
      const std::function<absl::Status(sql::Transaction&)>& body);
  absl::Status Ack(const std::vector<std::string>& entry_ids);
  void Run();
  bool CrashRequested() const;

  // How many entries the next read asks for (batch_size and read_bytes).
  int NextReadCount() const;
  // Follows the average entry size with the entries of one read.
  void NoteEntrySizes(const std::vector<redis::Reply>& entries);

  const EventConsumerOptions options_;
  sql::Database* const db_;
  redis::RedisClient* const redis_;
  // The entries' recent average size in bytes (fields and values); 0 before
  // the first read that returned any. Only the polling thread uses it.
  double average_entry_bytes_ = 0;
  Clock* const clock_;
  const EventHandler handler_;

  // Touched only by the thread running Poll.
  bool group_ready_ = false;
  // While non-empty, reads this consumer's pending entries after this id
  // instead of new ones.
  std::string pending_cursor_ = "0";
  // The gap being waited out: since when, and at which position.
  absl::Time gap_since_ = absl::InfinitePast();
  int64_t gap_position_ = -1;
  // The replay asked for: up to which position entries were dropped (0:
  // none awaited), from where, and when it was asked.
  int64_t awaited_through_ = 0;
  int64_t requested_from_ = 0;
  absl::Time requested_at_ = absl::InfinitePast();

  std::atomic<int64_t> lost_events_{0};

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool crash_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool crashed_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Deletes up to `limit` processed-event marks recorded before
// `processed_before`, oldest first, and returns how many went. Run it from a
// RetentionJob (common/retention_job.h) with a retention longer than the
// producers' outbox retention, so that no event a producer can still replay
// has lost its mark. Errors as Transaction::Exec.
absl::StatusOr<int64_t> PurgeProcessedEvents(sql::Transaction& txn,
                                             absl::Time processed_before,
                                             int64_t limit);

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_CONSUMER_H_

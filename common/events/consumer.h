// EventConsumer reads one Redis stream as a member of a consumer group and
// applies each event exactly once to the service's database: the handler's
// writes and the "processed" mark commit in one transaction, and the entry is
// acknowledged in Redis only after that commit.
#ifndef CLIENTELE_COMMON_EVENTS_CONSUMER_H_
#define CLIENTELE_COMMON_EVENTS_CONSUMER_H_

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
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
};

// Applies one event using `txn`, the consumer's write transaction. OK commits
// the handler's writes together with the processed mark. An error rolls them
// back and leaves the entry unacknowledged: it is retried, before any later
// entry, after a backoff. Return OK for an event the service does not care
// about, or it is retried forever.
using EventHandler =
    std::function<absl::Status(sql::Transaction&, const StreamEvent&)>;

struct EventConsumerOptions {
  std::string stream;
  std::string group;     // one per service (or per projection)
  std::string consumer;  // stable per process, e.g. the pod name
  // Entries read per XREADGROUP.
  int batch_size = 64;
  // How long one XREADGROUP waits for new entries; Stop() may wait as long.
  absl::Duration block_timeout = absl::Seconds(1);
  // After a failure (Redis down, handler error) the consumer waits
  // min_backoff, doubling up to max_backoff while failures go on.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
};

// Delivery is at least once (a relay may publish an event twice, a crash
// between commit and XACK redelivers it); the processed_events table (see
// kOutboxMigrationSql, which the consumer's database must include) turns that
// into exactly-once application per group: an entry whose event_id the group
// already processed is acknowledged without calling the handler.
//
// Lifecycle of the thread: create the group (XGROUP CREATE <stream> <group> 0
// MKSTREAM; an existing group is fine), re-read this consumer's own pending
// entries (those delivered to it before a crash or a failure, oldest first),
// then block for new ones. Entries are applied in stream order; an entry
// whose handler keeps failing holds back the ones after it. When Redis is
// down the consumer backs off and retries; when the group has vanished
// (Redis flushed: NOGROUP) it recreates it and reads the stream from the
// start.
//
// The consumer does not own `db` or `redis`, which must outlive it. `redis`
// must be dedicated to this consumer because XREADGROUP BLOCK holds a
// connection for up to block_timeout; use a HiredisClient built with
// BlockingReaderOptions(base, block_timeout) (hiredis_client.h).
class EventConsumer {
 public:
  EventConsumer(EventConsumerOptions options, sql::Database* db,
                redis::RedisClient* redis, EventHandler handler);
  // Stops the thread if it runs.
  ~EventConsumer();

  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Starts the background thread. Call at most once.
  void Start();
  // Finishes the read in progress (up to block_timeout) and joins the
  // thread. Idempotent.
  void Stop();

  // Runs one step on the calling thread (creating the group if needed, then
  // one read and the processing of what it returned) and returns how many
  // entries were applied or skipped as duplicates. Not to be mixed with
  // Start().
  absl::StatusOr<int> PollOnceForTest() { return Poll(); }

  // Simulates a crash between commit and acknowledgement: the next entry the
  // consumer commits is not acknowledged, and the consumer stops processing
  // (its thread exits) right after that commit. Call Stop() afterwards.
  void CrashAfterCommitBeforeAckForTest();
  // Whether that simulated crash has happened.
  bool CrashedForTest() const;

 private:
  absl::StatusOr<int> Poll();
  absl::Status EnsureGroup();
  // Applies `event` once: skips it when the group already processed it.
  absl::Status Apply(const StreamEvent& event);
  absl::Status Ack(const std::vector<std::string>& entry_ids);
  void Run();

  const EventConsumerOptions options_;
  sql::Database* const db_;
  redis::RedisClient* const redis_;
  const EventHandler handler_;

  // Touched only by the thread running Poll.
  bool group_ready_ = false;
  // While non-empty, reads this consumer's pending entries after this id
  // instead of new ones.
  std::string pending_cursor_ = "0";

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool crash_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool crashed_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_CONSUMER_H_

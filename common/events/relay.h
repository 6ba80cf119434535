// OutboxRelay moves events from a service's outbox table (outbox.h) to Redis
// Streams, oldest first, and deletes each row once Redis has it.
#ifndef CLIENTELE_COMMON_EVENTS_RELAY_H_
#define CLIENTELE_COMMON_EVENTS_RELAY_H_

#include <cstdint>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/sql/database.h"

namespace clientele::events {

struct OutboxRelayOptions {
  // Rows read and published per round.
  int batch_size = 256;
  // How often the outbox is looked at when nobody calls Wake().
  absl::Duration poll_interval = absl::Milliseconds(200);
  // Streams are trimmed to about this many entries (XADD MAXLEN ~). A
  // consumer group further behind than that loses the trimmed entries.
  int64_t max_stream_length = 1000000;
  // After a failed round the relay waits min_backoff, doubling up to
  // max_backoff while failures go on.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
};

// Each row becomes one stream entry with the fields `event_id`, `tenant`,
// `type` and `payload` (XADD <stream> MAXLEN ~ <n> * ...). Rows are published
// in `seq` order and a row is deleted only after its XADD succeeded, so while
// Redis is down the rows wait in the outbox and go out, still in order, once
// it is back. Nothing is lost, but a crash (or a failed delete) between XADD
// and delete publishes those rows again: delivery is at least once, and
// consumers drop duplicates by event_id (EventConsumer does).
//
// Run exactly one relay per database: two relays would publish the same rows
// twice and could interleave their order.
//
// Thread-safe. The relay does not own `db` or `redis`, which must outlive it.
// Redis calls are short (no blocking reads), so the shared HiredisClient pool
// is fine here.
class OutboxRelay {
 public:
  OutboxRelay(sql::Database* db, redis::RedisClient* redis,
              OutboxRelayOptions options = {});
  // Stops the thread if it runs.
  ~OutboxRelay();

  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Starts the background thread. Call at most once.
  void Start();
  // Asks for a round now instead of at the next poll; call it after
  // committing a transaction that appended events, to keep latency low.
  // Cheap and non-blocking. While Redis is failing the backoff still applies.
  void Wake();
  // Finishes the round in progress, if any, and joins the thread. Idempotent.
  void Stop();

  // Runs one round on the calling thread: publishes up to batch_size of the
  // oldest rows and deletes them. Returns how many were published, or the
  // first error (rows published before it are still deleted). Not to be
  // mixed with Start().
  absl::StatusOr<int> PublishOnceForTest() { return PublishBatch(); }

 private:
  absl::StatusOr<int> PublishBatch();
  void Run();
  bool WakeOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return wake_ || stopping_;
  }

  sql::Database* const db_;
  redis::RedisClient* const redis_;
  const OutboxRelayOptions options_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_RELAY_H_

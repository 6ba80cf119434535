// OutboxRelay moves events from a service's outbox table (outbox.h) to Redis
// Streams, oldest first, marks each row published once Redis has it, and
// publishes retained rows again when Redis lost them or a consumer asks.
#ifndef CLIENTELE_COMMON_EVENTS_RELAY_H_
#define CLIENTELE_COMMON_EVENTS_RELAY_H_

#include <cstdint>
#include <map>
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

struct OutboxRelayOptions {
  // Rows read and published per round.
  int batch_size = 256;
  // How often the outbox is looked at when nobody calls Wake().
  absl::Duration poll_interval = absl::Milliseconds(200);
  // Streams are trimmed to about this many entries (XADD MAXLEN ~). A
  // consumer group further behind than that misses the trimmed entries and
  // has them replayed from the outbox (within its retention).
  int64_t max_stream_length = 1000000;
  // After a failed round the relay waits min_backoff, doubling up to
  // max_backoff while failures go on.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
  // How often (on the injected clock) each stream in Redis is compared with
  // what was published and consumers' replay requests are taken: the
  // longest a loss or a request waits to be noticed.
  absl::Duration check_interval = absl::Seconds(1);
};

// Each row becomes one stream entry with the fields of stream_entry.h:
// `event_id`, `tenant`, `type`, `payload` and `seq`, the row's position in
// its stream (XADD <stream> MAXLEN ~ <n> * ...). Rows are published in
// position order and a stream's rows are marked published (its
// outbox_streams.published_seq, with the time on the injected clock) only
// after their XADD succeeded, so while Redis is down the
// rows wait in the outbox and go out, still in order, once it is back. A
// crash (or a failed update) between XADD and the mark publishes those rows
// again: delivery is at least once, and consumers drop what they have
// already applied (EventConsumer does, by position and by event_id).
//
// Published rows stay in the outbox until PurgeOutbox removes them, after
// the retention window, and the relay publishes them again, from a position
// on to the last published row, when
//   - Redis lost the end of a stream: the newest entry's seq is below the
//     last published position (Redis restarted from an AOF that missed its
//     last second: replayed from the entry after it), or the stream is
//     empty or gone (FLUSHALL: only the last published row goes out again,
//     which lets each consumer see how far behind it is and ask);
//   - a consumer group asked for it through ReplayRequestsKey(stream) (it
//     saw a position beyond the one it expects; see EventConsumer). Requests
//     of several groups are served by one replay from the lowest position.
// Both are looked at once per check_interval. While a replay runs, new rows
// wait, so a stream's positions never go backwards within a replay. Where a
// replayed range has positions the outbox no longer holds (past the
// retention), a loss marker (kLostFromField) stands in for them and the
// loss is logged as an error.
//
// Run exactly one relay per database: two relays would publish the same rows
// twice and could interleave their order.
//
// Thread-safe. The relay does not own `db`, `redis` or `clock`, which must
// outlive it. Redis calls are short (no blocking reads), so the shared
// HiredisClient pool is fine here.
class OutboxRelay {
 public:
  OutboxRelay(sql::Database* db, redis::RedisClient* redis, Clock* clock,
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

  // Runs one round on the calling thread: the stream check when it is due
  // (always in the first round), then either a batch of the replay in
  // progress or up to batch_size of the oldest waiting rows. Returns how
  // many events were published, or the first error (rows published before
  // it are still marked). Not to be mixed with Start().
  absl::StatusOr<int> PublishOnceForTest() { return Round(); }
  // Whether a replay is in progress (more rounds will publish it).
  bool ReplayingForTest() const { return !replay_from_.empty(); }

 private:
  // One entry to XADD: its stream and its field/value list.
  struct Entry {
    std::string stream;
    std::vector<std::string> fields;
  };

  absl::StatusOr<int> Round();
  // Compares each stream with the outbox and takes replay requests.
  absl::Status CheckStreams();
  absl::StatusOr<int> ReplayBatch();
  absl::StatusOr<int> PublishBatch();
  // XADDs `entries` in order, stopping at the first refusal; `*published`
  // is how many went out, also on error.
  absl::Status Xadd(const std::vector<Entry>& entries, size_t* published);
  void Run();
  bool WakeOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return wake_ || stopping_;
  }

  sql::Database* const db_;
  redis::RedisClient* const redis_;
  Clock* const clock_;
  const OutboxRelayOptions options_;

  // Touched only by the thread running rounds.
  absl::Time next_check_ = absl::InfinitePast();
  // Stream -> the next position to publish again.
  std::map<std::string, int64_t> replay_from_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_RELAY_H_

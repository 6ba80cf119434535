// The hiredis implementation of RedisClient: a small pool of synchronous
// connections with connect and command timeouts, connected lazily and
// replaced after any I/O error, so that the same client recovers by itself
// once a restarted redis-server is reachable again.
#ifndef CLIENTELE_COMMON_REDIS_HIREDIS_CLIENT_H_
#define CLIENTELE_COMMON_REDIS_HIREDIS_CLIENT_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/redis/redis_client.h"

struct redisContext;

namespace clientele::redis {

struct HiredisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Bounds the TCP connect of each new connection.
  absl::Duration connect_timeout = absl::Milliseconds(500);
  // Bounds each command once connected (send plus reply). A command that runs
  // longer, e.g. XREADGROUP BLOCK, needs a larger value: see
  // BlockingReaderOptions.
  absl::Duration command_timeout = absl::Seconds(1);
  // At most this many connections (and so commands in flight) at once; more
  // callers wait for a free connection for up to command_timeout.
  int pool_size = 8;
};

// Options for a client dedicated to one reader that blocks in Redis (such as
// XREADGROUP ... BLOCK `max_block`): one connection, and a command timeout
// that outlasts the block. Keeping such readers off the shared pool means a
// blocked read never starves the other callers.
HiredisOptions BlockingReaderOptions(HiredisOptions base,
                                     absl::Duration max_block);

// Thread-safe. Construction never fails and never touches the network, so a
// service starts even while Redis is down.
//
// A call takes a connection from the pool (connecting it if needed), sends the
// command and reads the reply. On a connect failure, an I/O error or a timeout
// the connection is closed, the idle connections are dropped too (they most
// likely point at the same dead server), and the call answers UNAVAILABLE;
// the next call connects afresh. A command is never retried here: after an
// I/O error it may or may not have run, and only the caller knows whether
// running it twice is safe.
//
// SIGPIPE is blocked in the calling thread while a command is written, so a
// peer that closed the socket never kills the process.
class HiredisClient : public RedisClient {
 public:
  explicit HiredisClient(HiredisOptions options);
  ~HiredisClient() override;

  HiredisClient(const HiredisClient&) = delete;
  HiredisClient& operator=(const HiredisClient&) = delete;

  absl::StatusOr<Reply> Command(absl::Span<const std::string> args) override;

 private:
  // Returns a connected context owned by the caller until Release, or
  // UNAVAILABLE when none is free within the command timeout or connecting
  // fails.
  absl::StatusOr<redisContext*> Acquire();
  // Returns `context` to the pool, or frees it when `broken` (then the idle
  // connections are freed as well).
  void Release(redisContext* context, bool broken);
  absl::StatusOr<redisContext*> Connect() const;
  bool ConnectionAvailable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const HiredisOptions options_;

  absl::Mutex mu_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  // Connections handed out (or being connected) right now.
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace clientele::redis

#endif  // CLIENTELE_COMMON_REDIS_HIREDIS_CLIENT_H_

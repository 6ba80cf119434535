// A real redis-server for tests: its own loopback port and data directory,
// append-only persistence, and controls to stop, kill and restart it so tests
// can show what happens to their code when Redis goes away and comes back.
#ifndef CLIENTELE_COMMON_TESTING_REDIS_SERVER_FOR_TEST_H_
#define CLIENTELE_COMMON_TESTING_REDIS_SERVER_FOR_TEST_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/testing/temp_dir.h"

namespace clientele::testing {

// Not thread-safe: drive it from the test's main thread. The server is run
// with PR_SET_PDEATHSIG, so it dies with the thread that started it (never
// leaked by a crashed test); start it from a thread that outlives it.
class RedisServerForTest {
 public:
  // Starts redis-server (found on PATH, else /usr/bin/redis-server) on a free
  // 127.0.0.1 port in a fresh temporary directory, with `--appendonly yes
  // --appendfsync always --save ""`, and returns once it answers PING. Picks
  // another port if the chosen one was taken meanwhile. Errors: UNAVAILABLE
  // when it cannot be started, with the end of its log in the message.
  static absl::StatusOr<std::unique_ptr<RedisServerForTest>> Create();

  // Stops the server and removes its directory.
  ~RedisServerForTest();

  RedisServerForTest(const RedisServerForTest&) = delete;
  RedisServerForTest& operator=(const RedisServerForTest&) = delete;

  // Starts the server again on the same port and directory, so the data in
  // its append-only file is loaded back; returns once it answers PING.
  // FAILED_PRECONDITION when it is already running.
  absl::Status Start();
  // Graceful shutdown (SIGTERM, then wait for exit). OK when not running.
  absl::Status Stop();
  // Abrupt death (SIGKILL, then wait for exit). OK when not running. With
  // --appendfsync always, every acknowledged write survives it.
  absl::Status Kill();
  // FLUSHALL: every key, stream and consumer group is gone.
  absl::Status Flush();

  bool running() const { return pid_ > 0; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  // The data directory (holds appendonlydir/ and redis.log).
  const std::string& dir() const { return dir_.path(); }

 private:
  RedisServerForTest();
  // Forks and execs redis-server, then waits for it to answer PING.
  absl::Status Launch();
  absl::Status WaitForExit(int signal);
  std::string LogTail() const;

  const std::string host_ = "127.0.0.1";
  TempDir dir_;
  std::string binary_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_REDIS_SERVER_FOR_TEST_H_

// Where RPC handlers run. gRPC callback threads must never block on I/O, so
// every handler is handed to an Executor; the real one is a fixed pool of
// threads, and tests can run work inline.
#ifndef CLIENTELE_COMMON_SERVER_THREAD_POOL_H_
#define CLIENTELE_COMMON_SERVER_THREAD_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace clientele::server {

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `task` at some later point, on some thread. Never blocks on the
  // task itself.
  virtual void Schedule(absl::AnyInvocable<void() &&> task) = 0;
};

// A fixed set of threads taking tasks in FIFO order.
class ThreadPool : public Executor {
 public:
  explicit ThreadPool(int threads);
  // Runs every task already scheduled, then joins the threads.
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // After Shutdown, tasks are still accepted and run inline, so a late
  // callback never hangs its RPC.
  void Schedule(absl::AnyInvocable<void() &&> task) override;

  // Runs every task already scheduled and joins the threads. Idempotent.
  void Shutdown();

 private:
  void WorkLoop();

  absl::Mutex mutex_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_THREAD_POOL_H_

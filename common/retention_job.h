// RetentionJob removes rows that have outlived their retention (published
// outbox events, processed-event marks, stored idempotent responses) on a
// thread of its own, so that tables a service only appends to stay bounded.
#ifndef CLIENTELE_COMMON_RETENTION_JOB_H_
#define CLIENTELE_COMMON_RETENTION_JOB_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/sql/database.h"

namespace clientele {

// The most rows a Purge should remove per call: one call is one write
// transaction, and writers wait for it.
inline constexpr int64_t kPurgeBatchSize = 1000;

// Each purge runs in write transactions of its own, one batch each, called
// again while it removes rows, so that no purge holds the write lock for
// long and one failing purge does not stop the others. A purge must be
// idempotent and remove nothing still within its retention.
//
// Thread-safe. The job does not own `database` or `clock`.
class RetentionJob {
 public:
  // Removes up to kPurgeBatchSize rows past their retention at `now`, using
  // `txn`; returns how many. An error rolls the batch back.
  using Purge =
      std::function<absl::StatusOr<int64_t>(sql::Transaction&, absl::Time now)>;

  // The thread runs every purge once at Start() and then every `interval`.
  RetentionJob(sql::Database* database, Clock* clock, absl::Duration interval);
  // Stop().
  ~RetentionJob();

  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  // Registers `purge` under `name` (for the log). Call before Start().
  void Add(std::string name, Purge purge);
  // Starts the thread. Call at most once.
  void Start();
  // Finishes the batch in progress and joins the thread. Idempotent.
  void Stop();

  // Runs every purge now, on the calling thread, until each removes nothing
  // more (one batch each once Stop() was called), with one `now` from the
  // clock. Returns the rows removed, or the first error (the other purges
  // still ran).
  absl::StatusOr<int64_t> RunOnce();

 private:
  struct NamedPurge {
    std::string name;
    Purge purge;
  };

  bool Stopping() const;
  void Run();

  sql::Database* const database_;
  Clock* const clock_;
  const absl::Duration interval_;
  std::vector<NamedPurge> purges_;  // fixed once Start() runs

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele

#endif  // CLIENTELE_COMMON_RETENTION_JOB_H_

// A Database wrapper for tests of failure paths: it passes every call to the
// wrapped database except those it has been told to fail.
#ifndef CLIENTELE_COMMON_SQL_FAULT_INJECTING_DATABASE_H_
#define CLIENTELE_COMMON_SQL_FAULT_INJECTING_DATABASE_H_

#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/sql/database.h"

namespace clientele::sql {

class FaultInjectingDatabase final : public Database {
 public:
  explicit FaultInjectingDatabase(std::unique_ptr<Database> base);

  // The next `count` Write calls return `status` without running their
  // body, as when the database cannot be reached. Replaces any earlier
  // FailNextWrites.
  void FailNextWrites(int count, absl::Status status);

  // The next `count` Write calls run their body and then, if it returned OK,
  // roll back and return `status`, as when the commit fails: the body's
  // statements succeeded but nothing is written. Write failures are used up
  // first. Replaces any earlier FailNextCommits.
  void FailNextCommits(int count, absl::Status status);

  // The next `count` Read calls return `status` without running their body.
  void FailNextReads(int count, absl::Status status);

  // Ping answers `status` instead of asking the wrapped database, until set
  // back to OK.
  void SetPingStatus(absl::Status status);

  // Forgets every pending fault.
  void ClearFaults();

  // How many calls have failed because of an injected fault.
  int injected_failures() const;

  // The wrapped database, to look behind the faults.
  Database& base() { return *base_; }

  absl::Status Write(
      const std::function<absl::Status(Transaction&)>& body) override;
  absl::Status Read(
      const std::function<absl::Status(Transaction&)>& body) override;
  // Passed through; injected faults do not apply.
  absl::StatusOr<int> Migrate(absl::Span<const Migration> migrations) override;
  absl::Status Ping() override;
  // Passed through; injected faults do not apply.
  absl::Status PurgeDeletedData() override;

 private:
  // Takes one fault from `count`/`status`, if any is pending.
  absl::Status TakeFault(int& count, const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::unique_ptr<Database> base_;
  mutable absl::Mutex mu_;
  int write_failures_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status write_status_ ABSL_GUARDED_BY(mu_);
  int commit_failures_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status commit_status_ ABSL_GUARDED_BY(mu_);
  int read_failures_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status read_status_ ABSL_GUARDED_BY(mu_);
  absl::Status ping_status_ ABSL_GUARDED_BY(mu_);
  int injected_failures_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_FAULT_INJECTING_DATABASE_H_

#include "common/retention_job.h"

#include <utility>

#include "absl/status/status.h"
#include "common/log.h"

namespace clientele {

RetentionJob::RetentionJob(sql::Database* database, Clock* clock,
                           absl::Duration interval)
    : database_(database), clock_(clock), interval_(interval) {}

RetentionJob::~RetentionJob() { Stop(); }

void RetentionJob::Add(std::string name, Purge purge) {
  purges_.push_back({std::move(name), std::move(purge)});
}

void RetentionJob::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RetentionJob::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool RetentionJob::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

absl::StatusOr<int64_t> RetentionJob::RunOnce() {
  const absl::Time now = clock_->Now();
  int64_t total = 0;
  absl::Status first_error;
  for (const NamedPurge& purge : purges_) {
    int64_t removed = 0;
    absl::Status status;
    while (true) {
      int64_t batch = 0;
      status = database_->Write([&](sql::Transaction& txn) -> absl::Status {
        absl::StatusOr<int64_t> purged = purge.purge(txn, now);
        if (!purged.ok()) return purged.status();
        batch = *purged;
        return absl::OkStatus();
      });
      if (!status.ok() || batch <= 0) break;
      removed += batch;
      // A purge that keeps finding rows still ends with the process.
      if (Stopping()) break;
    }
    total += removed;
    if (removed > 0) {
      LOG(INFO) << "retention: removed " << removed << " rows of "
                << purge.name;
    }
    if (!status.ok()) {
      LOG(WARNING) << "retention: purging " << purge.name
                   << " failed after removing " << removed
                   << " rows: " << status;
      if (first_error.ok()) first_error = status;
    }
  }
  if (!first_error.ok()) return first_error;
  return total;
}

void RetentionJob::Run() {
  while (!Stopping()) {
    // Errors are logged by RunOnce; the next run tries again.
    RunOnce().IgnoreError();
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
  }
}

}  // namespace clientele

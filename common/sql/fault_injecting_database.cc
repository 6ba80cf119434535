#include "common/sql/fault_injecting_database.h"

#include <utility>

namespace clientele::sql {

FaultInjectingDatabase::FaultInjectingDatabase(std::unique_ptr<Database> base)
    : base_(std::move(base)) {}

void FaultInjectingDatabase::FailNextWrites(int count, absl::Status status) {
  absl::MutexLock lock(&mu_);
  write_failures_ = count;
  write_status_ = std::move(status);
}

void FaultInjectingDatabase::FailNextCommits(int count, absl::Status status) {
  absl::MutexLock lock(&mu_);
  commit_failures_ = count;
  commit_status_ = std::move(status);
}

void FaultInjectingDatabase::FailNextReads(int count, absl::Status status) {
  absl::MutexLock lock(&mu_);
  read_failures_ = count;
  read_status_ = std::move(status);
}

void FaultInjectingDatabase::SetPingStatus(absl::Status status) {
  absl::MutexLock lock(&mu_);
  ping_status_ = std::move(status);
}

void FaultInjectingDatabase::ClearFaults() {
  absl::MutexLock lock(&mu_);
  write_failures_ = commit_failures_ = read_failures_ = 0;
  ping_status_ = absl::OkStatus();
}

int FaultInjectingDatabase::injected_failures() const {
  absl::MutexLock lock(&mu_);
  return injected_failures_;
}

absl::Status FaultInjectingDatabase::TakeFault(int& count,
                                               const absl::Status& status) {
  if (count <= 0) return absl::OkStatus();
  --count;
  ++injected_failures_;
  // An OK fault would silently inject nothing; fail anyway.
  return status.ok() ? absl::InternalError("injected fault") : status;
}

absl::Status FaultInjectingDatabase::Write(
    const std::function<absl::Status(Transaction&)>& body) {
  {
    absl::MutexLock lock(&mu_);
    absl::Status fault = TakeFault(write_failures_, write_status_);
    if (!fault.ok()) return fault;
  }
  // An error returned from the body makes the wrapped database roll back.
  return base_->Write([&](Transaction& transaction) -> absl::Status {
    absl::Status status = body(transaction);
    if (!status.ok()) return status;
    absl::MutexLock lock(&mu_);
    return TakeFault(commit_failures_, commit_status_);
  });
}

absl::Status FaultInjectingDatabase::Read(
    const std::function<absl::Status(Transaction&)>& body) {
  {
    absl::MutexLock lock(&mu_);
    absl::Status fault = TakeFault(read_failures_, read_status_);
    if (!fault.ok()) return fault;
  }
  return base_->Read(body);
}

absl::StatusOr<int> FaultInjectingDatabase::Migrate(
    absl::Span<const Migration> migrations) {
  return base_->Migrate(migrations);
}

absl::Status FaultInjectingDatabase::Ping() {
  {
    absl::MutexLock lock(&mu_);
    if (!ping_status_.ok()) {
      ++injected_failures_;
      return ping_status_;
    }
  }
  return base_->Ping();
}

absl::Status FaultInjectingDatabase::PurgeDeletedData() {
  return base_->PurgeDeletedData();
}

}  // namespace clientele::sql

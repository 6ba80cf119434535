// Test-only: AccountNames without contacts. Answers the names a test set
// per account id (ids with none are left out, as contacts' deleted ones
// are), or the error it was told to fail with, and records each call.
#ifndef CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_FOR_TEST_H_
#define CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_FOR_TEST_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/reporting/account_names.h"

namespace clientele::reporting {

class FakeAccountNames final : public AccountNames {
 public:
  // What contacts answers as the display name of `account_id`.
  void SetName(const std::string& account_id, std::string name) {
    absl::MutexLock lock(&mutex_);
    names_[account_id] = std::move(name);
  }

  // Every Names fails with `status` until Recover().
  void FailWith(absl::Status status) {
    absl::MutexLock lock(&mutex_);
    failure_ = std::move(status);
  }
  void Recover() { FailWith(absl::OkStatus()); }

  absl::StatusOr<AccountNameMap> Names(
      const Caller& caller,
      const std::vector<std::string>& account_ids) override {
    absl::MutexLock lock(&mutex_);
    calls_.push_back({caller, account_ids});
    if (!failure_.ok()) return failure_;
    AccountNameMap names;
    for (const std::string& id : account_ids) {
      const auto it = names_.find(id);
      if (it != names_.end()) names[id] = it->second;
    }
    return names;
  }

  struct Call {
    Caller caller;
    std::vector<std::string> account_ids;
  };
  // Every Names call, in order.
  std::vector<Call> Calls() {
    absl::MutexLock lock(&mutex_);
    return calls_;
  }
  void ClearCalls() {
    absl::MutexLock lock(&mutex_);
    calls_.clear();
  }

 private:
  absl::Mutex mutex_;
  AccountNameMap names_ ABSL_GUARDED_BY(mutex_);
  absl::Status failure_ ABSL_GUARDED_BY(mutex_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_ACCOUNT_NAMES_FOR_TEST_H_

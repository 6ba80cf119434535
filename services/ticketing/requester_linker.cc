#include "services/ticketing/requester_linker.h"

#include <string>
#include <vector>

#include "common/log.h"
#include "common/status_macros.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {

void RequesterLinker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RequesterLinker::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void RequesterLinker::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

absl::StatusOr<int> RequesterLinker::Sweep() {
  std::vector<std::string> tenants;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(tenants,
                         deps_.tickets->TenantsWithPendingRequesters(txn));
        return absl::OkStatus();
      }));
  int linked = 0;
  for (const std::string& tenant : tenants) {
    ASSIGN_OR_RETURN(int done,
                     tickets_->LinkPendingRequesters(tenant, options_.batch));
    linked += done;
  }
  return linked;
}

void RequesterLinker::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || woken_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), options_.period);
      if (stopping_) return;
      woken_ = false;
    }
    absl::StatusOr<int> linked = Sweep();
    if (!linked.ok()) {
      LOG(WARNING) << "linking pending requesters failed, retrying: "
                   << linked.status();
    } else if (*linked > 0) {
      LOG(INFO) << "linked " << *linked << " form tickets to their requesters";
    }
  }
}

}  // namespace clientele::ticketing

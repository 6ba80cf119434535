// The background job that links form tickets taken while contacts was down
// or slow (requester_pending) once contacts answers: every `period` (and on
// Wake) it sweeps each tenant with waiting tickets through
// TicketManager::LinkPendingRequesters, which retries contacts with the
// request id the intake used, so the requester is created at most once.
#ifndef CLIENTELE_SERVICES_TICKETING_REQUESTER_LINKER_H_
#define CLIENTELE_SERVICES_TICKETING_REQUESTER_LINKER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class RequesterLinker {
 public:
  struct Options {
    // How often a sweep runs when nothing wakes the job.
    absl::Duration period = absl::Seconds(10);
    // Tickets per tenant per sweep.
    int batch = 50;
  };

  // Uses deps.database and deps.tickets (to find the tenants with waiting
  // tickets); `tickets` is not owned and must outlive this. The time of
  // every link (history, events) and the deadline of contacts calls come
  // from the manager's injected clock.
  RequesterLinker(const TicketingDeps& deps, TicketManager* tickets,
                  Options options)
      : deps_(deps), tickets_(tickets), options_(options) {}
  ~RequesterLinker() { Stop(); }
  RequesterLinker(const RequesterLinker&) = delete;
  RequesterLinker& operator=(const RequesterLinker&) = delete;

  void Start();
  // Finishes the sweep in progress and joins. Idempotent.
  void Stop();
  // Asks for a sweep now (TicketingBackend calls it when the support form
  // takes a ticket with its requester pending). Does not block.
  void Wake();

  // One sweep, on the caller's thread: how many tickets were linked.
  absl::StatusOr<int> RunOnceForTest() { return Sweep(); }

 private:
  absl::StatusOr<int> Sweep();
  void Run();

  TicketingDeps deps_;
  TicketManager* const tickets_;
  const Options options_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_REQUESTER_LINKER_H_

// The SLA job: a background thread that, every `period`, publishes the
// SlaAtRisk and SlaBreached events that have fallen due
// (SlaAlertManager::PublishDue), batch after batch until none is left. Safe
// to run in several replicas and to kill at any point: each batch commits
// its events with their published marks.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_JOB_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_JOB_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/ticketing/sla_alert_manager.h"

namespace clientele::ticketing {

class SlaJob {
 public:
  // Clocks handled per transaction.
  static constexpr int kBatch = 100;

  // `alerts` is not owned. Due times are judged by the alerts' injected
  // clock; `period` is real time between passes.
  explicit SlaJob(SlaAlertManager* alerts,
                  absl::Duration period = absl::Seconds(5))
      : alerts_(alerts), period_(period) {}
  ~SlaJob() { Stop(); }
  SlaJob(const SlaJob&) = delete;
  SlaJob& operator=(const SlaJob&) = delete;

  void Start();
  // Finishes the batch in progress and joins. Idempotent.
  void Stop();

  // One pass now, on the calling thread: every batch until nothing is due.
  // Returns how many clocks were handled, or the first error.
  absl::StatusOr<int> RunOnceForTest() { return RunPass(); }

 private:
  absl::StatusOr<int> RunPass();
  void Run();

  SlaAlertManager* const alerts_;
  const absl::Duration period_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_JOB_H_

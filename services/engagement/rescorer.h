// The background thread that rescores accounts marked dirty (see
// ScoreManager::RescoreDirty), woken after each commit that marks some, and
// every `idle_poll` anyway (marks written by another replica, or by the
// event consumer, wake nobody here).
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_RESCORER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_RESCORER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/engagement/score_manager.h"

namespace clientele::engagement {

class Rescorer {
 public:
  // `scores` is not owned.
  explicit Rescorer(ScoreManager* scores,
                    absl::Duration idle_poll = absl::Seconds(1))
      : scores_(scores), idle_poll_(idle_poll) {}
  ~Rescorer() { Stop(); }
  Rescorer(const Rescorer&) = delete;
  Rescorer& operator=(const Rescorer&) = delete;

  void Start();
  // Finishes the batch in progress and joins. Idempotent.
  void Stop();
  // Asks for a pass now.
  void Wake();

 private:
  void Run();

  ScoreManager* const scores_;
  const absl::Duration idle_poll_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_RESCORER_H_

// The cadence job: a background thread that, every `period`, makes the
// follow-ups keep-in-touch cadences call for (cadence_schedule.h says when).
// Each pass, for every tenant with cadences:
//   - each active (unpaused) NEWSLETTER with no account makes one follow-up
//     per issue, naming no account, for the cadence's assignee;
//   - every other active cadence is matched with each active account it
//     covers (accounts gone or merged away are not; CHURNED ones are
//     skipped), and each touch due makes one follow-up on the account (rule
//     CADENCE, for the cadence's assignee, else the account manager, else
//     the owner), unless it is a survey and the account has reached its
//     survey fatigue limit (then nothing is recorded: the survey comes when
//     the window allows).
// Each touch is recorded (cadence_touches, unique per cadence, account and
// occurrence) in the transaction that makes its follow-up, so reruns,
// restarts and several replicas never make one twice. Accounts are handled
// in pages of kAccountsPerTransaction, one transaction each, so a pass never
// holds the database long. Due times are judged by the injected clock;
// `period` is real time between passes.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_JOB_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_JOB_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/cadence.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "services/engagement/cadence_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/follow_up_manager.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

class CadenceJob {
 public:
  // Accounts handled per transaction.
  static constexpr int kAccountsPerTransaction = 100;
  // What the job's follow-ups and events are recorded as made by.
  static constexpr char kActor[] = "system:cadences";

  // Nothing is owned.
  CadenceJob(const EngagementDeps& deps, CadenceStore* cadences,
             FollowUpManager* follow_ups, ScoreCache* cache)
      : deps_(deps),
        cadences_(cadences),
        follow_ups_(follow_ups),
        cache_(cache) {}
  ~CadenceJob() { Stop(); }
  CadenceJob(const CadenceJob&) = delete;
  CadenceJob& operator=(const CadenceJob&) = delete;

  // Starts the thread: a pass every `period` (the first after one period).
  void Start(absl::Duration period);
  // Finishes the page in progress and joins. Idempotent.
  void Stop();

  // One pass now, on the calling thread. Returns how many follow-ups it
  // made, or the first error (what committed before it stays).
  absl::StatusOr<int> RunOnce();

 private:
  struct TenantCadences;

  absl::StatusOr<int> RunTenant(const std::string& tenant, absl::Time now);
  absl::StatusOr<int> RunSegmentNewsletter(const std::string& tenant,
                                           const v1::Cadence& cadence,
                                           absl::Time now);
  // One transaction: the accounts `ids` (or, with `wide`, the page after
  // `*after`, which it advances) against their cadences.
  absl::StatusOr<int> RunAccounts(const std::string& tenant,
                                  const TenantCadences& cadences,
                                  const std::vector<std::string>& ids,
                                  std::string* after, bool* more,
                                  absl::Time now);
  bool stopping();
  void Run(absl::Duration period);

  EngagementDeps deps_;
  CadenceStore* const cadences_;
  FollowUpManager* const follow_ups_;
  ScoreCache* const cache_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_JOB_H_

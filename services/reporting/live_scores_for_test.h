// Test-only: LiveScores without engagement. Answers the scores a test set
// per account, or the error it was told to fail with, and records who asked
// (Refresh and GetScore alike).
#ifndef CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_FOR_TEST_H_
#define CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_FOR_TEST_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/reporting/live_scores.h"

namespace clientele::reporting {

class FakeLiveScores final : public LiveScores {
 public:
  // What engagement answers for `account` ("accounts/{id}"): the fields
  // Refresh replaces (mode, score, band, score_delta, reasons) are copied
  // from `live`.
  void SetScore(const std::string& account, v1::AtRiskAccount live) {
    absl::MutexLock lock(&mutex_);
    scores_[account] = std::move(live);
  }

  // What engagement answers GetScore for `account` ("accounts/{id}");
  // an account with none set is NOT_FOUND.
  void SetFullScore(const std::string& account,
                    engagement::v1::RelationshipScore score) {
    absl::MutexLock lock(&mutex_);
    full_scores_[account] = std::move(score);
  }

  // Every Refresh and GetScore fails with `status` until Recover().
  void FailWith(absl::Status status) {
    absl::MutexLock lock(&mutex_);
    failure_ = std::move(status);
  }
  void Recover() { FailWith(absl::OkStatus()); }

  absl::Status Refresh(const Caller& caller,
                       google::protobuf::RepeatedPtrField<v1::AtRiskAccount>*
                           accounts) override {
    absl::MutexLock lock(&mutex_);
    callers_.push_back(caller);
    if (!failure_.ok()) return failure_;
    for (const v1::AtRiskAccount& account : *accounts) {
      if (scores_.count(account.account()) == 0) {
        return absl::NotFoundError(
            absl::StrCat("engagement does not know ", account.account()));
      }
    }
    for (v1::AtRiskAccount& account : *accounts) {
      const v1::AtRiskAccount& live = scores_[account.account()];
      account.set_mode(live.mode());
      account.set_score(live.score());
      account.set_band(live.band());
      account.set_score_delta(live.score_delta());
      *account.mutable_reasons() = live.reasons();
    }
    return absl::OkStatus();
  }

  absl::StatusOr<engagement::v1::RelationshipScore> GetScore(
      const Caller& caller, const std::string& account) override {
    absl::MutexLock lock(&mutex_);
    callers_.push_back(caller);
    if (!failure_.ok()) return failure_;
    const auto it = full_scores_.find(account);
    if (it == full_scores_.end()) {
      return absl::NotFoundError(
          absl::StrCat("engagement does not know ", account));
    }
    return it->second;
  }

  // The callers of every Refresh and GetScore so far, oldest first.
  std::vector<Caller> CallersForTest() {
    absl::MutexLock lock(&mutex_);
    return callers_;
  }

 private:
  absl::Mutex mutex_;
  std::map<std::string, v1::AtRiskAccount> scores_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, engagement::v1::RelationshipScore> full_scores_
      ABSL_GUARDED_BY(mutex_);
  absl::Status failure_ ABSL_GUARDED_BY(mutex_);
  std::vector<Caller> callers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_LIVE_SCORES_FOR_TEST_H_

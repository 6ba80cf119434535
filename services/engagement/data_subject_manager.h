// Data-subject export: everything engagement holds about an account or a
// person, page by page. (Erasure arrives as contacts' DataSubjectErased
// event: see projection_updater.h.)
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DATA_SUBJECT_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DATA_SUBJECT_MANAGER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/caller.h"
#include "services/engagement/account_data_part.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_manager.h"

namespace clientele::engagement {

class DataSubjectManager {
 public:
  DataSubjectManager(const EngagementDeps& deps, ScoreManager* scores)
      : deps_(deps), scores_(scores) {}

  // "accounts/{a}": its interactions (newest first), and on the first page
  // its follow-ups, current score and score changes. "contacts/{c}": the
  // interactions and follow-ups that name the person. NOT_FOUND for an
  // account engagement does not know; an unknown contact exports nothing.
  absl::StatusOr<v1::ExportDataSubjectResponse> Export(
      const Caller& caller, const v1::ExportDataSubjectRequest& request);
  // `part` (not owned) adds its data to exports' first pages.
  void AddPart(AccountDataPart* part) { parts_.push_back(part); }

 private:
  EngagementDeps deps_;
  ScoreManager* const scores_;
  std::vector<AccountDataPart*> parts_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DATA_SUBJECT_MANAGER_H_

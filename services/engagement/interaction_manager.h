// The interaction timeline: recording (one at a time or in all-or-nothing
// batches, idempotent by request_id), reading and deleting interactions.
// Recording updates the account's aggregates, marks it for rescoring,
// applies the follow-up rules and writes one InteractionsRecorded event, all
// in one transaction.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "common/caller.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/follow_up_manager.h"

namespace clientele::engagement {

inline constexpr int kMaxBatchInteractions = 5000;

// Called after each commit that changed what the scores of `account_ids`
// read (registered with Transaction::AfterCommit).
using AccountsChanged = std::function<void(
    const std::string& tenant, const std::vector<std::string>& account_ids)>;

class InteractionManager {
 public:
  InteractionManager(const EngagementDeps& deps, FollowUpManager* follow_ups,
                     AccountsChanged on_changed)
      : deps_(deps),
        follow_ups_(follow_ups),
        on_changed_(std::move(on_changed)) {}

  // Records `interactions` at once: all are stored or none. Each account
  // must be known to the projection (NOT_FOUND naming it otherwise; a
  // merged-away account records on its survivor). INVALID_ARGUMENT lists
  // every bad field ("interactions[i].kind", or "interaction.kind" when
  // `single`: RecordInteraction's one-interaction request); more than
  // kMaxBatchInteractions is INVALID_ARGUMENT naming `interactions`.
  // Idempotent by the call's request_id (common/write_pipeline.h).
  absl::StatusOr<std::vector<v1::Interaction>> Record(
      const Caller& caller,
      const google::protobuf::RepeatedPtrField<v1::Interaction>& interactions,
      bool single);

  // NOT_FOUND when there is none (or it is another tenant's).
  absl::StatusOr<v1::Interaction> Get(const Caller& caller,
                                      absl::string_view name);
  absl::StatusOr<v1::ListInteractionsResponse> List(
      const Caller& caller, const v1::ListInteractionsRequest& request);
  // Removes an interaction (to correct a mistake) and rebuilds what it was
  // part of. NOT_FOUND when there is none.
  absl::Status Delete(const Caller& caller, absl::string_view name);

 private:
  // Runs on_changed_ for `account_ids` once `txn` commits.
  void AccountsChangedAfterCommit(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  std::vector<std::string> account_ids) const;

  EngagementDeps deps_;
  FollowUpManager* const follow_ups_;
  const AccountsChanged on_changed_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_

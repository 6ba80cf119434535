// Keeps engagement's projection of accounts in step with contacts' events
// (clientele.events.contacts), so that scoring never calls contacts and
// keeps working while it is down. Runs inside the EventConsumer's
// transaction: each event is applied exactly once.
//   AccountCreated / AccountUpdated  the snapshot is replaced; rescored.
//   AccountDeleted                   everything engagement holds about the
//                                    account goes; later interactions are
//                                    refused (NOT_FOUND).
//   AccountsMerged                   the merged account's timeline, aggregates
//                                    and follow-ups move to the survivor,
//                                    whose name answers for it from then on.
//   DataSubjectErased                an erased account as AccountDeleted; an
//                                    erased contact disappears from
//                                    interactions (summaries too) and
//                                    follow-ups; scores and cache entries go.
// Contact events need nothing: contact depth is read from interactions.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_UPDATER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_UPDATER_H_

#include <vector>

#include "absl/status/status.h"
#include "clientele/events/v1/event.pb.h"
#include "common/events/consumer.h"
#include "services/engagement/account_data_part.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/score_cache.h"

namespace clientele::engagement {

class ProjectionUpdater {
 public:
  // `cache` is not owned.
  ProjectionUpdater(const EngagementDeps& deps, ScoreCache* cache)
      : deps_(deps), cache_(cache) {}

  // The EventHandler of the contacts consumer. DATA_LOSS for a payload
  // that does not parse (retried, so it is never silently skipped).
  absl::Status Apply(sql::Transaction& txn, const events::StreamEvent& event);
  // The same for an already parsed event (tests).
  absl::Status ApplyEvent(sql::Transaction& txn, absl::string_view tenant,
                          const events::v1::Event& event);
  // `part` (not owned) follows merges and erasures from now on. Call before
  // the consumer starts.
  void AddPart(AccountDataPart* part) { parts_.push_back(part); }

 private:
  absl::Status ForgetAccount(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id);
  // Cache entries go once the change is visible (see ScoreCache).
  void InvalidateAfterCommit(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view account_id);

  EngagementDeps deps_;
  ScoreCache* const cache_;
  std::vector<AccountDataPart*> parts_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_UPDATER_H_

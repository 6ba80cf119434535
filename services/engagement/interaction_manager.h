// The interaction timeline: recording (one at a time or in all-or-nothing
// batches, idempotent by request_id), reading and deleting interactions.
// Recording updates the account's aggregates, marks it for rescoring,
// applies the follow-up rules and writes one InteractionsRecorded event, all
// in one transaction: a client's call's, or an event consumer's for the
// interactions engagement derives from other services' events.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/follow_up_manager.h"

namespace clientele::engagement {

inline constexpr int kMaxBatchInteractions = 5000;

// Called after each commit that changed what the scores of `account_ids`
// read (registered with Transaction::AfterCommit).
using AccountsChanged = std::function<void(
    const std::string& tenant, const std::vector<std::string>& account_ids)>;

// Other resources of engagement an interaction can name (a proposal's deal,
// an order's purchase), checked and kept in step inside the transaction that
// records or deletes it. Registered with InteractionManager::AddLinks.
class InteractionLinks {
 public:
  virtual ~InteractionLinks() = default;
  // Called by Record for each interaction about to be stored, after its
  // account resolved (`account`) and its name and source were set. May
  // adjust `interaction`. An error fails the whole call: INVALID_ARGUMENT,
  // NOT_FOUND, FAILED_PRECONDITION or ALREADY_EXISTS naming `field` + "." +
  // the field (`field` is "interaction" or "interactions[i]").
  virtual absl::Status BeforeRecord(sql::Transaction& txn, const Caller& caller,
                                    const ProjectedAccount& account,
                                    absl::string_view field,
                                    v1::Interaction& interaction) = 0;
  // Called inside the transaction that deletes `interaction` (any source).
  virtual absl::Status OnDelete(sql::Transaction& txn, const Caller& caller,
                                const v1::Interaction& interaction) = 0;
};

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

  // Adds `links` (not owned; must outlive this) to the ones Record and the
  // deletions call, in the order added. Call before serving.
  void AddLinks(InteractionLinks* links) { links_.push_back(links); }

  // NOT_FOUND when there is none (or it is another tenant's).
  absl::StatusOr<v1::Interaction> Get(const Caller& caller,
                                      absl::string_view name);
  absl::StatusOr<v1::ListInteractionsResponse> List(
      const Caller& caller, const v1::ListInteractionsRequest& request);
  // Removes an interaction (to correct a mistake) and rebuilds what it was
  // part of. NOT_FOUND when there is none; FAILED_PRECONDITION for an
  // order's purchase (source ORDER), which goes with its order (cancel it,
  // or change its items).
  absl::Status Delete(const Caller& caller, absl::string_view name);

  // What RecordDerived did.
  enum class DerivedOutcome {
    kRecorded,
    kAlreadyRecorded,  // an interaction of that name exists: nothing done
    kAccountGone,      // deleted or erased in contacts: nothing done
  };

  // Records `interaction`, which engagement derived from `cause` (another
  // service's event, applied by an event consumer), inside `txn` for
  // `tenant`: the steps of Record (defaults, follow-up rules, the store and
  // the aggregates, totals, the rescoring mark, one InteractionsRecorded
  // event, cache invalidation and the rescorer's wake-up after the commit),
  // with no call behind it: the actor and trace id on the events are
  // `cause`'s, and there is no request_id. Instead `interaction.name` must
  // be set, derived from the event, which makes this idempotent: when an
  // interaction of that name exists, nothing is done (kAlreadyRecorded).
  // `source` is stored as the interaction's source.
  //
  // The account resolves as in Record (a merged account records on its
  // survivor), with one difference: an account contacts has not announced
  // yet (its events travel on another stream and may come later) is
  // recorded on a placeholder, which contacts' AccountCreated fills; until
  // then its score answers NOT_FOUND, and the follow-up rules see an account
  // with no profile (not a client). A deleted or erased account records
  // nothing (kAccountGone).
  //
  // INVALID_ARGUMENT naming "interaction.<field>" as Record (TICKET_* kinds
  // allowed); an occur_time in the future, by the other service's clock, is
  // read as now. Otherwise the store's errors.
  absl::StatusOr<DerivedOutcome> RecordDerived(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               const events::v1::Event& cause,
                                               v1::InteractionSource source,
                                               v1::Interaction interaction);

  // Deletes interaction `id`, recorded by RecordDerived, inside `txn` as
  // Delete does (with `cause`'s actor and trace id on InteractionDeleted).
  // False when there is none. Errors as the store's.
  absl::StatusOr<bool> DeleteDerived(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     const events::v1::Event& cause,
                                     absl::string_view id);

  // The PURCHASE that counts an order in the score (order_manager.h),
  // recorded inside `txn` on `account` (the active account the order is on,
  // just resolved in `txn`) with the steps of Record: defaults, the store
  // and the aggregates, totals, the rescoring mark, one InteractionsRecorded
  // event (its snapshot names the order), cache invalidation and the
  // rescorer's wake-up after the commit. Sets the name and source ORDER;
  // `purchase.source_ref` names the order. The links are not called (the
  // order is the caller). `purchase` must pass CheckInteraction, which the
  // order's own checks guarantee: INTERNAL otherwise. Returns it as stored.
  absl::StatusOr<v1::Interaction> RecordForOrder(
      sql::Transaction& txn, const Caller& caller,
      const ProjectedAccount& account, v1::Interaction purchase);

  // Deletes the order's purchase `name` inside `txn` as Delete does
  // (aggregates, totals, rescoring mark, InteractionDeleted, invalidation):
  // the order was cancelled, or its purchase is being replaced. NOT_FOUND
  // when there is none; FAILED_PRECONDITION when it is not an ORDER one.
  absl::Status DeleteForOrder(sql::Transaction& txn, const Caller& caller,
                              absl::string_view name);

 private:
  // Stores `rows` (named, with their source) on `account`, inside `txn`:
  // sets their account, create time and default personalization, applies
  // the follow-up rules, inserts them with their aggregates, updates the
  // account's totals and marks it for rescoring with `cause_event_id` (may
  // be empty) on the causes.
  absl::Status StoreOnAccount(sql::Transaction& txn, const Caller& caller,
                              const v1::ScoringPolicy& policy,
                              const ProjectedAccount& account,
                              absl::Span<v1::Interaction* const> rows,
                              absl::Time now, absl::string_view cause_event_id);
  // Appends the InteractionsRecorded event of `recorded` about `subject`.
  absl::Status AppendRecorded(
      sql::Transaction& txn, const Caller& caller, absl::string_view subject,
      const google::protobuf::RepeatedPtrField<v1::Interaction>& recorded);
  // Deletes `found` (stored) inside `txn` and rebuilds what it was part of.
  absl::Status DeleteStored(sql::Transaction& txn, const Caller& caller,
                            const v1::Interaction& found,
                            absl::string_view cause_event_id);
  // Runs on_changed_ for `account_ids` once `txn` commits.
  void AccountsChangedAfterCommit(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  std::vector<std::string> account_ids) const;

  EngagementDeps deps_;
  FollowUpManager* const follow_ups_;
  const AccountsChanged on_changed_;
  std::vector<InteractionLinks*> links_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_MANAGER_H_

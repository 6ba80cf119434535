// The rules of follow-up tasks: create (idempotent by request_id), get,
// update by mask and etag, delete, list with filters and page tokens, the
// due list of a staff member, complete (idempotent), and the rules that make
// follow-ups from recorded interactions. Every change commits with its event
// (clientele.events.v1 FollowUp*) in one transaction.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/engagement/v1/follow_up.pb.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/projection_store.h"

namespace clientele::engagement {

class FollowUpManager {
 public:
  // Limits from the contract (follow_up.proto, engagement_service.proto).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kMaxTitleChars = 200;
  static constexpr int kMaxDescriptionChars = 4000;
  static constexpr int kMaxAssigneeChars = 128;
  static constexpr int kMaxTeamChars = 128;
  // Not in the contract: bounds what a client can make us store.
  static constexpr int kMaxSourceChars = 256;
  static constexpr absl::Duration kDefaultDueWithin = absl::Hours(24);
  static constexpr absl::Duration kMaxDueWithin = absl::Hours(24 * 90);

  // Uses deps.database, events, clock, ids, projection and follow_ups.
  explicit FollowUpManager(const EngagementDeps& deps) : deps_(deps) {}

  // Creates `follow_up` (name, state, origin, rule, etag and the times are
  // ignored) as OPEN, origin MANUAL, or NEXT_BEST_ACTION when source_action
  // is set, and publishes FollowUpCreated. A merged account is replaced by
  // its survivor. Bad fields answer INVALID_ARGUMENT naming
  // "follow_up.<field>"; an account unknown to engagement (or gone) answers
  // NOT_FOUND naming it. Idempotent by the call's request_id
  // (common/write_pipeline.h).
  absl::StatusOr<v1::FollowUp> Create(const Caller& caller,
                                      v1::FollowUp follow_up);

  // The follow-up named `name` ("followUps/{id}"). INVALID_ARGUMENT naming
  // "name" when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::FollowUp> Get(const Caller& caller,
                                   absl::string_view name);

  // Applies the fields of `follow_up` named by `mask` (title, description,
  // kind, assignee, due_time, priority, contact, state, team) to the stored one
  // (follow_up.name says which) and publishes FollowUpUpdated; a change that
  // changes nothing returns the follow-up as it is, without an event.
  // INVALID_ARGUMENT for a bad mask (output-only or unknown paths) or bad
  // values, including state DONE (CompleteFollowUp does that); ABORTED when
  // follow_up.etag is set and stale; NOT_FOUND when missing;
  // FAILED_PRECONDITION when cancelling a DONE follow-up (reopen it first).
  // Setting state OPEN reopens a CANCELLED or DONE one.
  absl::StatusOr<v1::FollowUp> Update(const Caller& caller,
                                      const v1::FollowUp& follow_up,
                                      const google::protobuf::FieldMask& mask);

  // Deletes the follow-up and publishes FollowUpDeleted. ABORTED when
  // `etag` is set and stale; NOT_FOUND when missing.
  absl::Status Delete(const Caller& caller, absl::string_view name,
                      absl::string_view etag);

  // One page of follow-ups matching every filter of `request`, earliest due
  // first. INVALID_ARGUMENT naming the bad filter or page_token; a page
  // size above 1000 is read as 1000.
  absl::StatusOr<v1::ListFollowUpsResponse> List(
      const Caller& caller, const v1::ListFollowUpsRequest& request);

  // One page of the OPEN follow-ups of request.assignee (everyone when
  // empty) due at or before as_of_time + due_within, earliest due first,
  // each flagged overdue (due before as_of_time) with how long; plus how
  // many are overdue in all. as_of_time defaults to the clock's now, kept
  // across pages by the page token. INVALID_ARGUMENT naming the bad field;
  // a page size above 1000 is read as 1000.
  absl::StatusOr<v1::ListDueFollowUpsResponse> ListDue(
      const Caller& caller, const v1::ListDueFollowUpsRequest& request);

  // Marks the follow-up DONE at the clock's now and publishes
  // FollowUpCompleted. Already DONE: returns it unchanged (whatever the
  // etag, since what the caller asked for holds). CANCELLED:
  // FAILED_PRECONDITION. ABORTED when `etag` is set and stale; NOT_FOUND
  // when missing. Idempotent by the call's request_id.
  absl::StatusOr<v1::FollowUp> Complete(const Caller& caller,
                                        absl::string_view name,
                                        absl::string_view etag);

  // The follow-up rules, run by the interaction manager inside `txn` (the
  // transaction recording `recorded`, whose name is set) for each recorded
  // interaction of `account` (the active account it was recorded on):
  //   PROPOSAL      -> CALL (EMAIL when the proposal went by email), rule
  //                    PROPOSAL_SENT, due occur_time + proposal delay;
  //   PURCHASE      -> SEND_INVOICE, rule PURCHASE_FULFILLED, due occur_time
  //                    + invoice delay, except an order's purchase (source
  //                    ORDER): an order is invoiced when it is fulfilled,
  //                    after the same delay (rule ORDER_FULFILLED, made by
  //                    OrderManager), so the invoice delay covers both;
  //   TICKET_SOLVED -> SEND_SURVEY, rule TICKET_SOLVED, due occur_time +
  //                    survey delay, for clients only.
  // A zero (or negative) delay turns its rule off. Each is origin RULE,
  // source the interaction's name, assigned to the interaction's staff user,
  // else the account manager, else the owner (unassigned when none of them
  // is known: the team's due list shows it). The follow-up's id is derived
  // from the interaction's, so applying the rules again for the same
  // interaction creates nothing new. Appends FollowUpCreated to `txn` for
  // each one made (the event writer wakes the relay after the commit).
  // Errors are the store's, and abort the caller's transaction.
  absl::Status ApplyRules(sql::Transaction& txn, const Caller& caller,
                          const ProjectedAccount& account,
                          const v1::Interaction& recorded,
                          const v1::FollowUpRules& rules);

  // Stores `follow_up`, made by a rule (an order fulfilled, a cadence due),
  // as "followUps/<id>" inside `txn`: sets name, state OPEN, origin RULE,
  // priority NORMAL when unset and the times; the caller sets account (may
  // be empty only for a segment cadence's follow-up), title, kind,
  // assignee, due_time, rule, source and team or cadence. Derive `id` from
  // what caused it, so that running the rule again creates nothing: false
  // when "followUps/<id>" exists (nothing done). Appends FollowUpCreated.
  absl::StatusOr<bool> InsertByRule(sql::Transaction& txn, const Caller& caller,
                                    const std::string& id,
                                    v1::FollowUp follow_up);

 private:
  EngagementDeps deps_;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_MANAGER_H_

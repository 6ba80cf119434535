// The rules of deals (deal.proto): create (idempotent by request_id), get,
// update by mask and etag, list with filters and page tokens, close as won
// or lost (idempotent), and the quarter's pipeline. Every change commits
// with its event (clientele.events.v1 DealCreated, DealUpdated, DealWon,
// DealLost) in one transaction.
//
// A deal's probability and weighted_amount are not stored: every read
// computes them from the tenant's current policy (EffectivePolicy,
// deal_stage_probabilities; WON 1, LOST 0), so they follow the policy when
// it changes. Events carry the probability at the time of the change.
// Deal.proposals lists the PROPOSAL interactions linked to the deal
// (deal_links.h), the latest kMaxDealProposals, oldest first.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_MANAGER_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/engagement/deal_store.h"
#include "services/engagement/engagement_deps.h"
#include "services/engagement/interaction_manager.h"

namespace clientele::engagement {

class DealManager {
 public:
  // Limits from the contract (engagement_service.proto).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kMinPipelineYear = 1970;
  static constexpr int kMaxPipelineYear = 9999;

  // Uses deps.database, events, clock, ids, projection and scores; `store`
  // is not owned. `on_closed` runs after each commit that closed a deal,
  // with its account (the backend invalidates the account's cached score
  // and wakes the rescorer).
  DealManager(const EngagementDeps& deps, DealStore* store,
              AccountsChanged on_closed)
      : deps_(deps), store_(store), on_closed_(std::move(on_closed)) {}

  // Creates `deal` (name, the output-only fields and the times are ignored)
  // in its stage (unset: QUALIFYING) and publishes DealCreated. A merged
  // account is replaced by its survivor. Bad fields answer INVALID_ARGUMENT
  // naming "deal.<field>" ("deal.title", "deal.amount.currency_code",
  // "deal.stage" for WON or LOST, ...); an account unknown to engagement or
  // gone answers NOT_FOUND naming it. Idempotent by the call's request_id.
  absl::StatusOr<v1::Deal> Create(const Caller& caller, v1::Deal deal);

  // The deal named `name` ("deals/{id}"). INVALID_ARGUMENT naming "name"
  // when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::Deal> Get(const Caller& caller, absl::string_view name);

  // Applies the fields of `deal` named by `mask` (title, contact, amount,
  // kind, stage, expected_close_date, owner; "*" for all) to the stored one
  // (deal.name says which) and publishes DealUpdated with the paths that
  // changed; a change that changes nothing returns the deal as it is,
  // without an event. INVALID_ARGUMENT naming "update_mask" for an empty
  // mask, output-only, unknown paths or "account" (merge accounts in
  // contacts instead), naming "deal.<field>" for bad values, including a
  // stage that is not open (WON and LOST: CloseDeal). NOT_FOUND when
  // missing; ABORTED when deal.etag is set and stale; FAILED_PRECONDITION
  // when the deal is closed.
  absl::StatusOr<v1::Deal> Update(const Caller& caller, const v1::Deal& deal,
                                  const google::protobuf::FieldMask& mask);

  // One page of deals matching every filter of `request`, by expected close
  // date then name. A merged account's filter lists its survivor's deals.
  // INVALID_ARGUMENT naming the bad filter ("account", "stages", "owner",
  // "expected_close_date_range.start_date" / ".end_date", or the range when
  // it ends before it starts) or "page_token" (also when the filters
  // changed); a page size above 1000 is read as 1000.
  absl::StatusOr<v1::ListDealsResponse> List(
      const Caller& caller, const v1::ListDealsRequest& request);

  // Closes the open deal request.name as request.outcome (WON, or LOST with
  // a loss_reason) on request.close_date (unset: today, UTC), stamps
  // close_time, publishes DealWon or DealLost, bumps the account's
  // projection revision and marks its score for rescoring (cause
  // DEAL_CLOSED), so the next score read reflects the closed deal.
  // Already closed the same way: returns it unchanged (whatever the etag).
  // Closed the other way: FAILED_PRECONDITION. INVALID_ARGUMENT naming
  // "outcome" (not WON or LOST), "loss_reason" (missing with LOST, set with
  // WON), "close_note" (over 1,000 characters), "close_date" (not a real
  // date, or after today UTC); ABORTED when request.etag is set and stale;
  // NOT_FOUND when missing. Idempotent by the call's request_id.
  absl::StatusOr<v1::Deal> Close(const Caller& caller,
                                 const v1::CloseDealRequest& request);

  // The pipeline of request.year and request.quarter (pipeline.h says which
  // deal counts where, the currency and the rounding), for one owner and
  // kind when set. INVALID_ARGUMENT naming "year" (not 1970-9999),
  // "quarter" (not 1-4), "owner", "kind" or "currency_code" (not a known
  // ISO 4217 code).
  absl::StatusOr<v1::Pipeline> GetPipeline(
      const Caller& caller, const v1::GetPipelineRequest& request);

 private:
  EngagementDeps deps_;
  DealStore* const store_;
  const AccountsChanged on_closed_;
};

// Fills the output-only fields of a stored `deal` computed at read: its
// probability and weighted_amount under `probabilities`, and its proposals.
absl::Status FillDealOutputs(sql::Transaction& txn, DealStore& store,
                             absl::string_view tenant,
                             const v1::DealStageProbabilities& probabilities,
                             v1::Deal* deal);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_MANAGER_H_

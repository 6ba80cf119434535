#include "services/engagement/keep_in_touch_state.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

// Cadences read per query when gathering those that cover an account.
constexpr int kCadencePage = 500;

// The account's latest interaction of `kind` at or before `as_of`.
absl::StatusOr<std::optional<v1::Interaction>> Latest(
    sql::Transaction& txn, const EngagementDeps& deps, absl::string_view tenant,
    absl::string_view account_id, v1::InteractionKind kind, absl::Time as_of) {
  InteractionFilter filter;
  filter.kinds = {kind};
  filter.end = as_of + absl::Microseconds(1);
  ASSIGN_OR_RETURN(
      std::vector<v1::Interaction> found,
      deps.interactions->List(txn, tenant, account_id, filter, std::nullopt,
                              /*limit=*/1));
  if (found.empty()) {
    return std::nullopt;
  }
  return std::move(found[0]);
}

// Every cadence that may cover the account (its own, its segment's, all
// accounts'), oldest first.
absl::StatusOr<std::vector<v1::Cadence>> CoveringCandidates(
    sql::Transaction& txn, CadenceStore& cadences, absl::string_view tenant,
    const ProjectedAccount& account) {
  CadenceFilter filter;
  filter.covering_account_id = account.id;
  filter.covering_segment = account.snapshot.segment();
  std::vector<v1::Cadence> all;
  std::optional<CadenceCursor> after;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<v1::Cadence> page,
                     cadences.List(txn, tenant, filter, after, kCadencePage));
    for (v1::Cadence& cadence : page) {
      all.push_back(std::move(cadence));
    }
    if (static_cast<int>(page.size()) < kCadencePage) {
      return all;
    }
    after = CadenceCursor{TimestampMicros(all.back().create_time()),
                          IdOf(all.back().name())};
  }
}

}  // namespace

absl::StatusOr<type::v1::RelationshipMode> LoadCadenceMode(
    sql::Transaction& txn, const EngagementDeps& deps, absl::string_view tenant,
    const ProjectedAccount& account) {
  if (account.snapshot.declared_mode() !=
      type::v1::RELATIONSHIP_MODE_UNSPECIFIED) {
    return account.snapshot.declared_mode();
  }
  ASSIGN_OR_RETURN(std::optional<v1::RelationshipScore> last,
                   deps.scores->FindLastScore(txn, tenant, account.id));
  return AccountMode(account.snapshot,
                     last.has_value()
                         ? last->mode_assessment().mode()
                         : type::v1::RELATIONSHIP_MODE_UNSPECIFIED);
}

absl::StatusOr<CadenceHistory> LoadCadenceHistory(
    sql::Transaction& txn, const EngagementDeps& deps, CadenceStore& cadences,
    absl::string_view tenant, const ProjectedAccount& account,
    type::v1::RelationshipMode mode, const v1::KeepInTouch& limits,
    absl::Time as_of) {
  CadenceHistory history;
  history.mode = mode;
  const absl::Time window_start =
      as_of - ToDuration(limits.survey_fatigue_window());
  ASSIGN_OR_RETURN(SurveyTouches touches,
                   cadences.CountSurveyTouches(txn, tenant, account.id,
                                               window_start, as_of));
  history.last_survey_touch = touches.last;
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> response,
                   Latest(txn, deps, tenant, account.id,
                          v1::INTERACTION_KIND_SURVEY_RESPONSE, as_of));
  if (response.has_value()) {
    history.last_survey_response = ToTime(response->occur_time());
  }
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> purchase,
                   Latest(txn, deps, tenant, account.id,
                          v1::INTERACTION_KIND_PURCHASE, as_of));
  if (purchase.has_value()) {
    // An order's PURCHASE is recorded again (a new id) when the order
    // changes: the order is the purchase, once.
    history.last_purchase_id =
        purchase->source() == v1::INTERACTION_SOURCE_ORDER &&
                !purchase->source_ref().empty()
            ? absl::StrCat("order-", IdOf(purchase->source_ref()))
            : IdOf(purchase->name());
    history.last_purchase_time = ToTime(purchase->occur_time());
    ASSIGN_OR_RETURN(
        history.last_purchase_surveyed,
        cadences.HasTouch(txn, tenant, /*cadence_id=*/"", account.id,
                          PurchaseOccurrence(history.last_purchase_id)));
  }
  // Each solved ticket sent a CSAT survey. Counting stops at the limit:
  // beyond it the answer is the same.
  InteractionFilter solved;
  solved.kinds = {v1::INTERACTION_KIND_TICKET_SOLVED};
  solved.start = window_start;
  solved.end = as_of + absl::Microseconds(1);
  const int limit = std::max(1, limits.max_surveys_per_window());
  ASSIGN_OR_RETURN(std::vector<v1::Interaction> solves,
                   deps.interactions->List(txn, tenant, account.id, solved,
                                           std::nullopt, limit));
  history.surveys_in_window =
      touches.in_window + static_cast<int64_t>(solves.size());
  return history;
}

AccountStateLoader KeepInTouchLoader(const EngagementDeps& deps,
                                     CadenceStore* cadences) {
  return [deps, cadences](sql::Transaction& txn, absl::string_view tenant,
                          const ProjectedAccount& account, absl::Time as_of,
                          AccountState* state) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<v1::Cadence> candidates,
                     CoveringCandidates(txn, *cadences, tenant, account));
    if (candidates.empty()) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(type::v1::RelationshipMode mode,
                     LoadCadenceMode(txn, deps, tenant, account));
    KeepInTouchState& keep = state->keep_in_touch;
    std::optional<DueTouch> greeting;
    std::optional<absl::Time> survey_due;
    std::optional<CadenceHistory> history;
    std::optional<v1::KeepInTouch> limits;
    for (const v1::Cadence& cadence : candidates) {
      if (cadence.paused() || ToTime(cadence.create_time()) > as_of ||
          !CadenceCovers(cadence, account.id, account.snapshot, mode)) {
        continue;
      }
      switch (cadence.kind()) {
        case v1::CADENCE_KIND_NEWSLETTER:
          keep.newsletter = true;
          break;
        case v1::CADENCE_KIND_GREETING: {
          keep.greeting = true;
          std::optional<DueTouch> next =
              NextGreeting(cadence, account.snapshot, as_of, kGreetingHorizon);
          if (next.has_value() &&
              (!greeting.has_value() || next->due < greeting->due)) {
            greeting = std::move(next);
          }
          break;
        }
        case v1::CADENCE_KIND_RELATIONSHIP_SURVEY: {
          keep.survey = true;
          if (!history.has_value()) {
            ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                             EffectivePolicy(txn, *deps.scores, tenant));
            limits = policy.keep_in_touch();
            ASSIGN_OR_RETURN(history,
                             LoadCadenceHistory(txn, deps, *cadences, tenant,
                                                account, mode, *limits, as_of));
          }
          std::optional<absl::Time> due = NextSurveyDue(cadence, *history);
          if (due.has_value() &&
              (!survey_due.has_value() || *due < *survey_due)) {
            survey_due = due;
          }
          break;
        }
        default:
          break;
      }
    }
    if (greeting.has_value()) {
      keep.next_greeting_due = greeting->due;
      keep.next_greeting_occasion = OccasionWords(greeting->occasion);
    }
    if (survey_due.has_value()) {
      keep.survey_due = *survey_due;
    }
    if (history.has_value()) {
      keep.survey_fatigued = SurveyFatigued(*history, *limits);
    }
    return absl::OkStatus();
  };
}

}  // namespace clientele::engagement

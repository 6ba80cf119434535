#include "services/engagement/score_manager.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clientele/events/v1/event.pb.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/engagement/interaction_rules.h"
#include "services/engagement/policy_manager.h"
#include "services/engagement/scoring/lead_score.h"
#include "services/engagement/scoring/scoring.h"

namespace clientele::engagement {
namespace {

constexpr char kScoreSuffix[] = "/relationshipScore";

// "accounts/{a}/relationshipScore" -> "a".
absl::StatusOr<std::string> ParseScoreName(absl::string_view name,
                                           absl::string_view field) {
  absl::string_view account = name;
  if (!absl::ConsumeSuffix(&account, kScoreSuffix)) {
    return InvalidFieldError(
        field, "must be \"accounts/{account}/relationshipScore\"");
  }
  return ParseResourceName(account, "accounts", field);
}

// Everything the model may read for a score as of `as_of` (and its trend).
absl::Time ActivitySince(const v1::ScoringPolicy& policy, absl::Time as_of) {
  // The relationship model's reach (scoring.h), and the lead score's.
  const absl::Time lead = as_of - ToDuration(policy.windows().trend_window()) -
                          LeadEngagementHorizon(policy.lead_scoring()) -
                          absl::Hours(24 * 7);
  return std::min(EarliestActivityRead(policy, as_of), lead);
}

void ApplyView(v1::RelationshipScoreView view, v1::RelationshipScore* score) {
  if (view != v1::RELATIONSHIP_SCORE_VIEW_BASIC) return;
  score->mutable_mode_assessment()->clear_deciding_signals();
  score->clear_components();
  score->clear_silence();
  score->clear_top_reasons();
  score->clear_next_best_actions();
  if (score->has_lead_score()) {
    score->mutable_lead_score()->clear_components();
  }
}

bool Moved(const v1::RelationshipScore* previous,
           const v1::RelationshipScore& current) {
  return previous == nullptr || previous->score() != current.score() ||
         previous->band() != current.band() ||
         previous->mode_assessment().mode() != current.mode_assessment().mode();
}

}  // namespace

absl::StatusOr<v1::RelationshipScore> ScoreManager::Compute(
    sql::Transaction& txn, absl::string_view tenant,
    const ProjectedAccount& account, absl::Time as_of) {
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps_.scores, tenant));
  AccountState state;
  state.account = absl::StrCat("accounts/", account.id);
  state.profile = account.snapshot;
  ASSIGN_OR_RETURN(state.activity,
                   deps_.interactions->LoadActivity(
                       txn, tenant, account.id, ActivitySince(policy, as_of)));
  state.activity.first_interaction_time = account.first_interaction_time;
  state.activity.total_count = account.interaction_count;
  state.activity.currency = account.currency;
  for (const AccountStateLoader& loader : loaders_) {
    RETURN_IF_ERROR(loader(txn, tenant, account, as_of, &state));
  }
  v1::RelationshipScore score = ComputeRelationshipScore(state, policy, as_of);
  SetTimestamp(deps_.clock->Now(), score.mutable_compute_time());
  return score;
}

absl::StatusOr<ScoreManager::Computed> ScoreManager::ComputeNow(
    absl::string_view tenant, absl::string_view account_id) {
  Computed computed;
  const absl::Time now = deps_.clock->Now();
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            ProjectedAccount account,
            deps_.projection->ResolveOrNotFound(txn, tenant, account_id));
        ASSIGN_OR_RETURN(int64_t policy_revision,
                         deps_.scores->PolicyRevision(txn, tenant));
        ASSIGN_OR_RETURN(v1::RelationshipScore score,
                         Compute(txn, tenant, account, now));
        computed.account_id = account.id;
        computed.version = {account.revision, policy_revision};
        computed.score =
            std::make_shared<const v1::RelationshipScore>(std::move(score));
        return absl::OkStatus();
      }));
  return computed;
}

absl::StatusOr<ScoreManager::Computed> ScoreManager::ComputeOnce(
    const std::string& tenant, const std::string& account_id,
    const ScoreVersion& version, const CacheTicket& ticket) {
  const std::string key =
      absl::StrCat(tenant, "/", account_id, "/", version.revision, "/",
                   version.policy_revision);
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    absl::MutexLock lock(&flights_mu_);
    auto [it, inserted] = flights_.try_emplace(key);
    if (inserted) it->second = std::make_shared<Flight>();
    flight = it->second;
    leader = inserted;
  }
  if (!leader) {
    flight->done.WaitForNotification();
    return flight->result;
  }
  flight->result = ComputeNow(tenant, account_id);
  if (flight->result.ok()) {
    cache_->Put(tenant, flight->result->account_id, flight->result->version,
                flight->result->score, ticket);
  }
  {
    absl::MutexLock lock(&flights_mu_);
    flights_.erase(key);
  }
  flight->done.Notify();
  return flight->result;
}

absl::StatusOr<v1::RelationshipScore> ScoreManager::Get(
    const Caller& caller, absl::string_view name,
    const google::protobuf::Timestamp* as_of, v1::RelationshipScoreView view,
    absl::string_view field) {
  ASSIGN_OR_RETURN(std::string account_id, ParseScoreName(name, field));
  if (!v1::RelationshipScoreView_IsValid(view)) {
    return InvalidFieldError("view", "not a RelationshipScoreView value");
  }
  const absl::Time now = deps_.clock->Now();
  if (as_of != nullptr) {
    if (!IsValidTimestamp(*as_of)) {
      return InvalidFieldError("as_of_time", "not a valid timestamp");
    }
    if (ToTime(*as_of) > now) {
      return InvalidFieldError("as_of_time", "in the future");
    }
    v1::RelationshipScore score;
    RETURN_IF_ERROR(
        deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
          ASSIGN_OR_RETURN(ProjectedAccount account,
                           deps_.projection->ResolveOrNotFound(
                               txn, caller.tenant, account_id));
          ASSIGN_OR_RETURN(
              score, Compute(txn, caller.tenant, account, ToTime(*as_of)));
          return absl::OkStatus();
        }));
    ApplyView(view, &score);
    return score;
  }

  // The warm path: memory only (see GetFromMemory).
  if (std::optional<v1::RelationshipScore> score =
          Trusted(caller.tenant, account_id, view, now)) {
    return *std::move(score);
  }
  // Otherwise one read for the versions, then the cache.
  const CacheTicket ticket = cache_->Ticket();
  std::optional<ProjectionStore::RevisionRef> ref;
  int64_t policy_revision = 0;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(ref, deps_.projection->ResolveRevision(
                                  txn, caller.tenant, account_id));
        if (!ref.has_value()) return absl::OkStatus();
        ASSIGN_OR_RETURN(policy_revision,
                         deps_.scores->PolicyRevision(txn, caller.tenant));
        return absl::OkStatus();
      }));
  if (!ref.has_value()) {
    return NotFoundResourceError("account",
                                 absl::StrCat("accounts/", account_id));
  }
  const ScoreVersion version{ref->revision, policy_revision};
  std::shared_ptr<const v1::RelationshipScore> cached =
      cache_->Get(caller.tenant, ref->id, version, now, ticket);
  if (cached == nullptr) {
    ASSIGN_OR_RETURN(Computed computed,
                     ComputeOnce(caller.tenant, ref->id, version, ticket));
    cached = std::move(computed.score);
  }
  v1::RelationshipScore score = *cached;
  ApplyView(view, &score);
  return score;
}

std::optional<v1::RelationshipScore> ScoreManager::GetFromMemory(
    const Caller& caller, absl::string_view name,
    const google::protobuf::Timestamp* as_of, v1::RelationshipScoreView view) {
  if (as_of != nullptr || !v1::RelationshipScoreView_IsValid(view)) {
    return std::nullopt;
  }
  absl::StatusOr<std::string> account_id = ParseScoreName(name, "name");
  if (!account_id.ok()) return std::nullopt;  // Get names the problem
  return Trusted(caller.tenant, *account_id, view, deps_.clock->Now());
}

std::optional<v1::RelationshipScore> ScoreManager::Trusted(
    absl::string_view tenant, absl::string_view account_id,
    v1::RelationshipScoreView view, absl::Time now) {
  std::shared_ptr<const v1::RelationshipScore> trusted =
      cache_->GetTrusted(tenant, account_id, now);
  if (trusted == nullptr) return std::nullopt;
  v1::RelationshipScore score = *trusted;
  ApplyView(view, &score);
  return score;
}

absl::StatusOr<std::vector<v1::RelationshipScore>> ScoreManager::BatchGet(
    const Caller& caller,
    const v1::BatchGetRelationshipScoresRequest& request) {
  if (request.names().empty()) {
    return InvalidFieldError("names", "required: 1-500 names");
  }
  if (request.names_size() > kMaxBatchScores) {
    return InvalidFieldError(
        "names", absl::StrCat("at most 500 names, got ", request.names_size()));
  }
  FieldViolations violations;
  for (int i = 0; i < request.names_size(); ++i) {
    const std::string field = absl::StrCat("names[", i, "]");
    auto parsed = ParseScoreName(request.names(i), field);
    if (!parsed.ok()) violations.Add(field, parsed.status().message());
  }
  RETURN_IF_ERROR(violations.ToStatus());
  std::vector<v1::RelationshipScore> scores;
  scores.reserve(request.names_size());
  for (int i = 0; i < request.names_size(); ++i) {
    ASSIGN_OR_RETURN(
        v1::RelationshipScore score,
        Get(caller, request.names(i),
            request.has_as_of_time() ? &request.as_of_time() : nullptr,
            request.view(), absl::StrCat("names[", i, "]")));
    scores.push_back(std::move(score));
  }
  return scores;
}

absl::StatusOr<v1::ListScoreChangesResponse> ScoreManager::ListChanges(
    const Caller& caller, const v1::ListScoreChangesRequest& request) {
  ASSIGN_OR_RETURN(std::string account_id,
                   ParseScoreName(request.parent(), "parent"));
  ASSIGN_OR_RETURN(int page_size,
                   ResolvePageSize(request.page_size(), 20, 1000));
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();
  if (request.has_change_time_range()) {
    const auto& range = request.change_time_range();
    if (range.has_start_time()) {
      if (!IsValidTimestamp(range.start_time())) {
        return InvalidFieldError("change_time_range.start_time",
                                 "not a valid timestamp");
      }
      start = ToTime(range.start_time());
    }
    if (range.has_end_time()) {
      if (!IsValidTimestamp(range.end_time())) {
        return InvalidFieldError("change_time_range.end_time",
                                 "not a valid timestamp");
      }
      end = ToTime(range.end_time());
    }
  }
  const std::string filter =
      absl::StrCat(caller.tenant, "|ListScoreChanges|", account_id, "|",
                   absl::FormatTime(start), "|", absl::FormatTime(end));
  std::optional<std::pair<int64_t, std::string>> before;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> key,
                     DecodePageToken(request.page_token(), filter));
    int64_t change_us = 0;
    if (key.size() != 2 || !absl::SimpleAtoi(key[0], &change_us)) {
      return InvalidFieldError("page_token", "not a token of this list");
    }
    before = std::make_pair(change_us, key[1]);
  }
  v1::ListScoreChangesResponse response;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(ProjectedAccount account,
                         deps_.projection->ResolveOrNotFound(txn, caller.tenant,
                                                             account_id));
        ASSIGN_OR_RETURN(
            std::vector<v1::ScoreChange> changes,
            deps_.scores->ListChanges(txn, caller.tenant, account.id, start,
                                      end, before, page_size + 1));
        const bool more = static_cast<int>(changes.size()) > page_size;
        if (more) changes.pop_back();
        for (v1::ScoreChange& change : changes) {
          *response.add_score_changes() = std::move(change);
        }
        if (more) {
          const v1::ScoreChange& last =
              response.score_changes(response.score_changes_size() - 1);
          response.set_next_page_token(EncodePageToken(
              filter, {absl::StrCat(ToMicros(ToTime(last.change_time()))),
                       IdOf(last.name())}));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::ListNextBestActionsResponse>
ScoreManager::ListNextBestActions(
    const Caller& caller, const v1::ListNextBestActionsRequest& request) {
  ASSIGN_OR_RETURN(int page_size,
                   ResolvePageSize(request.page_size(), 50, 1000));
  std::vector<int> kinds;
  for (int kind : request.kinds()) {
    if (kind == v1::NEXT_BEST_ACTION_KIND_UNSPECIFIED ||
        !v1::NextBestActionKind_IsValid(kind)) {
      return InvalidFieldError("kinds", "unspecified or unknown kind");
    }
    kinds.push_back(kind);
  }
  std::sort(kinds.begin(), kinds.end());
  if (!v1::Playbook_IsValid(request.playbook())) {
    return InvalidFieldError("playbook", "not a Playbook value");
  }
  auto wanted = [&](const v1::NextBestAction& action) {
    return (kinds.empty() ||
            std::binary_search(kinds.begin(), kinds.end(), action.kind())) &&
           (request.playbook() == v1::PLAYBOOK_UNSPECIFIED ||
            action.playbook() == request.playbook()) &&
           (request.suggested_assignee().empty() ||
            action.suggested_assignee() == request.suggested_assignee());
  };
  v1::ListNextBestActionsResponse response;
  if (!request.account().empty()) {
    // One account: its current score's actions, in priority order.
    ASSIGN_OR_RETURN(
        std::string account_id,
        ParseResourceName(request.account(), "accounts", "account"));
    if (!request.page_token().empty()) {
      return InvalidFieldError("page_token",
                               "an account's actions fit in one page");
    }
    ASSIGN_OR_RETURN(
        v1::RelationshipScore score,
        Get(caller, absl::StrCat("accounts/", account_id, kScoreSuffix),
            nullptr, v1::RELATIONSHIP_SCORE_VIEW_FULL, "account"));
    for (const v1::NextBestAction& action : score.next_best_actions()) {
      if (wanted(action) && response.next_best_actions_size() < page_size) {
        *response.add_next_best_actions() = action;
      }
    }
    return response;
  }
  // The portfolio: the actions of each account's last recorded score, by
  // account id; a page ends on an account boundary.
  const std::string filter = absl::StrCat(
      caller.tenant, "|ListNextBestActions|", absl::StrJoin(kinds, ","), "|",
      request.playbook(), "|", request.suggested_assignee());
  std::string after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> key,
                     DecodePageToken(request.page_token(), filter));
    if (key.size() != 1) {
      return InvalidFieldError("page_token", "not a token of this list");
    }
    after = key[0];
  }
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        constexpr int kScan = 200;
        for (;;) {
          ASSIGN_OR_RETURN(
              std::vector<v1::RelationshipScore> scores,
              deps_.scores->ListLastScores(txn, caller.tenant, after, kScan));
          for (const v1::RelationshipScore& score : scores) {
            std::vector<const v1::NextBestAction*> matching;
            for (const v1::NextBestAction& action : score.next_best_actions()) {
              if (wanted(action)) matching.push_back(&action);
            }
            if (!matching.empty() &&
                response.next_best_actions_size() +
                        static_cast<int>(matching.size()) >
                    page_size &&
                response.next_best_actions_size() > 0) {
              response.set_next_page_token(EncodePageToken(filter, {after}));
              return absl::OkStatus();
            }
            for (const v1::NextBestAction* action : matching) {
              if (response.next_best_actions_size() < page_size) {
                *response.add_next_best_actions() = *action;
              }
            }
            after = IdOf(score.account());
          }
          if (static_cast<int>(scores.size()) < kScan) return absl::OkStatus();
        }
      }));
  return response;
}

absl::StatusOr<int> ScoreManager::RescoreDirty(int limit) {
  std::vector<DirtyAccount> dirty;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn) {
    ASSIGN_OR_RETURN(dirty, deps_.scores->TakeDirty(txn, limit));
    return absl::OkStatus();
  }));
  for (const DirtyAccount& account : dirty) {
    absl::StatusOr<Computed> computed =
        ComputeNow(account.tenant, account.account_id);
    if (!computed.ok() && !absl::IsNotFound(computed.status())) {
      return computed.status();
    }
    const absl::Time now = deps_.clock->Now();
    RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                              -> absl::Status {
      if (computed.ok()) {
        // Cached once the score it was computed from is committed.
        txn.AfterCommit(
            [cache = cache_, tenant = account.tenant, computed = &*computed] {
              cache->Put(tenant, computed->account_id, computed->version,
                         computed->score);
            });
        const v1::RelationshipScore& current = *computed->score;
        ASSIGN_OR_RETURN(std::optional<v1::RelationshipScore> previous,
                         deps_.scores->FindLastScore(txn, account.tenant,
                                                     computed->account_id));
        const v1::RelationshipScore* before =
            previous.has_value() ? &*previous : nullptr;
        if (Moved(before, current)) {
          v1::ScoreChange change = DescribeScoreChange(before, current);
          const std::string change_id = deps_.ids->NewId();
          change.set_name(absl::StrCat(current.name(), "/changes/", change_id));
          SetTimestamp(now, change.mutable_change_time());
          for (const v1::ScoreChangeCause& cause : account.causes) {
            *change.add_causes() = cause;
          }
          RETURN_IF_ERROR(deps_.scores->InsertChange(
              txn, account.tenant, computed->account_id, change_id, change));
          events::v1::Event event;
          auto* changed = event.mutable_relationship_score_changed();
          changed->set_account(current.account());
          if (before != nullptr) changed->set_previous_score(before->score());
          changed->set_new_score(current.score());
          changed->set_previous_band(change.previous_band());
          changed->set_new_band(current.band());
          changed->set_previous_mode(change.previous_mode());
          changed->set_new_mode(current.mode_assessment().mode());
          changed->set_mode_confidence(current.mode_assessment().confidence());
          changed->set_trend_delta(current.trend().delta());
          for (const v1::ScoreReason& reason : current.top_reasons()) {
            if (reason.effect() == v1::REASON_EFFECT_NEGATIVE) {
              changed->add_risk_reasons(reason.summary());
            }
          }
          changed->set_score_change(change.name());
          changed->set_model_version(current.model_version());
          RETURN_IF_ERROR(deps_.events->Append(
              txn, account.tenant, current.account(), std::move(event)));
        }
        RETURN_IF_ERROR(deps_.scores->PutLastScore(
            txn, account.tenant, computed->account_id,
            computed->version.revision, current));
      }
      return deps_.scores->ClearDirty(txn, account.tenant, account.account_id,
                                      account.mark);
    }));
  }
  return static_cast<int>(dirty.size());
}

}  // namespace clientele::engagement

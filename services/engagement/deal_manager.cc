#include "services/engagement/deal_manager.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/money.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/manager_steps.h"
#include "services/engagement/pipeline.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

constexpr absl::string_view kUpdatablePaths[] = {
    "title", "contact", "amount", "kind", "stage", "expected_close_date",
    "owner"};
constexpr absl::string_view kOutputOnlyPaths[] = {
    "name",        "probability", "weighted_amount",
    "loss_reason", "close_note",  "close_date",
    "proposals",   "close_time",  "create_time",
    "update_time", "etag"};

// Deal `id`; NOT_FOUND naming it when there is none.
absl::StatusOr<v1::Deal> LoadDeal(sql::Transaction& txn, DealStore& store,
                                  absl::string_view tenant,
                                  absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Deal> deal, store.Find(txn, tenant, id));
  if (!deal.has_value()) {
    return NotFoundResourceError(kDealType, DealName(id));
  }
  return *std::move(deal);
}

absl::StatusOr<v1::DealStageProbabilities> Probabilities(
    sql::Transaction& txn, const EngagementDeps& deps,
    absl::string_view tenant) {
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps.scores, tenant));
  return policy.deal_stage_probabilities();
}

// The top-level paths among `paths` whose values differ between `before`
// and `after`.
std::vector<std::string> ChangedPaths(const v1::Deal& before,
                                      const v1::Deal& after,
                                      const std::vector<std::string>& paths) {
  std::vector<std::string> changed;
  for (const std::string& path : paths) {
    v1::Deal a;
    v1::Deal b;
    const std::string one[] = {path};
    CopyFieldPaths(before, one, &a);
    CopyFieldPaths(after, one, &b);
    if (!google::protobuf::util::MessageDifferencer::Equals(a, b)) {
      changed.push_back(path);
    }
  }
  return changed;
}

v1::ScoreChangeCause ClosedCause(const v1::Deal& deal) {
  v1::ScoreChangeCause cause;
  cause.set_kind(v1::SCORE_CHANGE_CAUSE_KIND_DEAL_CLOSED);
  cause.set_resource(deal.name());
  SetTimestamp(StartOfDay(DayOf(deal.close_date())),
               cause.mutable_occur_time());
  cause.set_description(absl::StrCat(
      v1::DealKind_Name(deal.kind()).substr(sizeof("DEAL_KIND_") - 1), " deal ",
      deal.stage() == v1::DEAL_STAGE_WON ? "won" : "lost", ", ",
      deal.amount().amount_minor_units(), " ", deal.amount().currency_code(),
      " minor units"));
  return cause;
}

}  // namespace

absl::Status FillDealOutputs(sql::Transaction& txn, DealStore& store,
                             absl::string_view tenant,
                             const v1::DealStageProbabilities& probabilities,
                             v1::Deal* deal) {
  SetProbability(probabilities, deal);
  ASSIGN_OR_RETURN(
      std::vector<std::string> proposals,
      store.ListProposals(txn, tenant, IdOf(deal->name()), kMaxDealProposals));
  deal->clear_proposals();
  for (const std::string& id : proposals) {
    deal->add_proposals(absl::StrCat("interactions/", id));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Deal> DealManager::Create(const Caller& caller,
                                             v1::Deal deal) {
  FieldViolations violations;
  auto account_id = ParseResourceName(deal.account(), "accounts", "account");
  if (!account_id.ok()) {
    violations.Add("deal.account", deal.account().empty()
                                       ? "required: \"accounts/{account}\""
                                       : "must be \"accounts/{account}\"");
  }
  CheckDeal(&deal, "deal.", &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = deps_.clock->Now();
  const std::string id = deps_.ids->NewId();
  deal.set_name(DealName(id));
  deal.clear_probability();
  deal.clear_weighted_amount();
  deal.clear_loss_reason();
  deal.clear_close_note();
  deal.clear_close_date();
  deal.clear_proposals();
  deal.clear_close_time();
  Stamp(deps_, now, /*created=*/true, &deal);

  v1::Deal result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(ProjectedAccount account,
                         deps_.projection->ResolveOrNotFound(txn, caller.tenant,
                                                             *account_id));
        v1::Deal stored = deal;
        stored.set_account(absl::StrCat("accounts/", account.id));
        RETURN_IF_ERROR(store_->Insert(txn, caller.tenant, id, stored));
        ASSIGN_OR_RETURN(v1::DealStageProbabilities probabilities,
                         Probabilities(txn, deps_, caller.tenant));
        RETURN_IF_ERROR(FillDealOutputs(txn, *store_, caller.tenant,
                                        probabilities, &stored));
        events::v1::Event event;
        *event.mutable_deal_created()->mutable_deal() = DealSnapshotOf(stored);
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, stored.name(), event));
        result = std::move(stored);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Deal> DealManager::Get(const Caller& caller,
                                          absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kDeals, "name"));
  v1::Deal deal;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(deal, LoadDeal(txn, *store_, caller.tenant, id));
        ASSIGN_OR_RETURN(v1::DealStageProbabilities probabilities,
                         Probabilities(txn, deps_, caller.tenant));
        return FillDealOutputs(txn, *store_, caller.tenant, probabilities,
                               &deal);
      }));
  return deal;
}

absl::StatusOr<v1::Deal> DealManager::Update(
    const Caller& caller, const v1::Deal& deal,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(deal.name(), kDeals, "deal.name"));
  for (const std::string& path : mask.paths()) {
    if (path == "account" || absl::StartsWith(path, "account.")) {
      return InvalidFieldError(
          "update_mask",
          "\"account\" cannot change: merge the accounts in contacts");
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  const absl::Time now = deps_.clock->Now();
  v1::Deal result;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::Deal current,
                     LoadDeal(txn, *store_, caller.tenant, id));
    RETURN_IF_ERROR(CheckEtag(deal.etag(), current.etag(), "deal.etag"));
    if (!IsOpenStage(current.stage())) {
      return absl::FailedPreconditionError(absl::StrCat(
          current.name(), " is closed (", v1::DealStage_Name(current.stage()),
          "): a closed deal does not change"));
    }
    v1::Deal updated = current;
    CopyFieldPaths(deal, paths, &updated);
    FieldViolations violations;
    if (updated.stage() == v1::DEAL_STAGE_UNSPECIFIED) {
      violations.Add("deal.stage",
                     "required: QUALIFYING, PROPOSAL or NEGOTIATION");
    }
    CheckDeal(&updated, "deal.", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    ASSIGN_OR_RETURN(v1::DealStageProbabilities probabilities,
                     Probabilities(txn, deps_, caller.tenant));
    const std::vector<std::string> changed =
        ChangedPaths(current, updated, paths);
    if (!changed.empty()) {
      Stamp(deps_, now, /*created=*/false, &updated);
      RETURN_IF_ERROR(store_->Update(txn, caller.tenant, id, updated));
    }
    RETURN_IF_ERROR(
        FillDealOutputs(txn, *store_, caller.tenant, probabilities, &updated));
    if (!changed.empty()) {
      events::v1::Event event;
      auto* payload = event.mutable_deal_updated();
      *payload->mutable_deal() = DealSnapshotOf(updated);
      for (const std::string& path : changed) {
        payload->add_changed_fields(path);
      }
      RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, updated.name(), event));
    }
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::ListDealsResponse> DealManager::List(
    const Caller& caller, const v1::ListDealsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  DealFilter filter;
  filter.account_id = AccountFilterId(request.account(), &violations);
  for (int stage : request.stages()) {
    if (stage == v1::DEAL_STAGE_UNSPECIFIED || !v1::DealStage_IsValid(stage)) {
      violations.Add("stages", absl::StrCat("unknown or unset stage ", stage));
      break;
    }
    filter.stages.push_back(stage);
  }
  std::sort(filter.stages.begin(), filter.stages.end());
  filter.stages.erase(std::unique(filter.stages.begin(), filter.stages.end()),
                      filter.stages.end());
  filter.owner = request.owner();
  CheckText(&filter.owner, "owner", kMaxDealOwnerChars, /*required=*/false,
            /*multiline=*/false, &violations);
  CheckDateRange(request.expected_close_date_range(),
                 "expected_close_date_range", &filter.start_day,
                 &filter.end_day, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string filter_key = PageTokenFilter(
      "ListDeals",
      {caller.tenant, filter.account_id, absl::StrJoin(filter.stages, ","),
       filter.owner, absl::StrCat(filter.start_day),
       absl::StrCat(filter.end_day)});
  ASSIGN_OR_RETURN(
      std::optional<DealCursor> after,
      DecodeIntIdPageToken<DealCursor>(request.page_token(), filter_key));

  v1::ListDealsResponse response;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        DealFilter resolved = filter;
        ASSIGN_OR_RETURN(resolved.account_id,
                         deps_.projection->ResolveFilterId(txn, caller.tenant,
                                                           filter.account_id));
        ASSIGN_OR_RETURN(
            std::vector<v1::Deal> rows,
            store_->List(txn, caller.tenant, resolved, after, page_size + 1));
        const bool more = rows.size() > static_cast<size_t>(page_size);
        if (more) {
          rows.resize(page_size);
        }
        ASSIGN_OR_RETURN(v1::DealStageProbabilities probabilities,
                         Probabilities(txn, deps_, caller.tenant));
        for (v1::Deal& row : rows) {
          RETURN_IF_ERROR(FillDealOutputs(txn, *store_, caller.tenant,
                                          probabilities, &row));
          *response.add_deals() = std::move(row);
        }
        if (more) {
          const v1::Deal& last = response.deals(page_size - 1);
          response.set_next_page_token(EncodeIntIdPageToken(
              filter_key, DayOf(last.expected_close_date()),
              IdOf(last.name())));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::Deal> DealManager::Close(
    const Caller& caller, const v1::CloseDealRequest& request) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(request.name(), kDeals, "name"));
  const absl::Time now = deps_.clock->Now();
  const int64_t today = UtcDayOf(now);
  std::string close_note = request.close_note();
  FieldViolations violations;
  CheckCloseRequest(request, today, &close_note, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  v1::Deal result;
  std::string closed_account;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::Deal deal,
                         LoadDeal(txn, *store_, caller.tenant, id));
        ASSIGN_OR_RETURN(v1::DealStageProbabilities probabilities,
                         Probabilities(txn, deps_, caller.tenant));
        if (!IsOpenStage(deal.stage())) {
          if (deal.stage() != request.outcome()) {
            return absl::FailedPreconditionError(absl::StrCat(
                deal.name(), " is already closed as ",
                v1::DealStage_Name(deal.stage()), ": it cannot be ",
                request.outcome() == v1::DEAL_STAGE_WON ? "won" : "lost"));
          }
          // What the caller asked for holds: the deal as it is.
          RETURN_IF_ERROR(FillDealOutputs(txn, *store_, caller.tenant,
                                          probabilities, &deal));
          result = std::move(deal);
          MentionWithParties(result, write);
          return absl::OkStatus();
        }
        RETURN_IF_ERROR(CheckEtag(request.etag(), deal.etag(), "etag"));
        deal.set_stage(request.outcome());
        deal.set_loss_reason(request.loss_reason());
        deal.set_close_note(close_note);
        *deal.mutable_close_date() =
            request.has_close_date() ? request.close_date() : DateOfDay(today);
        SetTimestamp(now, deal.mutable_close_time());
        Stamp(deps_, now, /*created=*/false, &deal);
        RETURN_IF_ERROR(store_->Update(txn, caller.tenant, id, deal));
        RETURN_IF_ERROR(
            FillDealOutputs(txn, *store_, caller.tenant, probabilities, &deal));
        events::v1::Event event;
        if (deal.stage() == v1::DEAL_STAGE_WON) {
          *event.mutable_deal_won()->mutable_deal() = DealSnapshotOf(deal);
        } else {
          *event.mutable_deal_lost()->mutable_deal() = DealSnapshotOf(deal);
        }
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, deal.name(), event));
        // Scoring reads closed deals (deal_data_part.h): the account's
        // cached scores must not answer for the state before this.
        const std::string account_id = IdOf(deal.account());
        RETURN_IF_ERROR(
            deps_.projection->Touch(txn, caller.tenant, account_id));
        RETURN_IF_ERROR(deps_.scores->MarkDirty(txn, caller.tenant, account_id,
                                                {ClosedCause(deal)}));
        if (on_closed_) {
          txn.AfterCommit([on_closed = &on_closed_, tenant = caller.tenant,
                           account_id] { (*on_closed)(tenant, {account_id}); });
        }
        result = std::move(deal);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Pipeline> DealManager::GetPipeline(
    const Caller& caller, const v1::GetPipelineRequest& request) {
  FieldViolations violations;
  if (request.year() < kMinPipelineYear || request.year() > kMaxPipelineYear) {
    violations.Add("year", "must be between 1970 and 9999");
  }
  if (request.quarter() < 1 || request.quarter() > 4) {
    violations.Add("quarter", "must be between 1 and 4");
  }
  PipelineQuery query;
  query.owner = request.owner();
  CheckText(&query.owner, "owner", kMaxDealOwnerChars, /*required=*/false,
            /*multiline=*/false, &violations);
  if (!v1::DealKind_IsValid(request.kind())) {
    violations.Add("kind", absl::StrCat("unknown value ", request.kind()));
  }
  query.kind = request.kind();
  if (!request.currency_code().empty() &&
      !IsKnownCurrency(request.currency_code())) {
    violations.Add("currency_code", "not a known ISO 4217 code in upper case");
  }
  RETURN_IF_ERROR(violations.ToStatus());

  const DayRange quarter = QuarterDays(request.year(), request.quarter());
  query.first_day = quarter.first;
  query.last_day = quarter.last;
  PipelineInput input;
  input.year = request.year();
  input.quarter = request.quarter();
  input.currency = request.currency_code();
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(input.probabilities,
                         Probabilities(txn, deps_, caller.tenant));
        ASSIGN_OR_RETURN(PipelineRows rows,
                         store_->ListForPipeline(txn, caller.tenant, query));
        input.deals = std::move(rows.deals);
        input.overdue_count = rows.overdue_count;
        return absl::OkStatus();
      }));
  return BuildPipeline(input);
}

}  // namespace clientele::engagement

#include "services/engagement/interaction_manager.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clientele/events/v1/event.pb.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "google/protobuf/arena.h"
#include "services/engagement/interaction_rules.h"
#include "services/engagement/manager_steps.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

// Fills `out` (on the event's arena) from a recorded interaction.
void Snapshot(const v1::Interaction& in, events::v1::InteractionSnapshot* out) {
  out->set_name(in.name());
  out->set_account(in.account());
  out->set_contact(in.contact());
  out->set_kind(static_cast<events::v1::InteractionKind>(in.kind()));
  *out->mutable_occur_time() = in.occur_time();
  out->set_staff_user(in.staff_user());
  if (in.has_amount()) *out->mutable_amount() = in.amount();
  out->set_personalized(in.personalization() ==
                        v1::PERSONALIZATION_PERSONALIZED);
  if (in.source() == v1::INTERACTION_SOURCE_ORDER) {
    out->set_order(in.source_ref());
  }
  out->set_deal(in.deal());
}

v1::ScoreChangeCause CauseOf(const v1::Interaction& interaction,
                             v1::ScoreChangeCauseKind kind) {
  v1::ScoreChangeCause cause;
  cause.set_kind(kind);
  cause.set_resource(interaction.name());
  *cause.mutable_occur_time() = interaction.occur_time();
  cause.set_description(absl::StrCat(
      v1::InteractionKind_Name(interaction.kind())
          .substr(sizeof("INTERACTION_KIND_") - 1),
      interaction.has_amount()
          ? absl::StrCat(" of ", interaction.amount().amount_minor_units(), " ",
                         interaction.amount().currency_code(), " minor units")
          : ""));
  return cause;
}

// Who a change derived from `cause` is on behalf of: the event's actor (the
// service that published it when it names none) and its trace, and no
// request_id (the derived names make those changes idempotent).
Caller CallerOf(absl::string_view tenant, const events::v1::Event& cause) {
  Caller caller;
  caller.tenant = std::string(tenant);
  caller.actor = cause.actor().empty()
                     ? absl::StrCat("service:", cause.source_service())
                     : cause.actor();
  caller.trace_id = cause.request_id();
  return caller;
}

}  // namespace

absl::StatusOr<std::vector<v1::Interaction>> InteractionManager::Record(
    const Caller& caller,
    const google::protobuf::RepeatedPtrField<v1::Interaction>& interactions,
    bool single) {
  const absl::string_view field = single ? "interaction" : "interactions";
  if (interactions.empty()) {
    return InvalidFieldError(field, "required: 1-5,000 interactions");
  }
  if (interactions.size() > kMaxBatchInteractions) {
    return InvalidFieldError(
        field, absl::StrCat("at most 5,000 interactions per batch, got ",
                            interactions.size()));
  }
  const absl::Time now = deps_.clock->Now();
  FieldViolations violations;
  std::string prefix(field);  // reused: no allocation per row
  for (int i = 0; i < interactions.size(); ++i) {
    if (!single) {
      prefix.resize(field.size());
      absl::StrAppend(&prefix, "[", i, "]");
    }
    CheckInteraction(interactions[i], prefix, now, /*from_ticketing=*/false,
                     &violations);
  }
  RETURN_IF_ERROR(violations.ToStatus());

  // Per account, in the order first seen, the positions of its rows. Keyed
  // by the names as given, which validation holds to "accounts/{id}".
  struct AccountRows {
    std::string id;
    std::vector<int> positions;
  };
  std::vector<AccountRows> by_account;
  absl::flat_hash_map<absl::string_view, size_t> account_index;
  for (int i = 0; i < interactions.size(); ++i) {
    const std::string& name = interactions[i].account();
    auto [it, inserted] = account_index.try_emplace(name, by_account.size());
    if (inserted) by_account.push_back({IdOf(name), {}});
    by_account[it->second].positions.push_back(i);
  }

  v1::BatchRecordInteractionsResponse stored_response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &stored_response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        std::vector<std::string> changed_accounts;
        ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                         EffectivePolicy(txn, *deps_.scores, caller.tenant));
        // The response is the one copy of the request that gets completed; the
        // store, the causes and the event read from it.
        google::protobuf::RepeatedPtrField<v1::Interaction>& recorded =
            *stored_response.mutable_interactions();
        recorded = interactions;
        std::vector<v1::Interaction*> rows;
        for (const AccountRows& requested : by_account) {
          ASSIGN_OR_RETURN(ProjectedAccount account,
                           deps_.projection->ResolveOrNotFound(
                               txn, caller.tenant, requested.id));
          rows.clear();
          for (int i : requested.positions) {
            v1::Interaction& interaction = recorded[i];
            interaction.set_name(
                absl::StrCat("interactions/", deps_.ids->NewId()));
            interaction.set_source(v1::INTERACTION_SOURCE_API);
            rows.push_back(&interaction);
            if (!links_.empty()) {
              const std::string row_field =
                  single ? std::string(field)
                         : absl::StrCat(field, "[", i, "]");
              for (InteractionLinks* links : links_) {
                RETURN_IF_ERROR(links->BeforeRecord(txn, caller, account,
                                                    row_field, interaction));
              }
            }
          }
          RETURN_IF_ERROR(StoreOnAccount(txn, caller, policy, account, rows,
                                         now, /*cause_event_id=*/""));
          changed_accounts.push_back(account.id);
        }
        RETURN_IF_ERROR(AppendRecorded(
            txn, caller, absl::StrCat("accounts/", by_account.front().id),
            recorded));
        for (const std::string& id : changed_accounts) {
          write.Mentions(absl::StrCat("accounts/", id));
        }
        // The stored response holds summaries, which may name the contact:
        // erasing the contact forgets it too.
        absl::flat_hash_set<absl::string_view> contacts;
        for (const v1::Interaction& interaction : recorded) {
          if (!interaction.contact().empty() &&
              contacts.insert(interaction.contact()).second) {
            write.Mentions(interaction.contact());
          }
        }
        AccountsChangedAfterCommit(txn, caller.tenant,
                                   std::move(changed_accounts));
        return absl::OkStatus();
      }));
  return std::vector<v1::Interaction>(
      std::make_move_iterator(stored_response.mutable_interactions()->begin()),
      std::make_move_iterator(stored_response.mutable_interactions()->end()));
}

absl::Status InteractionManager::StoreOnAccount(
    sql::Transaction& txn, const Caller& caller,
    const v1::ScoringPolicy& policy, const ProjectedAccount& account,
    absl::Span<v1::Interaction* const> rows, absl::Time now,
    absl::string_view cause_event_id) {
  const std::string account_name = absl::StrCat("accounts/", account.id);
  absl::Time first = account.first_interaction_time;
  std::string currency = account.currency;
  for (v1::Interaction* interaction : rows) {
    interaction->set_account(account_name);
    SetTimestamp(now, interaction->mutable_create_time());
    if (interaction->personalization() == v1::PERSONALIZATION_UNSPECIFIED) {
      interaction->set_personalization(
          DefaultPersonalization(interaction->kind()));
    }
    if (currency.empty() && interaction->has_amount()) {
      currency = interaction->amount().currency_code();
    }
    const absl::Time at = ToTime(interaction->occur_time());
    if (first == absl::InfinitePast() || at < first) first = at;
    RETURN_IF_ERROR(follow_ups_->ApplyRules(txn, caller, account, *interaction,
                                            policy.follow_up_rules()));
  }
  // Only the newest causes are kept per account anyway.
  std::vector<v1::ScoreChangeCause> causes;
  const size_t keep = std::min<size_t>(rows.size(), ScoreStore::kMaxCauses);
  for (size_t i = rows.size() - keep; i < rows.size(); ++i) {
    causes.push_back(
        CauseOf(*rows[i], v1::SCORE_CHANGE_CAUSE_KIND_INTERACTION_RECORDED));
    causes.back().set_event_id(std::string(cause_event_id));
  }
  RETURN_IF_ERROR(deps_.interactions->Insert(
      txn, caller.tenant, account.id, currency,
      absl::Span<const v1::Interaction* const>(rows.data(), rows.size())));
  RETURN_IF_ERROR(deps_.projection->PutTotals(
      txn, caller.tenant, account.id, first,
      account.interaction_count + static_cast<int64_t>(rows.size()), currency));
  return deps_.scores->MarkDirty(txn, caller.tenant, account.id, causes);
}

absl::Status InteractionManager::AppendRecorded(
    sql::Transaction& txn, const Caller& caller, absl::string_view subject,
    const google::protobuf::RepeatedPtrField<v1::Interaction>& recorded) {
  // Thousands of small snapshot messages, made and dropped together.
  google::protobuf::Arena arena;
  auto* event =
      google::protobuf::Arena::CreateMessage<events::v1::Event>(&arena);
  auto* snapshots =
      event->mutable_interactions_recorded()->mutable_interactions();
  snapshots->Reserve(recorded.size());
  for (const v1::Interaction& interaction : recorded) {
    Snapshot(interaction, snapshots->Add());
  }
  event->set_request_id(caller.trace_id);
  event->set_actor(caller.actor);
  return deps_.events->Append(txn, caller.tenant, subject, event);
}

absl::StatusOr<InteractionManager::DerivedOutcome>
InteractionManager::RecordDerived(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  const events::v1::Event& cause,
                                  v1::InteractionSource source,
                                  v1::Interaction interaction) {
  const absl::Time now = deps_.clock->Now();
  if (interaction.has_occur_time() &&
      IsValidTimestamp(interaction.occur_time()) &&
      ToTime(interaction.occur_time()) > now) {
    SetTimestamp(now, interaction.mutable_occur_time());
  }
  FieldViolations violations;
  CheckInteraction(interaction, "interaction", now, /*from_ticketing=*/true,
                   &violations);
  const std::string id = IdOf(interaction.name());
  if (!IsValidId(id) ||
      interaction.name() != absl::StrCat("interactions/", id)) {
    violations.Add("interaction.name", "a derived interaction names itself");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> existing,
                   deps_.interactions->Find(txn, tenant, id));
  if (existing.has_value()) return DerivedOutcome::kAlreadyRecorded;

  const std::string account_id = IdOf(interaction.account());
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> known,
                   deps_.projection->Find(txn, tenant, account_id));
  if (!known.has_value()) {
    // The placeholder: an active row with no snapshot, which Resolve does
    // not answer for until contacts' AccountCreated fills it.
    RETURN_IF_ERROR(deps_.projection->SetState(txn, tenant, account_id,
                                               ProjectedState::kActive, ""));
    ASSIGN_OR_RETURN(known, deps_.projection->Find(txn, tenant, account_id));
    if (!known.has_value()) {
      return absl::InternalError("placeholder account not stored");
    }
  } else if (known->state == ProjectedState::kMerged) {
    ASSIGN_OR_RETURN(known, deps_.projection->Resolve(txn, tenant, account_id));
    if (!known.has_value()) return DerivedOutcome::kAccountGone;
  } else if (known->state == ProjectedState::kGone) {
    return DerivedOutcome::kAccountGone;
  }

  const Caller caller = CallerOf(tenant, cause);
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps_.scores, tenant));
  google::protobuf::RepeatedPtrField<v1::Interaction> recorded;
  v1::Interaction* row = recorded.Add();
  *row = std::move(interaction);
  row->set_source(source);
  RETURN_IF_ERROR(StoreOnAccount(txn, caller, policy, *known, {row}, now,
                                 cause.event_id()));
  RETURN_IF_ERROR(AppendRecorded(txn, caller, row->account(), recorded));
  AccountsChangedAfterCommit(txn, tenant, {known->id});
  return DerivedOutcome::kRecorded;
}

void InteractionManager::AccountsChangedAfterCommit(
    sql::Transaction& txn, absl::string_view tenant,
    std::vector<std::string> account_ids) const {
  if (!on_changed_) return;
  txn.AfterCommit(
      [on_changed = &on_changed_, tenant = std::string(tenant),
       ids = std::move(account_ids)] { (*on_changed)(tenant, ids); });
}

absl::StatusOr<v1::Interaction> InteractionManager::Get(
    const Caller& caller, absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(name, "interactions", "name"));
  std::optional<v1::Interaction> found;
  RETURN_IF_ERROR(deps_.database->Read([&](sql::Transaction& txn) {
    ASSIGN_OR_RETURN(found, deps_.interactions->Find(txn, caller.tenant, id));
    return absl::OkStatus();
  }));
  if (!found.has_value()) return NotFoundResourceError("interaction", name);
  return *std::move(found);
}

absl::StatusOr<v1::ListInteractionsResponse> InteractionManager::List(
    const Caller& caller, const v1::ListInteractionsRequest& request) {
  FieldViolations violations;
  auto account_id = ParseResourceName(request.account(), "accounts", "account");
  if (!account_id.ok()) {
    violations.Add("account", account_id.status().message());
  }
  InteractionFilter filter;
  for (int kind : request.kinds()) {
    if (kind == v1::INTERACTION_KIND_UNSPECIFIED ||
        !v1::InteractionKind_IsValid(kind)) {
      violations.Add("kinds", "unspecified or unknown kind");
      break;
    }
    filter.kinds.push_back(kind);
  }
  std::sort(filter.kinds.begin(), filter.kinds.end());
  filter.kinds.erase(std::unique(filter.kinds.begin(), filter.kinds.end()),
                     filter.kinds.end());
  if (!request.contact().empty()) {
    auto contact = ParseResourceName(request.contact(), "contacts", "contact");
    if (!contact.ok()) {
      violations.Add("contact", contact.status().message());
    } else {
      filter.contact_id = *contact;
    }
  }
  filter.staff_user = request.staff_user();
  if (request.has_occur_time_range()) {
    const auto& range = request.occur_time_range();
    if (range.has_start_time()) {
      if (!IsValidTimestamp(range.start_time())) {
        violations.Add("occur_time_range.start_time", "not a valid timestamp");
      } else {
        filter.start = ToTime(range.start_time());
      }
    }
    if (range.has_end_time()) {
      if (!IsValidTimestamp(range.end_time())) {
        violations.Add("occur_time_range.end_time", "not a valid timestamp");
      } else {
        filter.end = ToTime(range.end_time());
      }
    }
    if (filter.start != absl::InfinitePast() &&
        filter.end != absl::InfiniteFuture() && filter.end < filter.start) {
      violations.Add("occur_time_range.end_time", "before start_time");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  const std::string token_filter =
      absl::StrCat(caller.tenant, "|ListInteractions|", *account_id, "|",
                   absl::StrJoin(filter.kinds, ","), "|", filter.contact_id,
                   "|", filter.staff_user, "|", absl::FormatTime(filter.start),
                   "|", absl::FormatTime(filter.end));
  std::optional<TimelineCursor> after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> key,
                     DecodePageToken(request.page_token(), token_filter));
    ASSIGN_OR_RETURN(after,
                     TimelineCursor::FromKey(key, "not a token of this list"));
  }
  v1::ListInteractionsResponse response;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(ProjectedAccount account,
                         deps_.projection->ResolveOrNotFound(txn, caller.tenant,
                                                             *account_id));
        ASSIGN_OR_RETURN(
            std::vector<v1::Interaction> page,
            deps_.interactions->List(txn, caller.tenant, account.id, filter,
                                     after, page_size + 1));
        const bool more = static_cast<int>(page.size()) > page_size;
        if (more) page.pop_back();
        for (v1::Interaction& interaction : page) {
          *response.add_interactions() = std::move(interaction);
        }
        if (more) {
          const v1::Interaction& last =
              response.interactions(response.interactions_size() - 1);
          response.set_next_page_token(
              EncodePageToken(token_filter, TimelineCursor::KeyOf(last)));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::Status InteractionManager::Delete(const Caller& caller,
                                        absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(name, "interactions", "name"));
  return deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<v1::Interaction> found,
                     deps_.interactions->Find(txn, caller.tenant, id));
    if (!found.has_value()) return NotFoundResourceError("interaction", name);
    if (found->source() == v1::INTERACTION_SOURCE_ORDER) {
      return absl::FailedPreconditionError(absl::StrCat(
          found->name(), " is the purchase of ", found->source_ref(),
          ": it goes with the order; cancel the order instead (or change "
          "its items while it is PLACED)"));
    }
    if (found->source() == v1::INTERACTION_SOURCE_TICKETING) {
      return absl::FailedPreconditionError(absl::StrCat(
          found->name(), " was recorded from ", found->source_ref(),
          " by ticketing's events: it changes with the ticket (deleting or "
          "merging the ticket removes it)"));
    }
    return DeleteStored(txn, caller, *found, /*cause_event_id=*/"");
  });
}

absl::StatusOr<v1::Interaction> InteractionManager::RecordForOrder(
    sql::Transaction& txn, const Caller& caller,
    const ProjectedAccount& account, v1::Interaction purchase) {
  const absl::Time now = deps_.clock->Now();
  FieldViolations violations;
  CheckInteraction(purchase, "interaction", now, /*from_ticketing=*/false,
                   &violations);
  if (!violations.empty()) {
    return absl::InternalError(absl::StrCat(
        "the purchase of ", purchase.source_ref(),
        " is not a valid interaction: ", violations.ToStatus().message()));
  }
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps_.scores, caller.tenant));
  google::protobuf::RepeatedPtrField<v1::Interaction> recorded;
  v1::Interaction* row = recorded.Add();
  *row = std::move(purchase);
  row->set_name(absl::StrCat("interactions/", deps_.ids->NewId()));
  row->set_source(v1::INTERACTION_SOURCE_ORDER);
  RETURN_IF_ERROR(StoreOnAccount(txn, caller, policy, account, {row}, now,
                                 /*cause_event_id=*/""));
  RETURN_IF_ERROR(AppendRecorded(txn, caller, row->account(), recorded));
  AccountsChangedAfterCommit(txn, caller.tenant, {account.id});
  return std::move(*row);
}

absl::Status InteractionManager::DeleteForOrder(sql::Transaction& txn,
                                                const Caller& caller,
                                                absl::string_view name) {
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> found,
                   deps_.interactions->Find(txn, caller.tenant, IdOf(name)));
  if (!found.has_value()) {
    return NotFoundResourceError("interaction", name);
  }
  if (found->source() != v1::INTERACTION_SOURCE_ORDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is not an order's purchase"));
  }
  return DeleteStored(txn, caller, *found, /*cause_event_id=*/"");
}

absl::StatusOr<bool> InteractionManager::DeleteDerived(
    sql::Transaction& txn, absl::string_view tenant,
    const events::v1::Event& cause, absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Interaction> found,
                   deps_.interactions->Find(txn, tenant, id));
  if (!found.has_value()) return false;
  const Caller caller = CallerOf(tenant, cause);
  RETURN_IF_ERROR(DeleteStored(txn, caller, *found, cause.event_id()));
  return true;
}

absl::Status InteractionManager::DeleteStored(
    sql::Transaction& txn, const Caller& caller, const v1::Interaction& found,
    absl::string_view cause_event_id) {
  const std::string account_id = IdOf(found.account());
  for (InteractionLinks* links : links_) {
    RETURN_IF_ERROR(links->OnDelete(txn, caller, found));
  }
  RETURN_IF_ERROR(
      deps_.interactions->Delete(txn, caller.tenant, IdOf(found.name())));
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                   deps_.projection->Find(txn, caller.tenant, account_id));
  ASSIGN_OR_RETURN(auto totals,
                   deps_.interactions->Totals(txn, caller.tenant, account_id));
  RETURN_IF_ERROR(deps_.projection->PutTotals(
      txn, caller.tenant, account_id, totals.first, totals.second,
      account.has_value() ? account->currency : std::string()));
  v1::ScoreChangeCause cause =
      CauseOf(found, v1::SCORE_CHANGE_CAUSE_KIND_INTERACTION_DELETED);
  cause.set_event_id(std::string(cause_event_id));
  RETURN_IF_ERROR(
      deps_.scores->MarkDirty(txn, caller.tenant, account_id, {cause}));
  events::v1::Event event;
  event.mutable_interaction_deleted()->set_interaction(found.name());
  event.mutable_interaction_deleted()->set_account(found.account());
  RETURN_IF_ERROR(
      AppendEvent(txn, deps_, caller, found.account(), std::move(event)));
  AccountsChangedAfterCommit(txn, caller.tenant, {account_id});
  return absl::OkStatus();
}

}  // namespace clientele::engagement

#include "services/engagement/follow_up_manager.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/next_best_action.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/engagement/follow_up_rules.h"
#include "services/engagement/manager_steps.h"

namespace clientele::engagement {
namespace {

constexpr absl::string_view kFollowUps = "followUps";
constexpr absl::string_view kAccounts = "accounts";
constexpr absl::string_view kContacts = "contacts";
// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
constexpr absl::string_view kFollowUpType = "clientele.engagement.v1.FollowUp";
constexpr absl::string_view kAccountType = "clientele.contacts.v1.Account";

std::string FollowUpName(absl::string_view id) {
  return absl::StrCat(kFollowUps, "/", id);
}
std::string AccountName(absl::string_view id) {
  return absl::StrCat(kAccounts, "/", id);
}

// ---------------------------------------------------------------------------
// Values.

void SetMicros(int64_t micros, google::protobuf::Timestamp* out) {
  SetTimestamp(FromMicros(micros), out);
}

// Checks `follow_up`'s client-settable fields except the account (which
// Create checks against the projection), reading unset kind and priority as
// GENERAL and NORMAL, and keeping due_time to whole microseconds. Paths are
// "<prefix><field>". The assignee is required when `require_assignee`: a
// rule may have made an unassigned follow-up, which other changes must not
// be refused for.
void CheckFollowUp(v1::FollowUp* follow_up, absl::string_view prefix,
                   bool require_assignee, FieldViolations* violations) {
  const auto path = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  if (!follow_up->contact().empty() &&
      !ParseResourceName(follow_up->contact(), kContacts, "contact").ok()) {
    violations->Add(path("contact"), "must be \"contacts/{contact}\"");
  }
  CheckText(follow_up->mutable_title(), path("title"),
            FollowUpManager::kMaxTitleChars, /*required=*/true,
            /*multiline=*/false, violations);
  CheckText(follow_up->mutable_description(), path("description"),
            FollowUpManager::kMaxDescriptionChars, /*required=*/false,
            /*multiline=*/true, violations);
  if (!v1::FollowUpKind_IsValid(follow_up->kind())) {
    violations->Add(path("kind"),
                    absl::StrCat("unknown value ", follow_up->kind()));
  } else if (follow_up->kind() == v1::FOLLOW_UP_KIND_UNSPECIFIED) {
    follow_up->set_kind(v1::FOLLOW_UP_KIND_GENERAL);
  }
  CheckText(follow_up->mutable_assignee(), path("assignee"),
            FollowUpManager::kMaxAssigneeChars, require_assignee,
            /*multiline=*/false, violations);
  CheckText(follow_up->mutable_team(), path("team"),
            FollowUpManager::kMaxTeamChars, /*required=*/false,
            /*multiline=*/false, violations);
  if (!follow_up->has_due_time()) {
    violations->Add(path("due_time"), "required");
  } else if (!IsValidTimestamp(follow_up->due_time())) {
    violations->Add(path("due_time"),
                    "must be between 0001-01-01 and 9999-12-31");
  } else {
    SetMicros(TimestampMicros(follow_up->due_time()),
              follow_up->mutable_due_time());
  }
  if (!v1::FollowUpPriority_IsValid(follow_up->priority())) {
    violations->Add(path("priority"),
                    absl::StrCat("unknown value ", follow_up->priority()));
  } else if (follow_up->priority() == v1::FOLLOW_UP_PRIORITY_UNSPECIFIED) {
    follow_up->set_priority(v1::FOLLOW_UP_PRIORITY_NORMAL);
  }
  CheckText(follow_up->mutable_source(), path("source"),
            FollowUpManager::kMaxSourceChars, /*required=*/false,
            /*multiline=*/false, violations);
  if (follow_up->has_source_action()) {
    const v1::NextBestActionRef& action = follow_up->source_action();
    if (!v1::NextBestActionKind_IsValid(action.kind())) {
      violations->Add(path("source_action.kind"),
                      absl::StrCat("unknown value ", action.kind()));
    }
    if (action.has_recommend_time() &&
        !IsValidTimestamp(action.recommend_time())) {
      violations->Add(path("source_action.recommend_time"),
                      "must be between 0001-01-01 and 9999-12-31");
    }
  }
}

constexpr absl::string_view kUpdatablePaths[] = {
    "title",    "description", "kind",  "assignee", "due_time",
    "priority", "contact",     "state", "team"};
constexpr absl::string_view kOutputOnlyPaths[] = {
    "name",        "origin",      "rule", "complete_time",
    "create_time", "update_time", "etag"};

// ---------------------------------------------------------------------------
// Steps every write shares (with the other managers: manager_steps.h).

events::v1::FollowUpSnapshot SnapshotOf(const v1::FollowUp& follow_up) {
  events::v1::FollowUpSnapshot snapshot;
  snapshot.set_name(follow_up.name());
  snapshot.set_account(follow_up.account());
  snapshot.set_contact(follow_up.contact());
  snapshot.set_assignee(follow_up.assignee());
  *snapshot.mutable_due_time() = follow_up.due_time();
  snapshot.set_state(static_cast<events::v1::FollowUpState>(follow_up.state()));
  snapshot.set_kind(static_cast<events::v1::FollowUpKind>(follow_up.kind()));
  if (follow_up.has_complete_time()) {
    *snapshot.mutable_complete_time() = follow_up.complete_time();
  }
  return snapshot;
}

// Follow-up `id`; NOT_FOUND naming `name` when there is none.
absl::StatusOr<v1::FollowUp> LoadFollowUp(sql::Transaction& txn,
                                          const EngagementDeps& deps,
                                          absl::string_view tenant,
                                          absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::FollowUp> follow_up,
                   deps.follow_ups->Find(txn, tenant, id));
  if (!follow_up.has_value()) {
    return NotFoundResourceError(kFollowUpType, FollowUpName(id));
  }
  return *std::move(follow_up);
}

// The active account answering for `id` (its survivor when merged);
// NOT_FOUND naming "accounts/<id>" when unknown to engagement or gone.
absl::StatusOr<ProjectedAccount> ResolveAccount(sql::Transaction& txn,
                                                const EngagementDeps& deps,
                                                absl::string_view tenant,
                                                absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                   deps.projection->Resolve(txn, tenant, id));
  if (!account.has_value()) {
    return NotFoundResourceError(kAccountType, AccountName(id));
  }
  return *std::move(account);
}

}  // namespace

absl::StatusOr<v1::FollowUp> FollowUpManager::Create(const Caller& caller,
                                                     v1::FollowUp follow_up) {
  FieldViolations violations;
  auto account_id =
      ParseResourceName(follow_up.account(), kAccounts, "follow_up.account");
  if (!account_id.ok()) {
    violations.Add("follow_up.account", follow_up.account().empty()
                                            ? "required: \"accounts/{account}\""
                                            : "must be \"accounts/{account}\"");
  }
  CheckFollowUp(&follow_up, "follow_up.", /*require_assignee=*/true,
                &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = deps_.clock->Now();
  const std::string id = deps_.ids->NewId();
  follow_up.set_name(FollowUpName(id));
  follow_up.set_state(v1::FOLLOW_UP_STATE_OPEN);
  follow_up.set_origin(follow_up.has_source_action()
                           ? v1::FOLLOW_UP_ORIGIN_NEXT_BEST_ACTION
                           : v1::FOLLOW_UP_ORIGIN_MANUAL);
  follow_up.clear_rule();
  follow_up.clear_complete_time();
  Stamp(deps_, now, /*created=*/true, &follow_up);

  v1::FollowUp result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(
            ProjectedAccount account,
            ResolveAccount(txn, deps_, caller.tenant, *account_id));
        v1::FollowUp stored = follow_up;
        stored.set_account(AccountName(account.id));
        RETURN_IF_ERROR(
            deps_.follow_ups->Insert(txn, caller.tenant, id, stored));
        events::v1::Event event;
        *event.mutable_follow_up_created()->mutable_follow_up() =
            SnapshotOf(stored);
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, stored.name(), event));
        result = std::move(stored);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::FollowUp> FollowUpManager::Get(const Caller& caller,
                                                  absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kFollowUps, "name"));
  v1::FollowUp follow_up;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(follow_up,
                         LoadFollowUp(txn, deps_, caller.tenant, id));
        return absl::OkStatus();
      }));
  return follow_up;
}

absl::StatusOr<v1::FollowUp> FollowUpManager::Update(
    const Caller& caller, const v1::FollowUp& follow_up,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(
      std::string id,
      ParseResourceName(follow_up.name(), kFollowUps, "follow_up.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  bool sets_state = false;
  bool sets_assignee = false;
  for (const std::string& path : paths) {
    sets_state |= path == "state";
    sets_assignee |= path == "assignee";
  }
  const absl::Time now = deps_.clock->Now();
  v1::FollowUp result;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::FollowUp current,
                     LoadFollowUp(txn, deps_, caller.tenant, id));
    RETURN_IF_ERROR(
        CheckEtag(follow_up.etag(), current.etag(), "follow_up.etag"));
    // Sending the state a follow-up already has is no change, so that
    // a read-modify-write with "*" works on a DONE one too.
    if (sets_state && follow_up.state() != current.state() &&
        follow_up.state() != v1::FOLLOW_UP_STATE_OPEN &&
        follow_up.state() != v1::FOLLOW_UP_STATE_CANCELLED) {
      return InvalidFieldError(
          "follow_up.state",
          follow_up.state() == v1::FOLLOW_UP_STATE_DONE
              ? "cannot be set to DONE here: use CompleteFollowUp"
              : "must be OPEN or CANCELLED");
    }
    v1::FollowUp updated = current;
    CopyFieldPaths(follow_up, paths, &updated);
    FieldViolations violations;
    CheckFollowUp(&updated, "follow_up.", sets_assignee, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (current.state() == v1::FOLLOW_UP_STATE_DONE &&
        updated.state() == v1::FOLLOW_UP_STATE_CANCELLED) {
      return absl::FailedPreconditionError(
          absl::StrCat(current.name(),
                       " is DONE; set its state to OPEN before cancelling "
                       "it"));
    }
    // Reopening undoes the completion.
    if (updated.state() == v1::FOLLOW_UP_STATE_OPEN) {
      updated.clear_complete_time();
    }
    if (google::protobuf::util::MessageDifferencer::Equals(current, updated)) {
      result = std::move(current);
      return absl::OkStatus();
    }
    Stamp(deps_, now, /*created=*/false, &updated);
    RETURN_IF_ERROR(deps_.follow_ups->Update(txn, caller.tenant, id, updated));
    events::v1::Event event;
    *event.mutable_follow_up_updated()->mutable_follow_up() =
        SnapshotOf(updated);
    RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, updated.name(), event));
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::Status FollowUpManager::Delete(const Caller& caller,
                                     absl::string_view name,
                                     absl::string_view etag) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kFollowUps, "name"));
  RETURN_IF_ERROR(
      deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(v1::FollowUp current,
                         LoadFollowUp(txn, deps_, caller.tenant, id));
        RETURN_IF_ERROR(CheckEtag(etag, current.etag(), "etag"));
        RETURN_IF_ERROR(deps_.follow_ups->Delete(txn, caller.tenant, id));
        events::v1::Event event;
        auto* payload = event.mutable_follow_up_deleted();
        payload->set_follow_up(current.name());
        payload->set_account(current.account());
        payload->set_assignee(current.assignee());
        return AppendEvent(txn, deps_, caller, current.name(), event);
      }));
  return absl::OkStatus();
}

absl::StatusOr<v1::ListFollowUpsResponse> FollowUpManager::List(
    const Caller& caller, const v1::ListFollowUpsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  FollowUpFilter filter;
  filter.account_id = AccountFilterId(request.account(), &violations);
  filter.assignee = request.assignee();
  CheckText(&filter.assignee, "assignee", kMaxAssigneeChars, false, false,
            &violations);
  filter.team = request.team();
  CheckText(&filter.team, "team", kMaxTeamChars, false, false, &violations);
  if (!v1::FollowUpState_IsValid(request.state())) {
    violations.Add("state", absl::StrCat("unknown value ", request.state()));
  }
  filter.state = request.state();
  if (!v1::FollowUpOrigin_IsValid(request.origin())) {
    violations.Add("origin", absl::StrCat("unknown value ", request.origin()));
  }
  filter.origin = request.origin();
  CheckTimeRange(request.due_time_range(), "due_time_range",
                 &filter.due_start_us, &filter.due_end_us, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string filter_key = PageTokenFilter(
      "ListFollowUps", {caller.tenant, filter.account_id, filter.assignee,
                        absl::StrCat(filter.state), absl::StrCat(filter.origin),
                        absl::StrCat(filter.due_start_us),
                        absl::StrCat(filter.due_end_us), filter.team});
  ASSIGN_OR_RETURN(
      std::optional<FollowUpCursor> after,
      DecodeIntIdPageToken<FollowUpCursor>(request.page_token(), filter_key));

  std::vector<v1::FollowUp> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        FollowUpFilter resolved = filter;
        ASSIGN_OR_RETURN(resolved.account_id,
                         deps_.projection->ResolveFilterId(txn, caller.tenant,
                                                           filter.account_id));
        ASSIGN_OR_RETURN(
            rows, deps_.follow_ups->List(txn, caller.tenant, resolved, after,
                                         page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListFollowUpsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (v1::FollowUp& row : rows) *response.add_follow_ups() = std::move(row);
  if (more) {
    const v1::FollowUp& last = response.follow_ups(page_size - 1);
    response.set_next_page_token(
        EncodeIntIdPageToken(filter_key, DueMicros(last), IdOf(last.name())));
  }
  return response;
}

absl::StatusOr<v1::ListDueFollowUpsResponse> FollowUpManager::ListDue(
    const Caller& caller, const v1::ListDueFollowUpsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  std::string assignee = request.assignee();
  CheckText(&assignee, "assignee", kMaxAssigneeChars, false, false,
            &violations);
  if (request.has_as_of_time() && !IsValidTimestamp(request.as_of_time())) {
    violations.Add("as_of_time", "must be between 0001-01-01 and 9999-12-31");
  }
  absl::Duration due_within = kDefaultDueWithin;
  if (request.has_due_within()) {
    const absl::Duration given = ToDuration(request.due_within());
    if (!IsValidDuration(request.due_within()) ||
        given < absl::ZeroDuration() || given > kMaxDueWithin) {
      violations.Add("due_within", "must be between 0 and 90 days");
    } else {
      due_within = given;
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());

  // Without an explicit as_of_time, "now" is the first page's: the token
  // carries it, so later pages continue the same list.
  const std::string filter_key =
      PageTokenFilter("ListDueFollowUps",
                      {caller.tenant, assignee,
                       request.has_as_of_time()
                           ? absl::StrCat(TimestampMicros(request.as_of_time()))
                           : "",
                       absl::StrCat(absl::ToInt64Microseconds(due_within))});
  int64_t as_of_us = request.has_as_of_time()
                         ? TimestampMicros(request.as_of_time())
                         : ToMicros(deps_.clock->Now());
  std::optional<FollowUpCursor> after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> parts,
                     DecodePageToken(request.page_token(), filter_key));
    if (parts.size() != 3) {
      return InvalidFieldError("page_token", "not a token this list issued");
    }
    ASSIGN_OR_RETURN(as_of_us, PageTokenInt(parts[0]));
    ASSIGN_OR_RETURN(int64_t due_us, PageTokenInt(parts[1]));
    after = FollowUpCursor{due_us, parts[2]};
  }
  const int64_t due_until_us = as_of_us + absl::ToInt64Microseconds(due_within);

  std::vector<v1::FollowUp> rows;
  int64_t overdue_count = 0;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(rows, deps_.follow_ups->ListDue(txn, caller.tenant,
                                                         assignee, due_until_us,
                                                         after, page_size + 1));
        ASSIGN_OR_RETURN(overdue_count,
                         deps_.follow_ups->CountOverdue(txn, caller.tenant,
                                                        assignee, as_of_us));
        return absl::OkStatus();
      }));
  v1::ListDueFollowUpsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (v1::FollowUp& row : rows) {
    const int64_t due_us = DueMicros(row);
    v1::DueFollowUp* due = response.add_due_follow_ups();
    due->set_overdue(due_us < as_of_us);
    SetDuration(due_us < as_of_us ? absl::Microseconds(as_of_us - due_us)
                                  : absl::ZeroDuration(),
                due->mutable_overdue_by());
    *due->mutable_follow_up() = std::move(row);
  }
  response.set_overdue_count(static_cast<int32_t>(
      std::min<int64_t>(overdue_count, std::numeric_limits<int32_t>::max())));
  if (more) {
    const v1::FollowUp& last =
        response.due_follow_ups(page_size - 1).follow_up();
    const std::string key[] = {absl::StrCat(as_of_us),
                               absl::StrCat(DueMicros(last)),
                               IdOf(last.name())};
    response.set_next_page_token(EncodePageToken(filter_key, key));
  }
  return response;
}

absl::StatusOr<v1::FollowUp> FollowUpManager::Complete(const Caller& caller,
                                                       absl::string_view name,
                                                       absl::string_view etag) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kFollowUps, "name"));
  const absl::Time now = deps_.clock->Now();
  v1::FollowUp result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::FollowUp current,
                         LoadFollowUp(txn, deps_, caller.tenant, id));
        if (current.state() == v1::FOLLOW_UP_STATE_CANCELLED) {
          return absl::FailedPreconditionError(absl::StrCat(
              current.name(),
              " is CANCELLED; set its state to OPEN before completing it"));
        }
        if (current.state() != v1::FOLLOW_UP_STATE_DONE) {
          RETURN_IF_ERROR(CheckEtag(etag, current.etag(), "etag"));
          current.set_state(v1::FOLLOW_UP_STATE_DONE);
          SetTimestamp(now, current.mutable_complete_time());
          Stamp(deps_, now, /*created=*/false, &current);
          RETURN_IF_ERROR(
              deps_.follow_ups->Update(txn, caller.tenant, id, current));
          events::v1::Event event;
          *event.mutable_follow_up_completed()->mutable_follow_up() =
              SnapshotOf(current);
          RETURN_IF_ERROR(
              AppendEvent(txn, deps_, caller, current.name(), event));
        }
        result = std::move(current);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::Status FollowUpManager::ApplyRules(sql::Transaction& txn,
                                         const Caller& caller,
                                         const ProjectedAccount& account,
                                         const v1::Interaction& recorded,
                                         const v1::FollowUpRules& rules) {
  std::optional<RuleOutcome> outcome = RuleFor(account, recorded, rules);
  if (!outcome.has_value()) return absl::OkStatus();
  const std::string interaction_id = IdOf(recorded.name());
  if (interaction_id.empty()) {
    return absl::InternalError("follow-up rules need a recorded interaction");
  }
  const std::string id = RuleFollowUpId(interaction_id);
  ASSIGN_OR_RETURN(std::optional<v1::FollowUp> existing,
                   deps_.follow_ups->Find(txn, caller.tenant, id));
  if (existing.has_value()) return absl::OkStatus();

  v1::FollowUp follow_up;
  follow_up.set_name(FollowUpName(id));
  follow_up.set_account(AccountName(account.id));
  follow_up.set_contact(recorded.contact());
  follow_up.set_title(outcome->title);
  follow_up.set_kind(outcome->kind);
  if (!recorded.staff_user().empty()) {
    follow_up.set_assignee(recorded.staff_user());
  } else if (!account.snapshot.account_manager().empty()) {
    follow_up.set_assignee(account.snapshot.account_manager());
  } else {
    follow_up.set_assignee(account.snapshot.owner());
  }
  const absl::Time due = ToTime(recorded.occur_time()) + outcome->delay;
  SetMicros(ToMicros(due), follow_up.mutable_due_time());
  if (!IsValidTimestamp(follow_up.due_time())) {
    return absl::InternalError(
        absl::StrCat("follow-up rule for ", recorded.name(),
                     " computed a due time out of range"));
  }
  follow_up.set_priority(v1::FOLLOW_UP_PRIORITY_NORMAL);
  follow_up.set_state(v1::FOLLOW_UP_STATE_OPEN);
  follow_up.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  follow_up.set_rule(outcome->rule);
  follow_up.set_source(recorded.name());
  return InsertByRule(txn, caller, id, std::move(follow_up)).status();
}

absl::StatusOr<bool> FollowUpManager::InsertByRule(sql::Transaction& txn,
                                                   const Caller& caller,
                                                   const std::string& id,
                                                   v1::FollowUp follow_up) {
  follow_up.set_name(FollowUpName(id));
  follow_up.set_state(v1::FOLLOW_UP_STATE_OPEN);
  follow_up.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  if (follow_up.priority() == v1::FOLLOW_UP_PRIORITY_UNSPECIFIED) {
    follow_up.set_priority(v1::FOLLOW_UP_PRIORITY_NORMAL);
  }
  Stamp(deps_, deps_.clock->Now(), /*created=*/true, &follow_up);
  absl::Status inserted =
      deps_.follow_ups->Insert(txn, caller.tenant, id, follow_up);
  if (absl::IsAlreadyExists(inserted)) return false;
  RETURN_IF_ERROR(inserted);
  events::v1::Event event;
  *event.mutable_follow_up_created()->mutable_follow_up() =
      SnapshotOf(follow_up);
  RETURN_IF_ERROR(
      AppendEvent(txn, deps_, caller, follow_up.name(), std::move(event)));
  return true;
}

}  // namespace clientele::engagement

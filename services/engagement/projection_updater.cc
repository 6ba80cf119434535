#include "services/engagement/projection_updater.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/idempotency.h"
#include "common/status_macros.h"
#include "common/write_pipeline.h"
#include "services/engagement/interaction_rules.h"

namespace clientele::engagement {
namespace {

v1::ScoreChangeCause Cause(v1::ScoreChangeCauseKind kind,
                           const events::v1::Event& event,
                           absl::string_view resource,
                           absl::string_view description) {
  v1::ScoreChangeCause cause;
  cause.set_kind(kind);
  cause.set_resource(std::string(resource));
  cause.set_event_id(event.event_id());
  *cause.mutable_occur_time() = event.occurred_at();
  cause.set_description(std::string(description));
  return cause;
}

}  // namespace

void ProjectionUpdater::InvalidateAfterCommit(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view account_id) {
  txn.AfterCommit(
      [cache = cache_, tenant = std::string(tenant),
       id = std::string(account_id)] { cache->Invalidate(tenant, {id}); });
}

absl::Status ProjectionUpdater::Apply(sql::Transaction& txn,
                                      const events::StreamEvent& stream_event) {
  events::v1::Event event;
  if (!event.ParseFromString(stream_event.payload)) {
    return absl::DataLossError(
        absl::StrCat("event ", stream_event.event_id, " does not parse"));
  }
  return ApplyEvent(txn, stream_event.tenant, event);
}

absl::Status ProjectionUpdater::ForgetAccount(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view account_id) {
  for (AccountDataPart* part : parts_) {
    RETURN_IF_ERROR(part->EraseAccount(txn, tenant, account_id));
  }
  RETURN_IF_ERROR(deps_.interactions->DeleteAccount(txn, tenant, account_id));
  RETURN_IF_ERROR(deps_.scores->DeleteAccount(txn, tenant, account_id));
  RETURN_IF_ERROR(
      deps_.follow_ups->DeleteByAccount(txn, tenant, account_id).status());
  RETURN_IF_ERROR(deps_.projection->SetState(txn, tenant, account_id,
                                             ProjectedState::kGone, ""));
  // The snapshot held the account's name and terms: gone too.
  RETURN_IF_ERROR(deps_.projection->PutSnapshot(txn, tenant, account_id,
                                                events::v1::AccountSnapshot()));
  RETURN_IF_ERROR(deps_.projection->PutTotals(txn, tenant, account_id,
                                              absl::InfinitePast(), 0, ""));
  const std::string name = absl::StrCat("accounts/", account_id);
  RETURN_IF_ERROR(
      ForgetResponsesMentioning(txn, tenant, {name}, deps_.clock->Now()));
  txn.AfterCommit(
      [cache = cache_, tenant = std::string(tenant),
       id = std::string(account_id)] { cache->Forget(tenant, id); });
  return absl::OkStatus();
}

absl::Status ProjectionUpdater::ApplyEvent(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kAccountCreated:
    case events::v1::Event::kAccountUpdated: {
      const events::v1::AccountSnapshot& snapshot =
          event.has_account_created() ? event.account_created().account()
                                      : event.account_updated().account();
      const std::string id = IdOf(snapshot.name());
      ASSIGN_OR_RETURN(std::optional<ProjectedAccount> known,
                       deps_.projection->Find(txn, tenant, id));
      if (known.has_value() && known->state == ProjectedState::kGone) {
        return absl::OkStatus();  // a late update of a deleted account
      }
      RETURN_IF_ERROR(deps_.projection->PutSnapshot(txn, tenant, id, snapshot));
      RETURN_IF_ERROR(deps_.scores->MarkDirty(
          txn, tenant, id,
          {Cause(v1::SCORE_CHANGE_CAUSE_KIND_ACCOUNT_CHANGED, event,
                 snapshot.name(),
                 event.has_account_created() ? "account created"
                                             : "account updated")}));
      InvalidateAfterCommit(txn, tenant, id);
      return absl::OkStatus();
    }
    case events::v1::Event::kAccountDeleted:
      return ForgetAccount(txn, tenant,
                           IdOf(event.account_deleted().account()));
    case events::v1::Event::kAccountsMerged: {
      const auto& merged = event.accounts_merged();
      const std::string from = IdOf(merged.merged());
      const std::string to = IdOf(merged.survivor());
      RETURN_IF_ERROR(deps_.projection->PutSnapshot(txn, tenant, to,
                                                    merged.survivor_account()));
      ASSIGN_OR_RETURN(std::optional<ProjectedAccount> survivor,
                       deps_.projection->Find(txn, tenant, to));
      ASSIGN_OR_RETURN(std::optional<ProjectedAccount> away,
                       deps_.projection->Find(txn, tenant, from));
      std::string currency = survivor->currency;
      if (currency.empty() && away.has_value()) currency = away->currency;
      RETURN_IF_ERROR(
          deps_.interactions->MoveAccount(txn, tenant, from, to, currency));
      RETURN_IF_ERROR(
          deps_.follow_ups->MoveAccount(txn, tenant, from, to).status());
      for (AccountDataPart* part : parts_) {
        RETURN_IF_ERROR(part->MoveAccount(txn, tenant, from, to));
      }
      RETURN_IF_ERROR(deps_.scores->DeleteAccount(txn, tenant, from));
      ASSIGN_OR_RETURN(auto totals,
                       deps_.interactions->Totals(txn, tenant, to));
      RETURN_IF_ERROR(deps_.projection->PutTotals(txn, tenant, to, totals.first,
                                                  totals.second, currency));
      RETURN_IF_ERROR(deps_.projection->SetState(txn, tenant, from,
                                                 ProjectedState::kMerged, to));
      RETURN_IF_ERROR(deps_.scores->MarkDirty(
          txn, tenant, to,
          {Cause(v1::SCORE_CHANGE_CAUSE_KIND_ACCOUNTS_MERGED, event,
                 merged.merged(),
                 absl::StrCat(merged.merged(), " merged into ",
                              merged.survivor()))}));
      txn.AfterCommit([cache = cache_, tenant = std::string(tenant), from] {
        cache->Forget(tenant, from);
      });
      InvalidateAfterCommit(txn, tenant, to);
      return absl::OkStatus();
    }
    case events::v1::Event::kDataSubjectErased: {
      const auto& erased = event.data_subject_erased();
      // What is deleted below leaves no earlier page images in the
      // database's log either (docs/architecture.md).
      PurgeDeletedDataAfterCommit(txn, deps_.database);
      if (!erased.erased_account().empty()) {
        RETURN_IF_ERROR(
            ForgetAccount(txn, tenant, IdOf(erased.erased_account())));
      }
      std::vector<std::string> names;
      for (const std::string& contact : erased.erased_contacts()) {
        names.push_back(contact);
        ASSIGN_OR_RETURN(
            std::vector<std::string> touched,
            deps_.interactions->ForgetContact(txn, tenant, IdOf(contact)));
        RETURN_IF_ERROR(
            deps_.follow_ups->ClearContact(txn, tenant, IdOf(contact))
                .status());
        for (AccountDataPart* part : parts_) {
          RETURN_IF_ERROR(part->EraseContact(txn, tenant, IdOf(contact)));
        }
        for (const std::string& account_id : touched) {
          RETURN_IF_ERROR(deps_.projection->Touch(txn, tenant, account_id));
          RETURN_IF_ERROR(deps_.scores->MarkDirty(
              txn, tenant, account_id,
              {Cause(v1::SCORE_CHANGE_CAUSE_KIND_ACCOUNT_CHANGED, event,
                     absl::StrCat("accounts/", account_id),
                     "a contact's personal data was erased")}));
          InvalidateAfterCommit(txn, tenant, account_id);
        }
      }
      if (!names.empty()) {
        RETURN_IF_ERROR(
            ForgetResponsesMentioning(txn, tenant, names, deps_.clock->Now()));
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace clientele::engagement

#include "services/ticketing/projection_updater.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/caller.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/csat_manager.h"
#include "services/ticketing/data_subject_manager.h"
#include "services/ticketing/sla_store.h"
#include "services/ticketing/ticket_manager.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

// The payload types this updater applies (StreamEvent::type); every other
// entry of either stream is acknowledged without being parsed.
bool Handled(absl::string_view type) {
  static constexpr absl::string_view kTypes[] = {
      "clientele.events.v1.AccountCreated",
      "clientele.events.v1.AccountUpdated",
      "clientele.events.v1.AccountDeleted",
      "clientele.events.v1.AccountsMerged",
      "clientele.events.v1.ContactCreated",
      "clientele.events.v1.ContactUpdated",
      "clientele.events.v1.ContactDeleted",
      "clientele.events.v1.ContactsMerged",
      "clientele.events.v1.DataSubjectErased",
      "clientele.events.v1.RelationshipScoreChanged",
  };
  for (absl::string_view handled : kTypes) {
    if (type == handled) return true;
  }
  return false;
}

// What tickets read of an account.
struct Seen {
  type::v1::AccountTier tier;
  type::v1::RelationshipMode mode;
  std::string account_manager;
  bool operator==(const Seen& other) const {
    return tier == other.tier && mode == other.mode &&
           account_manager == other.account_manager;
  }
};

Seen SeenOf(const AccountRow& row) {
  return {row.tier, row.EffectiveMode(), row.account_manager};
}

// Whether `changed_fields` names a path under `field` ("emails",
// "emails[0].address", "emails.address").
bool Names(
    const google::protobuf::RepeatedPtrField<std::string>& changed_fields,
    absl::string_view field) {
  for (const std::string& path : changed_fields) {
    if (path == field || absl::StartsWith(path, absl::StrCat(field, ".")) ||
        absl::StartsWith(path, absl::StrCat(field, "["))) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status ProjectionUpdater::Apply(sql::Transaction& txn,
                                      const events::StreamEvent& stream_event) {
  if (!stream_event.type.empty() && !Handled(stream_event.type)) {
    return absl::OkStatus();
  }
  events::v1::Event event;
  if (!event.ParseFromString(stream_event.payload)) {
    return absl::DataLossError(
        absl::StrCat("event ", stream_event.event_id, " does not parse"));
  }
  return ApplyEvent(txn, stream_event.tenant, event);
}

absl::Status ProjectionUpdater::AccountChanged(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               const events::v1::Event& event,
                                               absl::string_view account_id) {
  Caller caller;
  caller.tenant = std::string(tenant);
  caller.actor = std::string(kSystemActor);
  caller.trace_id = event.event_id();
  return tickets_->OnAccountChanged(txn, caller, account_id);
}

absl::Status ProjectionUpdater::PutSnapshot(
    sql::Transaction& txn, absl::string_view tenant,
    const events::v1::Event& event, const events::v1::AccountSnapshot& snapshot,
    bool* changed) {
  *changed = false;
  const std::string id = IdOf(snapshot.name());
  if (id.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<AccountRow> known,
                   deps_.projection->GetAccount(txn, tenant, id));
  // The snapshot's own time orders it; the event's stands in when unset.
  absl::Time time = absl::UnixEpoch();
  if (snapshot.has_update_time()) {
    time = ToTime(snapshot.update_time());
  } else if (event.has_occurred_at()) {
    time = ToTime(event.occurred_at());
  }
  AccountRow row;
  row.account_id = id;
  if (known.has_value()) {
    // A late update of an account deleted or merged since changes nothing.
    if (known->state != AccountState::kActive) return absl::OkStatus();
    if (time < known->snapshot_time) return absl::OkStatus();
    row = *known;
  }
  const Seen before = SeenOf(row);
  row.tier = snapshot.tier();
  row.declared_mode = snapshot.declared_mode();
  row.account_manager = snapshot.account_manager();
  row.snapshot_time = time;
  RETURN_IF_ERROR(deps_.projection->PutAccount(txn, tenant, row));
  *changed = !(SeenOf(row) == before);
  return absl::OkStatus();
}

absl::Status ProjectionUpdater::ApplyEvent(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           const events::v1::Event& event) {
  ProjectionStore& projection = *deps_.projection;
  switch (event.payload_case()) {
    case events::v1::Event::kAccountCreated:
    case events::v1::Event::kAccountUpdated: {
      const events::v1::AccountSnapshot& snapshot =
          event.has_account_created() ? event.account_created().account()
                                      : event.account_updated().account();
      bool changed = false;
      RETURN_IF_ERROR(PutSnapshot(txn, tenant, event, snapshot, &changed));
      if (changed) {
        RETURN_IF_ERROR(
            AccountChanged(txn, tenant, event, IdOf(snapshot.name())));
      }
      return absl::OkStatus();
    }
    case events::v1::Event::kRelationshipScoreChanged: {
      const auto& scored = event.relationship_score_changed();
      const std::string id = IdOf(scored.account());
      if (id.empty()) return absl::OkStatus();
      ASSIGN_OR_RETURN(std::optional<AccountRow> known,
                       projection.GetAccount(txn, tenant, id));
      // Unknown to contacts' events so far: kept as a placeholder, which
      // FindAccount does not answer for until contacts describes it.
      AccountRow row;
      row.account_id = id;
      if (known.has_value()) row = *known;
      if (known.has_value() && row.inferred_mode == scored.new_mode()) {
        return absl::OkStatus();
      }
      const Seen before = SeenOf(row);
      row.inferred_mode = scored.new_mode();
      RETURN_IF_ERROR(projection.PutAccount(txn, tenant, row));
      if (row.state == AccountState::kActive &&
          row.snapshot_time != absl::InfinitePast() &&
          !(SeenOf(row) == before)) {
        RETURN_IF_ERROR(AccountChanged(txn, tenant, event, id));
      }
      return absl::OkStatus();
    }
    case events::v1::Event::kAccountDeleted: {
      const auto& deleted = event.account_deleted();
      const std::string id = IdOf(deleted.account());
      if (id.empty()) return absl::OkStatus();
      ASSIGN_OR_RETURN(std::optional<AccountRow> known,
                       projection.GetAccount(txn, tenant, id));
      AccountRow row;
      row.account_id = id;
      if (known.has_value()) row = *known;
      row.state = AccountState::kDeleted;
      row.merged_into.clear();
      RETURN_IF_ERROR(projection.PutAccount(txn, tenant, row));
      ASSIGN_OR_RETURN(std::vector<std::string> contacts,
                       projection.ContactsOfAccount(txn, tenant, id));
      for (const std::string& contact : deleted.deleted_contacts()) {
        contacts.push_back(IdOf(contact));
      }
      for (const std::string& contact : contacts) {
        RETURN_IF_ERROR(projection.DeleteContact(txn, tenant, contact));
        RETURN_IF_ERROR(
            projection.DeleteEmailsOfContact(txn, tenant, contact).status());
      }
      return projection.DeleteEmailsOfAccount(txn, tenant, id).status();
    }
    case events::v1::Event::kAccountsMerged: {
      const auto& merged = event.accounts_merged();
      const std::string from = IdOf(merged.merged());
      const std::string to = IdOf(merged.survivor());
      if (from.empty() || to.empty() || from == to) return absl::OkStatus();
      bool changed = false;
      if (merged.has_survivor_account()) {
        RETURN_IF_ERROR(PutSnapshot(txn, tenant, event,
                                    merged.survivor_account(), &changed));
      }
      ASSIGN_OR_RETURN(std::optional<AccountRow> known,
                       projection.GetAccount(txn, tenant, from));
      AccountRow row;
      row.account_id = from;
      if (known.has_value()) row = *known;
      row.state = AccountState::kMerged;
      row.merged_into = to;
      RETURN_IF_ERROR(projection.PutAccount(txn, tenant, row));
      RETURN_IF_ERROR(projection.MoveContacts(txn, tenant, from, to));
      RETURN_IF_ERROR(deps_.tickets->MoveAccount(txn, tenant, from, to));
      // Alerts filter by account, historic breaches included.
      RETURN_IF_ERROR(deps_.sla->MoveAccount(txn, tenant, from, to));
      RETURN_IF_ERROR(csat_->OnAccountsMerged(txn, tenant, from, to));
      // The moved tickets now take the survivor's tier and mode.
      return AccountChanged(txn, tenant, event, to);
    }
    case events::v1::Event::kContactCreated:
    case events::v1::Event::kContactUpdated: {
      const events::v1::ContactSnapshot& snapshot =
          event.has_contact_created() ? event.contact_created().contact()
                                      : event.contact_updated().contact();
      const std::string id = IdOf(snapshot.name());
      if (id.empty()) return absl::OkStatus();
      if (event.has_contact_updated()) {
        const auto& fields = event.contact_updated().changed_fields();
        // Intake learned an email of this contact and its account: either
        // may be wrong now.
        if (Names(fields, "emails") || Names(fields, "account") ||
            !event.contact_updated().previous_account().empty()) {
          RETURN_IF_ERROR(
              projection.DeleteEmailsOfContact(txn, tenant, id).status());
        }
      }
      return projection.PutContact(txn, tenant, id, IdOf(snapshot.account()));
    }
    case events::v1::Event::kContactDeleted: {
      const std::string id = IdOf(event.contact_deleted().contact());
      if (id.empty()) return absl::OkStatus();
      RETURN_IF_ERROR(projection.DeleteContact(txn, tenant, id));
      return projection.DeleteEmailsOfContact(txn, tenant, id).status();
    }
    case events::v1::Event::kContactsMerged: {
      const auto& merged = event.contacts_merged();
      const std::string from = IdOf(merged.merged());
      const std::string to = IdOf(merged.survivor());
      if (from.empty() || to.empty() || from == to) return absl::OkStatus();
      std::string to_account = IdOf(merged.survivor_contact().account());
      if (to_account.empty()) {
        ASSIGN_OR_RETURN(std::optional<std::string> account,
                         projection.AccountOfContact(txn, tenant, to));
        if (account.has_value()) to_account = *account;
      }
      ASSIGN_OR_RETURN(std::optional<std::string> from_account,
                       projection.AccountOfContact(txn, tenant, from));
      RETURN_IF_ERROR(
          deps_.tickets->MoveRequester(txn, tenant, from, to, to_account));
      RETURN_IF_ERROR(csat_->OnContactsMerged(txn, tenant, from, to));
      RETURN_IF_ERROR(projection.DeleteContact(txn, tenant, from));
      RETURN_IF_ERROR(
          projection.DeleteEmailsOfContact(txn, tenant, from).status());
      if (!to_account.empty()) {
        RETURN_IF_ERROR(projection.PutContact(txn, tenant, to, to_account));
        // Tickets that changed account take the survivor account's SLA.
        if (from_account.value_or("") != to_account) {
          RETURN_IF_ERROR(AccountChanged(txn, tenant, event, to_account));
        }
      }
      return absl::OkStatus();
    }
    case events::v1::Event::kDataSubjectErased:
      return data_subjects_->ApplyErasure(txn, tenant,
                                          event.data_subject_erased());
    default:
      return absl::OkStatus();
  }
}

}  // namespace clientele::ticketing

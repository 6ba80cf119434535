#include "services/contacts/contact_manager.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"
#include "services/contacts/snapshots.h"

namespace clientele::contacts {
namespace {

absl::Status EmailTaken(absl::string_view prefix, int index,
                        absl::string_view holder_id) {
  return AlreadyExistsResourceError(
      kContactType, ContactName(holder_id),
      absl::StrCat(prefix, "emails[", index,
                   "].address already belongs to another contact"));
}

}  // namespace

absl::StatusOr<v1::Contact> ContactManager::Create(const Caller& caller,
                                                   v1::Contact contact) {
  const absl::Time now = deps_.clock->Now();
  FieldViolations violations;
  CheckContact(&contact, "contact.", now, /*require_account=*/true,
               &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const ContactKeys keys = KeysOf(contact);
  const std::string asked_account = contact.account();
  contact.set_name(ContactName(deps_.ids->NewId()));
  StampContact(deps_, now, /*created=*/true, &contact);

  v1::Contact result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(std::string account_id,
                         ResolveAccountId(txn, deps_, caller.tenant,
                                          IdOf(asked_account), asked_account));
        contact.set_account(AccountName(account_id));
        ASSIGN_OR_RETURN(
            std::optional<EmailConflict> conflict,
            FindEmailConflict(txn, deps_, caller.tenant, keys, ""));
        if (conflict.has_value()) {
          return EmailTaken("contact.", conflict->index, conflict->holder_id);
        }
        RETURN_IF_ERROR(InsertContact(txn, deps_, caller, contact, keys));
        result = contact;
        write.Mentions(contact.name());
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Contact> ContactManager::Get(const Caller& caller,
                                                absl::string_view name,
                                                absl::string_view field) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kContacts, field));
  v1::Contact contact;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(contact,
                         LoadContact(txn, deps_, caller.tenant, id, name));
        return absl::OkStatus();
      }));
  return contact;
}

absl::StatusOr<v1::Contact> ContactManager::Update(
    const Caller& caller, const v1::Contact& contact,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(contact.name(), kContacts,
                                                     "contact.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, ContactUpdatablePaths(),
                                     ContactOutputOnlyPaths()));
  const absl::Time now = deps_.clock->Now();
  v1::Contact result;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contact current, LoadContact(txn, deps_, caller.tenant,
                                                      id, contact.name()));
    RETURN_IF_ERROR(CheckEtag(contact.etag(), current.etag(), "contact.etag"));
    v1::Contact updated = current;
    CopyFieldPaths(contact, paths, &updated);
    FieldViolations violations;
    CheckContact(&updated, "contact.", now, /*require_account=*/true,
                 &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (updated.account() != current.account()) {
      ASSIGN_OR_RETURN(
          std::string account_id,
          ResolveAccountId(txn, deps_, caller.tenant, IdOf(updated.account()),
                           updated.account()));
      updated.set_account(AccountName(account_id));
    }
    std::vector<std::string> fields = ChangedContactFields(current, updated);
    if (fields.empty()) {
      result = std::move(current);
      return absl::OkStatus();
    }
    const ContactKeys keys = KeysOf(updated);
    const std::string self_id = IdOf(current.name());
    ASSIGN_OR_RETURN(
        std::optional<EmailConflict> conflict,
        FindEmailConflict(txn, deps_, caller.tenant, keys, self_id));
    if (conflict.has_value()) {
      return EmailTaken("contact.", conflict->index, conflict->holder_id);
    }
    StampContact(deps_, now, /*created=*/false, &updated);
    RETURN_IF_ERROR(deps_.contacts->Update(
        txn, caller.tenant, self_id, IdOf(updated.account()), updated, keys));
    events::v1::Event event;
    auto* payload = event.mutable_contact_updated();
    *payload->mutable_contact() = ContactSnapshotOf(updated);
    for (std::string& field : fields) payload->add_changed_fields(field);
    if (updated.account() != current.account()) {
      payload->set_previous_account(current.account());
    }
    RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, updated.name(), event));
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::string> ContactManager::Delete(const Caller& caller,
                                                   absl::string_view name,
                                                   absl::string_view etag) {
  ASSIGN_OR_RETURN(std::string asked_id,
                   ParseResourceName(name, kContacts, "name"));
  std::string deleted;
  RETURN_IF_ERROR(
      deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            v1::Contact current,
            LoadContact(txn, deps_, caller.tenant, asked_id, name));
        RETURN_IF_ERROR(CheckEtag(etag, current.etag()));
        const std::string id = IdOf(current.name());
        RETURN_IF_ERROR(deps_.contacts->Delete(txn, caller.tenant, id));
        RETURN_IF_ERROR(
            deps_.merges->RemoveAliasesTo(txn, caller.tenant, kContacts, id)
                .status());
        events::v1::Event event;
        event.mutable_contact_deleted()->set_contact(current.name());
        event.mutable_contact_deleted()->set_account(current.account());
        deleted = current.name();
        return AppendEvent(txn, deps_, caller, current.name(), event);
      }));
  return deleted;
}

absl::StatusOr<v1::ListContactsResponse> ContactManager::List(
    const Caller& caller, const v1::ListContactsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  if (!v1::ContactRole_IsValid(request.role())) {
    violations.Add("role", absl::StrCat("unknown value ", request.role()));
  }
  if (!v1::ConsentState_IsValid(request.consent_state())) {
    violations.Add("consent_state",
                   absl::StrCat("unknown value ", request.consent_state()));
  }
  std::string account_id;
  if (!request.account().empty()) {
    auto id = ParseResourceName(request.account(), kAccounts, "account");
    if (id.ok()) {
      account_id = *std::move(id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string filter_key = absl::StrCat(
      "ListContacts|", caller.tenant.size(), ":", caller.tenant, "|",
      account_id, "|", request.role(), "|", request.consent_state());
  ASSIGN_OR_RETURN(int64_t after,
                   DecodeIntPageToken(request.page_token(), filter_key, 0));

  std::vector<ListedContact> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ContactFilter filter;
        filter.role = request.role();
        filter.consent_state = request.consent_state();
        if (!account_id.empty()) {
          // A merged-away account lists the survivor's contacts.
          ASSIGN_OR_RETURN(filter.account_id,
                           ResolveAccountId(txn, deps_, caller.tenant,
                                            account_id, request.account()));
        }
        ASSIGN_OR_RETURN(rows, deps_.contacts->List(txn, caller.tenant, filter,
                                                    after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListContactsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (ListedContact& row : rows) {
    *response.add_contacts() = std::move(row.contact);
  }
  if (more) {
    response.set_next_page_token(
        EncodeIntPageToken(filter_key, rows.back().seq));
  }
  return response;
}

}  // namespace clientele::contacts

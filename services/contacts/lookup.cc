#include "services/contacts/lookup.h"

#include <utility>

#include "common/errors.h"
#include "common/status_macros.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/names.h"
#include "services/contacts/snapshots.h"

namespace clientele::contacts {

absl::StatusOr<v1::Account> LoadAccount(sql::Transaction& txn,
                                        const ContactsDeps& deps,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view asked_name) {
  ASSIGN_OR_RETURN(std::optional<v1::Account> account,
                   deps.accounts->Find(txn, tenant, id));
  if (account.has_value()) return *std::move(account);
  ASSIGN_OR_RETURN(std::optional<std::string> survivor,
                   deps.merges->FindSurvivor(txn, tenant, kAccounts, id));
  if (survivor.has_value()) {
    ASSIGN_OR_RETURN(account, deps.accounts->Find(txn, tenant, *survivor));
    if (account.has_value()) return *std::move(account);
  }
  return NotFoundResourceError(kAccountType, asked_name);
}

absl::StatusOr<v1::Contact> LoadContact(sql::Transaction& txn,
                                        const ContactsDeps& deps,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view asked_name) {
  ASSIGN_OR_RETURN(std::optional<v1::Contact> contact,
                   deps.contacts->Find(txn, tenant, id));
  if (contact.has_value()) return *std::move(contact);
  ASSIGN_OR_RETURN(std::optional<std::string> survivor,
                   deps.merges->FindSurvivor(txn, tenant, kContacts, id));
  if (survivor.has_value()) {
    ASSIGN_OR_RETURN(contact, deps.contacts->Find(txn, tenant, *survivor));
    if (contact.has_value()) return *std::move(contact);
  }
  return NotFoundResourceError(kContactType, asked_name);
}

absl::StatusOr<std::string> ResolveAccountId(sql::Transaction& txn,
                                             const ContactsDeps& deps,
                                             absl::string_view tenant,
                                             absl::string_view id,
                                             absl::string_view asked_name) {
  ASSIGN_OR_RETURN(v1::Account account,
                   LoadAccount(txn, deps, tenant, id, asked_name));
  return IdOf(account.name());
}

void StampAccount(const ContactsDeps& deps, absl::Time now, bool created,
                  v1::Account* account) {
  if (created) SetTimestamp(now, account->mutable_create_time());
  SetTimestamp(now, account->mutable_update_time());
  account->set_etag(deps.ids->NewId());
}

void StampContact(const ContactsDeps& deps, absl::Time now, bool created,
                  v1::Contact* contact) {
  if (created) SetTimestamp(now, contact->mutable_create_time());
  SetTimestamp(now, contact->mutable_update_time());
  contact->set_etag(deps.ids->NewId());
}

absl::StatusOr<std::optional<EmailConflict>> FindEmailConflict(
    sql::Transaction& txn, const ContactsDeps& deps, absl::string_view tenant,
    const ContactKeys& keys, absl::string_view self_id) {
  for (size_t i = 0; i < keys.email_keys.size(); ++i) {
    ASSIGN_OR_RETURN(
        std::optional<std::string> holder,
        deps.contacts->FindEmailOwner(txn, tenant, keys.email_keys[i]));
    if (holder.has_value() && *holder != self_id) {
      return EmailConflict{static_cast<int>(i), *std::move(holder)};
    }
  }
  return std::nullopt;
}

absl::Status InsertAccount(sql::Transaction& txn, const ContactsDeps& deps,
                           const Caller& caller, const v1::Account& account) {
  RETURN_IF_ERROR(
      deps.accounts->Insert(txn, caller.tenant, IdOf(account.name()), account));
  events::v1::Event event;
  *event.mutable_account_created()->mutable_account() =
      AccountSnapshotOf(account);
  return AppendEvent(txn, deps, caller, account.name(), std::move(event));
}

absl::Status InsertContact(sql::Transaction& txn, const ContactsDeps& deps,
                           const Caller& caller, const v1::Contact& contact,
                           const ContactKeys& keys) {
  RETURN_IF_ERROR(
      deps.contacts->Insert(txn, caller.tenant, IdOf(contact.name()),
                            IdOf(contact.account()), contact, keys));
  events::v1::Event event;
  *event.mutable_contact_created()->mutable_contact() =
      ContactSnapshotOf(contact);
  return AppendEvent(txn, deps, caller, contact.name(), std::move(event));
}

absl::Status AppendEvent(sql::Transaction& txn, const ContactsDeps& deps,
                         const Caller& caller, absl::string_view subject,
                         events::v1::Event event) {
  event.set_request_id(caller.trace_id);
  event.set_actor(caller.actor);
  return deps.events->Append(txn, caller.tenant, subject, std::move(event));
}

}  // namespace clientele::contacts

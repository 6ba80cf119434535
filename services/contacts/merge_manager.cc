#include "services/contacts/merge_manager.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/contacts/account_rules.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"
#include "services/contacts/snapshots.h"
#include "services/contacts/text.h"

namespace clientele::contacts {
namespace {

// The paths of take_from_merged: any of `allowed`, each once; empty is fine.
absl::StatusOr<std::vector<std::string>> TakenPaths(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> allowed) {
  if (mask.paths_size() == 0) return std::vector<std::string>();
  constexpr absl::string_view kNone[] = {"name", "create_time", "update_time",
                                         "etag"};
  return ResolveUpdateMask(mask, allowed, kNone, "take_from_merged");
}

// Both sides were valid, so only the chosen mix can be invalid (a contract
// end taken from one side before the other's start): blame the mask.
absl::Status ResultCheck(const FieldViolations& checks) {
  if (checks.empty()) return absl::OkStatus();
  return InvalidFieldError("take_from_merged",
                           absl::StrCat("the merged result would be invalid: ",
                                        checks.ToStatus().message()));
}

bool GreetingEquals(const v1::GreetingDate& a, const v1::GreetingDate& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

v1::MergeRecord NewRecord(const ContactsDeps& deps, const Caller& caller,
                          absl::Time now, v1::MergeKind kind,
                          const std::string& survivor,
                          const std::string& merged,
                          const std::vector<std::string>& taken) {
  v1::MergeRecord record;
  record.set_name(MergeRecordName(deps.ids->NewId()));
  record.set_kind(kind);
  record.set_survivor(survivor);
  record.set_merged(merged);
  for (const std::string& path : taken) record.add_taken_fields(path);
  record.set_actor(caller.actor);
  SetTimestamp(now, record.mutable_merge_time());
  return record;
}

}  // namespace

absl::StatusOr<v1::MergeAccountsResponse> MergeManager::MergeAccounts(
    const Caller& caller, const v1::MergeAccountsRequest& request) {
  FieldViolations violations;
  auto survivor_id =
      ParseResourceName(request.survivor(), kAccounts, "survivor");
  auto merged_id = ParseResourceName(request.merged(), kAccounts, "merged");
  if (!survivor_id.ok()) {
    violations.Add("survivor", "must be \"accounts/{account}\"");
  }
  if (!merged_id.ok()) {
    violations.Add("merged", "must be \"accounts/{account}\"");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(
      std::vector<std::string> taken,
      TakenPaths(request.take_from_merged(), AccountUpdatablePaths()));
  const absl::Time now = deps_.clock->Now();
  v1::MergeAccountsResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::Account survivor,
                         LoadAccount(txn, deps_, caller.tenant, *survivor_id,
                                     request.survivor()));
        ASSIGN_OR_RETURN(v1::Account merged,
                         LoadAccount(txn, deps_, caller.tenant, *merged_id,
                                     request.merged()));
        if (survivor.name() == merged.name()) {
          return InvalidFieldError("merged", "is the same account as survivor");
        }
        RETURN_IF_ERROR(CheckEtag(request.survivor_etag(), survivor.etag(),
                                  "survivor_etag"));
        v1::Account result = survivor;
        CopyFieldPaths(merged, taken, &result);
        // Tags, declared needs and greeting dates are always united.
        absl::flat_hash_set<std::string> tags(result.tags().begin(),
                                              result.tags().end());
        for (const std::string& tag : merged.tags()) {
          if (tags.insert(tag).second) result.add_tags(tag);
        }
        absl::flat_hash_set<std::string> needs(result.declared_needs().begin(),
                                               result.declared_needs().end());
        for (const std::string& need : merged.declared_needs()) {
          if (needs.insert(need).second) {
            result.add_declared_needs(need);
          }
        }
        for (const v1::GreetingDate& greeting : merged.greeting_dates()) {
          bool present = false;
          for (const v1::GreetingDate& have : result.greeting_dates()) {
            present = present || GreetingEquals(have, greeting);
          }
          if (!present) *result.add_greeting_dates() = greeting;
        }
        if (result.tags_size() > kMaxTags ||
            result.declared_needs_size() > kMaxDeclaredNeeds ||
            result.greeting_dates_size() > kMaxGreetingDates) {
          return absl::FailedPreconditionError(
              "the united tags, declared needs or greeting dates exceed their "
              "limits; remove some from either account first");
        }
        FieldViolations checks;
        CheckAccount(&result, "", now, &checks);
        RETURN_IF_ERROR(ResultCheck(checks));
        StampAccount(deps_, now, /*created=*/false, &result);

        const std::string survivor_key = IdOf(survivor.name());
        const std::string merged_key = IdOf(merged.name());
        ASSIGN_OR_RETURN(
            std::vector<std::string> moved,
            deps_.contacts->IdsOfAccount(txn, caller.tenant, merged_key));
        v1::MergeRecord record =
            NewRecord(deps_, caller, now, v1::MERGE_KIND_ACCOUNT,
                      survivor.name(), merged.name(), taken);
        for (const std::string& contact_id : moved) {
          ASSIGN_OR_RETURN(
              std::optional<v1::Contact> contact,
              deps_.contacts->Find(txn, caller.tenant, contact_id));
          if (!contact.has_value()) continue;
          contact->set_account(survivor.name());
          StampContact(deps_, now, /*created=*/false, &*contact);
          RETURN_IF_ERROR(deps_.contacts->Update(txn, caller.tenant, contact_id,
                                                 survivor_key, *contact,
                                                 KeysOf(*contact)));
          record.add_moved_contacts(contact->name());
        }
        RETURN_IF_ERROR(
            deps_.accounts->Update(txn, caller.tenant, survivor_key, result));
        RETURN_IF_ERROR(deps_.accounts->Delete(txn, caller.tenant, merged_key));
        RETURN_IF_ERROR(deps_.merges->AddAlias(txn, caller.tenant, kAccounts,
                                               merged_key, survivor_key));
        RETURN_IF_ERROR(deps_.merges->InsertRecord(txn, caller.tenant, record));

        events::v1::Event event;
        auto* payload = event.mutable_accounts_merged();
        payload->set_survivor(survivor.name());
        payload->set_merged(merged.name());
        *payload->mutable_survivor_account() = AccountSnapshotOf(result);
        *payload->mutable_moved_contacts() = record.moved_contacts();
        payload->set_merge_record(record.name());
        RETURN_IF_ERROR(
            AppendEvent(txn, deps_, caller, survivor.name(), event));

        *response.mutable_account() = std::move(result);
        *response.mutable_merge_record() = std::move(record);
        write.Mentions(survivor.name());
        write.Mentions(merged.name());
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::MergeContactsResponse> MergeManager::MergeContacts(
    const Caller& caller, const v1::MergeContactsRequest& request) {
  FieldViolations violations;
  auto survivor_id =
      ParseResourceName(request.survivor(), kContacts, "survivor");
  auto merged_id = ParseResourceName(request.merged(), kContacts, "merged");
  if (!survivor_id.ok()) {
    violations.Add("survivor", "must be \"contacts/{contact}\"");
  }
  if (!merged_id.ok()) {
    violations.Add("merged", "must be \"contacts/{contact}\"");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(
      std::vector<std::string> taken,
      TakenPaths(request.take_from_merged(), ContactMergeablePaths()));
  const absl::Time now = deps_.clock->Now();
  v1::MergeContactsResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::Contact survivor,
                         LoadContact(txn, deps_, caller.tenant, *survivor_id,
                                     request.survivor()));
        ASSIGN_OR_RETURN(v1::Contact merged,
                         LoadContact(txn, deps_, caller.tenant, *merged_id,
                                     request.merged()));
        if (survivor.name() == merged.name()) {
          return InvalidFieldError("merged", "is the same contact as survivor");
        }
        RETURN_IF_ERROR(CheckEtag(request.survivor_etag(), survivor.etag(),
                                  "survivor_etag"));
        v1::Contact result = survivor;
        CopyFieldPaths(merged, taken, &result);
        // Emails, phones and roles are always united; the survivor's primary
        // ones stay primary.
        const ContactKeys survivor_keys = KeysOf(survivor);
        absl::flat_hash_set<std::string> emails(
            survivor_keys.email_keys.begin(), survivor_keys.email_keys.end());
        bool has_primary_email = false;
        for (const auto& email : result.emails()) {
          has_primary_email = has_primary_email || email.primary();
        }
        for (const v1::ContactEmail& email : merged.emails()) {
          auto normalized = NormalizeEmail(email.address());
          if (normalized.ok() && !emails.insert(*normalized).second) continue;
          v1::ContactEmail* added = result.add_emails();
          *added = email;
          if (has_primary_email) added->set_primary(false);
          has_primary_email = has_primary_email || email.primary();
        }
        absl::flat_hash_set<std::string> phones(survivor_keys.phones.begin(),
                                                survivor_keys.phones.end());
        bool has_primary_phone = false;
        for (const auto& phone : result.phones()) {
          has_primary_phone = has_primary_phone || phone.primary();
        }
        for (const v1::ContactPhone& phone : merged.phones()) {
          if (!phones.insert(phone.number()).second) continue;
          v1::ContactPhone* added = result.add_phones();
          *added = phone;
          if (has_primary_phone) added->set_primary(false);
          has_primary_phone = has_primary_phone || phone.primary();
        }
        for (int role : merged.roles()) {
          if ((survivor_keys.role_bits & RoleBit(role)) == 0) {
            result.add_roles(static_cast<v1::ContactRole>(role));
          }
        }
        if (result.emails_size() > kMaxEmails ||
            result.phones_size() > kMaxPhones) {
          return absl::FailedPreconditionError(
              "the united emails or phones exceed 10; remove some from either "
              "contact first");
        }
        FieldViolations checks;
        CheckContact(&result, "", now, true, &checks);
        RETURN_IF_ERROR(ResultCheck(checks));
        StampContact(deps_, now, /*created=*/false, &result);

        const std::string survivor_key = IdOf(survivor.name());
        const std::string merged_key = IdOf(merged.name());
        // The merged contact's emails are freed before the survivor takes them.
        RETURN_IF_ERROR(deps_.contacts->Delete(txn, caller.tenant, merged_key));
        RETURN_IF_ERROR(deps_.contacts->Update(txn, caller.tenant, survivor_key,
                                               IdOf(result.account()), result,
                                               KeysOf(result)));
        RETURN_IF_ERROR(deps_.merges->AddAlias(txn, caller.tenant, kContacts,
                                               merged_key, survivor_key));
        v1::MergeRecord record =
            NewRecord(deps_, caller, now, v1::MERGE_KIND_CONTACT,
                      survivor.name(), merged.name(), taken);
        RETURN_IF_ERROR(deps_.merges->InsertRecord(txn, caller.tenant, record));

        events::v1::Event event;
        auto* payload = event.mutable_contacts_merged();
        payload->set_survivor(survivor.name());
        payload->set_merged(merged.name());
        *payload->mutable_survivor_contact() = ContactSnapshotOf(result);
        payload->set_merge_record(record.name());
        RETURN_IF_ERROR(
            AppendEvent(txn, deps_, caller, survivor.name(), event));

        *response.mutable_contact() = std::move(result);
        *response.mutable_merge_record() = std::move(record);
        write.Mentions(survivor.name());
        write.Mentions(merged.name());
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::ListMergeRecordsResponse> MergeManager::ListMergeRecords(
    const Caller& caller, const v1::ListMergeRecordsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  if (!v1::MergeKind_IsValid(request.kind())) {
    return InvalidFieldError("kind",
                             absl::StrCat("unknown value ", request.kind()));
  }
  const std::string& resource = request.resource();
  if (!resource.empty() &&
      !ParseResourceName(resource, kAccounts, "resource").ok() &&
      !ParseResourceName(resource, kContacts, "resource").ok()) {
    return InvalidFieldError(
        "resource", "must be \"accounts/{account}\" or \"contacts/{contact}\"");
  }
  const std::string filter_key =
      absl::StrCat("ListMergeRecords|", caller.tenant.size(), ":",
                   caller.tenant, "|", request.kind(), "|", resource);
  ASSIGN_OR_RETURN(int64_t before,
                   DecodeIntPageToken(request.page_token(), filter_key, 0));
  std::vector<ListedMergeRecord> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            rows, deps_.merges->ListRecords(txn, caller.tenant, request.kind(),
                                            resource, before, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListMergeRecordsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (ListedMergeRecord& row : rows) {
    *response.add_merge_records() = std::move(row.record);
  }
  if (more) {
    response.set_next_page_token(
        EncodeIntPageToken(filter_key, rows.back().seq));
  }
  return response;
}

}  // namespace clientele::contacts

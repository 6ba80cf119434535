#include "services/contacts/data_subject_manager.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "common/write_pipeline.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"

namespace clientele::contacts {
namespace {

struct Subject {
  bool is_account = false;
  std::string id;
};

absl::StatusOr<Subject> ParseSubject(absl::string_view subject) {
  if (absl::StartsWith(subject, "accounts/")) {
    ASSIGN_OR_RETURN(std::string id,
                     ParseResourceName(subject, kAccounts, "subject"));
    return Subject{true, std::move(id)};
  }
  if (absl::StartsWith(subject, "contacts/")) {
    ASSIGN_OR_RETURN(std::string id,
                     ParseResourceName(subject, kContacts, "subject"));
    return Subject{false, std::move(id)};
  }
  return InvalidFieldError(
      "subject",
      subject.empty()
          ? "required"
          : "must be \"accounts/{account}\" or \"contacts/{contact}\"");
}

}  // namespace

absl::StatusOr<v1::ExportDataSubjectResponse> DataSubjectManager::Export(
    const Caller& caller, const v1::ExportDataSubjectRequest& request) {
  ASSIGN_OR_RETURN(Subject subject, ParseSubject(request.subject()));
  v1::ExportDataSubjectResponse response;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        response.Clear();
        std::vector<std::string> names;
        if (subject.is_account) {
          ASSIGN_OR_RETURN(v1::Account account,
                           LoadAccount(txn, deps_, caller.tenant, subject.id,
                                       request.subject()));
          names.push_back(account.name());
          ASSIGN_OR_RETURN(std::vector<std::string> ids,
                           deps_.contacts->IdsOfAccount(txn, caller.tenant,
                                                        IdOf(account.name())));
          for (const std::string& id : ids) {
            ASSIGN_OR_RETURN(std::optional<v1::Contact> contact,
                             deps_.contacts->Find(txn, caller.tenant, id));
            if (!contact.has_value()) continue;
            names.push_back(contact->name());
            *response.add_contacts() = *std::move(contact);
          }
          *response.mutable_account() = std::move(account);
        } else {
          ASSIGN_OR_RETURN(v1::Contact contact,
                           LoadContact(txn, deps_, caller.tenant, subject.id,
                                       request.subject()));
          names.push_back(contact.name());
          *response.add_contacts() = std::move(contact);
        }
        ASSIGN_OR_RETURN(
            std::vector<v1::MergeRecord> records,
            deps_.merges->RecordsMentioning(txn, caller.tenant, names));
        for (v1::MergeRecord& record : records) {
          *response.add_merge_records() = std::move(record);
        }
        return absl::OkStatus();
      }));
  SetTimestamp(deps_.clock->Now(), response.mutable_export_time());
  return response;
}

absl::StatusOr<v1::EraseDataSubjectResponse> DataSubjectManager::Erase(
    const Caller& caller, const v1::EraseDataSubjectRequest& request) {
  ASSIGN_OR_RETURN(Subject subject, ParseSubject(request.subject()));
  std::string reason = request.reason();
  FieldViolations violations;
  CheckText(&reason, "reason", kMaxReasonChars, false, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const absl::Time now = deps_.clock->Now();
  const std::string erasure_id = deps_.ids->NewId();
  v1::EraseDataSubjectResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        events::v1::Event event;
        auto* payload = event.mutable_data_subject_erased();
        payload->set_erasure_id(erasure_id);
        // Every name that held personal data: live ones and merged-away ones.
        std::vector<std::string> names;
        std::vector<std::string> contact_ids;
        std::string subject_name;
        if (subject.is_account) {
          ASSIGN_OR_RETURN(v1::Account account,
                           LoadAccount(txn, deps_, caller.tenant, subject.id,
                                       request.subject()));
          subject_name = account.name();
          const std::string account_id = IdOf(account.name());
          ASSIGN_OR_RETURN(contact_ids, deps_.contacts->IdsOfAccount(
                                            txn, caller.tenant, account_id));
          RETURN_IF_ERROR(
              deps_.accounts->Delete(txn, caller.tenant, account_id));
          ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                           deps_.merges->RemoveAliasesTo(
                               txn, caller.tenant, kAccounts, account_id));
          names.push_back(account.name());
          for (const std::string& alias : aliases) {
            names.push_back(AccountName(alias));
          }
          payload->set_erased_account(account.name());
          payload->set_account(account.name());
        } else {
          ASSIGN_OR_RETURN(v1::Contact contact,
                           LoadContact(txn, deps_, caller.tenant, subject.id,
                                       request.subject()));
          subject_name = contact.name();
          contact_ids.push_back(IdOf(contact.name()));
          payload->set_account(contact.account());
        }
        for (const std::string& contact_id : contact_ids) {
          RETURN_IF_ERROR(
              deps_.contacts->Delete(txn, caller.tenant, contact_id));
          ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                           deps_.merges->RemoveAliasesTo(
                               txn, caller.tenant, kContacts, contact_id));
          names.push_back(ContactName(contact_id));
          payload->add_erased_contacts(ContactName(contact_id));
          for (const std::string& alias : aliases) {
            names.push_back(ContactName(alias));
          }
        }
        ASSIGN_OR_RETURN(
            std::vector<v1::MergeRecord> records,
            deps_.merges->RecordsMentioning(txn, caller.tenant, names));
        std::vector<std::string> record_names;
        record_names.reserve(records.size());
        for (const v1::MergeRecord& record : records) {
          record_names.push_back(record.name());
        }
        RETURN_IF_ERROR(
            deps_.merges->DeleteRecords(txn, caller.tenant, record_names));
        RETURN_IF_ERROR(
            ForgetResponsesMentioning(txn, caller.tenant, names, now));
        RETURN_IF_ERROR(deps_.merges->LogErasure(txn, caller.tenant, erasure_id,
                                                 subject_name, reason, now));
        payload->set_subject(subject_name);
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, subject_name, event));

        response.set_erasure_id(erasure_id);
        for (const std::string& name : names) {
          response.add_erased_resources(name);
        }
        for (const std::string& name : record_names) {
          response.add_erased_resources(name);
        }
        SetTimestamp(now, response.mutable_erase_time());
        // The rows are deleted; the earlier images of their pages that the
        // database's log still holds go too (docs/architecture.md).
        PurgeDeletedDataAfterCommit(txn, deps_.database);
        return absl::OkStatus();
      }));
  return response;
}

}  // namespace clientele::contacts

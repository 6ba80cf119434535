#include "services/contacts/contacts_grpc_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace clientele::contacts {
absl::Status ContactsGrpcService::CreateAccount(
    const Context& context, const v1::CreateAccountRequest& request,
    v1::CreateAccountResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_account(),
      backend_->accounts().Create(context.caller(), request.account()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::GetAccount(
    const Context& context, const v1::GetAccountRequest& request,
    v1::GetAccountResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_account(),
                   backend_->accounts().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::BatchGetAccounts(
    const Context& context, const v1::BatchGetAccountsRequest& request,
    v1::BatchGetAccountsResponse* response) {
  const std::vector<std::string> names(request.names().begin(),
                                       request.names().end());
  ASSIGN_OR_RETURN(std::vector<v1::Account> accounts,
                   backend_->accounts().BatchGet(context.caller(), names));
  for (v1::Account& account : accounts) {
    *response->add_accounts() = std::move(account);
  }
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::UpdateAccount(
    const Context& context, const v1::UpdateAccountRequest& request,
    v1::UpdateAccountResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_account(),
      backend_->accounts().Update(context.caller(), request.account(),
                                  request.update_mask()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::DeleteAccount(
    const Context& context, const v1::DeleteAccountRequest& request,
    v1::DeleteAccountResponse* response) {
  ASSIGN_OR_RETURN(
      AccountManager::Deleted deleted,
      backend_->accounts().Delete(context.caller(), request.name(),
                                  request.etag(), request.force()));
  response->set_name(deleted.account);
  for (std::string& contact : deleted.contacts) {
    response->add_deleted_contacts(std::move(contact));
  }
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::ListAccounts(
    const Context& context, const v1::ListAccountsRequest& request,
    v1::ListAccountsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->accounts().List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::MergeAccounts(
    const Context& context, const v1::MergeAccountsRequest& request,
    v1::MergeAccountsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->merges().MergeAccounts(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::CreateContact(
    const Context& context, const v1::CreateContactRequest& request,
    v1::CreateContactResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_contact(),
      backend_->contacts().Create(context.caller(), request.contact()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::FindOrCreateContact(
    const Context& context, const v1::FindOrCreateContactRequest& request,
    v1::FindOrCreateContactResponse* response) {
  ASSIGN_OR_RETURN(
      *response, backend_->contacts().FindOrCreate(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::GetContact(
    const Context& context, const v1::GetContactRequest& request,
    v1::GetContactResponse* response) {
  ASSIGN_OR_RETURN(*response->mutable_contact(),
                   backend_->contacts().Get(context.caller(), request.name()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::UpdateContact(
    const Context& context, const v1::UpdateContactRequest& request,
    v1::UpdateContactResponse* response) {
  ASSIGN_OR_RETURN(
      *response->mutable_contact(),
      backend_->contacts().Update(context.caller(), request.contact(),
                                  request.update_mask()));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::DeleteContact(
    const Context& context, const v1::DeleteContactRequest& request,
    v1::DeleteContactResponse* response) {
  ASSIGN_OR_RETURN(std::string name,
                   backend_->contacts().Delete(context.caller(), request.name(),
                                               request.etag()));
  response->set_name(std::move(name));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::ListContacts(
    const Context& context, const v1::ListContactsRequest& request,
    v1::ListContactsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->contacts().List(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::SearchContacts(
    const Context& context, const v1::SearchContactsRequest& request,
    v1::SearchContactsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->contacts().Search(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::FindDuplicateContacts(
    const Context& context, const v1::FindDuplicateContactsRequest& request,
    v1::FindDuplicateContactsResponse* response) {
  ASSIGN_OR_RETURN(*response, backend_->contacts().FindDuplicates(
                                  context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::MergeContacts(
    const Context& context, const v1::MergeContactsRequest& request,
    v1::MergeContactsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->merges().MergeContacts(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::ImportContacts(
    const Context& context, const v1::ImportContactsRequest& request,
    v1::ImportContactsResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->imports().Import(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::ListMergeRecords(
    const Context& context, const v1::ListMergeRecordsRequest& request,
    v1::ListMergeRecordsResponse* response) {
  ASSIGN_OR_RETURN(*response, backend_->merges().ListMergeRecords(
                                  context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::ExportDataSubject(
    const Context& context, const v1::ExportDataSubjectRequest& request,
    v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->data_subjects().Export(context.caller(), request));
  return absl::OkStatus();
}

absl::Status ContactsGrpcService::EraseDataSubject(
    const Context& context, const v1::EraseDataSubjectRequest& request,
    v1::EraseDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(*response,
                   backend_->data_subjects().Erase(context.caller(), request));
  return absl::OkStatus();
}

}  // namespace clientele::contacts

// The gRPC face of the contacts service: proto requests to manager calls and
// back, nothing else. Every RPC goes through the generated
// ContactsServiceBase (authentication, worker pool, logging, status mapping);
// the rules live in the managers (contacts_backend.h).
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_

#include "clientele/contacts/v1/contacts_service.clientele.h"
#include "services/contacts/contacts_backend.h"

namespace clientele::contacts {

class ContactsGrpcService : public v1::ContactsServiceBase {
 public:
  // `backend` is not owned.
  ContactsGrpcService(server::RpcRuntime* runtime, ContactsBackend* backend)
      : v1::ContactsServiceBase(runtime), backend_(backend) {}

  using Context = server::RequestContext;

  absl::Status CreateAccount(const Context& context,
                             const v1::CreateAccountRequest& request,
                             v1::CreateAccountResponse* response) override;
  absl::Status GetAccount(const Context& context,
                          const v1::GetAccountRequest& request,
                          v1::GetAccountResponse* response) override;
  absl::Status BatchGetAccounts(
      const Context& context, const v1::BatchGetAccountsRequest& request,
      v1::BatchGetAccountsResponse* response) override;
  absl::Status UpdateAccount(const Context& context,
                             const v1::UpdateAccountRequest& request,
                             v1::UpdateAccountResponse* response) override;
  absl::Status DeleteAccount(const Context& context,
                             const v1::DeleteAccountRequest& request,
                             v1::DeleteAccountResponse* response) override;
  absl::Status ListAccounts(const Context& context,
                            const v1::ListAccountsRequest& request,
                            v1::ListAccountsResponse* response) override;
  absl::Status MergeAccounts(const Context& context,
                             const v1::MergeAccountsRequest& request,
                             v1::MergeAccountsResponse* response) override;
  absl::Status CreateContact(const Context& context,
                             const v1::CreateContactRequest& request,
                             v1::CreateContactResponse* response) override;
  absl::Status FindOrCreateContact(
      const Context& context, const v1::FindOrCreateContactRequest& request,
      v1::FindOrCreateContactResponse* response) override;
  absl::Status GetContact(const Context& context,
                          const v1::GetContactRequest& request,
                          v1::GetContactResponse* response) override;
  absl::Status UpdateContact(const Context& context,
                             const v1::UpdateContactRequest& request,
                             v1::UpdateContactResponse* response) override;
  absl::Status DeleteContact(const Context& context,
                             const v1::DeleteContactRequest& request,
                             v1::DeleteContactResponse* response) override;
  absl::Status ListContacts(const Context& context,
                            const v1::ListContactsRequest& request,
                            v1::ListContactsResponse* response) override;
  absl::Status SearchContacts(const Context& context,
                              const v1::SearchContactsRequest& request,
                              v1::SearchContactsResponse* response) override;
  absl::Status FindDuplicateContacts(
      const Context& context, const v1::FindDuplicateContactsRequest& request,
      v1::FindDuplicateContactsResponse* response) override;
  absl::Status MergeContacts(const Context& context,
                             const v1::MergeContactsRequest& request,
                             v1::MergeContactsResponse* response) override;
  absl::Status ImportContacts(const Context& context,
                              const v1::ImportContactsRequest& request,
                              v1::ImportContactsResponse* response) override;
  absl::Status ListMergeRecords(
      const Context& context, const v1::ListMergeRecordsRequest& request,
      v1::ListMergeRecordsResponse* response) override;
  absl::Status ExportDataSubject(
      const Context& context, const v1::ExportDataSubjectRequest& request,
      v1::ExportDataSubjectResponse* response) override;
  absl::Status EraseDataSubject(
      const Context& context, const v1::EraseDataSubjectRequest& request,
      v1::EraseDataSubjectResponse* response) override;

 private:
  ContactsBackend* const backend_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_

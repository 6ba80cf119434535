// The rules of accounts: create (idempotent), get through merge aliases,
// update by mask and etag, delete, list with filters and page tokens. Every
// change commits with its event (clientele.events.v1) in one transaction.
#ifndef CLIENTELE_SERVICES_CONTACTS_ACCOUNT_MANAGER_H_
#define CLIENTELE_SERVICES_CONTACTS_ACCOUNT_MANAGER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/caller.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

class AccountManager {
 public:
  // Limits from the contract.
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kMaxBatchGet = 100;

  explicit AccountManager(const ContactsDeps& deps) : deps_(deps) {}

  // Creates `account` (its name and output-only fields are ignored) and
  // publishes AccountCreated. Idempotent by the call's request_id (see
  // common/write_pipeline.h). Bad fields answer INVALID_ARGUMENT naming
  // "account.<field>".
  absl::StatusOr<v1::Account> Create(const Caller& caller, v1::Account account);

  // The account named `name` ("accounts/{id}"), or the survivor it was
  // merged into. INVALID_ARGUMENT naming `field` for a malformed name;
  // NOT_FOUND when missing, deleted, erased or another tenant's.
  absl::StatusOr<v1::Account> Get(const Caller& caller, absl::string_view name,
                                  absl::string_view field = "name");

  // 1-100 accounts in the order asked (INVALID_ARGUMENT naming `names`
  // above 100);
  // NOT_FOUND naming the first missing one.
  absl::StatusOr<std::vector<v1::Account>> BatchGet(
      const Caller& caller, absl::Span<const std::string> names);

  // Applies the fields of `account` named by `mask` to the stored account
  // (account.name says which). ABORTED when account.etag is set and stale.
  // Publishes AccountUpdated with the changed fields; a change that changes
  // nothing returns the account as it is.
  absl::StatusOr<v1::Account> Update(const Caller& caller,
                                     const v1::Account& account,
                                     const google::protobuf::FieldMask& mask);

  struct Deleted {
    std::string account;                // the survivor, for a merged name
    std::vector<std::string> contacts;  // deleted with it (force)
  };
  // Deletes the account; FAILED_PRECONDITION while it has contacts unless
  // `force` (which deletes them too). ABORTED for a stale `etag`. Publishes
  // AccountDeleted.
  absl::StatusOr<Deleted> Delete(const Caller& caller, absl::string_view name,
                                 absl::string_view etag, bool force);

  // One page of accounts matching every filter of `request`, oldest first.
  absl::StatusOr<v1::ListAccountsResponse> List(
      const Caller& caller, const v1::ListAccountsRequest& request);

 private:
  ContactsDeps deps_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_ACCOUNT_MANAGER_H_

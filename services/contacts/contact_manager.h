// The rules of contacts: create (idempotent, one contact per normalized email
// in a tenant), get through merge aliases, update by mask and etag, delete,
// list, Unicode search and duplicate detection. Every change commits with its
// event in one transaction.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACT_MANAGER_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACT_MANAGER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/caller.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

class ContactManager {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kDefaultSearchPageSize = 20;
  static constexpr int kMaxSearchPageSize = 100;
  static constexpr int kMaxQueryChars = 200;
  static constexpr int kDefaultDuplicates = 10;
  static constexpr int kMaxDuplicates = 50;

  explicit ContactManager(const ContactsDeps& deps) : deps_(deps) {}

  // Creates `contact` at its account (NOT_FOUND naming the account when it
  // does not exist) and publishes ContactCreated. ALREADY_EXISTS naming the
  // existing contact when one of its normalized emails is taken. Idempotent
  // by the call's request_id (common/write_pipeline.h).
  absl::StatusOr<v1::Contact> Create(const Caller& caller, v1::Contact contact);

  // The contact holding `request.email` (compared normalized, as duplicates
  // are), with its account; or, when no contact holds it, a new INDIVIDUAL
  // account (B2C, STANDARD tier, ACTIVE, relationship mode left to
  // engagement) named request.display_name and its contact (given and family
  // name split at the last space), publishing AccountCreated and
  // ContactCreated. The lookup and the create share one write transaction,
  // so two calls racing with the same new email make one contact. Idempotent
  // by the call's request_id. INVALID_ARGUMENT naming "email" (not a valid
  // address) or "display_name" (1-200 characters).
  // (contact_find_or_create.cc)
  absl::StatusOr<v1::FindOrCreateContactResponse> FindOrCreate(
      const Caller& caller, const v1::FindOrCreateContactRequest& request);

  // The contact named `name`, or its survivor. NOT_FOUND as for accounts.
  absl::StatusOr<v1::Contact> Get(const Caller& caller, absl::string_view name,
                                  absl::string_view field = "name");

  // Applies the fields named by `mask`; ABORTED for a stale etag;
  // ALREADY_EXISTS for an email held by another contact; NOT_FOUND for a new
  // account that does not exist. Publishes ContactUpdated.
  absl::StatusOr<v1::Contact> Update(const Caller& caller,
                                     const v1::Contact& contact,
                                     const google::protobuf::FieldMask& mask);

  // Deletes the contact (ABORTED for a stale etag); returns its name.
  // Publishes ContactDeleted.
  absl::StatusOr<std::string> Delete(const Caller& caller,
                                     absl::string_view name,
                                     absl::string_view etag);

  // One page of contacts matching every filter, oldest first.
  absl::StatusOr<v1::ListContactsResponse> List(
      const Caller& caller, const v1::ListContactsRequest& request);

  // Contacts whose name words start with every word of the query, or whose
  // email starts with it; exact email first, then whole-word names, then
  // prefixes (contact_search.cc).
  absl::StatusOr<v1::SearchContactsResponse> Search(
      const Caller& caller, const v1::SearchContactsRequest& request);

  // Contacts with the same normalized email, the same phone, or the same
  // name words (at the account, when given), most likely first
  // (contact_search.cc).
  absl::StatusOr<v1::FindDuplicateContactsResponse> FindDuplicates(
      const Caller& caller, const v1::FindDuplicateContactsRequest& request);

 private:
  ContactsDeps deps_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACT_MANAGER_H_

// Steps every contacts write shares: finding an account or contact by id
// through merge aliases, checking etags, stamping versions and appending
// events, all within the caller's transaction.
#ifndef CLIENTELE_SERVICES_CONTACTS_LOOKUP_H_
#define CLIENTELE_SERVICES_CONTACTS_LOOKUP_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/contacts/v1/account.pb.h"
#include "clientele/contacts/v1/contact.pb.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/validation.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/contacts_deps.h"

namespace clientele::contacts {

// Account `id`, or the survivor it was merged into. NOT_FOUND naming
// `asked_name` (the name as the client wrote it) when there is neither.
absl::StatusOr<v1::Account> LoadAccount(sql::Transaction& txn,
                                        const ContactsDeps& deps,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view asked_name);

// Contact `id`, or its survivor; NOT_FOUND naming `asked_name`.
absl::StatusOr<v1::Contact> LoadContact(sql::Transaction& txn,
                                        const ContactsDeps& deps,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view asked_name);

// The id of account `id` or of its survivor, without reading the account;
// NOT_FOUND naming `asked_name`.
absl::StatusOr<std::string> ResolveAccountId(sql::Transaction& txn,
                                             const ContactsDeps& deps,
                                             absl::string_view tenant,
                                             absl::string_view id,
                                             absl::string_view asked_name);

// Sets update_time (and create_time when `created`) to `now` and a new etag.
void StampAccount(const ContactsDeps& deps, absl::Time now, bool created,
                  v1::Account* account);
void StampContact(const ContactsDeps& deps, absl::Time now, bool created,
                  v1::Contact* contact);

// The first of `keys.email_keys` held by a contact other than `self_id`:
// its index in the list and the holder's id.
struct EmailConflict {
  int index = 0;
  std::string holder_id;
};
absl::StatusOr<std::optional<EmailConflict>> FindEmailConflict(
    sql::Transaction& txn, const ContactsDeps& deps, absl::string_view tenant,
    const ContactKeys& keys, absl::string_view self_id);

// Stores new `account` (name and stamps set) and appends AccountCreated.
absl::Status InsertAccount(sql::Transaction& txn, const ContactsDeps& deps,
                           const Caller& caller, const v1::Account& account);

// Stores new `contact` (name, account and stamps set) with its keys and
// appends ContactCreated.
absl::Status InsertContact(sql::Transaction& txn, const ContactsDeps& deps,
                           const Caller& caller, const v1::Contact& contact,
                           const ContactKeys& keys);

// Appends `event` about `subject` to the outbox in `txn`, with the caller's
// trace id and actor.
absl::Status AppendEvent(sql::Transaction& txn, const ContactsDeps& deps,
                         const Caller& caller, absl::string_view subject,
                         events::v1::Event event);

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_LOOKUP_H_

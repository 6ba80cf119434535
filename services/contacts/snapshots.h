// The event snapshots (clientele.events.v1) of accounts and contacts: what
// other services project. They hold references and non-personal fields only
// (no names, emails, phones, birthdays, tags or labels), so that published
// events keep no personal data alive after an erasure (docs/architecture.md).
#ifndef CLIENTELE_SERVICES_CONTACTS_SNAPSHOTS_H_
#define CLIENTELE_SERVICES_CONTACTS_SNAPSHOTS_H_

#include <string>
#include <vector>

#include "clientele/contacts/v1/account.pb.h"
#include "clientele/contacts/v1/contact.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"

namespace clientele::contacts {

events::v1::AccountSnapshot AccountSnapshotOf(const v1::Account& account);
events::v1::ContactSnapshot ContactSnapshotOf(const v1::Contact& contact);

// Top-level fields (and commercial_terms sub-fields) that differ between
// `before` and `after`, ignoring output-only ones; for AccountUpdated.
std::vector<std::string> ChangedAccountFields(const v1::Account& before,
                                              const v1::Account& after);
// Top-level fields that differ, for ContactUpdated.
std::vector<std::string> ChangedContactFields(const v1::Contact& before,
                                              const v1::Contact& after);

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_SNAPSHOTS_H_

// What the contacts managers are built from. Nothing here is owned.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_DEPS_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_DEPS_H_

#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"
#include "common/write_pipeline.h"
#include "services/contacts/account_store.h"
#include "services/contacts/contact_store.h"
#include "services/contacts/merge_store.h"

namespace clientele::contacts {

struct ContactsDeps {
  sql::Database* database = nullptr;
  events::EventWriter* events = nullptr;
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  AccountStore* accounts = nullptr;
  ContactStore* contacts = nullptr;
  MergeStore* merges = nullptr;

  // Every write of the managers goes through this (common/write_pipeline.h).
  WritePipeline writes() const { return WritePipeline(database, clock); }
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_DEPS_H_

// The contacts service's stores and managers, wired once: main.cc builds it
// from ServiceProcess, tests from a TempDir database.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_BACKEND_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_BACKEND_H_

#include "common/clock.h"
#include "common/events/event_writer.h"
#include "common/sql/database.h"
#include "services/contacts/account_manager.h"
#include "services/contacts/contact_manager.h"
#include "services/contacts/contacts_deps.h"
#include "services/contacts/data_subject_manager.h"
#include "services/contacts/import_manager.h"
#include "services/contacts/merge_manager.h"
#include "services/contacts/sqlite_account_store.h"
#include "services/contacts/sqlite_contact_store.h"
#include "services/contacts/sqlite_merge_store.h"

namespace clientele::contacts {

class ContactsBackend {
 public:
  // Nothing is owned; everything must outlive the backend. The database
  // must be migrated to ContactsMigrations().
  ContactsBackend(sql::Database* database, events::EventWriter* events,
                  Clock* clock, IdGenerator* ids)
      : deps_{database,        events,          clock,        ids,
              &account_store_, &contact_store_, &merge_store_},
        accounts_(deps_),
        contacts_(deps_),
        merges_(deps_),
        imports_(deps_),
        data_subjects_(deps_) {}

  ContactsBackend(const ContactsBackend&) = delete;
  ContactsBackend& operator=(const ContactsBackend&) = delete;

  AccountManager& accounts() { return accounts_; }
  ContactManager& contacts() { return contacts_; }
  MergeManager& merges() { return merges_; }
  ImportManager& imports() { return imports_; }
  DataSubjectManager& data_subjects() { return data_subjects_; }

 private:
  SqliteAccountStore account_store_;
  SqliteContactStore contact_store_;
  SqliteMergeStore merge_store_;
  ContactsDeps deps_;
  AccountManager accounts_;
  ContactManager contacts_;
  MergeManager merges_;
  ImportManager imports_;
  DataSubjectManager data_subjects_;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_BACKEND_H_

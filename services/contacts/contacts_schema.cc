#include "services/contacts/contacts_schema.h"

#include "common/events/outbox.h"
#include "common/idempotency.h"

namespace clientele::contacts {
namespace {

// Resources are stored as serialized protos (`data`) next to the columns
// that lists filter on; every table leads with `tenant`. `seq` is the order
// of creation, which lists and page tokens follow.
constexpr char kContactsTablesSql[] = R"sql(
CREATE TABLE accounts (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  segment INTEGER NOT NULL,
  lifecycle_stage INTEGER NOT NULL,
  owner TEXT NOT NULL,
  account_manager TEXT NOT NULL,
  declared_mode INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (tenant, id)
);
CREATE INDEX accounts_by_tenant ON accounts (tenant, seq);
CREATE TABLE account_tags (
  tenant TEXT NOT NULL,
  tag TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (tenant, tag, account_id)
) WITHOUT ROWID;
CREATE INDEX account_tags_by_account ON account_tags (tenant, account_id);

CREATE TABLE contacts (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  roles INTEGER NOT NULL,
  consent_state INTEGER NOT NULL,
  name_key TEXT NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (tenant, id)
);
CREATE INDEX contacts_by_tenant ON contacts (tenant, seq);
CREATE INDEX contacts_by_account ON contacts (tenant, account_id, seq);
CREATE TABLE contact_emails (
  tenant TEXT NOT NULL,
  email_key TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (tenant, email_key)
) WITHOUT ROWID;
CREATE INDEX contact_emails_by_contact ON contact_emails (tenant, contact_id);
CREATE TABLE contact_phones (
  tenant TEXT NOT NULL,
  phone TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (tenant, phone, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_phones_by_contact ON contact_phones (tenant, contact_id);
CREATE TABLE contact_terms (
  tenant TEXT NOT NULL,
  term TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (tenant, term, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_terms_by_contact ON contact_terms (tenant, contact_id);

CREATE TABLE aliases (
  tenant TEXT NOT NULL,
  collection TEXT NOT NULL,
  merged_id TEXT NOT NULL,
  survivor_id TEXT NOT NULL,
  PRIMARY KEY (tenant, collection, merged_id)
) WITHOUT ROWID;
CREATE INDEX aliases_by_survivor ON aliases (tenant, collection, survivor_id);
CREATE TABLE merge_records (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (tenant, name)
);
CREATE INDEX merge_records_by_tenant ON merge_records (tenant, seq);
CREATE TABLE merge_record_refs (
  tenant TEXT NOT NULL,
  resource TEXT NOT NULL,
  record_seq INTEGER NOT NULL,
  PRIMARY KEY (tenant, resource, record_seq)
) WITHOUT ROWID;
CREATE INDEX merge_record_refs_by_record ON merge_record_refs (record_seq);
CREATE TABLE erasures (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  subject TEXT NOT NULL,
  reason TEXT NOT NULL,
  erase_time_us INTEGER NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
)sql";

}  // namespace

std::vector<sql::Migration> ContactsMigrations() {
  return {
      {1, "event outbox and processed-event log", events::kOutboxMigrationSql},
      {2, "accounts, contacts, their keys, aliases, merge records, erasures",
       kContactsTablesSql},
      {3, "idempotent responses by request_id", kIdempotencyMigrationSql},
      {4, "stored responses purged by age", kStoredResponsePurgeMigrationSql},
      {5,
       "published events kept for replay, stream positions, consumer positions",
       events::kOutboxRetentionMigrationSql},
  };
}

}  // namespace clientele::contacts

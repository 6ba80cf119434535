#include "services/contacts/sqlite_contact_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"

namespace clientele::contacts {
namespace {

using sql::Value;

absl::StatusOr<v1::Contact> Parse(const std::string& bytes) {
  return sql::ParseStored<v1::Contact>(bytes, "contact");
}

// The smallest string above every string that starts with `prefix`: SQLite
// compares text bytewise, and no UTF-8 text holds the byte 0xFF.
std::string PrefixEnd(absl::string_view prefix) {
  return absl::StrCat(prefix, "\xff");
}

absl::Status DeleteKeys(sql::Transaction& txn, absl::string_view tenant,
                        absl::string_view id) {
  const Value key[] = {std::string(tenant), std::string(id)};
  for (const char* sql :
       {"DELETE FROM contact_emails WHERE tenant = ? AND contact_id = ?",
        "DELETE FROM contact_phones WHERE tenant = ? AND contact_id = ?",
        "DELETE FROM contact_terms WHERE tenant = ? AND contact_id = ?"}) {
    RETURN_IF_ERROR(txn.Exec(sql, key).status());
  }
  return absl::OkStatus();
}

// Runs `sql` (tenant, key, contact_id) once for each of `keys`.
absl::Status InsertEach(sql::Transaction& txn, absl::string_view sql,
                        const std::string& tenant, const std::string& id,
                        const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const Value row[] = {tenant, key, id};
    RETURN_IF_ERROR(txn.Exec(sql, row).status());
  }
  return absl::OkStatus();
}

absl::Status InsertKeys(sql::Transaction& txn, absl::string_view tenant,
                        absl::string_view id, const ContactKeys& keys) {
  const std::string t(tenant);
  const std::string c(id);
  RETURN_IF_ERROR(
      InsertEach(txn,
                 "INSERT INTO contact_emails (tenant, email_key, contact_id) "
                 "VALUES (?, ?, ?)",
                 t, c, keys.email_keys));
  RETURN_IF_ERROR(InsertEach(
      txn,
      "INSERT OR IGNORE INTO contact_phones (tenant, phone, contact_id) "
      "VALUES (?, ?, ?)",
      t, c, keys.phones));
  return InsertEach(
      txn,
      "INSERT OR IGNORE INTO contact_terms (tenant, term, contact_id) "
      "VALUES (?, ?, ?)",
      t, c, keys.terms);
}

absl::StatusOr<std::vector<KeyMatch>> Matches(
    absl::StatusOr<std::vector<sql::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<KeyMatch> matches;
  matches.reserve(rows->size());
  for (const sql::Row& row : *rows) {
    matches.push_back({row.String(0), row.String(1)});
  }
  return matches;
}

}  // namespace

absl::StatusOr<std::optional<v1::Contact>> SqliteContactStore::Find(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM contacts WHERE tenant = ? AND id = ?",
                params));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::Contact contact, Parse(rows[0].String(0)));
  return contact;
}

absl::Status SqliteContactStore::Insert(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view account_id,
                                        const v1::Contact& contact,
                                        const ContactKeys& keys) {
  const Value params[] = {std::string(tenant),
                          std::string(id),
                          std::string(account_id),
                          keys.role_bits,
                          int64_t{contact.marketing_consent().state()},
                          keys.name_key,
                          sql::Blob{contact.SerializeAsString()}};
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO contacts (tenant, id, account_id, roles, "
               "consent_state, name_key, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
               params)
          .status());
  return InsertKeys(txn, tenant, id, keys);
}

absl::Status SqliteContactStore::Update(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        absl::string_view account_id,
                                        const v1::Contact& contact,
                                        const ContactKeys& keys) {
  const Value params[] = {std::string(account_id),
                          keys.role_bits,
                          int64_t{contact.marketing_consent().state()},
                          keys.name_key,
                          sql::Blob{contact.SerializeAsString()},
                          std::string(tenant),
                          std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE contacts SET account_id = ?, roles = ?, "
               "consent_state = ?, name_key = ?, data = ? WHERE tenant = ? "
               "AND id = ?",
               params));
  if (changed == 0) return absl::NotFoundError("contact not found");
  RETURN_IF_ERROR(DeleteKeys(txn, tenant, id));
  return InsertKeys(txn, tenant, id, keys);
}

absl::Status SqliteContactStore::Delete(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      int64_t deleted,
      txn.Exec("DELETE FROM contacts WHERE tenant = ? AND id = ?", params));
  if (deleted == 0) return absl::NotFoundError("contact not found");
  return DeleteKeys(txn, tenant, id);
}

absl::StatusOr<std::optional<std::string>> SqliteContactStore::FindEmailOwner(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view email_key) {
  const Value params[] = {std::string(tenant), std::string(email_key)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT contact_id FROM contact_emails WHERE "
                             "tenant = ? AND email_key = ?",
                             params));
  if (rows.empty()) return std::nullopt;
  return rows[0].String(0);
}

absl::StatusOr<std::vector<std::string>> SqliteContactStore::FindByPhone(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view phone,
    int limit) {
  const Value params[] = {std::string(tenant), std::string(phone),
                          int64_t{limit}};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT contact_id FROM contact_phones WHERE "
                             "tenant = ? AND phone = ? LIMIT ?",
                             params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

absl::StatusOr<std::vector<KeyMatch>> SqliteContactStore::MatchTerm(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view prefix,
    bool exact, int limit) {
  if (exact) {
    const Value params[] = {std::string(tenant), std::string(prefix),
                            int64_t{limit}};
    return Matches(txn.Query(
        "SELECT contact_id, term FROM contact_terms WHERE tenant = ? AND "
        "term = ? LIMIT ?",
        params));
  }
  const Value params[] = {std::string(tenant), std::string(prefix),
                          PrefixEnd(prefix), int64_t{limit}};
  return Matches(txn.Query(
      "SELECT contact_id, term FROM contact_terms WHERE tenant = ? AND "
      "term >= ? AND term < ? LIMIT ?",
      params));
}

absl::StatusOr<std::vector<std::string>> SqliteContactStore::TermsOf(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT term FROM contact_terms WHERE tenant = ? "
                             "AND contact_id = ?",
                             params));
  std::vector<std::string> terms;
  terms.reserve(rows.size());
  for (const sql::Row& row : rows) terms.push_back(row.String(0));
  return terms;
}

absl::StatusOr<std::vector<KeyMatch>> SqliteContactStore::MatchEmailPrefix(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view prefix,
    int limit) {
  const Value params[] = {std::string(tenant), std::string(prefix),
                          PrefixEnd(prefix), int64_t{limit}};
  return Matches(txn.Query(
      "SELECT contact_id, email_key FROM contact_emails WHERE tenant = ? AND "
      "email_key >= ? AND email_key < ? LIMIT ?",
      params));
}

absl::StatusOr<std::vector<std::string>> SqliteContactStore::IdsOfAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value params[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT id FROM contacts WHERE tenant = ? AND "
                             "account_id = ? ORDER BY seq",
                             params));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const sql::Row& row : rows) ids.push_back(row.String(0));
  return ids;
}

absl::StatusOr<std::string> SqliteContactStore::NameKeyOf(
    sql::Transaction& txn, absl::string_view tenant, absl::string_view id) {
  const Value params[] = {std::string(tenant), std::string(id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT name_key FROM contacts WHERE tenant = ? AND id = ?",
                params));
  if (rows.empty()) return absl::NotFoundError("contact not found");
  return rows[0].String(0);
}

absl::StatusOr<std::vector<ListedContact>> SqliteContactStore::List(
    sql::Transaction& txn, absl::string_view tenant,
    const ContactFilter& filter, int64_t after_seq, int limit) {
  const int64_t role_bit = filter.role == 0 ? 0 : RoleBit(filter.role);
  std::vector<sql::Row> rows;
  if (filter.account_id.empty()) {
    const Value params[] = {std::string(tenant),
                            after_seq,
                            role_bit,
                            role_bit,
                            int64_t{filter.consent_state},
                            int64_t{filter.consent_state},
                            int64_t{limit}};
    ASSIGN_OR_RETURN(
        rows, txn.Query("SELECT seq, data FROM contacts WHERE tenant = ? AND "
                        "seq > ? AND (? = 0 OR (roles & ?) != 0) AND (? = 0 "
                        "OR consent_state = ?) ORDER BY seq LIMIT ?",
                        params));
  } else {
    // Served by the (tenant, account_id, seq) index.
    const Value params[] = {std::string(tenant),
                            filter.account_id,
                            after_seq,
                            role_bit,
                            role_bit,
                            int64_t{filter.consent_state},
                            int64_t{filter.consent_state},
                            int64_t{limit}};
    ASSIGN_OR_RETURN(
        rows, txn.Query("SELECT seq, data FROM contacts WHERE tenant = ? AND "
                        "account_id = ? AND seq > ? AND (? = 0 OR (roles & ?) "
                        "!= 0) AND (? = 0 OR consent_state = ?) ORDER BY seq "
                        "LIMIT ?",
                        params));
  }
  std::vector<ListedContact> contacts;
  contacts.reserve(rows.size());
  for (const sql::Row& row : rows) {
    ASSIGN_OR_RETURN(v1::Contact contact, Parse(row.String(1)));
    contacts.push_back({row.Int(0), std::move(contact)});
  }
  return contacts;
}

}  // namespace clientele::contacts

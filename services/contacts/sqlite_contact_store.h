// ContactStore on the contacts SQL schema (contacts_schema.cc). Keys live in
// contact_emails, contact_phones and contact_terms, each indexed for lookup
// by key and by contact, so search never scans the contacts.
#ifndef CLIENTELE_SERVICES_CONTACTS_SQLITE_CONTACT_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_SQLITE_CONTACT_STORE_H_

#include "services/contacts/contact_store.h"

namespace clientele::contacts {

class SqliteContactStore final : public ContactStore {
 public:
  absl::StatusOr<std::optional<v1::Contact>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, absl::string_view account_id,
                      const v1::Contact& contact,
                      const ContactKeys& keys) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, absl::string_view account_id,
                      const v1::Contact& contact,
                      const ContactKeys& keys) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id) override;
  absl::StatusOr<std::optional<std::string>> FindEmailOwner(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view email_key) override;
  absl::StatusOr<std::vector<std::string>> FindByPhone(sql::Transaction& txn,
                                                       absl::string_view tenant,
                                                       absl::string_view phone,
                                                       int limit) override;
  absl::StatusOr<std::vector<KeyMatch>> MatchTerm(sql::Transaction& txn,
                                                  absl::string_view tenant,
                                                  absl::string_view prefix,
                                                  bool exact,
                                                  int limit) override;
  absl::StatusOr<std::vector<std::string>> TermsOf(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::StatusOr<std::vector<KeyMatch>> MatchEmailPrefix(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view prefix,
      int limit) override;
  absl::StatusOr<std::vector<std::string>> IdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::string> NameKeyOf(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view id) override;
  absl::StatusOr<std::vector<ListedContact>> List(sql::Transaction& txn,
                                                  absl::string_view tenant,
                                                  const ContactFilter& filter,
                                                  int64_t after_seq,
                                                  int limit) override;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_SQLITE_CONTACT_STORE_H_

// Persistence of contacts and of the keys they are found by: normalized
// emails (unique per tenant), phones and search terms. Every method runs in
// the caller's transaction and is scoped by tenant.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACT_STORE_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/contacts/v1/contact.pb.h"
#include "common/sql/database.h"
#include "services/contacts/contact_rules.h"

namespace clientele::contacts {

// ListContacts' filters; zero values and empty strings match everything.
struct ContactFilter {
  std::string account_id;
  int role = 0;
  int consent_state = 0;
};

struct ListedContact {
  int64_t seq = 0;
  v1::Contact contact;
};

// A contact found through one of its keys.
struct KeyMatch {
  std::string contact_id;
  std::string key;  // the term or email key that matched
};

class ContactStore {
 public:
  virtual ~ContactStore() = default;

  // The contact `id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Contact>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new contact of account `account_id` with its keys.
  // ALREADY_EXISTS when the id or one of the email keys is taken (callers
  // check emails first with FindEmailOwner to name the holder).
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              absl::string_view account_id,
                              const v1::Contact& contact,
                              const ContactKeys& keys) = 0;

  // Replaces contact `id` and its keys. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              absl::string_view account_id,
                              const v1::Contact& contact,
                              const ContactKeys& keys) = 0;

  // Removes contact `id` and its keys. NOT_FOUND when there is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id) = 0;

  // The contact holding normalized email `email_key`, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindEmailOwner(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view email_key) = 0;

  // Contacts with E.164 `phone`, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> FindByPhone(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view phone,
      int limit) = 0;

  // Contacts with a search term starting with `prefix` (equal to it when
  // `exact`), at most `limit` matches.
  virtual absl::StatusOr<std::vector<KeyMatch>> MatchTerm(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view prefix,
      bool exact, int limit) = 0;

  // Every search term of contact `id`.
  virtual absl::StatusOr<std::vector<std::string>> TermsOf(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Contacts with an email key starting with `prefix`, at most `limit`.
  virtual absl::StatusOr<std::vector<KeyMatch>> MatchEmailPrefix(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view prefix,
      int limit) = 0;

  // Ids of every contact of account `account_id`, oldest first.
  virtual absl::StatusOr<std::vector<std::string>> IdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // The stored name key (contact_rules.h NameKey) of contact `id`.
  virtual absl::StatusOr<std::string> NameKeyOf(sql::Transaction& txn,
                                                absl::string_view tenant,
                                                absl::string_view id) = 0;

  // Up to `limit` contacts matching `filter` after position `after_seq`,
  // oldest first.
  virtual absl::StatusOr<std::vector<ListedContact>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const ContactFilter& filter, int64_t after_seq, int limit) = 0;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACT_STORE_H_

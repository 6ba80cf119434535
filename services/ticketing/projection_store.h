// Persistence of ticketing's projection of contacts and engagement: each
// account's tier, declared and inferred relationship mode, account manager
// and state (active, deleted, merged), each contact's account, and the
// normalized-email -> requester map that intake fills. Fed by
// projection_updater.h from events, read on the hot path of ticket creation
// and routing: never a per-request call to a peer. Every method runs inside
// the caller's transaction and is scoped by tenant. Ids are bare (no
// "accounts/" / "contacts/" prefix).
#ifndef CLIENTELE_SERVICES_TICKETING_PROJECTION_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_PROJECTION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/sql/database.h"

namespace clientele::ticketing {

// An account as ticket creation, routing and SLA selection read it.
struct ProjectedAccount {
  // The account that answers (the survivor when the asked one was merged).
  std::string account_id;
  // UNSPECIFIED reads as STANDARD (contacts' convention).
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_UNSPECIFIED;
  // The effective mode: the declared mode when contacts has one, else the
  // mode engagement last inferred, else UNSPECIFIED.
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  // Staff user id of the dedicated account manager; "" when none.
  std::string account_manager;
  bool active = true;
};

// Where an account stands in the projection.
enum class AccountState : int {
  kActive = 0,
  kDeleted = 1,  // deleted or erased in contacts
  kMerged = 2,   // merged into `merged_into`, which answers for it
};

// One account row as stored, for the updater.
struct AccountRow {
  std::string account_id;
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_UNSPECIFIED;
  type::v1::RelationshipMode declared_mode =
      type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  type::v1::RelationshipMode inferred_mode =
      type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  std::string account_manager;
  AccountState state = AccountState::kActive;
  std::string merged_into;  // survivor id when kMerged
  // update_time of the last snapshot applied; InfinitePast when none (a
  // placeholder made by an engagement event or a state change).
  absl::Time snapshot_time = absl::InfinitePast();

  // The declared mode when set, else the inferred one.
  type::v1::RelationshipMode EffectiveMode() const {
    return declared_mode != type::v1::RELATIONSHIP_MODE_UNSPECIFIED
               ? declared_mode
               : inferred_mode;
  }
};

// The contact and account a requester's email belongs to.
struct RequesterRef {
  std::string contact_id;
  std::string account_id;
};

class ProjectionStore {
 public:
  virtual ~ProjectionStore() = default;

  // --- Reads for tickets (H4) ---

  // The active account that answers for `account_id`: itself when active,
  // its survivor when merged (following chains of merges). nullopt when
  // unknown or deleted (also when the chain ends in a deleted account).
  virtual absl::StatusOr<std::optional<ProjectedAccount>> FindAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // The account of contact `contact_id` as contacts last published it;
  // nullopt when the contact is unknown or deleted.
  virtual absl::StatusOr<std::optional<std::string>> AccountOfContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // The requester intake recorded for `normalized_email`; nullopt when none
  // (never asked, or dropped since: the contact changed its emails, was
  // deleted, merged away or erased).
  virtual absl::StatusOr<std::optional<RequesterRef>> FindEmail(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view normalized_email) = 0;

  // Records (or replaces) the requester of `normalized_email`.
  virtual absl::Status PutEmail(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view normalized_email,
                                const RequesterRef& requester) = 0;

  // --- For the updater (projection_updater.h) ---

  // The row of `account_id` in whatever state; nullopt when never heard of.
  virtual absl::StatusOr<std::optional<AccountRow>> GetAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Inserts or replaces the row of `row.account_id`, every field as given.
  virtual absl::Status PutAccount(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  const AccountRow& row) = 0;

  // Records that `contact_id` belongs to `account_id` (insert or replace).
  virtual absl::Status PutContact(sql::Transaction& txn,
                                  absl::string_view tenant,
                                  absl::string_view contact_id,
                                  absl::string_view account_id) = 0;

  // Forgets `contact_id` (deleted, merged away or erased). OK when unknown.
  virtual absl::Status DeleteContact(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view contact_id) = 0;

  // Re-points every contact of `from_account_id` to `to_account_id`, and the
  // requester_emails rows of those accounts alike.
  virtual absl::Status MoveContacts(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view from_account_id,
                                    absl::string_view to_account_id) = 0;

  // Contacts of `account_id` as projected, ordered by id.
  virtual absl::StatusOr<std::vector<std::string>> ContactsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Drops every requester_emails row of `contact_id`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteEmailsOfContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Drops every requester_emails row of `account_id`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteEmailsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_PROJECTION_STORE_H_

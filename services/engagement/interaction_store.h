// Persistence of the interaction timeline and of the per-account aggregates
// that recording keeps up to date. Every method runs inside the caller's
// transaction and is scoped by tenant.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "common/sql/database.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

// ListInteractions' filters; empty values match everything.
struct InteractionFilter {
  std::vector<int> kinds;
  std::string contact_id;
  std::string staff_user;
  absl::Time start = absl::InfinitePast();  // occur_time >= start
  absl::Time end = absl::InfiniteFuture();  // occur_time < end
};

// A position in an account's timeline (newest first): occur time, then id.
struct TimelineCursor {
  int64_t occur_us = 0;
  std::string id;

  // The position of `interaction`, as the key parts of a page token.
  static std::vector<std::string> KeyOf(const v1::Interaction& interaction);
  // Back from those key parts; INVALID_ARGUMENT on "page_token" saying
  // `mismatch` when they are not a timeline position.
  static absl::StatusOr<TimelineCursor> FromKey(
      const std::vector<std::string>& key, absl::string_view mismatch);
};

class InteractionStore {
 public:
  virtual ~InteractionStore() = default;

  // Stores `interactions` (names, accounts and create times set; each
  // account id taken from `account`) and adds them to their account's
  // aggregates (buckets, contacts, staff). `currency` is the account's summing
  // currency. ALREADY_EXISTS when an id is taken. Pointers, so that a batch
  // is stored from wherever the caller holds it, without a copy.
  virtual absl::Status Insert(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::string_view currency,
      absl::Span<const v1::Interaction* const> interactions) = 0;

  // The interaction `id`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Interaction>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Removes interaction `id` and rebuilds the aggregates it was part of
  // (its week and kind, its contact, its staff member). NOT_FOUND when there
  // is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id) = 0;

  // Up to `limit` interactions of an account matching `filter`, newest
  // first, strictly after `after` when given.
  virtual absl::StatusOr<std::vector<v1::Interaction>> List(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, const InteractionFilter& filter,
      const std::optional<TimelineCursor>& after, int limit) = 0;

  // The aggregates of an account that a score as of `as_of` reads: buckets
  // from `since` on, contacts, staff. Totals (first time, count, currency) come
  // from the projection and are not filled here.
  virtual absl::StatusOr<ActivitySummary> LoadActivity(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::Time since) = 0;

  // The earliest occur time and the number of the account's interactions.
  virtual absl::StatusOr<std::pair<absl::Time, int64_t>> Totals(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Up to `limit` interactions naming `contact_id` (any account), oldest id
  // first after `after_id`.
  virtual absl::StatusOr<std::vector<v1::Interaction>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id, absl::string_view after_id, int limit) = 0;

  // Erasure: every interaction and aggregate of the account.
  virtual absl::Status DeleteAccount(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view account_id) = 0;

  // Erasure of a person: interactions naming `contact_id` keep their facts
  // but lose the contact and the summary; the contact's aggregate row goes.
  // Returns the accounts touched.
  virtual absl::StatusOr<std::vector<std::string>> ForgetContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Merge: moves every interaction of `from` to `to` and rebuilds `to`'s
  // aggregates from its whole timeline (once per merge).
  virtual absl::Status MoveAccount(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view from, absl::string_view to,
                                   absl::string_view currency) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_STORE_H_

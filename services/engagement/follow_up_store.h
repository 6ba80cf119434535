// Persistence of follow-up tasks. Every method runs inside the caller's
// transaction (so a change and its event commit together) and is scoped by
// tenant: another tenant's follow-up is simply not there.
//
// A follow-up is stored whole (v1::FollowUp); the store derives the columns
// it filters and sorts on from it: account and contact ids (the part after
// "accounts/" and "contacts/"), assignee, team, state, origin and due time
// in microseconds. Ids are the part after "followUps/".
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/follow_up.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// List's filters, combined with AND; zero values and empty strings match
// everything.
struct FollowUpFilter {
  std::string account_id;
  std::string assignee;
  std::string team;
  int state = 0;   // v1::FollowUpState
  int origin = 0;  // v1::FollowUpOrigin
  // Due time within [due_start_us, due_end_us), microseconds since the epoch.
  int64_t due_start_us = std::numeric_limits<int64_t>::min();
  int64_t due_end_us = std::numeric_limits<int64_t>::max();
};

// A position in the (due time, id) order that lists use: the next page
// starts after it.
struct FollowUpCursor {
  int64_t due_us = 0;
  std::string id;
};

// The microseconds since the epoch that the store sorts `follow_up` by
// (its due_time, which the manager keeps to whole microseconds and within
// years 1-9999, so this cannot overflow).
inline int64_t DueMicros(const v1::FollowUp& follow_up) {
  return follow_up.due_time().seconds() * 1000000 +
         follow_up.due_time().nanos() / 1000;
}

// The title of a follow-up whose contact was erased (see ClearContact).
inline constexpr char kErasedFollowUpTitle[] =
    "Follow-up about an erased contact";

class FollowUpStore {
 public:
  virtual ~FollowUpStore() = default;

  // Follow-up `id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::FollowUp>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new follow-up under `id`. ALREADY_EXISTS when the id is taken
  // (the transaction stays usable: rule-made follow-ups rely on it).
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::FollowUp& follow_up) = 0;

  // Replaces follow-up `id`. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::FollowUp& follow_up) = 0;

  // Removes follow-up `id`. NOT_FOUND when there is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id) = 0;

  // Up to `limit` follow-ups matching `filter`, ordered by due time then id,
  // starting after `after` (nullopt: from the start). Empty when none.
  virtual absl::StatusOr<std::vector<v1::FollowUp>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const FollowUpFilter& filter, const std::optional<FollowUpCursor>& after,
      int limit) = 0;

  // Up to `limit` OPEN follow-ups of `assignee` (every assignee when empty)
  // due at or before `due_until_us`, ordered by due time then id, starting
  // after `after` (nullopt: from the start). Empty when none.
  virtual absl::StatusOr<std::vector<v1::FollowUp>> ListDue(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view assignee, int64_t due_until_us,
      const std::optional<FollowUpCursor>& after, int limit) = 0;

  // How many OPEN follow-ups of `assignee` (everyone when empty) are due
  // strictly before `before_us`: the overdue ones at that moment.
  virtual absl::StatusOr<int64_t> CountOverdue(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view assignee,
                                               int64_t before_us) = 0;

  // Every follow-up of account `account_id` (any state), ordered by due time
  // then id, for a data-subject export. Empty when none.
  virtual absl::StatusOr<std::vector<v1::FollowUp>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Every follow-up naming contact `contact_id`, ordered like ListByAccount,
  // for a contact's data-subject export. Empty when none.
  virtual absl::StatusOr<std::vector<v1::FollowUp>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Removes every follow-up of account `account_id` (erasure) and returns
  // the ids removed, so stored responses naming them can be forgotten too.
  // Empty when there were none.
  virtual absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Moves every follow-up of account `from_id` to account `to_id` (a merge:
  // the survivor answers for the merged account), in the column and in the
  // stored proto. Etag and update_time are kept: the account was renamed,
  // the task itself did not change. Returns how many moved (0 when none).
  virtual absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view from_id,
                                              absl::string_view to_id) = 0;

  // Erasure of a person: every follow-up naming contact `contact_id` stays
  // with its account (kind, assignee, due time, state, etag) but loses the
  // contact, in the column and in the stored proto, and its free text,
  // which may name the person: the description is emptied and the title
  // becomes kErasedFollowUpTitle. Returns how many changed (0 when none).
  virtual absl::StatusOr<int64_t> ClearContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_FOLLOW_UP_STORE_H_

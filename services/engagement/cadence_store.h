// Persistence of keep-in-touch cadences and of the touches they made. Every
// method runs inside the caller's transaction and is scoped by tenant:
// another tenant's cadence is simply not there.
//
// A cadence is stored whole (v1::Cadence); the store derives the columns it
// filters and sorts on from it: the account id (the part after "accounts/",
// "" for a segment or all-account cadence), segment, kind and create time.
// Ids are the part after "cadences/".
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/cadence.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// List's filters, combined with AND; zero values and empty strings match
// everything.
struct CadenceFilter {
  // The cadences that cover account `covering_account_id`: its own, and
  // those with no account whose segment is unset or `covering_segment`.
  std::string covering_account_id;
  int covering_segment = 0;  // type::v1::AccountSegment of that account
  int kind = 0;              // v1::CadenceKind
  // Only cadences with no account and this segment.
  int segment = 0;
};

// A position in the (create time, id) order lists use.
struct CadenceCursor {
  int64_t create_us = 0;
  std::string id;
};

// One touch a cadence made: at most one per (cadence, account, occurrence).
struct CadenceTouch {
  std::string cadence_id;
  std::string account_id;  // "" for a segment newsletter's issue
  std::string occurrence;  // which issue, date or purchase (cadence_schedule.h)
  int kind = 0;            // v1::CadenceKind of the cadence
  std::string follow_up_id;
  absl::Time due;  // the follow-up's due time
};

// An account's relationship-survey touches, for fatigue and check-ins.
struct SurveyTouches {
  int64_t in_window = 0;                   // due within [since, until]
  absl::Time last = absl::InfinitePast();  // latest due at or before until
};

class CadenceStore {
 public:
  virtual ~CadenceStore() = default;

  // Cadence `id`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Cadence>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new cadence under `id`. ALREADY_EXISTS when the id is taken.
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::Cadence& cadence) = 0;

  // Replaces cadence `id`. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id,
                              const v1::Cadence& cadence) = 0;

  // Removes cadence `id` (its touches stay). NOT_FOUND when there is none.
  virtual absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id) = 0;

  // Up to `limit` cadences matching `filter`, oldest first (create time,
  // then id), after `after` when given. Empty when none.
  virtual absl::StatusOr<std::vector<v1::Cadence>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const CadenceFilter& filter, const std::optional<CadenceCursor>& after,
      int limit) = 0;

  // Up to `limit` tenants that have at least one cadence, in order, after
  // `after` (""): what the cadence job walks.
  virtual absl::StatusOr<std::vector<std::string>> ListTenants(
      sql::Transaction& txn, absl::string_view after, int limit) = 0;

  // The cadences of account `account_id` itself, oldest first.
  virtual absl::StatusOr<std::vector<v1::Cadence>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // A merge: the cadences and touches of `from_id` become `to_id`'s (in the
  // column and in the stored proto; etag and update_time kept). A touch
  // `to_id` already has for the same occurrence wins. Returns how many
  // cadences moved.
  virtual absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view from_id,
                                              absl::string_view to_id) = 0;

  // Erasure: the cadences of `account_id` and every touch naming it go.
  // Returns the names of the cadences removed.
  virtual absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Records `touch`. ALREADY_EXISTS (the transaction stays usable) when the
  // cadence already touched the account for that occurrence.
  virtual absl::Status InsertTouch(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   const CadenceTouch& touch) = 0;

  // Whether the cadence (any cadence when `cadence_id` is "") touched the
  // account for `occurrence`.
  virtual absl::StatusOr<bool> HasTouch(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view cadence_id,
                                        absl::string_view account_id,
                                        absl::string_view occurrence) = 0;

  // The latest due time of the cadence's touches of the account due at or
  // before `until`; InfinitePast when none.
  virtual absl::StatusOr<absl::Time> LastTouch(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view cadence_id,
                                               absl::string_view account_id,
                                               absl::Time until) = 0;

  // The account's relationship-survey touches, from any cadence (deleted
  // ones included), in [since, until].
  virtual absl::StatusOr<SurveyTouches> CountSurveyTouches(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, absl::Time since, absl::Time until) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_STORE_H_

// Persistence of engagement's projection of accounts: the AccountSnapshot
// contacts last published for each account, its state (active, gone,
// merged), the all-time activity totals and the revision that cached scores
// are checked against. Every method runs inside the caller's transaction and
// is scoped by tenant.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "common/errors.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// Where an account stands in the projection.
enum class ProjectedState : int {
  kActive = 0,
  kGone = 1,    // deleted or erased in contacts: interactions are refused
  kMerged = 2,  // merged into `merged_into`, which answers for it
};

struct ProjectedAccount {
  std::string id;  // the account id (without "accounts/")
  ProjectedState state = ProjectedState::kActive;
  std::string merged_into;  // survivor id when kMerged
  events::v1::AccountSnapshot snapshot;
  // Changes with every change a score reads (profile or activity).
  int64_t revision = 0;
  absl::Time first_interaction_time = absl::InfinitePast();  // none yet
  int64_t interaction_count = 0;
  std::string currency;  // the account's summing currency; "" until known
};

class ProjectionStore {
 public:
  virtual ~ProjectionStore() = default;

  // The account `id` as projected, in whatever state; nullopt when
  // engagement never heard of it.
  virtual absl::StatusOr<std::optional<ProjectedAccount>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // The active account that answers for `id`: `id` itself when active, its
  // survivor when it was merged (following chains of merges). nullopt when
  // unknown or gone.
  virtual absl::StatusOr<std::optional<ProjectedAccount>> Resolve(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Resolve, for requests: NOT_FOUND naming "accounts/<id>" (the name the
  // caller gave) when no active account answers for `id`.
  absl::StatusOr<ProjectedAccount> ResolveOrNotFound(sql::Transaction& txn,
                                                     absl::string_view tenant,
                                                     absl::string_view id) {
    absl::StatusOr<std::optional<ProjectedAccount>> account =
        Resolve(txn, tenant, id);
    if (!account.ok()) return account.status();
    if (!account->has_value()) {
      return NotFoundResourceError("account", absl::StrCat("accounts/", id));
    }
    return **std::move(account);
  }

  // Resolve, for a list's account filter: the id of the account that
  // answers for `id`, or `id` itself when none does (a merged account's rows
  // moved to its survivor; an unknown or gone one lists whatever is still
  // stored under its id). "" (no filter) stays "" without a read.
  absl::StatusOr<std::string> ResolveFilterId(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view id) {
    if (id.empty()) return std::string();
    absl::StatusOr<std::optional<ProjectedAccount>> account =
        Resolve(txn, tenant, id);
    if (!account.ok()) return account.status();
    if (!account->has_value()) return std::string(id);
    return (*account)->id;
  }

  // Creates the account or replaces its snapshot (a merged or gone account
  // keeps its state), and bumps its revision.
  virtual absl::Status PutSnapshot(
      sql::Transaction& txn, absl::string_view tenant, absl::string_view id,
      const events::v1::AccountSnapshot& snapshot) = 0;

  // Sets the state (and survivor for kMerged) and bumps the revision;
  // creates a placeholder row when the account is unknown, so that late
  // events for it are refused too.
  virtual absl::Status SetState(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view id, ProjectedState state,
                                absl::string_view merged_into) = 0;

  // Replaces the activity totals and bumps the revision.
  virtual absl::Status PutTotals(sql::Transaction& txn,
                                 absl::string_view tenant, absl::string_view id,
                                 absl::Time first_interaction_time,
                                 int64_t interaction_count,
                                 absl::string_view currency) = 0;

  // Bumps the revision only (something else a score reads changed).
  virtual absl::Status Touch(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view id) = 0;

  // Bumps the revision of every active account of the tenant (a change
  // scores read for many accounts at once, such as a segment-wide cadence)
  // and returns how many. One statement: 10-30 ms for 10,000 accounts.
  virtual absl::StatusOr<int64_t> TouchAllActive(sql::Transaction& txn,
                                                 absl::string_view tenant) = 0;

  // Up to `limit` active accounts of the tenant that contacts told us about
  // (placeholders excluded), by id after `after_id` (""): background passes
  // walk the tenant page by page.
  virtual absl::StatusOr<std::vector<ProjectedAccount>> ListActive(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view after_id, int limit) = 0;

  // The revision of the account that answers for `id` (see Resolve) and
  // that account's id, in one indexed read: the hot path of cached score
  // reads. nullopt when unknown or gone.
  struct RevisionRef {
    std::string id;
    int64_t revision = 0;
  };
  virtual absl::StatusOr<std::optional<RevisionRef>> ResolveRevision(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_PROJECTION_STORE_H_

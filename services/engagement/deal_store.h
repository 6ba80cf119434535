// Persistence of deals and of the PROPOSAL interactions linked to them.
// Every method runs inside the caller's transaction (so a change and its
// event commit together) and is scoped by tenant: another tenant's deal is
// simply not there.
//
// A deal is stored whole (v1::Deal, without its output-only probability,
// weighted_amount and proposals, which are computed at read); the store
// derives the columns it filters and sorts on from it: account and contact
// ids (the part after "accounts/" and "contacts/"), stage, kind, owner, the
// expected close and close dates as days (deal_rules.h DayOf; no close day
// while open), currency and amount. Ids are the part after "deals/".
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// List's filters, combined with AND; empty values match everything.
struct DealFilter {
  std::string account_id;
  std::vector<int> stages;  // v1::DealStage values
  std::string owner;
  // Expected close day within [start_day, end_day] (inclusive).
  int64_t start_day = std::numeric_limits<int64_t>::min();
  int64_t end_day = std::numeric_limits<int64_t>::max();
};

// A position in the (expected close day, id) order lists use: the next
// page starts after it.
struct DealCursor {
  int64_t expected_close_day = 0;
  std::string id;
};

// What the pipeline reads of a deal (no blob parsed).
struct PipelineDeal {
  v1::DealStage stage = v1::DEAL_STAGE_UNSPECIFIED;
  int64_t expected_close_day = 0;
  std::optional<int64_t> close_day;  // closed deals only
  std::string currency;
  int64_t amount_minor = 0;
};

// What scoring reads of a closed deal (no blob parsed).
struct ClosedDealRow {
  v1::DealKind kind = v1::DEAL_KIND_UNSPECIFIED;
  v1::DealStage stage = v1::DEAL_STAGE_UNSPECIFIED;  // WON or LOST
  int64_t close_day = 0;
  std::string currency;
  int64_t amount_minor = 0;
};

// The deals of one quarter's pipeline, filtered by owner and kind.
struct PipelineQuery {
  int64_t first_day = 0;  // the quarter, inclusive
  int64_t last_day = 0;
  std::string owner;                              // "" for every owner
  v1::DealKind kind = v1::DEAL_KIND_UNSPECIFIED;  // unset for every kind
};
struct PipelineRows {
  // Open deals expected to close within the quarter, and closed deals with
  // a close day within it, in no particular order.
  std::vector<PipelineDeal> deals;
  // Open deals expected to close before the quarter's first day.
  int64_t overdue_count = 0;
};

class DealStore {
 public:
  virtual ~DealStore() = default;

  // Deal `id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Deal>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new deal under `id`. ALREADY_EXISTS when the id is taken.
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id, const v1::Deal& deal) = 0;

  // Replaces deal `id`. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id, const v1::Deal& deal) = 0;

  // Up to `limit` deals matching `filter`, ordered by expected close day
  // then id, starting after `after` (nullopt: from the start).
  virtual absl::StatusOr<std::vector<v1::Deal>> List(
      sql::Transaction& txn, absl::string_view tenant, const DealFilter& filter,
      const std::optional<DealCursor>& after, int limit) = 0;

  // The rows of the pipeline `query` asks for.
  virtual absl::StatusOr<PipelineRows> ListForPipeline(
      sql::Transaction& txn, absl::string_view tenant,
      const PipelineQuery& query) = 0;

  // The closed deals of account `account_id` with a close day at or before
  // `through_day`, ordered by close day then id (oldest first).
  virtual absl::StatusOr<std::vector<ClosedDealRow>> ListClosed(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, int64_t through_day) = 0;

  // Every deal of account `account_id` (any stage), or naming contact
  // `contact_id`, ordered like List: for data-subject exports.
  virtual absl::StatusOr<std::vector<v1::Deal>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;
  virtual absl::StatusOr<std::vector<v1::Deal>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Removes every deal of account `account_id` and their proposal links
  // (erasure); returns the ids removed, so stored responses naming them can
  // be forgotten too. Empty when there were none.
  virtual absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Moves every deal of account `from_id` to account `to_id` (a merge), in
  // the column and in the stored proto; etag and update_time are kept.
  // Returns how many moved.
  virtual absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view from_id,
                                              absl::string_view to_id) = 0;

  // Erasure of a person: every deal naming contact `contact_id` stays with
  // its account, stage, amounts and etag but loses the contact and the free
  // text that may name the person: the title becomes kErasedDealTitle
  // (deal_rules.h) and the close note is emptied. Returns how many changed.
  virtual absl::StatusOr<int64_t> ClearContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Links interaction `interaction_id`, occurring at `occur_us`
  // (microseconds since the epoch), to deal `deal_id`. Linking it again
  // does nothing.
  virtual absl::Status AddProposal(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view deal_id, int64_t occur_us,
                                   absl::string_view interaction_id) = 0;
  // Removes interaction `interaction_id`'s link, if any.
  virtual absl::Status RemoveProposal(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view interaction_id) = 0;
  // The ids of the latest `limit` interactions linked to deal `deal_id`,
  // oldest first (by occur time, then id).
  virtual absl::StatusOr<std::vector<std::string>> ListProposals(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view deal_id, int limit) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_STORE_H_

// The Projector's parts (projector.h), one file per event family, and the
// helpers they share. Internal to the reporting service.
#ifndef CLIENTELE_SERVICES_REPORTING_PROJECTOR_PARTS_H_
#define CLIENTELE_SERVICES_REPORTING_PROJECTOR_PARTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clientele/events/v1/event.pb.h"
#include "clientele/type/v1/date.pb.h"
#include "common/sql/database.h"
#include "services/reporting/projector_pending.h"

namespace clientele::reporting::projector_internal {

// What one event is applied for: its tenant, when it happened, and where
// the writes that only add are held until the transaction's end
// (projector_pending.h; never null).
struct EventContext {
  std::string tenant;
  int64_t at_us = 0;
  PendingWrites* pending = nullptr;
};

// A column of a version row and its new value.
using Column = std::pair<const char*, sql::Value>;

// Makes `columns` the state of `key` (in `key_column`) of the version table
// `table` from ctx.at_us on: the current version ends where the new one
// starts, at ctx.at_us clamped to the current version's start (a version
// starting at the same moment is replaced), so versions never overlap. Does
// nothing when the current version holds the same values. Errors are the
// database's.
absl::Status PutVersion(sql::Transaction& txn, absl::string_view table,
                        absl::string_view key_column, const EventContext& ctx,
                        const std::string& key,
                        const std::vector<Column>& columns);

// The account facts about `account_id` are kept under: itself, or the
// survivor it was merged into (following merges). nullopt when the account
// is deleted or erased: its facts are no longer kept. An account reporting
// has not heard of yet resolves to itself.
absl::StatusOr<std::optional<std::string>> ResolveAccount(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id);

// A live account's row in account_cells (projector_aggregates.h): its
// current mode, band and score, tier, segment and account manager.
struct AccountCell {
  int64_t mode = 0;
  int64_t band = 0;
  int64_t score = 0;
  int64_t tier = 0;
  int64_t segment = 0;
  std::string account_manager;

  // The key of the cell's flow aggregates (revenue, deals).
  bool SameRevenueKey(const AccountCell& other) const {
    return mode == other.mode && tier == other.tier && segment == other.segment;
  }
  friend bool operator==(const AccountCell& a, const AccountCell& b) {
    return a.SameRevenueKey(b) && a.band == b.band && a.score == b.score &&
           a.account_manager == b.account_manager;
  }
};

// The account's row in account_cells; nullopt when it has none (not live:
// unknown, deleted, erased or merged away).
absl::StatusOr<std::optional<AccountCell>> StoredCell(
    sql::Transaction& txn, const std::string& tenant,
    const std::string& account_id);

// Days since 1970-01-01 of a calendar date; nullopt when it is unset, has
// year 0 or is not a valid date.
std::optional<int64_t> DayOfDate(const type::v1::Date& date);

// A nullable integer column.
inline sql::Value NullableInt(const std::optional<int64_t>& value) {
  return value ? sql::Value(*value) : sql::Value();
}

// Microseconds of an event timestamp (0 when unset).
int64_t MicrosOf(const google::protobuf::Timestamp& timestamp);

// The event families: each applies the payload cases of its source service
// that reports read and answers true, or answers false (doing nothing) for
// a payload it does not use.
absl::StatusOr<bool> ApplyContactsEvent(sql::Transaction& txn,
                                        const EventContext& ctx,
                                        const events::v1::Event& event);
absl::StatusOr<bool> ApplyEngagementEvent(sql::Transaction& txn,
                                          const EventContext& ctx,
                                          const events::v1::Event& event);
absl::StatusOr<bool> ApplyOrderEvent(sql::Transaction& txn,
                                     const EventContext& ctx,
                                     const events::v1::Event& event);
absl::StatusOr<bool> ApplyTicketingEvent(sql::Transaction& txn,
                                         const EventContext& ctx,
                                         const events::v1::Event& event);

// An interaction as the per-day aggregates count it.
struct InteractionRow {
  std::string account_id;
  int kind = 0;
  int64_t occur_us = 0;
  std::string staff_user;
  bool personalized = false;
  std::string currency;  // '' when not revenue
  int64_t amount_minor = 0;
};
// An interaction's share of its account's revenue_days and activity_days
// rows and of the aggregates over them: added (held in ctx.pending), or
// taken away at once (after writing what is held), rows left with no
// interactions going.
// `cell` is row.account_id's StoredCell, read by the caller.
void AddInteractionShare(const EventContext& ctx, const InteractionRow& row,
                         const std::optional<AccountCell>& cell);
absl::Status RemoveInteractionShare(sql::Transaction& txn,
                                    const EventContext& ctx,
                                    const InteractionRow& row);

// Moves every fact of `from` (interactions and their aggregates, tickets,
// CSAT responses, follow-ups, deals, orders) to `to`. Reads the per-day
// rows: the caller flushes its PendingWrites first.
absl::Status MoveAccountFacts(sql::Transaction& txn, const std::string& tenant,
                              const std::string& from, const std::string& to);

// Deletes every fact kept about `account_id` (what MoveAccountFacts moves,
// and its scores). The caller flushes its PendingWrites first.
absl::Status EraseAccountFacts(sql::Transaction& txn, const std::string& tenant,
                               const std::string& account_id);

}  // namespace clientele::reporting::projector_internal

#endif  // CLIENTELE_SERVICES_REPORTING_PROJECTOR_PARTS_H_

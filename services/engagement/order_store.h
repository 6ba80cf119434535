// Persistence of orders. Every method runs inside the caller's transaction
// (so a change and its events commit together) and is scoped by tenant:
// another tenant's order is simply not there.
//
// An order is stored whole (v1::Order); the store derives the columns it
// filters and sorts on from it: account and contact ids (the part after
// "accounts/" and "contacts/"), status, fulfilment team, assignee and place
// time in microseconds. Ids are the part after "orders/".
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ORDER_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ORDER_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/engagement/v1/order.pb.h"
#include "common/sql/database.h"

namespace clientele::engagement {

// List's filters, combined with AND; empty values match everything.
struct OrderFilter {
  std::string account_id;
  std::vector<int> statuses;  // v1::OrderStatus values, any of them
  std::string fulfilment_team;
  std::string assignee;
  // Place time within [place_start_us, place_end_us), microseconds since the
  // epoch.
  int64_t place_start_us = std::numeric_limits<int64_t>::min();
  int64_t place_end_us = std::numeric_limits<int64_t>::max();
};

// A position in the (place time, id) order, newest first, that lists use:
// the next page starts after it.
struct OrderCursor {
  int64_t place_us = 0;
  std::string id;
};

// The microseconds since the epoch that the store sorts `order` by (its
// place_time, which the manager keeps to whole microseconds within years
// 1-9999, so this cannot overflow).
inline int64_t PlaceMicros(const v1::Order& order) {
  return order.place_time().seconds() * 1000000 +
         order.place_time().nanos() / 1000;
}

class OrderStore {
 public:
  virtual ~OrderStore() = default;

  // Order `id` of `tenant`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::Order>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new order under `id`. ALREADY_EXISTS when the id is taken.
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id, const v1::Order& order) = 0;

  // Replaces order `id`. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view id, const v1::Order& order) = 0;

  // Up to `limit` orders matching `filter`, newest place time first (then
  // the greater id), starting after `after` (nullopt: from the start).
  virtual absl::StatusOr<std::vector<v1::Order>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const OrderFilter& filter, const std::optional<OrderCursor>& after,
      int limit) = 0;

  // Every order of account `account_id`, ordered like List, for a
  // data-subject export. Empty when none.
  virtual absl::StatusOr<std::vector<v1::Order>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Every order naming contact `contact_id`, ordered like List, for a
  // contact's data-subject export. Empty when none.
  virtual absl::StatusOr<std::vector<v1::Order>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Removes every order of account `account_id` (erasure) and returns the
  // ids removed. Empty when there were none.
  virtual absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Moves every order of account `from_id` to account `to_id` (a merge), in
  // the column and in the stored proto; etag and update_time are kept (the
  // account was renamed, the order did not change). Returns how many moved.
  virtual absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                              absl::string_view tenant,
                                              absl::string_view from_id,
                                              absl::string_view to_id) = 0;

  // Erasure of a person: every order naming contact `contact_id` keeps its
  // facts but loses the contact and its cancel reason (free text that may
  // name the person). Returns how many changed (0 when none).
  virtual absl::StatusOr<int64_t> ClearContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // The account id of deal `deal_id` (deals are deal_manager.h's; orders
  // only check that the one they name exists and belongs to their account).
  // nullopt when the tenant has no such deal.
  virtual absl::StatusOr<std::optional<std::string>> DealAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view deal_id) = 0;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ORDER_STORE_H_

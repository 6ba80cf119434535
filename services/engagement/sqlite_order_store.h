// OrderStore on the engagement SQL schema (engagement_schema.cc, table
// `orders`): the order as a serialized proto plus the columns lists filter
// and sort on. DealAccount reads the `deals` table.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_ORDER_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_ORDER_STORE_H_

#include "services/engagement/order_store.h"

namespace clientele::engagement {

class SqliteOrderStore final : public OrderStore {
 public:
  absl::StatusOr<std::optional<v1::Order>> Find(sql::Transaction& txn,
                                                absl::string_view tenant,
                                                absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, const v1::Order& order) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, const v1::Order& order) override;
  absl::StatusOr<std::vector<v1::Order>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const OrderFilter& filter, const std::optional<OrderCursor>& after,
      int limit) override;
  absl::StatusOr<std::vector<v1::Order>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<v1::Order>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view from_id,
                                      absl::string_view to_id) override;
  absl::StatusOr<int64_t> ClearContact(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view contact_id) override;
  absl::StatusOr<std::optional<std::string>> DealAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view deal_id) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_ORDER_STORE_H_

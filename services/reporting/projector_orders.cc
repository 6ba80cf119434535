// engagement's order events: the current state of each order (table
// `orders`), for the account page and the client portal. Revenue is not
// taken from here: an order's purchase arrives as its own interaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/reporting/projector_parts.h"

namespace clientele::reporting::projector_internal {
namespace {

std::optional<int64_t> OptionalMicros(
    const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return std::nullopt;
  return MicrosOf(timestamp);
}

absl::Status PutOrder(sql::Transaction& txn, const EventContext& ctx,
                      const events::v1::OrderSnapshot& order) {
  const std::string id = IdOf(order.name());
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(order.account())));
  if (id.empty() || !account.has_value()) return absl::OkStatus();
  std::vector<std::string> items;
  items.reserve(order.items_size());
  for (const events::v1::OrderItemSnapshot& item : order.items()) {
    items.push_back(absl::StrCat(item.quantity(), " x ", item.product()));
  }
  return txn
      .Exec(
          "INSERT INTO orders (tenant, order_id, account_id, status, "
          "currency, total_minor, items, place_us, fulfil_us, cancel_us, "
          "deal_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant, order_id) DO UPDATE SET "
          "account_id = excluded.account_id, status = excluded.status, "
          "currency = excluded.currency, total_minor = excluded.total_minor, "
          "items = excluded.items, place_us = excluded.place_us, "
          "fulfil_us = excluded.fulfil_us, cancel_us = excluded.cancel_us, "
          "deal_id = excluded.deal_id",
          {ctx.tenant, id, *account, int64_t{order.status()},
           order.total().currency_code(), order.total().amount_minor_units(),
           absl::StrJoin(items, "\n"),
           OptionalMicros(order.place_time()).value_or(ctx.at_us),
           NullableInt(OptionalMicros(order.fulfil_time())),
           NullableInt(OptionalMicros(order.cancel_time())),
           IdOf(order.deal())})
      .status();
}

}  // namespace

absl::StatusOr<bool> ApplyOrderEvent(sql::Transaction& txn,
                                     const EventContext& ctx,
                                     const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kOrderPlaced:
      RETURN_IF_ERROR(PutOrder(txn, ctx, event.order_placed().order()));
      return true;
    case events::v1::Event::kOrderUpdated:
      RETURN_IF_ERROR(PutOrder(txn, ctx, event.order_updated().order()));
      return true;
    case events::v1::Event::kOrderFulfilled:
      RETURN_IF_ERROR(PutOrder(txn, ctx, event.order_fulfilled().order()));
      return true;
    case events::v1::Event::kOrderCancelled:
      RETURN_IF_ERROR(PutOrder(txn, ctx, event.order_cancelled().order()));
      return true;
    default:
      return false;
  }
}

}  // namespace clientele::reporting::projector_internal

#include "services/engagement/order_rules.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/engagement/interaction_rules.h"

namespace clientele::engagement {
namespace {

constexpr char kPrefix[] = "order.";

std::string Path(absl::string_view field) {
  return absl::StrCat(kPrefix, field);
}

// Checks items[i] under "order.items[i]"; true when it is valid.
bool CheckItem(v1::OrderItem* item, int i, FieldViolations* violations) {
  const std::string prefix = absl::StrCat(kPrefix, "items[", i, "].");
  bool ok = CheckText(item->mutable_product(), absl::StrCat(prefix, "product"),
                      kMaxOrderProductChars, /*required=*/true,
                      /*multiline=*/false, violations);
  if (item->quantity() < 1 || item->quantity() > kMaxOrderQuantity) {
    violations->Add(absl::StrCat(prefix, "quantity"),
                    "required: between 1 and 1,000,000");
    ok = false;
  }
  if (!item->has_unit_price()) {
    violations->Add(absl::StrCat(prefix, "unit_price"), "required");
    return false;
  }
  if (!IsKnownCurrency(item->unit_price().currency_code())) {
    violations->Add(absl::StrCat(prefix, "unit_price.currency_code"),
                    "not an ISO 4217 currency code such as \"EUR\"");
    ok = false;
  }
  const int64_t price = item->unit_price().amount_minor_units();
  if (price < 0 || !IsAmountInRange(price)) {
    violations->Add(absl::StrCat(prefix, "unit_price.amount_minor_units"),
                    price < 0 ? std::string("must not be negative")
                              : std::string(kAmountRangeDescription));
    ok = false;
  }
  return ok;
}

}  // namespace

void CheckOrder(v1::Order* order, absl::Time now, FieldViolations* violations) {
  if (order->account().empty()) {
    violations->Add(Path("account"), "required: \"accounts/{account}\"");
  } else if (!ParseResourceName(order->account(), "accounts", "account").ok()) {
    violations->Add(Path("account"), "must be \"accounts/{account}\"");
  }
  if (!order->contact().empty() &&
      !ParseResourceName(order->contact(), "contacts", "contact").ok()) {
    violations->Add(Path("contact"), "must be \"contacts/{contact}\"");
  }

  order->clear_total();
  if (order->items().empty() || order->items_size() > kMaxOrderItems) {
    violations->Add(Path("items"), absl::StrCat("required: 1-100 items, got ",
                                                order->items_size()));
  } else {
    bool items_ok = true;
    for (int i = 0; i < order->items_size(); ++i) {
      items_ok &= CheckItem(order->mutable_items(i), i, violations);
    }
    // One currency per order: each item that differs from the first is
    // named, so the client sees which line to fix.
    const std::string& currency = order->items(0).unit_price().currency_code();
    for (int i = 1; i < order->items_size() && IsKnownCurrency(currency); ++i) {
      const v1::OrderItem& item = order->items(i);
      if (item.has_unit_price() &&
          IsKnownCurrency(item.unit_price().currency_code()) &&
          item.unit_price().currency_code() != currency) {
        violations->Add(
            absl::StrCat(kPrefix, "items[", i, "].unit_price.currency_code"),
            absl::StrCat("every item of an order is priced in "
                         "one currency; the first item's is ",
                         currency));
        items_ok = false;
      }
    }
    if (items_ok) {
      std::optional<type::v1::Money> total = OrderTotal(order->items());
      if (total.has_value()) {
        *order->mutable_total() = *std::move(total);
      } else {
        violations->Add(Path("items"),
                        absl::StrCat("the total (quantity x unit_price over "
                                     "the items) must be ",
                                     kAmountRangeDescription));
      }
    }
  }

  CheckText(order->mutable_fulfilment_team(), Path("fulfilment_team"),
            kMaxOrderStaffChars, /*required=*/false, /*multiline=*/false,
            violations);
  CheckText(order->mutable_assignee(), Path("assignee"), kMaxOrderStaffChars,
            /*required=*/false, /*multiline=*/false, violations);

  if (order->checklist_size() > kMaxChecklistItems) {
    violations->Add(Path("checklist"), absl::StrCat("at most 50 items, got ",
                                                    order->checklist_size()));
  } else {
    for (int i = 0; i < order->checklist_size(); ++i) {
      CheckText(order->mutable_checklist(i)->mutable_title(),
                absl::StrCat(kPrefix, "checklist[", i, "].title"),
                kMaxChecklistTitleChars, /*required=*/true,
                /*multiline=*/false, violations);
    }
  }

  if (!order->has_place_time()) {
    violations->Add(Path("place_time"), "required");
  } else if (!IsValidTimestamp(order->place_time())) {
    violations->Add(Path("place_time"),
                    "must be between 0001-01-01 and 9999-12-31");
  } else if (ToTime(order->place_time()) > now + kClockSkewAllowance) {
    violations->Add(Path("place_time"),
                    "in the future (more than 5 minutes after the server's "
                    "clock)");
  } else {
    SetTimestamp(FromMicros(TimestampMicros(order->place_time())),
                 order->mutable_place_time());
  }

  CheckText(order->mutable_cancel_reason(), Path("cancel_reason"),
            kMaxCancelReasonChars, /*required=*/false, /*multiline=*/true,
            violations);
  if (!order->cancel_reason().empty() &&
      order->status() != v1::ORDER_STATUS_CANCELLED) {
    violations->Add(Path("cancel_reason"),
                    "only with status ORDER_STATUS_CANCELLED");
  }
  if (!order->deal().empty() &&
      !ParseResourceName(order->deal(), "deals", "deal").ok()) {
    violations->Add(Path("deal"), "must be \"deals/{deal}\"");
  }
}

std::optional<type::v1::Money> OrderTotal(
    const google::protobuf::RepeatedPtrField<v1::OrderItem>& items) {
  int64_t sum = 0;
  for (const v1::OrderItem& item : items) {
    int64_t line = 0;
    if (__builtin_mul_overflow(item.quantity(),
                               item.unit_price().amount_minor_units(), &line) ||
        __builtin_add_overflow(sum, line, &sum) || !IsAmountInRange(sum)) {
      return std::nullopt;
    }
  }
  type::v1::Money total;
  total.set_currency_code(items.Get(0).unit_price().currency_code());
  total.set_amount_minor_units(sum);
  return total;
}

bool IsFinalStatus(v1::OrderStatus status) {
  return status == v1::ORDER_STATUS_FULFILLED ||
         status == v1::ORDER_STATUS_CANCELLED;
}

bool IsAllowedMove(v1::OrderStatus from, v1::OrderStatus to) {
  if (from == to) {
    return true;
  }
  switch (from) {
    case v1::ORDER_STATUS_PLACED:
      // A shop that hands the order over at once skips IN_PROGRESS.
      return to == v1::ORDER_STATUS_IN_PROGRESS ||
             to == v1::ORDER_STATUS_FULFILLED ||
             to == v1::ORDER_STATUS_CANCELLED;
    case v1::ORDER_STATUS_IN_PROGRESS:
      return to == v1::ORDER_STATUS_FULFILLED ||
             to == v1::ORDER_STATUS_CANCELLED;
    default:
      return false;
  }
}

void StampChecklist(const v1::Order* before, absl::Time now, v1::Order* order) {
  std::vector<bool> used(before == nullptr ? 0 : before->checklist_size());
  for (v1::ChecklistItem& item : *order->mutable_checklist()) {
    item.clear_done_time();
    if (!item.done()) {
      continue;
    }
    bool kept = false;
    for (size_t j = 0; j < used.size() && !kept; ++j) {
      const v1::ChecklistItem& earlier = before->checklist(static_cast<int>(j));
      if (!used[j] && earlier.done() && earlier.title() == item.title()) {
        used[j] = true;
        *item.mutable_done_time() = earlier.done_time();
        kept = true;
      }
    }
    if (!kept) {
      SetTimestamp(now, item.mutable_done_time());
    }
  }
}

int FirstUndoneChecklistItem(const v1::Order& order) {
  for (int i = 0; i < order.checklist_size(); ++i) {
    if (!order.checklist(i).done()) {
      return i;
    }
  }
  return -1;
}

v1::Interaction PurchaseOf(const v1::Order& order) {
  v1::Interaction purchase;
  purchase.set_account(order.account());
  purchase.set_contact(order.contact());
  purchase.set_kind(v1::INTERACTION_KIND_PURCHASE);
  *purchase.mutable_occur_time() = order.place_time();
  purchase.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
  purchase.set_channel(v1::INTERACTION_CHANNEL_OTHER);
  purchase.set_staff_user(order.assignee());
  *purchase.mutable_amount() = order.total();
  purchase.set_summary(
      absl::StrCat("Order of ", order.items_size(),
                   order.items_size() == 1 ? " item" : " items"));
  purchase.set_source_ref(order.name());
  return purchase;
}

bool PurchaseDiffers(const v1::Order& before, const v1::Order& after) {
  return !google::protobuf::util::MessageDifferencer::Equals(PurchaseOf(before),
                                                             PurchaseOf(after));
}

std::optional<v1::FollowUp> InvoiceFollowUp(
    const v1::Order& order, const events::v1::AccountSnapshot& account,
    const v1::FollowUpRules& rules) {
  const google::protobuf::Duration& delay =
      rules.invoice_after_purchase_delay();
  // The policy validates delays; a malformed one counts as off rather than
  // failing the order's fulfilment.
  if (!IsValidDuration(delay) || ToDuration(delay) <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  v1::FollowUp follow_up;
  follow_up.set_account(order.account());
  follow_up.set_contact(order.contact());
  follow_up.set_title("Send the invoice for the fulfilled order");
  follow_up.set_kind(v1::FOLLOW_UP_KIND_SEND_INVOICE);
  if (!order.assignee().empty()) {
    follow_up.set_assignee(order.assignee());
  } else if (!account.account_manager().empty()) {
    follow_up.set_assignee(account.account_manager());
  } else {
    follow_up.set_assignee(account.owner());
  }
  follow_up.set_team(order.fulfilment_team());
  const absl::Time due = ToTime(order.fulfil_time()) + ToDuration(delay);
  SetTimestamp(FromMicros(ToMicros(due)), follow_up.mutable_due_time());
  if (!IsValidTimestamp(follow_up.due_time())) {
    return std::nullopt;  // past 9999-12-31: nobody will invoice then
  }
  follow_up.set_priority(v1::FOLLOW_UP_PRIORITY_NORMAL);
  follow_up.set_rule(v1::FOLLOW_UP_RULE_ORDER_FULFILLED);
  follow_up.set_source(order.name());
  return follow_up;
}

std::string InvoiceFollowUpId(absl::string_view order_id) {
  return absl::StrCat(order_id, "-inv");
}

events::v1::OrderSnapshot SnapshotOf(const v1::Order& order) {
  events::v1::OrderSnapshot snapshot;
  snapshot.set_name(order.name());
  snapshot.set_account(order.account());
  snapshot.set_contact(order.contact());
  for (const v1::OrderItem& item : order.items()) {
    events::v1::OrderItemSnapshot* out = snapshot.add_items();
    out->set_product(item.product());
    out->set_quantity(item.quantity());
    *out->mutable_unit_price() = item.unit_price();
  }
  if (order.has_total()) {
    *snapshot.mutable_total() = order.total();
  }
  snapshot.set_status(static_cast<events::v1::OrderStatus>(order.status()));
  snapshot.set_fulfilment_team(order.fulfilment_team());
  snapshot.set_assignee(order.assignee());
  *snapshot.mutable_place_time() = order.place_time();
  if (order.has_fulfil_time()) {
    *snapshot.mutable_fulfil_time() = order.fulfil_time();
  }
  if (order.has_cancel_time()) {
    *snapshot.mutable_cancel_time() = order.cancel_time();
  }
  snapshot.set_deal(order.deal());
  snapshot.set_purchase_interaction(order.purchase_interaction());
  return snapshot;
}

std::vector<std::string> ChangedFields(const v1::Order& before,
                                       const v1::Order& after) {
  std::vector<std::string> changed;
  const google::protobuf::Descriptor* descriptor = v1::Order::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->number() == v1::Order::kUpdateTimeFieldNumber ||
        field->number() == v1::Order::kEtagFieldNumber) {
      continue;
    }
    google::protobuf::util::MessageDifferencer differencer;
    differencer.set_scope(google::protobuf::util::MessageDifferencer::FULL);
    std::vector<const google::protobuf::FieldDescriptor*> only = {field};
    if (!differencer.CompareWithFields(before, after, only, only)) {
      changed.push_back(field->name());
    }
  }
  return changed;
}

}  // namespace clientele::engagement

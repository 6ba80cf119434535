#include "services/engagement/order_manager.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clientele/events/v1/event.pb.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/engagement/manager_steps.h"
#include "services/engagement/order_rules.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

constexpr absl::string_view kOrders = "orders";
// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
constexpr absl::string_view kOrderType = "clientele.engagement.v1.Order";
constexpr absl::string_view kDealType = "clientele.engagement.v1.Deal";

constexpr absl::string_view kUpdatablePaths[] = {
    "contact", "items",     "fulfilment_team", "assignee",
    "status",  "checklist", "cancel_reason",   "deal"};
constexpr absl::string_view kOutputOnlyPaths[] = {"name",
                                                  "account",
                                                  "total",
                                                  "place_time",
                                                  "fulfil_time",
                                                  "cancel_time",
                                                  "purchase_interaction",
                                                  "create_time",
                                                  "update_time",
                                                  "etag"};

std::string OrderName(absl::string_view id) {
  return absl::StrCat(kOrders, "/", id);
}

absl::string_view StatusName(v1::OrderStatus status) {
  const std::string& name = v1::OrderStatus_Name(status);
  return absl::string_view(name).substr(sizeof("ORDER_STATUS_") - 1);
}

// FAILED_PRECONDITION naming `field`: the client must change the order (or
// what it asks) first.
absl::Status PreconditionError(absl::string_view field,
                               absl::string_view description) {
  FieldViolations violations;
  violations.Add(field, description);
  return violations.ToStatus(absl::StatusCode::kFailedPrecondition);
}

absl::StatusOr<v1::Order> LoadOrder(sql::Transaction& txn, OrderStore& store,
                                    absl::string_view tenant,
                                    absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Order> order, store.Find(txn, tenant, id));
  if (!order.has_value()) {
    return NotFoundResourceError(kOrderType, OrderName(id));
  }
  return *std::move(order);
}

}  // namespace

absl::Status OrderManager::CheckDeal(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     const v1::Order& order) {
  if (order.deal().empty()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> deal_account,
                   store_->DealAccount(txn, tenant, IdOf(order.deal())));
  if (!deal_account.has_value()) {
    return NotFoundResourceError(kDealType, order.deal());
  }
  const std::string account_id = IdOf(order.account());
  if (*deal_account == account_id) {
    return absl::OkStatus();
  }
  // A deal still filed under an account merged into this one is its too.
  ASSIGN_OR_RETURN(std::optional<ProjectedAccount> resolved,
                   deps_.projection->Resolve(txn, tenant, *deal_account));
  if (resolved.has_value() && resolved->id == account_id) {
    return absl::OkStatus();
  }
  return InvalidFieldError(
      "order.deal",
      absl::StrCat(order.deal(), " is a deal of another account"));
}

absl::Status OrderManager::ReplacePurchase(sql::Transaction& txn,
                                           const Caller& caller,
                                           const std::string& previous,
                                           v1::Order* order) {
  if (!previous.empty()) {
    absl::Status deleted = interactions_->DeleteForOrder(txn, caller, previous);
    // Already gone is what we wanted.
    if (!deleted.ok() && !absl::IsNotFound(deleted)) {
      return deleted;
    }
    order->clear_purchase_interaction();
  }
  // Resolved after the deletion, whose totals the new purchase adds to.
  ASSIGN_OR_RETURN(ProjectedAccount account,
                   deps_.projection->ResolveOrNotFound(txn, caller.tenant,
                                                       IdOf(order->account())));
  ASSIGN_OR_RETURN(
      v1::Interaction purchase,
      interactions_->RecordForOrder(txn, caller, account, PurchaseOf(*order)));
  order->set_purchase_interaction(purchase.name());
  return absl::OkStatus();
}

absl::Status OrderManager::MakeInvoiceFollowUp(sql::Transaction& txn,
                                               const Caller& caller,
                                               const v1::Order& order) {
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps_.scores, caller.tenant));
  ASSIGN_OR_RETURN(
      std::optional<ProjectedAccount> account,
      deps_.projection->Resolve(txn, caller.tenant, IdOf(order.account())));
  const events::v1::AccountSnapshot profile =
      account.has_value() ? account->snapshot : events::v1::AccountSnapshot();
  std::optional<v1::FollowUp> follow_up =
      InvoiceFollowUp(order, profile, policy.follow_up_rules());
  if (!follow_up.has_value()) {
    return absl::OkStatus();
  }
  return follow_ups_
      ->InsertByRule(txn, caller, InvoiceFollowUpId(IdOf(order.name())),
                     *std::move(follow_up))
      .status();
}

absl::StatusOr<v1::Order> OrderManager::Create(const Caller& caller,
                                               v1::Order order) {
  const absl::Time now = deps_.clock->Now();
  order.clear_name();
  order.set_status(v1::ORDER_STATUS_PLACED);
  order.clear_fulfil_time();
  order.clear_cancel_time();
  order.clear_purchase_interaction();
  order.clear_create_time();
  order.clear_update_time();
  order.clear_etag();
  if (!order.has_place_time()) {
    SetTimestamp(FromMicros(ToMicros(now)), order.mutable_place_time());
  }
  FieldViolations violations;
  CheckOrder(&order, now, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  StampChecklist(/*before=*/nullptr, now, &order);
  const std::string id = deps_.ids->NewId();
  order.set_name(OrderName(id));

  v1::Order result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(ProjectedAccount account,
                         deps_.projection->ResolveOrNotFound(
                             txn, caller.tenant, IdOf(order.account())));
        v1::Order stored = order;
        stored.set_account(absl::StrCat("accounts/", account.id));
        RETURN_IF_ERROR(CheckDeal(txn, caller.tenant, stored));
        ASSIGN_OR_RETURN(v1::Interaction purchase,
                         interactions_->RecordForOrder(txn, caller, account,
                                                       PurchaseOf(stored)));
        stored.set_purchase_interaction(purchase.name());
        Stamp(deps_, now, /*created=*/true, &stored);
        RETURN_IF_ERROR(store_->Insert(txn, caller.tenant, id, stored));
        events::v1::Event event;
        *event.mutable_order_placed()->mutable_order() = SnapshotOf(stored);
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, stored.name(), event));
        result = std::move(stored);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Order> OrderManager::Get(const Caller& caller,
                                            absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kOrders, "name"));
  v1::Order order;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(order, LoadOrder(txn, *store_, caller.tenant, id));
        return absl::OkStatus();
      }));
  return order;
}

absl::StatusOr<v1::Order> OrderManager::Update(
    const Caller& caller, const v1::Order& order,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(order.name(), kOrders, "order.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  const bool sets_status =
      std::find(paths.begin(), paths.end(), "status") != paths.end();
  if (sets_status && (order.status() == v1::ORDER_STATUS_UNSPECIFIED ||
                      !v1::OrderStatus_IsValid(order.status()))) {
    return InvalidFieldError("order.status",
                             "required: IN_PROGRESS, FULFILLED or CANCELLED");
  }
  const absl::Time now = deps_.clock->Now();
  v1::Order result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::Order current,
                         LoadOrder(txn, *store_, caller.tenant, id));
        RETURN_IF_ERROR(CheckEtag(order.etag(), current.etag(), "order.etag"));
        v1::Order updated = current;
        CopyFieldPaths(order, paths, &updated);
        FieldViolations violations;
        CheckOrder(&updated, now, &violations);
        RETURN_IF_ERROR(violations.ToStatus());
        StampChecklist(&current, now, &updated);
        if (google::protobuf::util::MessageDifferencer::Equals(current,
                                                               updated)) {
          result = std::move(current);
          MentionWithParties(result, write);
          return absl::OkStatus();
        }

        const v1::OrderStatus from = current.status();
        const v1::OrderStatus to = updated.status();
        if (IsFinalStatus(from)) {
          return PreconditionError(
              "order.status",
              absl::StrCat(current.name(), " is ", StatusName(from),
                           ", which is final: the order no longer changes"));
        }
        if (!IsAllowedMove(from, to)) {
          return PreconditionError(
              "order.status",
              absl::StrCat(current.name(), " is ", StatusName(from),
                           " and cannot become ", StatusName(to),
                           ": orders go from PLACED to IN_PROGRESS, then to "
                           "FULFILLED or CANCELLED, never back"));
        }
        const bool items_changed = [&] {
          if (current.items_size() != updated.items_size()) {
            return true;
          }
          for (int i = 0; i < current.items_size(); ++i) {
            if (!google::protobuf::util::MessageDifferencer::Equals(
                    current.items(i), updated.items(i))) {
              return true;
            }
          }
          return false;
        }();
        if (items_changed && from != v1::ORDER_STATUS_PLACED) {
          return PreconditionError(
              "order.items",
              absl::StrCat("items change only while the order is PLACED; ",
                           current.name(), " is ", StatusName(from)));
        }
        if (to == v1::ORDER_STATUS_FULFILLED) {
          const int undone = FirstUndoneChecklistItem(updated);
          if (undone >= 0) {
            return PreconditionError(
                absl::StrCat("order.checklist[", undone, "]"),
                absl::StrCat("\"", updated.checklist(undone).title(),
                             "\" is not done: every checklist item must be "
                             "done before the order is FULFILLED"));
          }
        }
        if (updated.deal() != current.deal()) {
          RETURN_IF_ERROR(CheckDeal(txn, caller.tenant, updated));
        }

        if (to != from && to == v1::ORDER_STATUS_FULFILLED) {
          SetTimestamp(now, updated.mutable_fulfil_time());
        }
        if (to == v1::ORDER_STATUS_CANCELLED) {
          SetTimestamp(now, updated.mutable_cancel_time());
          if (!current.purchase_interaction().empty()) {
            absl::Status deleted = interactions_->DeleteForOrder(
                txn, caller, current.purchase_interaction());
            if (!deleted.ok() && !absl::IsNotFound(deleted)) {
              return deleted;
            }
          }
          updated.clear_purchase_interaction();
        } else if (PurchaseDiffers(current, updated)) {
          RETURN_IF_ERROR(ReplacePurchase(
              txn, caller, current.purchase_interaction(), &updated));
        }
        Stamp(deps_, now, /*created=*/false, &updated);
        RETURN_IF_ERROR(store_->Update(txn, caller.tenant, id, updated));

        events::v1::Event event;
        if (to != from && to == v1::ORDER_STATUS_FULFILLED) {
          *event.mutable_order_fulfilled()->mutable_order() =
              SnapshotOf(updated);
        } else if (to != from && to == v1::ORDER_STATUS_CANCELLED) {
          *event.mutable_order_cancelled()->mutable_order() =
              SnapshotOf(updated);
        } else {
          auto* payload = event.mutable_order_updated();
          *payload->mutable_order() = SnapshotOf(updated);
          for (std::string& field : ChangedFields(current, updated)) {
            payload->add_changed_fields(std::move(field));
          }
        }
        RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, updated.name(), event));
        if (to != from && to == v1::ORDER_STATUS_FULFILLED) {
          RETURN_IF_ERROR(MakeInvoiceFollowUp(txn, caller, updated));
        }
        result = std::move(updated);
        MentionWithParties(result, write);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::ListOrdersResponse> OrderManager::List(
    const Caller& caller, const v1::ListOrdersRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  OrderFilter filter;
  filter.account_id = AccountFilterId(request.account(), &violations);
  for (int status : request.statuses()) {
    if (status == v1::ORDER_STATUS_UNSPECIFIED ||
        !v1::OrderStatus_IsValid(status)) {
      violations.Add("statuses", absl::StrCat("unknown value ", status));
      break;
    }
    filter.statuses.push_back(status);
  }
  std::sort(filter.statuses.begin(), filter.statuses.end());
  filter.statuses.erase(
      std::unique(filter.statuses.begin(), filter.statuses.end()),
      filter.statuses.end());
  filter.fulfilment_team = request.fulfilment_team();
  CheckText(&filter.fulfilment_team, "fulfilment_team", kMaxOrderStaffChars,
            /*required=*/false, /*multiline=*/false, &violations);
  filter.assignee = request.assignee();
  CheckText(&filter.assignee, "assignee", kMaxOrderStaffChars,
            /*required=*/false, /*multiline=*/false, &violations);
  CheckTimeRange(request.place_time_range(), "place_time_range",
                 &filter.place_start_us, &filter.place_end_us, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string filter_key = PageTokenFilter(
      "ListOrders",
      {caller.tenant, filter.account_id, absl::StrJoin(filter.statuses, ","),
       filter.fulfilment_team, filter.assignee,
       absl::StrCat(filter.place_start_us), absl::StrCat(filter.place_end_us)});
  ASSIGN_OR_RETURN(
      std::optional<OrderCursor> after,
      DecodeIntIdPageToken<OrderCursor>(request.page_token(), filter_key));

  std::vector<v1::Order> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        OrderFilter resolved = filter;
        ASSIGN_OR_RETURN(resolved.account_id,
                         deps_.projection->ResolveFilterId(txn, caller.tenant,
                                                           filter.account_id));
        ASSIGN_OR_RETURN(rows, store_->List(txn, caller.tenant, resolved, after,
                                            page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListOrdersResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) {
    rows.resize(page_size);
  }
  for (v1::Order& row : rows) {
    *response.add_orders() = std::move(row);
  }
  if (more) {
    const v1::Order& last = response.orders(page_size - 1);
    response.set_next_page_token(
        EncodeIntIdPageToken(filter_key, PlaceMicros(last), IdOf(last.name())));
  }
  return response;
}

}  // namespace clientele::engagement

// The rules of orders, with no I/O: what a client may send (order.proto's
// limits), the total, the status table, the checklist's done times, and
// what an order makes elsewhere: its PURCHASE interaction, its invoice
// follow-up and its event snapshot. OrderManager applies them inside its
// transactions.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ORDER_RULES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ORDER_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/follow_up.pb.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "clientele/engagement/v1/order.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/type/v1/money.pb.h"
#include "common/errors.h"

namespace clientele::engagement {

// Limits from the contract (order.proto).
inline constexpr int kMaxOrderItems = 100;
inline constexpr int kMaxOrderProductChars = 200;
inline constexpr int64_t kMaxOrderQuantity = 1'000'000;
inline constexpr int kMaxChecklistItems = 50;
inline constexpr int kMaxChecklistTitleChars = 200;
inline constexpr int kMaxOrderStaffChars = 128;  // fulfilment_team, assignee
inline constexpr int kMaxCancelReasonChars = 1000;

// Checks the fields a client sets on `order` (every one but the output-only
// ones and status), in place: text is trimmed, place_time kept to whole
// microseconds, and total set from the items. Adds a violation naming
// "order.<path>" for each rule broken: account required and
// "accounts/{account}"; contact "contacts/{contact}" when set; 1-100 items
// ("order.items"), each with a product of 1-200 characters, a quantity of
// 1-1,000,000 and a non-negative unit_price in a known currency, the same
// as the first item's ("order.items[i].unit_price.currency_code"); a total
// of at most 10^15 minor units ("order.items"); fulfilment_team and
// assignee of at most 128 characters; at most 50 checklist items with
// titles of 1-200 characters; place_time valid and at most 5 minutes after
// `now`; a cancel_reason of at most 1,000 characters, set only when status
// is CANCELLED; deal "deals/{deal}" when set.
void CheckOrder(v1::Order* order, absl::Time now, FieldViolations* violations);

// Sum of quantity x unit_price over `items`, in the first item's currency;
// nullopt when it would exceed kMaxAmountMinorUnits (or overflow). `items`
// must be valid as CheckOrder checks them and not empty.
std::optional<type::v1::Money> OrderTotal(
    const google::protobuf::RepeatedPtrField<v1::OrderItem>& items);

// FULFILLED and CANCELLED: nothing changes any more.
bool IsFinalStatus(v1::OrderStatus status);

// The status table (order.proto): PLACED -> IN_PROGRESS -> FULFILLED,
// PLACED -> FULFILLED directly, and PLACED or IN_PROGRESS -> CANCELLED.
// Staying where it is counts as allowed.
bool IsAllowedMove(v1::OrderStatus from, v1::OrderStatus to);

// Sets the done_time of `order`'s checklist: an item not done has none; a
// done one keeps the done_time of a done item of `before` with the same
// title (each used once), else gets `now`. `before` is nullptr on create.
void StampChecklist(const v1::Order* before, absl::Time now, v1::Order* order);

// The index of the first checklist item not done; -1 when all are.
int FirstUndoneChecklistItem(const v1::Order& order);

// The PURCHASE interaction that counts `order` (named, with its account and
// total) in the score: INBOUND, channel OTHER, at place_time, with the
// order's contact, total and assignee as staff user; source_ref the order's
// name. Name and source are left for the interaction manager to set.
v1::Interaction PurchaseOf(const v1::Order& order);

// Whether the purchases of two versions of an order differ in anything the
// score reads (amount, contact, staff user, time).
bool PurchaseDiffers(const v1::Order& before, const v1::Order& after);

// The invoice follow-up of fulfilled `order` (fulfil_time set) on `account`:
// SEND_INVOICE, rule ORDER_FULFILLED, source the order, for its fulfilment
// team, assigned to the order's assignee, else the account manager, else
// the owner; due fulfil_time + rules.invoice_after_purchase_delay(). nullopt
// when that delay is zero, negative or malformed (the rule is off).
std::optional<v1::FollowUp> InvoiceFollowUp(
    const v1::Order& order, const events::v1::AccountSnapshot& account,
    const v1::FollowUpRules& rules);

// The id of `order_id`'s invoice follow-up: the same every time, and never
// one the server or the interaction rules make ("-inv" ends no other id).
std::string InvoiceFollowUpId(absl::string_view order_id);

// What the order events carry.
events::v1::OrderSnapshot SnapshotOf(const v1::Order& order);

// The top-level fields of Order that differ between `before` and `after`,
// in field-number order, leaving out update_time and etag (which change
// with everything).
std::vector<std::string> ChangedFields(const v1::Order& before,
                                       const v1::Order& after);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ORDER_RULES_H_

#include "services/engagement/order_links.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::engagement {

absl::Status OrderLinks::BeforeRecord(sql::Transaction& txn,
                                      const Caller& caller,
                                      const ProjectedAccount& /*account*/,
                                      absl::string_view field,
                                      v1::Interaction& interaction) {
  if (interaction.kind() != v1::INTERACTION_KIND_PURCHASE ||
      interaction.source() != v1::INTERACTION_SOURCE_API) {
    return absl::OkStatus();
  }
  // Any other source_ref (an invoice number, a till receipt) is the
  // client's own business.
  absl::StatusOr<std::string> id =
      ParseResourceName(interaction.source_ref(), "orders", "source_ref");
  if (!id.ok()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::optional<v1::Order> order,
                   store_->Find(txn, caller.tenant, *id));
  if (!order.has_value()) {
    return absl::OkStatus();
  }
  const std::string path = absl::StrCat(field, ".source_ref");
  const std::string description =
      absl::StrCat(path, ": ", order->name(), " records its own PURCHASE (",
                   order->purchase_interaction().empty()
                       ? std::string("none: it is cancelled")
                       : order->purchase_interaction(),
                   "); recording another would count the order twice");
  absl::Status status = AlreadyExistsResourceError(
      "clientele.engagement.v1.Order", order->name(), description);
  // The field too, as INVALID_ARGUMENT would name it.
  FieldViolations violations;
  violations.Add(path, description);
  violations.ToStatus().ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& payload) {
        status.SetPayload(type_url, payload);
      });
  return status;
}

absl::Status OrderLinks::OnDelete(sql::Transaction& /*txn*/,
                                  const Caller& /*caller*/,
                                  const v1::Interaction& /*interaction*/) {
  return absl::OkStatus();
}

absl::Status OrderLinks::MoveAccount(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view from,
                                     absl::string_view to) {
  return store_->MoveAccount(txn, tenant, from, to).status();
}

absl::Status OrderLinks::EraseAccount(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view account_id) {
  return store_->DeleteByAccount(txn, tenant, account_id).status();
}

absl::Status OrderLinks::EraseContact(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view contact_id) {
  return store_->ClearContact(txn, tenant, contact_id).status();
}

absl::Status OrderLinks::ExportAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::Order> orders,
                   store_->ListByAccount(txn, tenant, account_id));
  for (v1::Order& order : orders) {
    *response->add_orders() = std::move(order);
  }
  return absl::OkStatus();
}

absl::Status OrderLinks::ExportContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id, v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::Order> orders,
                   store_->ListByContact(txn, tenant, contact_id));
  for (v1::Order& order : orders) {
    *response->add_orders() = std::move(order);
  }
  return absl::OkStatus();
}

}  // namespace clientele::engagement

#include "services/engagement/deal_data_part.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/idempotency.h"
#include "common/status_macros.h"
#include "services/engagement/deal_manager.h"
#include "services/engagement/deal_rules.h"
#include "services/engagement/policy_manager.h"

namespace clientele::engagement {
namespace {

// Adds `deals`, completed as reads show them, to response->deals.
absl::Status AddToExport(sql::Transaction& txn, const EngagementDeps& deps,
                         DealStore& store, absl::string_view tenant,
                         std::vector<v1::Deal> deals,
                         v1::ExportDataSubjectResponse* response) {
  if (deals.empty()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(v1::ScoringPolicy policy,
                   EffectivePolicy(txn, *deps.scores, tenant));
  for (v1::Deal& deal : deals) {
    RETURN_IF_ERROR(FillDealOutputs(txn, store, tenant,
                                    policy.deal_stage_probabilities(), &deal));
    *response->add_deals() = std::move(deal);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DealDataPart::MoveAccount(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view from,
                                       absl::string_view to) {
  return store_->MoveAccount(txn, tenant, from, to).status();
}

absl::Status DealDataPart::EraseAccount(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view account_id) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   store_->DeleteByAccount(txn, tenant, account_id));
  if (ids.empty()) {
    return absl::OkStatus();
  }
  // A stored CreateDeal response names the account it was created on,
  // which a merge may since have replaced: forget by the deals' names too.
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (const std::string& id : ids) {
    names.push_back(DealName(id));
  }
  return ForgetResponsesMentioning(txn, tenant, names, deps_.clock->Now());
}

absl::Status DealDataPart::EraseContact(sql::Transaction& txn,
                                        absl::string_view tenant,
                                        absl::string_view contact_id) {
  return store_->ClearContact(txn, tenant, contact_id).status();
}

absl::Status DealDataPart::ExportAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::Deal> deals,
                   store_->ListByAccount(txn, tenant, account_id));
  return AddToExport(txn, deps_, *store_, tenant, std::move(deals), response);
}

absl::Status DealDataPart::ExportContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id, v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::Deal> deals,
                   store_->ListByContact(txn, tenant, contact_id));
  return AddToExport(txn, deps_, *store_, tenant, std::move(deals), response);
}

absl::Status DealDataPart::LoadClosedDeals(sql::Transaction& txn,
                                           absl::string_view tenant,
                                           const ProjectedAccount& account,
                                           absl::Time as_of,
                                           AccountState* state) {
  ASSIGN_OR_RETURN(
      std::vector<ClosedDealRow> deals,
      store_->ListClosed(txn, tenant, account.id, UtcDayOf(as_of)));
  state->closed_deals.reserve(state->closed_deals.size() + deals.size());
  for (ClosedDealRow& deal : deals) {
    ClosedDeal closed;
    closed.kind = deal.kind;
    closed.won = deal.stage == v1::DEAL_STAGE_WON;
    closed.close_time = StartOfDay(deal.close_day);
    closed.amount_minor = deal.amount_minor;
    closed.currency = std::move(deal.currency);
    state->closed_deals.push_back(std::move(closed));
  }
  return absl::OkStatus();
}

}  // namespace clientele::engagement

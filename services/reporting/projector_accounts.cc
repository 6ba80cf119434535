// contacts' events: account versions, deletion, merges and erasure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/projector_parts.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting::projector_internal {
namespace {

// account_versions.state (reporting_schema.cc).
constexpr int64_t kLive = 0;
constexpr int64_t kRemoved = 1;
constexpr int64_t kMerged = 2;

std::vector<Column> AccountColumns(const events::v1::AccountSnapshot& account,
                                   int64_t at_us) {
  const int64_t create_us =
      account.has_create_time() ? MicrosOf(account.create_time()) : at_us;
  const std::optional<int64_t> acquisition =
      DayOfDate(account.acquisition_date());
  const auto& terms = account.commercial_terms();
  std::optional<int64_t> contract_start;
  std::optional<int64_t> contract_end;
  if (terms.has_contract_start_date()) {
    contract_start = DayOfDate(terms.contract_start_date());
  }
  if (terms.has_contract_end_date()) {
    contract_end = DayOfDate(terms.contract_end_date());
  }
  return {
      {"state", kLive},
      {"merged_into", std::string()},
      {"kind", int64_t{account.kind()}},
      {"segment", int64_t{account.segment()}},
      {"tier", int64_t{account.tier()}},
      {"owner", account.owner()},
      {"account_manager", account.account_manager()},
      {"declared_mode", int64_t{account.declared_mode()}},
      {"acquisition_day", acquisition.value_or(DayOfUs(create_us))},
      {"create_us", create_us},
      {"commercial_model", int64_t{terms.model()}},
      {"billing_cycle", int64_t{terms.billing_cycle()}},
      {"recurring_minor", terms.recurring_amount().amount_minor_units()},
      {"recurring_currency", terms.recurring_amount().currency_code()},
      {"contract_start_day", NullableInt(contract_start)},
      {"contract_end_day", NullableInt(contract_end)},
  };
}

// The state of the account's newest version; nullopt for an account not
// heard of.
absl::StatusOr<std::optional<int64_t>> StateOf(sql::Transaction& txn,
                                               const EventContext& ctx,
                                               const std::string& id) {
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT state FROM account_versions "
                             "WHERE tenant = ? AND account_id = ? "
                             "ORDER BY from_us DESC LIMIT 1",
                             {ctx.tenant, id}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

// A new version from a snapshot, unless the account is gone (a late update
// never brings a deleted, erased or merged account back).
absl::Status PutAccount(sql::Transaction& txn, const EventContext& ctx,
                        const events::v1::AccountSnapshot& account) {
  const std::string id = IdOf(account.name());
  ASSIGN_OR_RETURN(std::optional<int64_t> state, StateOf(txn, ctx, id));
  if (state.has_value() && *state != kLive) return absl::OkStatus();
  return PutVersion(txn, "account_versions", "account_id", ctx, id,
                    AccountColumns(account, ctx.at_us));
}

// Marks every version of the account (history included) `state`; an
// account not heard of gets a version saying so from now on, so that later
// events about it are not kept.
absl::Status MarkAccount(sql::Transaction& txn, const EventContext& ctx,
                         const std::string& id, int64_t state,
                         const std::string& merged_into) {
  ASSIGN_OR_RETURN(
      int64_t marked,
      txn.Exec("UPDATE account_versions SET state = ?, merged_into = ? "
               "WHERE tenant = ? AND account_id = ?",
               {state, merged_into, ctx.tenant, id}));
  if (marked > 0) return absl::OkStatus();
  return txn
      .Exec(
          "INSERT INTO account_versions (tenant, account_id, from_us, "
          "to_us, state, merged_into, kind, segment, tier, owner, "
          "account_manager, declared_mode, acquisition_day, create_us, "
          "commercial_model, billing_cycle, recurring_minor, "
          "recurring_currency) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '', '', "
          "0, ?, ?, 0, 0, 0, '')",
          {ctx.tenant, id, ctx.at_us, kOpenEndUs, state, merged_into,
           DayOfUs(ctx.at_us), ctx.at_us})
      .status();
}

absl::Status Merge(sql::Transaction& txn, const EventContext& ctx,
                   const events::v1::AccountsMerged& merged) {
  const std::string from = IdOf(merged.merged());
  const std::string to = IdOf(merged.survivor());
  if (from.empty() || to.empty() || from == to) return absl::OkStatus();
  RETURN_IF_ERROR(PutAccount(txn, ctx, merged.survivor_account()));
  ASSIGN_OR_RETURN(std::optional<std::string> survivor,
                   ResolveAccount(txn, ctx.tenant, to));
  ASSIGN_OR_RETURN(std::optional<int64_t> state, StateOf(txn, ctx, from));
  if (state.has_value() && *state == kRemoved) return absl::OkStatus();
  if (survivor.has_value() && *survivor != from) {
    // The move reads and re-adds per-day rows: what is held goes first.
    RETURN_IF_ERROR(ctx.pending->Flush(txn));
    RETURN_IF_ERROR(MoveAccountFacts(txn, ctx.tenant, from, *survivor));
  }
  return MarkAccount(txn, ctx, from, kMerged, to);
}

absl::Status Erase(sql::Transaction& txn, const EventContext& ctx,
                   const std::string& id) {
  // Erasure reads and deletes per-day rows: what is held goes first.
  RETURN_IF_ERROR(ctx.pending->Flush(txn));
  RETURN_IF_ERROR(EraseAccountFacts(txn, ctx.tenant, id));
  // The versions held the account's terms: only a marker stays, so that
  // older events still in flight do not bring it back.
  RETURN_IF_ERROR(txn.Exec("DELETE FROM account_versions "
                           "WHERE tenant = ? AND account_id = ?",
                           {ctx.tenant, id})
                      .status());
  return MarkAccount(txn, ctx, id, kRemoved, "");
}

}  // namespace

absl::Status MoveAccountFacts(sql::Transaction& txn, const std::string& tenant,
                              const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(
      DetachAccountFromAggregates(txn, tenant, from, /*erasing=*/false));
  RETURN_IF_ERROR(
      DetachAccountFromAggregates(txn, tenant, to, /*erasing=*/false));
  // The aggregates first: rows of `from` are added to `to`'s, then go.
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO revenue_days (tenant, account_id, day, currency, "
               "recurring_minor, transactional_minor, interactions) "
               "SELECT tenant, ?, day, currency, recurring_minor, "
               "transactional_minor, interactions FROM revenue_days "
               "WHERE tenant = ? AND account_id = ? "
               "ON CONFLICT (tenant, account_id, day, currency) DO UPDATE SET "
               "recurring_minor = recurring_minor + excluded.recurring_minor, "
               "transactional_minor = "
               "transactional_minor + excluded.transactional_minor, "
               "interactions = interactions + excluded.interactions",
               {to, tenant, from})
          .status());
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO activity_days (tenant, account_id, day, "
               "staff_user, interactions, relationship_interactions) "
               "SELECT tenant, ?, day, staff_user, interactions, "
               "relationship_interactions FROM activity_days "
               "WHERE tenant = ? AND account_id = ? "
               "ON CONFLICT (tenant, account_id, day, staff_user) DO UPDATE "
               "SET interactions = interactions + excluded.interactions, "
               "relationship_interactions = relationship_interactions + "
               "excluded.relationship_interactions",
               {to, tenant, from})
          .status());
  for (const char* table : {"revenue_days", "activity_days"}) {
    RETURN_IF_ERROR(txn.Exec(absl::StrCat("DELETE FROM ", table,
                                          " WHERE tenant = ? "
                                          "AND account_id = ?"),
                             {tenant, from})
                        .status());
  }
  for (const char* table : {"interactions", "tickets", "csat_responses",
                            "follow_ups", "deal_versions", "orders"}) {
    RETURN_IF_ERROR(
        txn.Exec(absl::StrCat("UPDATE ", table,
                              " SET account_id = ? "
                              "WHERE tenant = ? AND account_id = ?"),
                 {to, tenant, from})
            .status());
  }
  return absl::OkStatus();
}

absl::Status EraseAccountFacts(sql::Transaction& txn, const std::string& tenant,
                               const std::string& account_id) {
  RETURN_IF_ERROR(
      DetachAccountFromAggregates(txn, tenant, account_id, /*erasing=*/true));
  // Its survey responses may be on tickets now of another account: those
  // are counted again without them.
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO support_unsynced (tenant, ticket_id) "
               "SELECT tenant, ticket_id FROM csat_responses "
               "WHERE tenant = ? AND account_id = ? ON CONFLICT DO NOTHING",
               {tenant, account_id})
          .status());
  for (const char* table : {"ticket_versions", "sla_clocks"}) {
    RETURN_IF_ERROR(
        txn.Exec(absl::StrCat("DELETE FROM ", table,
                              " WHERE tenant = ? AND ticket_id IN ("
                              "SELECT ticket_id FROM tickets "
                              "WHERE tenant = ? AND account_id = ?)"),
                 {tenant, tenant, account_id})
            .status());
  }
  for (const char* table :
       {"tickets", "csat_responses", "follow_ups", "deal_versions", "orders",
        "interactions", "revenue_days", "activity_days", "score_versions"}) {
    RETURN_IF_ERROR(txn.Exec(absl::StrCat("DELETE FROM ", table,
                                          " WHERE tenant = ? "
                                          "AND account_id = ?"),
                             {tenant, account_id})
                        .status());
  }
  // Its deals may have been the newest of their (open) stage.
  return RefreshStageWeights(
      txn, tenant,
      {events::v1::DEAL_STAGE_QUALIFYING, events::v1::DEAL_STAGE_PROPOSAL,
       events::v1::DEAL_STAGE_NEGOTIATION});
}

absl::StatusOr<bool> ApplyContactsEvent(sql::Transaction& txn,
                                        const EventContext& ctx,
                                        const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kAccountCreated:
      RETURN_IF_ERROR(PutAccount(txn, ctx, event.account_created().account()));
      return true;
    case events::v1::Event::kAccountUpdated:
      RETURN_IF_ERROR(PutAccount(txn, ctx, event.account_updated().account()));
      return true;
    case events::v1::Event::kAccountDeleted: {
      const std::string id = IdOf(event.account_deleted().account());
      if (!id.empty()) {
        RETURN_IF_ERROR(MarkAccount(txn, ctx, id, kRemoved, ""));
      }
      return true;
    }
    case events::v1::Event::kAccountsMerged:
      RETURN_IF_ERROR(Merge(txn, ctx, event.accounts_merged()));
      return true;
    case events::v1::Event::kDataSubjectErased: {
      // Reporting keeps nothing about contacts: only a whole account's
      // erasure concerns it.
      const std::string id = IdOf(event.data_subject_erased().erased_account());
      if (!id.empty()) RETURN_IF_ERROR(Erase(txn, ctx, id));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace clientele::reporting::projector_internal

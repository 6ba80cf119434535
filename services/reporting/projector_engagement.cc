// engagement's events: score versions, interactions with their daily
// aggregates, follow-ups and deal versions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/projector_parts.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting::projector_internal {
namespace {

// The funnel's "engaged": relationship work, whatever its personalization.
bool IsRelationshipKind(int kind) {
  switch (kind) {
    case events::v1::INTERACTION_KIND_MEETING:
    case events::v1::INTERACTION_KIND_CALL:
    case events::v1::INTERACTION_KIND_VIDEO_CALL:
    case events::v1::INTERACTION_KIND_ADVICE_SESSION:
    case events::v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
      return true;
    default:
      return false;
  }
}

absl::Status ApplyScore(sql::Transaction& txn, const EventContext& ctx,
                        const events::v1::RelationshipScoreChanged& score) {
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(score.account())));
  // A merged account's score is its survivor's business: engagement scores
  // the survivor itself.
  if (!account.has_value() || *account != IdOf(score.account())) {
    return absl::OkStatus();
  }
  // The funnel reads modes only: a new score in the same mode moves nothing
  // there (the version it ends keeps its mode; a late one is moved up to
  // the current version's start).
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> current,
      txn.Query("SELECT mode FROM score_versions WHERE tenant = ? AND "
                "account_id = ? AND to_us = ?",
                {ctx.tenant, *account, kOpenEndUs}));
  if (current.empty() || current[0].Int(0) != score.new_mode()) {
    ctx.pending->TouchFunnel(ctx.tenant, *account);
  }
  return PutVersion(
      txn, "score_versions", "account_id", ctx, *account,
      {{"mode", int64_t{score.new_mode()}},
       {"score", int64_t{score.new_score()}},
       {"band", int64_t{score.new_band()}},
       {"trend_delta", int64_t{score.trend_delta()}},
       {"risk_reasons", absl::StrJoin(score.risk_reasons(), "\n")}});
}

// The row an interaction keeps: its revenue signed (a refund's amount is
// negative, also if a producer sent it positive), nothing for the kinds
// that are not revenue.
InteractionRow RowOf(const events::v1::InteractionSnapshot& snapshot,
                     const std::string& account_id) {
  InteractionRow row;
  row.account_id = account_id;
  row.kind = snapshot.kind();
  row.occur_us = MicrosOf(snapshot.occur_time());
  row.staff_user = snapshot.staff_user();
  row.personalized = snapshot.personalized();
  if (IsRevenueKind(row.kind) && snapshot.has_amount() &&
      !snapshot.amount().currency_code().empty()) {
    row.currency = snapshot.amount().currency_code();
    const int64_t amount = snapshot.amount().amount_minor_units();
    row.amount_minor = row.kind == events::v1::INTERACTION_KIND_REFUND
                           ? (amount > 0 ? -amount : amount)
                           : amount;
  }
  return row;
}

// Where an interaction of an account is kept (ResolveAccount), with that
// account's cell (the aggregates' key; nullopt: none).
struct ResolvedAccount {
  std::optional<std::string> account;
  std::optional<AccountCell> cell;
};
absl::StatusOr<ResolvedAccount> ResolveWithCell(sql::Transaction& txn,
                                                const std::string& tenant,
                                                const std::string& named) {
  // A live account (most) has a cell, and is kept under itself.
  ASSIGN_OR_RETURN(std::optional<AccountCell> cell,
                   StoredCell(txn, tenant, named));
  if (cell.has_value()) return ResolvedAccount{named, std::move(cell)};
  ASSIGN_OR_RETURN(std::optional<std::string> to,
                   ResolveAccount(txn, tenant, named));
  if (!to.has_value() || *to == named) {
    return ResolvedAccount{std::move(to), std::nullopt};
  }
  ASSIGN_OR_RETURN(cell, StoredCell(txn, tenant, *to));
  return ResolvedAccount{std::move(to), std::move(cell)};
}

absl::Status RecordInteractions(sql::Transaction& txn, const EventContext& ctx,
                                const events::v1::InteractionsRecorded& batch) {
  // A batch names few accounts, often one: each is resolved once, with its
  // cell.
  absl::flat_hash_map<std::string, ResolvedAccount> resolved;
  for (const events::v1::InteractionSnapshot& snapshot : batch.interactions()) {
    const std::string id = IdOf(snapshot.name());
    const std::string named = IdOf(snapshot.account());
    if (id.empty() || named.empty()) continue;
    auto it = resolved.find(named);
    if (it == resolved.end()) {
      ASSIGN_OR_RETURN(ResolvedAccount account,
                       ResolveWithCell(txn, ctx.tenant, named));
      it = resolved.emplace(named, std::move(account)).first;
    }
    if (!it->second.account.has_value()) continue;  // deleted or erased
    const InteractionRow row = RowOf(snapshot, *it->second.account);
    // An interaction already here (the same event delivered under another
    // id, or a replay) counts once.
    ASSIGN_OR_RETURN(
        int64_t inserted,
        txn.Exec("INSERT INTO interactions (tenant, interaction_id, "
                 "account_id, kind, occur_us, staff_user, personalized, "
                 "currency, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant, interaction_id) DO NOTHING",
                 {ctx.tenant, id, row.account_id, int64_t{row.kind},
                  row.occur_us, row.staff_user, int64_t{row.personalized},
                  row.currency, row.amount_minor}));
    if (inserted == 0) continue;
    AddInteractionShare(ctx, row, it->second.cell);
  }
  return absl::OkStatus();
}

absl::Status DeleteInteraction(sql::Transaction& txn, const EventContext& ctx,
                               const std::string& id) {
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT account_id, kind, occur_us, staff_user, personalized, "
                "currency, amount_minor FROM interactions "
                "WHERE tenant = ? AND interaction_id = ?",
                {ctx.tenant, id}));
  if (rows.empty()) return absl::OkStatus();
  InteractionRow row;
  row.account_id = rows[0].String(0);
  row.kind = static_cast<int>(rows[0].Int(1));
  row.occur_us = rows[0].Int(2);
  row.staff_user = rows[0].String(3);
  row.personalized = rows[0].Int(4) != 0;
  row.currency = rows[0].String(5);
  row.amount_minor = rows[0].Int(6);
  RETURN_IF_ERROR(RemoveInteractionShare(txn, ctx, row));
  return txn
      .Exec("DELETE FROM interactions WHERE tenant = ? AND interaction_id = ?",
            {ctx.tenant, id})
      .status();
}

// Created, updated (reassigned, rescheduled, cancelled, reopened) or
// completed: the follow-up as the snapshot has it. Open from its creation
// until done, cancelled or deleted.
absl::Status PutFollowUp(sql::Transaction& txn, const EventContext& ctx,
                         const events::v1::FollowUpSnapshot& follow_up) {
  const std::string id = IdOf(follow_up.name());
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(follow_up.account())));
  if (id.empty() || !account.has_value()) return absl::OkStatus();
  std::optional<int64_t> done_us;
  const bool completed = follow_up.state() == events::v1::FOLLOW_UP_STATE_DONE;
  if (completed) {
    done_us = follow_up.has_complete_time()
                  ? MicrosOf(follow_up.complete_time())
                  : ctx.at_us;
  } else if (follow_up.state() == events::v1::FOLLOW_UP_STATE_CANCELLED) {
    done_us = ctx.at_us;
  }
  ctx.pending->TouchFollowUp(ctx.tenant, id);
  // A cancelled follow-up keeps the moment it was first cancelled.
  return txn
      .Exec(
          "INSERT INTO follow_ups (tenant, follow_up_id, account_id, "
          "assignee, create_us, due_us, done_us, completed, kind) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant, follow_up_id) DO UPDATE SET "
          "account_id = excluded.account_id, "
          "assignee = excluded.assignee, due_us = excluded.due_us, "
          "kind = excluded.kind, "
          "done_us = CASE WHEN excluded.done_us IS NULL THEN NULL "
          "WHEN excluded.completed = 1 THEN excluded.done_us "
          "ELSE COALESCE(follow_ups.done_us, excluded.done_us) END, "
          "completed = excluded.completed",
          {ctx.tenant, id, *account, follow_up.assignee(), ctx.at_us,
           MicrosOf(follow_up.due_time()), NullableInt(done_us),
           int64_t{completed}, int64_t{follow_up.kind()}})
      .status();
}

absl::Status PutDealVersion(sql::Transaction& txn, const EventContext& ctx,
                            const std::string& id, const std::string& account,
                            const events::v1::DealSnapshot& deal);

absl::Status PutDeal(sql::Transaction& txn, const EventContext& ctx,
                     const events::v1::DealSnapshot& deal) {
  const std::string id = IdOf(deal.name());
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(deal.account())));
  if (id.empty() || !account.has_value()) return absl::OkStatus();
  // The pipeline's aggregates: the current version's share out, the new
  // one's in, and the weights of the stages it left and entered.
  ASSIGN_OR_RETURN(std::vector<sql::Row> current,
                   txn.Query("SELECT stage FROM deal_versions WHERE tenant = ? "
                             "AND deal_id = ? AND to_us = ?",
                             {ctx.tenant, id, kOpenEndUs}));
  absl::btree_set<int64_t> stages = {int64_t{deal.stage()}};
  if (!current.empty()) stages.insert(current[0].Int(0));
  RETURN_IF_ERROR(MoveDealShare(txn, ctx.tenant, id, -1));
  RETURN_IF_ERROR(PutDealVersion(txn, ctx, id, *account, deal));
  RETURN_IF_ERROR(MoveDealShare(txn, ctx.tenant, id, +1));
  return RefreshStageWeights(txn, ctx.tenant, stages);
}

absl::Status PutDealVersion(sql::Transaction& txn, const EventContext& ctx,
                            const std::string& id, const std::string& account,
                            const events::v1::DealSnapshot& deal) {
  return PutVersion(txn, "deal_versions", "deal_id", ctx, id,
                    {{"account_id", account},
                     {"kind", int64_t{deal.kind()}},
                     {"stage", int64_t{deal.stage()}},
                     {"currency", deal.amount().currency_code()},
                     {"amount_minor", deal.amount().amount_minor_units()},
                     {"probability", deal.probability()},
                     {"expected_close_day",
                      NullableInt(DayOfDate(deal.expected_close_date()))},
                     {"close_day", NullableInt(DayOfDate(deal.close_date()))},
                     {"owner", deal.owner()}});
}

}  // namespace

namespace {

// The share of `row` (sign +1 or -1) in its account's per-day rows, held in
// `pending` (the aggregates' share is the caller's).
void HoldDayShare(PendingWrites& pending, const std::string& tenant,
                  const InteractionRow& row, int64_t sign) {
  const int64_t day = DayOfUs(row.occur_us);
  if (!row.currency.empty()) {
    const bool recurring = IsRecurringRevenueKind(row.kind);
    const int64_t amount = sign * row.amount_minor;
    pending.AddRevenueDay(tenant, row.account_id, day, row.currency,
                          PendingWrites::Revenue::Of(recurring, amount, sign));
    if (sign > 0) pending.RaiseRevenueOccur(tenant, row.occur_us);
  }
  const bool relationship = row.personalized || IsRelationshipKind(row.kind);
  pending.AddActivityDay(tenant, row.account_id, day, row.staff_user, sign,
                         relationship ? sign : 0);
}

}  // namespace

void AddInteractionShare(const EventContext& ctx, const InteractionRow& row,
                         const std::optional<AccountCell>& cell) {
  HoldInteractionInCell(*ctx.pending, ctx.tenant, row, +1, cell);
  HoldDayShare(*ctx.pending, ctx.tenant, row, +1);
}

absl::Status RemoveInteractionShare(sql::Transaction& txn,
                                    const EventContext& ctx,
                                    const InteractionRow& row) {
  // What is held may add to the rows checked for emptiness below.
  RETURN_IF_ERROR(ctx.pending->Flush(txn));
  PendingWrites removal;
  RETURN_IF_ERROR(
      HoldInteractionInAggregates(txn, removal, ctx.tenant, row, -1));
  HoldDayShare(removal, ctx.tenant, row, -1);
  RETURN_IF_ERROR(removal.Flush(txn));
  const int64_t day = DayOfUs(row.occur_us);
  if (!row.currency.empty()) {
    RETURN_IF_ERROR(txn.Exec("DELETE FROM revenue_days WHERE tenant = ? AND "
                             "account_id = ? AND day = ? AND currency = ? AND "
                             "interactions <= 0",
                             {ctx.tenant, row.account_id, day, row.currency})
                        .status());
    RETURN_IF_ERROR(txn.Exec("DELETE FROM tenant_currency_counts "
                             "WHERE tenant = ? AND currency = ? "
                             "AND interactions <= 0",
                             {ctx.tenant, row.currency})
                        .status());
  }
  return txn
      .Exec(
          "DELETE FROM activity_days WHERE tenant = ? AND "
          "account_id = ? AND day = ? AND staff_user = ? AND "
          "interactions <= 0",
          {ctx.tenant, row.account_id, day, row.staff_user})
      .status();
}

absl::StatusOr<bool> ApplyEngagementEvent(sql::Transaction& txn,
                                          const EventContext& ctx,
                                          const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kRelationshipScoreChanged:
      RETURN_IF_ERROR(ApplyScore(txn, ctx, event.relationship_score_changed()));
      return true;
    case events::v1::Event::kInteractionsRecorded:
      RETURN_IF_ERROR(
          RecordInteractions(txn, ctx, event.interactions_recorded()));
      return true;
    case events::v1::Event::kInteractionDeleted:
      RETURN_IF_ERROR(DeleteInteraction(
          txn, ctx, IdOf(event.interaction_deleted().interaction())));
      return true;
    case events::v1::Event::kFollowUpCreated:
      RETURN_IF_ERROR(
          PutFollowUp(txn, ctx, event.follow_up_created().follow_up()));
      return true;
    case events::v1::Event::kFollowUpUpdated:
      RETURN_IF_ERROR(
          PutFollowUp(txn, ctx, event.follow_up_updated().follow_up()));
      return true;
    case events::v1::Event::kFollowUpCompleted:
      RETURN_IF_ERROR(
          PutFollowUp(txn, ctx, event.follow_up_completed().follow_up()));
      return true;
    case events::v1::Event::kFollowUpDeleted: {
      const std::string id = IdOf(event.follow_up_deleted().follow_up());
      RETURN_IF_ERROR(
          txn.Exec("UPDATE follow_ups SET done_us = COALESCE(done_us, ?) "
                   "WHERE tenant = ? AND follow_up_id = ?",
                   {ctx.at_us, ctx.tenant, id})
              .status());
      ctx.pending->TouchFollowUp(ctx.tenant, id);
      return true;
    }
    case events::v1::Event::kDealCreated:
      RETURN_IF_ERROR(PutDeal(txn, ctx, event.deal_created().deal()));
      return true;
    case events::v1::Event::kDealUpdated:
      RETURN_IF_ERROR(PutDeal(txn, ctx, event.deal_updated().deal()));
      return true;
    case events::v1::Event::kDealWon:
      RETURN_IF_ERROR(PutDeal(txn, ctx, event.deal_won().deal()));
      return true;
    case events::v1::Event::kDealLost:
      RETURN_IF_ERROR(PutDeal(txn, ctx, event.deal_lost().deal()));
      return true;
    default:
      return false;
  }
}

}  // namespace clientele::reporting::projector_internal

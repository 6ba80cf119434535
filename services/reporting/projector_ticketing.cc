// ticketing's events: tickets and their status/assignee versions, SLA
// clocks, CSAT responses.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/projector_parts.h"

namespace clientele::reporting::projector_internal {
namespace {

std::optional<int64_t> MicrosIfSet(bool has,
                                   const google::protobuf::Timestamp& time) {
  if (!has || !IsValidTimestamp(time)) return std::nullopt;
  return ToMicros(ToTime(time));
}

std::optional<int64_t> SecondsIfSet(
    bool has, const google::protobuf::Duration& duration) {
  if (!has || !IsValidDuration(duration)) return std::nullopt;
  return absl::ToInt64Seconds(ToDuration(duration));
}

// The ticket as a snapshot has it, and a new version when its status or
// assignee changed. False when the ticket's account is deleted or erased
// (nothing is kept).
absl::StatusOr<bool> PutTicket(sql::Transaction& txn, const EventContext& ctx,
                               const events::v1::TicketSnapshot& ticket) {
  const std::string id = IdOf(ticket.name());
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(ticket.account())));
  if (id.empty() || !account.has_value()) return false;
  const int64_t create_us =
      ticket.has_create_time() ? MicrosOf(ticket.create_time()) : ctx.at_us;
  // mode and tier are the account's at creation: the first snapshot's.
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO tickets (tenant, ticket_id, account_id, mode, "
               "tier, create_us, first_response_us, solve_us) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, ticket_id) DO UPDATE SET "
               "account_id = excluded.account_id, "
               "first_response_us = excluded.first_response_us, "
               "solve_us = excluded.solve_us",
               {ctx.tenant, id, *account, int64_t{ticket.relationship_mode()},
                int64_t{ticket.account_tier()}, create_us,
                NullableInt(MicrosIfSet(ticket.has_first_response_time(),
                                        ticket.first_response_time())),
                NullableInt(
                    MicrosIfSet(ticket.has_solve_time(), ticket.solve_time()))})
          .status());
  RETURN_IF_ERROR(PutVersion(
      txn, "ticket_versions", "ticket_id", ctx, id,
      {{"status", int64_t{ticket.status()}}, {"assignee", ticket.assignee()}}));
  return true;
}

// One clock as it stands; judged when it stopped, or at its due time when
// it breached while running.
absl::Status PutClock(sql::Transaction& txn, const EventContext& ctx,
                      const std::string& ticket_id, int metric, bool breached,
                      std::optional<int64_t> due_us,
                      std::optional<int64_t> stop_us) {
  std::optional<int64_t> judged_us = stop_us;
  if (!judged_us.has_value() && breached) judged_us = due_us;
  return txn
      .Exec(
          "INSERT INTO sla_clocks (tenant, ticket_id, metric, breached, "
          "due_us, judged_us) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant, ticket_id, metric) DO UPDATE SET "
          "breached = excluded.breached, due_us = excluded.due_us, "
          "judged_us = excluded.judged_us",
          {ctx.tenant, ticket_id, int64_t{metric}, int64_t{breached},
           NullableInt(due_us), NullableInt(judged_us)})
      .status();
}

absl::Status ApplySolved(sql::Transaction& txn, const EventContext& ctx,
                         const events::v1::TicketSolved& solved) {
  ASSIGN_OR_RETURN(bool kept, PutTicket(txn, ctx, solved.ticket()));
  if (!kept) return absl::OkStatus();
  const std::string id = IdOf(solved.ticket().name());
  RETURN_IF_ERROR(
      txn.Exec("UPDATE tickets SET first_response_s = ?, resolution_s = ?, "
               "business_first_response_s = ?, business_resolution_s = ? "
               "WHERE tenant = ? AND ticket_id = ?",
               {NullableInt(SecondsIfSet(solved.has_first_response_duration(),
                                         solved.first_response_duration())),
                NullableInt(SecondsIfSet(solved.has_resolution_duration(),
                                         solved.resolution_duration())),
                NullableInt(
                    SecondsIfSet(solved.has_business_first_response_duration(),
                                 solved.business_first_response_duration())),
                NullableInt(
                    SecondsIfSet(solved.has_business_resolution_duration(),
                                 solved.business_resolution_duration())),
                ctx.tenant, id})
          .status());
  for (const events::v1::SlaClockSnapshot& clock : solved.sla_clocks()) {
    if (clock.metric() == events::v1::SLA_METRIC_UNSPECIFIED) continue;
    RETURN_IF_ERROR(
        PutClock(txn, ctx, id, clock.metric(), clock.breached(),
                 MicrosIfSet(clock.has_due_time(), clock.due_time()),
                 MicrosIfSet(clock.has_stop_time(), clock.stop_time())));
  }
  return absl::OkStatus();
}

absl::Status ApplyBreached(sql::Transaction& txn, const EventContext& ctx,
                           const events::v1::SlaBreached& breached) {
  ASSIGN_OR_RETURN(bool kept, PutTicket(txn, ctx, breached.ticket()));
  if (!kept || breached.metric() == events::v1::SLA_METRIC_UNSPECIFIED) {
    return absl::OkStatus();
  }
  // Breached while running: judged at its due time.
  return PutClock(
      txn, ctx, IdOf(breached.ticket().name()), breached.metric(), true,
      MicrosIfSet(breached.has_due_time(), breached.due_time()), std::nullopt);
}

absl::Status ApplyCsat(sql::Transaction& txn, const EventContext& ctx,
                       const events::v1::CsatSurveyResponded& response) {
  const std::string id = IdOf(response.csat_survey());
  // Ticketing accepts ratings 1 to 5 only; anything else is not a rating
  // (and would upset the sums of support_blocks).
  if (response.rating() < 1 || response.rating() > 5) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<std::string> account,
                   ResolveAccount(txn, ctx.tenant, IdOf(response.account())));
  if (id.empty() || !account.has_value()) return absl::OkStatus();
  return txn
      .Exec(
          "INSERT INTO csat_responses (tenant, survey_id, ticket_id, "
          "account_id, agent, rating, respond_us, mode, tier) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant, survey_id) DO UPDATE SET "
          "rating = excluded.rating, respond_us = excluded.respond_us",
          {ctx.tenant, id, IdOf(response.ticket()), *account, response.agent(),
           int64_t{response.rating()}, ctx.at_us,
           int64_t{response.relationship_mode()},
           int64_t{response.account_tier()}})
      .status();
}

absl::Status MarkTicketDeleted(sql::Transaction& txn, const EventContext& ctx,
                               const std::string& id) {
  return txn
      .Exec("UPDATE tickets SET deleted = 1 WHERE tenant = ? AND ticket_id = ?",
            {ctx.tenant, id})
      .status();
}

// The ticket whose row or versions the event may change ("" for none).
std::string TicketOf(const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kTicketCreated:
      return IdOf(event.ticket_created().ticket().name());
    case events::v1::Event::kTicketUpdated:
      return IdOf(event.ticket_updated().ticket().name());
    case events::v1::Event::kTicketAssigned:
      return IdOf(event.ticket_assigned().ticket().name());
    case events::v1::Event::kTicketStatusChanged:
      return IdOf(event.ticket_status_changed().ticket().name());
    case events::v1::Event::kSlaAtRisk:
      return IdOf(event.sla_at_risk().ticket().name());
    case events::v1::Event::kTicketSolved:
      return IdOf(event.ticket_solved().ticket().name());
    case events::v1::Event::kSlaBreached:
      return IdOf(event.sla_breached().ticket().name());
    case events::v1::Event::kTicketDeleted:
      return IdOf(event.ticket_deleted().ticket());
    case events::v1::Event::kTicketsMerged:
      return IdOf(event.tickets_merged().source());
    default:
      return "";
  }
}

absl::StatusOr<bool> ApplyTicketEvent(sql::Transaction& txn,
                                      const EventContext& ctx,
                                      const events::v1::Event& event) {
  absl::Status status;
  switch (event.payload_case()) {
    case events::v1::Event::kTicketCreated:
      status = PutTicket(txn, ctx, event.ticket_created().ticket()).status();
      break;
    case events::v1::Event::kTicketUpdated:
      status = PutTicket(txn, ctx, event.ticket_updated().ticket()).status();
      break;
    case events::v1::Event::kTicketAssigned:
      status = PutTicket(txn, ctx, event.ticket_assigned().ticket()).status();
      break;
    case events::v1::Event::kTicketStatusChanged:
      status =
          PutTicket(txn, ctx, event.ticket_status_changed().ticket()).status();
      break;
    case events::v1::Event::kSlaAtRisk:
      status = PutTicket(txn, ctx, event.sla_at_risk().ticket()).status();
      break;
    case events::v1::Event::kTicketSolved:
      status = ApplySolved(txn, ctx, event.ticket_solved());
      break;
    case events::v1::Event::kSlaBreached:
      status = ApplyBreached(txn, ctx, event.sla_breached());
      break;
    case events::v1::Event::kCsatSurveyResponded:
      status = ApplyCsat(txn, ctx, event.csat_survey_responded());
      break;
    case events::v1::Event::kTicketDeleted:
      status =
          MarkTicketDeleted(txn, ctx, IdOf(event.ticket_deleted().ticket()));
      break;
    case events::v1::Event::kTicketsMerged:
      // The duplicate is closed into the target: it counts no more.
      status =
          MarkTicketDeleted(txn, ctx, IdOf(event.tickets_merged().source()));
      break;
    default:
      return false;
  }
  RETURN_IF_ERROR(status);
  return true;
}

}  // namespace

absl::StatusOr<bool> ApplyTicketingEvent(sql::Transaction& txn,
                                         const EventContext& ctx,
                                         const events::v1::Event& event) {
  // A survey answered again keeps its first ticket: that one's support
  // facts change (its response's day and rating).
  if (event.has_csat_survey_responded()) {
    ASSIGN_OR_RETURN(
        std::vector<sql::Row> answered,
        txn.Query(
            "SELECT ticket_id FROM csat_responses "
            "WHERE tenant = ? AND survey_id = ?",
            {ctx.tenant, IdOf(event.csat_survey_responded().csat_survey())}));
    for (const sql::Row& row : answered) {
      ctx.pending->TouchTicket(ctx.tenant, row.String(0));
    }
  }
  // The ticket's share of the open-ticket counts, as it was and as it is.
  const std::string ticket = TicketOf(event);
  OpenTicketShare before;
  if (!ticket.empty()) {
    ASSIGN_OR_RETURN(before, OpenTicketShareOf(txn, ctx.tenant, ticket));
  }
  ASSIGN_OR_RETURN(const bool applied, ApplyTicketEvent(txn, ctx, event));
  // Its support facts (a response's ticket's too) are counted again.
  if (!ticket.empty()) ctx.pending->TouchTicket(ctx.tenant, ticket);
  if (event.has_csat_survey_responded()) {
    ctx.pending->TouchTicket(ctx.tenant,
                             IdOf(event.csat_survey_responded().ticket()));
  }
  if (!ticket.empty()) {
    ASSIGN_OR_RETURN(const OpenTicketShare after,
                     OpenTicketShareOf(txn, ctx.tenant, ticket));
    RETURN_IF_ERROR(MoveOpenTicketShare(txn, ctx.tenant, before, after));
  }
  return applied;
}

}  // namespace clientele::reporting::projector_internal

#include "services/ticketing/sla_alert_manager.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "services/ticketing/sla_events.h"
#include "services/ticketing/sla_store.h"
#include "services/ticketing/ticket_names.h"
#include "services/ticketing/ticket_rules.h"
#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {
namespace {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in microseconds.
constexpr int64_t kMinTimestampMicros = int64_t{-62135596800} * 1000000;
constexpr int64_t kMaxTimestampMicros = int64_t{253402300799} * 1000000;

// The query of `request`, checked; as_of_us is left to the caller.
absl::StatusOr<SlaAlertQuery> QueryOf(const v1::ListSlaAlertsRequest& request) {
  FieldViolations violations;
  SlaAlertQuery query;
  if (!v1::SlaAlertState_IsValid(request.state())) {
    violations.Add("state", absl::StrCat("unknown value ", request.state()));
  }
  query.breached = request.state() != v1::SLA_ALERT_STATE_AT_RISK;
  query.at_risk = request.state() != v1::SLA_ALERT_STATE_BREACHED;
  if (!v1::SlaMetric_IsValid(request.metric())) {
    violations.Add("metric", absl::StrCat("unknown value ", request.metric()));
  }
  query.metric = request.metric();
  query.assignee = request.assignee();
  CheckAssignee(&query.assignee, "assignee", &violations);
  query.team = request.team();
  CheckTeam(&query.team, "team", &violations);
  if (!request.account().empty()) {
    absl::StatusOr<std::string> account_id =
        ParseResourceName(request.account(), kAccounts, "account");
    if (account_id.ok()) {
      query.account_id = *std::move(account_id);
    } else {
      violations.Add("account", "must be \"accounts/{account}\"");
    }
  }
  query.include_finished = request.include_finished_tickets();
  if (request.has_due_time_range()) {
    const type::v1::TimeRange& range = request.due_time_range();
    if (!query.include_finished) {
      violations.Add("due_time_range",
                     "selects historic breaches: only with "
                     "include_finished_tickets");
    }
    CheckTimeRange(range, "due_time_range", &query.due_start_us,
                   &query.due_end_us, &violations);
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return query;
}

std::string FilterKey(absl::string_view tenant, const SlaAlertQuery& query) {
  return PageTokenFilter(
      "ListSlaAlerts",
      {std::string(tenant), absl::StrCat(query.breached, query.at_risk),
       absl::StrCat(query.metric), query.assignee, query.team, query.account_id,
       absl::StrCat(query.include_finished), absl::StrCat(query.due_start_us),
       absl::StrCat(query.due_end_us)});
}

v1::SlaAlert AlertOf(const SlaClockRow& row, int64_t as_of_us) {
  v1::SlaAlert alert;
  alert.set_ticket(TicketName(row.ticket_id));
  if (!row.account_id.empty()) alert.set_account(AccountName(row.account_id));
  alert.set_assignee(row.assignee);
  alert.set_team(row.team);
  alert.set_priority(static_cast<v1::TicketPriority>(row.priority));
  alert.set_account_tier(static_cast<type::v1::AccountTier>(row.tier));
  alert.set_relationship_mode(
      static_cast<type::v1::RelationshipMode>(row.mode));
  alert.set_metric(static_cast<v1::SlaMetric>(row.metric));
  const int64_t due_us = row.due_us.value_or(0);
  const bool breached =
      row.state == CycleState::kBreached || due_us <= as_of_us;
  alert.set_state(breached ? v1::SLA_ALERT_STATE_BREACHED
                           : v1::SLA_ALERT_STATE_AT_RISK);
  SetTimestamp(FromMicros(due_us), alert.mutable_due_time());
  // Positive once due.
  const absl::Duration past = absl::Microseconds(as_of_us - due_us);
  SetDuration(breached ? absl::ZeroDuration() : -past,
              alert.mutable_remaining());
  SetDuration(
      breached ? std::max(past, absl::ZeroDuration()) : absl::ZeroDuration(),
      alert.mutable_overdue_by());
  return alert;
}

// Which event a due clock gets after its ticket was refreshed at `now_us`.
enum class Publish { kNothing, kAtRisk, kBreach };

Publish WhatToPublish(const SlaClockRow& row, int64_t now_us) {
  if (!row.due_us.has_value()) return Publish::kNothing;
  const bool past_due =
      row.state == CycleState::kBreached ||
      (row.state == CycleState::kRunning && *row.due_us <= now_us);
  if (past_due) {
    return row.breach_published ? Publish::kNothing : Publish::kBreach;
  }
  if (row.state == CycleState::kRunning && !row.at_risk_published &&
      row.at_risk_us.has_value() && *row.at_risk_us <= now_us) {
    return Publish::kAtRisk;
  }
  return Publish::kNothing;
}

}  // namespace

absl::StatusOr<v1::ListSlaAlertsResponse> SlaAlertManager::List(
    const Caller& caller, const v1::ListSlaAlertsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  ASSIGN_OR_RETURN(SlaAlertQuery query, QueryOf(request));
  const std::string filter = FilterKey(caller.tenant, query);
  std::optional<SlaAlertCursor> after;
  if (request.page_token().empty()) {
    query.as_of_us = ToMicros(deps_.clock->Now());
  } else {
    ASSIGN_OR_RETURN(std::vector<std::string> parts,
                     DecodePageToken(request.page_token(), filter));
    if (parts.size() != 4) {
      return InvalidFieldError("page_token", "not a token this list issued");
    }
    ASSIGN_OR_RETURN(query.as_of_us, PageTokenInt(parts[0]));
    // Tokens are tamper-evident, not secret: the instant must be one a
    // timestamp can hold, or remaining and overdue_by would be nonsense.
    if (query.as_of_us < kMinTimestampMicros ||
        query.as_of_us > kMaxTimestampMicros) {
      return InvalidFieldError("page_token", "not a token this list issued");
    }
    SlaAlertCursor cursor;
    ASSIGN_OR_RETURN(cursor.due_us, PageTokenInt(parts[1]));
    cursor.ticket_id = parts[2];
    ASSIGN_OR_RETURN(int64_t metric, PageTokenInt(parts[3]));
    cursor.metric = static_cast<int>(metric);
    after = std::move(cursor);
  }

  std::vector<SlaClockRow> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(rows, deps_.sla->ListAlerts(txn, caller.tenant, query,
                                                     after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListSlaAlertsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (const SlaClockRow& row : rows) {
    *response.add_sla_alerts() = AlertOf(row, query.as_of_us);
  }
  if (more) {
    const SlaClockRow& last = rows.back();
    const std::string key[] = {absl::StrCat(query.as_of_us),
                               absl::StrCat(last.due_us.value_or(0)),
                               last.ticket_id, absl::StrCat(last.metric)};
    response.set_next_page_token(EncodePageToken(filter, key));
  }
  return response;
}

absl::StatusOr<int> SlaAlertManager::PublishDue(int limit) {
  int handled = 0;
  RETURN_IF_ERROR(
      deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
        const absl::Time now = deps_.clock->Now();
        ASSIGN_OR_RETURN(std::vector<DueClock> due,
                         deps_.sla->DueClocks(txn, ToMicros(now), limit));
        handled = static_cast<int>(due.size());
        // Each ticket once, in the order its first due clock came.
        std::vector<std::pair<std::string, std::string>> tickets;
        for (const DueClock& clock : due) {
          std::pair<std::string, std::string> key = {clock.tenant,
                                                     clock.row.ticket_id};
          if (std::find(tickets.begin(), tickets.end(), key) == tickets.end()) {
            tickets.push_back(std::move(key));
          }
        }
        // A ticket that cannot be handled (a row that does not parse, say)
        // is left for the next pass without holding up the others: its
        // work is undone to the savepoint. A database that is busy ends
        // the pass.
        for (const auto& [tenant, ticket_id] : tickets) {
          RETURN_IF_ERROR(txn.Exec("SAVEPOINT sla_ticket").status());
          absl::Status status = PublishForTicket(txn, tenant, ticket_id, now);
          if (!status.ok()) {
            if (absl::IsUnavailable(status)) return status;
            LOG(WARNING) << "SLA events of tickets/" << ticket_id
                         << " of tenant " << tenant
                         << " left for the next pass: " << status;
            RETURN_IF_ERROR(txn.Exec("ROLLBACK TO sla_ticket").status());
          }
          RETURN_IF_ERROR(txn.Exec("RELEASE sla_ticket").status());
        }
        return absl::OkStatus();
      }));
  return handled;
}

absl::Status SlaAlertManager::PublishForTicket(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view ticket_id,
                                               absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<v1::Ticket> ticket,
                   deps_.tickets->Find(txn, tenant, ticket_id));
  if (!ticket.has_value()) {
    // Rows left by a ticket deleted without Forget: nothing to tell.
    return deps_.sla->ForgetTicket(txn, tenant, ticket_id);
  }
  // The clocks at now, so that the stored ticket and the event agree.
  ASSIGN_OR_RETURN(std::vector<v1::TicketHistoryEntry> history,
                   deps_.tickets->History(txn, tenant, ticket_id));
  std::vector<v1::TicketHistoryEntry> added;
  RETURN_IF_ERROR(tracker_.Refresh(txn, tenant, /*reselect=*/false, history,
                                   now, &*ticket, &added));
  for (const v1::TicketHistoryEntry& entry : added) {
    RETURN_IF_ERROR(
        deps_.tickets->AppendHistory(txn, tenant, ticket_id, entry));
  }
  RETURN_IF_ERROR(deps_.tickets->Put(txn, tenant, ticket_id, *ticket));
  ASSIGN_OR_RETURN(std::vector<SlaClockRow> rows,
                   deps_.sla->ClockRows(txn, tenant, ticket_id));
  const int64_t now_us = ToMicros(now);
  for (const SlaClockRow& row : rows) {
    const Publish publish = WhatToPublish(row, now_us);
    if (publish == Publish::kNothing) continue;
    const absl::Time due = FromMicros(*row.due_us);
    if (publish == Publish::kBreach) {
      ASSIGN_OR_RETURN(v1::TicketHistoryEntry entry,
                       PublishSlaBreached(txn, *deps_.events, tenant, *ticket,
                                          row.metric, due));
      RETURN_IF_ERROR(
          deps_.tickets->AppendHistory(txn, tenant, ticket_id, entry));
    } else {
      RETURN_IF_ERROR(PublishSlaAtRisk(txn, *deps_.events, tenant, *ticket,
                                       row.metric, due));
    }
    RETURN_IF_ERROR(
        deps_.sla->MarkPublished(txn, tenant, ticket_id, row.metric,
                                 /*breach=*/publish == Publish::kBreach));
  }
  return absl::OkStatus();
}

}  // namespace clientele::ticketing

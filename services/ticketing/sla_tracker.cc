#include "services/ticketing/sla_tracker.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/ticketing/sla/sla_clock.h"
#include "services/ticketing/sla_events.h"
#include "services/ticketing/sla_policy_rules.h"
#include "services/ticketing/sla_store.h"

namespace clientele::ticketing {
namespace {

// The entries of `history` that move clocks, as the clock library takes
// them (it orders them by time itself).
std::vector<sla::Step> StepsOf(
    const std::vector<v1::TicketHistoryEntry>& history) {
  std::vector<sla::Step> steps;
  steps.reserve(history.size());
  for (const v1::TicketHistoryEntry& entry : history) {
    const absl::Time time = ToTime(entry.occur_time());
    switch (entry.kind()) {
      case v1::TICKET_HISTORY_KIND_CREATED:
        steps.push_back({time, sla::Step::kCreated, entry.status()});
        break;
      case v1::TICKET_HISTORY_KIND_STATUS_CHANGED:
        steps.push_back({time, sla::Step::kStatus, entry.status()});
        break;
      case v1::TICKET_HISTORY_KIND_AGENT_REPLY:
        steps.push_back({time, sla::Step::kAgentReply});
        break;
      case v1::TICKET_HISTORY_KIND_REQUESTER_REPLY:
        steps.push_back({time, sla::Step::kRequesterReply});
        break;
      default:
        break;
    }
  }
  return steps;
}

// The index row of `result`, the current cycle of one clock: counting (due
// and at-risk times from the clock library), else as the library states it
// (BREACHED with the due time breached, MET, or PAUSED).
SlaClockRow RowOf(const sla::ClockResult& result) {
  const v1::SlaClock& clock = result.clock;
  SlaClockRow row;
  row.metric = clock.metric();
  row.start_us = ToMicros(ToTime(clock.start_time()));
  if (result.running) {
    row.state = CycleState::kRunning;
    if (result.due_time.has_value()) row.due_us = ToMicros(*result.due_time);
    if (result.at_risk_time.has_value()) {
      row.at_risk_us = ToMicros(*result.at_risk_time);
    }
    return row;
  }
  switch (clock.state()) {
    case v1::SLA_CLOCK_STATE_BREACHED:
      row.state = CycleState::kBreached;
      if (result.breached_due_time.has_value()) {
        row.due_us = ToMicros(*result.breached_due_time);
      }
      break;
    case v1::SLA_CLOCK_STATE_MET:
      row.state = CycleState::kMet;
      break;
    default:  // PAUSED: a clock not counting is never RUNNING
      row.state = CycleState::kPaused;
      break;
  }
  return row;
}

// Whether `row` is BREACHED by an earlier cycle than its own (a
// NEXT_RESPONSE cycle after one that breached): that breach was published
// when its own cycle's row was replaced, if not before (see Refresh).
bool EarlierCycleBreach(const SlaClockRow& row) {
  return row.state == CycleState::kBreached && row.due_us.has_value() &&
         *row.due_us < row.start_us;
}

// Whether the breach of `row` as it stood at `now_us` fell due unpublished.
bool UnpublishedBreach(const SlaClockRow& row, int64_t now_us) {
  if (row.breach_published || !row.due_us.has_value()) return false;
  return row.state == CycleState::kBreached ||
         (row.state == CycleState::kRunning && *row.due_us <= now_us);
}

bool SameRow(const SlaClockRow& a, const SlaClockRow& b) {
  return a.ticket_id == b.ticket_id && a.metric == b.metric &&
         a.state == b.state && a.start_us == b.start_us &&
         a.at_risk_us == b.at_risk_us && a.due_us == b.due_us &&
         a.account_id == b.account_id && a.assignee == b.assignee &&
         a.team == b.team && a.priority == b.priority && a.tier == b.tier &&
         a.mode == b.mode && a.finished == b.finished &&
         a.at_risk_published == b.at_risk_published &&
         a.breach_published == b.breach_published;
}

bool IsFinished(v1::TicketStatus status) {
  return status == v1::TICKET_STATUS_SOLVED ||
         status == v1::TICKET_STATUS_CLOSED;
}

v1::TicketHistoryEntry PolicyApplied(absl::Time now, std::string related,
                                     std::string explanation) {
  v1::TicketHistoryEntry entry;
  entry.set_kind(v1::TICKET_HISTORY_KIND_SLA_POLICY_APPLIED);
  SetTimestamp(now, entry.mutable_occur_time());
  entry.set_actor("system");
  entry.set_related(std::move(related));
  entry.set_explanation(std::move(explanation));
  return entry;
}

}  // namespace

absl::Status SlaTracker::Refresh(
    sql::Transaction& txn, absl::string_view tenant, bool reselect,
    const std::vector<v1::TicketHistoryEntry>& history, absl::Time now,
    v1::Ticket* ticket, std::vector<v1::TicketHistoryEntry>* added) {
  ASSIGN_OR_RETURN(std::string ticket_id,
                   ParseResourceName(ticket->name(), "tickets", "ticket.name"));
  ASSIGN_OR_RETURN(std::optional<KeptSla> kept,
                   deps_.sla->FindKept(txn, tenant, ticket_id));

  if (reselect || !kept.has_value()) {
    ASSIGN_OR_RETURN(std::vector<v1::SlaPolicy> policies,
                     deps_.sla->EnabledPolicies(txn, tenant));
    const SlaSubject subject = SubjectOf(*ticket);
    const v1::SlaPolicy* chosen = SelectSlaPolicy(policies, subject);
    KeptSla next;
    if (chosen != nullptr) {
      next.policy_id = IdOf(chosen->name());
      next.policy = *chosen;
    }
    // The same version of the same policy chosen again changes nothing.
    const bool changed = !kept.has_value() ||
                         kept->policy_id != next.policy_id ||
                         kept->policy.etag() != next.policy.etag();
    if (changed) {
      RETURN_IF_ERROR(deps_.sla->PutKept(txn, tenant, ticket_id, next));
      if (chosen != nullptr) {
        added->push_back(PolicyApplied(now, chosen->name(),
                                       ExplainSelection(*chosen, subject)));
      } else if (kept.has_value() && !kept->policy_id.empty()) {
        added->push_back(PolicyApplied(
            now, "",
            absl::StrCat("no SLA policy matches tier ", TierLabel(subject.tier),
                         ", mode ", ModeLabel(subject.mode), ", priority ",
                         PriorityLabel(subject.priority ==
                                               v1::TICKET_PRIORITY_UNSPECIFIED
                                           ? v1::TICKET_PRIORITY_NORMAL
                                           : subject.priority),
                         "; the ticket has no SLA clocks")));
      }
    }
    kept = std::move(next);
  }

  std::vector<sla::ClockResult> results;
  if (!kept->policy_id.empty()) {
    ticket->set_sla_policy(SlaPolicyName(kept->policy_id));
    absl::StatusOr<sla::BusinessCalendar> calendar = CalendarOf(kept->policy);
    if (!calendar.ok()) {
      // Only a time zone gone from the system's tzdata gets here (the
      // calendar was valid when the policy was written): count around the
      // clock rather than refuse every write to the ticket.
      LOG(WARNING) << "SLA calendar of " << ticket->name()
                   << " no longer loads, counting around the clock: "
                   << calendar.status();
      calendar = sla::BusinessCalendar::AroundTheClock();
    }
    results = sla::ComputeClocks(StepsOf(history), TargetsOf(kept->policy),
                                 *calendar, now);
  } else {
    ticket->clear_sla_policy();
  }
  ticket->clear_sla_clocks();
  for (const sla::ClockResult& result : results) {
    *ticket->add_sla_clocks() = result.clock;
  }

  // The index: rows that changed are written, rows of clocks gone deleted.
  // A cycle that goes on (same start) keeps what the SLA job published. A
  // new cycle replacing one whose breach fell due before the job published
  // it publishes that breach here, as the job would have: the index keeps
  // one row per metric, so nothing else would.
  ASSIGN_OR_RETURN(std::vector<SlaClockRow> old_rows,
                   deps_.sla->ClockRows(txn, tenant, ticket_id));
  const int64_t now_us = ToMicros(now);
  std::vector<bool> kept_rows(old_rows.size(), false);
  for (const sla::ClockResult& result : results) {
    SlaClockRow row = RowOf(result);
    row.ticket_id = ticket_id;
    row.account_id = IdOf(ticket->account());
    row.assignee = ticket->assignee();
    row.team = ticket->team();
    row.priority = ticket->priority();
    row.tier = ticket->account_tier();
    row.mode = ticket->relationship_mode();
    row.finished = IsFinished(ticket->status());
    const SlaClockRow* old = nullptr;
    for (size_t i = 0; i < old_rows.size(); ++i) {
      if (old_rows[i].metric == row.metric) {
        old = &old_rows[i];
        kept_rows[i] = true;
      }
    }
    if (old != nullptr && old->start_us == row.start_us) {
      row.at_risk_published = old->at_risk_published;
      // The cycle's own breach; an earlier cycle's is another one.
      if (!EarlierCycleBreach(*old) && !EarlierCycleBreach(row)) {
        row.breach_published = old->breach_published;
      }
    }
    if (EarlierCycleBreach(row)) row.breach_published = true;
    if (old != nullptr && old->start_us != row.start_us &&
        UnpublishedBreach(*old, now_us) &&
        result.breached_due_time.has_value() &&
        ToMicros(*result.breached_due_time) == *old->due_us) {
      ASSIGN_OR_RETURN(
          v1::TicketHistoryEntry entry,
          PublishSlaBreached(txn, *deps_.events, tenant, *ticket, row.metric,
                             FromMicros(*old->due_us)));
      added->push_back(std::move(entry));
    }
    if (old == nullptr || !SameRow(*old, row)) {
      RETURN_IF_ERROR(deps_.sla->PutClockRow(txn, tenant, row));
    }
  }
  for (size_t i = 0; i < old_rows.size(); ++i) {
    if (kept_rows[i]) continue;
    RETURN_IF_ERROR(
        deps_.sla->DeleteClockRow(txn, tenant, ticket_id, old_rows[i].metric));
  }
  return absl::OkStatus();
}

absl::Status SlaTracker::Forget(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view ticket_id) {
  return deps_.sla->ForgetTicket(txn, tenant, ticket_id);
}

}  // namespace clientele::ticketing

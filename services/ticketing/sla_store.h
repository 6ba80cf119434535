// Persistence of SLA policies, of the SLA each ticket was given (the policy
// as it stood when chosen: targets and calendar), and of the clock index:
// one row per ticket and metric, which ListSlaAlerts and the SLA job read
// without touching tickets. Every method runs inside the caller's
// transaction and is scoped by tenant, except the job's cross-tenant
// DueClocks.
//
// Times are microseconds since the Unix epoch. Policy ids are the part after
// "slaPolicies/", ticket ids the part after "tickets/".
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/ticketing/v1/sla_policy.pb.h"
#include "common/sql/database.h"

namespace clientele::ticketing {

// The microseconds since the epoch that the store orders `policy` by among
// policies of the same rank (its create_time).
inline int64_t PolicyCreateMicros(const v1::SlaPolicy& policy) {
  return policy.create_time().seconds() * 1000000 +
         policy.create_time().nanos() / 1000;
}

// A position in the (rank, create time, id) order of ListPolicies.
struct SlaPolicyCursor {
  int64_t rank = 0;
  int64_t create_us = 0;
  std::string id;
};

// What a ticket was given when its policy was chosen. An empty policy_id
// records that none matched: the ticket has no clocks until it is
// re-selected.
struct KeptSla {
  std::string policy_id;
  // The policy as it stood when chosen (its targets, threshold, calendar,
  // display name); empty when policy_id is.
  v1::SlaPolicy policy;
};

// How the current clock cycle of a ticket stands, for the index. A counting
// cycle is kRunning (whether it is due is a matter of due_us and the time
// asked about); otherwise the ticket's SlaClock.state, which stays BREACHED
// once any next-response cycle breached.
enum class CycleState : int {
  kRunning = 1,  // counting; due_us/at_risk_us are when it falls due / at risk
  kPaused = 2,   // not counting, not breached (times unknown: NULL)
  kMet = 3,      // stopped within its target
  // Stopped or paused after its due time, or a later NEXT_RESPONSE cycle of
  // one that was: due_us is the due time breached (before start_us for an
  // earlier cycle's breach).
  kBreached = 4,
};

// One row of the clock index: the current cycle of one metric of a ticket,
// with the ticket's fields that alerts filter on.
struct SlaClockRow {
  std::string ticket_id;
  int metric = 0;  // v1::SlaMetric
  CycleState state = CycleState::kRunning;
  // When the cycle started: a new start is a new cycle, whose events are
  // published afresh.
  int64_t start_us = 0;
  // Set for kRunning (when reached; may be in the past) and kBreached
  // (due_us only); unset otherwise.
  std::optional<int64_t> at_risk_us;
  std::optional<int64_t> due_us;
  std::string account_id;
  std::string assignee;
  std::string team;
  int priority = 0;       // v1::TicketPriority
  int tier = 0;           // type::v1::AccountTier
  int mode = 0;           // type::v1::RelationshipMode
  bool finished = false;  // the ticket is SOLVED or CLOSED
  bool at_risk_published = false;
  bool breach_published = false;
};

// A position in the (due time, ticket id, metric) order of alerts.
struct SlaAlertCursor {
  int64_t due_us = 0;
  std::string ticket_id;
  int metric = 0;
};

// ListAlerts' query. A row is an alert at `as_of_us` when it is BREACHED
// (state kBreached, or kRunning with due_us <= as_of_us) or AT_RISK (state
// kRunning, at_risk_us <= as_of_us < due_us). Filters combine with AND;
// zero values and empty strings match everything.
struct SlaAlertQuery {
  int64_t as_of_us = 0;
  bool breached = true;  // list breached alerts
  bool at_risk = true;   // list at-risk alerts
  int metric = 0;
  std::string assignee;
  std::string team;
  std::string account_id;
  // Also breaches of finished tickets, those due within
  // [due_start_us, due_end_us) (the range applies to breaches only).
  bool include_finished = false;
  int64_t due_start_us = std::numeric_limits<int64_t>::min();
  int64_t due_end_us = std::numeric_limits<int64_t>::max();
};

// A row the SLA job must publish for: its tenant, and whether its breach
// (else its at-risk warning) is due.
struct DueClock {
  std::string tenant;
  SlaClockRow row;
  bool breach = false;
};

class SlaStore {
 public:
  virtual ~SlaStore() = default;

  // ---- Policies

  // Policy `id`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::SlaPolicy>> FindPolicy(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) = 0;

  // Stores a new policy. ALREADY_EXISTS when the id is taken.
  virtual absl::Status InsertPolicy(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view id,
                                    const v1::SlaPolicy& policy) = 0;

  // Replaces policy `id`. NOT_FOUND when there is none.
  virtual absl::Status UpdatePolicy(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view id,
                                    const v1::SlaPolicy& policy) = 0;

  // Removes policy `id` (tickets keep what they were given). NOT_FOUND when
  // there is none.
  virtual absl::Status DeletePolicy(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view id) = 0;

  // Up to `limit` policies in (rank, create time, id) order after `after`
  // (nullopt: from the start).
  virtual absl::StatusOr<std::vector<v1::SlaPolicy>> ListPolicies(
      sql::Transaction& txn, absl::string_view tenant,
      const std::optional<SlaPolicyCursor>& after, int limit) = 0;

  // Every policy not disabled, in (rank, create time, id) order: what
  // selection chooses from.
  virtual absl::StatusOr<std::vector<v1::SlaPolicy>> EnabledPolicies(
      sql::Transaction& txn, absl::string_view tenant) = 0;

  // ---- What each ticket was given

  // What ticket `ticket_id` was given; nullopt when never selected.
  virtual absl::StatusOr<std::optional<KeptSla>> FindKept(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) = 0;

  // Records (inserting or replacing) what ticket `ticket_id` was given.
  virtual absl::Status PutKept(sql::Transaction& txn, absl::string_view tenant,
                               absl::string_view ticket_id,
                               const KeptSla& kept) = 0;

  // ---- The clock index

  // The rows of ticket `ticket_id`, by metric. Empty when none.
  virtual absl::StatusOr<std::vector<SlaClockRow>> ClockRows(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) = 0;

  // Inserts or replaces the row of (row.ticket_id, row.metric).
  virtual absl::Status PutClockRow(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   const SlaClockRow& row) = 0;

  // Removes the row of (ticket_id, metric); OK when absent.
  virtual absl::Status DeleteClockRow(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view ticket_id,
                                      int metric) = 0;

  // Removes what is kept for ticket `ticket_id` and its rows; OK when none.
  virtual absl::Status ForgetTicket(sql::Transaction& txn,
                                    absl::string_view tenant,
                                    absl::string_view ticket_id) = 0;

  // Accounts merged in contacts: rows of `from_account_id` name
  // `to_account_id`.
  virtual absl::Status MoveAccount(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view from_account_id,
                                   absl::string_view to_account_id) = 0;

  // Up to `limit` alert rows matching `query` in (due time, ticket id,
  // metric) order after `after` (nullopt: from the start): every breach
  // first (they are due before as_of_us), then the at-risk ones. Served by
  // indexes on due time, whatever the SLA job has published: the cost
  // follows the page, not the tickets.
  virtual absl::StatusOr<std::vector<SlaClockRow>> ListAlerts(
      sql::Transaction& txn, absl::string_view tenant,
      const SlaAlertQuery& query, const std::optional<SlaAlertCursor>& after,
      int limit) = 0;

  // For the SLA job, across tenants: up to `limit` rows whose breach
  // (kRunning with due_us <= now_us, or kBreached) or at-risk warning
  // (kRunning with at_risk_us <= now_us < due_us) is not yet published:
  // breaches first, earliest due first, then warnings, earliest first.
  virtual absl::StatusOr<std::vector<DueClock>> DueClocks(sql::Transaction& txn,
                                                          int64_t now_us,
                                                          int limit) = 0;

  // Marks the row of (ticket_id, metric) published: its at-risk warning
  // and, when `breach`, its breach too. OK when the row is gone.
  virtual absl::Status MarkPublished(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view ticket_id, int metric,
                                     bool breach) = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_STORE_H_

// A synthetic two-year history of one tenant, as contacts, engagement and
// ticketing publish it, for bench/reporting_scale.cc (docs/performance.md,
// "Reporting at scale"). Deterministic: the same options give the same
// events, byte for byte.
//
// At scale 1.0 (the size): 100,000 accounts, 5,000,000 interactions
// and 200,000 tickets over 2024-01-01..2025-12-31 (UTC), with
//   - accounts: 30% already acquired (imported on the first day, acquired
//     2019-2023), the rest created evenly over the two years; 70% B2B
//     organizations; tiers 70/22/8% standard/premium/enterprise; 90% EUR,
//     10% USD; 25% subscriptions and 10% retainers billed monthly, the rest
//     paying per purchase; an account manager for most B2B accounts; 30%
//     churn at some point (recurring ones then get a contract end);
//   - interactions: monthly subscription payments and retainer invoices,
//     the rest drawn per day in proportion to the live accounts, on random
//     accounts with every tenth one a heavy user (about five times the
//     average), mostly not churned ones: emails, calls, meetings, video
//     calls, messages, notes, advice sessions, custom work, newsletters,
//     proposals, purchases (with an amount) and refunds. 95% are recorded
//     one per RecordInteraction (an InteractionsRecorded of one), 5% by
//     BatchRecordInteractions of 50 (an InteractionsRecorded of 50);
//   - scores: a first score after creation, a change after one interaction
//     in ten (a random walk with modes moving CUSTOMER -> TRANSITIONING ->
//     CLIENT), and a fall to NEEDS_ATTENTION then AT_RISK with reasons 30
//     and 60 days after churn;
//   - tickets: created (NEW), assigned (OPEN) to one of the agents, 92%
//     solved with elapsed and business durations and two SLA clocks (first
//     response 1/2/4 h by tier, resolution 72 h), 30% of those answered by
//     a CSAT response; unsolved ones PENDING or breaching their resolution
//     clock while running;
//   - follow-ups (one per two accounts): created, then completed, cancelled
//     or left open; deals (one per ten accounts, B2B): QUALIFYING, PROPOSAL,
//     NEGOTIATION, then won or lost.
// Events that would occur after the history's end are not given (tickets
// still open, deals still in progress).
#ifndef CLIENTELE_BENCH_REPORTING_HISTORY_H_
#define CLIENTELE_BENCH_REPORTING_HISTORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"

namespace clientele::bench {

struct HistoryOptions {
  std::string tenant = "bench";
  uint64_t seed = 13;
  // Sizes (the at scale 1.0); at least one account.
  int64_t accounts = 100000;
  int64_t interactions = 5000000;
  int64_t tickets = 200000;
  // The history covers the UTC days [first_day, first_day + days).
  absl::CivilDay first_day = absl::CivilDay(2024, 1, 1);
  int days = 731;
  // Staff: account managers (also deal owners) and support agents.
  int account_managers = 20;
  int agents = 30;
  // Share of the non-recurring interactions recorded in batches of
  // batch_interactions (one event each); the rest one event each.
  double batched_share = 0.05;
  int batch_interactions = 50;
};

// The sizes times `scale` (at least one account).
HistoryOptions ScaledHistory(double scale, uint64_t seed);

// Staff user ids: "u-am-<i>" and "u-agent-<i>".
std::string AccountManagerId(int i);
std::string AgentId(int i);

// One event and the stream it is published on ("contacts", "engagement",
// "ticketing").
struct HistoryEvent {
  const char* stream = "";
  events::v1::Event event;
};

// What the history has given so far.
struct HistoryCounts {
  int64_t events = 0;
  int64_t contacts_events = 0;
  int64_t engagement_events = 0;
  int64_t ticketing_events = 0;
  int64_t accounts = 0;
  int64_t interactions = 0;
  // InteractionsRecorded events, and those carrying a single interaction.
  int64_t interaction_events = 0;
  int64_t single_interaction_events = 0;
  int64_t score_changes = 0;
  int64_t tickets = 0;
  int64_t csat_responses = 0;
  int64_t follow_ups = 0;
  int64_t deals = 0;
};

class ReportingHistory {
 public:
  explicit ReportingHistory(const HistoryOptions& options);
  ~ReportingHistory();

  ReportingHistory(const ReportingHistory&) = delete;
  ReportingHistory& operator=(const ReportingHistory&) = delete;

  // Appends the events of the next day to *out, by occurred_at (ties in
  // the order they were made), each with a unique event_id; false, adding
  // nothing, once every day has been given.
  bool NextDay(std::vector<HistoryEvent>* out);

  // The first moment after the history: no event occurs at or after it.
  absl::Time end() const;
  const HistoryOptions& options() const;
  const HistoryCounts& counts() const;

 private:
  class Generator;
  std::unique_ptr<Generator> generator_;
};

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_REPORTING_HISTORY_H_

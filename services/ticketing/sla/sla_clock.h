// SLA clocks of one ticket as a pure function of its history, its targets,
// its business calendar and the current time: a late event inserted in the
// past, or new targets for the same history, recompute every clock exactly.
//
// Rules (what the tracker, the API docs and the tests rely on):
// - Steps are taken in time order, stable for equal times (a status change
//   and a reply at the same instant apply in the order given). Steps after
//   `now` have not happened yet and are ignored. Without a kCreated step
//   there are no clocks; steps before the (first) kCreated step count as if
//   they happened right after it. After CLOSED nothing changes.
// - A clock counts working time (BusinessCalendar) only while the ticket is
//   NEW or OPEN; PENDING and ON_HOLD pause it (state PAUSED); SOLVED and
//   CLOSED stop it.
// - FIRST_RESPONSE starts at creation and stops at the first AGENT reply; a
//   ticket solved or closed before any agent reply stops it there. A reopen
//   does not restart it.
// - NEXT_RESPONSE: a cycle starts at each REQUESTER reply made after the
//   first agent reply when no cycle is running (a reply while SOLVED starts
//   one that counts once the ticket reopens), and stops at the next agent
//   reply (or a solve or close). The clock reports the current cycle, or the
//   last finished one; it is absent until the first cycle starts. A breach
//   stays a breach: once any cycle has breached, the clock's state is
//   BREACHED whatever later cycles do (its times and elapsed still describe
//   the current cycle, and `running` says whether that one counts).
// - RESOLUTION starts at creation and stops at SOLVED; a reopen (SOLVED to
//   any open status) resumes it with the elapsed time so far; CLOSED stops
//   it for good.
// - due_time is when elapsed reaches the target: for a running clock if it
//   keeps running, for a paused clock as if it resumed at `now`, for a
//   stopped clock as it stood when it stopped; once elapsed has reached the
//   target, the instant it did. Unset when the calendar has no working time
//   left.
// - BREACHED: the clock kept counting after its due time (a running clock
//   with now >= due_time; a stopped or paused clock that stopped or paused
//   after it — so a reply at 18:00 to a target due at 17:00 breaches even
//   though no working time passed in between). Otherwise a stopped clock is
//   MET, a counting one RUNNING, a paused one PAUSED.
// - at_risk: a RUNNING clock whose elapsed has reached at_risk_threshold of
//   its target.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_SLA_CLOCK_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_SLA_CLOCK_H_

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_enums.pb.h"
#include "services/ticketing/sla/business_calendar.h"

namespace clientele::ticketing::sla {

// One entry of a ticket's history that moves clocks.
struct Step {
  absl::Time time;
  enum Kind {
    kCreated,         // status: the initial status (UNSPECIFIED means NEW)
    kStatus,          // status: the new status (UNSPECIFIED is ignored)
    kAgentReply,      // a public reply by an agent
    kRequesterReply,  // a reply by the requester
  } kind;
  v1::TicketStatus status = v1::TICKET_STATUS_UNSPECIFIED;
};

// The targets of the ticket's SLA policy. Unset or non-positive: no clock.
struct Targets {
  std::optional<absl::Duration> first_response;
  std::optional<absl::Duration> next_response;
  std::optional<absl::Duration> resolution;
  // Share of a target after which a running clock is at risk; outside
  // (0, 1) (the proto's 0 included) means the default, 0.8.
  double at_risk_threshold = 0.8;
};

inline constexpr double kDefaultAtRiskThreshold = 0.8;

// One clock and what the clock index needs of it.
struct ClockResult {
  v1::SlaClock clock;
  // Whether the clock counts at `now` (state RUNNING, or BREACHED and still
  // counting). When false, due_time and at_risk_time of a paused clock are
  // projections from `now` and move as time passes.
  bool running = false;
  // While the clock is not stopped: when it falls due (as clock.due_time)
  // and when it reaches the at-risk threshold (past instants when already
  // reached). nullopt once stopped, or when never reached (no working time).
  std::optional<absl::Time> due_time;
  std::optional<absl::Time> at_risk_time;
  // For a BREACHED clock, the due time that was breached: the current
  // cycle's when it ran past it, else that of the last earlier cycle that did
  // (a NEXT_RESPONSE clock stays BREACHED). nullopt when not BREACHED.
  std::optional<absl::Time> breached_due_time;
};

// The clocks of a ticket with history `steps` at `now`, one per configured
// target in metric order (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION), by the
// rules above.
std::vector<ClockResult> ComputeClocks(std::vector<Step> steps,
                                       const Targets& targets,
                                       const BusinessCalendar& calendar,
                                       absl::Time now);

}  // namespace clientele::ticketing::sla

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_SLA_CLOCK_H_

#include "services/ticketing/sla/sla_clock.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/proto_time.h"

namespace clientele::ticketing::sla {
namespace {

bool Counts(v1::TicketStatus status) {
  return status == v1::TICKET_STATUS_NEW || status == v1::TICKET_STATUS_OPEN;
}

bool IsOpenStatus(v1::TicketStatus status) {
  return status == v1::TICKET_STATUS_NEW || status == v1::TICKET_STATUS_OPEN ||
         status == v1::TICKET_STATUS_PENDING ||
         status == v1::TICKET_STATUS_ON_HOLD;
}

// One target's clock while the history is replayed.
struct Clock {
  v1::SlaMetric metric = v1::SLA_METRIC_UNSPECIFIED;
  bool configured = false;
  absl::Duration target;
  absl::Duration risk;  // target * threshold
  bool started = false;
  bool active = false;  // started and not stopped (it may be paused)
  absl::Time start;
  absl::Time stop;  // when started and not active
  absl::Duration elapsed;
  // The instants elapsed reached `target` and `risk`, once it has.
  std::optional<absl::Time> due_reached;
  std::optional<absl::Time> risk_reached;
  // Counted past due_reached: breached.
  bool overran = false;
  // An earlier next-response cycle breached, the last one due at
  // `breached_due`.
  bool breached_before = false;
  std::optional<absl::Time> breached_due;
};

class Replay {
 public:
  Replay(const Targets& targets, const BusinessCalendar& calendar)
      : calendar_(calendar) {
    double threshold = targets.at_risk_threshold;
    if (!(threshold > 0.0 && threshold < 1.0)) {
      threshold = kDefaultAtRiskThreshold;
    }
    Configure(first_response(), v1::SLA_METRIC_FIRST_RESPONSE,
              targets.first_response, threshold);
    Configure(next_response(), v1::SLA_METRIC_NEXT_RESPONSE,
              targets.next_response, threshold);
    Configure(resolution(), v1::SLA_METRIC_RESOLUTION, targets.resolution,
              threshold);
  }

  void Create(absl::Time time, v1::TicketStatus status) {
    last_ = time;
    status_ = v1::TICKET_STATUS_NEW;
    Start(first_response(), time);
    Start(resolution(), time);
    if (status != v1::TICKET_STATUS_UNSPECIFIED) ChangeStatus(time, status);
  }

  // Applies `step`, which happens at or after every step before it.
  void Apply(const Step& step) {
    if (status_ == v1::TICKET_STATUS_CLOSED) return;
    CountUntil(step.time);
    switch (step.kind) {
      case Step::kCreated:  // a repeat: the first one counts
        break;
      case Step::kStatus:
        ChangeStatus(step.time, step.status);
        break;
      case Step::kAgentReply:
        agent_replied_ = true;
        Stop(first_response(), step.time);
        Stop(next_response(), step.time);
        break;
      case Step::kRequesterReply:
        if (agent_replied_ && !next_response().active) {
          Start(next_response(), step.time);
        }
        break;
    }
  }

  std::vector<ClockResult> Finish(absl::Time now) {
    std::vector<ClockResult> results;
    for (Clock& clock : clocks_) {
      if (!clock.configured || !clock.started) continue;
      const bool running = clock.active && Counts(status_);
      if (running) Count(clock, last_, now, /*open=*/true);
      results.push_back(Result(clock, running, now));
    }
    return results;
  }

 private:
  Clock& first_response() { return clocks_[0]; }
  Clock& next_response() { return clocks_[1]; }
  Clock& resolution() { return clocks_[2]; }

  static void Configure(Clock& clock, v1::SlaMetric metric,
                        const std::optional<absl::Duration>& target,
                        double threshold) {
    clock.metric = metric;
    clock.configured = target.has_value() && *target > absl::ZeroDuration() &&
                       *target < absl::InfiniteDuration();
    if (!clock.configured) return;
    clock.target = *target;
    clock.risk = *target * threshold;
  }

  static void Start(Clock& clock, absl::Time time) {
    if (!clock.configured) return;
    // A new cycle: everything but the metric, target and earlier breaches.
    clock.started = true;
    clock.active = true;
    clock.start = time;
    clock.stop = absl::Time();
    clock.elapsed = absl::ZeroDuration();
    clock.due_reached.reset();
    clock.risk_reached.reset();
    clock.overran = false;
  }

  static void Stop(Clock& clock, absl::Time time) {
    if (!clock.active) return;
    clock.active = false;
    clock.stop = time;
    clock.breached_before = clock.breached_before || clock.overran;
    if (clock.overran) clock.breached_due = clock.due_reached;
  }

  void ChangeStatus(absl::Time time, v1::TicketStatus status) {
    if (status == v1::TICKET_STATUS_UNSPECIFIED || status == status_) return;
    if (status == v1::TICKET_STATUS_SOLVED ||
        status == v1::TICKET_STATUS_CLOSED) {
      for (Clock& clock : clocks_) Stop(clock, time);
    } else if (status_ == v1::TICKET_STATUS_SOLVED && IsOpenStatus(status) &&
               resolution().started) {
      // A reopen resumes resolution with the time counted so far.
      resolution().active = true;
    }
    status_ = status;
  }

  // Counts [last_, time) for every clock that counts now.
  void CountUntil(absl::Time time) {
    if (time <= last_) return;
    if (Counts(status_)) {
      for (Clock& clock : clocks_) {
        if (clock.active) Count(clock, last_, time, /*open=*/false);
      }
    }
    last_ = time;
  }

  // Adds the working time of [from, to) to `clock`. An `open` span ends at
  // `now` with the clock still counting: reaching due at `to` is a breach.
  void Count(Clock& clock, absl::Time from, absl::Time to, bool open) const {
    if (to > from) {
      const absl::Duration worked = calendar_.WorkingTimeBetween(from, to);
      if (!clock.due_reached && clock.elapsed + worked >= clock.target) {
        clock.due_reached =
            calendar_.AddWorkingTime(from, clock.target - clock.elapsed);
      }
      if (!clock.risk_reached && clock.elapsed + worked >= clock.risk) {
        clock.risk_reached =
            calendar_.AddWorkingTime(from, clock.risk - clock.elapsed);
      }
      clock.elapsed += worked;
    } else if (!open) {
      return;
    }
    if (clock.due_reached &&
        (open ? to >= *clock.due_reached : to > *clock.due_reached)) {
      clock.overran = true;
    }
  }

  ClockResult Result(const Clock& clock, bool running, absl::Time now) const {
    ClockResult result;
    result.running = running;
    v1::SlaClock& proto = result.clock;
    proto.set_metric(clock.metric);
    SetDuration(clock.target, proto.mutable_target());
    SetTimestamp(clock.start, proto.mutable_start_time());
    SetDuration(clock.elapsed, proto.mutable_elapsed());
    // Due as the clock stands: when elapsed reached the target, or when it
    // would if it counted on from its stop (stopped) or from now.
    const absl::Time base = clock.active ? now : clock.stop;
    const absl::Time due =
        clock.due_reached
            ? *clock.due_reached
            : calendar_.AddWorkingTime(base, clock.target - clock.elapsed);
    if (due != absl::InfiniteFuture()) {
      SetTimestamp(due, proto.mutable_due_time());
    }
    const bool breached = clock.overran || clock.breached_before;
    if (clock.overran) {
      result.breached_due_time = clock.due_reached;
    } else if (clock.breached_before) {
      result.breached_due_time = clock.breached_due;
    }
    if (!clock.active) {
      SetTimestamp(clock.stop, proto.mutable_stop_time());
      proto.set_state(breached ? v1::SLA_CLOCK_STATE_BREACHED
                               : v1::SLA_CLOCK_STATE_MET);
      return result;
    }
    if (breached) {
      proto.set_state(v1::SLA_CLOCK_STATE_BREACHED);
    } else if (running) {
      proto.set_state(v1::SLA_CLOCK_STATE_RUNNING);
    } else {
      proto.set_state(v1::SLA_CLOCK_STATE_PAUSED);
    }
    proto.set_at_risk(proto.state() == v1::SLA_CLOCK_STATE_RUNNING &&
                      clock.risk_reached.has_value());
    if (due != absl::InfiniteFuture()) result.due_time = due;
    const absl::Time at_risk =
        clock.risk_reached
            ? *clock.risk_reached
            : calendar_.AddWorkingTime(now, clock.risk - clock.elapsed);
    if (at_risk != absl::InfiniteFuture()) result.at_risk_time = at_risk;
    return result;
  }

  const BusinessCalendar& calendar_;
  std::array<Clock, 3> clocks_;
  v1::TicketStatus status_ = v1::TICKET_STATUS_NEW;
  absl::Time last_;
  bool agent_replied_ = false;
};

}  // namespace

std::vector<ClockResult> ComputeClocks(std::vector<Step> steps,
                                       const Targets& targets,
                                       const BusinessCalendar& calendar,
                                       absl::Time now) {
  std::stable_sort(
      steps.begin(), steps.end(),
      [](const Step& a, const Step& b) { return a.time < b.time; });
  const auto created = std::find_if(
      steps.begin(), steps.end(),
      [](const Step& step) { return step.kind == Step::kCreated; });
  if (created == steps.end() || created->time > now) return {};
  Replay replay(targets, calendar);
  replay.Create(created->time, created->status);
  // Steps dated before creation count as right after it, in their order.
  for (auto it = steps.begin(); it != steps.end(); ++it) {
    if (it == created || it->time > now) continue;
    Step step = *it;
    step.time = std::max(step.time, created->time);
    replay.Apply(step);
  }
  return replay.Finish(now);
}

}  // namespace clientele::ticketing::sla

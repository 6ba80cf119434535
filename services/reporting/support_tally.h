// The support report's figures from counts (support_facts.h): a tally per
// slice, then overall, filled into SupportMetrics. Internal to
// support_report.cc, which hands it the counts of the tickets' rows or of
// the maintained blocks and the backlog's summary.
#ifndef CLIENTELE_SERVICES_REPORTING_SUPPORT_TALLY_H_
#define CLIENTELE_SERVICES_REPORTING_SUPPORT_TALLY_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "clientele/reporting/v1/support_report.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "services/reporting/report_stats.h"
#include "services/reporting/support_facts.h"

namespace clientele::reporting::support_tally {

inline constexpr int64_t kDayUs = int64_t{86400} * 1000000;
// The backlog's age buckets' bounds, in days: [0, 1), [1, 3), [3, 7),
// [7, 30), [30, ...).
inline constexpr std::array<int64_t, 4> kBacklogBoundDays = {1, 3, 7, 30};

// A SupportMetrics duration field, by its mutable accessor.
using DurationField = google::protobuf::Duration* (v1::SupportMetrics::*)();

// The backlog's tickets at least 0, 1, 3, 7 and 30 days old.
using AgeCounts = std::array<int64_t, kBacklogBoundDays.size() + 1>;

// backlog_by_age from AgeCounts.
inline void SetBacklogBuckets(const AgeCounts& at_least,
                              v1::SupportMetrics* out) {
  for (size_t b = 0; b < at_least.size(); ++b) {
    v1::BacklogAgeBucket* bucket = out->add_backlog_by_age();
    *bucket->mutable_min_age() =
        Seconds(b == 0 ? 0 : kBacklogBoundDays[b - 1] * 86400);
    if (b < kBacklogBoundDays.size()) {
      *bucket->mutable_max_age() = Seconds(kBacklogBoundDays[b] * 86400);
    }
    bucket->set_ticket_count(
        Count32(at_least[b] - (b + 1 < at_least.size() ? at_least[b + 1] : 0)));
  }
}

// A slice's summary's AgeCounts as of `as_of_us`, at or after the newest
// event: its old tickets are at least 30 days old, the recent ones'
// creation times are there.
inline AgeCounts AgeCountsOf(const BacklogSummary& summary, int64_t as_of_us) {
  AgeCounts at_least{};
  at_least[0] = summary.waiting;
  for (size_t b = 0; b < kBacklogBoundDays.size(); ++b) {
    at_least[b + 1] =
        summary.old +
        (std::upper_bound(summary.recent_us.begin(), summary.recent_us.end(),
                          as_of_us - kBacklogBoundDays[b] * kDayUs) -
         summary.recent_us.begin());
  }
  return at_least;
}

// The backlog figures from a summary (support_facts.h, BacklogNow) and its
// AgeCounts as of `as_of_us`.
inline void FillBacklogFromSummary(const BacklogSummary& summary,
                                   const AgeCounts& at_least, int64_t as_of_us,
                                   v1::SupportMetrics* out) {
  out->set_backlog(Count32(summary.waiting));
  out->set_backlog_breached(Count32(summary.breached));
  out->set_on_hold(Count32(summary.on_hold));
  SetBacklogBuckets(at_least, out);
  if (summary.waiting == 0) return;
  *out->mutable_oldest_backlog_age() =
      Micros(std::max<int64_t>(0, as_of_us - summary.oldest_us));
  *out->mutable_median_backlog_age() =
      Micros(std::max<int64_t>(0, as_of_us - summary.median_us));
}

// The figures of one slice (or of all tickets) from their counts.
class SupportTally {
 public:
  void Add(int64_t fact, int64_t code, int64_t count) {
    if (fact < kFirstResponse) {
      counters_[fact] += count;
    } else if (fact < kBacklogOpen) {
      durations_[fact - kFirstResponse].Add(code, count);
    }
  }

  // A row of support_blocks (counts of consecutive codes).
  template <typename Count>
  void AddRow(int64_t fact, int64_t first, size_t n, const Count& count) {
    if (fact >= kFirstResponse && fact < kBacklogOpen) {
      durations_[fact - kFirstResponse].AddRow(first, n, count);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      Add(fact, first + static_cast<int64_t>(i), count(i));
    }
  }

  // The backlog from its summary (support_backlog_now), instead of runs.
  void SetBacklog(BacklogSummary summary, const AgeCounts& at_least) {
    summary_ = std::move(summary);
    summary_age_counts_ = at_least;
  }

  // Whether nothing counts in it (a slice whose blocks taken away took
  // away all that others added): the report leaves it out, as it leaves
  // out a slice no ticket row names.
  bool Empty() const {
    for (const int64_t counter : counters_) {
      if (counter != 0) return false;
    }
    for (const DurationHistogram& histogram : durations_) {
      if (histogram.n() != 0) return false;
    }
    return !summary_.has_value() ||
           (summary_->waiting == 0 && summary_->on_hold == 0);
  }

  // Adds another tally's counts (not its backlog: the overall one has its
  // own summary).
  void AddTally(const SupportTally& other) {
    for (size_t i = 0; i < counters_.size(); ++i) {
      counters_[i] += other.counters_[i];
    }
    for (size_t f = 0; f < durations_.size(); ++f) {
      durations_[f].AddAll(other.durations_[f]);
    }
  }

  void Fill(int64_t as_of_us, v1::SupportMetrics* out) {
    const int64_t responses = counters_[kCsatResponses];
    const int64_t clocks = counters_[kSlaClocks];
    const int64_t breaches = counters_[kSlaBreaches];
    out->set_tickets_created(Count32(counters_[kTicketsCreated]));
    out->set_tickets_solved(Count32(counters_[kTicketsSolved]));
    out->set_csat_responses(Count32(responses));
    out->set_csat_rate(Rate(counters_[kCsatGood], responses));
    out->set_average_csat_rating(
        responses == 0 ? 0.0
                       : static_cast<double>(counters_[kCsatRatingSum]) /
                             static_cast<double>(responses));
    out->set_sla_clocks(Count32(clocks));
    out->set_sla_breaches(Count32(breaches));
    out->set_sla_compliance_rate(Rate(clocks - breaches, clocks));
    using M = v1::SupportMetrics;
    SetPercentiles(kFirstResponse, &M::mutable_median_first_response,
                   &M::mutable_p90_first_response, out);
    SetPercentiles(kResolution, &M::mutable_median_resolution,
                   &M::mutable_p90_resolution, out);
    SetPercentiles(kBusinessFirstResponse,
                   &M::mutable_business_median_first_response,
                   &M::mutable_business_p90_first_response, out);
    SetPercentiles(kBusinessResolution, &M::mutable_business_median_resolution,
                   &M::mutable_business_p90_resolution, out);
    FillBacklog(as_of_us, out);
  }

 private:
  // Sets the `median` and `p90` fields of `out` from the histogram of
  // `fact` (nearest rank over the counted durations), unless it is empty
  // (then they stay unset).
  void SetPercentiles(int64_t fact, DurationField median, DurationField p90,
                      v1::SupportMetrics* out) const {
    const DurationHistogram& histogram = durations_[fact - kFirstResponse];
    if (histogram.n() <= 0) return;
    *(out->*median)() = Seconds(CodeSeconds(histogram.RankCode(50)));
    *(out->*p90)() = Seconds(CodeSeconds(histogram.RankCode(90)));
  }

  void FillBacklog(int64_t as_of_us, v1::SupportMetrics* out) {
    FillBacklogFromSummary(summary_.value_or(BacklogSummary()),
                           summary_age_counts_, as_of_us, out);
  }

  std::array<int64_t, kFirstResponse> counters_{};
  std::array<DurationHistogram, kBacklogOpen - kFirstResponse> durations_;
  // The backlog (none: nothing waits), with its age counts.
  std::optional<BacklogSummary> summary_;
  AgeCounts summary_age_counts_{};
};

// Every slice's tally and the overall one.
class SupportTallies {
 public:
  template <typename Count>
  void AddRow(const SupportRowKey& key, int64_t first, size_t n,
              const Count& count) {
    Slice(key.mode, key.tier).AddRow(key.fact, first, n, count);
  }

  // A count of a ticket's row; the backlog's are kept for
  // SummarizeBacklog.
  void Add(const SupportKey& key, int64_t count) {
    if (key.fact >= kBacklogOpen) {
      std::vector<int64_t>& run = backlog_[{key.mode, key.tier, key.fact}];
      for (int64_t i = 0; i < count; ++i) run.push_back(key.code);
      return;
    }
    Slice(key.mode, key.tier).Add(key.fact, key.code, count);
  }

  // The backlog from the rows' counts (Add), summarized as the projector
  // summarizes support_backlog (SummarizeBacklog, as of `as_of_us`).
  void SummarizeRowsBacklog(int64_t as_of_us) {
    for (auto& [key, run] : backlog_) std::sort(run.begin(), run.end());
    SetBacklog(SummarizeBacklog(backlog_, as_of_us), as_of_us);
  }

  // The backlog of every slice and overall from support_backlog_now, as of
  // `as_of_us`: the overall's age counts are the slices' summed (the blob
  // leaves them out).
  void SetBacklog(BacklogNow now, int64_t as_of_us) {
    AgeCounts overall{};
    for (auto& [slice, summary] : now.slices) {
      const AgeCounts at_least = AgeCountsOf(summary, as_of_us);
      for (size_t b = 0; b < overall.size(); ++b) overall[b] += at_least[b];
      Slice(slice.first, slice.second).SetBacklog(std::move(summary), at_least);
    }
    overall_backlog_ = std::move(now.overall);
    overall_age_counts_ = overall;
  }

  void Fill(int64_t as_of_us, v1::SupportReport* report) {
    SupportTally overall;
    for (const auto& [key, tally] : slices_) overall.AddTally(tally);
    if (overall_backlog_.has_value()) {
      overall.SetBacklog(*std::move(overall_backlog_), overall_age_counts_);
    }
    overall.Fill(as_of_us, report->mutable_overall());
    for (auto& [key, tally] : slices_) {
      if (tally.Empty()) continue;
      v1::SupportSlice* slice = report->add_slices();
      slice->set_mode(static_cast<type::v1::RelationshipMode>(key.first));
      slice->set_tier(static_cast<type::v1::AccountTier>(key.second));
      tally.Fill(as_of_us, slice->mutable_metrics());
    }
  }

 private:
  SupportTally& Slice(int64_t mode, int64_t tier) {
    if (last_ == nullptr || last_key_ != std::make_pair(mode, tier)) {
      last_key_ = {mode, tier};
      last_ = &slices_[last_key_];
    }
    return *last_;
  }

  std::map<std::pair<int64_t, int64_t>, SupportTally> slices_;
  SupportTimes backlog_;  // from rows, until SummarizeRowsBacklog
  std::optional<BacklogSummary> overall_backlog_;
  AgeCounts overall_age_counts_{};
  SupportTally* last_ = nullptr;
  std::pair<int64_t, int64_t> last_key_;
};

}  // namespace clientele::reporting::support_tally

#endif  // CLIENTELE_SERVICES_REPORTING_SUPPORT_TALLY_H_

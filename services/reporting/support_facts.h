// The support report's facts as counts (docs/reports.md, "Support"): each
// ticket adds its facts to the day each happened on (created, solved, a
// CSAT response, an SLA clock judged) and, while it waits, to the backlog.
// The projector keeps them summed per day block (support_blocks, rows of
// counts per duration code) and for the backlog (support_backlog: creation
// times; support_backlog_now: what the report reads); the report reads the
// blocks of its range and the backlog's summary, or computes the same counts
// from the tickets themselves (support_report.cc). Durations count by code
// (DurationCode), so a block holds a histogram, not every ticket's value.
#ifndef CLIENTELE_SERVICES_REPORTING_SUPPORT_FACTS_H_
#define CLIENTELE_SERVICES_REPORTING_SUPPORT_FACTS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sql/database.h"

namespace clientele::reporting {

// What a count counts. Durations count per DurationCode; the backlog per
// ticket creation time (microseconds); the others have code 0.
enum SupportFact : int64_t {
  kTicketsCreated = 0,
  kTicketsSolved = 1,
  kCsatResponses = 2,
  kCsatGood = 3,       // rated 4 or 5
  kCsatRatingSum = 4,  // the count is the sum of the ratings
  kSlaClocks = 5,
  kSlaBreaches = 6,
  kFirstResponse = 7,  // code: the duration's
  kBusinessFirstResponse = 8,
  kResolution = 9,
  kBusinessResolution = 10,
  kBacklogOpen = 11,      // code: create_us; no breached clock
  kBacklogBreached = 12,  // code: create_us; a breached clock
  kOnHold = 13,           // code: create_us
  // The workload's per agent (docs/reports.md, "Workload"), under the key
  // AgentKey gives: on the day each happened.
  kAgentAssigned = 14,       // the assignee became the agent
  kAgentSolved = 15,         // the last solve, assigned to the agent then
  kAgentBreaches = 16,       // a clock judged breached, assigned then
  kAgentFirstResponse = 17,  // the creation's day; code: the duration's
  kAgentCsat = 18,           // a response to the survey of the agent's solve
  kAgentCsatGood = 19,       // of those, rated 4 or 5
  // And per assignee, their follow-ups: open now (code: the due time,
  // microseconds) and completed (on the day).
  kFollowUpOpen = 20,
  kFollowUpCompleted = 21,
  kSupportFactCount = 22,
};

// A count's key: the ticket's slice (mode and tier at creation), the fact
// and its code.
struct SupportKey {
  int64_t mode = 0;
  int64_t tier = 0;
  int64_t fact = 0;
  int64_t code = 0;

  friend bool operator<(const SupportKey& a, const SupportKey& b) {
    return std::tie(a.mode, a.tier, a.fact, a.code) <
           std::tie(b.mode, b.tier, b.fact, b.code);
  }
  friend bool operator==(const SupportKey& a, const SupportKey& b) {
    return std::tie(a.mode, a.tier, a.fact, a.code) ==
           std::tie(b.mode, b.tier, b.fact, b.code);
  }
};

using SupportCounts = absl::btree_map<SupportKey, int64_t>;

// An agent's counts (the kAgent* facts) are keyed as a slice of their own:
// mode kAgentSliceMode (no RelationshipMode) and the agent's number
// (staff_numbers) as tier. The projector keeps them apart from the support
// report's by their fact (IsWorkloadFact: workload_blocks, not
// support_blocks).
inline constexpr int64_t kAgentSliceMode = -1;
inline SupportKey AgentKey(int64_t agent_number, int64_t fact, int64_t code) {
  return {kAgentSliceMode, agent_number, fact, code};
}
// Whether a fact is the workload's (kAgentAssigned onwards), kept in
// workload_blocks and follow_ups_open.
inline bool IsWorkloadFact(int64_t fact) { return fact >= kAgentAssigned; }

// A duration's resolution, about 10% of it: whole seconds under 100 s,
// then 10 s under 10 min, the minute under 100 min, 10 minutes under 10 h,
// the hour under 10 days, then the day; a counted duration is the step at
// or below it (at most 10% under the real one: 2 h 14 min counts as
// 2 h 10 min, 7 days exactly). Negative durations count as 0, those of
// 1,000 days or more as 1,000 days. What keeps a block's histogram to a
// few hundred codes a slice, whatever the number of tickets
// (docs/reports.md, "Support").
int64_t DurationCode(int64_t seconds);
// The largest code a count of support_blocks has (DurationCode's of
// 1,000 days); counters have code 0.
inline constexpr uint64_t kMaxSupportCode = 1600;
// The duration (seconds, truncated) a code counts.
int64_t CodeSeconds(int64_t code);
// DurationCode's truncation, in seconds.
inline int64_t CountedSeconds(int64_t seconds) {
  return CodeSeconds(DurationCode(seconds));
}

// Counts per duration code (a few hundred codes): the support report's
// and the workload's durations, whose nearest ranks RankCode reads.
class DurationHistogram {
 public:
  void Add(int64_t code, int64_t count) {
    const auto index = static_cast<size_t>(std::max<int64_t>(0, code));
    Grow(index + 1);
    counts_[index] += count;
    n_ += count;
  }

  // Adds count(i) for the codes first, first + 1, ..., first + n - 1.
  template <typename Count>
  void AddRow(int64_t first, size_t n, const Count& count) {
    const auto start = static_cast<size_t>(std::max<int64_t>(0, first));
    Grow(start + n);
    // Locals: a loop the compiler can vectorize.
    int64_t* out = counts_.data() + start;
    int64_t sum = 0;
    for (size_t i = 0; i < n; ++i) {
      const int64_t c = count(i);
      out[i] += c;
      sum += c;
    }
    n_ += sum;
  }

  void AddAll(const DurationHistogram& other) {
    AddRow(0, other.used_, [&other](size_t i) { return other.counts_[i]; });
  }

  int64_t n() const { return n_; }

  // The code of NearestRankPercentile's rank (n() > 0).
  int64_t RankCode(int percent) const {
    const int64_t rank = std::max<int64_t>(1, (percent * n_ + 99) / 100);
    int64_t seen = 0;
    for (size_t code = 0; code < used_; ++code) {
      seen += counts_[code];
      if (seen >= rank) return static_cast<int64_t>(code);
    }
    return 0;  // unreachable while n() > 0
  }

 private:
  // Doubling: codes mostly come in ascending order.
  void Grow(size_t size) {
    if (counts_.size() < size) {
      counts_.resize(std::max(size, 2 * counts_.size()));
    }
    used_ = std::max(used_, size);
  }

  std::vector<int64_t> counts_;
  size_t used_ = 0;  // codes below it may have counts
  int64_t n_ = 0;
};

// A nullable INTEGER column of a ticket's row.
inline std::optional<int64_t> OptionalColumn(const sql::Row& row,
                                             size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Int(column);
}

// The seconds from a ticket's creation to `at_us` (a first reply or a
// solve): the duration ticketing published (pauses excluded) when there,
// else the whole seconds elapsed, never negative.
inline int64_t DurationSeconds(int64_t create_us, int64_t at_us,
                               std::optional<int64_t> published_s) {
  return published_s.has_value()
             ? *published_s
             : std::max<int64_t>(0, (at_us - create_us) / 1000000);
}

// How one ticket's rows count, the one definition shared by the
// projector's count of a ticket (projector_support.cc) and the report's
// per-ticket read (support_report.cc); each count goes to
// add(fact, code, count).
//
// A first reply (its ticket's creation day) or a solve at `at_us`: the
// duration ticketing published (pauses excluded) when there, else the whole
// seconds from creation (never negative); the business duration when
// published, else the same.
template <typename Add>
void CountReply(int64_t create_us, int64_t reply_us,
                std::optional<int64_t> published_s,
                std::optional<int64_t> business_s, Add&& add);
template <typename Add>
void CountSolve(int64_t create_us, int64_t solve_us,
                std::optional<int64_t> published_s,
                std::optional<int64_t> business_s, Add&& add);
// A CSAT response (a good one is rated 4 or 5), an SLA clock judged.
template <typename Add>
void CountRating(int64_t rating, Add&& add);
template <typename Add>
void CountClock(bool breached, Add&& add);
// The backlog fact of a waiting ticket (its code: its creation time).
inline int64_t BacklogFact(bool on_hold, bool breached) {
  return on_hold ? kOnHold : breached ? kBacklogBreached : kBacklogOpen;
}

// The counts as a blob, in key order, zero counts left out; and back, each
// count added to `into`. Decoding a blob this code did not write is
// DATA_LOSS.
std::string EncodeSupportCounts(const SupportCounts& counts);
absl::Status DecodeSupportCounts(absl::string_view blob, SupportCounts* into);

// A day block's counts as the report reads them (support_blocks): per
// (slice, fact) a row of the counts of consecutive codes from `first_code`,
// 1, 2 or 4 bytes each, so that a block adds to a histogram in one pass over a
// few hundred codes whatever the number of tickets behind it.
struct SupportRowKey {
  int64_t mode = 0;
  int64_t tier = 0;
  int64_t fact = 0;

  friend bool operator<(const SupportRowKey& a, const SupportRowKey& b) {
    return std::tie(a.mode, a.tier, a.fact) < std::tie(b.mode, b.tier, b.fact);
  }
};
struct SupportRow {
  int64_t first_code = 0;
  std::vector<int64_t> counts;
};
using SupportRows = absl::btree_map<SupportRowKey, SupportRow>;

// Adds `sign` times `counts` to `rows`.
void AddToSupportRows(const SupportCounts& counts, int64_t sign,
                      SupportRows* rows);
// The rows as a blob ("" when every count is 0): each row's zeros at either
// end left out, its counts as wide as its largest needs. A count below 0 or
// above 32 bits is INTERNAL (the sums went wrong), and nothing is written.
absl::StatusOr<std::string> EncodeSupportRows(const SupportRows& rows);
// Adds a blob's rows to `rows`; DATA_LOSS when malformed.
absl::Status DecodeSupportRows(absl::string_view blob, SupportRows* rows);
// Visits each row of a blob: visit(key, first_code, n, count(i)) where
// count(i) reads the i-th count (i < n). DATA_LOSS when malformed.
template <typename Visit>
absl::Status VisitSupportRows(absl::string_view blob, Visit&& visit);

// The backlog's creation times (support_backlog): per (slice, state) the
// creation times of its tickets, ascending (one per ticket), 64 bits each,
// so that the report reads them as they are.
using SupportTimes = absl::btree_map<SupportRowKey, std::vector<int64_t>>;
// Adds (count > 0) or takes away (count < 0) `counts`' creation times (their
// codes) to or from `times`; taking away one that is not there is INTERNAL.
absl::Status AddToSupportTimes(const SupportCounts& counts, int64_t sign,
                               SupportTimes* times);
std::string EncodeSupportTimes(const SupportTimes& times);
absl::Status DecodeSupportTimes(absl::string_view blob, SupportTimes* times);

// The backlog now as the report reads it (support_backlog_now), for any
// as_of at or after the tenant's newest event: per slice and overall.
struct BacklogSummary {
  int64_t waiting = 0;   // NEW, OPEN or PENDING (the backlog)
  int64_t breached = 0;  // of those, with a breached clock
  int64_t on_hold = 0;
  // Creation of the oldest waiting ticket, and of the one at the median
  // age's rank (NearestRankPercentile: the rank-th youngest); 0 when none.
  int64_t oldest_us = 0;
  int64_t median_us = 0;
  // Waiting tickets created at or before BacklogNow::recent_from_us (at
  // least 30 days old at any such as_of), and the creation times of the
  // others, ascending: what the age buckets need.
  int64_t old = 0;
  std::vector<int64_t> recent_us;

  friend bool operator==(const BacklogSummary& a, const BacklogSummary& b) {
    return std::tie(a.waiting, a.breached, a.on_hold, a.oldest_us, a.median_us,
                    a.old, a.recent_us) ==
           std::tie(b.waiting, b.breached, b.on_hold, b.oldest_us, b.median_us,
                    b.old, b.recent_us);
  }
};
struct BacklogNow {
  int64_t recent_from_us = 0;  // SummarizeBacklog's now_us less 30 days
  // Without old and recent_us: the slices' summed.
  BacklogSummary overall;
  absl::btree_map<std::pair<int64_t, int64_t>, BacklogSummary> slices;
};
// The summaries of `times` (each run sorted) for any as_of at or after
// `now_us`: the tenant's newest event for support_backlog_now, the report's
// as_of when it reads the tickets themselves.
BacklogNow SummarizeBacklog(const SupportTimes& times, int64_t now_us);
std::string EncodeBacklogNow(const BacklogNow& now);
absl::Status DecodeBacklogNow(absl::string_view blob, BacklogNow* now);

// ---- implementation details -------------------------------------------------

namespace support_internal {
// Reads one varint at `*pos`, false at a malformed or cut one.
bool ReadVarint(absl::string_view blob, size_t* pos, uint64_t* value);
void PutVarint(uint64_t value, std::string* out);
inline uint64_t Zigzag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}
inline int64_t Unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}
absl::Status Malformed();
// Reads a group's [zigzag mode, zigzag tier, fact] at `*pos` into `key`;
// false when malformed (or the fact unknown).
bool ReadGroupKey(absl::string_view blob, size_t* pos, SupportRowKey* key);
// The i-th little-endian unsigned count of `width` bytes at `data`.
template <int width>
int64_t Load(const unsigned char* data, size_t i) {
  const unsigned char* p = data + width * i;
  if constexpr (width == 1) {
    return p[0];
  } else if constexpr (width == 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
#ifdef ABSL_IS_BIG_ENDIAN
    v = __builtin_bswap16(v);
#endif
    return v;
  } else {
    uint32_t v;
    std::memcpy(&v, p, 4);
#ifdef ABSL_IS_BIG_ENDIAN
    v = __builtin_bswap32(v);
#endif
    return v;
  }
}
// A little-endian two's complement int64 at `p`.
inline int64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
#ifdef ABSL_IS_BIG_ENDIAN
  v = __builtin_bswap64(v);
#endif
  return static_cast<int64_t>(v);
}
}  // namespace support_internal

namespace support_internal {
// A duration's codes: `fact` (elapsed) and `business_fact`.
template <typename Add>
void CountDurations(int64_t fact, int64_t business_fact, int64_t create_us,
                    int64_t at_us, std::optional<int64_t> published_s,
                    std::optional<int64_t> business_s, Add&& add) {
  const int64_t elapsed = DurationSeconds(create_us, at_us, published_s);
  add(fact, DurationCode(elapsed), 1);
  add(business_fact, DurationCode(business_s.value_or(elapsed)), 1);
}
}  // namespace support_internal

template <typename Add>
void CountReply(int64_t create_us, int64_t reply_us,
                std::optional<int64_t> published_s,
                std::optional<int64_t> business_s, Add&& add) {
  support_internal::CountDurations(kFirstResponse, kBusinessFirstResponse,
                                   create_us, reply_us, published_s, business_s,
                                   add);
}

template <typename Add>
void CountSolve(int64_t create_us, int64_t solve_us,
                std::optional<int64_t> published_s,
                std::optional<int64_t> business_s, Add&& add) {
  add(kTicketsSolved, 0, 1);
  support_internal::CountDurations(kResolution, kBusinessResolution, create_us,
                                   solve_us, published_s, business_s, add);
}

template <typename Add>
void CountRating(int64_t rating, Add&& add) {
  add(kCsatResponses, 0, 1);
  add(kCsatRatingSum, 0, rating);
  if (rating >= 4) add(kCsatGood, 0, 1);
}

template <typename Add>
void CountClock(bool breached, Add&& add) {
  add(kSlaClocks, 0, 1);
  if (breached) add(kSlaBreaches, 0, 1);
}

// Rows: [zigzag mode, zigzag tier, fact, first_code, n, width] then n
// counts of `width` bytes (1, 2 or 4: the row's largest count decides),
// little-endian.
template <typename Visit>
absl::Status VisitSupportRows(absl::string_view blob, Visit&& visit) {
  using support_internal::Load;
  using support_internal::ReadVarint;
  size_t pos = 0;
  while (pos < blob.size()) {
    SupportRowKey key;
    uint64_t first = 0, n = 0, width = 0;
    if (!support_internal::ReadGroupKey(blob, &pos, &key) ||
        !ReadVarint(blob, &pos, &first) || !ReadVarint(blob, &pos, &n) ||
        !ReadVarint(blob, &pos, &width) ||
        (width != 1 && width != 2 && width != 4) ||
        n > (blob.size() - pos) / width || first > kMaxSupportCode ||
        n > kMaxSupportCode + 1 - first) {
      return support_internal::Malformed();
    }
    const unsigned char* data =
        reinterpret_cast<const unsigned char*>(blob.data()) + pos;
    const auto first_code = static_cast<int64_t>(first);
    const auto count = static_cast<size_t>(n);
    if (width == 1) {
      visit(key, first_code, count,
            [data](size_t i) { return Load<1>(data, i); });
    } else if (width == 2) {
      visit(key, first_code, count,
            [data](size_t i) { return Load<2>(data, i); });
    } else {
      visit(key, first_code, count,
            [data](size_t i) { return Load<4>(data, i); });
    }
    pos += width * n;
  }
  return absl::OkStatus();
}

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_SUPPORT_FACTS_H_

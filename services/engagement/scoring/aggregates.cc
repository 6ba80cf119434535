// Reading an account's weekly buckets as of a time: the one pass over the
// buckets every score makes, plus the small helpers the model shares.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/money.h"
#include "services/engagement/scoring/scoring_internal.h"

namespace clientele::engagement::scoring_internal {

std::optional<absl::Time> DateToTime(const type::v1::Date& date) {
  if (date.year() <= 0 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.day() != date.day()) return std::nullopt;  // 31 April
  return absl::FromCivil(day, absl::UTCTimeZone());
}

std::string HumanDuration(absl::Duration d) {
  const double days = absl::ToDoubleHours(d) / 24;
  if (days < 1.5) return days < 0.5 ? "less than a day" : "1 day";
  if (days < 14) return absl::StrCat(std::lround(days), " days");
  if (days < 60) return absl::StrCat(std::lround(days / 7), " weeks");
  if (days < 548) return absl::StrCat(std::lround(days / 30.44), " months");
  return absl::StrFormat("%.1f years", days / 365.25);
}

std::string HumanEvery(absl::Duration d) {
  const double days = absl::ToDoubleHours(d) / 24;
  if (days < 1.5) return "daily";
  if (days >= 6 && days <= 8) return "weekly";
  return absl::StrCat("every ", HumanDuration(d));
}

std::string FormatMoney(int64_t minor, const std::string& currency) {
  const int64_t whole = minor / 100;
  const int64_t cents = std::llabs(minor % 100);
  std::string digits = absl::StrCat(std::llabs(whole));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return absl::StrFormat("%s%s.%02d %s", minor < 0 ? "-" : "", digits, cents,
                         currency.empty() ? "(no currency)" : currency);
}

double Clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

double MajorUnits(int64_t minor) { return static_cast<double>(minor) / 100; }

bool IsEngagement(v1::InteractionKind kind) {
  switch (kind) {
    case v1::INTERACTION_KIND_NOTE:
    case v1::INTERACTION_KIND_NEWSLETTER:
    case v1::INTERACTION_KIND_GREETING:
    case v1::INTERACTION_KIND_LOYALTY_REWARD:
    case v1::INTERACTION_KIND_RETAINER_INVOICE:
    case v1::INTERACTION_KIND_TICKET_SOLVED:
    case v1::INTERACTION_KIND_TICKET_SLA_BREACHED:
    case v1::INTERACTION_KIND_UNSPECIFIED:
      return false;
    default:
      return v1::InteractionKind_IsValid(kind);
  }
}

namespace {

void AddBucket(const KindBucket& b, absl::Time last_known, KindTotals* t) {
  t->count += b.count;
  t->personalized += b.personalized;
  t->standard += b.standard;
  t->amount_minor = SaturatingAdd(t->amount_minor, b.amount_minor);
  t->amount_count += b.amount_count;
  t->rating_sum += b.rating_sum;
  t->rating_count += b.rating_count;
  t->last_time = std::max(t->last_time, last_known);
}

// One week of the account engaging, for the rhythm.
struct EngagedWeek {
  absl::Time first = absl::InfiniteFuture();
  absl::Time last = absl::InfinitePast();
  int64_t max_kind_count = 0;
  // Same-kind interactions are usually separate visits; interactions of
  // different kinds in one week are usually one occasion (an advice session,
  // its email and its invoice). A week cannot hold more touchpoints than the
  // days it spans.
  int64_t Touchpoints() const {
    if (max_kind_count == 0) return 0;
    const int64_t days = absl::ToInt64Hours(last - first) / 24 + 1;
    return std::max<int64_t>(1, std::min(max_kind_count, days));
  }
};

// The weighted median of (gap, how many such gaps).
absl::Duration WeightedMedian(
    std::vector<std::pair<absl::Duration, int64_t>> gaps) {
  std::sort(gaps.begin(), gaps.end());
  int64_t total = 0;
  for (const auto& g : gaps) total += g.second;
  int64_t seen = 0;
  for (const auto& g : gaps) {
    seen += g.second;
    if (2 * seen >= total) return g.first;
  }
  return gaps.back().first;
}

}  // namespace

Aggregates Aggregate(const AccountState& state, const v1::ScoringPolicy& policy,
                     absl::Time as_of) {
  Aggregates agg;
  agg.as_of = as_of;
  const v1::ScoringWindows& w = policy.windows();
  const absl::Time activity_from = as_of - ToDuration(w.activity_window());
  const absl::Time support_from = as_of - ToDuration(w.support_window());
  const absl::Time rhythm_from = as_of - ToDuration(w.rhythm_window());
  const ActivitySummary& summary = state.activity;

  std::vector<EngagedWeek> weeks;  // in the rhythm window, oldest first
  // At most one per bucket and one per week of the window: reserved, as
  // growing it (and `gaps`) reallocated about twenty times per score.
  const int64_t window_weeks =
      absl::ToInt64Hours(as_of - rhythm_from) / (int64_t{24} * 7) + 2;
  weeks.reserve(static_cast<size_t>(std::clamp<int64_t>(
      window_weeks, 0, static_cast<int64_t>(summary.buckets.size()))));
  absl::Time current_week = absl::InfinitePast();
  EngagedWeek week;
  auto close_week = [&] {
    if (week.max_kind_count > 0) weeks.push_back(week);
    week = EngagedWeek();
  };
  for (const KindBucket& b : summary.buckets) {
    if (b.first_time > as_of || b.week_start > as_of || b.count <= 0) continue;
    // A bucket straddling as_of counts whole (bucket precision), but only
    // its first interaction is known to be at or before as_of.
    const absl::Time last_known =
        b.last_time <= as_of ? b.last_time : b.first_time;
    agg.has_activity = true;
    agg.interaction_count += b.count;
    agg.first_interaction = agg.first_interaction == absl::InfinitePast()
                                ? b.first_time
                                : std::min(agg.first_interaction, b.first_time);
    const int kind = v1::InteractionKind_IsValid(b.kind) ? b.kind : 0;
    AddBucket(b, last_known, &agg.all[kind]);
    if (last_known >= activity_from) {
      AddBucket(b, last_known, &agg.activity[kind]);
    }
    if (last_known >= support_from) {
      AddBucket(b, last_known, &agg.support[kind]);
    }
    if (!IsEngagement(b.kind)) continue;
    agg.last_engagement = std::max(agg.last_engagement, last_known);
    if (last_known < rhythm_from) continue;
    if (b.week_start != current_week) {
      close_week();
      current_week = b.week_start;
    }
    week.first = std::min(week.first, b.first_time);
    week.last = std::max(week.last, last_known);
    week.max_kind_count = std::max(week.max_kind_count, b.count);
  }
  close_week();

  // Gaps between touchpoints: within a week, spread evenly over its span;
  // between weeks, from one week's last touch to the next one's first.
  std::vector<std::pair<absl::Duration, int64_t>> gaps;
  gaps.reserve(2 * weeks.size());
  for (size_t i = 0; i < weeks.size(); ++i) {
    const int64_t touches = weeks[i].Touchpoints();
    agg.rhythm_touchpoints += touches;
    if (weeks[i].last >= activity_from) agg.activity_touchpoints += touches;
    if (touches > 1) {
      gaps.emplace_back((weeks[i].last - weeks[i].first) / (touches - 1),
                        touches - 1);
    }
    if (i > 0) gaps.emplace_back(weeks[i].first - weeks[i - 1].last, 1);
  }
  if (agg.rhythm_touchpoints >=
          policy.silence_thresholds().min_rhythm_interactions() &&
      !gaps.empty()) {
    // Floor at a day: several visits a day are still a daily rhythm, and a
    // zero gap would make any silence infinitely long.
    agg.typical_gap =
        std::max(absl::Hours(24), WeightedMedian(std::move(gaps)));
  }

  // The all-time first interaction may be older than the buckets kept.
  if (summary.first_interaction_time != absl::InfinitePast() &&
      summary.first_interaction_time <= as_of) {
    agg.has_activity = true;
    agg.first_interaction =
        agg.first_interaction == absl::InfinitePast()
            ? summary.first_interaction_time
            : std::min(agg.first_interaction, summary.first_interaction_time);
  }

  int64_t top_count = 0;
  for (const ContactActivity& c : summary.contacts) {
    if (c.first_time == absl::InfinitePast() || c.first_time > as_of) continue;
    ++agg.contacts_known;
    if (c.last_time >= activity_from) ++agg.contacts_engaged;
    if (c.count > top_count ||
        (c.count == top_count && c.contact < agg.top_contact)) {
      top_count = c.count;
      agg.top_contact = c.contact;
    }
  }
  return agg;
}

}  // namespace clientele::engagement::scoring_internal

// Reading an account's weekly buckets as of a time: the one pass over the
// buckets every score makes, plus the small helpers the model shares.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/money.h"
#include "services/engagement/scoring/scoring.h"
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

std::optional<absl::Time> ContractEndTime(
    const events::v1::CommercialTermsSnapshot& terms) {
  const std::optional<absl::Time> end = DateToTime(terms.contract_end_date());
  if (!end.has_value()) return std::nullopt;
  return *end + absl::Hours(24);
}

std::optional<absl::Duration> ContractLength(
    const events::v1::CommercialTermsSnapshot& terms) {
  const std::optional<absl::Time> start =
      DateToTime(terms.contract_start_date());
  const std::optional<absl::Time> end = ContractEndTime(terms);
  if (!start.has_value() || !end.has_value()) return std::nullopt;
  return *end - *start;
}

std::optional<double> ContractMonths(
    const events::v1::CommercialTermsSnapshot& terms) {
  const std::optional<absl::Time> start =
      DateToTime(terms.contract_start_date());
  const std::optional<absl::Time> end = ContractEndTime(terms);
  if (!start.has_value() || !end.has_value()) return std::nullopt;
  const absl::CivilDay from = absl::ToCivilDay(*start, absl::UTCTimeZone());
  const absl::CivilDay to = absl::ToCivilDay(*end, absl::UTCTimeZone());
  // Whole calendar months, then the days left over as a fraction: 1 June
  // to 30 November is 6, whatever the months' lengths.
  const absl::CivilMonth whole(to.year(), to.month());
  const absl::CivilMonth first(from.year(), from.month());
  return static_cast<double>(whole - first) +
         static_cast<double>(to.day() - from.day()) / 30.44;
}

bool IsWonRecurringDeal(const ClosedDeal& deal) {
  return deal.won && (deal.kind == v1::DEAL_KIND_RETAINER ||
                      deal.kind == v1::DEAL_KIND_SUBSCRIPTION);
}

const ClosedDeal* LatestWonRecurringDeal(const AccountState& state,
                                         absl::Time from, absl::Time to) {
  const ClosedDeal* latest = nullptr;
  for (const ClosedDeal& deal : state.closed_deals) {
    if (!IsWonRecurringDeal(deal) || deal.close_time < from ||
        deal.close_time > to) {
      continue;
    }
    // Oldest first as loaded, but not relied on: the latest wins, a retainer
    // over a subscription closed the same day.
    if (latest == nullptr || deal.close_time > latest->close_time ||
        (deal.close_time == latest->close_time &&
         deal.kind == v1::DEAL_KIND_RETAINER)) {
      latest = &deal;
    }
  }
  return latest;
}

double MajorUnits(int64_t minor) { return static_cast<double>(minor) / 100; }

namespace {

// IsEngagement for a kind known to be valid.
bool IsEngagementKind(v1::InteractionKind kind) {
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
      return true;
  }
}

}  // namespace

bool IsEngagement(v1::InteractionKind kind) {
  return v1::InteractionKind_IsValid(kind) && IsEngagementKind(kind);
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
  t->first_time = t->first_time == absl::InfinitePast()
                      ? b.first_time
                      : std::min(t->first_time, b.first_time);
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

// Advice sessions and custom work delivered: what a professional charges
// for, one fee a time.
bool IsBillableSession(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_ADVICE_SESSION ||
         kind == v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED;
}

// Anything the account did, or support did for it: what anchors the
// evidence windows.
bool IsActivity(v1::InteractionKind kind) {
  return IsEngagement(kind) || kind == v1::INTERACTION_KIND_TICKET_SOLVED ||
         kind == v1::INTERACTION_KIND_TICKET_SLA_BREACHED;
}

// A bucket read as of a time: whether it counts, and its latest time known
// to be at or before as_of.
struct Known {
  bool counts = false;
  absl::Time last;
};
Known KnownAt(const KindBucket& b, absl::Time as_of) {
  if (b.first_time > as_of || b.week_start > as_of || b.count <= 0) {
    return {};
  }
  // A bucket straddling as_of counts whole (bucket precision), but only
  // its first interaction is known to be at or before as_of.
  return {true, b.last_time <= as_of ? b.last_time : b.first_time};
}

}  // namespace

double StaffContinuity(const Aggregates& agg) {
  if (agg.staff_count <= 0) return 0;
  const double share = static_cast<double>(agg.top_staff_count) /
                       static_cast<double>(agg.staff_count);
  const double n = static_cast<double>(agg.top_staff_count);
  return Clamp01((share - 0.5) / 0.4) * n / (n + 1);
}

std::string DedicatedStaff(const Aggregates& agg) {
  return StaffContinuity(agg) >= 0.5 ? agg.top_staff : std::string();
}

RhythmPrior RhythmPriorFor(const events::v1::AccountSnapshot& profile) {
  // Consumers come back about monthly (the model's own neutral rhythm: the
  // revenue signal reads monthly as neither shop nor engagement);
  // businesses reorder or meet about every six weeks. Two gaps' worth of
  // weight: with two observed gaps the estimate is halfway between the
  // account and its segment; with twenty, the prior moves it a tenth.
  constexpr double kPriorWeight = 2;
  if (profile.segment() == type::v1::ACCOUNT_SEGMENT_B2B) {
    return {absl::Hours(24 * 45), kPriorWeight};
  }
  return {absl::Hours(24 * 30), kPriorWeight};
}

Aggregates Aggregate(const AccountState& state, const v1::ScoringPolicy& policy,
                     absl::Time as_of) {
  Aggregates agg;
  agg.as_of = as_of;
  const v1::ScoringWindows& w = policy.windows();
  const ActivitySummary& summary = state.activity;

  // When the account last did anything up to as_of: in the latest week
  // holding a counted activity bucket (a bucket's times lie within its week,
  // and buckets are sorted by week), so the scan from the end stops there.
  absl::Time last_activity = absl::InfinitePast();
  absl::Time activity_week = absl::InfinitePast();
  for (auto it = summary.buckets.rbegin(); it != summary.buckets.rend(); ++it) {
    if (it->week_start < activity_week) break;
    const Known known = KnownAt(*it, as_of);
    if (!known.counts || !IsActivity(it->kind)) continue;
    last_activity = std::max(last_activity, known.last);
    activity_week = it->week_start;
  }

  const absl::Duration horizon = ToDuration(w.recency_horizon());
  agg.evidence_end =
      last_activity == absl::InfinitePast()
          ? as_of
          : std::min(as_of, std::max(last_activity, as_of - horizon));
  const absl::Time activity_from = as_of - ToDuration(w.activity_window());
  const absl::Time evidence_from =
      agg.evidence_end - ToDuration(w.activity_window());
  const absl::Time support_from =
      agg.evidence_end - ToDuration(w.support_window());
  const absl::Time rhythm_from =
      agg.evidence_end - ToDuration(w.rhythm_window());
  const absl::Time weeks_from = std::min(rhythm_from, activity_from);

  // One pass: what happened up to as_of (all-time totals), and the windows:
  // weeks of engagement (for touchpoints and the rhythm) and, per week,
  // purchases against sessions (for the fees).
  int64_t after_as_of = 0;
  std::vector<EngagedWeek> weeks;  // oldest first
  // At most one per bucket and one per week of the windows: reserved, as
  // growing it reallocated about twenty times per score.
  const int64_t window_weeks =
      absl::ToInt64Hours(as_of - weeks_from) / (int64_t{24} * 7) + 2;
  weeks.reserve(static_cast<size_t>(std::clamp<int64_t>(
      window_weeks, 0, static_cast<int64_t>(summary.buckets.size()))));
  absl::Time current_week = absl::InfinitePast();
  EngagedWeek week;
  int64_t week_purchases = 0;  // standard purchases in the evidence window
  int64_t week_sessions = 0;
  auto close_week = [&] {
    if (week.max_kind_count > 0) weeks.push_back(week);
    week = EngagedWeek();
    agg.session_fees += std::min(week_purchases, week_sessions);
    week_purchases = 0;
    week_sessions = 0;
  };
  for (const KindBucket& b : summary.buckets) {
    const Known known = KnownAt(b, as_of);
    if (!known.counts) {
      if (b.count > 0) after_as_of += b.count;
      continue;
    }
    agg.has_activity = true;
    agg.interaction_count += b.count;
    agg.first_interaction = agg.first_interaction == absl::InfinitePast()
                                ? b.first_time
                                : std::min(agg.first_interaction, b.first_time);
    const bool valid = v1::InteractionKind_IsValid(b.kind);
    const int kind = valid ? b.kind : 0;
    AddBucket(b, known.last, &agg.all[kind]);
    const bool engagement = valid && IsEngagementKind(b.kind);
    if (engagement) {
      agg.last_engagement = std::max(agg.last_engagement, known.last);
    }

    if (b.week_start != current_week) {
      close_week();
      current_week = b.week_start;
    }
    if (known.last >= activity_from) {
      AddBucket(b, known.last, &agg.activity[kind]);
    }
    const bool in_evidence =
        known.last >= evidence_from && known.last <= agg.evidence_end;
    if (in_evidence) {
      AddBucket(b, known.last, &agg.evidence[kind]);
      if (b.kind == v1::INTERACTION_KIND_PURCHASE) {
        week_purchases += b.count - b.personalized;
      }
      if (IsBillableSession(b.kind)) week_sessions += b.count;
    }
    if (known.last >= support_from && known.last <= agg.evidence_end) {
      AddBucket(b, known.last, &agg.support[kind]);
    }
    if (!engagement || known.last < weeks_from ||
        known.last > agg.evidence_end) {
      continue;
    }
    week.first = std::min(week.first, b.first_time);
    week.last = std::max(week.last, known.last);
    week.max_kind_count = std::max(week.max_kind_count, b.count);
  }
  close_week();
  // The buckets held may start after the account's first interaction (the
  // store loads only what a score reads): the all-time total, less what
  // lies after as_of, counts the rest.
  agg.interaction_count =
      std::max(agg.interaction_count, summary.total_count - after_as_of);

  // Gaps between touchpoints in the rhythm window: within a week, spread
  // evenly over its span; between weeks, from one week's last touch to the
  // next one's first.
  int64_t gaps = 0;
  absl::Duration spanned = absl::ZeroDuration();
  const EngagedWeek* previous = nullptr;
  for (const EngagedWeek& engaged : weeks) {
    const int64_t touches = engaged.Touchpoints();
    if (engaged.last >= activity_from) agg.activity_touchpoints += touches;
    if (engaged.last < rhythm_from) continue;
    agg.rhythm_touchpoints += touches;
    gaps += touches - 1;
    spanned += engaged.last - engaged.first;
    if (previous != nullptr) {
      gaps += 1;
      spanned += engaged.first - previous->last;
    }
    previous = &engaged;
  }
  if (agg.rhythm_touchpoints >=
          policy.silence_thresholds().min_rhythm_interactions() &&
      gaps > 0) {
    // The Gamma-Poisson posterior of buy-till-you-die models: visits come
    // at a rate that varies across accounts as a gamma whose mean is the
    // segment's prior; after `gaps` gaps spanning `spanned`, the expected
    // rate is (prior weight + gaps) / (prior weight x prior gap + spanned).
    // With few gaps this leans on what is typical; with many, on the
    // account. Floor at a day: several visits a day are still a daily
    // rhythm, and a zero gap would make any silence infinitely long.
    const RhythmPrior prior = RhythmPriorFor(state.profile);
    const absl::Duration gap =
        (prior.gap * prior.weight_in_gaps + spanned) /
        (prior.weight_in_gaps + static_cast<double>(gaps));
    agg.typical_gap = std::max(absl::Hours(24), gap);
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
  // Staff lines are all-time counts: someone who stopped serving the
  // account before the evidence window is left out, so that a manager who
  // left years ago does not stand for the account's person today.
  for (const StaffActivity& s : summary.staff) {
    if (s.first_time == absl::InfinitePast() || s.first_time > as_of ||
        s.last_time < evidence_from || s.count <= 0) {
      continue;
    }
    agg.staff_count += s.count;
    if (s.count > agg.top_staff_count ||
        (s.count == agg.top_staff_count && s.staff_user < agg.top_staff)) {
      agg.top_staff_count = s.count;
      agg.top_staff = s.staff_user;
    }
  }
  return agg;
}

}  // namespace clientele::engagement::scoring_internal

namespace clientele::engagement {

absl::Time EarliestActivityRead(const v1::ScoringPolicy& policy,
                                absl::Time as_of) {
  const v1::ScoringWindows& w = policy.windows();
  absl::Duration longest = absl::ZeroDuration();
  for (const auto* d :
       {&w.activity_window(), &w.rhythm_window(), &w.support_window()}) {
    longest = std::max(longest, ToDuration(*d));
  }
  return as_of - ToDuration(w.trend_window()) -
         ToDuration(w.recency_horizon()) - longest - absl::Hours(24 * 7);
}

}  // namespace clientele::engagement

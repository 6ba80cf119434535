// The lead score (see lead_score.h and docs/scoring.md, "Lead score"). The
// constants below are the model: change one and the doc's tables with it.
#include "services/engagement/scoring/lead_score.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/proto_time.h"
#include "unicode/normalizer2.h"
#include "unicode/unistr.h"

namespace clientele::engagement {
namespace {

// ---- Fit: 50 points ---------------------------------------------------------
// Declared needs weigh most: an account that said it needs what the business
// sells has told us more than any classification staff gave it. Segment and
// tier share the rest evenly.
constexpr double kSegmentMax = 15;
constexpr double kTierMax = 15;
constexpr double kNeedsMax = 20;
// The tier staff gave the account stands for its expected size.
constexpr double kEnterpriseShare = 1.0;
constexpr double kPremiumShare = 2.0 / 3.0;
constexpr double kStandardShare = 1.0 / 3.0;
// One need the business serves is most of the fit; a second one confirms it.
constexpr double kOneNeedShare = 0.75;
// With no valued needs in the policy, any declared need is half the points:
// the account knows what it wants, but we cannot tell whether we sell it.
constexpr double kUnjudgedNeedsShare = 0.5;
// The other segment than the preferred one, or an unknown segment.
constexpr double kOtherSegmentShare = 0.5;

// ---- Engagement: 50 points --------------------------------------------------
// Each component gives max * (1 - 2^(-decayed / half_saturation)): the
// decayed count at half_saturation gives half the points, twice that three
// quarters, and no volume gives more than the maximum.
struct EngagementRule {
  v1::LeadScoreComponentKind kind;
  double max_points;
  double half_saturation;  // decayed count giving half of max_points
  const char* singular;
  const char* plural;
};
// Meetings weigh most: the lead gave its time. A proposal means the business
// judged the lead qualified and the lead asked for terms. Replies show a
// two-way conversation. Other inbound contact is the weakest sign (a support
// question, a small purchase) and the noisiest, so it weighs least.
constexpr EngagementRule kEngagementRules[] = {
    {v1::LEAD_SCORE_COMPONENT_KIND_INBOUND_INTERACTIONS, 8, 1.0,
     "inbound interaction", "inbound interactions"},
    {v1::LEAD_SCORE_COMPONENT_KIND_REPLIES, 12, 1.0, "reply", "replies"},
    {v1::LEAD_SCORE_COMPONENT_KIND_MEETINGS, 18, 0.5, "meeting", "meetings"},
    {v1::LEAD_SCORE_COMPONENT_KIND_PROPOSALS, 12, 0.5, "proposal", "proposals"},
};
constexpr size_t kEngagementComponents = std::size(kEngagementRules);
static_assert(kSegmentMax + kTierMax + kNeedsMax == kLeadFitMaxPoints);
static_assert(kEngagementRules[0].max_points + kEngagementRules[1].max_points +
                  kEngagementRules[2].max_points +
                  kEngagementRules[3].max_points ==
              kLeadEngagementMaxPoints);

constexpr absl::Duration kDefaultHalfLife = absl::Hours(24 * 30);
constexpr int kHorizonHalfLives = 8;
constexpr size_t kMaxNeedsNamed = 5;

// Which engagement component (index into kEngagementRules) a bucket's
// interactions feed, and how many of them count: -1 for none. Only what the
// account did counts; the business's own outreach (outbound emails, calls,
// newsletters) is effort, not interest.
int EngagementIndex(const KindBucket& bucket, int64_t* counted) {
  switch (bucket.kind) {
    // The account reaching out other than in writing. Calls and purchases
    // count when inbound; survey answers and tickets come from the account
    // whatever direction was recorded.
    case v1::INTERACTION_KIND_CALL:
    case v1::INTERACTION_KIND_PURCHASE:
      *counted = bucket.inbound;
      return 0;
    case v1::INTERACTION_KIND_SURVEY_RESPONSE:
    case v1::INTERACTION_KIND_TICKET_OPENED:
    case v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE:
      *counted = bucket.count;
      return 0;
    // Written answers. Interactions carry no thread, so every inbound email
    // or message reads as a reply (a web form is recorded as one too).
    case v1::INTERACTION_KIND_EMAIL:
    case v1::INTERACTION_KIND_MESSAGE:
      *counted = bucket.inbound;
      return 1;
    // Time spent together, whoever asked for it; for a lead an advice
    // session is a first consultation.
    case v1::INTERACTION_KIND_MEETING:
    case v1::INTERACTION_KIND_VIDEO_CALL:
    case v1::INTERACTION_KIND_ADVICE_SESSION:
      *counted = bucket.count;
      return 2;
    case v1::INTERACTION_KIND_PROPOSAL:
      *counted = bucket.count;
      return 3;
    default:
      *counted = 0;
      return -1;
  }
}

double RoundTenth(double points) { return std::round(points * 10) / 10; }

// Case-insensitive key of a need: trimmed, NFC, Unicode case-folded (so
// "Steuerberatung", "STEUERBERATUNG" and "steuerberatung" are one need).
std::string NeedKey(absl::string_view need) {
  need = absl::StripAsciiWhitespace(need);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(need.data(), static_cast<int32_t>(need.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_SUCCESS(status)) {
    icu::UnicodeString normalized = nfc->normalize(text, status);
    if (U_SUCCESS(status)) {
      text = normalized;
    }
  }
  text.foldCase(U_FOLD_CASE_DEFAULT);
  std::string key;
  text.toUTF8String(key);
  return key;
}

// "payroll, tax filing" or "a, b, c, d, e and 3 more".
std::string NameNeeds(const std::vector<std::string>& needs) {
  if (needs.size() <= kMaxNeedsNamed) {
    return absl::StrJoin(needs, ", ");
  }
  const std::vector<std::string> named(needs.begin(),
                                       needs.begin() + kMaxNeedsNamed);
  return absl::StrCat(absl::StrJoin(named, ", "), " and ",
                      needs.size() - kMaxNeedsNamed, " more");
}

std::string SegmentLabel(type::v1::AccountSegment segment) {
  switch (segment) {
    case type::v1::ACCOUNT_SEGMENT_B2B:
      return "B2B";
    case type::v1::ACCOUNT_SEGMENT_B2C:
      return "B2C";
    default:
      return "unknown";
  }
}

v1::LeadScoreComponent Component(v1::LeadScoreComponentKind kind,
                                 double max_points, double share,
                                 std::string observation) {
  v1::LeadScoreComponent c;
  c.set_kind(kind);
  c.set_max_points(max_points);
  c.set_points(RoundTenth(max_points * std::clamp(share, 0.0, 1.0)));
  c.set_observation(std::move(observation));
  return c;
}

v1::LeadScoreComponent SegmentFit(const events::v1::AccountSnapshot& profile,
                                  const v1::LeadScoring& policy) {
  const type::v1::AccountSegment preferred = policy.preferred_segment();
  const type::v1::AccountSegment segment = profile.segment();
  if (preferred == type::v1::ACCOUNT_SEGMENT_UNSPECIFIED) {
    return Component(v1::LEAD_SCORE_COMPONENT_KIND_SEGMENT_FIT, kSegmentMax, 1,
                     absl::StrCat("Segment ", SegmentLabel(segment),
                                  "; the business serves both segments"));
  }
  if (segment == preferred) {
    return Component(v1::LEAD_SCORE_COMPONENT_KIND_SEGMENT_FIT, kSegmentMax, 1,
                     absl::StrCat("Segment ", SegmentLabel(segment),
                                  ", the one the business prefers"));
  }
  return Component(
      v1::LEAD_SCORE_COMPONENT_KIND_SEGMENT_FIT, kSegmentMax,
      kOtherSegmentShare,
      absl::StrCat("Segment ", SegmentLabel(segment), "; the business prefers ",
                   SegmentLabel(preferred)));
}

v1::LeadScoreComponent TierFit(const events::v1::AccountSnapshot& profile) {
  switch (profile.tier()) {
    case type::v1::ACCOUNT_TIER_ENTERPRISE:
      return Component(v1::LEAD_SCORE_COMPONENT_KIND_TIER_FIT, kTierMax,
                       kEnterpriseShare, "Enterprise tier");
    case type::v1::ACCOUNT_TIER_PREMIUM:
      return Component(v1::LEAD_SCORE_COMPONENT_KIND_TIER_FIT, kTierMax,
                       kPremiumShare, "Premium tier");
    case type::v1::ACCOUNT_TIER_STANDARD:
      return Component(v1::LEAD_SCORE_COMPONENT_KIND_TIER_FIT, kTierMax,
                       kStandardShare, "Standard tier");
    default:
      return Component(v1::LEAD_SCORE_COMPONENT_KIND_TIER_FIT, kTierMax,
                       kStandardShare, "Tier not set, read as standard");
  }
}

v1::LeadScoreComponent NeedsFit(const events::v1::AccountSnapshot& profile,
                                const v1::LeadScoring& policy) {
  const auto& declared = profile.declared_needs();
  if (declared.empty()) {
    return Component(v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS, kNeedsMax, 0,
                     "No declared needs");
  }
  const std::vector<std::string> all(declared.begin(), declared.end());
  if (policy.valued_needs().empty()) {
    return Component(
        v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS, kNeedsMax,
        kUnjudgedNeedsShare,
        absl::StrCat("Declared needs: ", NameNeeds(all),
                     "; the policy lists no valued needs to match (half)"));
  }
  absl::flat_hash_set<std::string> valued;
  for (const std::string& need : policy.valued_needs()) {
    valued.insert(NeedKey(need));
  }
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> matched;
  for (const std::string& need : declared) {
    const std::string key = NeedKey(need);
    if (valued.contains(key) && seen.insert(key).second) {
      matched.push_back(need);
    }
  }
  if (matched.empty()) {
    return Component(v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS, kNeedsMax, 0,
                     absl::StrCat("Declared needs (", NameNeeds(all),
                                  ") are none the business serves"));
  }
  return Component(
      v1::LEAD_SCORE_COMPONENT_KIND_DECLARED_NEEDS, kNeedsMax,
      matched.size() == 1 ? kOneNeedShare : 1.0,
      absl::StrCat(matched.size() == 1 ? "Declared a need" : "Declared needs",
                   " the business serves: ", NameNeeds(matched)));
}

absl::Duration HalfLife(const v1::LeadScoring& policy) {
  const absl::Duration d = ToDuration(policy.engagement_half_life());
  return d > absl::ZeroDuration() ? d : kDefaultHalfLife;
}

// "30 days", "1 day", "12 hours".
std::string WindowLabel(absl::Duration d) {
  const int64_t days = absl::ToInt64Hours(d) / 24;
  if (days >= 1 && d == absl::Hours(24 * days)) {
    return days == 1 ? "day" : absl::StrCat(days, " days");
  }
  return absl::StrFormat("%.1f days", absl::FDivDuration(d, absl::Hours(24)));
}

// "2.7"; "0.041" for what has decayed below a tenth but still gives points.
std::string DecayedLabel(double decayed) {
  if (decayed > 0 && decayed < 0.05) {
    return absl::StrFormat("%.2g", decayed);
  }
  return absl::StrFormat("%.1f", decayed);
}

// What one engagement component saw.
struct Tally {
  int64_t recent = 0;  // within one half-life of as_of
  int64_t older = 0;   // before that, within the horizon
  double decayed = 0;  // sum of counts x 2^(-age / half-life)
};

v1::LeadScoreComponent EngagementComponent(const EngagementRule& rule,
                                           const Tally& tally,
                                           absl::Duration half_life) {
  const double share = 1 - std::exp2(-tally.decayed / rule.half_saturation);
  const std::string window =
      absl::StrCat("in the last ", WindowLabel(half_life));
  std::string observation;
  if (tally.recent == 0 && tally.older == 0) {
    observation = absl::StrCat("No ", rule.plural);
  } else if (tally.recent == 0) {
    observation =
        absl::StrFormat("No %s %s; %d before (decayed %s)", rule.plural, window,
                        tally.older, DecayedLabel(tally.decayed));
  } else {
    observation = absl::StrFormat(
        "%d %s %s%s (decayed %s)", tally.recent,
        tally.recent == 1 ? rule.singular : rule.plural, window,
        tally.older > 0 ? absl::StrCat(", ", tally.older, " before") : "",
        DecayedLabel(tally.decayed));
  }
  return Component(rule.kind, rule.max_points, share, std::move(observation));
}

v1::LeadGrade GradeFor(int score, const v1::LeadScoring& policy) {
  if (score >= policy.hot_min()) {
    return v1::LEAD_GRADE_HOT;
  }
  if (score >= policy.warm_min()) {
    return v1::LEAD_GRADE_WARM;
  }
  return v1::LEAD_GRADE_COLD;
}

}  // namespace

bool IsLeadStage(const events::v1::AccountSnapshot& profile) {
  return profile.lifecycle_stage() == type::v1::LIFECYCLE_STAGE_LEAD ||
         profile.lifecycle_stage() == type::v1::LIFECYCLE_STAGE_PROSPECT;
}

absl::Duration LeadEngagementHorizon(const v1::LeadScoring& policy) {
  return kHorizonHalfLives * HalfLife(policy);
}

v1::LeadScore ComputeLeadScore(const AccountState& state,
                               const v1::LeadScoring& policy,
                               absl::Time as_of) {
  const absl::Duration half_life = HalfLife(policy);
  const absl::Time horizon = as_of - LeadEngagementHorizon(policy);
  std::array<Tally, kEngagementComponents> tallies;
  for (const KindBucket& bucket : state.activity.buckets) {
    int64_t counted = 0;
    const int index = EngagementIndex(bucket, &counted);
    if (index < 0 || counted <= 0 || bucket.first_time > as_of) {
      continue;
    }
    // The bucket's interactions are spread over [first_time, last_time]:
    // its middle (up to as_of) stands for all of them.
    const absl::Time last = std::min(bucket.last_time, as_of);
    const absl::Time middle =
        bucket.first_time +
        (std::max(last, bucket.first_time) - bucket.first_time) / 2;
    if (middle < horizon) {
      continue;
    }
    const absl::Duration age = as_of - middle;
    Tally& tally = tallies[index];
    if (age <= half_life) {
      tally.recent += counted;
    } else {
      tally.older += counted;
    }
    tally.decayed += static_cast<double>(counted) *
                     std::exp2(-absl::FDivDuration(age, half_life));
  }

  v1::LeadScore out;
  const events::v1::AccountSnapshot& profile = state.profile;
  *out.add_components() = SegmentFit(profile, policy);
  *out.add_components() = TierFit(profile);
  *out.add_components() = NeedsFit(profile, policy);
  double fit = 0;
  for (const v1::LeadScoreComponent& c : out.components()) {
    fit += c.points();
  }
  double engagement = 0;
  for (size_t i = 0; i < kEngagementComponents; ++i) {
    v1::LeadScoreComponent c =
        EngagementComponent(kEngagementRules[i], tallies[i], half_life);
    engagement += c.points();
    *out.add_components() = std::move(c);
  }
  out.set_fit_points(RoundTenth(fit));
  out.set_engagement_points(RoundTenth(engagement));
  const int score = std::clamp(
      static_cast<int>(std::lround(out.fit_points() + out.engagement_points())),
      0, 100);
  out.set_score(score);
  out.set_grade(GradeFor(score, policy));
  *out.mutable_engagement_half_life() = ToDurationProto(half_life);
  return out;
}

}  // namespace clientele::engagement

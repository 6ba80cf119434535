#include "services/engagement/scoring/scoring_policy.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "google/protobuf/duration.pb.h"

namespace clientele::engagement {
namespace {

constexpr absl::string_view kPrefix = "scoring_policy.";
constexpr double kWeightSumTolerance = 0.001;
// Ten calendar years, leap days included, so "3650d" and "87660h" both pass.
constexpr absl::Duration kMaxWindow = absl::Hours(24 * 3653);
constexpr absl::Duration kMaxFollowUpDelay = absl::Hours(24 * 365);
constexpr int kMaxMinInteractions = 1000;
// A rhythm needs at least two gaps to have a median worth the name; more than
// a thousand would leave almost every account without one.
constexpr int kMinRhythmInteractions = 2;
constexpr int kMaxRhythmInteractions = 1000;

google::protobuf::Duration Days(int days) {
  google::protobuf::Duration d;
  d.set_seconds(int64_t{days} * 86400);
  return d;
}

void AddWeight(v1::ScoreComponentKind kind, double weight,
               google::protobuf::RepeatedPtrField<v1::ComponentWeight>* to) {
  v1::ComponentWeight* w = to->Add();
  w->set_component(kind);
  w->set_weight(weight);
}

void CheckWeights(
    const google::protobuf::RepeatedPtrField<v1::ComponentWeight>& weights,
    absl::string_view name, FieldViolations* violations) {
  const std::string field = absl::StrCat(kPrefix, name);
  std::vector<bool> seen(v1::ScoreComponentKind_ARRAYSIZE, false);
  double sum = 0;
  for (int i = 0; i < weights.size(); ++i) {
    const v1::ComponentWeight& w = weights[i];
    if (w.component() == v1::SCORE_COMPONENT_KIND_UNSPECIFIED ||
        !v1::ScoreComponentKind_IsValid(w.component())) {
      violations->Add(field, absl::StrCat("entry ", i,
                                          " names no known component; "
                                          "components must be set"));
      return;
    }
    if (seen[w.component()]) {
      violations->Add(
          field,
          absl::StrCat("component ", v1::ScoreComponentKind_Name(w.component()),
                       " is listed more than once"));
      return;
    }
    seen[w.component()] = true;
    if (!std::isfinite(w.weight()) || w.weight() < 0 || w.weight() > 1) {
      violations->Add(field,
                      absl::StrCat("the weight of ",
                                   v1::ScoreComponentKind_Name(w.component()),
                                   " must be between 0.0 and 1.0"));
      return;
    }
    sum += w.weight();
  }
  if (std::fabs(sum - 1.0) > kWeightSumTolerance) {
    violations->Add(field, absl::StrFormat("the weights sum to %.4f; they "
                                           "must sum to 1.0 (within 0.001)",
                                           sum));
  }
}

void CheckBands(const v1::BandThresholds& bands, FieldViolations* violations) {
  const std::string field = absl::StrCat(kPrefix, "band_thresholds.");
  if (bands.needs_attention_min() < 0) {
    violations->Add(absl::StrCat(field, "needs_attention_min"),
                    "must be at least 0");
  }
  if (bands.healthy_min() <= bands.needs_attention_min()) {
    violations->Add(absl::StrCat(field, "healthy_min"),
                    "must be above needs_attention_min");
  }
  if (bands.strong_min() <= bands.healthy_min()) {
    violations->Add(absl::StrCat(field, "strong_min"),
                    "must be above healthy_min");
  } else if (bands.strong_min() > 100) {
    violations->Add(absl::StrCat(field, "strong_min"), "must be at most 100");
  }
}

void CheckModes(const v1::ModeThresholds& modes, FieldViolations* violations) {
  const std::string field = absl::StrCat(kPrefix, "mode_thresholds.");
  const double customer_max = modes.customer_max();
  const double client_min = modes.client_min();
  // Written so that NaN fails every comparison and lands here.
  if (!(customer_max > 0 && customer_max < 1)) {
    violations->Add(absl::StrCat(field, "customer_max"),
                    "must be between 0 and 1, both excluded");
  }
  if (!(client_min > customer_max && client_min < 1)) {
    violations->Add(absl::StrCat(field, "client_min"),
                    "must be above customer_max and below 1");
  }
}

void CheckWindow(const google::protobuf::Duration& window,
                 absl::string_view name, FieldViolations* violations) {
  if (!IsValidDuration(window) || ToDuration(window) < absl::Hours(24) ||
      ToDuration(window) > kMaxWindow) {
    violations->Add(absl::StrCat(kPrefix, "windows.", name),
                    "must be between 1 day and 10 years");
  }
}

void CheckSilence(const v1::SilenceThresholds& silence,
                  FieldViolations* violations) {
  const std::string field = absl::StrCat(kPrefix, "silence_thresholds.");
  const double longer = silence.longer_than_usual_ratio();
  const double unusual = silence.unusual_ratio();
  if (!(longer > 1 && std::isfinite(longer))) {
    violations->Add(absl::StrCat(field, "longer_than_usual_ratio"),
                    "must be above 1.0");
  }
  if (!(unusual > longer && std::isfinite(unusual))) {
    violations->Add(absl::StrCat(field, "unusual_ratio"),
                    "must be above longer_than_usual_ratio");
  }
  if (silence.min_rhythm_interactions() < kMinRhythmInteractions ||
      silence.min_rhythm_interactions() > kMaxRhythmInteractions) {
    violations->Add(absl::StrCat(field, "min_rhythm_interactions"),
                    absl::StrCat("must be between ", kMinRhythmInteractions,
                                 " and ", kMaxRhythmInteractions));
  }
}

void CheckDelay(const google::protobuf::Duration& delay, absl::string_view name,
                FieldViolations* violations) {
  if (!IsValidDuration(delay) || ToDuration(delay) < absl::ZeroDuration() ||
      ToDuration(delay) > kMaxFollowUpDelay) {
    violations->Add(absl::StrCat(kPrefix, "follow_up_rules.", name),
                    "must be between 0 (off) and 365 days");
  }
}

void CheckDealProbabilities(const v1::DealStageProbabilities& p,
                            FieldViolations* violations) {
  const std::string field = absl::StrCat(kPrefix, "deal_stage_probabilities");
  for (double value : {p.qualifying(), p.proposal(), p.negotiation()}) {
    if (!(value >= 0.0 && value <= 1.0)) {
      violations->Add(field, "each probability must be between 0.0 and 1.0");
      return;
    }
  }
  if (p.qualifying() > p.proposal() || p.proposal() > p.negotiation()) {
    violations->Add(field,
                    "probabilities must not decrease from qualifying to "
                    "proposal to negotiation");
  }
}

constexpr int kMaxValuedNeeds = 100;
constexpr int kMaxNeedChars = 64;

void CheckLeadScoring(const v1::LeadScoring& lead,
                      FieldViolations* violations) {
  const std::string p = absl::StrCat(kPrefix, "lead_scoring.");
  if (!type::v1::AccountSegment_IsValid(lead.preferred_segment())) {
    violations->Add(p + "preferred_segment", "unknown segment");
  }
  if (lead.valued_needs_size() > kMaxValuedNeeds) {
    violations->Add(p + "valued_needs",
                    absl::StrCat("at most ", kMaxValuedNeeds, " needs"));
  }
  for (int i = 0; i < lead.valued_needs_size(); ++i) {
    const std::string& need = lead.valued_needs(i);
    if (need.empty() || need.size() > kMaxNeedChars) {
      violations->Add(absl::StrCat(p, "valued_needs[", i, "]"),
                      "must be 1-64 characters");
    }
  }
  const google::protobuf::Duration& half_life = lead.engagement_half_life();
  if (!IsValidDuration(half_life) || ToDuration(half_life) < absl::Hours(24) ||
      ToDuration(half_life) > absl::Hours(24 * 365)) {
    violations->Add(p + "engagement_half_life",
                    "must be between 1 and 365 days");
  }
  if (!(lead.warm_min() > 0 && lead.warm_min() < lead.hot_min() &&
        lead.hot_min() <= 100)) {
    violations->Add(p + "hot_min", "need 0 < warm_min < hot_min <= 100");
  }
}

void CheckKeepInTouch(const v1::KeepInTouch& keep,
                      FieldViolations* violations) {
  const std::string p = absl::StrCat(kPrefix, "keep_in_touch.");
  const google::protobuf::Duration& window = keep.survey_fatigue_window();
  if (!IsValidDuration(window) || ToDuration(window) < absl::Hours(24) ||
      ToDuration(window) > absl::Hours(24 * 365)) {
    violations->Add(p + "survey_fatigue_window",
                    "must be between 1 and 365 days");
  }
  if (keep.max_surveys_per_window() < 1 || keep.max_surveys_per_window() > 10) {
    violations->Add(p + "max_surveys_per_window", "must be between 1 and 10");
  }
}

constexpr absl::string_view kUpdatable[] = {
    "customer_weights",
    "client_weights",
    "band_thresholds",
    "band_thresholds.needs_attention_min",
    "band_thresholds.healthy_min",
    "band_thresholds.strong_min",
    "mode_thresholds",
    "mode_thresholds.customer_max",
    "mode_thresholds.client_min",
    "windows",
    "windows.recency_horizon",
    "windows.activity_window",
    "windows.rhythm_window",
    "windows.trend_window",
    "windows.support_window",
    "silence_thresholds",
    "silence_thresholds.longer_than_usual_ratio",
    "silence_thresholds.unusual_ratio",
    "silence_thresholds.min_rhythm_interactions",
    "follow_up_rules",
    "follow_up_rules.proposal_follow_up_delay",
    "follow_up_rules.invoice_after_purchase_delay",
    "follow_up_rules.survey_after_solve_delay",
    "min_interactions",
    "deal_stage_probabilities",
    "deal_stage_probabilities.qualifying",
    "deal_stage_probabilities.proposal",
    "deal_stage_probabilities.negotiation",
    "lead_scoring",
    "lead_scoring.preferred_segment",
    "lead_scoring.valued_needs",
    "lead_scoring.engagement_half_life",
    "lead_scoring.hot_min",
    "lead_scoring.warm_min",
    "keep_in_touch",
    "keep_in_touch.survey_fatigue_window",
    "keep_in_touch.max_surveys_per_window",
};
constexpr absl::string_view kOutputOnly[] = {"name", "revision", "update_time",
                                             "etag"};

}  // namespace

v1::ScoringPolicy DefaultScoringPolicy() {
  v1::ScoringPolicy policy;
  policy.set_name("scoringPolicy");
  policy.set_revision(0);
  // Customers: the non-contractual view. Recency (read against the account's
  // own rhythm) carries most because a customer who stops coming has simply
  // gone; support is a fifth because after-sales service is often the only
  // personal contact a customer has.
  auto* customer = policy.mutable_customer_weights();
  AddWeight(v1::SCORE_COMPONENT_KIND_RECENCY, 0.40, customer);
  AddWeight(v1::SCORE_COMPONENT_KIND_FREQUENCY, 0.25, customer);
  AddWeight(v1::SCORE_COMPONENT_KIND_MONETARY, 0.15, customer);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION, 0.10, customer);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_SLA, 0.05, customer);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG, 0.05, customer);
  // Clients: the contractual view. No single reading dominates; silence
  // weighs most, but judged against the client's own rhythm.
  auto* client = policy.mutable_client_weights();
  AddWeight(v1::SCORE_COMPONENT_KIND_TENURE, 0.15, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL, 0.15, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH, 0.15, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_PERSONALIZATION, 0.15, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_SILENCE, 0.20, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION, 0.10, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_SLA, 0.05, client);
  AddWeight(v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG, 0.05, client);

  v1::BandThresholds* bands = policy.mutable_band_thresholds();
  bands->set_needs_attention_min(30);
  bands->set_healthy_min(50);
  bands->set_strong_min(75);
  v1::ModeThresholds* modes = policy.mutable_mode_thresholds();
  modes->set_customer_max(0.35);
  modes->set_client_min(0.65);
  v1::ScoringWindows* windows = policy.mutable_windows();
  *windows->mutable_recency_horizon() = Days(365);
  *windows->mutable_activity_window() = Days(365);
  *windows->mutable_rhythm_window() = Days(730);
  *windows->mutable_trend_window() = Days(30);
  *windows->mutable_support_window() = Days(180);
  v1::SilenceThresholds* silence = policy.mutable_silence_thresholds();
  silence->set_longer_than_usual_ratio(1.5);
  silence->set_unusual_ratio(3.0);
  silence->set_min_rhythm_interactions(3);
  v1::FollowUpRules* rules = policy.mutable_follow_up_rules();
  *rules->mutable_proposal_follow_up_delay() = Days(3);
  *rules->mutable_invoice_after_purchase_delay() = Days(1);
  *rules->mutable_survey_after_solve_delay() = Days(1);
  policy.set_min_interactions(3);
  FillUnsetPolicyParts(&policy);
  return policy;
}

void FillUnsetPolicyParts(v1::ScoringPolicy* policy) {
  if (!policy->has_deal_stage_probabilities()) {
    v1::DealStageProbabilities* deals =
        policy->mutable_deal_stage_probabilities();
    deals->set_qualifying(0.1);
    deals->set_proposal(0.3);
    deals->set_negotiation(0.6);
  }
  if (!policy->has_lead_scoring()) {
    v1::LeadScoring* lead = policy->mutable_lead_scoring();
    *lead->mutable_engagement_half_life() = Days(30);
    lead->set_hot_min(70);
    lead->set_warm_min(40);
  }
  if (!policy->has_keep_in_touch()) {
    v1::KeepInTouch* keep = policy->mutable_keep_in_touch();
    *keep->mutable_survey_fatigue_window() = Days(90);
    keep->set_max_surveys_per_window(1);
  }
}

absl::Status ValidateScoringPolicy(const v1::ScoringPolicy& policy) {
  FieldViolations violations;
  CheckWeights(policy.customer_weights(), "customer_weights", &violations);
  CheckWeights(policy.client_weights(), "client_weights", &violations);
  CheckBands(policy.band_thresholds(), &violations);
  CheckModes(policy.mode_thresholds(), &violations);
  const v1::ScoringWindows& windows = policy.windows();
  CheckWindow(windows.recency_horizon(), "recency_horizon", &violations);
  CheckWindow(windows.activity_window(), "activity_window", &violations);
  CheckWindow(windows.rhythm_window(), "rhythm_window", &violations);
  CheckWindow(windows.trend_window(), "trend_window", &violations);
  CheckWindow(windows.support_window(), "support_window", &violations);
  CheckSilence(policy.silence_thresholds(), &violations);
  const v1::FollowUpRules& rules = policy.follow_up_rules();
  CheckDelay(rules.proposal_follow_up_delay(), "proposal_follow_up_delay",
             &violations);
  CheckDelay(rules.invoice_after_purchase_delay(),
             "invoice_after_purchase_delay", &violations);
  CheckDelay(rules.survey_after_solve_delay(), "survey_after_solve_delay",
             &violations);
  CheckDealProbabilities(policy.deal_stage_probabilities(), &violations);
  CheckLeadScoring(policy.lead_scoring(), &violations);
  CheckKeepInTouch(policy.keep_in_touch(), &violations);
  if (policy.min_interactions() < 0 ||
      policy.min_interactions() > kMaxMinInteractions) {
    violations.Add(absl::StrCat(kPrefix, "min_interactions"),
                   absl::StrCat("must be between 0 and ", kMaxMinInteractions));
  }
  return violations.ToStatus();
}

absl::Span<const absl::string_view> ScoringPolicyUpdatablePaths() {
  return kUpdatable;
}

absl::Span<const absl::string_view> ScoringPolicyOutputOnlyPaths() {
  return kOutputOnly;
}

absl::StatusOr<v1::ScoringPolicy> ApplyScoringPolicyUpdate(
    const v1::ScoringPolicy& current, const v1::ScoringPolicy& patch,
    const google::protobuf::FieldMask& mask) {
  google::protobuf::FieldMask effective = mask;
  // AIP-134: an absent mask means "replace everything the client may set",
  // which is what "*" means to ResolveUpdateMask.
  if (effective.paths_size() == 0) effective.add_paths("*");
  absl::StatusOr<std::vector<std::string>> paths =
      ResolveUpdateMask(effective, ScoringPolicyUpdatablePaths(),
                        ScoringPolicyOutputOnlyPaths(), "update_mask");
  if (!paths.ok()) return paths.status();
  v1::ScoringPolicy result = current;
  CopyFieldPaths(patch, *paths, &result);
  absl::Status valid = ValidateScoringPolicy(result);
  if (!valid.ok()) return valid;
  return result;
}

}  // namespace clientele::engagement

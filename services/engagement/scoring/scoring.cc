// The relationship score: one evaluation of the model at as_of, one at the
// start of the trend window, and what explains the difference.
#include "services/engagement/scoring/scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/engagement/scoring/lead_score.h"
#include "services/engagement/scoring/scoring_internal.h"

namespace clientele::engagement {
namespace {

using scoring_internal::Evaluation;

constexpr int kMaxReasons = 5;
// Trend moves within this many points are noise.
constexpr int kStableTrendPoints = 2;
constexpr double kNeutralValue = 0.5;

type::v1::ScoreBand BandFor(int score, const v1::BandThresholds& t) {
  if (score >= t.strong_min()) return type::v1::SCORE_BAND_STRONG;
  if (score >= t.healthy_min()) return type::v1::SCORE_BAND_HEALTHY;
  if (score >= t.needs_attention_min()) {
    return type::v1::SCORE_BAND_NEEDS_ATTENTION;
  }
  return type::v1::SCORE_BAND_AT_RISK;
}

Evaluation Evaluate(const AccountState& state, const v1::ScoringPolicy& policy,
                    absl::Time as_of) {
  Evaluation eval;
  eval.agg = scoring_internal::Aggregate(state, policy, as_of);
  eval.mode = scoring_internal::AssessMode(state, eval.agg, policy);
  eval.silence = scoring_internal::AssessSilence(eval.agg, policy);
  eval.components = scoring_internal::ScoreComponents(
      state, eval.agg, eval.silence, eval.mode, policy);
  double points = 0;
  for (const v1::ScoreComponent& c : eval.components) points += c.points();
  eval.score = std::clamp(static_cast<int>(std::lround(points)), 0, 100);
  eval.band = BandFor(eval.score, policy.band_thresholds());
  return eval;
}

std::string ComponentLabel(v1::ScoreComponentKind kind) {
  switch (kind) {
    case v1::SCORE_COMPONENT_KIND_RECENCY:
      return "recency";
    case v1::SCORE_COMPONENT_KIND_FREQUENCY:
      return "frequency";
    case v1::SCORE_COMPONENT_KIND_MONETARY:
      return "spend";
    case v1::SCORE_COMPONENT_KIND_TENURE:
      return "tenure";
    case v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL:
      return "contract renewal";
    case v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH:
      return "contact depth";
    case v1::SCORE_COMPONENT_KIND_PERSONALIZATION:
      return "personalization";
    case v1::SCORE_COMPONENT_KIND_SILENCE:
      return "silence";
    // The support components say so: a reason must tell a reader that
    // support (tickets, their CSAT and SLA) moved the score.
    case v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION:
      return "support satisfaction";
    case v1::SCORE_COMPONENT_KIND_SUPPORT_SLA:
      return "support SLA";
    case v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG:
      return "support backlog";
    default:
      return "other";
  }
}

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = absl::ascii_toupper(static_cast<unsigned char>(s[0]));
  return s;
}

// What a reason adds when the mode was declared, not inferred: the score
// reads the declared mode's model, and a reader must be able to tell.
std::string DeclaredNote(const v1::ModeAssessment& mode) {
  const type::v1::RelationshipMode declared = mode.declared_mode();
  if (declared != type::v1::RELATIONSHIP_MODE_CLIENT &&
      declared != type::v1::RELATIONSHIP_MODE_CUSTOMER) {
    return "";
  }
  const char* as =
      declared == type::v1::RELATIONSHIP_MODE_CLIENT ? "client" : "customer";
  return absl::StrCat(", as a declared ", as);
}

std::vector<v1::ScoreReason> TopReasons(const Evaluation& eval) {
  const std::string declared = DeclaredNote(eval.mode);
  std::vector<v1::ScoreReason> reasons;
  for (const v1::ScoreComponent& c : eval.components) {
    const double impact = c.weight() * (c.value() - kNeutralValue) * 100;
    // Rounded so that a reason never claims a tenth of a point it does not
    // move, and so that ties sort the same everywhere.
    const double rounded = std::round(impact * 10) / 10;
    if (rounded == 0) continue;
    v1::ScoreReason r;
    r.set_component(c.kind());
    r.set_effect(rounded > 0 ? v1::REASON_EFFECT_POSITIVE
                             : v1::REASON_EFFECT_NEGATIVE);
    r.set_impact_points(rounded);
    r.set_summary(absl::StrFormat("%s (%s %+.1f points%s)",
                                  Capitalized(c.observation()),
                                  ComponentLabel(c.kind()), rounded, declared));
    reasons.push_back(std::move(r));
  }
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const v1::ScoreReason& a, const v1::ScoreReason& b) {
                     const double ia = std::fabs(a.impact_points());
                     const double ib = std::fabs(b.impact_points());
                     if (ia != ib) return ia > ib;
                     return a.component() < b.component();
                   });
  if (reasons.size() > kMaxReasons) reasons.resize(kMaxReasons);
  return reasons;
}

v1::ScoreTrend Trend(const AccountState& state, const v1::ScoringPolicy& policy,
                     absl::Time as_of, const Evaluation& now) {
  v1::ScoreTrend trend;
  *trend.mutable_window() = policy.windows().trend_window();
  const absl::Time then = as_of - ToDuration(policy.windows().trend_window());
  const Evaluation before = Evaluate(state, policy, then);
  if (!before.agg.has_activity) {
    trend.set_direction(v1::TREND_DIRECTION_NEW);
    return trend;
  }
  trend.set_previous_score(before.score);
  trend.set_previous_band(before.band);
  trend.set_previous_mode(before.mode.mode());
  const int delta = now.score - before.score;
  trend.set_delta(delta);
  if (delta > kStableTrendPoints) {
    trend.set_direction(v1::TREND_DIRECTION_RISING);
  } else if (delta < -kStableTrendPoints) {
    trend.set_direction(v1::TREND_DIRECTION_FALLING);
  } else {
    trend.set_direction(v1::TREND_DIRECTION_STABLE);
  }
  return trend;
}

std::string BandLabel(type::v1::ScoreBand band) {
  switch (band) {
    case type::v1::SCORE_BAND_AT_RISK:
      return "at risk";
    case type::v1::SCORE_BAND_NEEDS_ATTENTION:
      return "needs attention";
    case type::v1::SCORE_BAND_HEALTHY:
      return "healthy";
    case type::v1::SCORE_BAND_STRONG:
      return "strong";
    default:
      return "unbanded";
  }
}

std::string ModeLabel(type::v1::RelationshipMode mode) {
  switch (mode) {
    case type::v1::RELATIONSHIP_MODE_CUSTOMER:
      return "customer";
    case type::v1::RELATIONSHIP_MODE_CLIENT:
      return "client";
    case type::v1::RELATIONSHIP_MODE_TRANSITIONING:
      return "transitioning";
    default:
      return "unknown mode";
  }
}

}  // namespace

namespace scoring_internal {

const v1::ScoreComponent* FindComponent(const Evaluation& eval,
                                        v1::ScoreComponentKind kind) {
  for (const v1::ScoreComponent& c : eval.components) {
    if (c.kind() == kind) return &c;
  }
  return nullptr;
}

}  // namespace scoring_internal

v1::RelationshipScore ComputeRelationshipScore(const AccountState& state,
                                               const v1::ScoringPolicy& policy,
                                               absl::Time as_of) {
  const Evaluation eval = Evaluate(state, policy, as_of);
  v1::RelationshipScore out;
  out.set_name(absl::StrCat(state.account, "/relationshipScore"));
  out.set_account(state.account);
  *out.mutable_mode_assessment() = eval.mode;
  out.set_score(eval.score);
  out.set_band(eval.band);
  out.set_provisional(eval.agg.interaction_count < policy.min_interactions());
  for (const v1::ScoreComponent& c : eval.components) *out.add_components() = c;
  *out.mutable_silence() = eval.silence;
  *out.mutable_trend() = Trend(state, policy, as_of, eval);
  for (v1::ScoreReason& r : TopReasons(eval)) {
    *out.add_top_reasons() = std::move(r);
  }
  for (v1::NextBestAction& a :
       scoring_internal::RecommendActions(state, eval, policy)) {
    *out.add_next_best_actions() = std::move(a);
  }
  out.set_model_version(kModelVersion);
  out.set_policy_revision(policy.revision());
  *out.mutable_as_of_time() = ToTimestamp(as_of);
  out.set_interaction_count(eval.agg.interaction_count);
  if (IsLeadStage(state.profile)) {
    *out.mutable_lead_score() =
        ComputeLeadScore(state, policy.lead_scoring(), as_of);
  }
  return out;
}

v1::ScoreChange DescribeScoreChange(const v1::RelationshipScore* previous,
                                    const v1::RelationshipScore& current) {
  v1::ScoreChange change;
  change.set_account(current.account());
  change.set_new_score(current.score());
  change.set_new_band(current.band());
  change.set_new_mode(current.mode_assessment().mode());
  change.set_model_version(current.model_version());
  if (previous == nullptr) {
    change.set_delta(current.score());
    for (const v1::ScoreComponent& c : current.components()) {
      v1::ComponentDelta* d = change.add_component_deltas();
      d->set_component(c.kind());
      d->set_new_points(c.points());
    }
    change.set_summary(absl::StrFormat(
        "First score: %d (%s, %s)", current.score(), BandLabel(current.band()),
        ModeLabel(current.mode_assessment().mode())));
    return change;
  }
  change.set_previous_score(previous->score());
  change.set_previous_band(previous->band());
  change.set_previous_mode(previous->mode_assessment().mode());
  const int delta = current.score() - previous->score();
  change.set_delta(delta);

  // The union of both component lists, by kind.
  std::vector<v1::ComponentDelta> deltas(v1::ScoreComponentKind_ARRAYSIZE);
  std::vector<bool> present(v1::ScoreComponentKind_ARRAYSIZE, false);
  for (const v1::ScoreComponent& c : previous->components()) {
    if (!v1::ScoreComponentKind_IsValid(c.kind())) continue;
    deltas[c.kind()].set_previous_points(c.points());
    present[c.kind()] = true;
  }
  for (const v1::ScoreComponent& c : current.components()) {
    if (!v1::ScoreComponentKind_IsValid(c.kind())) continue;
    deltas[c.kind()].set_new_points(c.points());
    present[c.kind()] = true;
  }
  std::vector<v1::ComponentDelta> moved;
  for (int k = 0; k < static_cast<int>(deltas.size()); ++k) {
    if (!present[k]) continue;
    deltas[k].set_component(static_cast<v1::ScoreComponentKind>(k));
    // Below a hundredth of a point is floating-point dust, not a movement.
    if (std::fabs(deltas[k].new_points() - deltas[k].previous_points()) <
        0.01) {
      continue;
    }
    moved.push_back(deltas[k]);
  }
  std::stable_sort(
      moved.begin(), moved.end(),
      [](const v1::ComponentDelta& a, const v1::ComponentDelta& b) {
        return std::fabs(a.new_points() - a.previous_points()) >
               std::fabs(b.new_points() - b.previous_points());
      });
  std::vector<std::string> parts;
  for (const v1::ComponentDelta& d : moved) {
    if (parts.size() < 3) {
      parts.push_back(absl::StrFormat("%s %+.1f", ComponentLabel(d.component()),
                                      d.new_points() - d.previous_points()));
    }
    *change.add_component_deltas() = d;
  }
  std::string summary =
      delta == 0 ? absl::StrCat("Unchanged at ", current.score())
                 : absl::StrFormat("%s %d to %d", delta > 0 ? "Up" : "Down",
                                   std::abs(delta), current.score());
  if (previous->band() != current.band()) {
    absl::StrAppend(&summary, ", ", BandLabel(previous->band()), " to ",
                    BandLabel(current.band()));
  }
  if (previous->mode_assessment().mode() != current.mode_assessment().mode()) {
    absl::StrAppend(&summary, ", now ",
                    ModeLabel(current.mode_assessment().mode()), " (was ",
                    ModeLabel(previous->mode_assessment().mode()), ")");
  }
  if (!parts.empty()) {
    absl::StrAppend(&summary, ": ", absl::StrJoin(parts, ", "));
  }
  change.set_summary(summary);
  return change;
}

}  // namespace clientele::engagement

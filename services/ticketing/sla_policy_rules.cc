#include "services/ticketing/sla_policy_rules.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/repeated_field.h"

namespace clientele::ticketing {
namespace {

// Checks the criterion `values` ("<prefix><field>[i]") of enum `type`:
// values of the enum but its zero, at most one per value (a longer list is
// refused whole, without an answer as long as it), repeats dropped, first
// occurrences kept in order.
void CheckCriterion(google::protobuf::RepeatedField<int>* values,
                    absl::string_view path,
                    const google::protobuf::EnumDescriptor* type,
                    FieldViolations* violations) {
  const int max_values = type->value_count() - 1;
  if (values->size() > max_values) {
    violations->Add(path, absl::StrCat("at most ", max_values, " values"));
    return;
  }
  const auto is_valid = [type](int value) {
    return type->FindValueByNumber(value) != nullptr;
  };
  google::protobuf::RepeatedField<int> unique;
  for (int i = 0; i < values->size(); ++i) {
    const int value = values->Get(i);
    if (value == 0 || !is_valid(value)) {
      violations->Add(absl::StrCat(path, "[", i, "]"),
                      value == 0 ? "must not be UNSPECIFIED"
                                 : absl::StrCat("unknown value ", value));
      continue;
    }
    if (std::find(unique.begin(), unique.end(), value) == unique.end()) {
      unique.Add(value);
    }
  }
  values->Swap(&unique);
}

void CheckTarget(const v1::SlaPolicy& policy,
                 const google::protobuf::Duration& (v1::SlaPolicy::*get)()
                     const,
                 bool (v1::SlaPolicy::*has)() const, absl::string_view path,
                 FieldViolations* violations) {
  if (!(policy.*has)()) return;
  const google::protobuf::Duration& target = (policy.*get)();
  if (!IsValidDuration(target) || ToDuration(target) < kMinSlaTarget ||
      ToDuration(target) > kMaxSlaTarget) {
    violations->Add(path, "must be between 1 minute and 365 days");
  }
}

bool Lists(const google::protobuf::RepeatedField<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

v1::TicketPriority EffectivePriority(v1::TicketPriority priority) {
  return priority == v1::TICKET_PRIORITY_UNSPECIFIED
             ? v1::TICKET_PRIORITY_NORMAL
             : priority;
}

// "ACCOUNT_TIER_PREMIUM" without `prefix`, lower-cased; "unknown" for the
// zero value or a value without a name.
std::string Label(const std::string& name, absl::string_view prefix) {
  if (name.empty() || absl::EndsWith(name, "_UNSPECIFIED")) return "unknown";
  absl::string_view rest = name;
  absl::ConsumePrefix(&rest, prefix);
  std::string label = absl::AsciiStrToLower(rest);
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::optional<absl::Duration> TargetOf(
    bool has, const google::protobuf::Duration& duration) {
  if (!has) return std::nullopt;
  return ToDuration(duration);
}

}  // namespace

void CheckSlaPolicy(v1::SlaPolicy* policy, absl::string_view prefix,
                    FieldViolations* violations) {
  const auto path = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  CheckText(policy->mutable_display_name(), path("display_name"),
            kMaxSlaPolicyNameChars, /*required=*/true, /*multiline=*/false,
            violations);
  CheckCriterion(policy->mutable_tiers(), path("tiers"),
                 type::v1::AccountTier_descriptor(), violations);
  CheckCriterion(policy->mutable_modes(), path("modes"),
                 type::v1::RelationshipMode_descriptor(), violations);
  CheckCriterion(policy->mutable_priorities(), path("priorities"),
                 v1::TicketPriority_descriptor(), violations);
  if (policy->rank() < 0 || policy->rank() > kMaxSlaPolicyRank) {
    violations->Add(path("rank"), "must be between 0 and 1000000");
  }
  CheckTarget(*policy, &v1::SlaPolicy::first_response_target,
              &v1::SlaPolicy::has_first_response_target,
              path("first_response_target"), violations);
  CheckTarget(*policy, &v1::SlaPolicy::next_response_target,
              &v1::SlaPolicy::has_next_response_target,
              path("next_response_target"), violations);
  CheckTarget(*policy, &v1::SlaPolicy::resolution_target,
              &v1::SlaPolicy::has_resolution_target, path("resolution_target"),
              violations);
  if (!policy->has_first_response_target() &&
      !policy->has_next_response_target() && !policy->has_resolution_target()) {
    violations->Add(path("resolution_target"),
                    "at least one of first_response_target, "
                    "next_response_target and resolution_target is required");
  }
  const double threshold = policy->at_risk_threshold();
  if (!std::isfinite(threshold) || threshold < 0.0 || threshold >= 1.0) {
    violations->Add(path("at_risk_threshold"),
                    "must be at least 0 and below 1 (0 means 0.8)");
  }
  if (policy->has_business_calendar()) {
    absl::StatusOr<sla::BusinessCalendar> calendar =
        sla::BusinessCalendar::FromProto(policy->business_calendar(),
                                         path("business_calendar"));
    if (!calendar.ok()) {
      std::vector<FieldViolation> found = FieldViolationsOf(calendar.status());
      if (found.empty()) {
        violations->Add(path("business_calendar"), calendar.status().message());
      }
      for (const FieldViolation& violation : found) {
        violations->Add(violation.field, violation.description);
      }
    }
  }
}

SlaSubject SubjectOf(const v1::Ticket& ticket) {
  SlaSubject subject;
  subject.tier = ticket.account_tier();
  subject.mode = ticket.relationship_mode();
  subject.priority = ticket.priority();
  return subject;
}

bool Matches(const v1::SlaPolicy& policy, const SlaSubject& subject) {
  if (!policy.tiers().empty() && !Lists(policy.tiers(), subject.tier)) {
    return false;
  }
  if (!policy.modes().empty() && !Lists(policy.modes(), subject.mode)) {
    return false;
  }
  return policy.priorities().empty() ||
         Lists(policy.priorities(), EffectivePriority(subject.priority));
}

int Specificity(const v1::SlaPolicy& policy) {
  return (policy.tiers().empty() ? 0 : 1) + (policy.modes().empty() ? 0 : 1) +
         (policy.priorities().empty() ? 0 : 1);
}

const v1::SlaPolicy* SelectSlaPolicy(const std::vector<v1::SlaPolicy>& policies,
                                     const SlaSubject& subject) {
  const v1::SlaPolicy* best = nullptr;
  const auto better = [](const v1::SlaPolicy& a, const v1::SlaPolicy& b) {
    if (a.rank() != b.rank()) return a.rank() < b.rank();
    if (Specificity(a) != Specificity(b)) {
      return Specificity(a) > Specificity(b);
    }
    const absl::Time a_created = ToTime(a.create_time());
    const absl::Time b_created = ToTime(b.create_time());
    if (a_created != b_created) return a_created < b_created;
    return a.name() < b.name();
  };
  for (const v1::SlaPolicy& policy : policies) {
    if (policy.disabled() || !Matches(policy, subject)) continue;
    if (best == nullptr || better(policy, *best)) best = &policy;
  }
  return best;
}

std::string TierLabel(type::v1::AccountTier tier) {
  return Label(type::v1::AccountTier_Name(tier), "ACCOUNT_TIER_");
}

std::string ModeLabel(type::v1::RelationshipMode mode) {
  return Label(type::v1::RelationshipMode_Name(mode), "RELATIONSHIP_MODE_");
}

std::string PriorityLabel(v1::TicketPriority priority) {
  return Label(v1::TicketPriority_Name(priority), "TICKET_PRIORITY_");
}

std::string ExplainSelection(const v1::SlaPolicy& policy,
                             const SlaSubject& subject) {
  std::vector<std::string> reasons;
  if (!policy.tiers().empty()) {
    reasons.push_back(absl::StrCat("tier ", TierLabel(subject.tier)));
  }
  if (!policy.modes().empty()) {
    reasons.push_back(absl::StrCat("mode ", ModeLabel(subject.mode)));
  }
  if (!policy.priorities().empty()) {
    reasons.push_back(absl::StrCat(
        "priority ", PriorityLabel(EffectivePriority(subject.priority))));
  }
  return absl::StrCat("matched '", policy.display_name(), "' (rank ",
                      policy.rank(), "): ",
                      reasons.empty() ? "no criteria, applies to every ticket"
                                      : absl::StrJoin(reasons, ", "));
}

sla::Targets TargetsOf(const v1::SlaPolicy& policy) {
  sla::Targets targets;
  targets.first_response = TargetOf(policy.has_first_response_target(),
                                    policy.first_response_target());
  targets.next_response = TargetOf(policy.has_next_response_target(),
                                   policy.next_response_target());
  targets.resolution =
      TargetOf(policy.has_resolution_target(), policy.resolution_target());
  if (policy.at_risk_threshold() > 0.0 && policy.at_risk_threshold() < 1.0) {
    targets.at_risk_threshold = policy.at_risk_threshold();
  } else {
    targets.at_risk_threshold = sla::kDefaultAtRiskThreshold;
  }
  return targets;
}

absl::StatusOr<sla::BusinessCalendar> CalendarOf(const v1::SlaPolicy& policy) {
  if (!policy.has_business_calendar()) {
    return sla::BusinessCalendar::AroundTheClock();
  }
  return sla::BusinessCalendar::FromProto(policy.business_calendar(),
                                          "sla_policy.business_calendar");
}

}  // namespace clientele::ticketing

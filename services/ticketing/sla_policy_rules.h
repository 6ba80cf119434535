// The rules of SLA policies: what a client may write into one (limits from
// sla_policy.proto), which policy a ticket gets, why, and what the clock
// library needs of a policy. Pure functions.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_POLICY_RULES_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_POLICY_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/sla_policy.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticket_enums.pb.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "services/ticketing/sla/business_calendar.h"
#include "services/ticketing/sla/sla_clock.h"

namespace clientele::ticketing {

inline constexpr absl::string_view kSlaPolicies = "slaPolicies";
// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
inline constexpr absl::string_view kSlaPolicyType =
    "clientele.ticketing.v1.SlaPolicy";

// Limits from the contract (sla_policy.proto).
inline constexpr int kMaxSlaPolicyNameChars = 200;
inline constexpr int kMaxSlaPolicyRank = 1000000;
inline constexpr absl::Duration kMinSlaTarget = absl::Minutes(1);
inline constexpr absl::Duration kMaxSlaTarget = absl::Hours(24 * 365);

inline std::string SlaPolicyName(absl::string_view id) {
  return std::string(kSlaPolicies) + "/" + std::string(id);
}

// Checks the client-settable fields of `policy` in place (display name
// trimmed; repeated tiers, modes and priorities dropped), adding each
// problem to `violations` naming "<prefix><field>" ("sla_policy.rank",
// "sla_policy.tiers[1]", "sla_policy.business_calendar.time_zone"):
// display name 1-200 characters; criteria known and not UNSPECIFIED, each
// list no longer than its enum has values ("sla_policy.tiers"); rank
// 0-1,000,000; each target set between 1 minute and 365 days, at least one
// (named on resolution_target); at_risk_threshold in [0, 1); a valid
// business calendar when set.
void CheckSlaPolicy(v1::SlaPolicy* policy, absl::string_view prefix,
                    FieldViolations* violations);

// What selection matches a policy's criteria against.
struct SlaSubject {
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_UNSPECIFIED;
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
  // UNSPECIFIED reads as NORMAL.
  v1::TicketPriority priority = v1::TICKET_PRIORITY_UNSPECIFIED;
};

// The subject of `ticket`: its tier, mode and priority.
SlaSubject SubjectOf(const v1::Ticket& ticket);

// Whether every non-empty criterion of `policy` lists the subject's value
// (an unknown tier or mode matches only a policy without that criterion).
bool Matches(const v1::SlaPolicy& policy, const SlaSubject& subject);

// How many of the criteria (tiers, modes, priorities) `policy` sets.
int Specificity(const v1::SlaPolicy& policy);

// The policy a ticket of `subject` gets among `policies`: of those enabled
// and matching, the lowest rank, then the most specific, then the oldest
// (create_time, then name). nullptr when none matches.
const v1::SlaPolicy* SelectSlaPolicy(const std::vector<v1::SlaPolicy>& policies,
                                     const SlaSubject& subject);

// One line in English saying why `policy` matched `subject`, e.g.
// "matched 'Clients - urgent' (rank 10): tier premium, mode client,
// priority urgent" (the criteria the policy sets), or "...: no criteria,
// applies to every ticket".
std::string ExplainSelection(const v1::SlaPolicy& policy,
                             const SlaSubject& subject);

// "premium", "client", "urgent": how explanations name values.
std::string TierLabel(type::v1::AccountTier tier);
std::string ModeLabel(type::v1::RelationshipMode mode);
std::string PriorityLabel(v1::TicketPriority priority);

// The targets of `policy` as the clock library takes them.
sla::Targets TargetsOf(const v1::SlaPolicy& policy);

// The calendar of `policy`: around the clock without business_calendar.
// INVALID_ARGUMENT when the calendar is not valid (CheckSlaPolicy accepts
// only valid ones).
absl::StatusOr<sla::BusinessCalendar> CalendarOf(const v1::SlaPolicy& policy);

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_POLICY_RULES_H_

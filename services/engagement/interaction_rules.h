// Validation of interactions as clients send them, and the defaults the
// contract gives to what they leave unset.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_RULES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_RULES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "common/errors.h"
#include "common/validation.h"

namespace clientele::engagement {

// How far in the future an occur_time may be (clients' clocks drift).
inline constexpr absl::Duration kClockSkewAllowance = absl::Minutes(5);
inline constexpr int kMaxSummaryChars = 2000;
inline constexpr int kMaxStaffUserChars = 128;
inline constexpr int kMaxSourceRefChars = 256;

// Adds a violation (field paths under `prefix`, e.g. "interaction" or
// "interactions[3]") for every rule of interaction.proto that `interaction`
// breaks, as received from a client at `now`. TICKET_* kinds are refused
// unless `from_ticketing` (engagement records them itself from ticketing's
// events).
void CheckInteraction(const v1::Interaction& interaction,
                      absl::string_view prefix, absl::Time now,
                      bool from_ticketing, FieldViolations* violations);

// The contract's reading of an unset personalization for `kind`.
v1::Personalization DefaultPersonalization(v1::InteractionKind kind);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_INTERACTION_RULES_H_

// The rules of keep-in-touch cadences with no I/O: what a valid cadence is
// (per kind, with its defaults) and what follow-up one of its touches makes.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_RULES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_RULES_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/cadence.pb.h"
#include "clientele/engagement/v1/follow_up.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "common/errors.h"
#include "services/engagement/cadence_schedule.h"

namespace clientele::engagement {

// Limits and defaults from the contract (cadence.proto).
inline constexpr int kMaxCadenceTitleChars = 200;
inline constexpr int kMaxCadenceAssigneeChars = 128;
inline constexpr absl::Duration kMinCadenceInterval = absl::Hours(24);
inline constexpr absl::Duration kMaxCadenceInterval = absl::Hours(24 * 365);
inline constexpr absl::Duration kDefaultCheckInInterval = absl::Hours(24 * 90);
inline constexpr absl::Duration kDefaultGreetingLeadTime = absl::Hours(24 * 3);
inline constexpr absl::Duration kMaxGreetingLeadTime = absl::Hours(24 * 30);
inline constexpr absl::Duration kDefaultSurveyDelay = absl::Hours(24 * 7);
inline constexpr absl::Duration kMaxSurveyDelay = absl::Hours(24 * 90);

// Checks the client-settable fields of `cadence` in place and fills the
// defaults its kind uses; every problem goes to `violations` as
// "cadence.<field>":
//   kind     required, not changeable by the caller's own rules;
//   account  "accounts/{account}" or empty; segment must then be unset;
//   mode     a known value; RELATIONSHIP_SURVEY needs CLIENT or CUSTOMER;
//   interval NEWSLETTER: required, 1-365 days; a CLIENT survey: 1-365 days,
//            default 90;
//   lead_time GREETING: 0-30 days, default 3;
//   delay_after_purchase a CUSTOMER survey: 0-90 days, default 7;
//   assignee at most 128 characters; required for a NEWSLETTER with no
//            account (one follow-up per issue, for that person);
//   title    at most 200 characters, one line.
// A duration the kind does not use answers INVALID_ARGUMENT when `given`
// says the client set it in this request, and is cleared otherwise (a
// survey switched from CLIENT to CUSTOMER drops its interval).
void CheckCadence(v1::Cadence* cadence,
                  absl::FunctionRef<bool(absl::string_view field)> given,
                  FieldViolations* violations);

// The follow-up a touch of `cadence` makes, but for name, state and times
// (FollowUpManager::InsertByRule sets them): rule CADENCE, cadence and
// source the cadence's name, due at touch.due, and
//   NEWSLETTER          EMAIL "Send the newsletter";
//   GREETING            GENERAL "Send a birthday greeting (14 March)";
//   RELATIONSHIP_SURVEY SEND_SURVEY, a check-in for a client, a question
//                       about the purchase for a customer;
// the description is the cadence's title. `account_id` is "" for a
// segment newsletter (the follow-up names no account); the assignee is the
// cadence's, else the account manager, else the owner.
v1::FollowUp CadenceFollowUp(const v1::Cadence& cadence,
                             absl::string_view account_id,
                             const events::v1::AccountSnapshot& account,
                             const DueTouch& touch);

// The id of the follow-up made for (cadence, account, occurrence): the same
// for the same touch, never one the server makes itself.
std::string CadenceFollowUpId(absl::string_view cadence_id,
                              absl::string_view account_id,
                              absl::string_view occurrence);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_RULES_H_

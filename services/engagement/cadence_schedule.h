// When keep-in-touch cadences fall due, with no I/O: which accounts a cadence
// covers, which touch is due for an account at a given time, and what is
// coming next (for next best actions). The cadence job (cadence_job.h) and the
// scoring state loader (keep_in_touch_state.h) read the stores and ask these
// functions; every rule is here, so it can be tested alone.
//
// Each touch has an occurrence key, unique per cadence and account, that the
// job records (cadence_touches) so that it makes one follow-up per
// occurrence however often it runs:
//   NEWSLETTER           "issue/<slot start, µs>": one issue per `interval`
//                        slot counted from the cadence's create_time, due at
//                        the start of the current slot. Missed slots are not
//                        made up (a late issue replaces them), and a slot
//                        that already has an issue (even under an earlier
//                        interval) gets none.
//   GREETING             "greeting/<yyyy-mm-dd>/<occasion>": each of the
//                        account's greeting dates, in the account's time zone
//                        (UTC when it has none or an unknown one), due
//                        lead_time before the date's midnight and made until
//                        the date is over. Dates with year 0 recur every
//                        year; so do birthdays and anniversaries, whose year
//                        (when set) is the first one (as next best actions
//                        have always read them); other dates with a year
//                        happen once. Feb 29 falls on Feb 28 in other years.
//   RELATIONSHIP_SURVEY  CLIENT: "check-in/<due, µs>", due `interval` after
//                        the latest of the account's last survey touch, its
//                        last SURVEY_RESPONSE and the cadence's create_time.
//                        CUSTOMER: "purchase/<interaction id>" (or
//                        "purchase/order-<order id>"), due
//                        delay_after_purchase after the latest purchase, once
//                        per purchase; a purchase whose survey would have
//                        been due before the cadence existed gets none.
// Survey fatigue (SurveyFatigued) is checked by the caller: a survey not
// sent because of it is not recorded, so it comes when the window allows.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_SCHEDULE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clientele/engagement/v1/cadence.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "clientele/type/v1/relationship.pb.h"

namespace clientele::engagement {

// What the schedule reads about one account besides its profile.
struct CadenceHistory {
  // The account's mode (AccountMode).
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
  // The latest due time of this cadence's own touches of this account (of
  // "" for a segment newsletter): set per cadence, newsletters only.
  absl::Time last_touch = absl::InfinitePast();
  // The latest relationship-survey touch of the account (any cadence) and
  // its latest SURVEY_RESPONSE interaction.
  absl::Time last_survey_touch = absl::InfinitePast();
  absl::Time last_survey_response = absl::InfinitePast();
  // The account's latest purchase (PURCHASE interactions, orders' included):
  // its interaction id, "order-<order id>" for an order's ("" when none),
  // and time; and whether a survey was already made for it (by any
  // cadence).
  std::string last_purchase_id;
  absl::Time last_purchase_time = absl::InfinitePast();
  bool last_purchase_surveyed = false;
  // Surveys the account was sent within the policy's fatigue window: the
  // cadences' survey touches plus one CSAT survey per solved ticket.
  int64_t surveys_in_window = 0;
};

// One touch of a cadence for one account.
struct DueTouch {
  std::string occurrence;  // see the file comment
  absl::Time due;          // when its follow-up is due
  // GREETING only: the day it celebrates (00:00 in the account's time
  // zone), that day in the account's calendar, and what it celebrates.
  absl::Time date = absl::InfinitePast();
  absl::CivilDay day;
  events::v1::GreetingOccasion occasion =
      events::v1::GREETING_OCCASION_UNSPECIFIED;
};

// How long ahead next best actions look for greetings.
inline constexpr absl::Duration kGreetingHorizon = absl::Hours(24 * 60);

// The account's relationship mode as cadences read it: the declared mode,
// else `last_scored` (the mode of its last recorded score) unless
// unspecified, else CUSTOMER.
type::v1::RelationshipMode AccountMode(
    const events::v1::AccountSnapshot& account,
    type::v1::RelationshipMode last_scored);

// Whether `cadence` covers `account`, in relationship mode `mode`: its own
// account, or (with no account) every account of its segment or of any
// segment; and only accounts in its mode when it names one. Paused
// cadences cover what they would cover: callers skip them.
bool CadenceCovers(const v1::Cadence& cadence, absl::string_view account_id,
                   const events::v1::AccountSnapshot& account,
                   type::v1::RelationshipMode mode);

// The touches of `cadence` due at `now` for an account it covers (`account`
// is read by GREETING only; a segment newsletter passes an empty one): due
// at or before `now`, not yet over, and not already made as far as
// `history` tells (the job's unique key catches the rest). Sorted by due
// time then occurrence. Empty for a paused cadence or before create_time.
std::vector<DueTouch> DueTouches(const v1::Cadence& cadence,
                                 const events::v1::AccountSnapshot& account,
                                 const CadenceHistory& history, absl::Time now);

// Whether another survey now would exceed `limits`.
bool SurveyFatigued(const CadenceHistory& history,
                    const v1::KeepInTouch& limits);

// The account's next greeting under GREETING `cadence`: the earliest
// occurrence not over at `now` whose due time is at most now + `horizon`
// (it may be due already). nullopt when none.
std::optional<DueTouch> NextGreeting(const v1::Cadence& cadence,
                                     const events::v1::AccountSnapshot& account,
                                     absl::Time now, absl::Duration horizon);

// When the account's next relationship survey under RELATIONSHIP_SURVEY
// `cadence` falls due (it may be past), whatever the fatigue; nullopt when
// none is coming (a customer whose latest purchase was surveyed, or with
// no purchase).
std::optional<absl::Time> NextSurveyDue(const v1::Cadence& cadence,
                                        const CadenceHistory& history);

// "birthday", "founding anniversary", "relationship anniversary",
// "holiday", "special date": for titles and rationales.
std::string OccasionWords(events::v1::GreetingOccasion occasion);

// The occurrence key of the survey after purchase `interaction_id`.
std::string PurchaseOccurrence(absl::string_view interaction_id);

// The account's time zone, UTC when it has none or an unknown one.
absl::TimeZone AccountTimeZone(const events::v1::AccountSnapshot& account);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_CADENCE_SCHEDULE_H_

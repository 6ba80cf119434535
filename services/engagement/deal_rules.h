// The pure rules of deals (deal.proto): field checks, calendar days, the
// probability a stage has under the tenant's policy, and the snapshot events
// carry (weighted amounts: WeightedAmountMinor, common/pipeline_summary.h). No
// I/O: deal_manager.h, deal_links.h and pipeline.h build on these.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_DEAL_RULES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_DEAL_RULES_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "clientele/engagement/v1/engagement_service.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/events/v1/engagement_events.pb.h"
#include "clientele/type/v1/date.pb.h"
#include "common/errors.h"

namespace clientele::engagement {

// Limits from the contract (deal.proto, engagement_service.proto).
inline constexpr int kMaxDealTitleChars = 200;
inline constexpr int kMaxDealOwnerChars = 128;
inline constexpr int kMaxDealCloseNoteChars = 1000;
// A deal proposal list shows at most this many (the latest).
inline constexpr int kMaxDealProposals = 20;

inline constexpr absl::string_view kDeals = "deals";
// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
inline constexpr absl::string_view kDealType = "clientele.engagement.v1.Deal";

// The title a deal keeps when its contact is erased: its own title and
// close note may name the person (as follow-ups do, follow_up_store.h).
inline constexpr char kErasedDealTitle[] = "Deal with an erased contact";

std::string DealName(absl::string_view id);

// ---------------------------------------------------------------------------
// Calendar days. A day is counted from 1970-01-01 (day 0), negative before.

// Whether `date` is a real calendar date with a year of 1-9999.
bool IsValidDate(const type::v1::Date& date);
// The day of a valid `date`.
int64_t DayOf(const type::v1::Date& date);
// The date of `day` (a day of years 1-9999).
type::v1::Date DateOfDay(int64_t day);
// The UTC day `time` falls on.
int64_t UtcDayOf(absl::Time time);
// 00:00 UTC of `day`.
absl::Time StartOfDay(int64_t day);

// The first and last day (inclusive) of `quarter` (1-4) of `year`.
struct DayRange {
  int64_t first = 0;
  int64_t last = 0;
};
DayRange QuarterDays(int year, int quarter);

// ---------------------------------------------------------------------------
// Stages and amounts.

bool IsOpenStage(v1::DealStage stage);

// The probability of winning a deal in `stage`: the policy's value for an
// open stage, 1 for WON, 0 for LOST (and for UNSPECIFIED).
double StageProbability(v1::DealStage stage,
                        const v1::DealStageProbabilities& probabilities);

// Fills `deal`'s output-only probability and weighted_amount from its stage
// and amount under `probabilities`.
void SetProbability(const v1::DealStageProbabilities& probabilities,
                    v1::Deal* deal);

// ---------------------------------------------------------------------------
// Checks.

// Checks the client-settable fields of `deal` except the account (which
// Create checks against the projection), naming "<prefix><field>": contact
// (optional "contacts/{contact}"), title, amount (required; a known
// currency; 0 to 10^15 minor units), kind (required), stage (unset reads as
// QUALIFYING; WON and LOST answer "use CloseDeal"), expected_close_date
// (required, a real date) and owner (required). Trims the text fields.
void CheckDeal(v1::Deal* deal, absl::string_view prefix,
               FieldViolations* violations);

// Checks `range` (inclusive dates) into [*start_day, *end_day], naming
// "<field>.start_date" / "<field>.end_date" for a date that is not real and
// `field` when it ends before it starts; unset ends leave their day as is.
void CheckDateRange(const type::v1::DateRange& range, absl::string_view field,
                    int64_t* start_day, int64_t* end_day,
                    FieldViolations* violations);

// Checks what a CloseDealRequest says without the stored deal: outcome
// (WON or LOST), loss_reason (required with LOST, unset with WON),
// `close_note` (the request's, trimmed in place; at most 1,000 characters)
// and close_date (a real date, not after `today`).
void CheckCloseRequest(const v1::CloseDealRequest& request, int64_t today,
                       std::string* close_note, FieldViolations* violations);

// ---------------------------------------------------------------------------
// Events.

// The snapshot events carry: references and non-personal fields only (no
// title, contact or note), with `deal`'s probability as set.
events::v1::DealSnapshot DealSnapshotOf(const v1::Deal& deal);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_DEAL_RULES_H_

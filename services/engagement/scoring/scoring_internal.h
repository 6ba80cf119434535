// Shared by the parts of the relationship model (scoring.cc, mode.cc,
// strength.cc, next_best_actions.cc); not for use outside them. Everything
// here is a pure function of its arguments.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_INTERNAL_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_INTERNAL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "clientele/engagement/v1/next_best_action.pb.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "clientele/engagement/v1/scoring_policy.pb.h"
#include "clientele/type/v1/date.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/proto_time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement::scoring_internal {

inline constexpr int kKinds = v1::InteractionKind_ARRAYSIZE;
inline constexpr int kComponents = v1::ScoreComponentKind_ARRAYSIZE;

// ---- Time and text ---------------------------------------------------------

// Midnight UTC of `date`; nullopt when the date is unset or impossible.
std::optional<absl::Time> DateToTime(const type::v1::Date& date);
// "3 days", "6 weeks", "5 months", "2.5 years": how a person says it.
std::string HumanDuration(absl::Duration d);
// "every 7 days", "every 3 months".
std::string HumanEvery(absl::Duration d);
// "1,234.50 EUR" from minor units (two decimals assumed).
std::string FormatMoney(int64_t minor, const std::string& currency);
double Clamp01(double v);
// The first moment after a contract: its end date is the last day it runs
// (inclusive), so it ends at the following midnight UTC. nullopt when the
// end date is unset or impossible.
std::optional<absl::Time> ContractEndTime(
    const events::v1::CommercialTermsSnapshot& terms);
// The contract's length, start day to end day inclusive (a contract from 1
// January to 31 December runs a year); nullopt unless both are set.
std::optional<absl::Duration> ContractLength(
    const events::v1::CommercialTermsSnapshot& terms);
// The same in calendar months (1 June to 30 November: 6).
std::optional<double> ContractMonths(
    const events::v1::CommercialTermsSnapshot& terms);
// Major currency units from minor ones. Assumes two decimals, which holds for
// nearly every currency; the model reads amounts on a log scale, where a
// factor of 100 for JPY is a shift, not a different picture.
double MajorUnits(int64_t minor);

// ---- What each kind of interaction means -----------------------------------

// The account engaging: everything but internal notes, marketing we send to
// everyone (newsletters, greetings, loyalty rewards), retainer invoices (we
// issue them whatever the client does) and ticket events ticketing raises on
// its own (solved, SLA breached).
bool IsEngagement(v1::InteractionKind kind);
// (IsRevenueKind and PersonalizationLean are in activity.h.)

// ---- Deals
// -------------------------------------------------------------------

// A won retainer or subscription: the customer -> client move.
bool IsWonRecurringDeal(const ClosedDeal& deal);
// The latest won retainer or subscription deal closed within [from, to];
// null when none. Lost deals never count.
const ClosedDeal* LatestWonRecurringDeal(const AccountState& state,
                                         absl::Time from, absl::Time to);

// ---- Aggregates of one account at one time ---------------------------------

// The buckets of one kind summed over a window.
struct KindTotals {
  int64_t count = 0;
  int64_t personalized = 0;
  int64_t standard = 0;
  int64_t amount_minor = 0;
  int64_t amount_count = 0;
  int64_t rating_sum = 0;
  int64_t rating_count = 0;
  absl::Time first_time = absl::InfinitePast();  // earliest
  absl::Time last_time = absl::InfinitePast();   // latest known <= as_of
};
using KindTable = std::array<KindTotals, kKinds>;

// Everything the model reads, summed from the buckets in one pass (when the
// account last did anything comes from a scan back from the newest bucket;
// a bucket's first and last times lie within its week).
//
// Two kinds of window. Rates (recency, frequency, spend, contacts engaged)
// are read up to as_of: time without activity lowers them. Evidence about
// what kind of relationship this is and how it has been served (the mode's
// shares, personalization, support experience, the usual rhythm) is read up
// to `evidence_end`, the account's last activity: time without activity
// neither adds to it nor thins it out, so that silence is judged by recency
// and silence alone and can never raise a score.
struct Aggregates {
  absl::Time as_of;
  bool has_activity = false;  // any interaction at or before as_of
  // Interactions up to as_of, all time (ActivitySummary::total_count less
  // the buckets after as_of).
  int64_t interaction_count = 0;
  absl::Time first_interaction = absl::InfinitePast();
  // The last engaging or ticket interaction at or before as_of, but no
  // earlier than as_of - recency_horizon (what is loaded is bounded: see
  // EarliestActivityRead); as_of when there is none.
  absl::Time evidence_end;
  KindTable all;       // every bucket up to as_of
  KindTable activity;  // within the activity window before as_of
  KindTable evidence;  // within the activity window before evidence_end
  KindTable support;   // within the support window before evidence_end
  // Purchases in `evidence` that paid for a session: in a week with advice
  // sessions or custom work delivered, up to as many standard purchases as
  // there were sessions are read as their fees (the API takes an amount on
  // a purchase, not on a session), not as standard products bought.
  int64_t session_fees = 0;
  // Touchpoints: days on which the account engaged (several interactions of
  // different kinds on one day are one touchpoint).
  int64_t activity_touchpoints = 0;
  int64_t rhythm_touchpoints = 0;
  absl::Time last_engagement = absl::InfinitePast();
  // The usual gap between touchpoints in the rhythm window before
  // evidence_end, shrunk toward the segment's prior (see RhythmPrior);
  // nullopt with fewer than min_rhythm_interactions touchpoints.
  std::optional<absl::Duration> typical_gap;
  int contacts_known = 0;
  int contacts_engaged = 0;  // named within the activity window
  std::string top_contact;   // the most active contact, if any
  // Staff members who served the account and were still doing so in the
  // evidence window: the most active one, their interactions, and everyone's.
  std::string top_staff;
  int64_t top_staff_count = 0;
  int64_t staff_count = 0;
};

// How much one staff member is the account's own person, 0-1: none when
// the most active one served half of the one-to-one interactions or less,
// full from nine in ten, damped when it rests on few interactions.
double StaffContinuity(const Aggregates& agg);
// That staff member when continuity is at least a half (the account has a
// dedicated person though no manager is on file), else empty.
std::string DedicatedStaff(const Aggregates& agg);

// What is typical for accounts like this one, for the rhythm: a prior gap
// between touchpoints by segment, and how many observed gaps it weighs.
struct RhythmPrior {
  absl::Duration gap;
  double weight_in_gaps = 0;
};
RhythmPrior RhythmPriorFor(const events::v1::AccountSnapshot& profile);

// Reads `state` as it was at `as_of`: buckets, contacts, staff and first
// times after it are ignored.
Aggregates Aggregate(const AccountState& state, const v1::ScoringPolicy& policy,
                     absl::Time as_of);

// ---- The parts of the model ------------------------------------------------

// Mode inference (mode.cc).
v1::ModeAssessment AssessMode(const AccountState& state, const Aggregates& agg,
                              const v1::ScoringPolicy& policy);

// Silence against the account's own rhythm, and its 0-1 value (strength.cc).
v1::SilenceAssessment AssessSilence(const Aggregates& agg,
                                    const v1::ScoringPolicy& policy);
double SilenceValue(double ratio, const v1::SilenceThresholds& thresholds);

// The strength components for `mode`, weighted per the policy, in component
// order, weight 0 left out (strength.cc).
std::vector<v1::ScoreComponent> ScoreComponents(
    const AccountState& state, const Aggregates& agg,
    const v1::SilenceAssessment& silence, const v1::ModeAssessment& mode,
    const v1::ScoringPolicy& policy);

// The blended weight of each component for `mode` (strength.cc).
std::array<double, kComponents> ComponentWeights(
    const v1::ModeAssessment& mode, const v1::ScoringPolicy& policy);

// One evaluation of the model at one time.
struct Evaluation {
  Aggregates agg;
  v1::ModeAssessment mode;
  v1::SilenceAssessment silence;
  std::vector<v1::ScoreComponent> components;
  int score = 0;
  type::v1::ScoreBand band = type::v1::SCORE_BAND_UNSPECIFIED;
};

// The component named `kind` in `eval`, or null.
const v1::ScoreComponent* FindComponent(const Evaluation& eval,
                                        v1::ScoreComponentKind kind);

// Next best actions, priority 1 first, at most 5 (next_best_actions.cc).
std::vector<v1::NextBestAction> RecommendActions(
    const AccountState& state, const Evaluation& eval,
    const v1::ScoringPolicy& policy);

}  // namespace clientele::engagement::scoring_internal

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_INTERNAL_H_

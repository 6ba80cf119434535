// What the scoring model reads about one account: the account's profile (the
// local projection of contacts' AccountSnapshot) and its activity, kept as
// per-week, per-kind aggregates that every recorded interaction updates.
// Reading them costs O(weeks of history x kinds used), in one row
// (packed_activity.h), never O(number of interactions): an account with
// 100,000 interactions over two years scores from at most ~105 weeks of
// buckets.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clientele/engagement/v1/deal.pb.h"
#include "clientele/engagement/v1/interaction.pb.h"
#include "clientele/events/v1/contacts_events.pb.h"

namespace clientele::engagement {

// What kinds of interaction mean, for validation and for the model alike.
// Money changing hands for what the account bought (these kinds require an
// amount).
bool IsRevenueKind(v1::InteractionKind kind);
// 1 when unset interactions of this kind read as personalized, -1 as
// standard, 0 when the kind says nothing about personalization (see
// Interaction.personalization).
int PersonalizationLean(v1::InteractionKind kind);

// Whether an interaction of this kind is a staff member serving the account
// one to one (calls, meetings, video calls, emails, messages, advice
// sessions, custom work, proposals): only these count in StaffActivity.
// Marketing sent to everyone, billing, sales at a till, internal notes and
// ticket events say nothing about who the account's own person is.
bool ServedByStaff(v1::InteractionKind kind);

// The start (Monday 00:00 UTC) of the week holding `t`: the bucket key.
absl::Time WeekStart(absl::Time t);

// All interactions of one kind recorded for one account in one week.
struct KindBucket {
  absl::Time week_start;  // Monday 00:00 UTC
  v1::InteractionKind kind = v1::INTERACTION_KIND_UNSPECIFIED;
  int64_t count = 0;
  int64_t personalized = 0;  // of which PERSONALIZATION_PERSONALIZED
  int64_t standard = 0;      // of which PERSONALIZATION_STANDARD
  int64_t inbound = 0;       // of which INTERACTION_DIRECTION_INBOUND
  // Sum of amounts in the account's currency (ActivitySummary::currency), in
  // minor units; refunds are negative. Amounts in other currencies are not
  // summed (they still count in `count`). Saturates (SaturatingAdd in
  // common/money.h), here and in every sum of it.
  int64_t amount_minor = 0;
  int64_t amount_count = 0;  // interactions whose amount was summed
  // Survey and CSAT ratings (1-5), summed, and how many.
  int64_t rating_sum = 0;
  int64_t rating_count = 0;
  absl::Time first_time = absl::InfinitePast();  // earliest occur_time
  absl::Time last_time = absl::InfinitePast();   // latest occur_time
};

// One contact's part in the account's activity.
struct ContactActivity {
  std::string contact;  // "contacts/{id}"
  int64_t count = 0;
  absl::Time first_time = absl::InfinitePast();
  absl::Time last_time = absl::InfinitePast();
};

// One staff member's part in serving the account: the interactions of a
// ServedByStaff kind that name them in staff_user.
struct StaffActivity {
  std::string staff_user;
  int64_t count = 0;
  absl::Time first_time = absl::InfinitePast();
  absl::Time last_time = absl::InfinitePast();
};

// Everything the model reads about an account's interactions, as of a time.
struct ActivitySummary {
  // Buckets whose week_start is within [as_of - longest window - 1 week,
  // as_of], sorted by week_start then kind. A bucket may hold interactions a
  // little after as_of when as_of falls inside its week.
  std::vector<KindBucket> buckets;
  // Contacts the account's interactions named (first_time <= as_of).
  std::vector<ContactActivity> contacts;
  // Staff members who served the account (ServedByStaff kinds with a
  // staff_user), all-time, like `contacts`.
  std::vector<StaffActivity> staff;
  // All-time: the first interaction ever, and how many interactions there
  // are, whenever they occur (the projection's count). The model counts
  // those up to as_of from this and the buckets after as_of, so it must
  // cover every interaction the buckets hold (0 when unknown: the buckets
  // alone are counted).
  absl::Time first_interaction_time = absl::InfinitePast();
  int64_t total_count = 0;
  // The currency of the first interaction that carried an amount; amounts
  // in it are summed in buckets. Empty when none had an amount.
  std::string currency;
};

// A deal closed with the account (deal_manager.h), as scoring reads it: a
// won RETAINER or SUBSCRIPTION deal is the customer -> client move.
struct ClosedDeal {
  v1::DealKind kind = v1::DEAL_KIND_UNSPECIFIED;
  bool won = false;
  absl::Time close_time = absl::InfinitePast();  // close_date, 00:00 UTC
  int64_t amount_minor = 0;
  std::string currency;
};

// What the keep-in-touch cadences (cadence_manager.h) say about the account
// as of the score's time: which kinds cover it, and the touches due.
struct KeepInTouchState {
  bool newsletter = false;  // an active NEWSLETTER cadence covers it
  bool greeting = false;    // an active GREETING cadence covers it
  bool survey = false;      // an active RELATIONSHIP_SURVEY cadence covers it
  // When the next greeting falls due (the date minus the lead time), and
  // what it celebrates ("birthday", "founding anniversary", a label...);
  // InfinitePast when none within the next 60 days.
  absl::Time next_greeting_due = absl::InfinitePast();
  std::string next_greeting_occasion;
  // When the next relationship survey falls due; InfinitePast when none.
  absl::Time survey_due = absl::InfinitePast();
  // The survey fatigue limit is reached: no survey should be sent now.
  bool survey_fatigued = false;
};

// What is known about the account itself. `profile` is the latest
// AccountSnapshot from contacts' events (empty name when engagement has not
// heard of the account yet: it can still be scored from interactions).
struct AccountState {
  std::string account;  // "accounts/{id}"
  events::v1::AccountSnapshot profile;
  ActivitySummary activity;
  // Deals closed up to as_of, oldest first (the service's deals).
  std::vector<ClosedDeal> closed_deals;
  // Keep-in-touch cadences as of as_of.
  KeepInTouchState keep_in_touch;
};

// Adds `interaction` to `bucket` (whose week and kind the caller matched).
// `currency` is the account's summing currency (ActivitySummary::currency);
// an amount in another currency is counted but not summed.
void AccumulateInteraction(const v1::Interaction& interaction,
                           const std::string& currency, KindBucket* bucket);

// Adds `interaction` to `summary` in memory, as the store does in SQL: the
// right bucket (kept sorted), the contact, the staff member (for a
// ServedByStaff kind), the totals, and the currency when this is the first
// amount. For tests and tools that build histories.
void AddToSummary(const v1::Interaction& interaction, ActivitySummary* summary);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_H_

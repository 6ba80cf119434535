// Histories of typical accounts for the scoring tests: each archetype of the
// customer/client table in DESIGN.md built interaction by interaction with
// AddToSummary, the way the store builds them, scored at a fixed as_of.
//
// Only what the public API accepts, and what the business in question would
// fill in: amounts only on the kinds that take one (a session's fee is a
// PURCHASE beside the ADVICE_SESSION), ratings only on survey and CSAT
// responses, no account manager where the business has none (a solo
// practitioner), profiles with the fields contacts' CreateAccount requires
// (kind, segment, tier) and what such a business would know.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_TEST_HISTORIES_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_TEST_HISTORIES_H_

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/scoring/activity.h"
#include "services/engagement/scoring/scoring.h"
#include "services/engagement/scoring/scoring_policy.h"

namespace clientele::engagement::scoring_testing {

using type::v1::RelationshipMode;
using type::v1::ScoreBand;

inline constexpr absl::Duration kDay = absl::Hours(24);
inline constexpr absl::Duration kWeek = absl::Hours(24 * 7);

inline absl::Time Day(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0),
                         absl::UTCTimeZone());
}

// Monday 16 November 2026, noon UTC: every archetype is scored then.
inline const absl::Time kAsOf = Day(2026, 11, 16, 12);

inline type::v1::Date DateOf(int y, int m, int d) {
  type::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

inline google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

// What one interaction looks like, for generating histories.
struct Touch {
  v1::InteractionKind kind;
  int64_t amount_minor = 0;  // EUR cents; 0 for none
  v1::Personalization personalization = v1::PERSONALIZATION_UNSPECIFIED;
  std::string contact;
  int rating = 0;
  std::string staff;  // staff_user
};

inline v1::Interaction MakeInteraction(const std::string& account,
                                       const Touch& t, absl::Time at) {
  v1::Interaction i;
  i.set_account(account);
  i.set_kind(t.kind);
  *i.mutable_occur_time() = Ts(at);
  const bool ours = t.kind == v1::INTERACTION_KIND_NEWSLETTER ||
                    t.kind == v1::INTERACTION_KIND_GREETING ||
                    t.kind == v1::INTERACTION_KIND_RETAINER_INVOICE ||
                    t.kind == v1::INTERACTION_KIND_PROPOSAL;
  i.set_direction(ours ? v1::INTERACTION_DIRECTION_OUTBOUND
                       : v1::INTERACTION_DIRECTION_INBOUND);
  i.set_channel(v1::INTERACTION_CHANNEL_IN_PERSON);
  i.set_personalization(t.personalization);
  i.set_contact(t.contact);
  i.set_rating(t.rating);
  i.set_staff_user(t.staff);
  if (t.amount_minor != 0) {
    i.mutable_amount()->set_currency_code("EUR");
    i.mutable_amount()->set_amount_minor_units(t.amount_minor);
  }
  return i;
}

// An account's profile and history, built the way the store builds it.
class Account {
 public:
  explicit Account(const std::string& id) {
    state_.account = "accounts/" + id;
    state_.profile.set_name(state_.account);
    state_.profile.set_owner("staff-owner");
    state_.profile.set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  }
  events::v1::AccountSnapshot& profile() { return state_.profile; }

  Account& Once(const Touch& t, absl::Time at) {
    AddToSummary(MakeInteraction(state_.account, t, at), &state_.activity);
    return *this;
  }
  // `t` every `step` from `from` while before `until`.
  Account& Every(const Touch& t, absl::Time from, absl::Duration step,
                 absl::Time until) {
    for (absl::Time at = from; at < until; at += step) Once(t, at);
    return *this;
  }
  Account& Retainer(int64_t monthly_minor, int since_year, int since_month,
                    int until_year, int until_month) {
    for (absl::CivilMonth m(since_year, since_month);
         m <= absl::CivilMonth(until_year, until_month); ++m) {
      Once({v1::INTERACTION_KIND_RETAINER_INVOICE, monthly_minor},
           absl::FromCivil(absl::CivilDay(m.year(), m.month(), 1),
                           absl::UTCTimeZone()) +
               absl::Hours(9));
    }
    return *this;
  }
  // A deal closed with the account (what the deals' state loader fills in).
  Account& Deal(v1::DealKind kind, bool won, absl::Time close) {
    ClosedDeal deal;
    deal.kind = kind;
    deal.won = won;
    deal.close_time = close;
    state_.closed_deals.push_back(deal);
    return *this;
  }
  const AccountState& state() const { return state_; }

 private:
  AccountState state_;
};

inline void SetTerms(events::v1::AccountSnapshot* p,
                     type::v1::CommercialModel model,
                     type::v1::BillingCycle cycle) {
  p->mutable_commercial_terms()->set_model(model);
  p->mutable_commercial_terms()->set_billing_cycle(cycle);
}

inline v1::RelationshipScore Score(const Account& a, absl::Time as_of = kAsOf) {
  return ComputeRelationshipScore(a.state(), DefaultScoringPolicy(), as_of);
}

// The state as the service loads it for a score at `as_of`: buckets from
// EarliestActivityRead on, the all-time totals from the projection.
inline AccountState AsLoaded(const Account& a, absl::Time as_of) {
  AccountState state = a.state();
  const absl::Time since =
      WeekStart(EarliestActivityRead(DefaultScoringPolicy(), as_of));
  std::vector<KindBucket> kept;
  for (const KindBucket& b : state.activity.buckets) {
    if (b.week_start >= since) kept.push_back(b);
  }
  state.activity.buckets = std::move(kept);
  return state;
}

// The mode signal of `kind`, or an empty one.
inline v1::ModeSignal SignalOf(const v1::RelationshipScore& s,
                               v1::ModeSignalKind kind) {
  for (const auto& signal : s.mode_assessment().deciding_signals()) {
    if (signal.kind() == kind) return signal;
  }
  return v1::ModeSignal();
}

// The component of `kind`, or an empty one.
inline v1::ScoreComponent ComponentOf(const v1::RelationshipScore& s,
                                      v1::ScoreComponentKind kind) {
  for (const auto& c : s.components()) {
    if (c.kind() == kind) return c;
  }
  return v1::ScoreComponent();
}

inline std::vector<v1::ScoreComponentKind> ReasonKinds(
    const v1::RelationshipScore& s) {
  std::vector<v1::ScoreComponentKind> kinds;
  for (const auto& r : s.top_reasons()) kinds.push_back(r.component());
  return kinds;
}

inline std::vector<v1::NextBestActionKind> ActionKinds(
    const v1::RelationshipScore& s) {
  std::vector<v1::NextBestActionKind> kinds;
  for (const auto& a : s.next_best_actions()) kinds.push_back(a.kind());
  return kinds;
}

// Holds for every score: points add up, reasons and actions are ordered.
inline void ExpectWellFormed(const v1::RelationshipScore& s) {
  double points = 0;
  double weights = 0;
  for (const auto& c : s.components()) {
    points += c.points();
    weights += c.weight();
    EXPECT_NEAR(c.points(), c.weight() * c.value() * 100, 1e-9);
  }
  EXPECT_NEAR(points, s.score(), 1.0) << s.DebugString();
  EXPECT_NEAR(weights, 1.0, 0.002);
  EXPECT_LE(s.top_reasons_size(), 5);
  EXPECT_LE(s.next_best_actions_size(), 5);
  for (int i = 1; i < s.top_reasons_size(); ++i) {
    EXPECT_GE(std::fabs(s.top_reasons(i - 1).impact_points()),
              std::fabs(s.top_reasons(i).impact_points()));
  }
  for (int i = 0; i < s.next_best_actions_size(); ++i) {
    EXPECT_EQ(s.next_best_actions(i).priority(), i + 1);
    EXPECT_EQ(s.next_best_actions(i).account(), s.account());
    EXPECT_FALSE(s.next_best_actions(i).title().empty());
  }
  for (const auto& r : s.top_reasons()) EXPECT_FALSE(r.summary().empty());
  EXPECT_EQ(s.model_version(), kModelVersion);
  EXPECT_EQ(s.name(), s.account() + "/relationshipScore");
  EXPECT_FALSE(s.has_compute_time());
}

inline bool BandIn(ScoreBand band, std::vector<ScoreBand> allowed) {
  return std::find(allowed.begin(), allowed.end(), band) != allowed.end();
}

// ---- Archetypes ------------------------------------------------------------

inline Account LawFirmClient() {
  Account a("kanzlei-weber");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  p.set_tier(type::v1::ACCOUNT_TIER_PREMIUM);
  p.set_account_manager("staff-anna");
  *p.mutable_acquisition_date() = DateOf(2019, 3, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_RETAINER,
           type::v1::BILLING_CYCLE_MONTHLY);
  *p.mutable_commercial_terms()->mutable_contract_start_date() =
      DateOf(2024, 1, 1);
  *p.mutable_commercial_terms()->mutable_contract_end_date() =
      DateOf(2027, 12, 31);
  p.mutable_commercial_terms()->set_auto_renew(true);
  const absl::Time from = kAsOf - 730 * kDay;
  a.Retainer(500000, 2024, 11, 2026, 11);
  a.Every({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/weber"},
          from + 3 * kDay, 4 * kWeek, kAsOf - 5 * kDay);
  a.Every({v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0,
           v1::PERSONALIZATION_PERSONALIZED, "contacts/cfo"},
          from + 20 * kDay, 13 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_EMAIL, 0, v1::PERSONALIZATION_PERSONALIZED,
           "contacts/assistant"},
          from + 10 * kDay, 2 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_NEWSLETTER}, from, 4 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "", 5},
          kAsOf - 150 * kDay, 60 * kDay, kAsOf);
  return a;
}

inline Account PrConsultancyClient() {
  Account a("brightside-pr");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  p.set_account_manager("staff-omar");
  *p.mutable_acquisition_date() = DateOf(2023, 5, 15);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_RETAINER,
           type::v1::BILLING_CYCLE_MONTHLY);
  *p.mutable_commercial_terms()->mutable_contract_start_date() =
      DateOf(2026, 3, 1);
  *p.mutable_commercial_terms()->mutable_contract_end_date() =
      DateOf(2027, 2, 28);
  const absl::Time from = kAsOf - 540 * kDay;
  a.Retainer(300000, 2025, 6, 2026, 11);
  a.Every({v1::INTERACTION_KIND_VIDEO_CALL, 0, v1::PERSONALIZATION_UNSPECIFIED,
           "contacts/ceo"},
          from, kWeek, kAsOf - 2 * kDay);
  a.Every({v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0,
           v1::PERSONALIZATION_PERSONALIZED, "contacts/marketing"},
          from + 4 * kDay, 2 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_MEETING, 0, v1::PERSONALIZATION_UNSPECIFIED,
           "contacts/comms"},
          from + 8 * kDay, 8 * kWeek, kAsOf);
  return a;
}

// A solo therapist's client: a weekly fifty-minute session with the same
// practitioner for a year and a half, paid per session. The practitioner
// records the session and its fee (a PURCHASE: a session takes no amount),
// and fills in no account manager (there is no one else) and no contract.
inline Account TherapistClient() {
  Account a("therapy-client-mehta");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  p.set_owner("dr-lee");
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE,
           type::v1::BILLING_CYCLE_PER_PURCHASE);
  const absl::Time first = Day(2025, 5, 19, 17);  // a Monday, 18 months ago
  a.Every({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/mehta", 0, "dr-lee"},
          first, kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 9000, v1::PERSONALIZATION_UNSPECIFIED,
           "contacts/mehta", 0, "dr-lee"},
          first + absl::Hours(1), kWeek, kAsOf);
  return a;
}

inline Account BakeryRegular(absl::Time last_visit = kAsOf - 2 * kDay) {
  Account a("bakery-regular");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  *p.mutable_acquisition_date() = DateOf(2023, 6, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE,
           type::v1::BILLING_CYCLE_PER_PURCHASE);
  // Saturday bread, every week, for two years.
  std::vector<absl::Time> visits;
  for (absl::Time at = last_visit; at > kAsOf - 730 * kDay; at -= kWeek) {
    visits.push_back(at);
  }
  std::reverse(visits.begin(), visits.end());
  for (absl::Time at : visits) {
    a.Once({v1::INTERACTION_KIND_PURCHASE, 650}, at);
  }
  return a;
}

inline Account FuelCardHolder() {
  Account a("fleet-driver-k");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  *p.mutable_acquisition_date() = DateOf(2022, 1, 10);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE,
           type::v1::BILLING_CYCLE_PER_PURCHASE);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 6200}, kAsOf - 700 * kDay, 6 * kDay,
          kAsOf - kDay);
  a.Every({v1::INTERACTION_KIND_LOYALTY_REWARD}, kAsOf - 700 * kDay, 30 * kDay,
          kAsOf);
  return a;
}

inline Account SupermarketShopper() {
  Account a("shopper-ines");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  *p.mutable_acquisition_date() = DateOf(2021, 4, 1);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 5500}, kAsOf - 700 * kDay + kDay,
          kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 2300}, kAsOf - 700 * kDay + 4 * kDay,
          kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_NEWSLETTER}, kAsOf - 700 * kDay, kWeek, kAsOf);
  return a;
}

inline Account SalonVisitor() {
  Account a("salon-visitor");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  *p.mutable_acquisition_date() = DateOf(2025, 2, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE,
           type::v1::BILLING_CYCLE_PER_PURCHASE);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 4500}, Day(2025, 2, 1), 5 * kWeek,
          kAsOf);
  a.Every({v1::INTERACTION_KIND_NEWSLETTER}, Day(2025, 2, 1), 4 * kWeek, kAsOf);
  return a;
}

inline Account StreamingSubscriber() {
  Account a("streamer-tom");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  *p.mutable_acquisition_date() = DateOf(2024, 1, 5);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_SUBSCRIPTION,
           type::v1::BILLING_CYCLE_MONTHLY);
  for (absl::CivilMonth m(2024, 1); m <= absl::CivilMonth(2026, 11); ++m) {
    a.Once({v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT, 1299},
           absl::FromCivil(absl::CivilDay(m.year(), m.month(), 5),
                           absl::UTCTimeZone()));
  }
  a.Every({v1::INTERACTION_KIND_NEWSLETTER, 0, v1::PERSONALIZATION_STANDARD},
          Day(2024, 1, 8), kWeek, kAsOf);
  return a;
}

inline Account GiftBuyer() {
  Account a("parent-gift");
  a.profile().set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  a.Once({v1::INTERACTION_KIND_PURCHASE, 3999, v1::PERSONALIZATION_UNSPECIFIED,
          "contacts/parent"},
         kAsOf - 100 * kDay);
  return a;
}

// A print-shop customer for a year and a half who, since the summer, asks for
// advice and custom work.
inline Account BecomingClient() {
  Account a("studio-nord");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  *p.mutable_acquisition_date() = DateOf(2025, 5, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE,
           type::v1::BILLING_CYCLE_PER_PURCHASE);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 18000,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/office"},
          Day(2025, 5, 5), 3 * kWeek, kAsOf - 3 * kDay);
  const absl::Time turn = kAsOf - 150 * kDay;
  a.Every({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/founder"},
          turn, 4 * kWeek, kAsOf);
  // Custom work takes no amount: its price is a purchase the same day.
  a.Every({v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0,
           v1::PERSONALIZATION_PERSONALIZED, "contacts/founder"},
          turn + 10 * kDay, 6 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 240000,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/founder"},
          turn + 10 * kDay + absl::Hours(2), 6 * kWeek, kAsOf);
  a.Every({v1::INTERACTION_KIND_MEETING, 0, v1::PERSONALIZATION_UNSPECIFIED,
           "contacts/marketing"},
          turn + 5 * kDay, 5 * kWeek, kAsOf);
  return a;
}

// An accounting firm's client: a tax review and a filing every quarter.
inline Account QuarterlyClient(absl::Time last_review) {
  Account a("hoffmann-gmbh");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  p.set_account_manager("staff-lena");
  *p.mutable_acquisition_date() = DateOf(2020, 1, 15);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_RETAINER,
           type::v1::BILLING_CYCLE_QUARTERLY);
  *p.mutable_commercial_terms()->mutable_contract_start_date() =
      DateOf(2020, 1, 15);
  std::vector<absl::Time> reviews;
  for (absl::Time at = last_review; at > kAsOf - 720 * kDay; at -= 91 * kDay) {
    reviews.push_back(at);
  }
  std::reverse(reviews.begin(), reviews.end());
  for (absl::Time at : reviews) {
    a.Once({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
            v1::PERSONALIZATION_UNSPECIFIED, "contacts/ceo"},
           at);
    a.Once({v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0,
            v1::PERSONALIZATION_PERSONALIZED, "contacts/cfo"},
           at + 2 * kDay);
    a.Once({v1::INTERACTION_KIND_RETAINER_INVOICE, 450000}, at + 3 * kDay);
  }
  return a;
}

// A consultancy client who met monthly, then went quiet five months ago.
inline Account SilentClient() {
  Account a("atlas-logistics");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  p.set_account_manager("staff-mira");
  *p.mutable_acquisition_date() = DateOf(2023, 9, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_RETAINER,
           type::v1::BILLING_CYCLE_MONTHLY);
  const absl::Time quiet = kAsOf - 150 * kDay;
  a.Every({v1::INTERACTION_KIND_MEETING, 0, v1::PERSONALIZATION_UNSPECIFIED,
           "contacts/coo"},
          quiet - 540 * kDay, 30 * kDay, quiet);
  a.Every({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/cto"},
          quiet - 530 * kDay, 30 * kDay, quiet);
  a.Retainer(250000, 2025, 1, 2026, 11);
  return a;
}

// A one-off buyer of something expensive: a sofa bought once, four months
// ago, by a consumer the shop knows nothing else about.
inline Account BigPurchaseBuyer() {
  Account a("sofa-buyer");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  a.Once({v1::INTERACTION_KIND_PURCHASE, 480000,
          v1::PERSONALIZATION_UNSPECIFIED, "contacts/buyer"},
         kAsOf - 120 * kDay);
  return a;
}

// A consumer who buys now and then, irregularly: twice within three weeks
// last winter, then again in summer, last seen 100 days ago.
inline Account IrregularRepeatBuyer() {
  Account a("irregular-buyer");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  for (int days_ago : {330, 310, 100}) {
    a.Once({v1::INTERACTION_KIND_PURCHASE, 4500,
            v1::PERSONALIZATION_UNSPECIFIED, "contacts/buyer"},
           kAsOf - days_ago * kDay);
  }
  return a;
}

// The same shop's one-time buyer, last (and only) seen at the same time.
inline Account OneTimeBuyer() {
  Account a("one-time-buyer");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  a.Once({v1::INTERACTION_KIND_PURCHASE, 4500, v1::PERSONALIZATION_UNSPECIFIED,
          "contacts/buyer"},
         kAsOf - 100 * kDay);
  return a;
}

// A car-wash regular for four years: every week, the same wash.
inline Account FourYearRegular() {
  Account a("car-wash-regular");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 1500}, kAsOf - 4 * 364 * kDay, kWeek,
          kAsOf);
  return a;
}

// A print-shop customer since 2024 whose first retainer started in June:
// billed monthly on it since, with advice and custom work.
inline Account FirstRetainer() {
  Account a("first-retainer");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_ORGANIZATION);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2B);
  p.set_account_manager("staff-ida");
  *p.mutable_acquisition_date() = DateOf(2024, 3, 1);
  SetTerms(&p, type::v1::COMMERCIAL_MODEL_RETAINER,
           type::v1::BILLING_CYCLE_MONTHLY);
  *p.mutable_commercial_terms()->mutable_contract_start_date() =
      DateOf(2026, 6, 1);
  *p.mutable_commercial_terms()->mutable_contract_end_date() =
      DateOf(2027, 5, 31);
  a.Every({v1::INTERACTION_KIND_PURCHASE, 18000,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/office"},
          Day(2024, 3, 4), 3 * kWeek, Day(2026, 6, 1));
  a.Retainer(200000, 2026, 6, 2026, 11);
  a.Every({v1::INTERACTION_KIND_ADVICE_SESSION, 0,
           v1::PERSONALIZATION_UNSPECIFIED, "contacts/founder", 0, "staff-ida"},
          Day(2026, 6, 3), 2 * kWeek, kAsOf);
  a.Every(
      {v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0,
       v1::PERSONALIZATION_PERSONALIZED, "contacts/marketing", 0, "staff-ida"},
      Day(2026, 6, 10), 4 * kWeek, kAsOf);
  return a;
}

// A monthly customer who had one bad support experience and has not been
// back since: a ticket, solved, rated 1 of 5.
inline Account LeftAfterABadTicket() {
  Account a("left-after-ticket");
  auto& p = a.profile();
  p.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  p.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  const absl::Time last = kAsOf - 30 * kDay;
  a.Every({v1::INTERACTION_KIND_PURCHASE, 7900}, last - 600 * kDay, 30 * kDay,
          last);
  a.Once({v1::INTERACTION_KIND_TICKET_OPENED}, last - 5 * kDay);
  a.Once({v1::INTERACTION_KIND_TICKET_SOLVED}, last - 3 * kDay);
  a.Once({v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE, 0,
          v1::PERSONALIZATION_UNSPECIFIED, "", 1},
         last - 2 * kDay);
  return a;
}

}  // namespace clientele::engagement::scoring_testing

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_SCORING_TEST_HISTORIES_H_

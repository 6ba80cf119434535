// Next best actions: what to do about an account, drawn from four playbooks
// (convert a good customer into a client, retain a client, retain a
// customer, recover from poor support). Each rule reads what the score
// already computed, so the actions explain themselves with the same numbers.
// Keep-in-touch cadences (AccountState::keep_in_touch) add the greeting and
// the survey they have coming, keep "start a cadence" for accounts none
// covers, and at the survey fatigue limit no survey is suggested at all.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/engagement/scoring/scoring_internal.h"

namespace clientele::engagement::scoring_internal {
namespace {

using type::v1::RelationshipMode;

constexpr int kMaxActions = 5;
constexpr absl::Duration kDay = absl::Hours(24);
constexpr absl::Duration kRenewalLead = absl::Hours(24 * 90);
constexpr absl::Duration kGreetingLead = absl::Hours(24 * 30);
constexpr absl::Duration kProposalWindow = absl::Hours(24 * 30);
constexpr absl::Duration kSurveyLead = absl::Hours(24 * 7);

// The occasion, for a rationale such as "Birthday in 3 days". (Events carry
// no labels, which are free text: see docs/architecture.md.)
std::string OccasionInWords(events::v1::GreetingOccasion occasion) {
  switch (occasion) {
    case events::v1::GREETING_OCCASION_BIRTHDAY:
      return "Birthday";
    case events::v1::GREETING_OCCASION_FOUNDING_ANNIVERSARY:
      return "Founding anniversary";
    case events::v1::GREETING_OCCASION_RELATIONSHIP_ANNIVERSARY:
      return "Relationship anniversary";
    case events::v1::GREETING_OCCASION_HOLIDAY:
      return "Holiday";
    default:
      return "A date worth a greeting";
  }
}

struct Candidate {
  v1::NextBestActionKind kind;
  v1::Playbook playbook;
  int urgency;  // higher first
  std::string title;
  std::string rationale;
  double gain;
  std::optional<absl::Time> when;  // default derived from urgency
  bool reach_contact = true;
};

class Recommender {
 public:
  Recommender(const AccountState& state, const Evaluation& eval,
              const v1::ScoringPolicy& policy)
      : state_(state), eval_(eval), policy_(policy), agg_(eval.agg) {}

  std::vector<v1::NextBestAction> Run() {
    const RelationshipMode mode = eval_.mode.mode();
    Support(mode);
    if (mode == type::v1::RELATIONSHIP_MODE_CLIENT) {
      RetainClient();
    } else {
      CustomerSide(mode);
    }
    Proposal(mode);
    Greeting(mode);
    SurveyDue(mode);
    return Finish();
  }

 private:
  // Points gained if component `kind` reached `target`.
  double Gain(v1::ScoreComponentKind kind, double target) const {
    const v1::ScoreComponent* c = FindComponent(eval_, kind);
    if (c == nullptr) return 0;
    return std::max(0.0, c->weight() * (target - c->value()) * 100);
  }

  void Add(Candidate c) {
    // At the survey fatigue limit no survey is suggested, whatever the
    // reason (keep-in-touch cadences and CSAT surveys count alike).
    if (c.kind == v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY &&
        state_.keep_in_touch.survey_fatigued) {
      return;
    }
    candidates_.push_back(std::move(c));
  }

  void Support(RelationshipMode mode) {
    const KindTable& s = agg_.support;
    const int64_t open = s[v1::INTERACTION_KIND_TICKET_OPENED].count -
                         s[v1::INTERACTION_KIND_TICKET_SOLVED].count;
    const int64_t breaches = s[v1::INTERACTION_KIND_TICKET_SLA_BREACHED].count;
    if (open > 0) {
      std::string why =
          absl::StrCat(open, open == 1 ? " ticket" : " tickets", " still open");
      if (breaches > 0) absl::StrAppend(&why, ", ", breaches, " SLA breaches");
      absl::StrAppend(&why, " in the support window");
      Add({v1::NEXT_BEST_ACTION_KIND_RESOLVE_OPEN_TICKETS,
           v1::PLAYBOOK_RECOVER_SUPPORT, 88, "Resolve the open tickets", why,
           Gain(v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG, 1) +
               Gain(v1::SCORE_COMPONENT_KIND_SUPPORT_SLA, 1),
           std::nullopt, false});
    }
    const v1::ScoreComponent* sat =
        FindComponent(eval_, v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION);
    const int64_t ratings =
        s[v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE].rating_count +
        s[v1::INTERACTION_KIND_SURVEY_RESPONSE].rating_count;
    if (sat != nullptr && ratings > 0 && sat->value() < 0.5) {
      const double gain =
          Gain(v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION, 0.75);
      if (mode == type::v1::RELATIONSHIP_MODE_CUSTOMER) {
        Add({v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY,
             v1::PLAYBOOK_RECOVER_SUPPORT, 70, "Ask what went wrong",
             absl::StrCat("Low satisfaction: ", sat->observation()), gain});
      } else {
        // A client who is unhappy deserves a person, not a form.
        Add({v1::NEXT_BEST_ACTION_KIND_CHECK_IN, v1::PLAYBOOK_RECOVER_SUPPORT,
             84, "Call about their support experience",
             absl::StrCat("Low satisfaction: ", sat->observation()), gain});
      }
    }
  }

  void RetainClient() {
    const v1::SilenceAssessment& silence = eval_.silence;
    if (silence.status() == v1::SILENCE_STATUS_UNUSUAL ||
        silence.status() == v1::SILENCE_STATUS_LONGER_THAN_USUAL) {
      const bool unusual = silence.status() == v1::SILENCE_STATUS_UNUSUAL;
      Add({v1::NEXT_BEST_ACTION_KIND_CHECK_IN, v1::PLAYBOOK_RETAIN_CLIENT,
           unusual ? 85 : 65, "Check in",
           absl::StrCat("Silent for ",
                        HumanDuration(ToDuration(silence.silence())),
                        "; usually in touch ",
                        HumanEvery(ToDuration(silence.typical_gap()))),
           Gain(v1::SCORE_COMPONENT_KIND_SILENCE, 1)});
    }
    const auto& terms = state_.profile.commercial_terms();
    // The end date is the contract's last day (ContractEndTime).
    const std::optional<absl::Time> end = ContractEndTime(terms);
    if (end.has_value() && *end > agg_.as_of &&
        *end - agg_.as_of <= kRenewalLead) {
      const bool soon = *end - agg_.as_of <= 30 * kDay;
      Add({v1::NEXT_BEST_ACTION_KIND_PREPARE_RENEWAL,
           v1::PLAYBOOK_RETAIN_CLIENT,
           terms.auto_renew() ? 60 : (soon ? 90 : 80), "Prepare the renewal",
           absl::StrCat("The contract ends in ",
                        HumanDuration(*end - agg_.as_of),
                        terms.auto_renew() ? " and renews automatically"
                                           : " and renewal is not yet agreed"),
           Gain(v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL, 0.95),
           agg_.as_of + (soon ? kDay : 7 * kDay)});
    }
    // One staff member serving it all is its person already (a solo
    // practitioner's client).
    if (state_.profile.account_manager().empty() &&
        DedicatedStaff(agg_).empty()) {
      Add({v1::NEXT_BEST_ACTION_KIND_ASSIGN_ACCOUNT_MANAGER,
           v1::PLAYBOOK_RETAIN_CLIENT, 55, "Assign an account manager",
           "A client served by general staff has no one who knows it", 3,
           std::nullopt, false});
    }
  }

  void CustomerSide(RelationshipMode mode) {
    if (eval_.silence.status() == v1::SILENCE_STATUS_UNUSUAL) {
      // A customer who has stopped coming: converting can wait.
      Add({v1::NEXT_BEST_ACTION_KIND_WIN_BACK, v1::PLAYBOOK_RETAIN_CUSTOMER, 90,
           "Win the customer back",
           absl::StrCat("Not seen for ",
                        HumanDuration(ToDuration(eval_.silence.silence())),
                        "; usually comes ",
                        HumanEvery(ToDuration(eval_.silence.typical_gap()))),
           Gain(v1::SCORE_COMPONENT_KIND_RECENCY, 0.9)});
      return;
    }
    const bool transitioning =
        mode == type::v1::RELATIONSHIP_MODE_TRANSITIONING;
    const bool good =
        transitioning || eval_.score >= policy_.band_thresholds().healthy_min();
    if (!good) return;
    const v1::Playbook convert = v1::PLAYBOOK_CONVERT_TO_CLIENT;
    const std::string why =
        transitioning ? "Already partly a client: custom work and personal "
                        "contact alongside purchases"
                      : absl::StrCat("A good customer (score ", eval_.score,
                                     ") worth turning into a client");
    if (state_.profile.account_manager().empty() &&
        DedicatedStaff(agg_).empty()) {
      Add({v1::NEXT_BEST_ACTION_KIND_ASSIGN_ACCOUNT_MANAGER, convert,
           transitioning ? 62 : 60, "Assign an account manager", why, 3,
           std::nullopt, false});
    }
    const auto model = state_.profile.commercial_terms().model();
    if (transitioning && model != type::v1::COMMERCIAL_MODEL_RETAINER) {
      Add({v1::NEXT_BEST_ACTION_KIND_PROPOSE_RETAINER, convert, 58,
           "Propose a retainer",
           "Recurring custom work fits a retainer better than one purchase "
           "at a time",
           3});
    }
    Add({v1::NEXT_BEST_ACTION_KIND_MAKE_PERSONALIZED_OFFER, convert, 50,
         "Make a personalized offer", why,
         Gain(v1::SCORE_COMPONENT_KIND_PERSONALIZATION, 1) + 2});
    const KindTable& a = agg_.activity;
    if (a[v1::INTERACTION_KIND_LOYALTY_REWARD].count == 0) {
      Add({v1::NEXT_BEST_ACTION_KIND_INVITE_TO_LOYALTY_PROGRAMME, convert, 40,
           "Invite to the loyalty programme",
           "No loyalty reward in the activity window", 1.5});
    }
    const KeepInTouchState& keep = state_.keep_in_touch;
    const bool covered = keep.newsletter || keep.greeting || keep.survey;
    if (!covered && a[v1::INTERACTION_KIND_NEWSLETTER].count == 0 &&
        a[v1::INTERACTION_KIND_GREETING].count == 0) {
      Add({v1::NEXT_BEST_ACTION_KIND_START_KEEP_IN_TOUCH_CADENCE, convert, 35,
           "Start a keep-in-touch cadence",
           "No newsletter or greeting sent in the activity window", 1.5});
    }
    if (agg_.support[v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE].rating_count +
            agg_.support[v1::INTERACTION_KIND_SURVEY_RESPONSE].rating_count ==
        0) {
      Add({v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY, convert, 30,
           "Ask how satisfied they are",
           "No satisfaction rating in the support window", 1});
    }
    const auto tier = state_.profile.tier();
    if (tier != type::v1::ACCOUNT_TIER_PREMIUM &&
        tier != type::v1::ACCOUNT_TIER_ENTERPRISE) {
      Add({v1::NEXT_BEST_ACTION_KIND_OFFER_FASTER_SUPPORT, convert, 25,
           "Offer faster support", "On the standard support tier", 1,
           std::nullopt, false});
    }
  }

  void Proposal(RelationshipMode mode) {
    const absl::Time proposed =
        agg_.all[v1::INTERACTION_KIND_PROPOSAL].last_time;
    if (proposed == absl::InfinitePast() ||
        agg_.as_of - proposed > kProposalWindow) {
      return;
    }
    for (int k = 0; k < kKinds; ++k) {
      if (k == v1::INTERACTION_KIND_PROPOSAL) continue;
      if (IsEngagement(static_cast<v1::InteractionKind>(k)) &&
          agg_.all[k].last_time > proposed) {
        return;  // the account has been in touch since
      }
    }
    const absl::Time due = std::max(
        agg_.as_of,
        proposed +
            ToDuration(policy_.follow_up_rules().proposal_follow_up_delay()));
    Add({v1::NEXT_BEST_ACTION_KIND_FOLLOW_UP_PROPOSAL,
         mode == type::v1::RELATIONSHIP_MODE_CLIENT
             ? v1::PLAYBOOK_RETAIN_CLIENT
             : v1::PLAYBOOK_CONVERT_TO_CLIENT,
         75, "Follow up on the proposal",
         absl::StrCat("Proposal sent ", HumanDuration(agg_.as_of - proposed),
                      " ago with no answer since"),
         2, due});
  }

  // A greeting cadence's next greeting (its date in the account's time
  // zone, due lead_time before), else the profile's dates within 30 days.
  void Greeting(RelationshipMode mode) {
    const KeepInTouchState& keep = state_.keep_in_touch;
    if (keep.next_greeting_due != absl::InfinitePast()) {
      std::string occasion = keep.next_greeting_occasion;
      if (!occasion.empty()) {
        occasion[0] = absl::ascii_toupper(occasion[0]);
      }
      const absl::Duration until = keep.next_greeting_due - agg_.as_of;
      const std::string when =
          until <= absl::ZeroDuration()
              ? "the greeting is due now"
              : absl::StrCat("the greeting is due in ", HumanDuration(until));
      Add({v1::NEXT_BEST_ACTION_KIND_SEND_GREETING,
           mode == type::v1::RELATIONSHIP_MODE_CLIENT
               ? v1::PLAYBOOK_RETAIN_CLIENT
               : v1::PLAYBOOK_CONVERT_TO_CLIENT,
           until <= 7 * kDay ? 57 : 45, "Send a greeting",
           absl::StrCat(occasion, " coming up: ", when,
                        " (keep-in-touch cadence)"),
           1, std::max(agg_.as_of, keep.next_greeting_due)});
      return;
    }
    const absl::CivilDay today =
        absl::ToCivilDay(agg_.as_of, absl::UTCTimeZone());
    std::optional<absl::CivilDay> best;
    std::string label;
    for (const auto& g : state_.profile.greeting_dates()) {
      const type::v1::Date& d = g.date();
      if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31) {
        continue;
      }
      // Birthdays and anniversaries come back every year whatever year they
      // carry; other dates recur only when their year is 0.
      const bool recurs =
          d.year() == 0 ||
          g.occasion() == events::v1::GREETING_OCCASION_BIRTHDAY ||
          g.occasion() == events::v1::GREETING_OCCASION_FOUNDING_ANNIVERSARY ||
          g.occasion() ==
              events::v1::GREETING_OCCASION_RELATIONSHIP_ANNIVERSARY;
      absl::CivilDay next(recurs ? today.year() : d.year(), d.month(), d.day());
      if (recurs && next < today) {
        next = absl::CivilDay(today.year() + 1, d.month(), d.day());
      }
      if (next < today || next - today > kGreetingLead / kDay) continue;
      const std::string this_label = OccasionInWords(g.occasion());
      if (!best.has_value() || next < *best ||
          (next == *best && this_label < label)) {
        best = next;
        label = this_label;
      }
    }
    if (!best.has_value()) return;
    const int64_t days = *best - today;
    const absl::Time on = absl::FromCivil(*best, absl::UTCTimeZone());
    Add({v1::NEXT_BEST_ACTION_KIND_SEND_GREETING,
         mode == type::v1::RELATIONSHIP_MODE_CLIENT
             ? v1::PLAYBOOK_RETAIN_CLIENT
             : v1::PLAYBOOK_CONVERT_TO_CLIENT,
         days <= 7 ? 57 : 45, "Send a greeting",
         absl::StrCat(label, days == 0
                                 ? " is today"
                                 : absl::StrCat(" in ", days,
                                                days == 1 ? " day" : " days")),
         1, std::max(agg_.as_of, on - kDay)});
  }

  // A relationship survey a cadence has due within a week (never at the
  // fatigue limit: Add drops it).
  void SurveyDue(RelationshipMode mode) {
    const KeepInTouchState& keep = state_.keep_in_touch;
    if (keep.survey_due == absl::InfinitePast() ||
        keep.survey_due - agg_.as_of > kSurveyLead) {
      return;
    }
    const bool client = mode == type::v1::RELATIONSHIP_MODE_CLIENT;
    const absl::Duration until = keep.survey_due - agg_.as_of;
    Add({v1::NEXT_BEST_ACTION_KIND_SEND_SATISFACTION_SURVEY,
         client ? v1::PLAYBOOK_RETAIN_CLIENT : v1::PLAYBOOK_RETAIN_CUSTOMER,
         until <= absl::ZeroDuration() ? 52 : 42,
         client ? "Check in with the relationship survey"
                : "Ask how the purchase went",
         until <= absl::ZeroDuration()
             ? "A relationship survey is due (keep-in-touch cadence)"
             : absl::StrCat("A relationship survey is due in ",
                            HumanDuration(until), " (keep-in-touch cadence)"),
         1, std::max(agg_.as_of, keep.survey_due)});
  }

  std::vector<v1::NextBestAction> Finish() {
    // One action per kind, the most urgent reason winning.
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const Candidate& a, const Candidate& b) {
                       if (a.urgency != b.urgency) return a.urgency > b.urgency;
                       return a.kind < b.kind;
                     });
    std::vector<v1::NextBestAction> out;
    std::vector<bool> used(v1::NextBestActionKind_ARRAYSIZE, false);
    const std::string assignee = state_.profile.account_manager().empty()
                                     ? state_.profile.owner()
                                     : state_.profile.account_manager();
    for (const Candidate& c : candidates_) {
      if (used[c.kind] || static_cast<int>(out.size()) == kMaxActions) continue;
      used[c.kind] = true;
      v1::NextBestAction a;
      a.set_account(state_.account);
      a.set_kind(c.kind);
      a.set_playbook(c.playbook);
      a.set_priority(static_cast<int>(out.size()) + 1);
      a.set_title(c.title);
      a.set_rationale(c.rationale);
      const absl::Time when =
          c.when.value_or(agg_.as_of + (c.urgency >= 80   ? kDay
                                        : c.urgency >= 50 ? 7 * kDay
                                                          : 30 * kDay));
      *a.mutable_suggested_time() = ToTimestamp(when);
      a.set_suggested_assignee(assignee);
      if (c.reach_contact) a.set_contact(agg_.top_contact);
      a.set_expected_score_gain(std::round(c.gain * 10) / 10);
      out.push_back(std::move(a));
    }
    return out;
  }

  const AccountState& state_;
  const Evaluation& eval_;
  const v1::ScoringPolicy& policy_;
  const Aggregates& agg_;
  std::vector<Candidate> candidates_;
};

}  // namespace

std::vector<v1::NextBestAction> RecommendActions(
    const AccountState& state, const Evaluation& eval,
    const v1::ScoringPolicy& policy) {
  return Recommender(state, eval, policy).Run();
}

}  // namespace clientele::engagement::scoring_internal

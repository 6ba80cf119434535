// Strength: the components of the score for the account's mode, and its
// silence judged against its own rhythm. Customers are read the way RFM reads
// them (recency, frequency, money); clients the way a contract is kept
// (tenure, renewal, depth, personalization, silence); support counts for both.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/money.h"
#include "services/engagement/scoring/scoring_internal.h"

namespace clientele::engagement::scoring_internal {
namespace {

double Days(absl::Duration d) { return absl::ToDoubleHours(d) / 24; }

struct Reading {
  double value = 0.5;
  std::string observation;
};

Reading Recency(const Aggregates& agg, const v1::SilenceAssessment& silence,
                const v1::ScoringPolicy& policy) {
  if (agg.last_engagement == absl::InfinitePast()) {
    return {0, "no purchase or contact on record"};
  }
  const absl::Duration since = agg.as_of - agg.last_engagement;
  const double horizon = Days(ToDuration(policy.windows().recency_horizon()));
  // Steeper than linear: six weeks away already halves the value of a
  // customer's recency long before the one-year horizon.
  double value = std::pow(Clamp01(1 - Days(since) / horizon), 4);
  std::string observation =
      absl::StrCat("last seen ", HumanDuration(since), " ago");
  if (silence.status() != v1::SILENCE_STATUS_NO_HISTORY) {
    // The same six weeks mean nothing for a quarterly buyer and everything
    // for a weekly one.
    value *= SilenceValue(silence.silence_ratio(), policy.silence_thresholds());
    absl::StrAppend(&observation, "; usually ",
                    HumanEvery(ToDuration(silence.typical_gap())));
  }
  return {value, observation};
}

double ActivityDays(const v1::ScoringPolicy& policy) {
  return Days(ToDuration(policy.windows().activity_window()));
}

Reading Frequency(const Aggregates& agg, const v1::ScoringPolicy& policy) {
  const double per_year = static_cast<double>(agg.activity_touchpoints) * 365 /
                          ActivityDays(policy);
  // Log scale, full marks at weekly: a monthly salon visitor is a good
  // customer too, only less so than a weekly one.
  const double value = Clamp01(std::log1p(per_year) / std::log1p(52.0));
  return {value,
          absl::StrCat(
              agg.activity_touchpoints,
              agg.activity_touchpoints == 1 ? " visit or contact"
                                            : " visits or contacts",
              " in the last ",
              HumanDuration(ToDuration(policy.windows().activity_window())))};
}

Reading Monetary(const Aggregates& agg, const v1::ScoringPolicy& policy,
                 const std::string& currency) {
  int64_t spend = 0;
  int64_t with_amount = 0;
  for (int k = 0; k < kKinds; ++k) {
    if (!IsRevenueKind(static_cast<v1::InteractionKind>(k))) continue;
    spend = SaturatingAdd(spend, agg.activity[k].amount_minor);
    with_amount += agg.activity[k].amount_count;
  }
  if (with_amount == 0) return {0, "no spend recorded in the activity window"};
  const double per_year = MajorUnits(spend) * 365 / ActivityDays(policy);
  // Log scale from 1 to 100,000 a year: the model does not know the
  // business's prices, only that each tenfold step matters about as much.
  const double value = Clamp01(std::log10(1 + std::max(per_year, 0.0)) / 5);
  return {value,
          absl::StrCat(
              "spent ", FormatMoney(spend, currency), " in the last ",
              HumanDuration(ToDuration(policy.windows().activity_window())))};
}

std::optional<absl::Time> TenureStart(const AccountState& state,
                                      const Aggregates& agg) {
  std::optional<absl::Time> since =
      DateToTime(state.profile.acquisition_date());
  if (since.has_value() && *since <= agg.as_of) return since;
  if (agg.first_interaction != absl::InfinitePast()) {
    return agg.first_interaction;
  }
  return std::nullopt;
}

Reading Tenure(const AccountState& state, const Aggregates& agg) {
  const std::optional<absl::Time> since = TenureStart(state, agg);
  if (!since.has_value()) return {0, "no history yet"};
  const double years = Days(agg.as_of - *since) / 365.25;
  // Saturating: the second year adds more trust than the tenth.
  return {1 - std::exp(-years / 2),
          absl::StrCat("with the business for ",
                       HumanDuration(agg.as_of - *since))};
}

// Whether the contract on file follows an earlier one: the account was
// billed the same way (retainer invoices, subscription payments) more than a
// month before this contract started, or won a second retainer or
// subscription deal. How long after acquisition a contract started says
// nothing: a customer's first retainer often starts years after its first
// purchase.
bool RenewedBefore(const AccountState& state, const Aggregates& agg,
                   absl::Time start) {
  const auto model = state.profile.commercial_terms().model();
  const v1::InteractionKind billing =
      model == type::v1::COMMERCIAL_MODEL_RETAINER
          ? v1::INTERACTION_KIND_RETAINER_INVOICE
      : model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION
          ? v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT
          : v1::INTERACTION_KIND_UNSPECIFIED;
  if (billing != v1::INTERACTION_KIND_UNSPECIFIED &&
      agg.all[billing].count > 0 &&
      agg.all[billing].first_time < start - absl::Hours(24 * 31)) {
    return true;
  }
  int won = 0;
  for (const ClosedDeal& deal : state.closed_deals) {
    if (IsWonRecurringDeal(deal) && deal.close_time <= agg.as_of) ++won;
  }
  return won >= 2;
}

Reading ContractRenewal(const AccountState& state, const Aggregates& agg) {
  const auto& terms = state.profile.commercial_terms();
  const std::optional<absl::Time> start =
      DateToTime(terms.contract_start_date());
  // The end date is the contract's last day: it runs until the next
  // midnight.
  const std::optional<absl::Time> end = ContractEndTime(terms);
  if (!start.has_value() && !end.has_value()) {
    return {0.5, "no contract on file, so no renewal to judge"};
  }
  const bool renewed = start.has_value() && RenewedBefore(state, agg, *start);
  if (end.has_value() && *end <= agg.as_of) {
    if (terms.auto_renew()) return {0.85, "contract renews automatically"};
    return {0.1,
            absl::StrCat("contract ended ", HumanDuration(agg.as_of - *end),
                         " ago and was not renewed")};
  }
  if (end.has_value() && !terms.auto_renew() &&
      *end - agg.as_of <= absl::Hours(24 * 90)) {
    const double left = Days(*end - agg.as_of);
    return {0.2 + 0.3 * left / 90,
            absl::StrCat("contract ends in ", HumanDuration(*end - agg.as_of),
                         "; renewal not yet agreed")};
  }
  double value = end.has_value() ? 0.75 : 0.85;
  std::string observation = end.has_value()
                                ? absl::StrCat("contract runs for another ",
                                               HumanDuration(*end - agg.as_of))
                                : std::string("open-ended contract");
  if (terms.auto_renew()) {
    value += 0.1;
    absl::StrAppend(&observation, ", renews automatically");
  }
  if (renewed) {
    value += 0.1;
    absl::StrAppend(&observation, ", renewed before");
  }
  return {Clamp01(value), observation};
}

Reading ContactDepth(const AccountState& state, const Aggregates& agg) {
  if (agg.contacts_known == 0) {
    return {0.5, "no contacts named on interactions"};
  }
  // An individual is fully reached through one person; an organization is
  // safe only when several people know the business.
  const bool individual =
      state.profile.kind() == type::v1::ACCOUNT_KIND_INDIVIDUAL;
  const double expected = individual ? 1 : 3;
  return {Clamp01(agg.contacts_engaged / expected),
          absl::StrCat(agg.contacts_engaged, " of ", agg.contacts_known,
                       " known contacts engaged in the activity window")};
}

Reading Personalization(const Aggregates& agg) {
  double personal = 0;
  double standard = 0;
  for (int k = 0; k < kKinds; ++k) {
    const auto kind = static_cast<v1::InteractionKind>(k);
    // Notes, billing and ticket events are not contact with the account;
    // newsletters and greetings are, and count as standard unless marked.
    if (kind == v1::INTERACTION_KIND_NOTE ||
        kind == v1::INTERACTION_KIND_RETAINER_INVOICE ||
        kind == v1::INTERACTION_KIND_SURVEY_RESPONSE ||
        kind >= v1::INTERACTION_KIND_TICKET_OPENED) {
      continue;
    }
    const KindTotals& t = agg.evidence[k];
    const double unset =
        static_cast<double>(t.count - t.personalized - t.standard);
    personal += static_cast<double>(t.personalized);
    standard += static_cast<double>(t.standard);
    const int default_mode = PersonalizationLean(kind);
    if (default_mode > 0) personal += unset;
    if (default_mode < 0) standard += unset;
  }
  // A session's fee is neither: the session says how personal it was.
  standard = std::max(0.0, standard - static_cast<double>(agg.session_fees));
  if (personal + standard <= 0) {
    return {0.5, "nothing says whether contact was personal or standard"};
  }
  const double share = personal / (personal + standard);
  return {share,
          absl::StrFormat("%.0f%% of contact was personalized", 100 * share)};
}

Reading Silence(const v1::SilenceAssessment& silence,
                const v1::ScoringPolicy& policy) {
  if (silence.status() == v1::SILENCE_STATUS_NO_HISTORY) {
    return {0.5, "too little history to know this account's rhythm"};
  }
  return {
      SilenceValue(silence.silence_ratio(), policy.silence_thresholds()),
      absl::StrCat("silent for ", HumanDuration(ToDuration(silence.silence())),
                   "; usually in touch ",
                   HumanEvery(ToDuration(silence.typical_gap())))};
}

Reading Satisfaction(const Aggregates& agg) {
  const KindTotals& csat =
      agg.support[v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE];
  const KindTotals& survey = agg.support[v1::INTERACTION_KIND_SURVEY_RESPONSE];
  const int64_t count = csat.rating_count + survey.rating_count;
  if (count == 0) return {0.5, "no satisfaction ratings in the support window"};
  const double average =
      static_cast<double>(csat.rating_sum + survey.rating_sum) /
      static_cast<double>(count);
  // Says where the ratings came from: support's CSAT surveys, relationship
  // surveys, or both.
  const char* from = survey.rating_count == 0 ? "support CSAT averages"
                     : csat.rating_count == 0
                         ? "survey satisfaction averages"
                         : "support CSAT and surveys average";
  return {Clamp01((average - 1) / 4),
          absl::StrFormat("%s %.1f of 5 over %d %s", from, average, count,
                          count == 1 ? "rating" : "ratings")};
}

// With no tickets in the window there is no support experience to judge:
// neutral, so that support neither lifts nor sinks an account it never
// touched.
Reading Sla(const Aggregates& agg) {
  const int64_t breaches =
      agg.support[v1::INTERACTION_KIND_TICKET_SLA_BREACHED].count;
  const int64_t tickets = agg.support[v1::INTERACTION_KIND_TICKET_OPENED].count;
  if (tickets == 0 && breaches == 0) {
    return {0.5, "no support tickets in the support window"};
  }
  if (breaches == 0) {
    return {1, absl::StrCat("no SLA breaches on ", tickets,
                            tickets == 1 ? " ticket" : " tickets",
                            " in the support window")};
  }
  const int64_t base = std::max(tickets, breaches);
  return {
      Clamp01(1 - static_cast<double>(breaches) / static_cast<double>(base)),
      absl::StrCat(breaches, breaches == 1 ? " SLA breach" : " SLA breaches",
                   " on ", base, base == 1 ? " ticket" : " tickets",
                   " in the support window")};
}

Reading Backlog(const Aggregates& agg) {
  const int64_t opened = agg.support[v1::INTERACTION_KIND_TICKET_OPENED].count;
  const int64_t solved = agg.support[v1::INTERACTION_KIND_TICKET_SOLVED].count;
  if (opened == 0 && solved == 0) {
    return {0.5, "no support tickets in the support window"};
  }
  const int64_t open = std::max<int64_t>(0, opened - solved);
  if (open == 0) return {1, "every support ticket solved"};
  return {Clamp01(1 - static_cast<double>(open) / 3),
          absl::StrCat(open, open == 1 ? " support ticket" : " support tickets",
                       " still open")};
}

}  // namespace

double SilenceValue(double ratio, const v1::SilenceThresholds& t) {
  const double longer = t.longer_than_usual_ratio();
  const double unusual = t.unusual_ratio();
  if (ratio <= 1) return 1;
  if (ratio <= longer) return 1 - 0.2 * (ratio - 1) / (longer - 1);
  if (ratio <= unusual) {
    return 0.8 - 0.5 * (ratio - longer) / (unusual - longer);
  }
  return Clamp01(0.3 * (1 - (ratio - unusual) / unusual));
}

v1::SilenceAssessment AssessSilence(const Aggregates& agg,
                                    const v1::ScoringPolicy& policy) {
  v1::SilenceAssessment out;
  if (agg.last_engagement == absl::InfinitePast()) {
    out.set_status(v1::SILENCE_STATUS_NO_HISTORY);
    return out;
  }
  const absl::Duration silence = agg.as_of - agg.last_engagement;
  *out.mutable_last_interaction_time() = ToTimestamp(agg.last_engagement);
  *out.mutable_silence() = ToDurationProto(silence);
  if (!agg.typical_gap.has_value()) {
    out.set_status(v1::SILENCE_STATUS_NO_HISTORY);
    return out;
  }
  const absl::Duration gap = *agg.typical_gap;
  const double ratio = absl::FDivDuration(silence, gap);
  *out.mutable_typical_gap() = ToDurationProto(gap);
  *out.mutable_expected_next_time() = ToTimestamp(agg.last_engagement + gap);
  out.set_silence_ratio(ratio);
  const v1::SilenceThresholds& t = policy.silence_thresholds();
  if (ratio > t.unusual_ratio()) {
    out.set_status(v1::SILENCE_STATUS_UNUSUAL);
  } else if (ratio > t.longer_than_usual_ratio()) {
    out.set_status(v1::SILENCE_STATUS_LONGER_THAN_USUAL);
  } else {
    out.set_status(v1::SILENCE_STATUS_NORMAL);
  }
  return out;
}

std::array<double, kComponents> ComponentWeights(
    const v1::ModeAssessment& mode, const v1::ScoringPolicy& policy) {
  double client_share = mode.client_likelihood();
  if (mode.mode() == type::v1::RELATIONSHIP_MODE_CUSTOMER) client_share = 0;
  if (mode.mode() == type::v1::RELATIONSHIP_MODE_CLIENT) client_share = 1;
  std::array<double, kComponents> weights{};
  for (const v1::ComponentWeight& w : policy.customer_weights()) {
    if (v1::ScoreComponentKind_IsValid(w.component())) {
      weights[w.component()] += (1 - client_share) * w.weight();
    }
  }
  for (const v1::ComponentWeight& w : policy.client_weights()) {
    if (v1::ScoreComponentKind_IsValid(w.component())) {
      weights[w.component()] += client_share * w.weight();
    }
  }
  return weights;
}

std::vector<v1::ScoreComponent> ScoreComponents(
    const AccountState& state, const Aggregates& agg,
    const v1::SilenceAssessment& silence, const v1::ModeAssessment& mode,
    const v1::ScoringPolicy& policy) {
  const std::array<double, kComponents> weights =
      ComponentWeights(mode, policy);
  std::vector<v1::ScoreComponent> out;
  for (int k = 1; k < kComponents; ++k) {
    if (weights[k] <= 0) continue;
    Reading r;
    switch (static_cast<v1::ScoreComponentKind>(k)) {
      case v1::SCORE_COMPONENT_KIND_RECENCY:
        r = Recency(agg, silence, policy);
        break;
      case v1::SCORE_COMPONENT_KIND_FREQUENCY:
        r = Frequency(agg, policy);
        break;
      case v1::SCORE_COMPONENT_KIND_MONETARY:
        r = Monetary(agg, policy, state.activity.currency);
        break;
      case v1::SCORE_COMPONENT_KIND_TENURE:
        r = Tenure(state, agg);
        break;
      case v1::SCORE_COMPONENT_KIND_CONTRACT_RENEWAL:
        r = ContractRenewal(state, agg);
        break;
      case v1::SCORE_COMPONENT_KIND_CONTACT_DEPTH:
        r = ContactDepth(state, agg);
        break;
      case v1::SCORE_COMPONENT_KIND_PERSONALIZATION:
        r = Personalization(agg);
        break;
      case v1::SCORE_COMPONENT_KIND_SILENCE:
        r = Silence(silence, policy);
        break;
      case v1::SCORE_COMPONENT_KIND_SUPPORT_SATISFACTION:
        r = Satisfaction(agg);
        break;
      case v1::SCORE_COMPONENT_KIND_SUPPORT_SLA:
        r = Sla(agg);
        break;
      case v1::SCORE_COMPONENT_KIND_SUPPORT_BACKLOG:
        r = Backlog(agg);
        break;
      default:
        continue;
    }
    v1::ScoreComponent c;
    c.set_kind(static_cast<v1::ScoreComponentKind>(k));
    c.set_weight(weights[k]);
    c.set_value(Clamp01(r.value));
    c.set_points(weights[k] * c.value() * 100);
    c.set_observation(std::move(r.observation));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace clientele::engagement::scoring_internal

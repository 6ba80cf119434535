// Mode inference: how client-like an account is, from the signals in the
// customer/client table of DESIGN.md. Each signal leans -1 (customer) to +1
// (client) and carries a weight; signals with nothing to read are left out
// rather than guessed, so an account is judged on what is known about it.
#include <algorithm>
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

using type::v1::RelationshipMode;

// The work and the way of working are what make a client; billing and
// tenure are weaker evidence because mass subscriptions bill monthly and a
// supermarket shopper may stay for years.
constexpr double kTenureWeight = 0.05;
constexpr double kContractWeight = 0.15;
constexpr double kCustomWorkWeight = 0.25;
constexpr double kRelationshipWeight = 0.25;
constexpr double kManagerWeight = 0.15;
constexpr double kRevenueWeight = 0.10;
constexpr double kRecurringWeight = 0.10;
constexpr double kAllWeights =
    kTenureWeight + kContractWeight + kCustomWorkWeight + kRelationshipWeight +
    kManagerWeight + kRevenueWeight + kRecurringWeight;

double Lean(double v) { return std::clamp(v, -1.0, 1.0); }

// A share read as a lean, damped when it rests on few interactions: one
// purchase says half as much as many.
double ShareLean(double part, double total) {
  if (total <= 0) return 0;
  return (2 * part / total - 1) * total / (total + 1);
}

void AddSignal(v1::ModeSignalKind kind, double lean, double weight,
               std::string observation, std::vector<v1::ModeSignal>* out) {
  v1::ModeSignal s;
  s.set_kind(kind);
  s.set_lean(Lean(lean));
  s.set_weight(weight);
  s.set_observation(std::move(observation));
  out->push_back(std::move(s));
}

bool HasTerms(const AccountState& state) {
  return state.profile.has_commercial_terms() &&
         state.profile.commercial_terms().model() !=
             type::v1::COMMERCIAL_MODEL_UNSPECIFIED;
}

void TenureSignal(const AccountState& state, const Aggregates& agg,
                  std::vector<v1::ModeSignal>* out) {
  std::optional<absl::Time> since =
      DateToTime(state.profile.acquisition_date());
  std::string source = "acquired";
  if (!since.has_value() || *since > agg.as_of) {
    if (agg.first_interaction == absl::InfinitePast()) return;
    since = agg.first_interaction;
    source = "first interaction";
  }
  const double years = absl::ToDoubleHours(agg.as_of - *since) / (24 * 365.25);
  // Up to half a pull either way: long tenure is necessary for a client but
  // not sufficient (a loyal bakery customer stays for years).
  const double lean = std::clamp((years - 1) / 4, -0.5, 0.5);
  AddSignal(
      v1::MODE_SIGNAL_KIND_TENURE, lean, kTenureWeight,
      absl::StrCat(source, " ", HumanDuration(agg.as_of - *since), " ago"),
      out);
}

// How the latest won retainer or subscription deal reads, when it reads
// more client-like than the terms on file: a deal won is the customer ->
// client move, often before anyone updates the account's terms. It speaks
// for an activity window after it closes; by then the terms and the
// invoices speak for themselves.
struct DealReading {
  double contract_lean = 0;
  double recurring_lean = 0;
  // A retainer won makes a client (DealKind's contract): the move itself.
  bool makes_client = false;
  std::string observation;
};
std::optional<DealReading> ReadDeal(const AccountState& state,
                                    const Aggregates& agg,
                                    const v1::ScoringPolicy& policy) {
  const ClosedDeal* deal = LatestWonRecurringDeal(
      state, agg.evidence_end - ToDuration(policy.windows().activity_window()),
      agg.as_of);
  if (deal == nullptr) return std::nullopt;
  const bool retainer = deal->kind == v1::DEAL_KIND_RETAINER;
  // A subscription sold through a deal is negotiated, not a mass product:
  // read as a subscription with a term.
  return DealReading{
      retainer ? 1.0 : 0.5, retainer ? 1.0 : 0.3, retainer,
      absl::StrCat(retainer ? "retainer" : "subscription", " deal won ",
                   HumanDuration(agg.as_of - deal->close_time), " ago")};
}

void ContractSignal(const AccountState& state, const Aggregates& agg,
                    const std::optional<DealReading>& deal,
                    std::vector<v1::ModeSignal>* out) {
  std::optional<double> lean;
  std::string observation;
  if (HasTerms(state)) {
    const auto& terms = state.profile.commercial_terms();
    const bool dated = DateToTime(terms.contract_start_date()).has_value() ||
                       DateToTime(terms.contract_end_date()).has_value();
    const std::optional<absl::Duration> length = ContractLength(terms);
    // Open-ended counts as long.
    const double months = ContractMonths(terms).value_or(120);
    const std::string term = length.has_value()
                                 ? absl::StrCat(HumanDuration(*length), " term")
                                 : std::string("open-ended");
    switch (terms.model()) {
      case type::v1::COMMERCIAL_MODEL_RETAINER:
        lean = months >= 6 ? 1.0 : 0.6;
        observation = absl::StrCat("retainer contract, ", term);
        break;
      case type::v1::COMMERCIAL_MODEL_SUBSCRIPTION:
        if (dated && months >= 12) {
          lean = 0.5;
          observation = absl::StrCat("subscription contract, ", term);
        } else {
          // A rolling subscription is bought again every cycle: one
          // purchase at a time.
          lean = -0.2;
          observation = "rolling subscription without a fixed term";
        }
        break;
      default:
        // Many clients (a therapist's, a lawyer's on hourly fees) have no
        // term contract, so its absence is only mild evidence.
        lean = -0.3;
        observation = "pays per purchase, no contract";
    }
  }
  if (deal.has_value() && (!lean.has_value() || deal->contract_lean > *lean)) {
    observation = lean.has_value()
                      ? absl::StrCat(deal->observation,
                                     " (terms on file: ", observation, ")")
                      : deal->observation;
    lean = deal->contract_lean;
  }
  if (!lean.has_value()) return;
  AddSignal(v1::MODE_SIGNAL_KIND_CONTRACT_TERM, *lean, kContractWeight,
            std::move(observation), out);
}

// Standard purchases in the evidence window, less those read as the fees of
// sessions (Aggregates::session_fees).
double StandardPurchases(const Aggregates& agg) {
  const KindTotals& purchases = agg.evidence[v1::INTERACTION_KIND_PURCHASE];
  return static_cast<double>(std::max<int64_t>(
      0, purchases.count - purchases.personalized - agg.session_fees));
}

std::string FeesNote(const Aggregates& agg) {
  if (agg.session_fees == 0) return "";
  return absl::StrCat("; ", agg.session_fees,
                      agg.session_fees == 1 ? " purchase" : " purchases",
                      " read as session fees");
}

void CustomWorkSignal(const Aggregates& agg, std::vector<v1::ModeSignal>* out) {
  const KindTable& a = agg.evidence;
  const KindTotals& purchases = a[v1::INTERACTION_KIND_PURCHASE];
  const KindTotals& subscriptions =
      a[v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT];
  // A purchase marked personalized is a custom order; one paying for a
  // session is the session's fee, already counted as the session.
  const double custom =
      static_cast<double>(a[v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED].count +
                          a[v1::INTERACTION_KIND_ADVICE_SESSION].count +
                          a[v1::INTERACTION_KIND_PROPOSAL].count +
                          purchases.personalized + subscriptions.personalized);
  const double standard =
      StandardPurchases(agg) +
      static_cast<double>(subscriptions.count - subscriptions.personalized);
  if (custom + standard <= 0) return;
  AddSignal(
      v1::MODE_SIGNAL_KIND_CUSTOM_WORK_SHARE,
      ShareLean(custom, custom + standard), kCustomWorkWeight,
      absl::StrFormat("%.0f%% custom work or advice (%d of %d)%s",
                      100 * custom / (custom + standard),
                      static_cast<int64_t>(custom),
                      static_cast<int64_t>(custom + standard), FeesNote(agg)),
      out);
}

void RelationshipSignal(const Aggregates& agg,
                        std::vector<v1::ModeSignal>* out) {
  double relationship = 0;
  double transactional = 0;
  for (int k = 0; k < kKinds; ++k) {
    const KindTotals& t = agg.evidence[k];
    if (t.count == 0) continue;
    switch (static_cast<v1::InteractionKind>(k)) {
      case v1::INTERACTION_KIND_MEETING:
      case v1::INTERACTION_KIND_CALL:
      case v1::INTERACTION_KIND_VIDEO_CALL:
      case v1::INTERACTION_KIND_ADVICE_SESSION:
      case v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
        relationship += static_cast<double>(t.count - t.standard);
        transactional += static_cast<double>(t.standard);
        break;
      case v1::INTERACTION_KIND_EMAIL:
      case v1::INTERACTION_KIND_MESSAGE:
      case v1::INTERACTION_KIND_GREETING:
        // Only what says which it was counts.
        relationship += static_cast<double>(t.personalized);
        transactional += static_cast<double>(t.standard);
        break;
      case v1::INTERACTION_KIND_PURCHASE:
        // A session's fee is part of the session, not a transaction of its
        // own.
        transactional += StandardPurchases(agg);
        relationship += static_cast<double>(t.personalized);
        break;
      case v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT:
      case v1::INTERACTION_KIND_REFUND:
      case v1::INTERACTION_KIND_NEWSLETTER:
      case v1::INTERACTION_KIND_LOYALTY_REWARD:
        transactional += static_cast<double>(t.count - t.personalized);
        relationship += static_cast<double>(t.personalized);
        break;
      default:
        break;
    }
  }
  const double total = relationship + transactional;
  if (total <= 0) return;
  AddSignal(
      v1::MODE_SIGNAL_KIND_RELATIONSHIP_INTERACTION_SHARE,
      ShareLean(relationship, total), kRelationshipWeight,
      absl::StrFormat("%.0f%% of %d interactions were meetings, calls, "
                      "advice or personal contact",
                      100 * relationship / total, static_cast<int64_t>(total)),
      out);
}

void ManagerSignal(const AccountState& state, const Aggregates& agg,
                   std::vector<v1::ModeSignal>* out) {
  if (!state.profile.account_manager().empty()) {
    AddSignal(v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER, 1.0, kManagerWeight,
              absl::StrCat("dedicated account manager ",
                           state.profile.account_manager()),
              out);
    return;
  }
  if (agg.staff_count > 0) {
    // The same person serving (nearly) every one-to-one interaction is the
    // account's dedicated person whether or not anyone filled in the
    // manager field: a solo practitioner never does. From -0.5 (no
    // continuity, as with no one) to +0.8 (StaffContinuity 1): a little
    // short of a named manager, since it is inferred.
    AddSignal(v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER,
              -0.5 + 1.3 * StaffContinuity(agg), kManagerWeight,
              absl::StrCat(agg.top_staff, " served ", agg.top_staff_count,
                           " of ", agg.staff_count,
                           " one-to-one interactions; no account manager on "
                           "file"),
              out);
    return;
  }
  if (state.profile.name().empty()) return;  // nothing known about the account
  // Weaker the other way: a new client may not have one yet.
  AddSignal(v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER, -0.5, kManagerWeight,
            "no account manager, and no one staff member serving it", out);
}

void RevenueSignal(const Aggregates& agg, const v1::ScoringPolicy& policy,
                   const std::string& currency,
                   std::vector<v1::ModeSignal>* out) {
  int64_t amount = 0;
  int64_t transactions = 0;
  for (int k = 0; k < kKinds; ++k) {
    const KindTotals& t = agg.evidence[k];
    if (k == v1::INTERACTION_KIND_REFUND ||
        k == v1::INTERACTION_KIND_PROPOSAL) {
      continue;
    }
    amount = SaturatingAdd(amount, t.amount_minor);
    transactions += t.amount_count;
  }
  if (transactions == 0 || amount <= 0) return;
  const double average = MajorUnits(amount) / static_cast<double>(transactions);
  const double per_year =
      static_cast<double>(transactions) * 365 /
      (absl::ToDoubleHours(ToDuration(policy.windows().activity_window())) /
       24);
  // Few large transactions against many small ones: about 300 a time is the
  // middle; ten times either way is a full pull. Volume adds a little: more
  // than weekly is a shop's rhythm, monthly or less an engagement's.
  const double size_lean =
      Lean((std::log10(std::max(average, 1.0)) - 2.5) / 1.5);
  double volume_lean =
      Lean((std::log(12.0) - std::log(std::max(per_year, 0.1))) /
           std::log(52.0 / 12));
  // Few small purchases are still small ones (a gift bought once), and a
  // single transaction has no volume to read: one purchase a year is not
  // an engagement's rhythm.
  if (size_lean < 0 || transactions < 2) {
    volume_lean = std::min(volume_lean, 0.0);
  }
  // Damped like the shares: one transaction, however large, says half as
  // much as many (a single large purchase does not make a client).
  const double n = static_cast<double>(transactions);
  // Clamped below 2^63: llround is undefined past int64.
  const int64_t average_minor = std::llround(std::min(average * 100, 9e18));
  AddSignal(v1::MODE_SIGNAL_KIND_REVENUE_PER_TRANSACTION,
            (0.7 * size_lean + 0.3 * volume_lean) * n / (n + 1), kRevenueWeight,
            absl::StrFormat("%d %s averaging %s", transactions,
                            transactions == 1 ? "transaction" : "transactions",
                            FormatMoney(average_minor, currency)),
            out);
}

void RecurringSignal(const AccountState& state, const Aggregates& agg,
                     const std::optional<DealReading>& deal,
                     std::vector<v1::ModeSignal>* out) {
  const KindTable& a = agg.evidence;
  const auto model = HasTerms(state) ? state.profile.commercial_terms().model()
                                     : type::v1::COMMERCIAL_MODEL_UNSPECIFIED;
  std::optional<double> lean;
  std::string observation;
  if (model == type::v1::COMMERCIAL_MODEL_RETAINER ||
      a[v1::INTERACTION_KIND_RETAINER_INVOICE].count > 0) {
    lean = 1.0;
    observation = absl::StrCat("billed on a retainer (",
                               a[v1::INTERACTION_KIND_RETAINER_INVOICE].count,
                               " invoices in the activity window)");
  } else if (model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION ||
             a[v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT].count > 0) {
    // Recurring, but mass subscriptions recur too: a small pull only, so
    // that billing alone never makes a client.
    lean = 0.3;
    observation =
        absl::StrCat("pays a subscription (",
                     a[v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT].count,
                     " payments in the activity window)");
  } else if (model == type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE ||
             a[v1::INTERACTION_KIND_PURCHASE].count > 0) {
    lean = -0.4;
    observation = "pays per purchase";
  }
  if (deal.has_value() && (!lean.has_value() || deal->recurring_lean > *lean)) {
    observation = deal->observation;
    lean = deal->recurring_lean;
  }
  if (!lean.has_value()) return;
  AddSignal(v1::MODE_SIGNAL_KIND_RECURRING_BILLING, *lean, kRecurringWeight,
            std::move(observation), out);
}

// No contract, no recurring billing, no dedicated person: readings of what
// the account does not have, and usually of one fact (it pays as it goes,
// as a therapist's or a lawyer's client on fees does too). Counted once:
// together they weigh as much as the heaviest of them, their leans
// averaged, so that the absence of evidence never outvotes the evidence.
void PoolAbsences(std::vector<v1::ModeSignal>* signals) {
  const auto is_absence = [](const v1::ModeSignal& s) {
    return s.lean() < 0 &&
           (s.kind() == v1::MODE_SIGNAL_KIND_CONTRACT_TERM ||
            s.kind() == v1::MODE_SIGNAL_KIND_RECURRING_BILLING ||
            s.kind() == v1::MODE_SIGNAL_KIND_DEDICATED_MANAGER);
  };
  int pooled = 0;
  double total = 0;
  double heaviest = 0;
  for (const v1::ModeSignal& s : *signals) {
    if (!is_absence(s)) continue;
    ++pooled;
    total += s.weight();
    heaviest = std::max(heaviest, s.weight());
  }
  if (pooled < 2) return;
  for (v1::ModeSignal& s : *signals) {
    if (!is_absence(s)) continue;
    s.set_weight(s.weight() * heaviest / total);
    absl::StrAppend(s.mutable_observation(), " (with ", pooled - 1,
                    pooled == 2 ? " other reading" : " other readings",
                    " of what is missing, counted once)");
  }
}

RelationshipMode ModeFor(double likelihood, const v1::ModeThresholds& t) {
  if (likelihood <= t.customer_max()) {
    return type::v1::RELATIONSHIP_MODE_CUSTOMER;
  }
  if (likelihood >= t.client_min()) return type::v1::RELATIONSHIP_MODE_CLIENT;
  return type::v1::RELATIONSHIP_MODE_TRANSITIONING;
}

}  // namespace

v1::ModeAssessment AssessMode(const AccountState& state, const Aggregates& agg,
                              const v1::ScoringPolicy& policy) {
  std::vector<v1::ModeSignal> signals;
  const std::optional<DealReading> deal = ReadDeal(state, agg, policy);
  TenureSignal(state, agg, &signals);
  ContractSignal(state, agg, deal, &signals);
  CustomWorkSignal(agg, &signals);
  RelationshipSignal(agg, &signals);
  ManagerSignal(state, agg, &signals);
  RevenueSignal(agg, policy, state.activity.currency, &signals);
  RecurringSignal(state, agg, deal, &signals);
  // What could be read, before absences are pooled: confidence says how
  // much is known, and knowing that something is missing is knowing.
  double readable = 0;
  for (const v1::ModeSignal& s : signals) readable += s.weight();
  PoolAbsences(&signals);

  double pull = 0;
  double weight = 0;
  for (const v1::ModeSignal& s : signals) {
    pull += s.lean() * s.weight();
    weight += s.weight();
  }
  double likelihood = weight > 0 ? Clamp01(0.5 + 0.5 * pull / weight) : 0.5;
  // A retainer won is the customer -> client move, whatever the account's
  // past as a customer still says: at least a client while the deal speaks
  // (its reading leads the deciding signals), and more as the way of
  // working follows.
  if (deal.has_value() && deal->makes_client) {
    likelihood = std::max(likelihood, policy.mode_thresholds().client_min());
  }
  const v1::ModeThresholds& t = policy.mode_thresholds();
  const RelationshipMode inferred = ModeFor(likelihood, t);

  // Confidence: how far inside its range the likelihood sits, discounted
  // when few signals could be read.
  double inside = 0;
  if (inferred == type::v1::RELATIONSHIP_MODE_CUSTOMER) {
    inside = (t.customer_max() - likelihood) / t.customer_max();
  } else if (inferred == type::v1::RELATIONSHIP_MODE_CLIENT) {
    inside = (likelihood - t.client_min()) / (1 - t.client_min());
  } else {
    const double mid = (t.customer_max() + t.client_min()) / 2;
    const double half = (t.client_min() - t.customer_max()) / 2;
    inside = 1 - std::fabs(likelihood - mid) / half;
  }
  const double coverage = readable / kAllWeights;
  const double confidence =
      Clamp01((0.5 + 0.5 * Clamp01(inside)) * (0.4 + 0.6 * coverage));

  std::stable_sort(signals.begin(), signals.end(),
                   [](const v1::ModeSignal& a, const v1::ModeSignal& b) {
                     const double pa = std::fabs(a.lean() * a.weight());
                     const double pb = std::fabs(b.lean() * b.weight());
                     if (pa != pb) return pa > pb;
                     return a.kind() < b.kind();
                   });

  v1::ModeAssessment out;
  const RelationshipMode declared = state.profile.declared_mode();
  const bool has_declared = declared == type::v1::RELATIONSHIP_MODE_CUSTOMER ||
                            declared == type::v1::RELATIONSHIP_MODE_CLIENT;
  out.set_declared_mode(has_declared ? declared
                                     : type::v1::RELATIONSHIP_MODE_UNSPECIFIED);
  out.set_inferred_mode(inferred);
  out.set_mode(has_declared ? declared : inferred);
  out.set_confidence(has_declared ? 1.0 : confidence);
  out.set_client_likelihood(likelihood);
  for (v1::ModeSignal& s : signals) *out.add_deciding_signals() = std::move(s);
  return out;
}

}  // namespace clientele::engagement::scoring_internal

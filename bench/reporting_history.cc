#include "bench/reporting_history.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/reporting/reporting_events_for_test.h"

namespace clientele::bench {

// The event builders of reporting's tests, which publish events as the
// services do (reporting_events_for_test.h).
namespace build = reporting::testing;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kSecondUs = 1000000;
constexpr int64_t kHourUs = 3600 * kSecondUs;
constexpr int64_t kDayUs = 24 * kHourUs;

// Draws from one stream of std::mt19937_64, whose output the standard
// specifies; the transformations are written here so that they are the same
// with every standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); 0 when n <= 0.
  int64_t Below(int64_t n) {
    if (n <= 0) return 0;
    return std::min(n - 1,
                    static_cast<int64_t>(Unit() * static_cast<double>(n)));
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Unit() < p; }
  // Box-Muller; the second value is dropped to keep the stream simple.
  double Normal() {
    const double radius = std::sqrt(-2 * std::log(1 - Unit()));
    return radius * std::cos(2 * kPi * Unit());
  }
  double LogNormal(double median, double sigma) {
    return median * std::exp(sigma * Normal());
  }

 private:
  std::mt19937_64 engine_;
};

type::v1::ScoreBand BandOf(int score) {
  if (score < 30) return type::v1::SCORE_BAND_AT_RISK;
  if (score < 50) return type::v1::SCORE_BAND_NEEDS_ATTENTION;
  if (score < 75) return type::v1::SCORE_BAND_HEALTHY;
  return type::v1::SCORE_BAND_STRONG;
}

bool IsRecurring(type::v1::CommercialModel model) {
  return model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION ||
         model == type::v1::COMMERCIAL_MODEL_RETAINER;
}

std::string AccountId(int64_t i) { return absl::StrCat("a", i); }

struct Account {
  int64_t create_us = 0;
  int created_day = 0;
  int churn_day = INT_MAX;  // from that day on, mostly silent
  absl::CivilDay acquired;
  bool b2b = true;
  bool usd = false;
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_STANDARD;
  type::v1::CommercialModel model = type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE;
  int64_t recurring_minor = 0;
  int manager = -1;  // index of the account manager, -1: none
  int owner = 0;
  int billing_dom = 1;  // recurring payments on this day of the month
  std::optional<absl::CivilDay> contract_end;
  // The score as engagement last published it.
  int score = 0;
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_UNSPECIFIED;
};

struct Ticket {
  int64_t account = 0;
  int64_t create_us = 0;
  int agent = 0;
  int64_t first_response_s = 0;
  int64_t resolution_s = 0;
  int64_t first_response_target_s = 0;
  bool solved = false;
  bool pending = false;  // waiting on the customer (unsolved ones)
  type::v1::AccountTier tier = type::v1::ACCOUNT_TIER_STANDARD;
  type::v1::RelationshipMode mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
};

struct FollowUp {
  int64_t account = 0;
  std::string assignee;
  int64_t create_us = 0;
  int64_t due_us = 0;
};

struct DealStep {
  int64_t at_us = 0;
  events::v1::DealStage stage = events::v1::DEAL_STAGE_QUALIFYING;
};

struct Deal {
  int64_t account = 0;
  int64_t create_us = 0;
  int64_t amount_minor = 0;
  absl::CivilDay expected_close;
  std::string owner;
  std::vector<DealStep> plan;  // plan[0] is the creation
};

// What happens later, made into an event when its time comes (so that the
// snapshot it carries is the state then).
enum class Action {
  kFirstScore,
  kScoreChange,
  kChurnScore,  // step 1 or 2
  kAccountUpgrade,
  kContractEnd,
  kTicketAssigned,
  kTicketPending,
  kSlaBreached,  // arg: the metric
  kTicketSolved,
  kCsat,
  kFollowUpCompleted,
  kFollowUpCancelled,
  kDealStep,  // arg: the step
};

struct Scheduled {
  int64_t at_us = 0;
  int64_t seq = 0;  // ties: in the order scheduled
  Action action = Action::kFirstScore;
  int64_t index = 0;
  int64_t arg = 0;
};

struct LaterFirst {
  bool operator()(const Scheduled& a, const Scheduled& b) const {
    return a.at_us != b.at_us ? a.at_us > b.at_us : a.seq > b.seq;
  }
};

struct Pending {
  int64_t at_us = 0;
  int64_t seq = 0;
  HistoryEvent event;
};

}  // namespace

HistoryOptions ScaledHistory(double scale, uint64_t seed) {
  HistoryOptions options;
  options.seed = seed;
  options.accounts = std::max<int64_t>(1, std::llround(100000 * scale));
  options.interactions = std::llround(5000000 * scale);
  options.tickets = std::llround(200000 * scale);
  return options;
}

std::string AccountManagerId(int i) { return absl::StrCat("u-am-", i); }
std::string AgentId(int i) { return absl::StrCat("u-agent-", i); }

class ReportingHistory::Generator {
 public:
  explicit Generator(const HistoryOptions& options)
      : options_(options), rng_(options.seed) {
    MakeAccounts();
    PlanQuotas();
  }

  bool NextDay(std::vector<HistoryEvent>* out) {
    if (day_ >= options_.days) return false;
    today_.clear();
    day_start_us_ = DayStartUs(day_);
    CreateAccounts();
    RecurringPayments();
    RandomInteractions();
    NewTickets();
    NewFollowUps();
    NewDeals();
    const int64_t day_end = day_start_us_ + kDayUs;
    while (!later_.empty() && later_.top().at_us < day_end) {
      const Scheduled item = later_.top();
      later_.pop();
      Run(item);
    }
    std::stable_sort(
        today_.begin(), today_.end(), [](const Pending& a, const Pending& b) {
          return a.at_us != b.at_us ? a.at_us < b.at_us : a.seq < b.seq;
        });
    for (Pending& pending : today_) {
      HistoryEvent& event = pending.event;
      event.event.set_event_id(absl::StrCat("ev-", ++counts_.events));
      const std::string stream = event.stream;
      if (stream == "contacts") ++counts_.contacts_events;
      if (stream == "engagement") ++counts_.engagement_events;
      if (stream == "ticketing") ++counts_.ticketing_events;
      out->push_back(std::move(event));
    }
    today_.clear();
    weight_before_ += live_by_day_[day_];
    ++day_;
    return true;
  }

  absl::Time end() const {
    return absl::FromUnixMicros(DayStartUs(options_.days));
  }
  const HistoryOptions& options() const { return options_; }
  const HistoryCounts& counts() const { return counts_; }

 private:
  int64_t DayStartUs(int day) const {
    return ToMicros(
        absl::FromCivil(options_.first_day + day, absl::UTCTimeZone()));
  }
  absl::CivilDay CivilOf(int64_t us) const {
    return absl::ToCivilDay(absl::FromUnixMicros(us), absl::UTCTimeZone());
  }
  // A moment of today, not before the account's creation.
  int64_t MomentToday(int64_t account) {
    const int64_t from = std::max(day_start_us_, accounts_[account].create_us);
    return from + rng_.Below(day_start_us_ + kDayUs - from);
  }

  // ---- the population ------------------------------------------------

  void MakeAccounts() {
    const int64_t n = options_.accounts;
    base_ = std::max<int64_t>(1, n * 3 / 10);
    accounts_.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      Account& a = accounts_[i];
      if (i < base_) {
        a.created_day = 0;
        a.create_us = DayStartUs(0) + rng_.Below(8 * kHourUs);
        a.acquired = absl::CivilDay(2019, 1, 1) + rng_.Below(int64_t{5} * 365);
      } else {
        a.created_day = static_cast<int>((i - base_) * options_.days /
                                         std::max<int64_t>(1, n - base_));
        a.create_us = DayStartUs(a.created_day) + rng_.Below(kDayUs);
        a.acquired = CivilOf(a.create_us);
      }
      if (rng_.Chance(0.3)) {
        const int64_t churn = a.created_day + 30 + rng_.Below(options_.days);
        if (churn < options_.days) a.churn_day = static_cast<int>(churn);
      }
      a.b2b = rng_.Chance(0.7);
      a.usd = rng_.Chance(0.1);
      const double tier = rng_.Unit();
      a.tier = tier < 0.7    ? type::v1::ACCOUNT_TIER_STANDARD
               : tier < 0.92 ? type::v1::ACCOUNT_TIER_PREMIUM
                             : type::v1::ACCOUNT_TIER_ENTERPRISE;
      const double model = rng_.Unit();
      if (model < 0.25) {
        a.model = type::v1::COMMERCIAL_MODEL_SUBSCRIPTION;
        static constexpr int64_t kPlans[] = {2900, 4900, 9900, 19900, 49900};
        a.recurring_minor = kPlans[rng_.Below(5)];
      } else if (model < 0.35) {
        a.model = type::v1::COMMERCIAL_MODEL_RETAINER;
        static constexpr int64_t kRetainers[] = {150000, 250000, 500000};
        a.recurring_minor = kRetainers[rng_.Below(3)];
      }
      if (rng_.Chance(a.b2b ? 0.85 : 0.1)) {
        a.manager = static_cast<int>(rng_.Below(options_.account_managers));
      }
      a.owner = a.manager >= 0
                    ? a.manager
                    : static_cast<int>(rng_.Below(options_.account_managers));
      a.billing_dom = std::min(28, CivilOf(a.create_us).day());
      if (IsRecurring(a.model)) billed_on_[a.billing_dom].push_back(i);
    }
  }

  // Today's share of each total, in proportion to the accounts created by
  // then, so that each account sees about the same rate over its life.
  void PlanQuotas() {
    int64_t created = 0;
    int64_t recurring = 0;
    live_by_day_.resize(options_.days);
    for (int day = 0; day < options_.days; ++day) {
      while (created < options_.accounts &&
             accounts_[created].created_day <= day) {
        ++created;
      }
      live_by_day_[day] = created;
      total_weight_ += created;
      recurring += static_cast<int64_t>(BilledOn(day).size());
    }
    random_interactions_ =
        std::max<int64_t>(0, options_.interactions - recurring);
  }

  // The recurring accounts billed on `day`.
  std::vector<int64_t> BilledOn(int day) const {
    std::vector<int64_t> billed;
    const int dom = (options_.first_day + day).day();
    if (dom > 28) return billed;
    for (int64_t i : billed_on_[dom]) {
      const Account& a = accounts_[i];
      if (a.created_day < day && day < a.churn_day) billed.push_back(i);
    }
    return billed;
  }

  // Of `total` spread over the days, how many today (the running sums are
  // exact, so the days add up to `total`).
  int64_t Quota(int64_t total) const {
    const auto upto = [&](int64_t weight) {
      return static_cast<int64_t>(static_cast<long double>(total) * weight /
                                  std::max<int64_t>(1, total_weight_));
    };
    return upto(weight_before_ + live_by_day_[day_]) - upto(weight_before_);
  }

  // A live account for today's activity: every tenth account is a heavy
  // user; churned accounts are mostly passed over.
  int64_t PickAccount() {
    const int64_t live = live_by_day_[day_];
    int64_t pick = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
      pick = rng_.Below(live);
      if (rng_.Chance(0.5)) pick -= pick % 10;
      if (accounts_[pick].churn_day > day_) break;
    }
    return pick;
  }

  std::string CurrencyOf(const Account& a) const {
    return a.usd ? "USD" : "EUR";
  }

  build::AccountFields SnapshotOf(int64_t i, int64_t at_us) const {
    const Account& a = accounts_[i];
    build::AccountFields f;
    f.tenant = options_.tenant;
    f.id = AccountId(i);
    f.time = absl::FromUnixMicros(at_us);
    f.create_time = absl::FromUnixMicros(a.create_us);
    f.kind = a.b2b ? type::v1::ACCOUNT_KIND_ORGANIZATION
                   : type::v1::ACCOUNT_KIND_INDIVIDUAL;
    f.segment =
        a.b2b ? type::v1::ACCOUNT_SEGMENT_B2B : type::v1::ACCOUNT_SEGMENT_B2C;
    f.tier = a.tier;
    f.owner = AccountManagerId(a.owner);
    f.account_manager = a.manager >= 0 ? AccountManagerId(a.manager) : "";
    f.acquisition_date = a.acquired;
    f.model = a.model;
    f.billing_cycle = IsRecurring(a.model)
                          ? type::v1::BILLING_CYCLE_MONTHLY
                          : type::v1::BILLING_CYCLE_PER_PURCHASE;
    f.recurring_minor = a.recurring_minor;
    f.recurring_currency = CurrencyOf(a);
    if (IsRecurring(a.model)) f.contract_start = CivilOf(a.create_us);
    f.contract_end = a.contract_end;
    return f;
  }

  // ---- today's own events --------------------------------------------

  void Emit(const char* stream, int64_t at_us, events::v1::Event event) {
    Pending pending;
    pending.at_us = at_us;
    pending.seq = ++seq_;
    pending.event.stream = stream;
    pending.event.event = std::move(event);
    today_.push_back(std::move(pending));
  }

  void Schedule(int64_t at_us, Action action, int64_t index, int64_t arg = 0) {
    later_.push({at_us, ++seq_, action, index, arg});
  }

  void CreateAccounts() {
    while (next_account_ < options_.accounts &&
           accounts_[next_account_].created_day <= day_) {
      const int64_t i = next_account_++;
      const Account& a = accounts_[i];
      Emit("contacts", a.create_us,
           build::AccountCreated(SnapshotOf(i, a.create_us)));
      ++counts_.accounts;
      Schedule(a.create_us + kHourUs, Action::kFirstScore, i);
      if (rng_.Chance(0.1)) {
        Schedule(a.create_us + (30 + rng_.Below(370)) * kDayUs,
                 Action::kAccountUpgrade, i);
      }
      if (a.churn_day != INT_MAX) {
        const int64_t churn_us = DayStartUs(a.churn_day);
        if (IsRecurring(a.model)) {
          Schedule(churn_us + rng_.Below(kDayUs), Action::kContractEnd, i);
        }
        Schedule(churn_us + 30 * kDayUs, Action::kChurnScore, i, 1);
        Schedule(churn_us + 60 * kDayUs, Action::kChurnScore, i, 2);
      }
    }
  }

  void EmitInteractions(const std::vector<build::InteractionFields>& rows,
                        int64_t at_us) {
    Emit("engagement", at_us,
         build::Interactions(rows, options_.tenant,
                             absl::FromUnixMicros(at_us)));
    counts_.interactions += static_cast<int64_t>(rows.size());
    ++counts_.interaction_events;
    if (rows.size() == 1) ++counts_.single_interaction_events;
  }

  build::InteractionFields NewInteraction(int64_t account, int64_t at_us) {
    build::InteractionFields f;
    f.id = absl::StrCat("i", ++interaction_ids_);
    f.account = AccountId(account);
    f.time = absl::FromUnixMicros(at_us);
    return f;
  }

  void RecurringPayments() {
    for (int64_t i : BilledOn(day_)) {
      const Account& a = accounts_[i];
      const int64_t at = day_start_us_ + 2 * kHourUs + rng_.Below(kHourUs);
      build::InteractionFields f = NewInteraction(i, at);
      f.kind = a.model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION
                   ? events::v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT
                   : events::v1::INTERACTION_KIND_RETAINER_INVOICE;
      f.amount = a.recurring_minor;
      f.currency = CurrencyOf(a);
      if (a.model == type::v1::COMMERCIAL_MODEL_RETAINER && a.manager >= 0) {
        f.staff = AccountManagerId(a.manager);
      }
      EmitInteractions({f}, at);
    }
  }

  // What one interaction of `account` is: its kind, amount and staff.
  void Describe(int64_t account, build::InteractionFields* f) {
    const Account& a = accounts_[account];
    const double purchase =
        a.model == type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE ? 0.22 : 0.06;
    struct Share {
      events::v1::InteractionKind kind;
      double share;
    };
    const Share shares[] = {
        {events::v1::INTERACTION_KIND_PURCHASE, purchase},
        {events::v1::INTERACTION_KIND_REFUND, 0.01},
        {events::v1::INTERACTION_KIND_CALL, 0.12},
        {events::v1::INTERACTION_KIND_MEETING, 0.07},
        {events::v1::INTERACTION_KIND_VIDEO_CALL, 0.05},
        {events::v1::INTERACTION_KIND_MESSAGE, 0.08},
        {events::v1::INTERACTION_KIND_NOTE, 0.04},
        {events::v1::INTERACTION_KIND_ADVICE_SESSION, 0.02},
        {events::v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED, 0.01},
        {events::v1::INTERACTION_KIND_NEWSLETTER, 0.03},
        {events::v1::INTERACTION_KIND_PROPOSAL, 0.01},
    };
    double r = rng_.Unit();
    f->kind = events::v1::INTERACTION_KIND_EMAIL;  // the rest
    for (const Share& share : shares) {
      if (r < share.share) {
        f->kind = share.kind;
        break;
      }
      r -= share.share;
    }
    if (f->kind == events::v1::INTERACTION_KIND_PURCHASE ||
        f->kind == events::v1::INTERACTION_KIND_REFUND) {
      const double median = a.b2b ? 90000 : 6000;
      int64_t amount =
          std::max<int64_t>(100, std::llround(rng_.LogNormal(median, 0.8)));
      if (f->kind == events::v1::INTERACTION_KIND_REFUND) {
        amount = -(amount * 4 / 5);
      }
      f->amount = amount;
      f->currency = CurrencyOf(a);
    }
    if (f->kind != events::v1::INTERACTION_KIND_NEWSLETTER) {
      if (a.manager >= 0 && rng_.Chance(0.7)) {
        f->staff = AccountManagerId(a.manager);
      } else if (rng_.Chance(0.5)) {
        f->staff = AgentId(static_cast<int>(rng_.Below(options_.agents)));
      } else {
        f->staff = AccountManagerId(
            static_cast<int>(rng_.Below(options_.account_managers)));
      }
    }
    f->personalized =
        (f->kind == events::v1::INTERACTION_KIND_EMAIL && rng_.Chance(0.25)) ||
        (f->kind == events::v1::INTERACTION_KIND_MESSAGE && rng_.Chance(0.3));
  }

  void RandomInteractions() {
    const int64_t quota = Quota(random_interactions_);
    const int size = std::max(1, options_.batch_interactions);
    batch_carry_ += static_cast<double>(quota) * options_.batched_share / size;
    const int64_t batches =
        std::min(quota / size, static_cast<int64_t>(batch_carry_));
    batch_carry_ -= static_cast<double>(batches);
    for (int64_t b = 0; b < batches; ++b) {
      // A nightly import: the day's purchases and emails of many accounts.
      const int64_t at = day_start_us_ + 22 * kHourUs + rng_.Below(kHourUs);
      std::vector<build::InteractionFields> rows;
      for (int k = 0; k < size; ++k) {
        const int64_t account = PickAccount();
        const int64_t from =
            std::max(day_start_us_, accounts_[account].create_us);
        build::InteractionFields f = NewInteraction(
            account, from + rng_.Below(std::max<int64_t>(1, at - from)));
        Describe(account, &f);
        rows.push_back(std::move(f));
      }
      EmitInteractions(rows, at);
    }
    for (int64_t k = batches * size; k < quota; ++k) {
      const int64_t account = PickAccount();
      const int64_t at = MomentToday(account);
      build::InteractionFields f = NewInteraction(account, at);
      Describe(account, &f);
      EmitInteractions({f}, at);
      if (rng_.Chance(0.1)) {
        Schedule(at + int64_t{600} * kSecondUs, Action::kScoreChange, account);
      }
    }
  }

  void NewTickets() {
    const int64_t quota = Quota(options_.tickets);
    for (int64_t k = 0; k < quota; ++k) {
      const int64_t account = PickAccount();
      const Account& a = accounts_[account];
      Ticket t;
      t.account = account;
      t.create_us = MomentToday(account);
      t.agent = static_cast<int>(rng_.Below(options_.agents));
      t.tier = a.tier;
      t.mode = a.mode == type::v1::RELATIONSHIP_MODE_UNSPECIFIED
                   ? type::v1::RELATIONSHIP_MODE_CUSTOMER
                   : a.mode;
      t.first_response_target_s =
          a.tier == type::v1::ACCOUNT_TIER_ENTERPRISE ? 3600
          : a.tier == type::v1::ACCOUNT_TIER_PREMIUM  ? 2 * 3600
                                                      : 4 * 3600;
      t.first_response_s = std::clamp<int64_t>(
          std::llround(rng_.LogNormal(2 * 3600, 1.0)), 60, int64_t{5} * 86400);
      t.resolution_s =
          t.first_response_s +
          std::clamp<int64_t>(std::llround(rng_.LogNormal(20 * 3600, 1.0)), 600,
                              int64_t{30} * 86400);
      t.solved = rng_.Chance(0.92);
      t.pending = !t.solved && rng_.Chance(0.4);
      const int64_t index = static_cast<int64_t>(tickets_.size());
      tickets_.push_back(t);
      ++counts_.tickets;
      build::TicketFields f = TicketOf(index, t.create_us);
      f.status = events::v1::TICKET_STATUS_NEW;
      f.assignee.clear();
      Emit("ticketing", t.create_us, build::TicketCreated(f));
      const int64_t assign_us =
          std::min(t.create_us + t.first_response_s * kSecondUs,
                   t.create_us + (2 + rng_.Below(118)) * 60 * kSecondUs);
      Schedule(assign_us, Action::kTicketAssigned, index);
      if (t.first_response_s > t.first_response_target_s) {
        Schedule(t.create_us + t.first_response_target_s * kSecondUs,
                 Action::kSlaBreached, index,
                 events::v1::SLA_METRIC_FIRST_RESPONSE);
      }
      if (t.resolution_s > kResolutionTargetS || !t.solved) {
        Schedule(t.create_us + kResolutionTargetS * kSecondUs,
                 Action::kSlaBreached, index,
                 events::v1::SLA_METRIC_RESOLUTION);
      }
      if (t.pending) {
        Schedule(t.create_us + t.first_response_s * kSecondUs,
                 Action::kTicketPending, index);
      }
      if (t.solved) {
        const int64_t solve_us = t.create_us + t.resolution_s * kSecondUs;
        Schedule(solve_us, Action::kTicketSolved, index);
        if (rng_.Chance(0.3)) {
          Schedule(solve_us + rng_.Between(1, 72) * kHourUs, Action::kCsat,
                   index);
        }
      }
    }
  }

  // The ticket as a snapshot at `at_us` shows it (status and first response
  // left to the caller).
  build::TicketFields TicketOf(int64_t index, int64_t at_us) const {
    const Ticket& t = tickets_[index];
    build::TicketFields f;
    f.tenant = options_.tenant;
    f.id = absl::StrCat("t", index);
    f.account = AccountId(t.account);
    f.time = absl::FromUnixMicros(at_us);
    f.create_time = absl::FromUnixMicros(t.create_us);
    f.status = events::v1::TICKET_STATUS_OPEN;
    f.assignee = AgentId(t.agent);
    f.tier = t.tier;
    f.mode = t.mode;
    const int64_t responded_us = t.create_us + t.first_response_s * kSecondUs;
    if (responded_us <= at_us) {
      f.first_response_time = absl::FromUnixMicros(responded_us);
      if (t.pending) f.status = events::v1::TICKET_STATUS_PENDING;
    }
    return f;
  }

  void NewFollowUps() {
    const int64_t quota = Quota(options_.accounts / 2);
    for (int64_t k = 0; k < quota; ++k) {
      const int64_t account = PickAccount();
      const Account& a = accounts_[account];
      FollowUp fu;
      fu.account = account;
      fu.assignee =
          a.manager >= 0
              ? AccountManagerId(a.manager)
              : AgentId(static_cast<int>(rng_.Below(options_.agents)));
      fu.create_us = MomentToday(account);
      fu.due_us = fu.create_us + rng_.Between(1, 21) * kDayUs;
      const int64_t index = static_cast<int64_t>(follow_ups_.size());
      follow_ups_.push_back(fu);
      ++counts_.follow_ups;
      Emit("engagement", fu.create_us,
           build::FollowUpCreated(FollowUpOf(index, fu.create_us)));
      const double outcome = rng_.Unit();
      if (outcome < 0.75) {
        const int64_t done = std::max(
            fu.create_us + kHourUs,
            fu.due_us +
                static_cast<int64_t>(std::llround(rng_.Normal() * 2 * kDayUs)));
        Schedule(done, Action::kFollowUpCompleted, index);
      } else if (outcome < 0.85) {
        Schedule(fu.create_us + rng_.Below(fu.due_us - fu.create_us),
                 Action::kFollowUpCancelled, index);
      }
    }
  }

  build::FollowUpFields FollowUpOf(int64_t index, int64_t at_us) const {
    const FollowUp& fu = follow_ups_[index];
    build::FollowUpFields f;
    f.tenant = options_.tenant;
    f.id = absl::StrCat("f", index);
    f.account = AccountId(fu.account);
    f.assignee = fu.assignee;
    f.time = absl::FromUnixMicros(at_us);
    f.due = absl::FromUnixMicros(fu.due_us);
    return f;
  }

  void NewDeals() {
    const int64_t quota = Quota(options_.accounts / 10);
    for (int64_t k = 0; k < quota; ++k) {
      int64_t account = PickAccount();
      for (int attempt = 0; attempt < 8 && !accounts_[account].b2b; ++attempt) {
        account = PickAccount();
      }
      const Account& a = accounts_[account];
      Deal deal;
      deal.account = account;
      deal.create_us = MomentToday(account);
      deal.amount_minor =
          std::max<int64_t>(10000, std::llround(rng_.LogNormal(800000, 0.9)));
      deal.owner = AccountManagerId(a.owner);
      const int64_t close_us = deal.create_us + rng_.Between(30, 120) * kDayUs;
      deal.expected_close = CivilOf(close_us);
      deal.plan.push_back({deal.create_us, events::v1::DEAL_STAGE_QUALIFYING});
      int64_t at = deal.create_us;
      bool moving = rng_.Chance(0.7);
      if (moving) {
        at += rng_.Between(5, 25) * kDayUs;
        deal.plan.push_back({at, events::v1::DEAL_STAGE_PROPOSAL});
        if (rng_.Chance(0.65)) {
          at += rng_.Between(5, 25) * kDayUs;
          deal.plan.push_back({at, events::v1::DEAL_STAGE_NEGOTIATION});
        }
        at = std::max(at + kDayUs, close_us + rng_.Between(-10, 10) * kDayUs);
        deal.plan.push_back({at, rng_.Chance(0.55)
                                     ? events::v1::DEAL_STAGE_WON
                                     : events::v1::DEAL_STAGE_LOST});
      } else if (rng_.Chance(0.5)) {
        deal.plan.push_back(
            {at + rng_.Between(20, 60) * kDayUs, events::v1::DEAL_STAGE_LOST});
      }
      const int64_t index = static_cast<int64_t>(deals_.size());
      deals_.push_back(std::move(deal));
      ++counts_.deals;
      for (size_t step = 0; step < deals_[index].plan.size(); ++step) {
        Schedule(deals_[index].plan[step].at_us, Action::kDealStep, index,
                 static_cast<int64_t>(step));
      }
    }
  }

  // ---- what was scheduled --------------------------------------------

  void EmitScore(int64_t i, int64_t at_us, int trend,
                 std::vector<std::string> reasons) {
    const Account& a = accounts_[i];
    build::ScoreFields f;
    f.tenant = options_.tenant;
    f.account = AccountId(i);
    f.time = absl::FromUnixMicros(at_us);
    f.mode = a.mode;
    f.score = a.score;
    f.band = BandOf(a.score);
    f.reasons = std::move(reasons);
    f.trend = trend;
    Emit("engagement", at_us, build::ScoreChanged(f));
    ++counts_.score_changes;
  }

  std::vector<std::string> ReasonsFor(int score) {
    if (score >= 50) return {};
    static const char* const kReasons[] = {
        "Engagement dropped over the last 90 days",
        "Spend down on the previous quarter",
        "Two SLA breaches this month",
        "Proposal unanswered for 30 days",
    };
    std::vector<std::string> reasons = {kReasons[rng_.Below(4)]};
    if (score < 30) reasons.push_back(kReasons[rng_.Below(4)]);
    return reasons;
  }

  void Run(const Scheduled& item) {
    const int64_t at = item.at_us;
    switch (item.action) {
      case Action::kFirstScore: {
        Account& a = accounts_[item.index];
        a.score = static_cast<int>(rng_.Between(45, 64));
        a.mode =
            a.model == type::v1::COMMERCIAL_MODEL_RETAINER && rng_.Chance(0.5)
                ? type::v1::RELATIONSHIP_MODE_CLIENT
                : type::v1::RELATIONSHIP_MODE_CUSTOMER;
        EmitScore(item.index, at, 0, {});
        return;
      }
      case Action::kScoreChange: {
        Account& a = accounts_[item.index];
        if (a.mode == type::v1::RELATIONSHIP_MODE_UNSPECIFIED) return;
        const int delta =
            static_cast<int>(std::lround(rng_.Normal() * 6 + 0.8));
        a.score = std::clamp(a.score + delta, 5, 100);
        const bool steady = IsRecurring(a.model) || a.b2b;
        if (a.mode == type::v1::RELATIONSHIP_MODE_CUSTOMER && steady &&
            a.score >= 70 && rng_.Chance(0.25)) {
          a.mode = type::v1::RELATIONSHIP_MODE_TRANSITIONING;
        } else if (a.mode == type::v1::RELATIONSHIP_MODE_TRANSITIONING &&
                   a.score >= 72 && rng_.Chance(0.3)) {
          a.mode = type::v1::RELATIONSHIP_MODE_CLIENT;
        } else if (a.mode != type::v1::RELATIONSHIP_MODE_CUSTOMER &&
                   a.score < 40 && rng_.Chance(0.3)) {
          a.mode = type::v1::RELATIONSHIP_MODE_CUSTOMER;
        }
        EmitScore(item.index, at, delta, ReasonsFor(a.score));
        return;
      }
      case Action::kChurnScore: {
        Account& a = accounts_[item.index];
        if (a.mode == type::v1::RELATIONSHIP_MODE_UNSPECIFIED) return;
        const int before = a.score;
        a.score =
            item.arg == 1
                ? std::min(a.score, 45) - static_cast<int>(rng_.Below(8))
                : std::min(a.score, 28) - static_cast<int>(rng_.Below(10));
        std::vector<std::string> reasons = {item.arg == 1
                                                ? "No interaction in 30 days"
                                                : "No interaction in 60 days"};
        if (a.contract_end.has_value()) reasons.push_back("Contract ended");
        EmitScore(item.index, at, a.score - before, std::move(reasons));
        return;
      }
      case Action::kAccountUpgrade: {
        Account& a = accounts_[item.index];
        if (a.manager < 0) {
          a.manager = static_cast<int>(rng_.Below(options_.account_managers));
          a.owner = a.manager;
        } else if (a.tier != type::v1::ACCOUNT_TIER_ENTERPRISE) {
          a.tier = static_cast<type::v1::AccountTier>(a.tier + 1);
        }
        Emit("contacts", at, build::AccountUpdated(SnapshotOf(item.index, at)));
        return;
      }
      case Action::kContractEnd: {
        Account& a = accounts_[item.index];
        a.contract_end = CivilOf(at);
        Emit("contacts", at, build::AccountUpdated(SnapshotOf(item.index, at)));
        return;
      }
      case Action::kTicketAssigned: {
        build::TicketFields f = TicketOf(item.index, at);
        f.status = events::v1::TICKET_STATUS_OPEN;
        Emit("ticketing", at, build::TicketAssigned(f));
        return;
      }
      case Action::kTicketPending: {
        build::TicketFields f = TicketOf(item.index, at);
        Emit("ticketing", at,
             build::TicketStatusChanged(f, events::v1::TICKET_STATUS_OPEN));
        return;
      }
      case Action::kSlaBreached: {
        Emit("ticketing", at,
             build::SlaBreached(TicketOf(item.index, at),
                                static_cast<events::v1::SlaMetric>(item.arg),
                                absl::FromUnixMicros(at)));
        return;
      }
      case Action::kTicketSolved: {
        const Ticket& t = tickets_[item.index];
        build::SolveFields s;
        s.first_response = absl::Seconds(t.first_response_s);
        s.resolution = absl::Seconds(t.resolution_s);
        // Working hours: about a third of the elapsed time.
        s.business_first_response =
            absl::Seconds(t.first_response_s * 35 / 100);
        s.business_resolution = absl::Seconds(t.resolution_s * 35 / 100);
        const absl::Time created = absl::FromUnixMicros(t.create_us);
        build::SlaClockFields first;
        first.metric = events::v1::SLA_METRIC_FIRST_RESPONSE;
        first.breached = t.first_response_s > t.first_response_target_s;
        first.stop_time = created + *s.first_response;
        first.due = created + absl::Seconds(t.first_response_target_s);
        first.elapsed = *s.first_response;
        build::SlaClockFields resolution;
        resolution.metric = events::v1::SLA_METRIC_RESOLUTION;
        resolution.breached = t.resolution_s > kResolutionTargetS;
        resolution.stop_time = absl::FromUnixMicros(at);
        resolution.due = created + absl::Seconds(kResolutionTargetS);
        resolution.elapsed = s.resolution;
        s.sla_breached = first.breached || resolution.breached;
        s.clocks = {first, resolution};
        s.csat_survey = absl::StrCat("csatSurveys/s", item.index);
        Emit("ticketing", at, build::TicketSolved(TicketOf(item.index, at), s));
        return;
      }
      case Action::kCsat: {
        const Ticket& t = tickets_[item.index];
        build::CsatFields f;
        f.tenant = options_.tenant;
        f.survey = absl::StrCat("s", item.index);
        f.ticket = absl::StrCat("t", item.index);
        f.account = AccountId(t.account);
        f.agent = AgentId(t.agent);
        const double r = rng_.Unit();
        f.rating = r < 0.5 ? 5 : r < 0.75 ? 4 : r < 0.85 ? 3 : r < 0.92 ? 2 : 1;
        f.time = absl::FromUnixMicros(at);
        f.mode = t.mode;
        f.tier = t.tier;
        Emit("ticketing", at, build::CsatResponded(f));
        ++counts_.csat_responses;
        return;
      }
      case Action::kFollowUpCompleted: {
        build::FollowUpFields f = FollowUpOf(item.index, at);
        Emit("engagement", at, build::FollowUpCompleted(f));
        return;
      }
      case Action::kFollowUpCancelled: {
        build::FollowUpFields f = FollowUpOf(item.index, at);
        f.state = events::v1::FOLLOW_UP_STATE_CANCELLED;
        Emit("engagement", at, build::FollowUpUpdated(f));
        return;
      }
      case Action::kDealStep: {
        const Deal& deal = deals_[item.index];
        const events::v1::DealStage stage = deal.plan[item.arg].stage;
        build::DealFields f;
        f.tenant = options_.tenant;
        f.id = absl::StrCat("d", item.index);
        f.account = AccountId(deal.account);
        f.time = absl::FromUnixMicros(at);
        f.create_time = absl::FromUnixMicros(deal.create_us);
        f.stage = stage;
        f.amount = deal.amount_minor;
        f.currency = CurrencyOf(accounts_[deal.account]);
        f.expected_close = deal.expected_close;
        f.owner = deal.owner;
        switch (stage) {
          case events::v1::DEAL_STAGE_QUALIFYING:
            f.probability = 0.1;
            Emit("engagement", at, build::DealCreated(f));
            return;
          case events::v1::DEAL_STAGE_PROPOSAL:
            f.probability = 0.3;
            Emit("engagement", at, build::DealUpdated(f));
            return;
          case events::v1::DEAL_STAGE_NEGOTIATION:
            f.probability = 0.6;
            Emit("engagement", at, build::DealUpdated(f));
            return;
          case events::v1::DEAL_STAGE_WON:
            Emit("engagement", at, build::DealWon(f));
            return;
          default:
            Emit("engagement", at, build::DealLost(f));
            return;
        }
      }
    }
  }

  static constexpr int64_t kResolutionTargetS = int64_t{72} * 3600;

  const HistoryOptions options_;
  Rng rng_;
  std::vector<Account> accounts_;
  int64_t base_ = 0;
  // Recurring accounts by billing day of the month (1-28).
  std::vector<int64_t> billed_on_[29];
  std::vector<int64_t> live_by_day_;
  int64_t total_weight_ = 0;
  int64_t random_interactions_ = 0;
  std::vector<Ticket> tickets_;
  std::vector<FollowUp> follow_ups_;
  std::vector<Deal> deals_;

  int day_ = 0;
  int64_t day_start_us_ = 0;
  int64_t next_account_ = 0;
  // Quota's weight of the days before today.
  int64_t weight_before_ = 0;
  double batch_carry_ = 0;
  int64_t interaction_ids_ = 0;
  int64_t seq_ = 0;
  std::vector<Pending> today_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, LaterFirst> later_;
  HistoryCounts counts_;
};

ReportingHistory::ReportingHistory(const HistoryOptions& options)
    : generator_(std::make_unique<Generator>(options)) {}
ReportingHistory::~ReportingHistory() = default;

bool ReportingHistory::NextDay(std::vector<HistoryEvent>* out) {
  return generator_->NextDay(out);
}
absl::Time ReportingHistory::end() const { return generator_->end(); }
const HistoryOptions& ReportingHistory::options() const {
  return generator_->options();
}
const HistoryCounts& ReportingHistory::counts() const {
  return generator_->counts();
}

}  // namespace clientele::bench

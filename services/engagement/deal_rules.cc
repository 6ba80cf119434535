#include "services/engagement/deal_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/pipeline_summary.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

constexpr absl::CivilDay kEpochDay(1970, 1, 1);

}  // namespace

std::string DealName(absl::string_view id) {
  return absl::StrCat(kDeals, "/", id);
}

bool IsValidDate(const type::v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12 || date.day() < 1 || date.day() > 31) {
    return false;
  }
  // CivilDay normalizes 2023-02-30 to 2023-03-02: a real date survives.
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return day.day() == date.day() && day.month() == date.month();
}

int64_t DayOf(const type::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day()) - kEpochDay;
}

type::v1::Date DateOfDay(int64_t day) {
  const absl::CivilDay civil = kEpochDay + day;
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(civil.year()));
  date.set_month(civil.month());
  date.set_day(civil.day());
  return date;
}

int64_t UtcDayOf(absl::Time time) {
  return absl::ToCivilDay(time, absl::UTCTimeZone()) - kEpochDay;
}

absl::Time StartOfDay(int64_t day) {
  return absl::FromCivil(kEpochDay + day, absl::UTCTimeZone());
}

DayRange QuarterDays(int year, int quarter) {
  const absl::CivilMonth first(year, 3 * (quarter - 1) + 1);
  const absl::CivilMonth after = first + 3;
  return {absl::CivilDay(first) - kEpochDay,
          absl::CivilDay(after) - kEpochDay - 1};
}

bool IsOpenStage(v1::DealStage stage) {
  return stage == v1::DEAL_STAGE_QUALIFYING ||
         stage == v1::DEAL_STAGE_PROPOSAL ||
         stage == v1::DEAL_STAGE_NEGOTIATION;
}

double StageProbability(v1::DealStage stage,
                        const v1::DealStageProbabilities& probabilities) {
  switch (stage) {
    case v1::DEAL_STAGE_QUALIFYING:
      return probabilities.qualifying();
    case v1::DEAL_STAGE_PROPOSAL:
      return probabilities.proposal();
    case v1::DEAL_STAGE_NEGOTIATION:
      return probabilities.negotiation();
    case v1::DEAL_STAGE_WON:
      return 1.0;
    default:
      return 0.0;
  }
}

void SetProbability(const v1::DealStageProbabilities& probabilities,
                    v1::Deal* deal) {
  const double probability = StageProbability(deal->stage(), probabilities);
  deal->set_probability(probability);
  type::v1::Money* weighted = deal->mutable_weighted_amount();
  weighted->set_currency_code(deal->amount().currency_code());
  weighted->set_amount_minor_units(
      WeightedAmountMinor(deal->amount().amount_minor_units(), probability));
}

void CheckDeal(v1::Deal* deal, absl::string_view prefix,
               FieldViolations* violations) {
  const auto path = [&](absl::string_view field) {
    return absl::StrCat(prefix, field);
  };
  if (!deal->contact().empty() &&
      !ParseResourceName(deal->contact(), "contacts", "contact").ok()) {
    violations->Add(path("contact"), "must be \"contacts/{contact}\"");
  }
  CheckText(deal->mutable_title(), path("title"), kMaxDealTitleChars,
            /*required=*/true, /*multiline=*/false, violations);
  if (!deal->has_amount()) {
    violations->Add(path("amount"), "required: currency_code and minor units");
  } else {
    const type::v1::Money& amount = deal->amount();
    if (!IsKnownCurrency(amount.currency_code())) {
      violations->Add(path("amount.currency_code"),
                      amount.currency_code().empty()
                          ? "required: an ISO 4217 code such as \"EUR\""
                          : "not a known ISO 4217 code in upper case");
    }
    if (amount.amount_minor_units() < 0 ||
        amount.amount_minor_units() > kMaxAmountMinorUnits) {
      violations->Add(
          path("amount.amount_minor_units"),
          "must be between 0 and 1,000,000,000,000,000 minor units");
    }
  }
  if (!v1::DealKind_IsValid(deal->kind()) ||
      deal->kind() == v1::DEAL_KIND_UNSPECIFIED) {
    violations->Add(path("kind"),
                    "required: ONE_OFF_SALE, SUBSCRIPTION or RETAINER");
  }
  if (deal->stage() == v1::DEAL_STAGE_UNSPECIFIED) {
    deal->set_stage(v1::DEAL_STAGE_QUALIFYING);
  } else if (deal->stage() == v1::DEAL_STAGE_WON ||
             deal->stage() == v1::DEAL_STAGE_LOST) {
    violations->Add(path("stage"),
                    "WON and LOST are reached with CloseDeal only");
  } else if (!IsOpenStage(deal->stage())) {
    violations->Add(
        path("stage"),
        absl::StrCat("unknown value ", static_cast<int>(deal->stage())));
  }
  if (!deal->has_expected_close_date()) {
    violations->Add(path("expected_close_date"), "required");
  } else if (!IsValidDate(deal->expected_close_date())) {
    violations->Add(path("expected_close_date"),
                    "must be a real date of years 1-9999");
  }
  CheckText(deal->mutable_owner(), path("owner"), kMaxDealOwnerChars,
            /*required=*/true, /*multiline=*/false, violations);
}

void CheckDateRange(const type::v1::DateRange& range, absl::string_view field,
                    int64_t* start_day, int64_t* end_day,
                    FieldViolations* violations) {
  bool valid = true;
  if (range.has_start_date()) {
    if (IsValidDate(range.start_date())) {
      *start_day = DayOf(range.start_date());
    } else {
      violations->Add(absl::StrCat(field, ".start_date"),
                      "must be a real date of years 1-9999");
      valid = false;
    }
  }
  if (range.has_end_date()) {
    if (IsValidDate(range.end_date())) {
      *end_day = DayOf(range.end_date());
    } else {
      violations->Add(absl::StrCat(field, ".end_date"),
                      "must be a real date of years 1-9999");
      valid = false;
    }
  }
  if (valid && range.has_start_date() && range.has_end_date() &&
      *end_day < *start_day) {
    violations->Add(field, "end_date is before start_date");
  }
}

void CheckCloseRequest(const v1::CloseDealRequest& request, int64_t today,
                       std::string* close_note, FieldViolations* violations) {
  const v1::DealStage outcome = request.outcome();
  if (outcome != v1::DEAL_STAGE_WON && outcome != v1::DEAL_STAGE_LOST) {
    violations->Add("outcome", "required: DEAL_STAGE_WON or DEAL_STAGE_LOST");
  }
  if (outcome == v1::DEAL_STAGE_LOST &&
      (request.loss_reason() == v1::DEAL_LOSS_REASON_UNSPECIFIED ||
       !v1::DealLossReason_IsValid(request.loss_reason()))) {
    violations->Add("loss_reason", "required with LOST: why it was lost");
  } else if (outcome == v1::DEAL_STAGE_WON &&
             request.loss_reason() != v1::DEAL_LOSS_REASON_UNSPECIFIED) {
    violations->Add("loss_reason", "must be unset with WON");
  }
  CheckText(close_note, "close_note", kMaxDealCloseNoteChars,
            /*required=*/false, /*multiline=*/true, violations);
  if (request.has_close_date()) {
    if (!IsValidDate(request.close_date())) {
      violations->Add("close_date", "must be a real date of years 1-9999");
    } else if (DayOf(request.close_date()) > today) {
      violations->Add("close_date", "must not be after today (UTC)");
    }
  }
}

events::v1::DealSnapshot DealSnapshotOf(const v1::Deal& deal) {
  events::v1::DealSnapshot snapshot;
  snapshot.set_name(deal.name());
  snapshot.set_account(deal.account());
  snapshot.set_kind(static_cast<events::v1::DealKind>(deal.kind()));
  snapshot.set_stage(static_cast<events::v1::DealStage>(deal.stage()));
  if (deal.has_amount()) {
    *snapshot.mutable_amount() = deal.amount();
  }
  snapshot.set_probability(deal.probability());
  if (deal.has_expected_close_date()) {
    *snapshot.mutable_expected_close_date() = deal.expected_close_date();
  }
  snapshot.set_owner(deal.owner());
  snapshot.set_loss_reason(
      static_cast<events::v1::DealLossReason>(deal.loss_reason()));
  if (deal.has_close_date()) {
    *snapshot.mutable_close_date() = deal.close_date();
  }
  if (deal.has_create_time()) {
    *snapshot.mutable_create_time() = deal.create_time();
  }
  if (deal.has_update_time()) {
    *snapshot.mutable_update_time() = deal.update_time();
  }
  return snapshot;
}

}  // namespace clientele::engagement

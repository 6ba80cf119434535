#include "services/engagement/cadence_schedule.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/proto_time.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

using type::v1::RelationshipMode;

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days in `month` of a leap year: what a recurring date may name.
int MaxDay(int month) {
  constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1];
}

bool Recurs(const events::v1::GreetingDateSnapshot& greeting) {
  switch (greeting.occasion()) {
    case events::v1::GREETING_OCCASION_BIRTHDAY:
    case events::v1::GREETING_OCCASION_FOUNDING_ANNIVERSARY:
    case events::v1::GREETING_OCCASION_RELATIONSHIP_ANNIVERSARY:
      return true;
    default:
      return greeting.date().year() == 0;
  }
}

// The greeting's occurrences whose date lies in years [from_year, to_year]
// of the account's calendar, with their due times (lead_time before).
std::vector<DueTouch> GreetingOccurrences(
    const events::v1::AccountSnapshot& account, absl::Duration lead_time,
    int64_t from_year, int64_t to_year) {
  const absl::TimeZone zone = AccountTimeZone(account);
  std::vector<DueTouch> out;
  for (const events::v1::GreetingDateSnapshot& greeting :
       account.greeting_dates()) {
    const type::v1::Date& date = greeting.date();
    if (date.month() < 1 || date.month() > 12 || date.day() < 1 ||
        date.day() > MaxDay(date.month()) || date.year() < 0) {
      continue;  // contacts validates dates; an odd one is skipped
    }
    const bool recurs = Recurs(greeting);
    for (int64_t year = from_year; year <= to_year; ++year) {
      if (recurs ? year < date.year() : year != date.year()) {
        continue;
      }
      int day_of_month = date.day();
      if (date.month() == 2 && day_of_month == 29 && !IsLeapYear(year)) {
        day_of_month = 28;
      }
      DueTouch touch;
      touch.day = absl::CivilDay(year, date.month(), day_of_month);
      touch.date = absl::FromCivil(touch.day, zone);
      touch.due = touch.date - lead_time;
      touch.occasion = greeting.occasion();
      touch.occurrence = absl::StrFormat(
          "greeting/%04d-%02d-%02d/%d", touch.day.year(), touch.day.month(),
          touch.day.day(), static_cast<int>(greeting.occasion()));
      out.push_back(std::move(touch));
    }
  }
  return out;
}

// When the occurrence's day is over, in the account's calendar.
absl::Time DayEnd(const DueTouch& touch,
                  const events::v1::AccountSnapshot& account) {
  return absl::FromCivil(touch.day + 1, AccountTimeZone(account));
}

absl::Duration LeadTime(const v1::Cadence& cadence) {
  return ToDuration(cadence.lead_time());
}

void SortAndDedupe(std::vector<DueTouch>* touches) {
  std::sort(touches->begin(), touches->end(),
            [](const DueTouch& a, const DueTouch& b) {
              return std::tie(a.due, a.occurrence) <
                     std::tie(b.due, b.occurrence);
            });
  touches->erase(std::unique(touches->begin(), touches->end(),
                             [](const DueTouch& a, const DueTouch& b) {
                               return a.occurrence == b.occurrence;
                             }),
                 touches->end());
}

std::vector<DueTouch> DueNewsletter(const v1::Cadence& cadence,
                                    const CadenceHistory& history,
                                    absl::Time now) {
  const absl::Duration interval = ToDuration(cadence.interval());
  const absl::Time start = ToTime(cadence.create_time());
  if (interval <= absl::ZeroDuration() || now < start) {
    return {};
  }
  absl::Duration remainder;  // this Abseil writes it unconditionally
  const int64_t slot = absl::IDivDuration(now - start, interval, &remainder);
  const absl::Time slot_start = start + slot * interval;
  if (history.last_touch >= slot_start) {
    return {};
  }
  DueTouch touch;
  touch.occurrence = absl::StrCat("issue/", ToMicros(slot_start));
  touch.due = slot_start;
  return {std::move(touch)};
}

std::vector<DueTouch> DueGreetings(const v1::Cadence& cadence,
                                   const events::v1::AccountSnapshot& account,
                                   absl::Time now) {
  const int64_t year = absl::ToCivilYear(now, AccountTimeZone(account)).year();
  std::vector<DueTouch> due;
  for (DueTouch& touch :
       GreetingOccurrences(account, LeadTime(cadence), year - 1, year + 1)) {
    if (touch.due <= now && now < DayEnd(touch, account)) {
      due.push_back(std::move(touch));
    }
  }
  return due;
}

std::optional<DueTouch> SurveyTouch(const v1::Cadence& cadence,
                                    const CadenceHistory& history) {
  const absl::Time start = ToTime(cadence.create_time());
  DueTouch touch;
  if (cadence.mode() == type::v1::RELATIONSHIP_MODE_CLIENT) {
    const absl::Duration interval = ToDuration(cadence.interval());
    if (interval <= absl::ZeroDuration()) {
      return std::nullopt;
    }
    const absl::Time since = std::max(
        {start, history.last_survey_touch, history.last_survey_response});
    touch.due = since + interval;
    touch.occurrence = absl::StrCat("check-in/", ToMicros(touch.due));
    return touch;
  }
  if (cadence.mode() == type::v1::RELATIONSHIP_MODE_CUSTOMER) {
    if (history.last_purchase_id.empty() || history.last_purchase_surveyed) {
      return std::nullopt;
    }
    touch.due =
        history.last_purchase_time + ToDuration(cadence.delay_after_purchase());
    if (touch.due < start) {
      return std::nullopt;  // the cadence does not act on the past
    }
    touch.occurrence = PurchaseOccurrence(history.last_purchase_id);
    return touch;
  }
  return std::nullopt;
}

}  // namespace

absl::TimeZone AccountTimeZone(const events::v1::AccountSnapshot& account) {
  absl::TimeZone zone = absl::UTCTimeZone();
  const std::string& name = account.time_zone();
  // Names are looked up as files: only what IANA names use.
  const bool safe =
      !name.empty() && name.size() <= 64 && name.front() != '/' &&
      !absl::StrContains(name, "..") &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' ||
               c == '_' || c == '-' || c == '+';
      });
  if (safe && !absl::LoadTimeZone(name, &zone)) {
    zone = absl::UTCTimeZone();
  }
  return zone;
}

RelationshipMode AccountMode(const events::v1::AccountSnapshot& account,
                             RelationshipMode last_scored) {
  if (account.declared_mode() != type::v1::RELATIONSHIP_MODE_UNSPECIFIED) {
    return account.declared_mode();
  }
  if (last_scored != type::v1::RELATIONSHIP_MODE_UNSPECIFIED) {
    return last_scored;
  }
  return type::v1::RELATIONSHIP_MODE_CUSTOMER;
}

bool CadenceCovers(const v1::Cadence& cadence, absl::string_view account_id,
                   const events::v1::AccountSnapshot& account,
                   RelationshipMode mode) {
  if (!cadence.account().empty()) {
    if (IdOf(cadence.account()) != account_id) {
      return false;
    }
  } else if (cadence.segment() != type::v1::ACCOUNT_SEGMENT_UNSPECIFIED &&
             cadence.segment() != account.segment()) {
    return false;
  }
  return cadence.mode() == type::v1::RELATIONSHIP_MODE_UNSPECIFIED ||
         cadence.mode() == mode;
}

std::vector<DueTouch> DueTouches(const v1::Cadence& cadence,
                                 const events::v1::AccountSnapshot& account,
                                 const CadenceHistory& history,
                                 absl::Time now) {
  if (cadence.paused() || now < ToTime(cadence.create_time())) {
    return {};
  }
  std::vector<DueTouch> due;
  switch (cadence.kind()) {
    case v1::CADENCE_KIND_NEWSLETTER:
      due = DueNewsletter(cadence, history, now);
      break;
    case v1::CADENCE_KIND_GREETING:
      due = DueGreetings(cadence, account, now);
      break;
    case v1::CADENCE_KIND_RELATIONSHIP_SURVEY: {
      std::optional<DueTouch> survey = SurveyTouch(cadence, history);
      if (survey.has_value() && survey->due <= now) {
        due.push_back(*std::move(survey));
      }
      break;
    }
    default:
      break;
  }
  SortAndDedupe(&due);
  return due;
}

bool SurveyFatigued(const CadenceHistory& history,
                    const v1::KeepInTouch& limits) {
  return history.surveys_in_window >=
         std::max<int64_t>(1, limits.max_surveys_per_window());
}

std::optional<DueTouch> NextGreeting(const v1::Cadence& cadence,
                                     const events::v1::AccountSnapshot& account,
                                     absl::Time now, absl::Duration horizon) {
  if (cadence.kind() != v1::CADENCE_KIND_GREETING || cadence.paused()) {
    return std::nullopt;
  }
  const int64_t year = absl::ToCivilYear(now, AccountTimeZone(account)).year();
  std::vector<DueTouch> coming;
  for (DueTouch& touch :
       GreetingOccurrences(account, LeadTime(cadence), year - 1, year + 1)) {
    if (now < DayEnd(touch, account) && touch.due <= now + horizon) {
      coming.push_back(std::move(touch));
    }
  }
  if (coming.empty()) {
    return std::nullopt;
  }
  SortAndDedupe(&coming);
  return coming.front();
}

std::optional<absl::Time> NextSurveyDue(const v1::Cadence& cadence,
                                        const CadenceHistory& history) {
  if (cadence.kind() != v1::CADENCE_KIND_RELATIONSHIP_SURVEY ||
      cadence.paused()) {
    return std::nullopt;
  }
  std::optional<DueTouch> survey = SurveyTouch(cadence, history);
  if (!survey.has_value()) {
    return std::nullopt;
  }
  return survey->due;
}

std::string PurchaseOccurrence(absl::string_view interaction_id) {
  return absl::StrCat("purchase/", interaction_id);
}

std::string OccasionWords(events::v1::GreetingOccasion occasion) {
  switch (occasion) {
    case events::v1::GREETING_OCCASION_BIRTHDAY:
      return "birthday";
    case events::v1::GREETING_OCCASION_FOUNDING_ANNIVERSARY:
      return "founding anniversary";
    case events::v1::GREETING_OCCASION_RELATIONSHIP_ANNIVERSARY:
      return "relationship anniversary";
    case events::v1::GREETING_OCCASION_HOLIDAY:
      return "holiday";
    default:
      return "special date";
  }
}

}  // namespace clientele::engagement

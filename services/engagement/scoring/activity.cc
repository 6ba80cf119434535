#include "services/engagement/scoring/activity.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "common/money.h"
#include "common/proto_time.h"

namespace clientele::engagement {
bool IsRevenueKind(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_PURCHASE ||
         kind == v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT ||
         kind == v1::INTERACTION_KIND_RETAINER_INVOICE ||
         kind == v1::INTERACTION_KIND_REFUND;
}

int PersonalizationLean(v1::InteractionKind kind) {
  switch (kind) {
    case v1::INTERACTION_KIND_MEETING:
    case v1::INTERACTION_KIND_CALL:
    case v1::INTERACTION_KIND_VIDEO_CALL:
    case v1::INTERACTION_KIND_ADVICE_SESSION:
    case v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
    case v1::INTERACTION_KIND_PROPOSAL:
      return 1;
    case v1::INTERACTION_KIND_NEWSLETTER:
    case v1::INTERACTION_KIND_PURCHASE:
    case v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT:
    case v1::INTERACTION_KIND_REFUND:
    case v1::INTERACTION_KIND_GREETING:
    case v1::INTERACTION_KIND_LOYALTY_REWARD:
      return -1;
    default:
      return 0;
  }
}

bool ServedByStaff(v1::InteractionKind kind) {
  switch (kind) {
    case v1::INTERACTION_KIND_EMAIL:
    case v1::INTERACTION_KIND_CALL:
    case v1::INTERACTION_KIND_MEETING:
    case v1::INTERACTION_KIND_VIDEO_CALL:
    case v1::INTERACTION_KIND_MESSAGE:
    case v1::INTERACTION_KIND_PROPOSAL:
    case v1::INTERACTION_KIND_ADVICE_SESSION:
    case v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
      return true;
    default:
      return false;
  }
}

absl::Time WeekStart(absl::Time t) {
  const absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  const int since_monday = (static_cast<int>(absl::GetWeekday(day)) -
                            static_cast<int>(absl::Weekday::monday) + 7) %
                           7;
  return absl::FromCivil(day - since_monday, absl::UTCTimeZone());
}

void AccumulateInteraction(const v1::Interaction& interaction,
                           const std::string& currency, KindBucket* bucket) {
  const absl::Time at = ToTime(interaction.occur_time());
  bucket->count += 1;
  if (interaction.personalization() == v1::PERSONALIZATION_PERSONALIZED) {
    bucket->personalized += 1;
  } else if (interaction.personalization() == v1::PERSONALIZATION_STANDARD) {
    bucket->standard += 1;
  }
  if (interaction.direction() == v1::INTERACTION_DIRECTION_INBOUND) {
    bucket->inbound += 1;
  }
  if (interaction.has_amount() && !currency.empty() &&
      interaction.amount().currency_code() == currency) {
    bucket->amount_minor = SaturatingAdd(
        bucket->amount_minor, interaction.amount().amount_minor_units());
    bucket->amount_count += 1;
  }
  if (interaction.rating() > 0) {
    bucket->rating_sum += interaction.rating();
    bucket->rating_count += 1;
  }
  if (bucket->first_time == absl::InfinitePast() || at < bucket->first_time) {
    bucket->first_time = at;
  }
  if (at > bucket->last_time) bucket->last_time = at;
}

namespace {

// Adds one interaction at `at` to the line whose `name` is `key` in
// `lines`, creating it: a contact's or a staff member's line.
template <typename Line>
void AddToLine(std::vector<Line>* lines, std::string Line::*name,
               const std::string& key, absl::Time at) {
  auto line = std::find_if(lines->begin(), lines->end(),
                           [&](const Line& l) { return l.*name == key; });
  if (line == lines->end()) {
    lines->push_back(Line{key});
    line = lines->end() - 1;
  }
  line->count += 1;
  if (line->first_time == absl::InfinitePast() || at < line->first_time) {
    line->first_time = at;
  }
  if (at > line->last_time) line->last_time = at;
}

}  // namespace

void AddToSummary(const v1::Interaction& interaction,
                  ActivitySummary* summary) {
  const absl::Time at = ToTime(interaction.occur_time());
  if (summary->currency.empty() && interaction.has_amount()) {
    summary->currency = interaction.amount().currency_code();
  }
  const absl::Time week = WeekStart(at);
  auto it = std::lower_bound(
      summary->buckets.begin(), summary->buckets.end(),
      std::make_tuple(week, interaction.kind()),
      [](const KindBucket& b, const std::tuple<absl::Time, int>& key) {
        return std::make_tuple(b.week_start, static_cast<int>(b.kind)) < key;
      });
  if (it == summary->buckets.end() || it->week_start != week ||
      it->kind != interaction.kind()) {
    KindBucket fresh;
    fresh.week_start = week;
    fresh.kind = interaction.kind();
    it = summary->buckets.insert(it, fresh);
  }
  AccumulateInteraction(interaction, summary->currency, &*it);

  if (!interaction.contact().empty()) {
    AddToLine(&summary->contacts, &ContactActivity::contact,
              interaction.contact(), at);
  }
  if (!interaction.staff_user().empty() && ServedByStaff(interaction.kind())) {
    AddToLine(&summary->staff, &StaffActivity::staff_user,
              interaction.staff_user(), at);
  }
  if (summary->first_interaction_time == absl::InfinitePast() ||
      at < summary->first_interaction_time) {
    summary->first_interaction_time = at;
  }
  summary->total_count += 1;
}

}  // namespace clientele::engagement

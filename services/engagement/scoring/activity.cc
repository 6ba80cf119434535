#include "services/engagement/scoring/activity.h"

#include <algorithm>
#include <tuple>

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
    auto c = std::find_if(summary->contacts.begin(), summary->contacts.end(),
                          [&](const ContactActivity& a) {
                            return a.contact == interaction.contact();
                          });
    if (c == summary->contacts.end()) {
      summary->contacts.push_back({interaction.contact()});
      c = summary->contacts.end() - 1;
    }
    c->count += 1;
    if (c->first_time == absl::InfinitePast() || at < c->first_time) {
      c->first_time = at;
    }
    if (at > c->last_time) c->last_time = at;
  }
  if (summary->first_interaction_time == absl::InfinitePast() ||
      at < summary->first_interaction_time) {
    summary->first_interaction_time = at;
  }
  summary->total_count += 1;
}

}  // namespace clientele::engagement

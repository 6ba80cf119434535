#include "services/engagement/interaction_rules.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "services/engagement/interaction_store.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {
namespace {

bool IsTicketKind(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_TICKET_OPENED ||
         kind == v1::INTERACTION_KIND_TICKET_SOLVED ||
         kind == v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE ||
         kind == v1::INTERACTION_KIND_TICKET_SLA_BREACHED;
}

// Revenue kinds and proposals (which quote a price).
bool CarriesMoney(v1::InteractionKind kind) {
  return IsRevenueKind(kind) || kind == v1::INTERACTION_KIND_PROPOSAL;
}

bool CarriesRating(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_SURVEY_RESPONSE ||
         kind == v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE;
}

}  // namespace

v1::Personalization DefaultPersonalization(v1::InteractionKind kind) {
  return PersonalizationLean(kind) > 0 ? v1::PERSONALIZATION_PERSONALIZED
                                       : v1::PERSONALIZATION_STANDARD;
}

void CheckInteraction(const v1::Interaction& interaction,
                      absl::string_view prefix, absl::Time now,
                      bool from_ticketing, FieldViolations* violations) {
  auto field = [&](absl::string_view name) {
    return absl::StrCat(prefix, ".", name);
  };
  auto account =
      ParseResourceName(interaction.account(), "accounts", field("account"));
  if (!account.ok()) {
    violations->Add(field("account"), account.status().message());
  }
  if (!interaction.contact().empty()) {
    auto contact =
        ParseResourceName(interaction.contact(), "contacts", field("contact"));
    if (!contact.ok()) {
      violations->Add(field("contact"), contact.status().message());
    }
  }
  const v1::InteractionKind kind = interaction.kind();
  if (kind == v1::INTERACTION_KIND_UNSPECIFIED ||
      !v1::InteractionKind_IsValid(kind)) {
    violations->Add(field("kind"),
                    "required: one of the InteractionKind values");
  } else if (IsTicketKind(kind) && !from_ticketing) {
    violations->Add(field("kind"),
                    "TICKET_* kinds are recorded by engagement from "
                    "ticketing's events, not by clients");
  }
  if (!interaction.has_occur_time()) {
    violations->Add(field("occur_time"), "required");
  } else if (!IsValidTimestamp(interaction.occur_time())) {
    violations->Add(field("occur_time"), "not a valid timestamp");
  } else if (ToTime(interaction.occur_time()) > now + kClockSkewAllowance) {
    violations->Add(field("occur_time"),
                    "in the future (more than 5 minutes after the server's "
                    "clock)");
  }
  if (interaction.direction() == v1::INTERACTION_DIRECTION_UNSPECIFIED ||
      !v1::InteractionDirection_IsValid(interaction.direction())) {
    violations->Add(field("direction"),
                    "required: INBOUND, OUTBOUND or INTERNAL");
  }
  if (interaction.channel() == v1::INTERACTION_CHANNEL_UNSPECIFIED ||
      !v1::InteractionChannel_IsValid(interaction.channel())) {
    violations->Add(field("channel"),
                    "required: one of the InteractionChannel values");
  }
  if (CodePointCount(interaction.staff_user()) > kMaxStaffUserChars) {
    violations->Add(field("staff_user"), "at most 128 characters");
  }
  if (IsRevenueKind(kind) && !interaction.has_amount()) {
    violations->Add(field("amount"),
                    "required for purchases, subscription payments, retainer "
                    "invoices and refunds");
  }
  if (interaction.has_amount()) {
    const auto& amount = interaction.amount();
    if (!IsKnownCurrency(amount.currency_code())) {
      violations->Add(field("amount.currency_code"),
                      "not an ISO 4217 currency code such as \"EUR\"");
    }
    if (kind != v1::INTERACTION_KIND_UNSPECIFIED && !CarriesMoney(kind)) {
      violations->Add(field("amount"),
                      "only purchases, subscription payments, retainer "
                      "invoices, refunds and proposals carry an amount");
    } else if (!IsAmountInRange(amount.amount_minor_units())) {
      violations->Add(field("amount.amount_minor_units"),
                      kAmountRangeDescription);
    } else if (kind == v1::INTERACTION_KIND_REFUND &&
               amount.amount_minor_units() > 0) {
      violations->Add(field("amount.amount_minor_units"),
                      "a refund's amount is negative (or zero)");
    } else if (kind != v1::INTERACTION_KIND_REFUND &&
               amount.amount_minor_units() < 0) {
      violations->Add(field("amount.amount_minor_units"),
                      "negative only for REFUND");
    }
  }
  if (!v1::Personalization_IsValid(interaction.personalization())) {
    violations->Add(field("personalization"), "not a Personalization value");
  }
  if (CodePointCount(interaction.summary()) > kMaxSummaryChars) {
    violations->Add(field("summary"), "at most 2,000 characters");
  }
  if (interaction.has_duration()) {
    if (!IsValidDuration(interaction.duration()) ||
        ToDuration(interaction.duration()) < absl::ZeroDuration() ||
        ToDuration(interaction.duration()) > absl::Hours(24)) {
      violations->Add(field("duration"), "between 0 and 24 hours");
    }
  }
  if (CodePointCount(interaction.source_ref()) > kMaxSourceRefChars) {
    violations->Add(field("source_ref"), "at most 256 characters");
  }
  if (interaction.rating() != 0) {
    if (!CarriesRating(kind)) {
      violations->Add(field("rating"),
                      "only SURVEY_RESPONSE and TICKET_CSAT_RESPONSE carry a "
                      "rating");
    } else if (interaction.rating() < 1 || interaction.rating() > 5) {
      violations->Add(field("rating"), "between 1 and 5");
    }
  }
}

std::vector<std::string> TimelineCursor::KeyOf(
    const v1::Interaction& interaction) {
  return {absl::StrCat(ToMicros(ToTime(interaction.occur_time()))),
          IdOf(interaction.name())};
}

absl::StatusOr<TimelineCursor> TimelineCursor::FromKey(
    const std::vector<std::string>& key, absl::string_view mismatch) {
  TimelineCursor cursor;
  if (key.size() != 2 || !absl::SimpleAtoi(key[0], &cursor.occur_us)) {
    return InvalidFieldError("page_token", mismatch);
  }
  cursor.id = key[1];
  return cursor;
}

}  // namespace clientele::engagement

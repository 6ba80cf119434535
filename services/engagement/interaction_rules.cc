#include "services/engagement/interaction_rules.h"

#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/validation.h"

namespace clientele::engagement {
namespace {

bool IsTicketKind(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_TICKET_OPENED ||
         kind == v1::INTERACTION_KIND_TICKET_SOLVED ||
         kind == v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE ||
         kind == v1::INTERACTION_KIND_TICKET_SLA_BREACHED;
}

bool CarriesMoney(v1::InteractionKind kind) {
  switch (kind) {
    case v1::INTERACTION_KIND_PURCHASE:
    case v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT:
    case v1::INTERACTION_KIND_RETAINER_INVOICE:
    case v1::INTERACTION_KIND_REFUND:
    case v1::INTERACTION_KIND_PROPOSAL:
      return true;
    default:
      return false;
  }
}

bool CarriesRating(v1::InteractionKind kind) {
  return kind == v1::INTERACTION_KIND_SURVEY_RESPONSE ||
         kind == v1::INTERACTION_KIND_TICKET_CSAT_RESPONSE;
}

// Characters, not bytes: the limits are what a person counts.
int64_t Utf8Length(absl::string_view text) {
  int64_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string IdOf(absl::string_view name) {
  const size_t slash = name.find('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

v1::Personalization DefaultPersonalization(v1::InteractionKind kind) {
  switch (kind) {
    case v1::INTERACTION_KIND_MEETING:
    case v1::INTERACTION_KIND_CALL:
    case v1::INTERACTION_KIND_VIDEO_CALL:
    case v1::INTERACTION_KIND_ADVICE_SESSION:
    case v1::INTERACTION_KIND_CUSTOM_WORK_DELIVERED:
    case v1::INTERACTION_KIND_PROPOSAL:
      return v1::PERSONALIZATION_PERSONALIZED;
    default:
      return v1::PERSONALIZATION_STANDARD;
  }
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
  if (Utf8Length(interaction.staff_user()) > kMaxStaffUserChars) {
    violations->Add(field("staff_user"), "at most 128 characters");
  }
  const bool amount_required =
      kind == v1::INTERACTION_KIND_PURCHASE ||
      kind == v1::INTERACTION_KIND_SUBSCRIPTION_PAYMENT ||
      kind == v1::INTERACTION_KIND_RETAINER_INVOICE ||
      kind == v1::INTERACTION_KIND_REFUND;
  if (amount_required && !interaction.has_amount()) {
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
  if (Utf8Length(interaction.summary()) > kMaxSummaryChars) {
    violations->Add(field("summary"), "at most 2,000 characters");
  }
  if (interaction.has_duration()) {
    if (!IsValidDuration(interaction.duration()) ||
        ToDuration(interaction.duration()) < absl::ZeroDuration() ||
        ToDuration(interaction.duration()) > absl::Hours(24)) {
      violations->Add(field("duration"), "between 0 and 24 hours");
    }
  }
  if (Utf8Length(interaction.source_ref()) > kMaxSourceRefChars) {
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

}  // namespace clientele::engagement

#include "services/contacts/account_rules.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/money.h"
#include "google/protobuf/repeated_field.h"
#include "services/contacts/field_checks.h"

namespace clientele::contacts {
namespace {

using ::clientele::type::v1::BillingCycle;
using ::clientele::type::v1::CommercialModel;

constexpr absl::string_view kUpdatable[] = {
    "display_name",
    "kind",
    "segment",
    "tier",
    "commercial_terms",
    "commercial_terms.model",
    "commercial_terms.billing_cycle",
    "commercial_terms.recurring_amount",
    "commercial_terms.contract_start_date",
    "commercial_terms.contract_end_date",
    "commercial_terms.auto_renew",
    "acquisition_date",
    "lifecycle_stage",
    "owner",
    "account_manager",
    "declared_mode",
    "tags",
    "declared_needs",
    "locale",
    "time_zone",
    "greeting_dates",
};
constexpr absl::string_view kOutputOnly[] = {"name", "create_time",
                                             "update_time", "etag"};

template <typename IsValid>
void CheckEnum(int value, bool required, IsValid is_valid,
               absl::string_view path, FieldViolations* violations) {
  if (!is_valid(value)) {
    violations->Add(path, absl::StrCat("unknown value ", value));
  } else if (required && value == 0) {
    violations->Add(path, "required");
  }
}

void CheckCommercialTerms(v1::CommercialTerms* terms, const std::string& p,
                          FieldViolations* violations) {
  CheckEnum(terms->model(), true, type::v1::CommercialModel_IsValid,
            p + "model", violations);
  CheckEnum(terms->billing_cycle(), false, type::v1::BillingCycle_IsValid,
            p + "billing_cycle", violations);
  const bool recurring =
      terms->model() == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION ||
      terms->model() == type::v1::COMMERCIAL_MODEL_RETAINER;
  if (recurring &&
      terms->billing_cycle() == type::v1::BILLING_CYCLE_UNSPECIFIED) {
    violations->Add(p + "billing_cycle",
                    "required for SUBSCRIPTION and RETAINER");
  }
  if (terms->model() == type::v1::COMMERCIAL_MODEL_PAY_PER_PURCHASE) {
    if (terms->billing_cycle() != type::v1::BILLING_CYCLE_UNSPECIFIED &&
        terms->billing_cycle() != type::v1::BILLING_CYCLE_PER_PURCHASE) {
      violations->Add(p + "billing_cycle",
                      "must be unset or PER_PURCHASE for PAY_PER_PURCHASE");
    }
    if (terms->has_recurring_amount()) {
      violations->Add(p + "recurring_amount",
                      "must be unset for PAY_PER_PURCHASE");
    }
  }
  if (terms->has_recurring_amount()) {
    const auto& amount = terms->recurring_amount();
    if (!IsKnownCurrency(amount.currency_code())) {
      violations->Add(p + "recurring_amount.currency_code",
                      "must be an ISO 4217 code in upper case, e.g. \"EUR\"");
    }
    if (amount.amount_minor_units() < 0) {
      violations->Add(p + "recurring_amount.amount_minor_units",
                      "must not be negative");
    } else if (!IsAmountInRange(amount.amount_minor_units())) {
      violations->Add(p + "recurring_amount.amount_minor_units",
                      kAmountRangeDescription);
    }
  }
  const bool start_ok = !terms->has_contract_start_date() ||
                        CheckDate(terms->contract_start_date(),
                                  p + "contract_start_date", false, violations);
  const bool end_ok = !terms->has_contract_end_date() ||
                      CheckDate(terms->contract_end_date(),
                                p + "contract_end_date", false, violations);
  if (start_ok && end_ok && terms->has_contract_start_date() &&
      terms->has_contract_end_date() &&
      CompareDates(terms->contract_end_date(), terms->contract_start_date()) <
          0) {
    violations->Add(p + "contract_end_date",
                    "must not be before contract_start_date");
  }
}

// A list of short labels (tags, declared needs): at most `max_count`, each
// 1-`max_chars` characters after trimming; normalized to lower case with
// duplicates removed, first occurrence kept.
void CheckLabels(google::protobuf::RepeatedPtrField<std::string>* labels,
                 const std::string& path, int max_count, int max_chars,
                 absl::string_view what, FieldViolations* violations) {
  if (labels->size() > max_count) {
    violations->Add(path, absl::StrCat("at most ", max_count, " ", what));
    return;
  }
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> kept;
  for (int i = 0; i < labels->size(); ++i) {
    std::string label = labels->Get(i);
    if (!CheckText(&label, absl::StrCat(path, "[", i, "]"), max_chars, true,
                   violations)) {
      continue;
    }
    label = LowerCase(label);
    if (seen.insert(label).second) {
      kept.push_back(std::move(label));
    }
  }
  labels->Clear();
  for (std::string& label : kept) {
    labels->Add(std::move(label));
  }
}

// Everything but display_name and kind.
void CheckCommon(v1::Account* account, const std::string& p, absl::Time now,
                 FieldViolations* violations) {
  CheckEnum(account->segment(), true, type::v1::AccountSegment_IsValid,
            p + "segment", violations);
  CheckEnum(account->tier(), true, type::v1::AccountTier_IsValid, p + "tier",
            violations);
  CheckEnum(account->lifecycle_stage(), true, type::v1::LifecycleStage_IsValid,
            p + "lifecycle_stage", violations);
  CheckEnum(account->declared_mode(), false, type::v1::RelationshipMode_IsValid,
            p + "declared_mode", violations);
  if (account->declared_mode() == type::v1::RELATIONSHIP_MODE_TRANSITIONING) {
    violations->Add(p + "declared_mode",
                    "TRANSITIONING is inferred only; declare CUSTOMER or "
                    "CLIENT, or leave it unset");
  }
  if (account->has_commercial_terms()) {
    CheckCommercialTerms(account->mutable_commercial_terms(),
                         p + "commercial_terms.", violations);
  }
  if (account->has_acquisition_date() &&
      CheckDate(account->acquisition_date(), p + "acquisition_date", false,
                violations)) {
    // A day of slack: "today" depends on where the caller is.
    if (CompareDates(account->acquisition_date(),
                     DateAt(now + absl::Hours(24), "")) > 0) {
      violations->Add(p + "acquisition_date", "must not be in the future");
    }
  }
  CheckText(account->mutable_owner(), p + "owner", kMaxStaffIdChars, false,
            violations);
  CheckText(account->mutable_account_manager(), p + "account_manager",
            kMaxStaffIdChars, false, violations);

  CheckLabels(account->mutable_tags(), p + "tags", kMaxTags, kMaxTagChars,
              "tags", violations);
  CheckLabels(account->mutable_declared_needs(), p + "declared_needs",
              kMaxDeclaredNeeds, kMaxDeclaredNeedChars, "declared needs",
              violations);

  if (!account->locale().empty() && !IsValidLocale(account->locale())) {
    violations->Add(p + "locale", "must be a BCP 47 tag, e.g. \"tr-TR\"");
  }
  if (!account->time_zone().empty() && !IsValidTimeZone(account->time_zone())) {
    violations->Add(p + "time_zone",
                    "must be an IANA time zone, e.g. \"Europe/Istanbul\"");
  }

  if (account->greeting_dates_size() > kMaxGreetingDates) {
    violations->Add(p + "greeting_dates",
                    absl::StrCat("at most ", kMaxGreetingDates, " dates"));
    return;
  }
  for (int i = 0; i < account->greeting_dates_size(); ++i) {
    v1::GreetingDate* greeting = account->mutable_greeting_dates(i);
    const std::string gp = absl::StrCat(p, "greeting_dates[", i, "].");
    CheckEnum(greeting->occasion(), true, v1::GreetingOccasion_IsValid,
              gp + "occasion", violations);
    if (!greeting->has_date()) {
      violations->Add(gp + "date", "required");
    } else {
      CheckDate(greeting->date(), gp + "date", true, violations);
    }
    CheckText(greeting->mutable_label(), gp + "label", kMaxGreetingLabelChars,
              false, violations);
  }
}

}  // namespace

absl::Span<const absl::string_view> AccountUpdatablePaths() {
  return kUpdatable;
}
absl::Span<const absl::string_view> AccountOutputOnlyPaths() {
  return kOutputOnly;
}

void CheckAccount(v1::Account* account, absl::string_view prefix,
                  absl::Time now, FieldViolations* violations) {
  const std::string p(prefix);
  CheckText(account->mutable_display_name(), p + "display_name",
            kMaxDisplayNameChars, true, violations);
  CheckEnum(account->kind(), true, type::v1::AccountKind_IsValid, p + "kind",
            violations);
  CheckCommon(account, p, now, violations);
}

void CheckAccountTemplate(v1::Account* account, absl::string_view prefix,
                          absl::Time now, FieldViolations* violations) {
  CheckCommon(account, std::string(prefix), now, violations);
}

}  // namespace clientele::contacts

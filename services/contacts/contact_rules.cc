#include "services/contacts/contact_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/text.h"

namespace clientele::contacts {
namespace {

constexpr absl::string_view kUpdatable[] = {
    "account",
    "given_name",
    "family_name",
    "display_name",
    "job_title",
    "emails",
    "phones",
    "roles",
    "marketing_consent",
    "marketing_consent.state",
    "marketing_consent.decide_time",
    "marketing_consent.source",
    "locale",
    "birthday",
};
constexpr absl::string_view kOutputOnly[] = {"name", "create_time",
                                             "update_time", "etag"};
constexpr absl::string_view kMergeable[] = {
    "given_name", "family_name", "display_name",      "job_title",
    "locale",     "birthday",    "marketing_consent",
};

// Languages whose names are written family name first.
bool FamilyNameFirst(absl::string_view locale) {
  for (absl::string_view language : {"zh", "ja", "ko", "hu", "vi"}) {
    if (locale == language ||
        absl::StartsWith(locale, absl::StrCat(language, "-"))) {
      return true;
    }
  }
  return false;
}

std::string BuildDisplayName(const v1::Contact& contact) {
  const std::string& given = contact.given_name();
  const std::string& family = contact.family_name();
  if (given.empty()) return family;
  if (family.empty()) return given;
  if (FamilyNameFirst(contact.locale())) {
    // Chinese, Japanese and Korean names are written without a space.
    const bool no_space = !absl::StartsWith(contact.locale(), "hu") &&
                          !absl::StartsWith(contact.locale(), "vi");
    return absl::StrCat(family, no_space ? "" : " ", given);
  }
  return absl::StrCat(given, " ", family);
}

template <typename IsValid>
bool CheckEnum(int value, IsValid is_valid, absl::string_view path,
               FieldViolations* violations) {
  if (!is_valid(value)) {
    violations->Add(path, absl::StrCat("unknown value ", value));
    return false;
  }
  return true;
}

void CheckEmails(v1::Contact* contact, const std::string& p,
                 FieldViolations* violations) {
  if (contact->emails_size() > kMaxEmails) {
    violations->Add(p + "emails", absl::StrCat("at most ", kMaxEmails));
    return;
  }
  absl::flat_hash_set<std::string> keys;
  int primaries = 0;
  for (int i = 0; i < contact->emails_size(); ++i) {
    v1::ContactEmail* email = contact->mutable_emails(i);
    const std::string ep = absl::StrCat(p, "emails[", i, "].");
    if (CheckText(email->mutable_address(), ep + "address", kMaxEmailChars,
                  true, violations)) {
      auto key = NormalizeEmail(email->address());
      if (!key.ok()) {
        violations->Add(ep + "address",
                        absl::StrCat("not a valid email address: ",
                                     key.status().message()));
      } else if (!keys.insert(*key).second) {
        violations->Add(ep + "address", "the same address is listed twice");
      }
    }
    CheckEnum(email->label(), v1::ContactPointLabel_IsValid, ep + "label",
              violations);
    if (email->primary() && ++primaries == 2) {
      violations->Add(ep + "primary", "at most one email may be primary");
    }
  }
}

void CheckPhones(v1::Contact* contact, const std::string& p,
                 FieldViolations* violations) {
  if (contact->phones_size() > kMaxPhones) {
    violations->Add(p + "phones", absl::StrCat("at most ", kMaxPhones));
    return;
  }
  absl::flat_hash_set<std::string> numbers;
  int primaries = 0;
  for (int i = 0; i < contact->phones_size(); ++i) {
    v1::ContactPhone* phone = contact->mutable_phones(i);
    const std::string pp = absl::StrCat(p, "phones[", i, "].");
    absl::StatusOr<std::string> number =
        absl::InvalidArgumentError("not text, or too long");
    if (IsValidText(phone->number()) && phone->number().size() <= 64) {
      number = NormalizePhone(phone->number());
    }
    if (!number.ok()) {
      violations->Add(pp + "number", "must be E.164: \"+\" and 8-15 digits");
    } else if (!numbers.insert(*number).second) {
      violations->Add(pp + "number", "the same number is listed twice");
    } else {
      phone->set_number(*number);
    }
    CheckEnum(phone->label(), v1::ContactPointLabel_IsValid, pp + "label",
              violations);
    if (phone->primary() && ++primaries == 2) {
      violations->Add(pp + "primary", "at most one phone may be primary");
    }
  }
}

}  // namespace

std::string NameKey(absl::string_view given, absl::string_view family,
                    absl::string_view display) {
  if (given.empty() && family.empty()) return SearchKey(display);
  if (given.empty()) return SearchKey(family);
  if (family.empty()) return SearchKey(given);
  return SearchKey(absl::StrCat(given, " ", family));
}

absl::Span<const absl::string_view> ContactUpdatablePaths() {
  return kUpdatable;
}
absl::Span<const absl::string_view> ContactOutputOnlyPaths() {
  return kOutputOnly;
}
absl::Span<const absl::string_view> ContactMergeablePaths() {
  return kMergeable;
}

void CheckContact(v1::Contact* contact, absl::string_view prefix,
                  absl::Time now, bool require_account,
                  FieldViolations* violations) {
  const std::string p(prefix);
  if (contact->account().empty()) {
    if (require_account) violations->Add(p + "account", "required");
  } else if (!ParseResourceName(contact->account(), "accounts", "account")
                  .ok()) {
    violations->Add(p + "account", "must be \"accounts/{account}\"");
  }
  const bool given_ok =
      CheckText(contact->mutable_given_name(), p + "given_name",
                kMaxPersonNameChars, false, violations);
  const bool family_ok =
      CheckText(contact->mutable_family_name(), p + "family_name",
                kMaxPersonNameChars, false, violations);
  const bool display_ok =
      CheckText(contact->mutable_display_name(), p + "display_name",
                kMaxContactDisplayNameChars, false, violations);
  CheckText(contact->mutable_job_title(), p + "job_title", kMaxJobTitleChars,
            false, violations);
  const bool locale_ok =
      contact->locale().empty() || IsValidLocale(contact->locale());
  if (!locale_ok) {
    violations->Add(p + "locale", "must be a BCP 47 tag, e.g. \"ru-RU\"");
  }
  if (given_ok && family_ok && display_ok) {
    if (contact->given_name().empty() && contact->family_name().empty() &&
        contact->display_name().empty()) {
      violations->Add(p + "given_name",
                      "at least one of given_name, family_name and "
                      "display_name is required");
    } else if (contact->display_name().empty() && locale_ok) {
      contact->set_display_name(BuildDisplayName(*contact));
    }
  }
  CheckEmails(contact, p, violations);
  CheckPhones(contact, p, violations);

  int64_t roles = 0;
  for (int i = 0; i < contact->roles_size(); ++i) {
    const std::string rp = absl::StrCat(p, "roles[", i, "]");
    const int role = contact->roles(i);
    if (!CheckEnum(role, v1::ContactRole_IsValid, rp, violations)) continue;
    if (role == v1::CONTACT_ROLE_UNSPECIFIED) {
      violations->Add(rp, "must not be CONTACT_ROLE_UNSPECIFIED");
    } else if ((roles & RoleBit(role)) != 0) {
      violations->Add(rp, "each role at most once");
    }
    roles |= RoleBit(role);
  }

  if (contact->has_marketing_consent()) {
    v1::MarketingConsent* consent = contact->mutable_marketing_consent();
    const std::string cp = p + "marketing_consent.";
    CheckEnum(consent->state(), v1::ConsentState_IsValid, cp + "state",
              violations);
    if (consent->has_decide_time()) {
      if (!IsValidTimestamp(consent->decide_time())) {
        violations->Add(cp + "decide_time", "not a valid timestamp");
      } else if (ToTime(consent->decide_time()) > now + absl::Minutes(5)) {
        violations->Add(cp + "decide_time", "must not be in the future");
      }
    } else if (consent->state() != v1::CONSENT_STATE_UNSPECIFIED) {
      violations->Add(cp + "decide_time", "required when state is set");
    }
    CheckText(consent->mutable_source(), cp + "source", kMaxConsentSourceChars,
              false, violations);
  }

  if (contact->has_birthday() &&
      CheckDate(contact->birthday(), p + "birthday", true, violations) &&
      contact->birthday().year() != 0 &&
      CompareDates(contact->birthday(), DateAt(now + absl::Hours(24), "")) >
          0) {
    violations->Add(p + "birthday", "must not be in the future");
  }
}

ContactKeys KeysOf(const v1::Contact& contact) {
  ContactKeys keys;
  for (const v1::ContactEmail& email : contact.emails()) {
    auto key = NormalizeEmail(email.address());
    if (key.ok()) keys.email_keys.push_back(*std::move(key));
  }
  for (const v1::ContactPhone& phone : contact.phones()) {
    keys.phones.push_back(phone.number());
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string* text : {&contact.given_name(), &contact.family_name(),
                                  &contact.display_name()}) {
    for (std::string& term : SearchTerms(*text)) {
      if (seen.insert(term).second) keys.terms.push_back(std::move(term));
    }
  }
  keys.name_key = NameKey(contact.given_name(), contact.family_name(),
                          contact.display_name());
  for (int role : contact.roles()) keys.role_bits |= RoleBit(role);
  return keys;
}

}  // namespace clientele::contacts

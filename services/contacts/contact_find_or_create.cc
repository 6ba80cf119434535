// ContactManager::FindOrCreate: how support intake turns a form's name and
// email into a contact, creating the person as a B2C customer when contacts
// does not know them yet.
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/contacts/account_rules.h"
#include "services/contacts/contact_manager.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"
#include "services/contacts/text.h"

namespace clientele::contacts {
namespace {

// Characters (code points) of valid UTF-8 `text`, as CheckText counts them.
int Characters(absl::string_view text) {
  int count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// The contact a form's `display_name` and `email` describe: given and family
// name split at the last space ("Ayşe Nur Yılmaz" -> "Ayşe Nur", "Yılmaz"),
// a single word as the given name. A part too long for a name field is left
// out: the display name still carries the whole name.
v1::Contact ContactOf(absl::string_view display_name, absl::string_view email) {
  v1::Contact contact;
  contact.set_display_name(std::string(display_name));
  const size_t space = display_name.rfind(' ');
  absl::string_view given = display_name;
  absl::string_view family;
  if (space != absl::string_view::npos) {
    given = absl::StripAsciiWhitespace(display_name.substr(0, space));
    family = absl::StripAsciiWhitespace(display_name.substr(space + 1));
  }
  if (Characters(given) <= kMaxPersonNameChars &&
      Characters(family) <= kMaxPersonNameChars) {
    contact.set_given_name(std::string(given));
    contact.set_family_name(std::string(family));
  }
  v1::ContactEmail* address = contact.add_emails();
  address->set_address(std::string(email));
  address->set_primary(true);
  return contact;
}

// A person who wrote to support and is not known yet: a one-off buyer until
// their interactions say otherwise (the relationship mode is left to
// engagement to infer, not declared).
v1::Account IndividualAccountOf(absl::string_view display_name) {
  v1::Account account;
  account.set_display_name(std::string(display_name));
  account.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  account.set_segment(type::v1::ACCOUNT_SEGMENT_B2C);
  account.set_tier(type::v1::ACCOUNT_TIER_STANDARD);
  account.set_lifecycle_stage(type::v1::LIFECYCLE_STAGE_ACTIVE);
  return account;
}

}  // namespace

absl::StatusOr<v1::FindOrCreateContactResponse> ContactManager::FindOrCreate(
    const Caller& caller, const v1::FindOrCreateContactRequest& request) {
  const absl::Time now = deps_.clock->Now();
  FieldViolations violations;
  std::string email = request.email();
  std::string email_key;
  if (CheckText(&email, "email", kMaxEmailChars, /*required=*/true,
                &violations)) {
    absl::StatusOr<std::string> key = NormalizeEmail(email);
    if (key.ok()) {
      email_key = *std::move(key);
    } else {
      violations.Add("email", absl::StrCat("not a valid email address: ",
                                           key.status().message()));
    }
  }
  std::string display_name = request.display_name();
  CheckText(&display_name, "display_name", kMaxContactDisplayNameChars,
            /*required=*/true, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  // Built and checked before the write lock; used only when nobody holds
  // the email.
  v1::Account account = IndividualAccountOf(display_name);
  v1::Contact contact = ContactOf(display_name, email);
  CheckAccount(&account, "", now, &violations);
  CheckContact(&contact, "", now, /*require_account=*/false, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const ContactKeys keys = KeysOf(contact);
  account.set_name(AccountName(deps_.ids->NewId()));
  StampAccount(deps_, now, /*created=*/true, &account);
  *account.mutable_acquisition_date() = DateAt(now, account.time_zone());
  contact.set_name(ContactName(deps_.ids->NewId()));
  contact.set_account(account.name());
  StampContact(deps_, now, /*created=*/true, &contact);

  v1::FindOrCreateContactResponse response;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        response.Clear();
        ASSIGN_OR_RETURN(
            std::optional<std::string> holder,
            deps_.contacts->FindEmailOwner(txn, caller.tenant, email_key));
        if (holder.has_value()) {
          ASSIGN_OR_RETURN(*response.mutable_contact(),
                           LoadContact(txn, deps_, caller.tenant, *holder,
                                       ContactName(*holder)));
          const std::string& account_name = response.contact().account();
          ASSIGN_OR_RETURN(*response.mutable_account(),
                           LoadAccount(txn, deps_, caller.tenant,
                                       IdOf(account_name), account_name));
        } else {
          RETURN_IF_ERROR(InsertAccount(txn, deps_, caller, account));
          RETURN_IF_ERROR(InsertContact(txn, deps_, caller, contact, keys));
          *response.mutable_contact() = contact;
          *response.mutable_account() = account;
          response.set_created(true);
        }
        // The stored answer holds the person's name and email.
        write.Mentions(response.contact().name());
        write.Mentions(response.account().name());
        return absl::OkStatus();
      }));
  return response;
}

}  // namespace clientele::contacts

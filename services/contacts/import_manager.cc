#include "services/contacts/import_manager.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/contacts/account_rules.h"
#include "services/contacts/contact_rules.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"

namespace clientele::contacts {
namespace {

// A row after the checks that need no database.
struct PreparedRow {
  bool valid = false;
  v1::Contact contact;
  ContactKeys keys;
  std::string account_id;  // asked for (row or default); empty: individual
  std::vector<FieldViolation> violations;
};

void SetViolations(const std::vector<FieldViolation>& violations,
                   v1::ImportContactsRowResult* result) {
  result->set_outcome(v1::IMPORT_ROW_OUTCOME_INVALID);
  for (const FieldViolation& violation : violations) {
    auto* out = result->add_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
  }
}

}  // namespace

absl::StatusOr<v1::ImportContactsResponse> ImportManager::Import(
    const Caller& caller, const v1::ImportContactsRequest& request) {
  if (request.rows_size() == 0) {
    return InvalidFieldError("rows", "required: 1-10000 rows");
  }
  if (request.rows_size() > kMaxRows) {
    return InvalidFieldError(
        "rows", absl::StrCat(request.rows_size(), " rows; at most ", kMaxRows,
                             " per call: split the import"));
  }
  std::string default_account_id;
  if (!request.default_account().empty()) {
    ASSIGN_OR_RETURN(default_account_id,
                     ParseResourceName(request.default_account(), kAccounts,
                                       "default_account"));
  }
  const absl::Time now = deps_.clock->Now();
  v1::Account account_template;
  if (request.create_individual_accounts()) {
    account_template = request.individual_account_template();
    FieldViolations violations;
    CheckAccountTemplate(&account_template, "individual_account_template.", now,
                         &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    account_template.set_kind(type::v1::ACCOUNT_KIND_INDIVIDUAL);
  }

  // Everything that needs no database happens before the write lock.
  std::vector<PreparedRow> rows(request.rows_size());
  for (int i = 0; i < request.rows_size(); ++i) {
    const v1::ImportContactsRow& in = request.rows(i);
    PreparedRow& row = rows[i];
    row.contact = in.contact();
    FieldViolations violations;
    std::string row_key = in.row_key();
    CheckText(&row_key, "row_key", kMaxRowKeyChars, false, &violations);
    CheckContact(&row.contact, "", now, /*require_account=*/false, &violations);
    if (!row.contact.account().empty()) {
      row.account_id = IdOf(row.contact.account());
    } else if (!default_account_id.empty()) {
      row.account_id = default_account_id;
    } else if (!request.create_individual_accounts()) {
      violations.Add("account",
                     "required: set it, default_account or "
                     "create_individual_accounts");
    }
    if (!violations.empty()) {
      row.violations = FieldViolationsOf(violations.ToStatus());
      continue;
    }
    row.valid = true;
    row.keys = KeysOf(row.contact);
    row.contact.set_name(ContactName(deps_.ids->NewId()));
    StampContact(deps_, now, /*created=*/true, &row.contact);
  }

  v1::ImportContactsResponse response;
  auto body = [&](sql::Transaction& txn) -> absl::Status {
    response.Clear();
    if (!default_account_id.empty()) {
      RETURN_IF_ERROR(ResolveAccountId(txn, deps_, caller.tenant,
                                       default_account_id,
                                       request.default_account())
                          .status());
    }
    // Account id asked for -> survivor id, or nullopt when unknown.
    absl::flat_hash_map<std::string, std::optional<std::string>> accounts;
    // Email keys taken by earlier rows of this request.
    absl::flat_hash_map<std::string, std::string> batch_emails;
    for (int i = 0; i < request.rows_size(); ++i) {
      PreparedRow& row = rows[i];
      v1::ImportContactsRowResult* result = response.add_results();
      result->set_row_index(i);
      result->set_row_key(request.rows(i).row_key());
      if (!row.valid) {
        SetViolations(row.violations, result);
        response.set_invalid_count(response.invalid_count() + 1);
        continue;
      }
      std::string account_id;
      if (!row.account_id.empty()) {
        auto [it, inserted] = accounts.try_emplace(row.account_id);
        if (inserted) {
          auto resolved =
              ResolveAccountId(txn, deps_, caller.tenant, row.account_id, "");
          if (resolved.ok()) {
            it->second = *std::move(resolved);
          } else if (!absl::IsNotFound(resolved.status())) {
            return resolved.status();
          }
        }
        if (!it->second.has_value()) {
          SetViolations(
              {{row.contact.account().empty() ? "default_account" : "account",
                "no such account"}},
              result);
          response.set_invalid_count(response.invalid_count() + 1);
          continue;
        }
        account_id = *it->second;
      }
      std::optional<std::string> duplicate_of;
      for (const std::string& email : row.keys.email_keys) {
        if (auto it = batch_emails.find(email); it != batch_emails.end()) {
          duplicate_of = it->second;
          break;
        }
        ASSIGN_OR_RETURN(
            std::optional<std::string> holder,
            deps_.contacts->FindEmailOwner(txn, caller.tenant, email));
        if (holder.has_value()) {
          duplicate_of = ContactName(*holder);
          break;
        }
      }
      if (duplicate_of.has_value()) {
        result->set_outcome(v1::IMPORT_ROW_OUTCOME_DUPLICATE);
        result->set_contact(*duplicate_of);
        response.set_duplicate_count(response.duplicate_count() + 1);
        continue;
      }
      for (const std::string& email : row.keys.email_keys) {
        batch_emails.emplace(email, row.contact.name());
      }
      if (request.validate_only()) {
        result->set_outcome(v1::IMPORT_ROW_OUTCOME_VALID);
        if (!account_id.empty()) result->set_account(AccountName(account_id));
        continue;
      }
      if (account_id.empty()) {
        // One INDIVIDUAL account per person, as for B2C customers.
        v1::Account account = account_template;
        account_id = deps_.ids->NewId();
        account.set_name(AccountName(account_id));
        account.set_display_name(row.contact.display_name());
        StampAccount(deps_, now, /*created=*/true, &account);
        if (!account.has_acquisition_date()) {
          *account.mutable_acquisition_date() =
              DateAt(now, account.time_zone());
        }
        RETURN_IF_ERROR(InsertAccount(txn, deps_, caller, account));
      }
      row.contact.set_account(AccountName(account_id));
      RETURN_IF_ERROR(InsertContact(txn, deps_, caller, row.contact, row.keys));
      result->set_outcome(v1::IMPORT_ROW_OUTCOME_CREATED);
      result->set_contact(row.contact.name());
      result->set_account(row.contact.account());
      response.set_created_count(response.created_count() + 1);
    }
    return absl::OkStatus();
  };
  if (request.validate_only()) {
    // Nothing is written, so nothing is stored for a retry either.
    RETURN_IF_ERROR(deps_.database->Read(body));
  } else {
    // The stored results hold names only, no personal data, so erasure
    // needs no reference to them.
    RETURN_IF_ERROR(deps_.writes().Run(
        caller, &response,
        [&](WriteScope& write) { return body(write.txn()); }));
  }
  return response;
}

}  // namespace clientele::contacts

#include "services/contacts/account_manager.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "clientele/type/v1/relationship.pb.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/contacts/account_rules.h"
#include "services/contacts/field_checks.h"
#include "services/contacts/lookup.h"
#include "services/contacts/names.h"
#include "services/contacts/snapshots.h"
#include "services/contacts/text.h"

namespace clientele::contacts {
namespace {

template <typename IsValid>
void CheckFilterEnum(int value, IsValid is_valid, absl::string_view field,
                     FieldViolations* violations) {
  if (!is_valid(value)) {
    violations->Add(field, absl::StrCat("unknown value ", value));
  }
}

void CheckFilterText(std::string* value, absl::string_view field, int max_chars,
                     FieldViolations* violations) {
  if (value->empty()) return;
  CheckText(value, field, max_chars, false, violations);
}

}  // namespace

absl::StatusOr<v1::Account> AccountManager::Create(const Caller& caller,
                                                   v1::Account account) {
  const absl::Time now = deps_.clock->Now();
  FieldViolations violations;
  CheckAccount(&account, "account.", now, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string id = deps_.ids->NewId();
  account.set_name(AccountName(id));
  StampAccount(deps_, now, /*created=*/true, &account);
  if (!account.has_acquisition_date()) {
    *account.mutable_acquisition_date() = DateAt(now, account.time_zone());
  }
  v1::Account result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        RETURN_IF_ERROR(InsertAccount(write.txn(), deps_, caller, account));
        result = account;
        write.Mentions(account.name());
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Account> AccountManager::Get(const Caller& caller,
                                                absl::string_view name,
                                                absl::string_view field) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kAccounts, field));
  v1::Account account;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(account,
                         LoadAccount(txn, deps_, caller.tenant, id, name));
        return absl::OkStatus();
      }));
  return account;
}

absl::StatusOr<std::vector<v1::Account>> AccountManager::BatchGet(
    const Caller& caller, absl::Span<const std::string> names) {
  if (names.empty()) return InvalidFieldError("names", "required: 1-100 names");
  if (names.size() > static_cast<size_t>(kMaxBatchGet)) {
    return InvalidFieldError("names", "at most 100 names");
  }
  std::vector<std::string> ids;
  FieldViolations violations;
  for (size_t i = 0; i < names.size(); ++i) {
    auto id =
        ParseResourceName(names[i], kAccounts, absl::StrCat("names[", i, "]"));
    if (!id.ok()) {
      violations.Add(absl::StrCat("names[", i, "]"),
                     "must be \"accounts/{account}\"");
      continue;
    }
    ids.push_back(*std::move(id));
  }
  RETURN_IF_ERROR(violations.ToStatus());
  std::vector<v1::Account> accounts;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        accounts.clear();
        for (size_t i = 0; i < ids.size(); ++i) {
          ASSIGN_OR_RETURN(
              v1::Account account,
              LoadAccount(txn, deps_, caller.tenant, ids[i], names[i]));
          accounts.push_back(std::move(account));
        }
        return absl::OkStatus();
      }));
  return accounts;
}

absl::StatusOr<v1::Account> AccountManager::Update(
    const Caller& caller, const v1::Account& account,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(account.name(), kAccounts,
                                                     "account.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, AccountUpdatablePaths(),
                                     AccountOutputOnlyPaths()));
  const absl::Time now = deps_.clock->Now();
  v1::Account result;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::Account current, LoadAccount(txn, deps_, caller.tenant,
                                                      id, account.name()));
    RETURN_IF_ERROR(CheckEtag(account.etag(), current.etag(), "account.etag"));
    v1::Account updated = current;
    CopyFieldPaths(account, paths, &updated);
    FieldViolations violations;
    CheckAccount(&updated, "account.", now, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    std::vector<std::string> fields = ChangedAccountFields(current, updated);
    if (fields.empty()) {
      result = std::move(current);
      return absl::OkStatus();
    }
    StampAccount(deps_, now, /*created=*/false, &updated);
    RETURN_IF_ERROR(deps_.accounts->Update(txn, caller.tenant,
                                           IdOf(updated.name()), updated));
    events::v1::Event event;
    auto* payload = event.mutable_account_updated();
    *payload->mutable_account() = AccountSnapshotOf(updated);
    for (std::string& field : fields) payload->add_changed_fields(field);
    RETURN_IF_ERROR(AppendEvent(txn, deps_, caller, updated.name(), event));
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<AccountManager::Deleted> AccountManager::Delete(
    const Caller& caller, absl::string_view name, absl::string_view etag,
    bool force) {
  ASSIGN_OR_RETURN(std::string asked_id,
                   ParseResourceName(name, kAccounts, "name"));
  Deleted deleted;
  std::vector<std::string>& deleted_contacts = deleted.contacts;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    deleted_contacts.clear();
    ASSIGN_OR_RETURN(v1::Account current,
                     LoadAccount(txn, deps_, caller.tenant, asked_id, name));
    RETURN_IF_ERROR(CheckEtag(etag, current.etag()));
    const std::string id = IdOf(current.name());
    ASSIGN_OR_RETURN(std::vector<std::string> contact_ids,
                     deps_.contacts->IdsOfAccount(txn, caller.tenant, id));
    if (!contact_ids.empty() && !force) {
      return absl::FailedPreconditionError(
          absl::StrCat(current.name(), " still has ", contact_ids.size(),
                       " contacts; delete or move them first, or set force"));
    }
    for (const std::string& contact_id : contact_ids) {
      RETURN_IF_ERROR(deps_.contacts->Delete(txn, caller.tenant, contact_id));
      RETURN_IF_ERROR(
          deps_.merges
              ->RemoveAliasesTo(txn, caller.tenant, kContacts, contact_id)
              .status());
      deleted_contacts.push_back(ContactName(contact_id));
    }
    RETURN_IF_ERROR(deps_.accounts->Delete(txn, caller.tenant, id));
    RETURN_IF_ERROR(
        deps_.merges->RemoveAliasesTo(txn, caller.tenant, kAccounts, id)
            .status());
    events::v1::Event event;
    auto* payload = event.mutable_account_deleted();
    payload->set_account(current.name());
    for (const std::string& contact : deleted_contacts) {
      payload->add_deleted_contacts(contact);
    }
    deleted.account = current.name();
    return AppendEvent(txn, deps_, caller, current.name(), event);
  }));
  return deleted;
}

absl::StatusOr<v1::ListAccountsResponse> AccountManager::List(
    const Caller& caller, const v1::ListAccountsRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  CheckFilterEnum(request.kind(), type::v1::AccountKind_IsValid, "kind",
                  &violations);
  CheckFilterEnum(request.tier(), type::v1::AccountTier_IsValid, "tier",
                  &violations);
  CheckFilterEnum(request.segment(), type::v1::AccountSegment_IsValid,
                  "segment", &violations);
  CheckFilterEnum(request.lifecycle_stage(), type::v1::LifecycleStage_IsValid,
                  "lifecycle_stage", &violations);
  CheckFilterEnum(request.declared_mode(), type::v1::RelationshipMode_IsValid,
                  "declared_mode", &violations);
  AccountFilter filter;
  filter.kind = request.kind();
  filter.tier = request.tier();
  filter.segment = request.segment();
  filter.lifecycle_stage = request.lifecycle_stage();
  filter.declared_mode = request.declared_mode();
  filter.owner = request.owner();
  filter.account_manager = request.account_manager();
  filter.tag = request.tag();
  CheckFilterText(&filter.owner, "owner", kMaxStaffIdChars, &violations);
  CheckFilterText(&filter.account_manager, "account_manager", kMaxStaffIdChars,
                  &violations);
  CheckFilterText(&filter.tag, "tag", kMaxTagChars, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  filter.tag = LowerCase(filter.tag);

  const std::string filter_key = PageTokenFilter(
      "ListAccounts",
      {caller.tenant, absl::StrCat(filter.kind), absl::StrCat(filter.tier),
       absl::StrCat(filter.segment), absl::StrCat(filter.lifecycle_stage),
       absl::StrCat(filter.declared_mode), filter.owner, filter.account_manager,
       filter.tag});
  ASSIGN_OR_RETURN(int64_t after,
                   DecodeIntPageToken(request.page_token(), filter_key, 0));

  std::vector<ListedAccount> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(rows, deps_.accounts->List(txn, caller.tenant, filter,
                                                    after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListAccountsResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) rows.resize(page_size);
  for (ListedAccount& row : rows) {
    *response.add_accounts() = std::move(row.account);
  }
  if (more) {
    response.set_next_page_token(
        EncodeIntPageToken(filter_key, rows.back().seq));
  }
  return response;
}

}  // namespace clientele::contacts

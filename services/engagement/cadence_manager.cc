#include "services/engagement/cadence_manager.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clientele/type/v1/account_classification.pb.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/status_macros.h"
#include "common/time_range.h"
#include "common/validation.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/engagement/cadence_rules.h"
#include "services/engagement/manager_steps.h"

namespace clientele::engagement {
namespace {

constexpr absl::string_view kCadences = "cadences";
constexpr absl::string_view kAccounts = "accounts";
// google.rpc.ResourceInfo.resource_type of NOT_FOUND answers.
constexpr absl::string_view kCadenceType = "clientele.engagement.v1.Cadence";
constexpr absl::string_view kAccountType = "clientele.contacts.v1.Account";

constexpr absl::string_view kUpdatablePaths[] = {
    "interval", "lead_time", "delay_after_purchase", "assignee", "paused",
    "title",    "mode"};
// What scoring reads (keep_in_touch_state.h): changing it touches accounts.
constexpr absl::string_view kScoredPaths[] = {
    "interval", "lead_time", "delay_after_purchase", "paused", "mode"};
constexpr absl::string_view kFixedPaths[] = {"kind", "account", "segment"};
constexpr absl::string_view kOutputOnlyPaths[] = {"name", "create_time",
                                                  "update_time", "etag"};

std::string CadenceName(absl::string_view id) {
  return absl::StrCat(kCadences, "/", id);
}

absl::StatusOr<v1::Cadence> LoadCadence(sql::Transaction& txn,
                                        CadenceStore& cadences,
                                        absl::string_view tenant,
                                        absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::Cadence> cadence,
                   cadences.Find(txn, tenant, id));
  if (!cadence.has_value()) {
    return NotFoundResourceError(kCadenceType, CadenceName(id));
  }
  return *std::move(cadence);
}

bool Contains(absl::Span<const absl::string_view> list,
              absl::string_view item) {
  for (absl::string_view entry : list) {
    if (entry == item) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status CadenceManager::TouchCovered(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          const v1::Cadence& cadence) {
  if (!cadence.account().empty()) {
    const std::string id = IdOf(cadence.account());
    RETURN_IF_ERROR(deps_.projection->Touch(txn, tenant, id));
    txn.AfterCommit([cache = cache_, tenant = std::string(tenant), id] {
      cache->Invalidate(tenant, {id});
    });
    return absl::OkStatus();
  }
  // The accounts table keeps no segment column: every active account of the
  // tenant, a superset, in one statement.
  RETURN_IF_ERROR(deps_.projection->TouchAllActive(txn, tenant).status());
  txn.AfterCommit([cache = cache_, tenant = std::string(tenant)] {
    cache->InvalidateTenant(tenant);
  });
  return absl::OkStatus();
}

absl::StatusOr<v1::Cadence> CadenceManager::Create(const Caller& caller,
                                                   v1::Cadence cadence) {
  FieldViolations violations;
  // Whatever the client set, it gave.
  CheckCadence(
      &cadence, [](absl::string_view) { return true; }, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string id = deps_.ids->NewId();
  cadence.set_name(CadenceName(id));
  cadence.clear_create_time();
  Stamp(deps_, deps_.clock->Now(), /*created=*/true, &cadence);

  v1::Cadence result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        v1::Cadence stored = cadence;
        if (!stored.account().empty()) {
          ASSIGN_OR_RETURN(std::optional<ProjectedAccount> account,
                           deps_.projection->Resolve(txn, caller.tenant,
                                                     IdOf(stored.account())));
          if (!account.has_value()) {
            return NotFoundResourceError(kAccountType, stored.account());
          }
          stored.set_account(absl::StrCat(kAccounts, "/", account->id));
        }
        RETURN_IF_ERROR(cadences_->Insert(txn, caller.tenant, id, stored));
        RETURN_IF_ERROR(TouchCovered(txn, caller.tenant, stored));
        result = std::move(stored);
        write.Mentions(result.name());
        if (!result.account().empty()) {
          write.Mentions(result.account());
        }
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::Cadence> CadenceManager::Get(const Caller& caller,
                                                absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCadences, "name"));
  v1::Cadence cadence;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(cadence,
                         LoadCadence(txn, *cadences_, caller.tenant, id));
        return absl::OkStatus();
      }));
  return cadence;
}

absl::StatusOr<v1::Cadence> CadenceManager::Update(
    const Caller& caller, const v1::Cadence& cadence,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(cadence.name(), kCadences,
                                                     "cadence.name"));
  for (const std::string& path : mask.paths()) {
    if (Contains(kFixedPaths, path)) {
      return InvalidFieldError(
          "update_mask",
          absl::StrCat("\"", path,
                       "\" cannot be changed: create another cadence"));
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  bool scored = false;
  for (const std::string& path : paths) {
    scored |= Contains(kScoredPaths, path);
  }
  const absl::Time now = deps_.clock->Now();
  v1::Cadence result;
  RETURN_IF_ERROR(deps_.database->Write([&](sql::Transaction& txn)
                                            -> absl::Status {
    ASSIGN_OR_RETURN(v1::Cadence current,
                     LoadCadence(txn, *cadences_, caller.tenant, id));
    RETURN_IF_ERROR(CheckEtag(cadence.etag(), current.etag(), "cadence.etag"));
    v1::Cadence updated = current;
    CopyFieldPaths(cadence, paths, &updated);
    FieldViolations violations;
    CheckCadence(
        &updated,
        [&](absl::string_view field) {
          for (const std::string& path : paths) {
            if (path == field) {
              return true;
            }
          }
          return false;
        },
        &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (google::protobuf::util::MessageDifferencer::Equals(current, updated)) {
      result = std::move(current);
      return absl::OkStatus();
    }
    Stamp(deps_, now, /*created=*/false, &updated);
    RETURN_IF_ERROR(cadences_->Update(txn, caller.tenant, id, updated));
    if (scored) {
      RETURN_IF_ERROR(TouchCovered(txn, caller.tenant, updated));
    }
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::Status CadenceManager::Delete(const Caller& caller,
                                    absl::string_view name,
                                    absl::string_view etag) {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCadences, "name"));
  return deps_.database->Write([&](sql::Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Cadence current,
                     LoadCadence(txn, *cadences_, caller.tenant, id));
    RETURN_IF_ERROR(CheckEtag(etag, current.etag(), "etag"));
    RETURN_IF_ERROR(cadences_->Delete(txn, caller.tenant, id));
    return TouchCovered(txn, caller.tenant, current);
  });
}

absl::StatusOr<v1::ListCadencesResponse> CadenceManager::List(
    const Caller& caller, const v1::ListCadencesRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  FieldViolations violations;
  const std::string account_id =
      AccountFilterId(request.account(), &violations);
  if (!v1::CadenceKind_IsValid(request.kind())) {
    violations.Add("kind", absl::StrCat("unknown value ", request.kind()));
  }
  if (!type::v1::AccountSegment_IsValid(request.segment())) {
    violations.Add("segment",
                   absl::StrCat("unknown value ", request.segment()));
  }
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string filter_key = PageTokenFilter(
      "ListCadences", {caller.tenant, account_id, absl::StrCat(request.kind()),
                       absl::StrCat(request.segment())});
  ASSIGN_OR_RETURN(
      std::optional<CadenceCursor> after,
      DecodeIntIdPageToken<CadenceCursor>(request.page_token(), filter_key));

  std::vector<v1::Cadence> rows;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        CadenceFilter filter;
        filter.kind = request.kind();
        filter.segment = request.segment();
        if (!account_id.empty()) {
          // A merged account's cadences moved to its survivor; an unknown
          // or gone one is covered by the all-account cadences only.
          ASSIGN_OR_RETURN(
              std::optional<ProjectedAccount> account,
              deps_.projection->Resolve(txn, caller.tenant, account_id));
          filter.covering_account_id =
              account.has_value() ? account->id : account_id;
          filter.covering_segment =
              account.has_value() ? account->snapshot.segment() : 0;
        }
        ASSIGN_OR_RETURN(rows, cadences_->List(txn, caller.tenant, filter,
                                               after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListCadencesResponse response;
  const bool more = rows.size() > static_cast<size_t>(page_size);
  if (more) {
    rows.resize(page_size);
  }
  for (v1::Cadence& row : rows) {
    *response.add_cadences() = std::move(row);
  }
  if (more) {
    const v1::Cadence& last = response.cadences(page_size - 1);
    response.set_next_page_token(EncodeIntIdPageToken(
        filter_key, TimestampMicros(last.create_time()), IdOf(last.name())));
  }
  return response;
}

absl::Status CadenceManager::MoveAccount(sql::Transaction& txn,
                                         absl::string_view tenant,
                                         absl::string_view from,
                                         absl::string_view to) {
  return cadences_->MoveAccount(txn, tenant, from, to).status();
}

absl::Status CadenceManager::EraseAccount(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view account_id) {
  // Stored CreateCadence responses mention the account: the projection
  // updater forgets them with everything else that names it.
  return cadences_->DeleteByAccount(txn, tenant, account_id).status();
}

absl::Status CadenceManager::EraseContact(sql::Transaction& txn,
                                          absl::string_view tenant,
                                          absl::string_view contact_id) {
  return absl::OkStatus();
}

absl::Status CadenceManager::ExportAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id, v1::ExportDataSubjectResponse* response) {
  ASSIGN_OR_RETURN(std::vector<v1::Cadence> cadences,
                   cadences_->ListByAccount(txn, tenant, account_id));
  for (v1::Cadence& cadence : cadences) {
    *response->add_cadences() = std::move(cadence);
  }
  return absl::OkStatus();
}

absl::Status CadenceManager::ExportContact(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id, v1::ExportDataSubjectResponse* response) {
  return absl::OkStatus();
}

}  // namespace clientele::engagement

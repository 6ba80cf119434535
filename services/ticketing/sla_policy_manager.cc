#include "services/ticketing/sla_policy_manager.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "common/write_pipeline.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/ticketing/sla_policy_rules.h"
#include "services/ticketing/sla_store.h"

namespace clientele::ticketing {
namespace {

constexpr absl::string_view kUpdatablePaths[] = {
    "display_name",
    "tiers",
    "modes",
    "priorities",
    "rank",
    "first_response_target",
    "next_response_target",
    "resolution_target",
    "at_risk_threshold",
    "disabled",
    "business_calendar",
    "business_calendar.time_zone",
    "business_calendar.working_hours",
    "business_calendar.holidays"};
constexpr absl::string_view kOutputOnlyPaths[] = {"name", "create_time",
                                                  "update_time", "etag"};

// Sets update_time (and create_time when `created`) to `now`, kept to whole
// microseconds (the store orders by them), and a new etag.
void Stamp(const TicketingDeps& deps, absl::Time now, bool created,
           v1::SlaPolicy* policy) {
  const absl::Time micros = FromMicros(ToMicros(now));
  if (created) SetTimestamp(micros, policy->mutable_create_time());
  SetTimestamp(micros, policy->mutable_update_time());
  policy->set_etag(deps.ids->NewId());
}

absl::StatusOr<v1::SlaPolicy> LoadPolicy(sql::Transaction& txn,
                                         const TicketingDeps& deps,
                                         absl::string_view tenant,
                                         absl::string_view id) {
  ASSIGN_OR_RETURN(std::optional<v1::SlaPolicy> policy,
                   deps.sla->FindPolicy(txn, tenant, id));
  if (!policy.has_value()) {
    return NotFoundResourceError(kSlaPolicyType, SlaPolicyName(id));
  }
  return *std::move(policy);
}

std::string ListFilter(absl::string_view tenant) {
  return absl::StrCat("ListSlaPolicies|", tenant.size(), ":", tenant);
}

absl::StatusOr<int64_t> TokenInt(const std::string& part) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(part, &value)) {
    return InvalidFieldError("page_token", "not a token this list issued");
  }
  return value;
}

}  // namespace

absl::StatusOr<v1::SlaPolicy> SlaPolicyManager::Create(const Caller& caller,
                                                       v1::SlaPolicy policy) {
  FieldViolations violations;
  CheckSlaPolicy(&policy, "sla_policy.", &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string id = deps_.ids->NewId();
  policy.set_name(SlaPolicyName(id));
  Stamp(deps_, deps_.clock->Now(), /*created=*/true, &policy);

  v1::SlaPolicy result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        RETURN_IF_ERROR(
            deps_.sla->InsertPolicy(write.txn(), caller.tenant, id, policy));
        result = policy;
        write.Mentions(result.name());
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<v1::SlaPolicy> SlaPolicyManager::Get(const Caller& caller,
                                                    absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(name, kSlaPolicies, "name"));
  v1::SlaPolicy policy;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(policy, LoadPolicy(txn, deps_, caller.tenant, id));
        return absl::OkStatus();
      }));
  return policy;
}

absl::StatusOr<v1::SlaPolicy> SlaPolicyManager::Update(
    const Caller& caller, const v1::SlaPolicy& policy,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(
      std::string id,
      ParseResourceName(policy.name(), kSlaPolicies, "sla_policy.name"));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(mask, kUpdatablePaths, kOutputOnlyPaths));
  const absl::Time now = deps_.clock->Now();
  v1::SlaPolicy result;
  RETURN_IF_ERROR(deps_.writes().Run(
      caller, &result, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::SlaPolicy current,
                         LoadPolicy(txn, deps_, caller.tenant, id));
        RETURN_IF_ERROR(
            CheckEtag(policy.etag(), current.etag(), "sla_policy.etag"));
        v1::SlaPolicy updated = current;
        CopyFieldPaths(policy, paths, &updated);
        FieldViolations violations;
        CheckSlaPolicy(&updated, "sla_policy.", &violations);
        RETURN_IF_ERROR(violations.ToStatus());
        if (google::protobuf::util::MessageDifferencer::Equals(current,
                                                               updated)) {
          result = std::move(current);
          return absl::OkStatus();
        }
        Stamp(deps_, now, /*created=*/false, &updated);
        RETURN_IF_ERROR(
            deps_.sla->UpdatePolicy(txn, caller.tenant, id, updated));
        result = std::move(updated);
        return absl::OkStatus();
      }));
  return result;
}

absl::Status SlaPolicyManager::Delete(const Caller& caller,
                                      absl::string_view name,
                                      absl::string_view etag) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseResourceName(name, kSlaPolicies, "name"));
  v1::DeleteSlaPolicyResponse response;
  return deps_.writes().Run(
      caller, &response, [&](WriteScope& write) -> absl::Status {
        sql::Transaction& txn = write.txn();
        ASSIGN_OR_RETURN(v1::SlaPolicy current,
                         LoadPolicy(txn, deps_, caller.tenant, id));
        RETURN_IF_ERROR(CheckEtag(etag, current.etag(), "etag"));
        RETURN_IF_ERROR(deps_.sla->DeletePolicy(txn, caller.tenant, id));
        response.set_name(current.name());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ListSlaPoliciesResponse> SlaPolicyManager::List(
    const Caller& caller, const v1::ListSlaPoliciesRequest& request) {
  ASSIGN_OR_RETURN(
      int page_size,
      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  const std::string filter = ListFilter(caller.tenant);
  std::optional<SlaPolicyCursor> after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> parts,
                     DecodePageToken(request.page_token(), filter));
    if (parts.size() != 3) {
      return InvalidFieldError("page_token", "not a token this list issued");
    }
    SlaPolicyCursor cursor;
    ASSIGN_OR_RETURN(cursor.rank, TokenInt(parts[0]));
    ASSIGN_OR_RETURN(cursor.create_us, TokenInt(parts[1]));
    cursor.id = parts[2];
    after = std::move(cursor);
  }
  std::vector<v1::SlaPolicy> policies;
  RETURN_IF_ERROR(
      deps_.database->Read([&](sql::Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            policies,
            deps_.sla->ListPolicies(txn, caller.tenant, after, page_size + 1));
        return absl::OkStatus();
      }));
  v1::ListSlaPoliciesResponse response;
  const bool more = policies.size() > static_cast<size_t>(page_size);
  if (more) policies.resize(page_size);
  for (v1::SlaPolicy& policy : policies) {
    *response.add_sla_policies() = std::move(policy);
  }
  if (more) {
    const v1::SlaPolicy& last = response.sla_policies(page_size - 1);
    const std::string key[] = {absl::StrCat(last.rank()),
                               absl::StrCat(PolicyCreateMicros(last)),
                               IdOf(last.name())};
    response.set_next_page_token(EncodePageToken(filter, key));
  }
  return response;
}

}  // namespace clientele::ticketing

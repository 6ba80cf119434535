#include "services/engagement/manager_steps.h"

#include <utility>

#include "common/validation.h"

namespace clientele::engagement {

absl::Status AppendEvent(sql::Transaction& txn, const EngagementDeps& deps,
                         const Caller& caller, absl::string_view subject,
                         events::v1::Event event) {
  event.set_request_id(caller.trace_id);
  event.set_actor(caller.actor);
  return deps.events->Append(txn, caller.tenant, subject, std::move(event));
}

std::string AccountFilterId(absl::string_view name,
                            FieldViolations* violations) {
  if (name.empty()) return "";
  absl::StatusOr<std::string> id =
      ParseResourceName(name, "accounts", "account");
  if (!id.ok()) {
    violations->Add("account", "must be \"accounts/{account}\"");
    return "";
  }
  return *std::move(id);
}

}  // namespace clientele::engagement

// Steps that the engagement managers' writes and lists share, written once:
// the deal, order, follow-up and cadence managers each had their own copy.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_MANAGER_STEPS_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_MANAGER_STEPS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/events/v1/event.pb.h"
#include "common/caller.h"
#include "common/errors.h"
#include "common/proto_time.h"
#include "common/sql/database.h"
#include "common/write_pipeline.h"
#include "services/engagement/engagement_deps.h"

namespace clientele::engagement {

// Sets `resource`'s update_time (and create_time when `created`) to `now`
// and gives it a new etag.
template <typename Resource>
void Stamp(const EngagementDeps& deps, absl::Time now, bool created,
           Resource* resource) {
  if (created) SetTimestamp(now, resource->mutable_create_time());
  SetTimestamp(now, resource->mutable_update_time());
  resource->set_etag(deps.ids->NewId());
}

// Appends `event` about `subject` (a resource name) to the outbox in `txn`,
// with the caller's trace id and actor; errors as EventWriter::Append.
absl::Status AppendEvent(sql::Transaction& txn, const EngagementDeps& deps,
                         const Caller& caller, absl::string_view subject,
                         events::v1::Event event);

// A stored response holding `resource` mentions it, its account and its
// contact (when it has one): erasing any of them forgets the response.
template <typename Resource>
void MentionWithParties(const Resource& resource, WriteScope& write) {
  write.Mentions(resource.name());
  write.Mentions(resource.account());
  if (!resource.contact().empty()) write.Mentions(resource.contact());
}

// The account id of a list's optional "accounts/{account}" filter `name`:
// "" when `name` is empty. When it is not such a name, adds "account" to
// `violations` and returns "".
std::string AccountFilterId(absl::string_view name,
                            FieldViolations* violations);

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_MANAGER_STEPS_H_

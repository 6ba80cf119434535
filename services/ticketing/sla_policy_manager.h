// SLA policies: create (idempotent by request_id), get, update by mask and
// etag, delete, list by rank. Which policy a ticket gets is
// sla_policy_rules.h's SelectSlaPolicy; the tracker (sla_tracker.h) applies
// it. A change to a policy moves no running clock: tickets keep the targets
// they were given until their policy is chosen again.
#ifndef CLIENTELE_SERVICES_TICKETING_SLA_POLICY_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_SLA_POLICY_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/ticketing/v1/sla_policy.pb.h"
#include "clientele/ticketing/v1/ticketing_service.pb.h"
#include "common/caller.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class SlaPolicyManager {
 public:
  // Limits from the contract (ticketing_service.proto).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  // Uses deps.database, clock, ids and sla.
  explicit SlaPolicyManager(const TicketingDeps& deps) : deps_(deps) {}

  // Creates `policy` (name, times and etag are ignored). INVALID_ARGUMENT
  // naming "sla_policy.<field>" for bad fields (sla_policy_rules.h:
  // CheckSlaPolicy). Idempotent by the call's request_id.
  absl::StatusOr<v1::SlaPolicy> Create(const Caller& caller,
                                       v1::SlaPolicy policy);

  // The policy named `name` ("slaPolicies/{id}"). INVALID_ARGUMENT naming
  // "name" when malformed; NOT_FOUND when missing or another tenant's.
  absl::StatusOr<v1::SlaPolicy> Get(const Caller& caller,
                                    absl::string_view name);

  // Applies the fields of `policy` named by `mask` to the stored one
  // (policy.name says which); a change that changes nothing returns the
  // policy as it is. INVALID_ARGUMENT for a bad mask (output-only or
  // unknown paths) or values (naming "sla_policy.<field>"); ABORTED when
  // policy.etag is set and stale; NOT_FOUND when missing.
  absl::StatusOr<v1::SlaPolicy> Update(const Caller& caller,
                                       const v1::SlaPolicy& policy,
                                       const google::protobuf::FieldMask& mask);

  // Deletes the policy; tickets that were given it keep their targets and
  // clocks. ABORTED when `etag` is set and stale; NOT_FOUND when missing.
  absl::Status Delete(const Caller& caller, absl::string_view name,
                      absl::string_view etag);

  // One page of policies, lowest rank first (then oldest). INVALID_ARGUMENT
  // naming page_size or page_token.
  absl::StatusOr<v1::ListSlaPoliciesResponse> List(
      const Caller& caller, const v1::ListSlaPoliciesRequest& request);

 private:
  TicketingDeps deps_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SLA_POLICY_MANAGER_H_

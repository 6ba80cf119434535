// Constructors for the errors a client must be able to act on. Each returns an
// absl::Status whose payloads carry the google.rpc detail messages
// (BadRequest, ResourceInfo, ErrorInfo); common/server/status_mapping.h turns
// them into `grpc-status-details-bin`, so a client sees which field was wrong,
// which resource already exists or which role was needed, not just a sentence.
#ifndef CLIENTELE_COMMON_ERRORS_H_
#define CLIENTELE_COMMON_ERRORS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace clientele {

// Type URL prefix of every detail payload, as google.protobuf.Any spells it.
inline constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

// One bad field of a request: `field` is its path in the request
// ("account.contract_end_time", "contacts[3].email"), `description` says what
// is wrong with it and what would be accepted.
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT naming one bad field. Also the answer for a batch over
// its limit (the repeated field is named): RESOURCE_EXHAUSTED is kept for
// real capacity, such as a message over the size the server accepts.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// Collects every bad field of a request, so one answer lists them all.
class FieldViolations {
 public:
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return violations_.empty(); }
  // OK when nothing was added; otherwise INVALID_ARGUMENT listing them all.
  absl::Status ToStatus() const {
    return ToStatus(absl::StatusCode::kInvalidArgument);
  }
  // The same with another code.
  absl::Status ToStatus(absl::StatusCode code) const;

 private:
  std::vector<FieldViolation> violations_;
};

// NOT_FOUND for `name` (a resource name such as "accounts/42"), with a
// google.rpc.ResourceInfo. Also the answer for another tenant's resource.
absl::Status NotFoundResourceError(absl::string_view resource_type,
                                   absl::string_view name);

// ALREADY_EXISTS naming the existing resource, with a google.rpc.ResourceInfo.
absl::Status AlreadyExistsResourceError(absl::string_view resource_type,
                                        absl::string_view existing_name,
                                        absl::string_view description);

// The google.rpc.ErrorInfo domain of every reason below.
inline constexpr absl::string_view kErrorDomain = "clientele";
// ErrorInfo reason of RoleRequiredError.
inline constexpr absl::string_view kRoleRequiredReason = "ROLE_REQUIRED";

// PERMISSION_DENIED for a caller whose role (`role`, as the token file names
// it) is below the one `method` needs, with a google.rpc.ErrorInfo: reason
// kRoleRequiredReason, domain kErrorDomain, metadata {"required_role":
// required_role, "role": role}.
absl::Status RoleRequiredError(absl::string_view method,
                               absl::string_view required_role,
                               absl::string_view role);

// The field violations carried by `status` (empty when it carries none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// The google.rpc.ErrorInfo carried by `status`, if it carries one.
std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const absl::Status& status);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_ERRORS_H_

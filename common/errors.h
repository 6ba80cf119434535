// Constructors for the errors a client must be able to act on. Each returns an
// absl::Status whose payloads carry the google.rpc detail messages
// (BadRequest, ResourceInfo); common/server/status_mapping.h turns them into
// `grpc-status-details-bin`, so a client sees which field was wrong or which
// resource already exists, not just a sentence.
#ifndef CLIENTELE_COMMON_ERRORS_H_
#define CLIENTELE_COMMON_ERRORS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

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

// INVALID_ARGUMENT naming one bad field.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// RESOURCE_EXHAUSTED for a request over a limit (page size, batch size),
// naming `field` in the message and in the same google.rpc.BadRequest that
// INVALID_ARGUMENT carries.
absl::Status LimitExceededError(absl::string_view field,
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

// The field violations carried by `status` (empty when it carries none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_ERRORS_H_

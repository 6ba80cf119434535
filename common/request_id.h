// The request_id of a write (AIP-155): the client's idempotency key.
#ifndef CLIENTELE_COMMON_REQUEST_ID_H_
#define CLIENTELE_COMMON_REQUEST_ID_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clientele {

inline constexpr int kMaxRequestIdLength = 64;

// INVALID_ARGUMENT naming `field` unless `request_id` is empty or 1-64
// printable ASCII characters without spaces (a UUID fits). ServeUnary checks
// every request's request_id with it before the handler runs.
absl::Status ValidateRequestId(absl::string_view request_id,
                               absl::string_view field = "request_id");

}  // namespace clientele

#endif  // CLIENTELE_COMMON_REQUEST_ID_H_

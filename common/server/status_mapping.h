// The one place where absl::Status and grpc::Status meet. Detail payloads
// (google.rpc.BadRequest, ResourceInfo, ...) travel as a google.rpc.Status in
// `grpc-status-details-bin`, the way every gRPC client library reads them.
#ifndef CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_
#define CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_

#include <cstddef>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace clientele::server {

// What a client can be sent: gRPC clients refuse trailers over their
// metadata limit (8 KiB by default) with an error of their own, and the
// message travels twice (grpc-message and the details). A request with
// thousands of bad fields still gets its INVALID_ARGUMENT.
inline constexpr size_t kMaxStatusMessageBytes = 1024;
inline constexpr int kMaxStatusFieldViolations = 10;

// Same code and message; payloads become google.rpc.Status details. A
// message over kMaxStatusMessageBytes is cut (saying how much was left out)
// and a google.rpc.BadRequest keeps its first kMaxStatusFieldViolations.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of peer services: details become payloads again.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_

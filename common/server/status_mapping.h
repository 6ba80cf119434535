// The one place where absl::Status and grpc::Status meet. Detail payloads
// (google.rpc.BadRequest, ResourceInfo, ...) travel as a google.rpc.Status in
// `grpc-status-details-bin`, the way every gRPC client library reads them.
#ifndef CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_
#define CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace clientele::server {

// Same code and message; payloads become google.rpc.Status details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of peer services: details become payloads again.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_STATUS_MAPPING_H_

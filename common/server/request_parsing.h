// Requests and responses as bytes on the wire. The generated `<Service>Base`
// classes register every RPC raw, so that a request protobuf refuses to parse
// answers INVALID_ARGUMENT naming what is wrong, where gRPC's own parsing
// would answer UNIMPLEMENTED with an empty message.
#ifndef CLIENTELE_COMMON_SERVER_REQUEST_PARSING_H_
#define CLIENTELE_COMMON_SERVER_REQUEST_PARSING_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace clientele::server {

// Parses `bytes` into `request` straight from the buffer's slices (no copy).
// Returns whether it parsed; on false, UnparsableRequestError says why.
bool ParseRequest(const grpc::ByteBuffer& bytes,
                  google::protobuf::Message* request);

// Why `bytes` does not parse as `request`'s type: INVALID_ARGUMENT naming the
// first proto3 string field that holds invalid UTF-8 (a field violation on
// e.g. "contact.emails[1].address", "is not valid UTF-8"; a map is named by
// its field), else INVALID_ARGUMENT "request does not parse as <full name>".
// Slow (it walks the bytes again); only for requests that did not parse.
absl::Status UnparsableRequestError(
    const grpc::ByteBuffer& bytes, const google::protobuf::Descriptor& request);

// Serializes `response` straight into `bytes`, as gRPC would. INTERNAL if it
// cannot (a message over 2 GiB).
absl::Status SerializeResponse(const google::protobuf::Message& response,
                               grpc::ByteBuffer* bytes);

}  // namespace clientele::server

#endif  // CLIENTELE_COMMON_SERVER_REQUEST_PARSING_H_

#include "common/server/request_parsing.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"

namespace clientele::server {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptor;
using ::google::protobuf::internal::WireFormatLite;

// Protobuf's own default recursion limit: deeper requests do not parse.
constexpr int kMaxDepth = 100;

// ProtoBufferReader wants a mutable buffer but only reads it.
grpc::ByteBuffer* Readable(const grpc::ByteBuffer& bytes) {
  return const_cast<grpc::ByteBuffer*>(&bytes);
}

bool MustBeUtf8(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_STRING &&
         field.file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
}

void AppendField(const FieldDescriptor& field, int index, std::string* path) {
  if (!path->empty()) path->push_back('.');
  path->append(field.name());
  if (index >= 0) absl::StrAppend(path, "[", index, "]");
}

// Reads one message of type `descriptor` up to the input's limit. True, with
// the field's path appended to `path`, at the first proto3 string field that
// holds invalid UTF-8; false when there is none or the bytes are malformed.
bool FindInvalidUtf8(google::protobuf::io::CodedInputStream* input,
                     const Descriptor& descriptor, int depth,
                     std::string* path) {
  // Occurrences so far of each repeated field: the index of the next one.
  std::vector<int> seen(descriptor.field_count(), 0);
  while (const uint32_t tag = input->ReadTag()) {
    const FieldDescriptor* field =
        descriptor.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (field == nullptr ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
        !(MustBeUtf8(*field) ||
          field->type() == FieldDescriptor::TYPE_MESSAGE)) {
      if (!WireFormatLite::SkipField(input, tag)) return false;
      continue;
    }
    const int index =
        field->is_repeated() && !field->is_map() ? seen[field->index()]++ : -1;
    uint32_t length = 0;
    if (!input->ReadVarint32(&length)) return false;
    if (MustBeUtf8(*field)) {
      std::string value;
      if (!input->ReadString(&value, static_cast<int>(length))) return false;
      if (!google::protobuf::internal::IsStructurallyValidUTF8(value)) {
        AppendField(*field, index, path);
        return true;
      }
      continue;
    }
    if (depth >= kMaxDepth) return false;
    const auto limit = input->PushLimit(static_cast<int>(length));
    const size_t parent_length = path->size();
    AppendField(*field, index, path);
    if (FindInvalidUtf8(input, *field->message_type(), depth + 1, path)) {
      if (field->is_map()) {  // a key or value: name the map
        path->resize(parent_length);
        AppendField(*field, -1, path);
      }
      return true;
    }
    path->resize(parent_length);
    if (!input->ConsumedEntireMessage()) return false;
    input->PopLimit(limit);
  }
  return false;
}

}  // namespace

bool ParseRequest(const grpc::ByteBuffer& bytes,
                  google::protobuf::Message* request) {
  grpc::ProtoBufferReader reader(Readable(bytes));
  return reader.status().ok() && request->ParseFromZeroCopyStream(&reader);
}

absl::Status UnparsableRequestError(const grpc::ByteBuffer& bytes,
                                    const Descriptor& request) {
  std::string path;
  grpc::ProtoBufferReader reader(Readable(bytes));
  if (reader.status().ok()) {
    google::protobuf::io::CodedInputStream input(&reader);
    if (FindInvalidUtf8(&input, request, 0, &path)) {
      return InvalidFieldError(path, "is not valid UTF-8");
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("request does not parse as ", request.full_name()));
}

absl::Status SerializeResponse(const google::protobuf::Message& response,
                               grpc::ByteBuffer* bytes) {
  bool own_buffer = false;
  const grpc::Status status = grpc::GenericSerialize<grpc::ProtoBufferWriter,
                                                     google::protobuf::Message>(
      response, bytes, &own_buffer);
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("the response does not serialize as ",
                                          response.GetDescriptor()->full_name(),
                                          ": ", status.error_message()));
}

}  // namespace clientele::server

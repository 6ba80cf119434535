#include "common/server/status_mapping.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace clientele::server {
namespace {

constexpr absl::string_view kBadRequestType =
    "type.googleapis.com/google.rpc.BadRequest";

// `message` cut to kMaxStatusMessageBytes on a UTF-8 boundary, saying how
// much was left out.
std::string Shortened(absl::string_view message) {
  if (message.size() <= kMaxStatusMessageBytes) return std::string(message);
  size_t cut = kMaxStatusMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(message.substr(0, cut), " ... (", message.size() - cut,
                      " more bytes)");
}

// A BadRequest payload with its first kMaxStatusFieldViolations only.
std::string Shortened(absl::string_view type_url, std::string value) {
  if (type_url != kBadRequestType) return value;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(value) ||
      bad_request.field_violations_size() <= kMaxStatusFieldViolations) {
    return value;
  }
  bad_request.mutable_field_violations()->DeleteSubrange(
      kMaxStatusFieldViolations,
      bad_request.field_violations_size() - kMaxStatusFieldViolations);
  return bad_request.SerializeAsString();
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message = Shortened(status.message());
  google::rpc::Status details;
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& value) {
        auto* any = details.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(Shortened(type_url, std::string(value)));
      });
  if (details.details_size() == 0) return grpc::Status(code, message);
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return result;
}

}  // namespace clientele::server

#include "common/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace clientele {
namespace {

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat(kTypeUrlPrefix, message.GetDescriptor()->full_name());
}

void Attach(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrl(detail), absl::Cord(detail.SerializeAsString()));
}

}  // namespace

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  FieldViolations violations;
  violations.Add(field, description);
  return violations.ToStatus();
}

void FieldViolations::Add(absl::string_view field,
                          absl::string_view description) {
  violations_.push_back({std::string(field), std::string(description)});
}

absl::Status FieldViolations::ToStatus(absl::StatusCode code) const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations_) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status(code, absl::StrJoin(parts, "; "));
  Attach(status, bad_request);
  return status;
}

absl::Status NotFoundResourceError(absl::string_view resource_type,
                                   absl::string_view name) {
  absl::Status status =
      absl::NotFoundError(absl::StrCat(resource_type, " ", name, " not found"));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(name));
  Attach(status, info);
  return status;
}

absl::Status AlreadyExistsResourceError(absl::string_view resource_type,
                                        absl::string_view existing_name,
                                        absl::string_view description) {
  absl::Status status = absl::AlreadyExistsError(absl::StrCat(
      description, " (existing ", resource_type, ": ", existing_name, ")"));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(existing_name));
  info.set_description(std::string(description));
  Attach(status, info);
  return status;
}

absl::Status RoleRequiredError(absl::string_view method,
                               absl::string_view required_role,
                               absl::string_view role) {
  absl::Status status = absl::PermissionDeniedError(
      absl::StrCat(method, " needs role ", required_role,
                   " or above; the caller's role is ", role));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(kRoleRequiredReason));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["required_role"] = std::string(required_role);
  (*info.mutable_metadata())["role"] = std::string(role);
  Attach(status, info);
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> result;
  auto payload = status.GetPayload(absl::StrCat(
      kTypeUrlPrefix, google::rpc::BadRequest::descriptor()->full_name()));
  if (!payload.has_value()) return result;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return result;
  for (const auto& v : bad_request.field_violations()) {
    result.push_back({v.field(), v.description()});
  }
  return result;
}

std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const absl::Status& status) {
  auto payload = status.GetPayload(absl::StrCat(
      kTypeUrlPrefix, google::rpc::ErrorInfo::descriptor()->full_name()));
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

}  // namespace clientele

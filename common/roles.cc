#include "common/roles.h"

#include "common/errors.h"

namespace clientele {

absl::string_view RoleName(Role role) {
  switch (role) {
    case auth::v1::ROLE_VIEWER:
      return "viewer";
    case auth::v1::ROLE_AGENT:
      return "agent";
    case auth::v1::ROLE_MANAGER:
      return "manager";
    case auth::v1::ROLE_ADMIN:
      return "admin";
    default:
      return "";
  }
}

Role RoleNamed(absl::string_view name) {
  for (Role role : {auth::v1::ROLE_VIEWER, auth::v1::ROLE_AGENT,
                    auth::v1::ROLE_MANAGER, auth::v1::ROLE_ADMIN}) {
    if (RoleName(role) == name) return role;
  }
  return auth::v1::ROLE_UNSPECIFIED;
}

absl::Status CheckRole(absl::string_view method, absl::string_view role,
                       Role required) {
  const Role caller = RoleNamed(role);
  // The enum's numbers are the hierarchy: a higher role includes the lower.
  // A `required` that is no role (never generated) lets nobody in.
  if (caller != auth::v1::ROLE_UNSPECIFIED && !RoleName(required).empty() &&
      caller >= required) {
    return absl::OkStatus();
  }
  return RoleRequiredError(method, RoleName(required), role);
}

}  // namespace clientele

// Roles: what a caller may do. The roles and their order are declared once,
// in protos/clientele/auth/v1/role.proto, and every RPC names the least role
// that may call it with the `(clientele.auth.v1.required_role)` method option;
// the generated service bases pass it to ServeUnary, which calls CheckRole
// right after authenticating. A token file names roles in lowercase
// ("viewer", "agent", "manager", "admin"); each role includes every role
// below it.
#ifndef CLIENTELE_COMMON_ROLES_H_
#define CLIENTELE_COMMON_ROLES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/auth/v1/role.pb.h"

namespace clientele {

using Role = auth::v1::Role;

// The token file's name of `role` ("viewer" for ROLE_VIEWER); "" for
// ROLE_UNSPECIFIED and values that are not roles.
absl::string_view RoleName(Role role);

// The role a token file calls `name`; ROLE_UNSPECIFIED for any other name.
Role RoleNamed(absl::string_view name);

// OK when a caller whose role is `role` (a token file's name) may call
// `method`, which needs `required`. Otherwise PERMISSION_DENIED naming both
// roles, with a google.rpc.ErrorInfo (reason "ROLE_REQUIRED", domain
// "clientele", metadata "required_role" and "role"; see RoleRequiredError in
// common/errors.h). An unknown `role` is below every role; a `required` that
// is not a role (ROLE_UNSPECIFIED) admits nobody.
absl::Status CheckRole(absl::string_view method, absl::string_view role,
                       Role required);

}  // namespace clientele

#endif  // CLIENTELE_COMMON_ROLES_H_

// Bearer-token authentication.
//
// Every RPC carries `authorization: Bearer <token>`. A token file maps the
// SHA-256 of each token (lowercase hex, 64 digits) to a tenant and a role,
// one token per line, separated by spaces or tabs:
//
//   # <sha256-hex-of-token>  <tenant>  <role>
//   2f1c...e9                demo      admin
//
// so the file holds no usable secret. Blank lines and `#` comments are
// ignored. Tenants are 1-63 characters of [a-z0-9-]; roles are one of
// admin, manager, agent, viewer.
#ifndef CLIENTELE_COMMON_AUTH_H_
#define CLIENTELE_COMMON_AUTH_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clientele {

// Who is calling: the tenant that scopes every row, key and stream entry the
// call touches, and the caller's role within it.
struct Principal {
  std::string tenant;
  std::string role;
};

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

class TokenAuthenticator {
 public:
  // Parses a token file's text. INVALID_ARGUMENT names the bad line.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> FromText(
      absl::string_view text);
  // Reads and parses the file at `path`; NOT_FOUND when it does not exist.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> FromFile(
      const std::string& path);

  // Checks the value of the `authorization` metadata (nullptr when absent).
  // Missing, malformed or unknown tokens answer UNAUTHENTICATED with a
  // message that says which, never revealing which tokens exist.
  absl::StatusOr<Principal> Authenticate(
      const absl::string_view* authorization) const;

  size_t size() const { return by_hash_.size(); }

 private:
  absl::flat_hash_map<std::string, Principal> by_hash_;
};

}  // namespace clientele

#endif  // CLIENTELE_COMMON_AUTH_H_

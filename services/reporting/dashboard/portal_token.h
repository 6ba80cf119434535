// The client portal's links: each carries its own token, signed by the
// reporting process, that opens one account's portal page of one tenant
// until it expires. No tenant bearer token is involved, and the process
// keeps no state about the links it issued (rotating the secret revokes
// every link at once).
//
//   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, payload))
//   payload = "1|<tenant>|<expiry, Unix seconds>|<account id>"
//
// base64url without padding (RFC 4648 section 5). The account id comes last,
// so it may hold any byte, "|" included; the tenant is a token file's tenant
// ([a-z0-9-]). "1" is the format's version: a token of another version is
// not valid.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_TOKEN_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_TOKEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clientele::reporting::dashboard {

// What a portal token grants: one account of one tenant, until expire_time.
struct PortalGrant {
  std::string tenant;
  std::string account_id;
  // Whole seconds (the token carries Unix seconds).
  absl::Time expire_time;
};

// The shortest secret accepted, in bytes.
inline constexpr size_t kMinPortalSecretBytes = 32;

class PortalTokens {
 public:
  // Signs and verifies with `secret`. INVALID_ARGUMENT when it is shorter
  // than kMinPortalSecretBytes.
  static absl::StatusOr<std::unique_ptr<PortalTokens>> FromSecret(
      std::string secret);
  // The secret is the file's content without trailing ASCII whitespace (so
  // `openssl rand -hex 32 > file` works). NOT_FOUND when the file cannot be
  // read, INVALID_ARGUMENT (naming the path) when the secret is too short.
  static absl::StatusOr<std::unique_ptr<PortalTokens>> FromFile(
      const std::string& path);

  // The token for `grant`. INVALID_ARGUMENT when the tenant is not a tenant
  // name or the account id is empty.
  absl::StatusOr<std::string> Issue(const PortalGrant& grant) const;

  // What `token` grants at `now`:
  // - NOT_FOUND "this link is not valid" when it is not a token this secret
  //   signed in this format (malformed, tampered with, signed with another
  //   secret, another version), never saying which;
  // - FAILED_PRECONDITION when it is genuine but expired (now >= expiry).
  // The signature is compared in constant time.
  absl::StatusOr<PortalGrant> Verify(absl::string_view token,
                                     absl::Time now) const;

 private:
  explicit PortalTokens(std::string secret) : secret_(std::move(secret)) {}

  // HMAC-SHA256(secret_, payload), 32 bytes.
  std::string Mac(absl::string_view payload) const;

  const std::string secret_;
};

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_TOKEN_H_

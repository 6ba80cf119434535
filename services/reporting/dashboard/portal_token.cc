#include "services/reporting/dashboard/portal_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr absl::string_view kVersion = "1";
constexpr size_t kMacBytes = 32;
// Longer than any token Issue makes (a 128-character account id makes
// about 270): nothing longer is decoded.
constexpr size_t kMaxTokenChars = 1024;

absl::Status NotValid() {
  return absl::NotFoundError("this link is not valid");
}

bool IsTenantName(absl::string_view tenant) {
  if (tenant.empty() || tenant.size() > 63) return false;
  for (const char c : tenant) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return false;
    }
  }
  return true;
}

// base64url without padding, and only in its one canonical spelling (no
// padding, no whitespace, no stray low bits), so that a token has exactly
// one form.
bool DecodeStrict(absl::string_view text, std::string* out) {
  if (text.empty() || !absl::WebSafeBase64Unescape(text, out)) return false;
  return absl::WebSafeBase64Escape(*out) == text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PortalTokens>> PortalTokens::FromSecret(
    std::string secret) {
  if (secret.size() < kMinPortalSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the portal secret must be at least ",
                     kMinPortalSecretBytes, " bytes; it has ", secret.size()));
  }
  return std::unique_ptr<PortalTokens>(new PortalTokens(std::move(secret)));
}

absl::StatusOr<std::unique_ptr<PortalTokens>> PortalTokens::FromFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the portal secret file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  absl::StripTrailingAsciiWhitespace(&secret);
  absl::StatusOr<std::unique_ptr<PortalTokens>> tokens =
      FromSecret(std::move(secret));
  if (!tokens.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", tokens.status().message()));
  }
  return tokens;
}

std::string PortalTokens::Mac(absl::string_view payload) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
       mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

absl::StatusOr<std::string> PortalTokens::Issue(
    const PortalGrant& grant) const {
  if (!IsTenantName(grant.tenant)) {
    return absl::InvalidArgumentError("tenant: not a tenant name");
  }
  if (grant.account_id.empty()) {
    return absl::InvalidArgumentError("account_id: empty");
  }
  const std::string payload = absl::StrCat(
      kVersion, "|", grant.tenant, "|", absl::ToUnixSeconds(grant.expire_time),
      "|", grant.account_id);
  return absl::StrCat(absl::WebSafeBase64Escape(payload), ".",
                      absl::WebSafeBase64Escape(Mac(payload)));
}

absl::StatusOr<PortalGrant> PortalTokens::Verify(absl::string_view token,
                                                 absl::Time now) const {
  if (token.size() > kMaxTokenChars) return NotValid();
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 2) return NotValid();
  std::string payload;
  std::string mac;
  if (!DecodeStrict(parts[0], &payload) || !DecodeStrict(parts[1], &mac) ||
      mac.size() != kMacBytes) {
    return NotValid();
  }
  // The signature first: nothing of an unsigned payload is looked at.
  const std::string expected = Mac(payload);
  if (CRYPTO_memcmp(expected.data(), mac.data(), kMacBytes) != 0) {
    return NotValid();
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(payload, absl::MaxSplits('|', 3));
  int64_t expiry = 0;
  if (fields.size() != 4 || fields[0] != kVersion || !IsTenantName(fields[1]) ||
      !absl::SimpleAtoi(fields[2], &expiry) || expiry <= 0 ||
      fields[3].empty()) {
    return NotValid();
  }
  PortalGrant grant{std::string(fields[1]), std::string(fields[3]),
                    absl::FromUnixSeconds(expiry)};
  if (now >= grant.expire_time) {
    return absl::FailedPreconditionError("this link has expired");
  }
  return grant;
}

}  // namespace clientele::reporting::dashboard

#include "common/auth.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/roles.h"

namespace clientele {
namespace {

bool IsValidTenant(absl::string_view tenant) {
  if (tenant.empty() || tenant.size() > 63) return false;
  for (char c : tenant) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsValidRole(absl::string_view role) {
  return RoleNamed(role) != auth::v1::ROLE_UNSPECIFIED;
}

bool IsSha256Hex(absl::string_view hash) {
  if (hash.size() != 64) return false;
  for (char c : hash) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>>
TokenAuthenticator::FromText(absl::string_view text) {
  auto auth = std::unique_ptr<TokenAuthenticator>(new TokenAuthenticator());
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file line ", line_number,
                       ": want `<sha256-hex> <tenant> <role>`"));
    }
    if (!IsSha256Hex(parts[0])) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file line ", line_number,
                       ": the first column must be 64 lowercase hex digits"));
    }
    if (!IsValidTenant(parts[1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file line ", line_number,
                       ": tenant must be 1-63 characters of [a-z0-9-]"));
    }
    if (!IsValidRole(parts[2])) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file line ", line_number,
                       ": role must be admin, manager, agent or viewer"));
    }
    auth->by_hash_[parts[0]] =
        Principal{std::string(parts[1]), std::string(parts[2])};
  }
  return auth;
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>>
TokenAuthenticator::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read token file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return FromText(text.str());
}

absl::StatusOr<Principal> TokenAuthenticator::Authenticate(
    const absl::string_view* authorization) const {
  if (authorization == nullptr || authorization->empty()) {
    return absl::UnauthenticatedError(
        "missing `authorization: Bearer <token>` metadata");
  }
  absl::string_view value = *authorization;
  if (!absl::ConsumePrefix(&value, "Bearer ") &&
      !absl::ConsumePrefix(&value, "bearer ")) {
    return absl::UnauthenticatedError(
        "the authorization metadata must be `Bearer <token>`");
  }
  value = absl::StripAsciiWhitespace(value);
  auto it = by_hash_.find(Sha256Hex(value));
  if (value.empty() || it == by_hash_.end()) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  return it->second;
}

}  // namespace clientele

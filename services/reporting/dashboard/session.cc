#include "services/reporting/dashboard/session.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/reporting/dashboard/escaping.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr absl::string_view kAttributes = "; Path=/; HttpOnly; SameSite=Strict";

}  // namespace

std::string RequestAuthorization(absl::string_view authorization_header,
                                 absl::string_view cookie_header) {
  if (!authorization_header.empty()) return std::string(authorization_header);
  for (absl::string_view pair : absl::StrSplit(cookie_header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    absl::string_view value = pair;
    if (!absl::ConsumePrefix(&value, kSessionCookieName) ||
        !absl::ConsumePrefix(&value, "=")) {
      continue;
    }
    std::string token;
    if (value.empty() || !UrlDecode(value, &token)) return "";
    return absl::StrCat("Bearer ", token);
  }
  return "";
}

std::string SessionCookie(absl::string_view token, bool secure) {
  return absl::StrCat(kSessionCookieName, "=", UrlEncode(token), kAttributes,
                      secure ? "; Secure" : "");
}

std::string ClearedSessionCookie(bool secure) {
  return absl::StrCat(kSessionCookieName, "=", kAttributes, "; Max-Age=0",
                      secure ? "; Secure" : "");
}

bool IsLocalPath(absl::string_view target) {
  if (target.empty() || target[0] != '/') return false;
  if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) {
    return false;
  }
  for (const char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7E || c == '\\') return false;
  }
  return true;
}

}  // namespace clientele::reporting::dashboard

#include "services/reporting/dashboard/session.h"

#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

TEST(SessionTest, TheAuthorizationHeaderWinsOverTheCookie) {
  EXPECT_EQ(RequestAuthorization("Bearer abc", "clientele_token=xyz"),
            "Bearer abc");
  EXPECT_EQ(RequestAuthorization("Basic zzz", "clientele_token=xyz"),
            "Basic zzz");
}

TEST(SessionTest, TheCookieCarriesTheTokenUrlEncoded) {
  const std::string cookie = SessionCookie("t0k/en=+", false);
  EXPECT_EQ(cookie,
            "clientele_token=t0k%2Fen%3D%2B; Path=/; HttpOnly; "
            "SameSite=Strict");
  EXPECT_EQ(
      RequestAuthorization("", "a=1; clientele_token=t0k%2Fen%3D%2B; b=2"),
      "Bearer t0k/en=+");
  EXPECT_EQ(SessionCookie("t", true),
            "clientele_token=t; Path=/; HttpOnly; SameSite=Strict; Secure");
}

TEST(SessionTest, NoOrBrokenCookieIsNoCredential) {
  EXPECT_EQ(RequestAuthorization("", ""), "");
  EXPECT_EQ(RequestAuthorization("", "other=1"), "");
  EXPECT_EQ(RequestAuthorization("", "clientele_token="), "");
  EXPECT_EQ(RequestAuthorization("", "clientele_token=%zz"), "");
  EXPECT_EQ(RequestAuthorization("", "clientele_tokenx=abc"), "");
}

TEST(SessionTest, ClearingTheCookieExpiresIt) {
  EXPECT_EQ(ClearedSessionCookie(false),
            "clientele_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

TEST(SessionTest, OnlyLocalPathsAreRedirectTargets) {
  EXPECT_TRUE(IsLocalPath("/"));
  EXPECT_TRUE(IsLocalPath("/accounts/a1?from=2025-01-01&tier=premium"));
  EXPECT_FALSE(IsLocalPath(""));
  EXPECT_FALSE(IsLocalPath("//evil.example/"));
  EXPECT_FALSE(IsLocalPath("/\\evil.example"));
  EXPECT_FALSE(IsLocalPath("https://evil.example"));
  EXPECT_FALSE(IsLocalPath("/a b"));
  EXPECT_FALSE(IsLocalPath("/a\r\nSet-Cookie: x=1"));
}

}  // namespace
}  // namespace clientele::reporting::dashboard

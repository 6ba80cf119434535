#include "common/auth.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

std::unique_ptr<TokenAuthenticator> DemoAuthenticator() {
  auto auth = TokenAuthenticator::FromText(
      absl::StrCat("# comment\n\n", Sha256Hex("demo-secret"), " demo admin\n",
                   Sha256Hex("other-secret"), "\tother-co  viewer\n"));
  EXPECT_TRUE(auth.ok()) << auth.status();
  return *std::move(auth);
}

TEST(AuthTest, Sha256MatchesTheKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthTest, KnownTokenMapsToItsTenantAndRole) {
  auto auth = DemoAuthenticator();
  absl::string_view header = "Bearer demo-secret";
  auto principal = auth->Authenticate(&header);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->tenant, "demo");
  EXPECT_EQ(principal->role, "admin");
  absl::string_view other = "Bearer other-secret";
  EXPECT_EQ(auth->Authenticate(&other)->tenant, "other-co");
}

TEST(AuthTest, MissingMalformedOrUnknownTokensAreUnauthenticated) {
  auto auth = DemoAuthenticator();
  EXPECT_EQ(auth->Authenticate(nullptr).status().code(),
            absl::StatusCode::kUnauthenticated);
  for (absl::string_view header :
       {"", "demo-secret", "Basic ZGVtbw==", "Bearer ", "Bearer wrong",
        "Bearer demo-secretx", "Bearer DEMO-SECRET"}) {
    EXPECT_EQ(auth->Authenticate(&header).status().code(),
              absl::StatusCode::kUnauthenticated)
        << header;
  }
}

TEST(AuthTest, BadTokenFilesAreRejectedWithTheLine) {
  for (const std::string& text :
       {std::string("nothex demo admin\n"),
        absl::StrCat(Sha256Hex("x"), " Demo admin\n"),
        absl::StrCat(Sha256Hex("x"), " demo superuser\n"),
        absl::StrCat(Sha256Hex("x"), " demo\n")}) {
    auto auth = TokenAuthenticator::FromText(text);
    EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(auth.status().message().find("line 1"), absl::string_view::npos);
  }
}

TEST(AuthTest, MissingFileIsNotFound) {
  EXPECT_EQ(TokenAuthenticator::FromFile("/nonexistent/tokens").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace clientele

#include "services/reporting/dashboard/portal_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
constexpr char kOtherSecret[] = "fedcba9876543210fedcba9876543210";

// 2026-01-01T00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1767225600);

std::unique_ptr<PortalTokens> Tokens(const std::string& secret = kSecret) {
  auto tokens = PortalTokens::FromSecret(secret);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  return tokens.ok() ? *std::move(tokens) : nullptr;
}

PortalGrant Grant(const std::string& account = "a1",
                  absl::Duration valid = absl::Hours(24 * 30)) {
  return {"acme", account, kNow + valid};
}

std::string Issue(const PortalTokens& tokens, const PortalGrant& grant) {
  absl::StatusOr<std::string> token = tokens.Issue(grant);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.value_or("");
}

// A token made by hand: `payload` signed with `secret`, as Issue would.
std::string SignForTest(const std::string& payload,
                        const std::string& secret = kSecret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
       mac, &length);
  return absl::StrCat(absl::WebSafeBase64Escape(payload), ".",
                      absl::WebSafeBase64Escape(absl::string_view(
                          reinterpret_cast<const char*>(mac), length)));
}

// Whether `token` is refused as "not valid", with nothing said of why.
void ExpectNotValid(const PortalTokens& tokens, const std::string& token) {
  absl::StatusOr<PortalGrant> grant = tokens.Verify(token, kNow);
  ASSERT_FALSE(grant.ok()) << "accepted: " << token;
  EXPECT_EQ(grant.status().code(), absl::StatusCode::kNotFound) << token;
  EXPECT_EQ(grant.status().message(), "this link is not valid") << token;
}

TEST(PortalTokenTest, AnIssuedTokenGrantsItsAccountUntilItExpires) {
  auto tokens = Tokens();
  // The account id may hold the payload's separator.
  for (const char* account : {"a1", "acc|with|bars", "ü-ø 1"}) {
    const std::string token = Issue(*tokens, Grant(account));
    EXPECT_EQ(token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789-_."),
              std::string::npos)
        << token;
    absl::StatusOr<PortalGrant> grant = tokens->Verify(token, kNow);
    ASSERT_TRUE(grant.ok()) << grant.status();
    EXPECT_EQ(grant->tenant, "acme");
    EXPECT_EQ(grant->account_id, account);
    EXPECT_EQ(grant->expire_time, kNow + absl::Hours(24 * 30));
  }
}

TEST(PortalTokenTest, ExpiresByTheInjectedClock) {
  auto tokens = Tokens();
  FakeClock clock(kNow);
  const std::string token = Issue(*tokens, Grant("a1", absl::Hours(24)));
  ASSERT_TRUE(tokens->Verify(token, clock.Now()).ok());
  clock.Advance(absl::Hours(24) - absl::Seconds(1));
  ASSERT_TRUE(tokens->Verify(token, clock.Now()).ok());
  clock.Advance(absl::Seconds(1));
  absl::StatusOr<PortalGrant> expired = tokens->Verify(token, clock.Now());
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  clock.Advance(absl::Hours(24 * 365));
  EXPECT_EQ(tokens->Verify(token, clock.Now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PortalTokenTest, ATamperedPayloadIsNotValid) {
  auto tokens = Tokens();
  const std::string token = Issue(*tokens, Grant("a1"));
  const std::string signature = token.substr(token.find('.'));
  const std::string later =
      absl::StrCat(absl::ToUnixSeconds(kNow + absl::Hours(24 * 3650)));
  // Another account, tenant or expiry under the same signature.
  for (const std::string& payload :
       {absl::StrCat("1|acme|", absl::ToUnixSeconds(Grant().expire_time),
                     "|a2"),
        absl::StrCat("1|globex|", absl::ToUnixSeconds(Grant().expire_time),
                     "|a1"),
        absl::StrCat("1|acme|", later, "|a1")}) {
    ExpectNotValid(*tokens,
                   absl::StrCat(absl::WebSafeBase64Escape(payload), signature));
  }
  // One character changed anywhere.
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') continue;
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    absl::StatusOr<PortalGrant> grant = tokens->Verify(changed, kNow);
    // A change in the last character's unused low bits is not a new
    // spelling of the same token: the strict decoding refuses it too.
    EXPECT_FALSE(grant.ok()) << "position " << i << ": " << changed;
  }
}

TEST(PortalTokenTest, AnotherSecretsTokenIsNotValid) {
  auto tokens = Tokens();
  auto other = Tokens(kOtherSecret);
  ExpectNotValid(*tokens, Issue(*other, Grant("a1")));
  ExpectNotValid(*other, Issue(*tokens, Grant("a1")));
}

TEST(PortalTokenTest, MalformedTokensAreNotValid) {
  auto tokens = Tokens();
  const std::string token = Issue(*tokens, Grant("a1"));
  const std::string payload = token.substr(0, token.find('.'));
  const std::string signature = token.substr(token.find('.') + 1);
  for (const std::string& bad : {
           std::string(""),
           std::string("."),
           std::string(".."),
           payload,
           absl::StrCat(payload, "."),
           absl::StrCat(".", signature),
           absl::StrCat(token, ".", signature),
           absl::StrCat(payload, "==.", signature),
           absl::StrCat(payload, ".", signature, "="),
           absl::StrCat(payload, " .", signature),
           absl::StrCat(payload, ".", signature.substr(1)),
           absl::StrCat(payload, ".", signature, "AA"),
           std::string("!!!!.####"),
           absl::StrCat(absl::Base64Escape("1|acme|1|a1"), ".", signature),
           std::string(5000, 'A') + "." + signature,
       }) {
    ExpectNotValid(*tokens, bad);
  }
}

TEST(PortalTokenTest, AnotherVersionOrABrokenPayloadIsNotValidEvenSigned) {
  auto tokens = Tokens();
  const std::string expiry =
      absl::StrCat(absl::ToUnixSeconds(kNow + absl::Hours(1)));
  for (const std::string& payload : {
           absl::StrCat("2|acme|", expiry, "|a1"),
           absl::StrCat("|acme|", expiry, "|a1"),
           absl::StrCat("1|ACME|", expiry, "|a1"),
           absl::StrCat("1||", expiry, "|a1"),
           absl::StrCat("1|acme|", expiry, "|"),
           absl::StrCat("1|acme|", expiry),
           std::string("1|acme|soon|a1"),
           std::string("1|acme|-5|a1"),
           std::string("1|acme|0|a1"),
       }) {
    ExpectNotValid(*tokens, SignForTest(payload));
  }
  // The same payload in version 1 is good: the test signs as Issue does.
  EXPECT_TRUE(
      tokens->Verify(SignForTest(absl::StrCat("1|acme|", expiry, "|a1")), kNow)
          .ok());
}

TEST(PortalTokenTest, IssueRefusesWhatCouldNotBeVerified) {
  auto tokens = Tokens();
  EXPECT_EQ(tokens->Issue({"Not A Tenant", "a1", kNow}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens->Issue({"acme", "", kNow}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PortalTokenTest, TheSecretIsAtLeast32BytesAndReadFromAFile) {
  EXPECT_EQ(PortalTokens::FromSecret(std::string(31, 'x')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(PortalTokens::FromSecret(std::string(32, 'x')).ok());

  clientele::testing::TempDir dir;
  EXPECT_EQ(PortalTokens::FromFile(dir.File("missing")).status().code(),
            absl::StatusCode::kNotFound);
  {
    std::ofstream(dir.File("short")) << std::string(31, 'x') << "\n\n";
    std::ofstream(dir.File("secret")) << kSecret << "\n";
  }
  absl::StatusOr<std::unique_ptr<PortalTokens>> short_secret =
      PortalTokens::FromFile(dir.File("short"));
  EXPECT_EQ(short_secret.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(short_secret.status().message().find(dir.File("short")),
            absl::string_view::npos);
  // The trailing newline is not part of the secret: the file's tokens are
  // the in-memory secret's.
  absl::StatusOr<std::unique_ptr<PortalTokens>> from_file =
      PortalTokens::FromFile(dir.File("secret"));
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  auto tokens = Tokens();
  EXPECT_TRUE((*from_file)->Verify(Issue(*tokens, Grant()), kNow).ok());
}

}  // namespace
}  // namespace clientele::reporting::dashboard

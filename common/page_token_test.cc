#include "common/page_token.h"

#include <string>

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

TEST(PageTokenTest, RoundTripsTheKeyWithTheSameFilter) {
  const std::string key[] = {"42", std::string("a\0b", 3), ""};
  const std::string token = EncodePageToken("tenant|tier=2", key);
  auto decoded = DecodePageToken(token, "tenant|tier=2");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(*decoded,
              ::testing::ElementsAre("42", std::string("a\0b", 3), ""));
  // URL-safe and opaque.
  EXPECT_EQ(token.find_first_of("+/ "), std::string::npos);
  EXPECT_EQ(token.find("tier"), std::string::npos);
}

TEST(PageTokenTest, AnotherFilterIsRejectedNamingTheField) {
  const std::string token = EncodeIntPageToken("tenant|tier=2", 17);
  EXPECT_EQ(*DecodeIntPageToken(token, "tenant|tier=2", 0), 17);
  absl::Status status = DecodeIntPageToken(token, "tenant|tier=3", 0).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "page_token");
}

TEST(PageTokenTest, GarbageAndAlteredTokensAreRejected) {
  const std::string token = EncodeIntPageToken("f", 1234567);
  std::string altered = token;
  altered[3] = altered[3] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string("garbage"), std::string("!!!!"), altered,
        token.substr(0, token.size() - 2), std::string(100000, 'A'),
        std::string("\xff\xfe")}) {
    absl::Status status = DecodeIntPageToken(bad, "f", 0).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(*DecodeIntPageToken("", "f", -5), -5);
}

}  // namespace
}  // namespace clientele

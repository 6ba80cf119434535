#include "common/page_token.h"

#include <cstdint>
#include <optional>
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

TEST(PageTokenTest, FiltersOfDifferentPartsAreDifferent) {
  // Length prefixes keep a "|" inside a part from posing as a boundary.
  EXPECT_EQ(PageTokenFilter("ListDeals", {"t", "a|b"}), "ListDeals|1:t|3:a|b|");
  EXPECT_NE(PageTokenFilter("ListDeals", {"t", "a|b"}),
            PageTokenFilter("ListDeals", {"t", "a", "b"}));
  EXPECT_NE(PageTokenFilter("ListDeals", {"t"}),
            PageTokenFilter("ListOrders", {"t"}));
}

struct TimeCursor {
  int64_t time_us = 0;
  std::string id;
};

TEST(PageTokenTest, IntIdKeysRoundTripAsACursor) {
  const std::string token = EncodeIntIdPageToken("f", -7, "abc");
  absl::StatusOr<std::optional<TimeCursor>> cursor =
      DecodeIntIdPageToken<TimeCursor>(token, "f");
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  ASSERT_TRUE(cursor->has_value());
  EXPECT_EQ((*cursor)->time_us, -7);
  EXPECT_EQ((*cursor)->id, "abc");
  EXPECT_FALSE(DecodeIntIdPageToken<TimeCursor>("", "f")->has_value());
}

TEST(PageTokenTest, AKeyOfAnotherShapeIsNotAnIntIdToken) {
  const std::string one[] = {"12"};
  const std::string word[] = {"x", "abc"};
  for (const std::string& token :
       {EncodePageToken("f", one), EncodePageToken("f", word)}) {
    absl::Status status =
        DecodeIntIdPageToken<TimeCursor>(token, "f", "next").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "next");
    EXPECT_EQ(FieldViolationsOf(status)[0].description,
              "not a token this list issued");
  }
}

}  // namespace
}  // namespace clientele

#include "services/reporting/dashboard/escaping.h"

#include <string>

#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

TEST(HtmlEscapeTest, EscapesEveryCharacterThatEndsTextOrAnAttribute) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(HtmlEscape("Fish & Chips"), "Fish &amp; Chips");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
}

TEST(HtmlEscapeTest, KeepsUnicodeTextAsIs) {
  EXPECT_EQ(HtmlEscape("Yıldız Çiçek – 北京 – Ёлка"),
            "Yıldız Çiçek – 北京 – Ёлка");
  EXPECT_EQ(HtmlEscape("line\tone\nline two"), "line\tone\nline two");
}

TEST(HtmlEscapeTest, ReplacesInvalidUtf8AndControlCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(HtmlEscape("a\xFF"
                       "b"),
            "a" + replacement + "b");
  // An overlong "<" must not sneak through as one.
  EXPECT_EQ(HtmlEscape("\xC0\xBC"), replacement + replacement);
  // A surrogate half, and a sequence cut short at the end.
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"),
            replacement + replacement + replacement);
  EXPECT_EQ(HtmlEscape("x\xE2\x82"), "x" + replacement + replacement);
  EXPECT_EQ(HtmlEscape(std::string("a\0b\x1b", 4)),
            "a" + replacement + "b" + replacement);
}

TEST(UrlEncodeTest, EncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("a b&c=d/e?f#g"), "a%20b%26c%3Dd%2Fe%3Ff%23g");
  EXPECT_EQ(UrlEncode("\"<ü>"), "%22%3C%C3%BC%3E");
}

TEST(UrlDecodeTest, ReversesUrlEncodeAndRejectsBrokenEscapes) {
  std::string out;
  ASSERT_TRUE(UrlDecode(UrlEncode("a b&c=ü/%"), &out));
  EXPECT_EQ(out, "a b&c=ü/%");
  ASSERT_TRUE(UrlDecode("a+b", &out));
  EXPECT_EQ(out, "a b");
  EXPECT_FALSE(UrlDecode("%", &out));
  EXPECT_FALSE(UrlDecode("%4", &out));
  EXPECT_FALSE(UrlDecode("%zz", &out));
}

}  // namespace
}  // namespace clientele::reporting::dashboard

#include "common/log.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

using ::testing::HasSubstr;

class CapturingSink : public LogSink {
 public:
  void Write(absl::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

TEST(LogTest, LogWritesOneJsonObjectPerLine) {
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  LOG(WARNING) << "quote \" backslash \\ newline \n tab \t done";
  SetLogSinkForTest(nullptr);
  ASSERT_EQ(sink.lines.size(), 1u);
  const std::string& line = sink.lines[0];
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.back(), '}');
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_THAT(line, HasSubstr("\"severity\":\"WARNING\""));
  EXPECT_THAT(line, HasSubstr("\"file\":\"log_test.cc\""));
  EXPECT_THAT(line,
              HasSubstr("quote \\\" backslash \\\\ newline \\n tab \\t done"));
}

TEST(LogTest, JsonEscapeEscapesControlCharacters) {
  EXPECT_EQ(JsonEscape(std::string("a\x01"
                                   "b",
                                   3)),
            "a\\u0001b");
  EXPECT_EQ(JsonEscape("Привет 世界"), "Привет 世界");
}

}  // namespace
}  // namespace clientele

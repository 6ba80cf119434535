#include "common/log.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wrappers.pb.h"
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

// `line` parsed as JSON (the test fails when it is not one JSON object).
google::protobuf::Struct ParseJson(const std::string& line) {
  google::protobuf::Struct parsed;
  const auto status =
      google::protobuf::util::JsonStringToMessage(line, &parsed);
  EXPECT_TRUE(status.ok()) << status.ToString() << ": " << line;
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  return parsed;
}

std::string StringField(const google::protobuf::Struct& record,
                        const std::string& key) {
  auto it = record.fields().find(key);
  return it == record.fields().end() ? "" : it->second.string_value();
}

double NumberField(const google::protobuf::Struct& record,
                   const std::string& key) {
  auto it = record.fields().find(key);
  return it == record.fields().end() ? -1 : it->second.number_value();
}

TEST(LogTest, InvalidUtf8BecomesReplacementCharactersAndTheLineStaysJson) {
  // Truncated, overlong, a surrogate, a stray continuation byte, above
  // U+10FFFF; then valid 2-, 3- and 4-byte sequences.
  const std::string text =
      "a\xc3 b\xc0\xaf c\xed\xa0\x80 d\x80 e\xf4\x90\x80\x80 "
      "\xc3\xa9\xe4\xb8\x96\xf0\x9f\x98\x80";
  EXPECT_EQ(
      JsonEscape(text),
      "a\\ufffd b\\ufffd\\ufffd c\\ufffd\\ufffd\\ufffd d\\ufffd "
      "e\\ufffd\\ufffd\\ufffd\\ufffd \xc3\xa9\xe4\xb8\x96\xf0\x9f\x98\x80");
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  LOG(INFO) << text;
  SetLogSinkForTest(nullptr);
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_EQ(StringField(ParseJson(sink.lines[0]), "msg"),
            "a\xef\xbf\xbd b\xef\xbf\xbd\xef\xbf\xbd c\xef\xbf\xbd\xef\xbf\xbd"
            "\xef\xbf\xbd d\xef\xbf\xbd e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
            "\xef\xbf\xbd \xc3\xa9\xe4\xb8\x96\xf0\x9f\x98\x80");
}

TEST(LogRateLimiterTest, AllowsSoManyLinesOfAKindPerSecondAndCountsTheRest) {
  FakeClock clock;
  LogRateLimiter limiter(&clock, 2);
  int64_t suppressed = -1;
  EXPECT_TRUE(limiter.Allow("a", &suppressed));
  EXPECT_EQ(suppressed, 0);
  EXPECT_TRUE(limiter.Allow("a", &suppressed));
  EXPECT_FALSE(limiter.Allow("a", &suppressed));
  EXPECT_FALSE(limiter.Allow("a", &suppressed));
  // Another kind has its own allowance.
  EXPECT_TRUE(limiter.Allow("b", &suppressed));
  EXPECT_EQ(suppressed, 0);
  clock.Advance(absl::Milliseconds(999));
  EXPECT_FALSE(limiter.Allow("a", &suppressed));
  clock.Advance(absl::Milliseconds(1));
  // The next second: the first line written carries the count dropped.
  EXPECT_TRUE(limiter.Allow("a", &suppressed));
  EXPECT_EQ(suppressed, 3);
  EXPECT_TRUE(limiter.Allow("a", &suppressed));
  EXPECT_EQ(suppressed, 0);
}

TEST(LogLibraryMessageTest, WritesOneJsonLinePerMessageRateLimitedPerCallSite) {
  FakeClock clock;
  LogRateLimiter limiter(&clock, 3);
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  for (int i = 0; i < 100; ++i) {
    LogLibraryMessage(limiter, "protobuf", LogSeverity::kError, false,
                      "/build/protobuf/src/google/protobuf/wire_format_lite.cc",
                      581,
                      "String field 'x.name' contains invalid UTF-8 data when "
                      "parsing a protocol buffer.\n\"quoted\"\n");
  }
  // Another call site is not held back by the first.
  LogLibraryMessage(limiter, "protobuf", LogSeverity::kWarning, false,
                    "descriptor.cc", 7, "other");
  clock.Advance(absl::Seconds(1));
  LogLibraryMessage(limiter, "protobuf", LogSeverity::kError, false,
                    "wire_format_lite.cc", 581, "again");
  SetLogSinkForTest(nullptr);

  ASSERT_EQ(sink.lines.size(), 5u);
  for (const std::string& line : sink.lines) ParseJson(line);
  const google::protobuf::Struct first = ParseJson(sink.lines[0]);
  EXPECT_EQ(StringField(first, "severity"), "ERROR");
  EXPECT_EQ(StringField(first, "source"), "protobuf");
  EXPECT_EQ(StringField(first, "file"), "wire_format_lite.cc");
  EXPECT_EQ(NumberField(first, "line"), 581);
  EXPECT_EQ(StringField(first, "msg"),
            "String field 'x.name' contains invalid UTF-8 data when parsing a "
            "protocol buffer.\n\"quoted\"");
  EXPECT_EQ(first.fields().count("suppressed"), 0u);
  const google::protobuf::Struct other = ParseJson(sink.lines[3]);
  EXPECT_EQ(StringField(other, "severity"), "WARNING");
  EXPECT_EQ(StringField(other, "msg"), "other");
  const google::protobuf::Struct again = ParseJson(sink.lines[4]);
  EXPECT_EQ(StringField(again, "msg"), "again");
  EXPECT_EQ(NumberField(again, "suppressed"), 97);
}

TEST(LogLibraryMessageTest, FatalMessagesAreNeverHeldBack) {
  FakeClock clock;
  LogRateLimiter limiter(&clock, 1);
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  LogLibraryMessage(limiter, "grpc", LogSeverity::kError, false, "a.cc", 1,
                    "first");
  LogLibraryMessage(limiter, "grpc", LogSeverity::kError, true, "a.cc", 1,
                    "assertion failed: x");
  SetLogSinkForTest(nullptr);
  ASSERT_EQ(sink.lines.size(), 2u);
  const google::protobuf::Struct fatal = ParseJson(sink.lines[1]);
  EXPECT_EQ(StringField(fatal, "msg"), "assertion failed: x");
  EXPECT_TRUE(fatal.fields().at("fatal").bool_value());
}

TEST(LogLibraryMessageTest, ProtobufsOwnMessagesGoThroughTheLogger) {
  RouteProtobufLogs();
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  // What a client sending invalid UTF-8 in a proto3 string makes protobuf
  // log, over and over.
  google::protobuf::StringValue value;
  for (int i = 0; i < 50; ++i) {
    EXPECT_FALSE(value.ParseFromString(std::string("\x0a\x02\xc3\x28", 4)));
  }
  SetLogSinkForTest(nullptr);
  google::protobuf::SetLogHandler(nullptr);
  ASSERT_GE(sink.lines.size(), 1u);
  for (const std::string& line : sink.lines) ParseJson(line);
  const google::protobuf::Struct record = ParseJson(sink.lines[0]);
  EXPECT_EQ(StringField(record, "source"), "protobuf");
  EXPECT_EQ(StringField(record, "severity"), "ERROR");
  EXPECT_THAT(StringField(record, "msg"),
              HasSubstr("google.protobuf.StringValue.value"));
  EXPECT_THAT(StringField(record, "msg"), HasSubstr("invalid UTF-8"));
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

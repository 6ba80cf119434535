#include "common/server/grpc_logs.h"

#include <string>
#include <vector>

#include "common/log.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/support/log.h"
#include "gtest/gtest.h"

namespace clientele::server {
namespace {

class CapturingSink : public LogSink {
 public:
  void Write(absl::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

TEST(GrpcLogsTest, GrpcsOwnMessagesBecomeOneJsonLineEach) {
  RouteGrpcLogs();
  CapturingSink sink;
  SetLogSinkForTest(&sink);
  gpr_log(GPR_ERROR, "peer sent %s\nand more", "\"garbage\" \xff");
  SetLogSinkForTest(nullptr);
  ASSERT_EQ(sink.lines.size(), 1u);
  google::protobuf::Struct record;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(sink.lines[0], &record).ok())
      << sink.lines[0];
  EXPECT_EQ(record.fields().at("source").string_value(), "grpc");
  EXPECT_EQ(record.fields().at("severity").string_value(), "ERROR");
  EXPECT_EQ(record.fields().at("file").string_value(), "grpc_logs_test.cc");
  EXPECT_EQ(record.fields().at("msg").string_value(),
            "peer sent \"garbage\" \xef\xbf\xbd\nand more");
}

}  // namespace
}  // namespace clientele::server

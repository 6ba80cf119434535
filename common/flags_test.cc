#include "common/flags.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, flags_test_port, 7001, "test flag");
ABSL_FLAG(absl::Duration, flags_test_grace, absl::Seconds(10), "test flag");

namespace clientele {
namespace {

TEST(FlagsTest, EnvironmentVariableNameIsPrefixedUppercase) {
  EXPECT_EQ(EnvVarForFlag("redis_address"), "CLIENTELE_REDIS_ADDRESS");
}

TEST(FlagsTest, EnvironmentSetsFlagsItNames) {
  setenv("CLIENTELE_FLAGS_TEST_PORT", "7101", 1);
  setenv("CLIENTELE_FLAGS_TEST_GRACE", "3s", 1);
  ASSERT_TRUE(ApplyFlagsFromEnv().ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_flags_test_port), 7101);
  EXPECT_EQ(absl::GetFlag(FLAGS_flags_test_grace), absl::Seconds(3));
  unsetenv("CLIENTELE_FLAGS_TEST_PORT");
  unsetenv("CLIENTELE_FLAGS_TEST_GRACE");
}

TEST(FlagsTest, CommandLineWinsOverEnvironment) {
  setenv("CLIENTELE_FLAGS_TEST_PORT", "7101", 1);
  char arg0[] = "flags_test";
  char arg1[] = "--flags_test_port=7201";
  char* argv[] = {arg0, arg1};
  ParseFlagsWithEnv(2, argv, "test");
  EXPECT_EQ(absl::GetFlag(FLAGS_flags_test_port), 7201);
  unsetenv("CLIENTELE_FLAGS_TEST_PORT");
}

TEST(FlagsTest, BadEnvironmentValueNamesTheVariable) {
  setenv("CLIENTELE_FLAGS_TEST_PORT", "seven", 1);
  absl::Status status = ApplyFlagsFromEnv();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("CLIENTELE_FLAGS_TEST_PORT"),
            absl::string_view::npos);
  unsetenv("CLIENTELE_FLAGS_TEST_PORT");
}

}  // namespace
}  // namespace clientele

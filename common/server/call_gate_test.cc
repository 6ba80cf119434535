#include "common/server/call_gate.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::server {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CallGateTest, AnOpenGateAdmitsEveryCallAndCountsThemUntilAnswered) {
  CallGate gate;
  std::vector<std::string> refused;
  EXPECT_TRUE(gate.Enter([&refused] { refused.push_back("a"); }));
  EXPECT_TRUE(gate.Enter([&refused] { refused.push_back("b"); }));
  EXPECT_EQ(gate.running(), 2);
  gate.Leave();
  gate.Leave();
  EXPECT_EQ(gate.running(), 0);
  EXPECT_THAT(refused, IsEmpty());
  EXPECT_TRUE(gate.AwaitIdle(absl::InfinitePast()));
}

TEST(CallGateTest, RefusingAnswersNewCallsAtOnceWhileAdmittedOnesGoOn) {
  CallGate gate;
  std::vector<std::string> refused;
  ASSERT_TRUE(gate.Enter([] {}));
  gate.Refuse();
  EXPECT_FALSE(gate.Enter([&refused] { refused.push_back("late"); }));
  EXPECT_THAT(refused, ElementsAre("late"));
  // The admitted call is still running: not idle yet.
  EXPECT_FALSE(gate.AwaitIdle(absl::InfinitePast()));
  EXPECT_EQ(gate.running(), 1);
  gate.Leave();
  EXPECT_TRUE(gate.AwaitIdle(absl::InfinitePast()));
}

TEST(CallGateTest, HeldCallsAreAnsweredOnCloseInTheOrderTheyCame) {
  CallGate gate;
  std::vector<std::string> refused;
  gate.Refuse();
  gate.Hold();
  EXPECT_FALSE(gate.Enter([&refused] { refused.push_back("first"); }));
  EXPECT_FALSE(gate.Enter([&refused] { refused.push_back("second"); }));
  EXPECT_THAT(refused, IsEmpty());
  EXPECT_EQ(gate.held(), 2);
  EXPECT_EQ(gate.running(), 0);
  gate.Close();
  EXPECT_THAT(refused, ElementsAre("first", "second"));
  EXPECT_EQ(gate.held(), 0);
  // Once closed, a call that still arrives is answered at once.
  EXPECT_FALSE(gate.Enter([&refused] { refused.push_back("after"); }));
  EXPECT_THAT(refused, ElementsAre("first", "second", "after"));
}

TEST(CallGateTest, AwaitQuietReturnsAtItsDeadlineAndOnceClosed) {
  CallGate gate;
  gate.Hold();
  // A deadline already passed: returns at once, however recent the last
  // held call.
  gate.AwaitQuiet(absl::Hours(1), absl::InfinitePast());
  gate.Close();
  gate.AwaitQuiet(absl::Hours(1), absl::InfiniteFuture());
}

TEST(CallGateTest, TheRefusalIsUnavailableAndSaysToRetry) {
  EXPECT_EQ(ShuttingDownError().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ShuttingDownError().message(), "server is shutting down; retry");
}

}  // namespace
}  // namespace clientele::server

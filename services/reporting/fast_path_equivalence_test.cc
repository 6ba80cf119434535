// Every report that can read the maintained aggregates answers byte for
// byte what it answers account by account, on random histories
// (fast_path_fixture_for_test.h).
#include <cstdint>

#include "gtest/gtest.h"
#include "services/reporting/fast_path_fixture_for_test.h"

namespace clientele::reporting {
namespace {

using testing::FastPathEquivalenceTest;
using testing::Utc;

TEST_F(FastPathEquivalenceTest, EveryFastReportOnRandomHistories) {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    RunHistory(seed, 160, 20);
    if (HasFailure()) return;
    // The next history replays the same year on top: all its events are
    // late.
  }
  // Not vacuous: workloads with managers and agents came from the
  // aggregates.
  EXPECT_GT(fast_manager_rows_, 10);
  EXPECT_GT(fast_agent_rows_, 10);
  EXPECT_GT(fast_support_tickets_, 10);
  for (const int reports : fast_support_counts_) EXPECT_GT(reports, 10);
  // Breaches on a ticket assigned at that moment are rare in these
  // histories: the workload's golden data set compares both ways on them
  // (workload_report_test.cc).
  for (size_t i = 0; i < fast_agent_counts_.size(); ++i) {
    if (i != 2) {
      EXPECT_GT(fast_agent_counts_[i], 10) << "agent figure " << i;
    }
  }
  for (size_t i = 0; i < fast_follow_up_counts_.size(); ++i) {
    EXPECT_GT(fast_follow_up_counts_[i], 10)
        << "follow-up figure " << i << ": " << fast_follow_up_counts_[i];
  }
  for (size_t i = 0; i < fast_funnel_counts_.size(); ++i) {
    EXPECT_GT(fast_funnel_counts_[i], 10)
        << "funnel figure " << i << ": " << fast_funnel_counts_[i];
  }
  EXPECT_GT(fast_retention_points_, 10);
  EXPECT_GT(fast_at_risk_pages_, 10);
  EXPECT_GT(ranked_at_risk_pages_, 10);
}

TEST_F(FastPathEquivalenceTest, ATenantWithNoEventReadsTheSameEmptyReport) {
  newest_ = Utc(2024, 6, 1);
  CheckBothPathsAgree("no event");
}

}  // namespace
}  // namespace clientele::reporting

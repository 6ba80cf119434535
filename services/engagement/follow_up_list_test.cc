// Listing follow-ups through FollowUpManager over real SQLite: filters and
// pages in due order, and the due list with what is overdue and by how much.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/engagement/follow_up_manager_fixture_for_test.h"

namespace clientele::engagement {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST_F(FollowUpManagerTest, ListFiltersAndPagesInDueOrder) {
  const absl::Time t = now();
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(5)), acme_);
  MustCreate(NewFollowUp("accounts/a2", "olga", t + absl::Hours(1)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "olga", t + absl::Hours(3)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  const v1::FollowUp later =
      MustCreate(NewFollowUp("accounts/a2", "max", t + absl::Hours(4)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  MustCreate(NewFollowUp("accounts/g1", "max", t), globex_);
  ASSERT_TRUE(manager().Complete(acme_, later.name(), "").ok());

  // Every page in due order, then id; no follow-up twice or missed.
  std::vector<absl::Time> due_times;
  std::vector<std::string> names;
  v1::ListFollowUpsRequest request;
  request.set_page_size(4);
  int pages = 0;
  do {
    auto page = manager().List(acme_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const v1::FollowUp& f : page->follow_ups()) {
      due_times.push_back(absl::FromUnixSeconds(f.due_time().seconds()));
      names.push_back(f.name());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  ASSERT_THAT(names, SizeIs(6));
  EXPECT_TRUE(std::is_sorted(due_times.begin(), due_times.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 6u);

  const auto count = [&](const v1::ListFollowUpsRequest& r) -> int {
    auto listed = manager().List(acme_, r);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->follow_ups_size() : -1;
  };
  v1::ListFollowUpsRequest filter;
  filter.set_assignee("max");
  EXPECT_EQ(count(filter), 4);
  filter.set_account("accounts/a1");
  EXPECT_EQ(count(filter), 3);
  filter.set_state(v1::FOLLOW_UP_STATE_OPEN);
  EXPECT_EQ(count(filter), 3);
  filter.Clear();
  filter.set_state(v1::FOLLOW_UP_STATE_DONE);
  EXPECT_EQ(count(filter), 1);
  filter.Clear();
  filter.set_origin(v1::FOLLOW_UP_ORIGIN_MANUAL);
  EXPECT_EQ(count(filter), 6);
  filter.set_origin(v1::FOLLOW_UP_ORIGIN_RULE);
  EXPECT_EQ(count(filter), 0);
  filter.Clear();
  // [2h, 4h): the two due at 2h and the one at 3h.
  *filter.mutable_due_time_range()->mutable_start_time() =
      At(t + absl::Hours(2));
  *filter.mutable_due_time_range()->mutable_end_time() = At(t + absl::Hours(4));
  EXPECT_EQ(count(filter), 3);

  // A token only works with the filter it was issued for.
  v1::ListFollowUpsRequest first;
  first.set_page_size(2);
  auto page = manager().List(acme_, first);
  ASSERT_TRUE(page.ok());
  v1::ListFollowUpsRequest other;
  other.set_assignee("max");
  other.set_page_token(page->next_page_token());
  EXPECT_THAT(Fields(manager().List(acme_, other).status()),
              ElementsAre("page_token"));
  EXPECT_EQ(manager().List(globex_, first).status().code(),
            absl::StatusCode::kOk);

  v1::ListFollowUpsRequest huge;  // read as the maximum (AIP-158)
  huge.set_page_size(1001);
  EXPECT_EQ(manager().List(acme_, huge).status().code(), absl::StatusCode::kOk);
  v1::ListFollowUpsRequest bad;
  bad.set_account("acct");
  bad.set_state(static_cast<v1::FollowUpState>(7));
  bad.set_origin(static_cast<v1::FollowUpOrigin>(7));
  *bad.mutable_due_time_range()->mutable_start_time() = At(t);
  *bad.mutable_due_time_range()->mutable_end_time() = At(t - absl::Hours(1));
  EXPECT_THAT(Fields(manager().List(acme_, bad).status()),
              ElementsAre("account", "state", "origin", "due_time_range"));
}

TEST_F(FollowUpManagerTest, ListDueFlagsOverdueAndCountsPerAssignee) {
  const absl::Time t = now();
  const v1::FollowUp two_days_late =
      MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(48)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(1)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(2)), acme_);
  MustCreate(NewFollowUp("accounts/a1", "max", t + absl::Hours(72)), acme_);
  MustCreate(NewFollowUp("accounts/a2", "olga", t - absl::Hours(24)), acme_);
  const v1::FollowUp done =
      MustCreate(NewFollowUp("accounts/a1", "max", t - absl::Hours(5)), acme_);
  ASSERT_TRUE(manager().Complete(acme_, done.name(), "").ok());

  v1::ListDueFollowUpsRequest request;
  request.set_assignee("max");
  auto max = manager().ListDue(acme_, request);
  ASSERT_TRUE(max.ok()) << max.status();
  // Overdue ones and those due within 24 hours; not the DONE one.
  ASSERT_THAT(max->due_follow_ups(), SizeIs(3));
  EXPECT_EQ(max->due_follow_ups(0).follow_up().name(), two_days_late.name());
  EXPECT_TRUE(max->due_follow_ups(0).overdue());
  EXPECT_EQ(max->due_follow_ups(0).overdue_by().seconds(), 48 * 3600);
  EXPECT_TRUE(max->due_follow_ups(1).overdue());
  EXPECT_EQ(max->due_follow_ups(1).overdue_by().seconds(), 3600);
  EXPECT_FALSE(max->due_follow_ups(2).overdue());
  EXPECT_EQ(max->due_follow_ups(2).overdue_by().seconds(), 0);
  EXPECT_EQ(max->overdue_count(), 2);
  EXPECT_TRUE(max->next_page_token().empty());

  request.set_assignee("olga");
  auto olga = manager().ListDue(acme_, request);
  ASSERT_TRUE(olga.ok());
  EXPECT_THAT(olga->due_follow_ups(), SizeIs(1));
  EXPECT_EQ(olga->overdue_count(), 1);

  // Everyone, within four days, one per page; "now" moving between pages
  // does not move the list.
  request.Clear();
  request.mutable_due_within()->set_seconds(int64_t{4} * 86400);
  request.set_page_size(1);
  std::vector<bool> overdue;
  do {
    auto page = manager().ListDue(acme_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->overdue_count(), 3);
    for (const v1::DueFollowUp& due : page->due_follow_ups()) {
      overdue.push_back(due.overdue());
    }
    request.set_page_token(page->next_page_token());
    clock_.Advance(absl::Hours(3));
  } while (!request.page_token().empty());
  EXPECT_THAT(overdue, ElementsAre(true, true, true, false, false));

  // as_of_time in the past: nothing was overdue yet.
  request.Clear();
  *request.mutable_as_of_time() = At(t - absl::Hours(100));
  auto past = manager().ListDue(acme_, request);
  ASSERT_TRUE(past.ok());
  EXPECT_THAT(past->due_follow_ups(), IsEmpty());
  EXPECT_EQ(past->overdue_count(), 0);

  request.Clear();
  request.mutable_due_within()->set_seconds(int64_t{91} * 86400);
  EXPECT_THAT(Fields(manager().ListDue(acme_, request).status()),
              ElementsAre("due_within"));
  request.mutable_due_within()->set_seconds(-1);
  request.mutable_as_of_time()->set_seconds(-1);
  request.mutable_as_of_time()->set_nanos(-1);
  EXPECT_THAT(Fields(manager().ListDue(acme_, request).status()),
              ElementsAre("as_of_time", "due_within"));
}

}  // namespace
}  // namespace clientele::engagement

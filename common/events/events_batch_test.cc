// The consumer with apply_read_in_one_transaction: the events of one read
// commit together, and everything the one-by-one consumer promises still
// holds (order, once, a failing event retried before later ones, gaps).
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/events/events_fixture_for_test.h"
#include "common/status_macros.h"
#include "gtest/gtest.h"

namespace clientele::events {
namespace {

class EventsBatchTest : public EventsTest {
 protected:
  EventsBatchTest() { apply_read_in_one_transaction_ = true; }
};

TEST_F(EventsBatchTest, ManyEventsAreAppliedInOrderOnceWithTheirPositions) {
  for (int i = 1; i <= 100; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  // What another connection sees committed while each event is handled.
  absl::StatusOr<std::unique_ptr<sql::Database>> observer =
      sql::SqliteDatabase::Open(sql::SqliteOptions{dir_.File("engagement.db")});
  ASSERT_TRUE(observer.ok()) << observer.status();
  std::vector<int64_t> committed;
  on_handle_ = [&] {
    ASSERT_TRUE((*observer)
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query("SELECT COUNT(*) FROM applied");
                      if (!rows.ok()) return rows.status();
                      committed.push_back((*rows)[0].Int(0));
                      return absl::OkStatus();
                    })
                    .ok());
  };

  auto consumer = NewConsumer();
  int polls = 0;
  while (Applied().size() < 100) {
    ASSERT_LT(++polls, 20);
    ASSERT_TRUE(consumer->PollOnceForTest().ok());
  }
  EXPECT_EQ(Applied(), Ids(1, 100));
  EXPECT_EQ(Position(), 100);
  EXPECT_EQ(PendingCount(), 0);
  // Reads of 16: while any event of a read is handled, only the reads
  // before it are committed (one transaction per read, not per event).
  ASSERT_EQ(committed.size(), 100u);
  for (size_t i = 0; i < committed.size(); ++i) {
    EXPECT_EQ(committed[i], static_cast<int64_t>(i / 16 * 16)) << "event " << i;
  }
}

// With read_bytes, a read asks for as many entries as fit the bound at
// the entries' recent size: a backlog of large events is read a few at a
// time, and small ones batch_size at a time again once they follow.
TEST_F(EventsBatchTest, LargeEntriesAreReadFewAtATime) {
  const auto append = [&](int from, int to, size_t payload_bytes) {
    for (int i = from; i <= to; ++i) {
      OutboxEvent event = Event(i);
      event.payload.resize(payload_bytes, 'x');
      ASSERT_TRUE(Append(event).ok());
    }
    ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  };
  EventConsumerOptions options;
  options.stream = kStream;
  options.group = kGroup;
  options.consumer = "engagement-0";
  options.batch_size = 16;
  options.block_timeout = absl::Milliseconds(200);
  options.apply_read_in_one_transaction = true;
  options.read_bytes = 64 << 10;
  consumer_redis_.push_back(std::make_unique<HiredisClient>(
      redis::BlockingReaderOptions(RedisOptions(), options.block_timeout)));
  auto consumer = NewConsumerWith(options, consumer_redis_.back().get());
  const auto poll = [&] {
    absl::StatusOr<int> applied = consumer->PollOnceForTest();
    EXPECT_TRUE(applied.ok()) << applied.status();
    return applied.value_or(-1);
  };

  append(1, 16, 20);
  int first = 0;  // the first poll reads this consumer's pending entries
  for (int polls = 0; first == 0 && polls < 3; ++polls) first = poll();
  EXPECT_EQ(first, 16);
  // 20 KiB each: the first read of them still asks for 16 (the entries
  // were small), the next ones for what fits 64 KiB at their size.
  append(17, 56, 20 << 10);
  EXPECT_EQ(poll(), 16);
  const int after_large = poll();
  EXPECT_GE(after_large, 1);
  EXPECT_LE(after_large, 6);
  while (Position() < 56) ASSERT_GT(poll(), 0);
  // Small again: back to full reads within a few.
  append(57, 200, 20);
  std::vector<int> reads;
  while (Position() < 200) reads.push_back(poll());
  EXPECT_EQ(Applied(), Ids(1, 200));
  EXPECT_LT(reads.size(), 20u);
  EXPECT_NE(std::find(reads.begin(), reads.end(), 16), reads.end());
}

TEST_F(EventsBatchTest, AFailingEventRollsBackItsBatchAndIsRetriedAlone) {
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  // The batch fails at its first handler call and rolls back; the entries
  // then go one by one: the next failure holds event-1 and the ones after
  // it; then everything goes through.
  handler_failures_ = 2;

  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 5; }));
  consumer->Stop();
  // No partial write of a failed attempt survived, nothing twice, in order.
  EXPECT_EQ(Applied(), Ids(1, 5));
  EXPECT_EQ(Position(), 5);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsBatchTest, EventPublishedTwiceIsAppliedOnce) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  producer_db_->FailNextCommits(1, absl::UnavailableError("crash"));
  EXPECT_FALSE(relay->PublishOnceForTest().ok());
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  EXPECT_EQ(StreamLength(), 6);

  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(WaitFor([&] { return PendingCount() == 0 && Position() == 3; }));
  consumer->Stop();
  EXPECT_EQ(Applied(), Ids(1, 3));
}

TEST_F(EventsBatchTest, EntriesBeforeAGapCommitAndTheGapIsReplayed) {
  clock_ = &fake_clock_;
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  DeleteEntryAt(4);  // Redis lost it

  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);  // the group, then entries 1-3 (one batch), 5 and 6
  EXPECT_EQ(Applied(), Ids(1, 3));
  EXPECT_EQ(Position(), 3);
  EXPECT_EQ(PendingCount(), 2);  // 5 and 6 held back

  // Past the grace: the consumer asks for 4 on; the relay publishes 4-6
  // again and they are applied in order.
  fake_clock_.Advance(absl::Seconds(1));
  Poll(*consumer);
  EXPECT_EQ(ReplayRequest(), "4");
  fake_clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  Poll(*consumer, 2);
  EXPECT_EQ(Applied(), Ids(1, 6));
  EXPECT_EQ(Position(), 6);
  EXPECT_EQ(PendingCount(), 0);
}

// finish_transaction: once per transaction, after its handler calls: its
// write commits with them; it hears of a rollback; its error rolls back.
TEST_F(EventsBatchTest, FinishTransactionRunsOncePerTransactionBeforeCommit) {
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  int handled = 0;  // handler calls since the last finish
  on_handle_ = [&] { ++handled; };
  std::vector<bool> finished;
  int finish_failures = 1;
  finish_transaction_ = [&](sql::Transaction& txn, bool ok) -> absl::Status {
    finished.push_back(ok);
    const int n = std::exchange(handled, 0);
    if (!ok) return absl::OkStatus();
    const sql::Value row[] = {kGroup, absl::StrCat("finish-", n), "", "",
                              sql::Blob{""}};
    RETURN_IF_ERROR(txn.Exec("INSERT INTO applied (consumer_group, "
                             "event_id, tenant, type, payload) "
                             "VALUES (?, ?, ?, ?, ?)",
                             row)
                        .status());
    if (finish_failures > 0) {
      --finish_failures;
      return absl::InternalError("finish failure for the test");
    }
    return absl::OkStatus();
  };

  auto consumer = NewConsumer();
  // The first read of 16: its finish fails, so it rolls back (events and
  // the finish's row) and its entries go one by one, each with its finish;
  // the next read of 4 commits as one.
  int polls = 0;
  while (Position() < 20) {
    ASSERT_LT(++polls, 40);
    consumer->PollOnceForTest().IgnoreError();
  }
  std::vector<std::string> expected;
  for (int i = 1; i <= 16; ++i) {
    expected.push_back(absl::StrCat("event-", i));
    expected.push_back("finish-1");
  }
  for (int i = 17; i <= 20; ++i) expected.push_back(absl::StrCat("event-", i));
  expected.push_back("finish-4");
  EXPECT_EQ(Applied(), expected);
  EXPECT_EQ(finished.size(), 18u);

  // A handler failure: finish hears it (false) and the read rolls back.
  for (int i = 21; i <= 22; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  handler_failures_ = 1;
  finished.clear();
  polls = 0;
  while (Position() < 22) {
    ASSERT_LT(++polls, 40);
    consumer->PollOnceForTest().IgnoreError();
  }
  EXPECT_EQ(finished, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(PendingCount(), 0);
}

}  // namespace
}  // namespace clientele::events

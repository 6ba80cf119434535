// The outbox, the relay and the consumer together, against a real
// redis-server and real SQLite files (events_fixture_for_test.h).
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/events/events_fixture_for_test.h"
#include "gtest/gtest.h"

namespace clientele::events {
namespace {

TEST_F(EventsTest, EventsArriveInOrderWithTheirFields) {
  for (int i = 1; i <= 40; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  // Several events in one transaction keep their order too.
  ASSERT_TRUE(producer_db_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    for (int i = 41; i <= 60; ++i) {
                      absl::Status status =
                          AppendToOutbox(txn, kStream, Event(i), clock_->Now());
                      if (!status.ok()) return status;
                    }
                    return absl::OkStatus();
                  })
                  .ok());

  auto relay = NewRelay();
  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 60; }));
  consumer->Stop();
  relay->Stop();

  EXPECT_EQ(Applied(), Ids(1, 60));
  EXPECT_EQ(Waiting(), 0);
  EXPECT_EQ(OutboxSize(), 60);  // kept for replays
  EXPECT_EQ(PendingCount(), 0);

  std::string payload;
  ASSERT_TRUE(consumer_db_
                  ->Read([&](sql::Transaction& txn) -> absl::Status {
                    auto rows = txn.Query(
                        "SELECT tenant, type, payload FROM applied "
                        "WHERE event_id = 'event-7'");
                    if (!rows.ok()) return rows.status();
                    EXPECT_EQ((*rows)[0].String(0), "tenant-a");
                    EXPECT_EQ((*rows)[0].String(1), "contact.created");
                    payload = (*rows)[0].String(2);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(payload, Event(7).payload);
}

TEST_F(EventsTest, ARefusedXaddStopsTheBatchThereAndKeepsTheOrder) {
  // Rows for a healthy stream, then one for a key that is not a stream,
  // then the healthy stream again.
  ASSERT_TRUE(Append(Event(1)).ok());
  ASSERT_TRUE(producer_db_
                  ->Write([&](sql::Transaction& txn) {
                    return AppendToOutbox(txn, "not-a-stream", Event(2),
                                          clock_->Now());
                  })
                  .ok());
  ASSERT_TRUE(Append(Event(3)).ok());
  const std::string set[] = {"SET", "not-a-stream", "x"};
  ASSERT_TRUE(redis_->Command(set).ok());

  auto relay = NewRelay();
  absl::StatusOr<int> published = relay->PublishOnceForTest();
  EXPECT_EQ(published.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(published.status().message(), "WRONGTYPE"))
      << published.status();
  EXPECT_EQ(Waiting(), 2);  // event 1 went out; 2 and 3 wait, in order

  const std::string del[] = {"DEL", "not-a-stream"};
  ASSERT_TRUE(redis_->Command(del).ok());
  published = relay->PublishOnceForTest();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 2);
  EXPECT_EQ(Waiting(), 0);
  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 2; }));
  consumer->Stop();
  EXPECT_EQ(Applied(), (std::vector<std::string>{"event-1", "event-3"}));
}

TEST_F(EventsTest, WakeDeliversEventsWrittenWhileRunning) {
  auto relay = NewRelay();
  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(Append(Event(i)).ok());
    relay->Wake();
  }
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 20; }));
  EXPECT_EQ(Applied(), Ids(1, 20));
}

TEST_F(EventsTest, EventWrittenWhileRedisIsDownIsDeliveredWhenItReturns) {
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(Append(Event(1)).ok());

  auto relay = NewRelay();
  EXPECT_EQ(relay->PublishOnceForTest().status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Waiting(), 1);

  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  ASSERT_TRUE(Append(Event(2)).ok());
  relay->Wake();
  absl::SleepFor(absl::Milliseconds(300));  // let both hit the outage
  EXPECT_EQ(Waiting(), 2);
  EXPECT_TRUE(Applied().empty());

  ASSERT_TRUE(server_->Start().ok());
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 2; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Applied(), Ids(1, 2));
  EXPECT_EQ(Waiting(), 0);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, RedisKilledAndRestartedLosesAndDuplicatesNothing) {
  auto relay = NewRelay();
  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 10; }));

  ASSERT_TRUE(server_->Kill().ok());
  for (int i = 11; i <= 20; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  ASSERT_TRUE(server_->Start().ok());
  for (int i = 21; i <= 30; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();

  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 30; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Applied(), Ids(1, 30));
  EXPECT_EQ(Waiting(), 0);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, RolledBackEventIsNeverPublished) {
  absl::Status rolled_back =
      producer_db_->Write([&](sql::Transaction& txn) -> absl::Status {
        absl::Status status =
            AppendToOutbox(txn, kStream, Event(1), clock_->Now());
        if (!status.ok()) return status;
        return absl::AbortedError("the change failed");
      });
  EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(Append(Event(2)).ok());

  auto relay = NewRelay();
  absl::StatusOr<int> published = relay->PublishOnceForTest();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 1);
  EXPECT_EQ(StreamLength(), 1);
  // The rolled back event gave its position back.
  EXPECT_EQ(StreamPositions(), std::vector<int64_t>{1});

  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(
      WaitFor([&] { return PendingCount() == 0 && !Applied().empty(); }));
  consumer->Stop();
  EXPECT_EQ(Applied(), Ids(2, 2));
}

TEST_F(EventsTest, CrashBetweenCommitAndAckAppliesOnce) {
  ASSERT_TRUE(Append(Event(1)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());

  auto crashing = NewConsumer("engagement-0");
  crashing->CrashAfterCommitBeforeAckForTest();
  crashing->Start();
  EXPECT_TRUE(WaitFor([&] { return crashing->CrashedForTest(); }));
  crashing->Stop();
  EXPECT_EQ(Applied(), Ids(1, 1));
  EXPECT_EQ(PendingCount(), 1);

  // The restarted process, same consumer name: it re-reads its pending entry,
  // sees it was applied and only acknowledges it.
  auto restarted = NewConsumer("engagement-0");
  restarted->Start();
  EXPECT_TRUE(WaitFor([&] { return PendingCount() == 0; }));
  restarted->Stop();
  EXPECT_EQ(Applied(), Ids(1, 1));
}

TEST_F(EventsTest, FailedAckIsRedeliveredAndAppliedOnce) {
  ASSERT_TRUE(Append(Event(1)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());

  auto base = std::make_unique<HiredisClient>(
      redis::BlockingReaderOptions(RedisOptions(), absl::Milliseconds(200)));
  redis::FaultInjectingRedisClient faulty(base.get());
  EventConsumerOptions options;
  options.stream = kStream;
  options.group = kGroup;
  options.consumer = "engagement-0";
  options.block_timeout = absl::Milliseconds(200);
  auto consumer = NewConsumerWith(options, &faulty);
  // The handler runs between the read and the XACK: fail that XACK.
  on_handle_ = [&faulty] { faulty.FailNextCalls(1); };

  // Group creation and the (empty) pending history, then the new entry.
  int polls = 0;
  absl::Status last;
  while (PendingCount() != 0 || Applied().empty()) {
    ASSERT_LT(++polls, 10) << last;
    last = consumer->PollOnceForTest().status();
  }
  EXPECT_EQ(faulty.injected_failures(), 1);
  EXPECT_EQ(Applied(), Ids(1, 1));
}

TEST_F(EventsTest, EventPublishedTwiceIsAppliedOnce) {
  ASSERT_TRUE(Append(Event(1)).ok());
  ASSERT_TRUE(Append(Event(2)).ok());
  auto relay = NewRelay();
  // The XADDs succeed but deleting the rows does not, as if the relay had
  // crashed in between: the next round publishes them again.
  producer_db_->FailNextCommits(1, absl::UnavailableError("crash"));
  EXPECT_FALSE(relay->PublishOnceForTest().ok());
  EXPECT_EQ(Waiting(), 2);
  absl::StatusOr<int> again = relay->PublishOnceForTest();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 2);
  EXPECT_EQ(StreamLength(), 4);

  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(
      WaitFor([&] { return PendingCount() == 0 && Applied().size() >= 2; }));
  consumer->Stop();
  EXPECT_EQ(Applied(), Ids(1, 2));
}

TEST_F(EventsTest, FailingHandlerIsRetriedBeforeLaterEvents) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  handler_failures_ = 3;

  auto consumer = NewConsumer();
  consumer->Start();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 3; }));
  consumer->Stop();
  // The failed attempts' partial writes were rolled back.
  EXPECT_EQ(Applied(), Ids(1, 3));
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, ConsumerRecoversAfterRedisIsFlushed) {
  auto relay = NewRelay();
  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  ASSERT_TRUE(Append(Event(1)).ok());
  relay->Wake();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 1; }));

  ASSERT_TRUE(server_->Flush().ok());
  ASSERT_TRUE(Append(Event(2)).ok());
  relay->Wake();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 2; }));
  ASSERT_TRUE(Append(Event(3)).ok());
  relay->Wake();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 3; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Applied(), Ids(1, 3));
  EXPECT_EQ(PendingCount(), 0);
}

// --- Positions, retention and replays ------------------------------------

TEST_F(EventsTest, PositionsCountPerStreamWithoutHoles) {
  ASSERT_TRUE(
      producer_db_
          ->Write([&](sql::Transaction& txn) -> absl::Status {
            absl::Status status =
                AppendToOutbox(txn, kStream, Event(1), clock_->Now());
            if (!status.ok()) return status;
            // A duplicate the caller chooses to ignore takes no
            // position.
            status = AppendToOutbox(txn, kStream, Event(1), clock_->Now());
            EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
            status =
                AppendToOutbox(txn, "events:other", Event(2), clock_->Now());
            if (!status.ok()) return status;
            return AppendToOutbox(txn, kStream, Event(3), clock_->Now());
          })
          .ok());
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  EXPECT_EQ(StreamPositions(), (std::vector<int64_t>{1, 2}));
}

TEST_F(EventsTest, PublishedAndProcessedTimesComeFromTheInjectedClock) {
  clock_ = &fake_clock_;
  const int64_t now_us = absl::ToUnixMicros(fake_clock_.Now());
  ASSERT_TRUE(Append(Event(1)).ok());
  fake_clock_.Advance(absl::Seconds(3));
  ASSERT_TRUE(NewRelay()->PublishOnceForTest().ok());
  fake_clock_.Advance(absl::Seconds(4));
  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);
  EXPECT_EQ(Applied(), Ids(1, 1));

  EXPECT_EQ(ProducerCount("SELECT created_at_us FROM outbox"), now_us);
  EXPECT_EQ(ProducerCount("SELECT published_at_us FROM outbox_streams"),
            now_us + 3000000);
  EXPECT_EQ(ConsumerNumber("SELECT processed_at_us FROM processed_events"),
            now_us + 7000000);
}

TEST_F(EventsTest, FlushBetweenPublishAndConsumeAppliesEveryEventOnce) {
  auto relay = NewRelay();
  relay->Start();
  // One group has applied the first events, the other none yet.
  auto consumer = NewConsumer();
  consumer->Start();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  ASSERT_TRUE(WaitFor([&] { return Applied().size() >= 3; }));
  consumer->Stop();

  // Published while nobody reads, then gone with FLUSHALL.
  for (int i = 4; i <= 8; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  ASSERT_TRUE(WaitFor([&] { return Waiting() == 0; }));
  ASSERT_TRUE(server_->Flush().ok());

  auto restarted = NewConsumer("engagement-1");
  auto other = NewConsumer("reporting-0", kOtherGroup);
  restarted->Start();
  other->Start();
  EXPECT_TRUE(WaitFor([&] {
    return Applied().size() >= 8 && Applied(kOtherGroup).size() >= 8;
  }));
  // Later events go on as usual.
  ASSERT_TRUE(Append(Event(9)).ok());
  relay->Wake();
  EXPECT_TRUE(WaitFor([&] {
    return Applied().size() >= 9 && Applied(kOtherGroup).size() >= 9;
  }));
  restarted->Stop();
  other->Stop();
  relay->Stop();
  EXPECT_EQ(Applied(), Ids(1, 9));
  EXPECT_EQ(Applied(kOtherGroup), Ids(1, 9));
  EXPECT_EQ(Position(), 9);
  EXPECT_EQ(Position(kOtherGroup), 9);
  EXPECT_EQ(LostEvents(), 0);
  EXPECT_EQ(restarted->lost_events(), 0);
}

TEST_F(EventsTest, RedisRestartedFromAShortAofPublishesTheLostTailAgain) {
  auto relay = NewRelay();
  relay->Start();
  auto stopped = NewConsumer("engagement-0");
  auto running = NewConsumer("reporting-0", kOtherGroup);
  stopped->Start();
  running->Start();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  ASSERT_TRUE(WaitFor([&] {
    return Applied().size() >= 3 && Applied(kOtherGroup).size() >= 3;
  }));
  stopped->Stop();

  // The AOF as it is now, before events 4-6: what survives the "crash".
  std::string aof;
  for (const auto& file : std::filesystem::directory_iterator(
           std::filesystem::path(server_->dir()) / "appendonlydir")) {
    if (absl::EndsWith(file.path().string(), ".incr.aof")) {
      aof = file.path().string();
    }
  }
  ASSERT_FALSE(aof.empty());
  const auto kept = std::filesystem::file_size(aof);

  // Group `reporting` applies 4-6 before Redis loses them; `engagement`
  // never saw them.
  for (int i = 4; i <= 6; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  relay->Wake();
  ASSERT_TRUE(WaitFor([&] { return Applied(kOtherGroup).size() >= 6; }));
  running->Stop();
  relay->Stop();

  ASSERT_TRUE(server_->Kill().ok());
  std::filesystem::resize_file(aof, kept);
  ASSERT_TRUE(server_->Start().ok());
  // (The first call after the restart may find the old connection dead.)
  ASSERT_TRUE(WaitFor([&] {
    return StreamPositions() == std::vector<int64_t>{1, 2, 3};
  }));

  auto relay_after = NewRelay();
  relay_after->Start();
  auto engagement = NewConsumer("engagement-0");
  auto reporting = NewConsumer("reporting-0", kOtherGroup);
  engagement->Start();
  reporting->Start();
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 6; }));
  // The republished tail reached `reporting` too, which skipped it.
  EXPECT_TRUE(WaitFor([&] { return PendingCount(kOtherGroup) == 0; }));
  EXPECT_TRUE(WaitFor([&] { return StreamPositions().size() >= 6; }));
  engagement->Stop();
  reporting->Stop();
  relay_after->Stop();
  EXPECT_EQ(Applied(), Ids(1, 6));
  EXPECT_EQ(Applied(kOtherGroup), Ids(1, 6));
  EXPECT_EQ(StreamPositions(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(EventsTest, AGapIsHeldForTheGraceThenReplayedInOrder) {
  clock_ = &fake_clock_;
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  DeleteEntryAt(2);  // Redis lost it
  ASSERT_EQ(StreamPositions(), (std::vector<int64_t>{1, 3}));

  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);  // the group, then entries 1 and 3
  EXPECT_EQ(Applied(), Ids(1, 1));
  // 3 is held back: another consumer of the group might be applying 2.
  EXPECT_EQ(PendingCount(), 1);
  EXPECT_EQ(ReplayRequest(), "");
  Poll(*consumer, 3);
  EXPECT_EQ(Applied(), Ids(1, 1));
  EXPECT_EQ(ReplayRequest(), "");

  // Past the grace: the consumer asks for 2 on and drops 3 for now.
  fake_clock_.Advance(absl::Seconds(1));
  Poll(*consumer);
  EXPECT_EQ(ReplayRequest(), "2");
  EXPECT_EQ(PendingCount(), 0);

  // The relay takes the request at its next check.
  fake_clock_.Advance(absl::Seconds(1));
  absl::StatusOr<int> replayed = relay->PublishOnceForTest();
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(*replayed, 2);
  EXPECT_EQ(ReplayRequest(), "");
  EXPECT_EQ(StreamPositions(), (std::vector<int64_t>{1, 3, 2, 3}));
  Poll(*consumer, 2);
  EXPECT_EQ(Applied(), Ids(1, 3));
  EXPECT_EQ(Position(), 3);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, AReplayRequestThatGoesUnansweredIsMadeAgain) {
  clock_ = &fake_clock_;
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  DeleteEntryAt(2);
  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);
  fake_clock_.Advance(absl::Seconds(1));
  Poll(*consumer);
  ASSERT_EQ(ReplayRequest(), "2");

  // The request is lost with Redis' data.
  ASSERT_TRUE(redis_->Command({"DEL", ReplayRequestsKey(kStream)}).ok());
  Poll(*consumer);
  EXPECT_EQ(ReplayRequest(), "");
  fake_clock_.Advance(absl::Seconds(5));
  Poll(*consumer);
  EXPECT_EQ(ReplayRequest(), "2");

  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  Poll(*consumer, 2);
  EXPECT_EQ(Applied(), Ids(1, 3));
}

TEST_F(EventsTest, EventsPastTheRetentionAreReportedLostAndConsumingGoesOn) {
  clock_ = &fake_clock_;
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  fake_clock_.Advance(absl::Hours(24 * 8));
  ASSERT_TRUE(Append(Event(4)).ok());
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  ASSERT_TRUE(Append(Event(5)).ok());  // waiting: never purged

  RetentionJob retention(&producer_db_->base(), &fake_clock_, absl::Hours(1));
  retention.Add("outbox", [](sql::Transaction& txn, absl::Time now) {
    return PurgeOutbox(txn, now - absl::Hours(24 * 7), kPurgeBatchSize);
  });
  absl::StatusOr<int64_t> purged = retention.RunOnce();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 3);
  EXPECT_EQ(OutboxSize(), 2);
  EXPECT_EQ(Waiting(), 1);

  // Redis is flushed before the group read anything. The relay sees the
  // stream gone and publishes its last event again; the group sees it is
  // behind and asks from 1; 1-3 are gone.
  ASSERT_TRUE(server_->Flush().ok());
  fake_clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(relay->PublishOnceForTest().ok());  // 4 again
  EXPECT_EQ(StreamPositions(), std::vector<int64_t>{4});
  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);
  fake_clock_.Advance(absl::Seconds(1));
  Poll(*consumer);
  EXPECT_EQ(ReplayRequest(), "1");
  ASSERT_TRUE(relay->PublishOnceForTest().ok());  // the replay: a marker, 4
  EXPECT_FALSE(relay->ReplayingForTest());
  ASSERT_TRUE(relay->PublishOnceForTest().ok());  // 5
  Poll(*consumer, 3);

  EXPECT_EQ(Applied(), Ids(4, 5));
  EXPECT_EQ(consumer->lost_events(), 3);
  EXPECT_EQ(LostEvents(), 3);
  EXPECT_EQ(Position(), 5);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, ProcessedMarksPastTheirRetentionGoAndReplaysStayApplied) {
  clock_ = &fake_clock_;
  for (int i = 1; i <= 2; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  auto relay = NewRelay();
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  auto consumer = NewConsumer("engagement-0", kGroup, &fake_clock_);
  Poll(*consumer, 2);
  ASSERT_EQ(Applied(), Ids(1, 2));

  fake_clock_.Advance(absl::Hours(24 * 10));
  ASSERT_TRUE(Append(Event(3)).ok());
  ASSERT_TRUE(relay->PublishOnceForTest().ok());
  Poll(*consumer, 1);
  ASSERT_EQ(Applied(), Ids(1, 3));

  RetentionJob retention(consumer_db_.get(), &fake_clock_, absl::Hours(1));
  retention.Add("processed events", [](sql::Transaction& txn, absl::Time now) {
    return PurgeProcessedEvents(txn, now - absl::Hours(24 * 14),
                                kPurgeBatchSize);
  });
  absl::StatusOr<int64_t> purged = retention.RunOnce();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 0);  // all within 14 days
  fake_clock_.Advance(absl::Hours(24 * 5));
  purged = retention.RunOnce();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(ConsumerNumber("SELECT count(*) FROM processed_events"), 1);

  // A replay of everything: positions keep the purged events applied once.
  ASSERT_TRUE(
      redis_->Command({"HSET", ReplayRequestsKey(kStream), kOtherGroup, "1"})
          .ok());
  fake_clock_.Advance(absl::Seconds(1));
  absl::StatusOr<int> replayed = relay->PublishOnceForTest();
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(*replayed, 3);
  Poll(*consumer, 2);
  EXPECT_EQ(Applied(), Ids(1, 3));
  EXPECT_EQ(PendingCount(), 0);
}

}  // namespace
}  // namespace clientele::events

// The outbox, the relay and the consumer together, against a real
// redis-server and real SQLite files: one "producer" service database with an
// outbox and one "consumer" service database with an `applied` table that the
// handler writes in the consumer's transaction.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/events/consumer.h"
#include "common/events/outbox.h"
#include "common/events/relay.h"
#include "common/redis/fault_injecting_redis_client.h"
#include "common/redis/hiredis_client.h"
#include "common/sql/database.h"
#include "common/sql/fault_injecting_database.h"
#include "common/sql/sqlite_database.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"

namespace clientele::events {
namespace {

using ::clientele::redis::HiredisClient;
using ::clientele::redis::HiredisOptions;
using ::clientele::redis::Reply;
using ::clientele::testing::RedisServerForTest;
using ::clientele::testing::TempDir;

constexpr char kStream[] = "events:contacts";
constexpr char kGroup[] = "engagement";
using ::clientele::testing::WaitFor;

std::unique_ptr<sql::Database> OpenDatabase(
    const std::string& path, const std::vector<sql::Migration>& extra) {
  absl::StatusOr<std::unique_ptr<sql::Database>> db =
      sql::SqliteDatabase::Open(sql::SqliteOptions{path});
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return nullptr;
  std::vector<sql::Migration> migrations = {
      {1, "outbox and processed_events", kOutboxMigrationSql}};
  for (const sql::Migration& migration : extra) migrations.push_back(migration);
  absl::StatusOr<int> version = (*db)->Migrate(migrations);
  EXPECT_TRUE(version.ok()) << version.status();
  return *std::move(db);
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServerForTest::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);

    producer_db_ = std::make_unique<sql::FaultInjectingDatabase>(
        OpenDatabase(dir_.File("contacts.db"), {}));
    consumer_db_ = OpenDatabase(
        dir_.File("engagement.db"),
        {{2, "applied",
          "CREATE TABLE applied (n INTEGER PRIMARY KEY AUTOINCREMENT, "
          "event_id TEXT NOT NULL, tenant TEXT NOT NULL, type TEXT NOT NULL, "
          "payload BLOB NOT NULL)"}});
    ASSERT_NE(consumer_db_, nullptr);

    redis_ = std::make_unique<HiredisClient>(RedisOptions());
  }

  HiredisOptions RedisOptions() const {
    HiredisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    return options;
  }

  std::unique_ptr<OutboxRelay> NewRelay() {
    OutboxRelayOptions options;
    options.poll_interval = absl::Milliseconds(50);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    return std::make_unique<OutboxRelay>(producer_db_.get(), redis_.get(),
                                         options);
  }

  // A consumer with its own blocking connection, as in production.
  std::unique_ptr<EventConsumer> NewConsumer(
      const std::string& name = "engagement-0") {
    EventConsumerOptions options;
    options.stream = kStream;
    options.group = kGroup;
    options.consumer = name;
    options.batch_size = 16;
    options.block_timeout = absl::Milliseconds(200);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    consumer_redis_.push_back(std::make_unique<HiredisClient>(
        redis::BlockingReaderOptions(RedisOptions(), options.block_timeout)));
    return NewConsumerWith(options, consumer_redis_.back().get());
  }

  std::unique_ptr<EventConsumer> NewConsumerWith(EventConsumerOptions options,
                                                 redis::RedisClient* client) {
    return std::make_unique<EventConsumer>(
        std::move(options), consumer_db_.get(), client,
        [this](sql::Transaction& txn, const StreamEvent& event) {
          if (handler_failures_.load() > 0) {
            --handler_failures_;
            // A partial write that the failure must roll back.
            const sql::Value partial[] = {"partial", "", "", sql::Blob{""}};
            EXPECT_TRUE(txn.Exec("INSERT INTO applied (event_id, tenant, "
                                 "type, payload) VALUES (?, ?, ?, ?)",
                                 partial)
                            .ok());
            return absl::InternalError("handler failure for the test");
          }
          if (on_handle_) on_handle_();
          const sql::Value row[] = {event.event_id, event.tenant, event.type,
                                    sql::Blob{event.payload}};
          return txn
              .Exec(
                  "INSERT INTO applied (event_id, tenant, type, payload) "
                  "VALUES (?, ?, ?, ?)",
                  row)
              .status();
        });
  }

  static OutboxEvent Event(int i) {
    return {absl::StrCat("event-", i), "tenant-a", "contact.created",
            absl::StrCat(std::string("\0\xff", 2), "payload-", i)};
  }

  absl::Status Append(const OutboxEvent& event) {
    return producer_db_->Write([&](sql::Transaction& txn) {
      return AppendToOutbox(txn, kStream, event);
    });
  }

  int64_t OutboxSize() {
    int64_t size = -1;
    EXPECT_TRUE(producer_db_->base()
                    .Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query("SELECT COUNT(*) FROM outbox");
                      if (!rows.ok()) return rows.status();
                      size = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return size;
  }

  // Event ids in `applied`, in the order they were applied.
  std::vector<std::string> Applied() {
    std::vector<std::string> ids;
    EXPECT_TRUE(consumer_db_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows =
                          txn.Query("SELECT event_id FROM applied ORDER BY n");
                      if (!rows.ok()) return rows.status();
                      for (const sql::Row& row : *rows) {
                        ids.push_back(row.String(0));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  }

  // Entries delivered to the group but not acknowledged; -1 if Redis fails.
  int64_t PendingCount() {
    absl::StatusOr<Reply> reply =
        redis_->Command({"XPENDING", kStream, kGroup});
    if (!reply.ok() || reply->elements.empty()) return -1;
    return reply->elements[0].integer;
  }

  int64_t StreamLength() {
    absl::StatusOr<Reply> reply = redis_->Command({"XLEN", kStream});
    return reply.ok() ? reply->integer : -1;
  }

  static std::vector<std::string> Ids(int from, int to) {
    std::vector<std::string> ids;
    for (int i = from; i <= to; ++i) ids.push_back(Event(i).event_id);
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<sql::FaultInjectingDatabase> producer_db_;
  std::unique_ptr<sql::Database> consumer_db_;
  std::unique_ptr<HiredisClient> redis_;
  std::vector<std::unique_ptr<HiredisClient>> consumer_redis_;
  std::atomic<int> handler_failures_{0};
  std::function<void()> on_handle_;
};

TEST_F(EventsTest, EventsArriveInOrderWithTheirFields) {
  for (int i = 1; i <= 40; ++i) ASSERT_TRUE(Append(Event(i)).ok());
  // Several events in one transaction keep their order too.
  ASSERT_TRUE(producer_db_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    for (int i = 41; i <= 60; ++i) {
                      absl::Status status =
                          AppendToOutbox(txn, kStream, Event(i));
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
  EXPECT_EQ(OutboxSize(), 0);
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
                    return AppendToOutbox(txn, "not-a-stream", Event(2));
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
  EXPECT_EQ(OutboxSize(), 2);  // event 1 went out; 2 and 3 wait, in order

  const std::string del[] = {"DEL", "not-a-stream"};
  ASSERT_TRUE(redis_->Command(del).ok());
  published = relay->PublishOnceForTest();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 2);
  EXPECT_EQ(OutboxSize(), 0);
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
  EXPECT_EQ(OutboxSize(), 1);

  auto consumer = NewConsumer();
  relay->Start();
  consumer->Start();
  ASSERT_TRUE(Append(Event(2)).ok());
  relay->Wake();
  absl::SleepFor(absl::Milliseconds(300));  // let both hit the outage
  EXPECT_EQ(OutboxSize(), 2);
  EXPECT_TRUE(Applied().empty());

  ASSERT_TRUE(server_->Start().ok());
  EXPECT_TRUE(WaitFor([&] { return Applied().size() >= 2; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Applied(), Ids(1, 2));
  EXPECT_EQ(OutboxSize(), 0);
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
  EXPECT_EQ(OutboxSize(), 0);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, RolledBackEventIsNeverPublished) {
  absl::Status rolled_back =
      producer_db_->Write([&](sql::Transaction& txn) -> absl::Status {
        absl::Status status = AppendToOutbox(txn, kStream, Event(1));
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
  EXPECT_EQ(OutboxSize(), 2);
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

}  // namespace
}  // namespace clientele::events

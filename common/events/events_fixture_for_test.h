// The fixture of the event tests (events_test.cc, events_batch_test.cc): the
// outbox, the relay and the consumer together, against a real redis-server
// and real SQLite files: one "producer" service database with an outbox and
// one "consumer" service database with an `applied` table that the handler
// writes in the consumer's transaction (each consumer group records what it
// applied there).
#ifndef CLIENTELE_COMMON_EVENTS_EVENTS_FIXTURE_FOR_TEST_H_
#define CLIENTELE_COMMON_EVENTS_EVENTS_FIXTURE_FOR_TEST_H_

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/events/consumer.h"
#include "common/events/outbox.h"
#include "common/events/relay.h"
#include "common/events/stream_entry.h"
#include "common/redis/fault_injecting_redis_client.h"
#include "common/redis/hiredis_client.h"
#include "common/retention_job.h"
#include "common/sql/database.h"
#include "common/sql/fault_injecting_database.h"
#include "common/sql/sqlite_database.h"
#include "common/testing/redis_server_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"

namespace clientele::events {

using ::clientele::redis::HiredisClient;
using ::clientele::redis::HiredisOptions;
using ::clientele::redis::Reply;
using ::clientele::testing::RedisServerForTest;
using ::clientele::testing::TempDir;

inline constexpr char kStream[] = "events:contacts";
inline constexpr char kGroup[] = "engagement";
inline constexpr char kOtherGroup[] = "reporting";
using ::clientele::testing::WaitFor;

inline std::unique_ptr<sql::Database> OpenDatabase(
    const std::string& path, const std::vector<sql::Migration>& extra) {
  absl::StatusOr<std::unique_ptr<sql::Database>> db =
      sql::SqliteDatabase::Open(sql::SqliteOptions{path});
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return nullptr;
  std::vector<sql::Migration> migrations = {
      {1, "outbox and processed_events", kOutboxMigrationSql},
      {2, "retention and positions", kOutboxRetentionMigrationSql}};
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
        {{3, "applied",
          "CREATE TABLE applied (n INTEGER PRIMARY KEY AUTOINCREMENT, "
          "consumer_group TEXT NOT NULL, event_id TEXT NOT NULL, "
          "tenant TEXT NOT NULL, type TEXT NOT NULL, payload BLOB NOT "
          "NULL)"}});
    ASSERT_NE(consumer_db_, nullptr);

    redis_ = std::make_unique<HiredisClient>(RedisOptions());
  }

  HiredisOptions RedisOptions() const {
    HiredisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    return options;
  }

  // Threads run on the real clock (clock_); tests that step a relay or a
  // consumer by hand give them fake_clock_.
  std::unique_ptr<OutboxRelay> NewRelay(Clock* clock = nullptr) {
    OutboxRelayOptions options;
    options.poll_interval = absl::Milliseconds(50);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    options.check_interval = absl::Milliseconds(100);
    return std::make_unique<OutboxRelay>(producer_db_.get(), redis_.get(),
                                         clock ? clock : clock_, options);
  }

  // A consumer with its own blocking connection, as in production.
  std::unique_ptr<EventConsumer> NewConsumer(
      const std::string& name = "engagement-0",
      const std::string& group = kGroup, Clock* clock = nullptr) {
    EventConsumerOptions options;
    options.stream = kStream;
    options.group = group;
    options.consumer = name;
    options.batch_size = 16;
    options.block_timeout = absl::Milliseconds(200);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    options.gap_grace = absl::Milliseconds(100);
    options.replay_retry = absl::Milliseconds(500);
    options.apply_read_in_one_transaction = apply_read_in_one_transaction_;
    options.finish_transaction = finish_transaction_;
    if (clock != nullptr) {
      options.gap_grace = absl::Seconds(1);
      options.replay_retry = absl::Seconds(5);
    }
    consumer_redis_.push_back(std::make_unique<HiredisClient>(
        redis::BlockingReaderOptions(RedisOptions(), options.block_timeout)));
    return NewConsumerWith(options, consumer_redis_.back().get(), clock);
  }

  std::unique_ptr<EventConsumer> NewConsumerWith(EventConsumerOptions options,
                                                 redis::RedisClient* client,
                                                 Clock* clock = nullptr) {
    const std::string group = options.group;
    return std::make_unique<EventConsumer>(
        std::move(options), consumer_db_.get(), client, clock ? clock : clock_,
        [this, group](sql::Transaction& txn, const StreamEvent& event) {
          if (handler_failures_.load() > 0) {
            --handler_failures_;
            // A partial write that the failure must roll back.
            const sql::Value partial[] = {group, "partial", "", "",
                                          sql::Blob{""}};
            EXPECT_TRUE(txn.Exec("INSERT INTO applied (consumer_group, "
                                 "event_id, tenant, type, payload) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 partial)
                            .ok());
            return absl::InternalError("handler failure for the test");
          }
          if (on_handle_) on_handle_();
          const sql::Value row[] = {group, event.event_id, event.tenant,
                                    event.type, sql::Blob{event.payload}};
          return txn
              .Exec(
                  "INSERT INTO applied (consumer_group, event_id, tenant, "
                  "type, payload) VALUES (?, ?, ?, ?, ?)",
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
      return AppendToOutbox(txn, kStream, event, clock_->Now());
    });
  }

  // One number from the producer's database.
  int64_t ProducerCount(const std::string& sql) {
    int64_t count = -1;
    EXPECT_TRUE(producer_db_->base()
                    .Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(sql);
                      if (!rows.ok()) return rows.status();
                      count = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return count;
  }
  // Rows in the outbox, published (kept for replays) or not.
  int64_t OutboxSize() { return ProducerCount("SELECT COUNT(*) FROM outbox"); }
  // Rows not published yet.
  int64_t Waiting() {
    return ProducerCount(
        "SELECT COUNT(*) FROM outbox JOIN outbox_streams USING (stream) "
        "WHERE stream_seq > published_seq");
  }

  // One number from the consumer's database (-1 when there is no row).
  int64_t ConsumerNumber(const std::string& sql,
                         std::vector<sql::Value> params = {}) {
    int64_t number = -1;
    EXPECT_TRUE(consumer_db_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(sql, params);
                      if (!rows.ok()) return rows.status();
                      if (!rows->empty()) number = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return number;
  }
  // The last position `group` applied, and how many events it lost.
  int64_t Position(const std::string& group = kGroup) {
    return ConsumerNumber(
        "SELECT last_seq FROM consumer_positions WHERE consumer_group = ?",
        {group});
  }
  int64_t LostEvents(const std::string& group = kGroup) {
    return ConsumerNumber(
        "SELECT lost_events FROM consumer_positions WHERE consumer_group = ?",
        {group});
  }

  // Event ids `group` applied, in the order it applied them.
  std::vector<std::string> Applied(const std::string& group = kGroup) {
    std::vector<std::string> ids;
    EXPECT_TRUE(consumer_db_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      const sql::Value params[] = {group};
                      auto rows = txn.Query(
                          "SELECT event_id FROM applied "
                          "WHERE consumer_group = ? ORDER BY n",
                          params);
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
  int64_t PendingCount(const std::string& group = kGroup) {
    absl::StatusOr<Reply> reply = redis_->Command({"XPENDING", kStream, group});
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

  // The `seq` of each entry of the stream, oldest first (0: none).
  std::vector<int64_t> StreamPositions() {
    std::vector<int64_t> positions;
    absl::StatusOr<Reply> reply =
        redis_->Command({"XRANGE", kStream, "-", "+"});
    if (!reply.ok()) return positions;
    for (const Reply& entry : reply->elements) {
      int64_t seq = 0;
      const Reply& fields = entry.elements[1];
      for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
        if (fields.elements[i].str == kSeqField) {
          seq = std::stoll(fields.elements[i + 1].str);
        }
      }
      positions.push_back(seq);
    }
    return positions;
  }

  // Deletes the stream entry at position `seq`, as if Redis had lost it.
  void DeleteEntryAt(int64_t seq) {
    absl::StatusOr<Reply> reply =
        redis_->Command({"XRANGE", kStream, "-", "+"});
    ASSERT_TRUE(reply.ok());
    for (const Reply& entry : reply->elements) {
      const Reply& fields = entry.elements[1];
      for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
        if (fields.elements[i].str == kSeqField &&
            fields.elements[i + 1].str == absl::StrCat(seq)) {
          ASSERT_TRUE(
              redis_->Command({"XDEL", kStream, entry.elements[0].str}).ok());
        }
      }
    }
  }

  // What a group asked to have published again ("" when nothing).
  std::string ReplayRequest(const std::string& group = kGroup) {
    absl::StatusOr<Reply> reply =
        redis_->Command({"HGET", ReplayRequestsKey(kStream), group});
    return reply.ok() ? reply->str : "error";
  }

  // Polls `consumer` `times` times; failures (a held gap) are expected.
  static void Poll(EventConsumer& consumer, int times = 1) {
    for (int i = 0; i < times; ++i) consumer.PollOnceForTest().IgnoreError();
  }

  TempDir dir_;
  Clock* clock_ = RealClock::Get();
  FakeClock fake_clock_;
  std::unique_ptr<RedisServerForTest> server_;
  std::unique_ptr<sql::FaultInjectingDatabase> producer_db_;
  std::unique_ptr<sql::Database> consumer_db_;
  std::unique_ptr<HiredisClient> redis_;
  std::vector<std::unique_ptr<HiredisClient>> consumer_redis_;
  std::atomic<int> handler_failures_{0};
  std::function<void()> on_handle_;
  // What NewConsumer sets EventConsumerOptions.apply_read_in_one_transaction
  // to.
  bool apply_read_in_one_transaction_ = false;
  // What NewConsumer sets EventConsumerOptions.finish_transaction to.
  std::function<absl::Status(sql::Transaction&, bool)> finish_transaction_;
};

}  // namespace clientele::events

#endif  // CLIENTELE_COMMON_EVENTS_EVENTS_FIXTURE_FOR_TEST_H_

#include "common/retention_job.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/sql/database.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "common/testing/wait_for.h"
#include "gtest/gtest.h"

namespace clientele {
namespace {

constexpr absl::Duration kRetention = absl::Hours(24);

// A table of rows stamped with a time, purged kRetention after it.
class RetentionJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenSqliteForTest(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    const sql::Migration migrations[] = {
        {1, "rows",
         "CREATE TABLE items (id INTEGER PRIMARY KEY, at_us INTEGER NOT "
         "NULL)"}};
    ASSERT_TRUE(db_->Migrate(migrations).ok());
  }

  static absl::StatusOr<int64_t> PurgeRows(sql::Transaction& txn,
                                           absl::Time now) {
    const sql::Value params[] = {int64_t{absl::ToUnixMicros(now - kRetention)},
                                 kPurgeBatchSize};
    return txn.Exec(
        "DELETE FROM items WHERE id IN "
        "(SELECT id FROM items WHERE at_us < ? ORDER BY at_us LIMIT ?)",
        params);
  }

  // `count` rows stamped `at`.
  void Insert(int count, absl::Time at) {
    ASSERT_TRUE(
        db_->Write([&](sql::Transaction& txn) -> absl::Status {
             for (int i = 0; i < count; ++i) {
               const sql::Value params[] = {int64_t{absl::ToUnixMicros(at)}};
               absl::Status status =
                   txn.Exec("INSERT INTO items (at_us) VALUES (?)", params)
                       .status();
               if (!status.ok()) return status;
             }
             return absl::OkStatus();
           })
            .ok());
  }

  int64_t Count() {
    int64_t count = -1;
    EXPECT_TRUE(db_->Read([&](sql::Transaction& txn) -> absl::Status {
                     auto rows = txn.Query("SELECT count(*) FROM items");
                     if (!rows.ok()) return rows.status();
                     count = (*rows)[0].Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return count;
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
  FakeClock clock_;
};

TEST_F(RetentionJobTest, RowsPastTheRetentionGoAndRowsWithinStay) {
  const absl::Time start = clock_.Now();
  // More than two batches of old rows, and some within the retention.
  Insert(2500, start - absl::Hours(30));
  Insert(3, start - absl::Hours(2));
  RetentionJob job(db_.get(), &clock_, absl::Hours(1));
  job.Add("rows", &PurgeRows);

  absl::StatusOr<int64_t> removed = job.RunOnce();
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2500);
  EXPECT_EQ(Count(), 3);

  removed = job.RunOnce();
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 0);
  EXPECT_EQ(Count(), 3);

  // A day later they are past it too.
  clock_.Advance(absl::Hours(23));
  removed = job.RunOnce();
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(Count(), 0);
}

TEST_F(RetentionJobTest, AFailingPurgeLeavesTheOthersRunningAndReportsIt) {
  Insert(10, clock_.Now() - absl::Hours(48));
  RetentionJob job(db_.get(), &clock_, absl::Hours(1));
  job.Add("broken", [](sql::Transaction& txn, absl::Time) {
    return txn.Exec("DELETE FROM no_such_table");
  });
  job.Add("rows", &PurgeRows);
  absl::StatusOr<int64_t> removed = job.RunOnce();
  EXPECT_EQ(removed.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Count(), 0);
}

TEST_F(RetentionJobTest, TheThreadPurgesOnStartAndStops) {
  Insert(5, clock_.Now() - absl::Hours(48));
  Insert(1, clock_.Now());
  RetentionJob job(db_.get(), &clock_, absl::Hours(1));
  job.Add("rows", &PurgeRows);
  job.Start();
  EXPECT_TRUE(testing::WaitFor([&] { return Count() == 1; }));
  job.Stop();
  job.Stop();  // idempotent
  EXPECT_EQ(Count(), 1);
}

}  // namespace
}  // namespace clientele

// The timeline on a real SQLite database: it is indexed by occur week (so
// that batches append), yet lists newest first across weeks, pages and
// ranges exactly as if it were indexed by occur time; and the week of every
// row, whether stored now or back-filled by the migration, is WeekStart.
#include "services/engagement/sqlite_interaction_store.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/sql/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/activity.h"
#include "services/engagement/engagement_schema.h"

namespace clientele::engagement {
namespace {

constexpr char kTenant[] = "acme";

// A Monday, 00:00 UTC.
const absl::Time kMonday =
    absl::FromCivil(absl::CivilDay(2025, 12, 29), absl::UTCTimeZone());

class SqliteInteractionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql::SqliteOptions options;
    options.path = dir_.File("engagement.db");
    options.synchronous_full = false;
    auto database = sql::SqliteDatabase::Open(options);
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
  }

  void MigrateAll() {
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
  }

  // Stores interaction `id` of account "a" at `at`, one batch per call.
  void Insert(std::vector<std::pair<std::string, absl::Time>> rows) {
    std::vector<v1::Interaction> batch;
    for (const auto& [id, at] : rows) {
      v1::Interaction interaction;
      interaction.set_name(absl::StrCat("interactions/", id));
      interaction.set_account("accounts/a");
      interaction.set_kind(v1::INTERACTION_KIND_MEETING);
      SetTimestamp(at, interaction.mutable_occur_time());
      batch.push_back(interaction);
      stored_.push_back(interaction);
    }
    std::vector<const v1::Interaction*> pointers;
    for (const v1::Interaction& interaction : batch) {
      pointers.push_back(&interaction);
    }
    ASSERT_TRUE(database_
                    ->Write([&](sql::Transaction& txn) {
                      return store_.Insert(txn, kTenant, "a", "", pointers);
                    })
                    .ok());
  }

  // Every page of `limit` of the filtered timeline, as names.
  std::vector<std::string> ListAll(const InteractionFilter& filter, int limit) {
    std::vector<std::string> names;
    std::optional<TimelineCursor> after;
    for (;;) {
      std::vector<v1::Interaction> page;
      EXPECT_TRUE(database_
                      ->Read([&](sql::Transaction& txn) -> absl::Status {
                        auto listed = store_.List(txn, kTenant, "a", filter,
                                                  after, limit);
                        if (!listed.ok()) return listed.status();
                        page = *std::move(listed);
                        return absl::OkStatus();
                      })
                      .ok());
      for (const v1::Interaction& interaction : page) {
        names.push_back(interaction.name());
      }
      if (static_cast<int>(page.size()) < limit) return names;
      auto cursor =
          TimelineCursor::FromKey(TimelineCursor::KeyOf(page.back()), "");
      EXPECT_TRUE(cursor.ok());
      after = *cursor;
    }
  }

  // What ListAll must answer: the stored interactions matching [start,
  // end), newest occur time first, then highest id.
  std::vector<std::string> Expected(absl::Time start, absl::Time end) const {
    std::vector<v1::Interaction> matching;
    for (const v1::Interaction& interaction : stored_) {
      const absl::Time at = ToTime(interaction.occur_time());
      if (at >= start && at < end) matching.push_back(interaction);
    }
    std::sort(matching.begin(), matching.end(),
              [](const v1::Interaction& x, const v1::Interaction& y) {
                const absl::Time tx = ToTime(x.occur_time());
                const absl::Time ty = ToTime(y.occur_time());
                if (tx != ty) return tx > ty;
                return x.name() > y.name();
              });
    std::vector<std::string> names;
    for (const v1::Interaction& interaction : matching) {
      names.push_back(interaction.name());
    }
    return names;
  }

  // (occur_us, week_us) of every stored row.
  std::vector<std::pair<int64_t, int64_t>> Weeks() {
    std::vector<std::pair<int64_t, int64_t>> weeks;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto rows = txn.Query(
                          "SELECT occur_us, week_us FROM interactions");
                      if (!rows.ok()) return rows.status();
                      for (const sql::Row& row : *rows) {
                        weeks.emplace_back(row.Int(0), row.Int(1));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return weeks;
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::Database> database_;
  SqliteInteractionStore store_;
  std::vector<v1::Interaction> stored_;
};

// Times on both sides of week boundaries, ties, and ids that do not follow
// occur times.
TEST_F(SqliteInteractionStoreTest, ListsNewestFirstAcrossWeeksInEveryPaging) {
  MigrateAll();
  const absl::Duration us = absl::Microseconds(1);
  Insert({{"k", kMonday},
          {"b", kMonday - us},
          {"x", kMonday + absl::Hours(24 * 7)},
          {"c", kMonday + absl::Hours(24 * 7) - us},
          {"m", kMonday + absl::Hours(30)}});
  Insert({{"a", kMonday + absl::Hours(30)},  // ties with "m"
          {"z", kMonday - absl::Hours(24 * 40)},
          {"d", kMonday + absl::Hours(24 * 15)},
          {"y", kMonday},
          {"e", kMonday - absl::Hours(24 * 7)}});
  const std::vector<std::string> all =
      Expected(absl::InfinitePast(), absl::InfiniteFuture());
  ASSERT_EQ(all.size(), 10u);
  for (int limit : {1, 2, 3, 4, 10, 11}) {
    EXPECT_EQ(ListAll(InteractionFilter(), limit), all) << "limit " << limit;
  }
}

TEST_F(SqliteInteractionStoreTest, RangesCutAtTheExactMicrosecond) {
  MigrateAll();
  const absl::Duration us = absl::Microseconds(1);
  const absl::Time next_monday = kMonday + absl::Hours(24 * 7);
  Insert({{"a", kMonday - us},
          {"b", kMonday},
          {"c", kMonday + us},
          {"d", next_monday - us},
          {"e", next_monday},
          {"f", next_monday + us},
          {"g", kMonday + absl::Hours(50)}});
  const std::vector<std::pair<absl::Time, absl::Time>> ranges = {
      {kMonday, next_monday},
      {kMonday + us, next_monday - us},
      {kMonday - us, kMonday},
      {next_monday, absl::InfiniteFuture()},
      {absl::InfinitePast(), kMonday + us},
      {kMonday + absl::Hours(50), kMonday + absl::Hours(50) + us},
  };
  for (const auto& [start, end] : ranges) {
    InteractionFilter filter;
    filter.start = start;
    filter.end = end;
    for (int limit : {1, 2, 100}) {
      EXPECT_EQ(ListAll(filter, limit), Expected(start, end))
          << absl::FormatTime(start) << " - " << absl::FormatTime(end)
          << ", limit " << limit;
    }
  }
}

TEST_F(SqliteInteractionStoreTest, EveryRowsWeekIsItsWeekStart) {
  // Rows stored before the week column existed get it from the migration;
  // rows stored after, from the store. Both must be WeekStart, which the
  // activity buckets (and deletes rebuilding them) use.
  const std::vector<sql::Migration> all = EngagementMigrations();
  ASSERT_GE(all.size(), 4u);
  const std::vector<sql::Migration> before(all.begin(), all.begin() + 3);
  ASSERT_TRUE(database_->Migrate(before).ok());
  const std::vector<absl::Time> times = {
      kMonday,
      kMonday - absl::Microseconds(1),
      kMonday + absl::Hours(24 * 7) - absl::Microseconds(1),
      absl::UnixEpoch(),
      absl::UnixEpoch() - absl::Microseconds(1),
      absl::FromCivil(absl::CivilSecond(1969, 12, 29, 0, 0, 0),
                      absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59),
                      absl::UTCTimeZone()),
  };
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    for (size_t i = 0; i < times.size(); ++i) {
                      const sql::Value row[] = {std::string(kTenant),
                                                absl::StrCat("old-", i),
                                                ToMicros(times[i])};
                      absl::Status inserted =
                          txn.Exec(
                                 "INSERT INTO interactions (tenant, "
                                 "interaction_id, account_id, contact_id, "
                                 "kind, staff_user, occur_us, data) VALUES "
                                 "(?, ?, 'a', '', 1, '', ?, x'')",
                                 row)
                              .status();
                      if (!inserted.ok()) return inserted;
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  MigrateAll();
  std::vector<std::pair<std::string, absl::Time>> rows;
  for (size_t i = 0; i < times.size(); ++i) {
    rows.emplace_back(absl::StrCat("new-", i), times[i]);
  }
  Insert(rows);

  const auto weeks = Weeks();
  ASSERT_EQ(weeks.size(), 2 * times.size());
  for (const auto& [occur_us, week_us] : weeks) {
    EXPECT_EQ(week_us, ToMicros(WeekStart(FromMicros(occur_us))))
        << absl::FormatTime(FromMicros(occur_us));
  }
}

}  // namespace
}  // namespace clientele::engagement

// The timeline on a real SQLite database: it is indexed by occur week (so
// that batches append), yet lists newest first across weeks, pages and
// ranges exactly as if it were indexed by occur time; and the week of every
// row, whether stored now or back-filled by the migration, is WeekStart.
// The packed copy of an account's aggregates that scoring reads equals the
// aggregate tables after every kind of write; the staff lines migration 11
// back-fills from the timeline equal those recording keeps.
#include "services/engagement/sqlite_interaction_store.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/testing/sqlite_for_test.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/engagement/engagement_schema.h"
#include "services/engagement/scoring/activity.h"
#include "services/engagement/scoring/activity_for_test.h"

namespace clientele::engagement {
namespace {

constexpr char kTenant[] = "acme";

// A Monday, 00:00 UTC.
const absl::Time kMonday =
    absl::FromCivil(absl::CivilDay(2025, 12, 29), absl::UTCTimeZone());

class SqliteInteractionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = testing::OpenSqliteForTest(dir_, "engagement.db");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
  }

  void MigrateAll() {
    ASSERT_TRUE(database_->Migrate(EngagementMigrations()).ok());
  }

  // Stores interaction `id` of account "a" at `at`, one batch per call.
  void Insert(const std::vector<std::pair<std::string, absl::Time>>& rows) {
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
    pointers.reserve(batch.size());
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
    names.reserve(matching.size());
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

// An interaction of `account` for the packed-activity test, its fields
// varied by `n` so that every bucket column takes several values.
v1::Interaction Varied(int n, absl::string_view account,
                       absl::string_view contact) {
  static constexpr v1::InteractionKind kKinds[] = {
      v1::INTERACTION_KIND_EMAIL, v1::INTERACTION_KIND_PURCHASE,
      v1::INTERACTION_KIND_SURVEY_RESPONSE, v1::INTERACTION_KIND_REFUND};
  v1::Interaction interaction;
  interaction.set_name(absl::StrCat("interactions/", account, "-", n));
  interaction.set_account(absl::StrCat("accounts/", account));
  if (!contact.empty()) {
    interaction.set_contact(absl::StrCat("contacts/", contact));
  }
  const v1::InteractionKind kind = kKinds[n % 4];
  interaction.set_kind(kind);
  if (kind == v1::INTERACTION_KIND_PURCHASE ||
      kind == v1::INTERACTION_KIND_REFUND) {
    interaction.mutable_amount()->set_currency_code(n % 5 == 0 ? "USD" : "EUR");
    interaction.mutable_amount()->set_amount_minor_units(
        kind == v1::INTERACTION_KIND_REFUND ? -100 * n : 1000 + n);
  }
  if (kind == v1::INTERACTION_KIND_SURVEY_RESPONSE) {
    interaction.set_rating(1 + n % 5);
  }
  if (n % 3 == 0) interaction.set_direction(v1::INTERACTION_DIRECTION_INBOUND);
  // Staff on most, of which only the emails (one-to-one service) count in
  // the staff lines.
  static constexpr absl::string_view kStaff[] = {"", "staff-ann", "staff-bo"};
  interaction.set_staff_user(std::string(kStaff[n % 3]));
  interaction.set_personalization(n % 2 == 0 ? v1::PERSONALIZATION_PERSONALIZED
                                             : v1::PERSONALIZATION_STANDARD);
  // About two interactions a week over ~15 weeks, either side of kMonday.
  SetTimestamp(kMonday + absl::Hours(83 * (n - 45)),
               interaction.mutable_occur_time());
  return interaction;
}

TEST_F(SqliteInteractionStoreTest, PackedActivityEqualsTheTablesAfterWrites) {
  MigrateAll();
  const auto insert = [&](absl::string_view account, int from, int to) {
    static constexpr absl::string_view kContacts[] = {"alice", "bob", "",
                                                      "carol"};
    std::vector<v1::Interaction> batch;
    for (int n = from; n < to; ++n) {
      batch.push_back(Varied(n, account, kContacts[n % 4]));
    }
    std::vector<const v1::Interaction*> pointers;
    pointers.reserve(batch.size());
    for (const v1::Interaction& interaction : batch) {
      pointers.push_back(&interaction);
    }
    return database_->Write([&](sql::Transaction& txn) {
      return store_.Insert(txn, kTenant, account, "EUR", pointers);
    });
  };
  // What LoadActivity answers from the packed row, then (that row deleted
  // and the deletion rolled back) from the tables; whether it had a row.
  struct Loaded {
    bool packed = false;
    std::vector<std::string> packed_lines;
    std::vector<std::string> table_lines;
  };
  const auto load = [&](absl::string_view account, absl::Time since) {
    Loaded loaded;
    const auto describe = [](const ActivitySummary& summary) {
      std::vector<std::string> lines = DescribeForTest(summary.buckets);
      for (std::string& line : DescribeForTest(summary.contacts)) {
        lines.push_back(std::move(line));
      }
      for (std::string& line : DescribeForTest(summary.staff)) {
        lines.push_back(std::move(line));
      }
      return lines;
    };
    const absl::Status rolled_back =
        database_->Write([&](sql::Transaction& txn) -> absl::Status {
          const sql::Value key[] = {std::string(kTenant), std::string(account)};
          auto rows = txn.Query(
              "SELECT count(*) FROM activity_packed WHERE tenant = ? AND "
              "account_id = ?",
              key);
          if (!rows.ok()) return rows.status();
          loaded.packed = (*rows)[0].Int(0) == 1;
          auto from_packed = store_.LoadActivity(txn, kTenant, account, since);
          if (!from_packed.ok()) return from_packed.status();
          loaded.packed_lines = describe(*from_packed);
          auto deleted = txn.Exec(
              "DELETE FROM activity_packed WHERE tenant = ? AND account_id = ?",
              key);
          if (!deleted.ok()) return deleted.status();
          auto from_tables = store_.LoadActivity(txn, kTenant, account, since);
          if (!from_tables.ok()) return from_tables.status();
          loaded.table_lines = describe(*from_tables);
          return absl::AbortedError("roll back");
        });
    EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted) << rolled_back;
    return loaded;
  };
  const std::vector<absl::Time> sinces = {
      absl::InfinitePast(), kMonday - absl::Hours(24 * 30),
      kMonday + absl::Hours(24 * 3), kMonday + absl::Hours(24 * 400)};
  // Every account with activity has a packed row equal to the tables from
  // any `since`; the others have none.
  const auto expect_packed_equals_tables = [&](absl::string_view step) {
    for (absl::string_view account : {"a", "b", "c"}) {
      const Loaded all = load(account, absl::InfinitePast());
      EXPECT_EQ(all.packed, !all.table_lines.empty())
          << step << ", account " << account;
      for (absl::Time since : sinces) {
        const Loaded loaded = load(account, since);
        EXPECT_EQ(loaded.packed_lines, loaded.table_lines)
            << step << ", account " << account << ", since "
            << absl::FormatTime(since);
      }
    }
  };

  ASSERT_TRUE(insert("a", 0, 40).ok());
  ASSERT_TRUE(insert("a", 40, 90).ok());  // adds to existing buckets
  ASSERT_TRUE(insert("b", 20, 70).ok());
  ASSERT_TRUE(insert("c", 0, 30).ok());
  ASSERT_GT(load("a", absl::InfinitePast()).table_lines.size(), 40u);
  expect_packed_equals_tables("inserted");

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return store_.Delete(txn, kTenant, "a-41");
                  })
                  .ok());
  expect_packed_equals_tables("deleted one");
  // An email staff-ann sent: her line is recounted without it.
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return store_.Delete(txn, kTenant, "a-52");
                  })
                  .ok());
  expect_packed_equals_tables("deleted a served one");
  {
    ActivitySummary expected;
    for (int n = 0; n < 90; ++n) {
      if (n == 41 || n == 52) continue;
      AddToSummary(Varied(n, "a", ""), &expected);
    }
    std::vector<std::string> staff_lines;
    for (const std::string& line :
         load("a", absl::InfinitePast()).table_lines) {
      if (absl::StartsWith(line, "staff ")) staff_lines.push_back(line);
    }
    EXPECT_EQ(staff_lines, DescribeForTest(expected.staff));
    ASSERT_EQ(expected.staff.size(), 2u);
  }

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return store_.MoveAccount(txn, kTenant, "b", "a", "EUR");
                  })
                  .ok());
  EXPECT_TRUE(load("b", absl::InfinitePast()).table_lines.empty());
  expect_packed_equals_tables("merged b into a");

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) -> absl::Status {
                    return store_.ForgetContact(txn, kTenant, "alice").status();
                  })
                  .ok());
  for (const std::string& line : load("a", absl::InfinitePast()).packed_lines) {
    EXPECT_EQ(line.find("alice"), std::string::npos) << line;
  }
  expect_packed_equals_tables("forgot alice");

  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    return store_.DeleteAccount(txn, kTenant, "a");
                  })
                  .ok());
  EXPECT_TRUE(load("a", absl::InfinitePast()).table_lines.empty());
  EXPECT_FALSE(load("c", absl::InfinitePast()).table_lines.empty());
  expect_packed_equals_tables("deleted a");
}

TEST_F(SqliteInteractionStoreTest, StaffLinesAreBackFilledFromTheTimeline) {
  // A database at migration 10 holding interactions (and a version 1 packed
  // row, which had no staff) gets the staff lines recording would have
  // kept, and scoring reads them until the next write repacks the account.
  std::vector<sql::Migration> before;
  for (sql::Migration& migration : EngagementMigrations()) {
    if (migration.version < 11) before.push_back(std::move(migration));
  }
  ASSERT_EQ(before.size(), 10u);
  ASSERT_TRUE(database_->Migrate(before).ok());
  ActivitySummary expected;
  ASSERT_TRUE(
      database_
          ->Write([&](sql::Transaction& txn) -> absl::Status {
            for (int n = 0; n < 60; ++n) {
              const v1::Interaction interaction =
                  Varied(n, n % 5 == 0 ? "b" : "a", "");
              if (n % 5 != 0) AddToSummary(interaction, &expected);
              const int64_t occur_us =
                  ToMicros(ToTime(interaction.occur_time()));
              const sql::Value row[] = {
                  std::string(kTenant),
                  absl::StrCat(n),
                  n % 5 == 0 ? std::string("b") : std::string("a"),
                  int64_t{interaction.kind()},
                  interaction.staff_user(),
                  occur_us,
                  ToMicros(WeekStart(FromMicros(occur_us))),
                  sql::Blob{interaction.SerializeAsString()}};
              absl::Status inserted =
                  txn.Exec(
                         "INSERT INTO interactions (tenant, interaction_id, "
                         "account_id, contact_id, kind, staff_user, occur_us, "
                         "week_us, data) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
                         row)
                      .status();
              if (!inserted.ok()) return inserted;
            }
            return txn
                .Exec(
                    "INSERT INTO activity_packed (tenant, account_id, data) "
                    "VALUES ('acme', 'a', x'0100')")
                .status();
          })
          .ok());
  MigrateAll();

  const auto staff_of = [&](absl::string_view account) {
    std::vector<std::string> lines;
    EXPECT_TRUE(database_
                    ->Read([&](sql::Transaction& txn) -> absl::Status {
                      auto loaded = store_.LoadActivity(txn, kTenant, account,
                                                        absl::InfinitePast());
                      if (!loaded.ok()) return loaded.status();
                      lines = DescribeForTest(loaded->staff);
                      return absl::OkStatus();
                    })
                    .ok());
    return lines;
  };
  ASSERT_EQ(expected.staff.size(), 2u);
  EXPECT_EQ(staff_of("a"), DescribeForTest(expected.staff));
  EXPECT_FALSE(staff_of("b").empty());

  // The next write repacks the account, staff included.
  const v1::Interaction more = Varied(100, "a", "");
  ASSERT_EQ(more.kind(), v1::INTERACTION_KIND_EMAIL);
  AddToSummary(more, &expected);
  ASSERT_TRUE(database_
                  ->Write([&](sql::Transaction& txn) {
                    const v1::Interaction* batch[] = {&more};
                    return store_.Insert(txn, kTenant, "a", "EUR", batch);
                  })
                  .ok());
  EXPECT_EQ(staff_of("a"), DescribeForTest(expected.staff));
}

}  // namespace
}  // namespace clientele::engagement

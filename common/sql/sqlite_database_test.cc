#include "common/sql/sqlite_database.h"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/sql/database.h"
#include "common/sql/fault_injecting_database.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::sql {
namespace {

using ::testing::HasSubstr;

absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

#define ASSERT_OK(expr)                                 \
  do {                                                  \
    const absl::Status assert_status_ = StatusOf(expr); \
    ASSERT_TRUE(assert_status_.ok()) << assert_status_; \
  } while (false)
#define EXPECT_OK(expr)                                 \
  do {                                                  \
    const absl::Status expect_status_ = StatusOf(expr); \
    EXPECT_TRUE(expect_status_.ok()) << expect_status_; \
  } while (false)

std::vector<Migration> ContactsMigrations() {
  return {
      {1, "contacts",
       "CREATE TABLE contacts (id INTEGER PRIMARY KEY, "
       "email TEXT NOT NULL UNIQUE, name TEXT);"},
      {2, "tags with a seed row",
       "CREATE TABLE tags (name TEXT PRIMARY KEY);"
       "INSERT INTO tags (name) VALUES ('vip');"},
  };
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) /
                           "sqlite_database_test.XXXXXX")
                              .string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // A directory that does not exist yet: Open creates it.
    path_ = (dir_ / "data" / "clientele.db").string();
  }

  void TearDown() override {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Opens (or reopens) the database at path_ into db_.
  void Open(int checkpoint_pages = SqliteOptions().checkpoint_pages) {
    db_.reset();
    SqliteOptions options;
    options.path = path_;
    options.checkpoint_pages = checkpoint_pages;
    absl::StatusOr<std::unique_ptr<Database>> db =
        SqliteDatabase::Open(options);
    ASSERT_OK(db);
    db_ = *std::move(db);
  }

  // Opens and migrates to the contacts schema.
  void OpenWithContacts() {
    ASSERT_NO_FATAL_FAILURE(Open());
    absl::StatusOr<int> version = db_->Migrate(ContactsMigrations());
    ASSERT_OK(version);
    ASSERT_EQ(*version, 2);
  }

  absl::Status InsertContact(absl::string_view email) {
    return db_->Write([&](Transaction& txn) {
      return txn
          .Exec("INSERT INTO contacts (email) VALUES (?)",
                {Value(std::string(email))})
          .status();
    });
  }

  // The single-value result of `sql`, read in its own transaction.
  Value QueryValue(absl::string_view sql) {
    Value result;
    EXPECT_OK(db_->Read([&](Transaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Query(sql));
      if (rows.size() != 1 || rows[0].size() != 1) {
        return absl::InternalError("expected one value");
      }
      result = rows[0].value(0);
      return absl::OkStatus();
    }));
    return result;
  }

  int64_t Count(absl::string_view table) {
    const Value v = QueryValue(absl::StrCat("SELECT count(*) FROM ", table));
    return std::holds_alternative<int64_t>(v) ? std::get<int64_t>(v) : -1;
  }

  bool TableExists(absl::string_view table) {
    Value v = QueryValue(
        absl::StrCat("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                     "AND name = '",
                     table, "'"));
    return std::get<int64_t>(v) == 1;
  }

  int64_t RecordedVersion() {
    return std::get<int64_t>(
        QueryValue("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDatabaseTest, CommitsReachTheDatabaseFileInTheBackground) {
  ASSERT_NO_FATAL_FAILURE(Open(/*checkpoint_pages=*/5));
  ASSERT_OK(db_->Write([](Transaction& txn) {
    return txn.Exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)")
        .status();
  }));
  const std::string page(4000, 'x');
  for (int i = 0; i < 400; ++i) {
    ASSERT_OK(db_->Write([&](Transaction& txn) {
      return txn.Exec("INSERT INTO blobs (data) VALUES (?)", {Blob{page}})
          .status();
    }));
  }
  // While the database stays open, the rows move from the WAL into the
  // file (400 x 4 KB), and the WAL stays bounded (64 x 5 pages before a
  // commit checkpoints by itself) instead of holding every commit.
  const std::string wal = path_ + "-wal";
  bool checkpointed = false;
  for (int i = 0; i < 500 && !checkpointed; ++i) {
    checkpointed =
        std::filesystem::file_size(path_) >= std::uintmax_t{400} * 4000;
    if (!checkpointed) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(checkpointed) << std::filesystem::file_size(path_);
  EXPECT_LT(std::filesystem::file_size(wal), 400u * 4096);
  EXPECT_EQ(Count("blobs"), 400);
}

// The raw bytes of a file; "" when it does not exist.
std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

TEST_F(SqliteDatabaseTest, PurgedDeletesLeaveNoCopyInTheFiles) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  const std::string erased = "ayse.yilmaz@example.com.tr";
  const std::string renamed = "Ayşe Yılmaz";
  for (int i = 0; i < 300; ++i) {
    ASSERT_OK(InsertContact(absl::StrCat("keep-", i, "@example.com")));
    if (i == 150) ASSERT_OK(InsertContact(erased));
  }
  ASSERT_OK(db_->Write([&](Transaction& txn) {
    return txn
        .Exec("UPDATE contacts SET name = ? WHERE email = ?",
              {Value(renamed), Value(std::string("keep-7@example.com"))})
        .status();
  }));
  ASSERT_OK(db_->Write([&](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Exec("UPDATE contacts SET name = 'someone else' "
                             "WHERE email = 'keep-7@example.com'")
                        .status());
    // The erased row, and enough others to free whole pages.
    RETURN_IF_ERROR(
        txn.Exec("DELETE FROM contacts WHERE email = ?", {Value(erased)})
            .status());
    return txn.Exec("DELETE FROM contacts WHERE id > 200").status();
  }));
  const std::string wal = path_ + "-wal";
  // Before the purge the WAL still holds the pages as they were.
  EXPECT_NE((FileBytes(path_) + FileBytes(wal)).find(erased),
            std::string::npos);

  ASSERT_OK(db_->PurgeDeletedData());
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  for (const std::string& file : {path_, wal}) {
    const std::string bytes = FileBytes(file);
    EXPECT_EQ(bytes.find(erased), std::string::npos) << file;
    EXPECT_EQ(bytes.find(renamed), std::string::npos) << file;
  }
  EXPECT_EQ(Count("contacts"), 199);  // ids 1-200 but the erased one
  EXPECT_OK(InsertContact("after@example.com"));
}

TEST_F(SqliteDatabaseTest, MigrationsApplyOnceAndSurviveReopening) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  ASSERT_OK(InsertContact("ada@example.com"));

  // Restart: same migrations, nothing re-run (the seed row would double).
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  EXPECT_EQ(Count("tags"), 1);
  EXPECT_EQ(Count("contacts"), 1);
  EXPECT_EQ(Count("schema_migrations"), 2);

  // A later release adds v3: only v3 runs.
  std::vector<Migration> migrations = ContactsMigrations();
  migrations.push_back(
      {3, "notes", "ALTER TABLE contacts ADD COLUMN notes TEXT"});
  absl::StatusOr<int> version = db_->Migrate(migrations);
  ASSERT_OK(version);
  EXPECT_EQ(*version, 3);
  EXPECT_EQ(Count("tags"), 1);
  EXPECT_EQ(std::get<std::string>(QueryValue(
                "SELECT description FROM schema_migrations WHERE version = 3")),
            "notes");
  EXPECT_EQ(std::get<std::string>(QueryValue("SELECT email FROM contacts")),
            "ada@example.com");
}

TEST_F(SqliteDatabaseTest, FailingMigrationLeavesSchemaAtPreviousVersion) {
  ASSERT_NO_FATAL_FAILURE(Open());
  std::vector<Migration> migrations = ContactsMigrations();
  migrations[1].sql =
      "CREATE TABLE tags (name TEXT PRIMARY KEY);"
      "INSERT INTO contacts (email) VALUES ('seed@example.com');"
      "THIS IS NOT SQL;";
  absl::StatusOr<int> version = db_->Migrate(migrations);
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), HasSubstr("migration 2"));

  EXPECT_EQ(RecordedVersion(), 1);
  EXPECT_TRUE(TableExists("contacts"));
  EXPECT_FALSE(TableExists("tags"));
  EXPECT_EQ(Count("contacts"), 0);

  // Once fixed, the migration applies.
  version = db_->Migrate(ContactsMigrations());
  ASSERT_OK(version);
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(Count("tags"), 1);
}

TEST_F(SqliteDatabaseTest, MigrationVersionsMustBeConsecutiveFromOne) {
  ASSERT_NO_FATAL_FAILURE(Open());
  std::vector<Migration> gap = {{1, "a", "CREATE TABLE a (x)"},
                                {3, "c", "CREATE TABLE c (x)"}};
  EXPECT_EQ(db_->Migrate(gap).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<Migration> from_two = {{2, "b", "CREATE TABLE b (x)"}};
  EXPECT_EQ(db_->Migrate(from_two).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(TableExists("a"));
  EXPECT_FALSE(TableExists("b"));
}

TEST_F(SqliteDatabaseTest, DatabaseMigratedByNewerBinaryIsRefused) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  std::vector<Migration> older = ContactsMigrations();
  older.pop_back();
  absl::StatusOr<int> version = db_->Migrate(older);
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RecordedVersion(), 2);
}

TEST_F(SqliteDatabaseTest, MigrationMayNotManageItsOwnTransaction) {
  ASSERT_NO_FATAL_FAILURE(Open());
  std::vector<Migration> migrations = {
      {1, "a", "BEGIN; CREATE TABLE a (x); COMMIT;"}};
  EXPECT_EQ(db_->Migrate(migrations).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(TableExists("a"));
}

TEST_F(SqliteDatabaseTest, FailedWriteLeavesNothingBehind) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  absl::Status status = db_->Write([](Transaction& txn) -> absl::Status {
    for (int i = 0; i < 10; ++i) {
      RETURN_IF_ERROR(txn.Exec("INSERT INTO contacts (email) VALUES (?)",
                               {Value(absl::StrCat("c", i, "@example.com"))})
                          .status());
    }
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(status, absl::AbortedError("changed my mind"));
  EXPECT_EQ(Count("contacts"), 0);
}

TEST_F(SqliteDatabaseTest, SuccessfulWriteCommits) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  int64_t id = 0;
  int64_t updated = 0;
  ASSERT_OK(db_->Write([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        int64_t inserted,
        txn.Exec("INSERT INTO contacts (email, name) VALUES (?, ?), (?, ?)",
                 {Value("a@example.com"), Value("A"), Value("b@example.com"),
                  Value("B")}));
    EXPECT_EQ(inserted, 2);
    id = txn.LastInsertId();
    ASSIGN_OR_RETURN(updated,
                     txn.Exec("UPDATE contacts SET name = upper(email)"));
    // Not an INSERT, UPDATE or DELETE: no rows changed.
    ASSIGN_OR_RETURN(int64_t created, txn.Exec("CREATE TABLE t (x)"));
    EXPECT_EQ(created, 0);
    return absl::OkStatus();
  }));
  EXPECT_EQ(updated, 2);
  EXPECT_EQ(Count("contacts"), 2);
  EXPECT_TRUE(TableExists("t"));
  ASSERT_OK(db_->Read([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     txn.Query("SELECT email, name FROM contacts WHERE id = ?",
                               {Value(id)}));
    EXPECT_EQ(rows.size(), 1u);
    if (rows.size() == 1) {
      EXPECT_EQ(rows[0].String(0), "b@example.com");
      EXPECT_EQ(rows[0].String(1), "B@EXAMPLE.COM");
    }
    return absl::OkStatus();
  }));
}

TEST_F(SqliteDatabaseTest, UniqueConflictIsAlreadyExistsAndRollsBack) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  ASSERT_OK(InsertContact("ada@example.com"));
  absl::Status status = db_->Write([](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Exec("INSERT INTO contacts (email) VALUES (?)",
                             {Value("grace@example.com")})
                        .status());
    return txn
        .Exec("INSERT INTO contacts (email) VALUES (?)",
              {Value("ada@example.com")})
        .status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(status.message(), HasSubstr("UNIQUE constraint failed"));
  EXPECT_EQ(Count("contacts"), 1);
}

TEST_F(SqliteDatabaseTest, BodyMayHandleAConflictAndCarryOn) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  ASSERT_OK(InsertContact("ada@example.com"));
  ASSERT_OK(db_->Write([](Transaction& txn) -> absl::Status {
    absl::StatusOr<int64_t> dup = txn.Exec(
        "INSERT INTO contacts (email) VALUES (?)", {Value("ada@example.com")});
    if (dup.status().code() != absl::StatusCode::kAlreadyExists) {
      return absl::InternalError(dup.status().ToString());
    }
    return txn
        .Exec("INSERT INTO contacts (email) VALUES (?)",
              {Value("grace@example.com")})
        .status();
  }));
  EXPECT_EQ(Count("contacts"), 2);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationsHaveDistinctCodes) {
  ASSERT_NO_FATAL_FAILURE(Open());
  std::vector<Migration> migrations = {
      {1, "schema",
       "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
       "CREATE TABLE child (id INTEGER PRIMARY KEY, "
       "parent_id INTEGER NOT NULL REFERENCES parent (id), "
       "n INTEGER CHECK (n >= 0));"}};
  ASSERT_OK(db_->Migrate(migrations));
  auto exec = [this](absl::string_view sql) {
    return db_->Write(
        [sql](Transaction& txn) { return txn.Exec(sql).status(); });
  };
  EXPECT_EQ(exec("INSERT INTO child (parent_id, n) VALUES (42, 1)").code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_OK(exec("INSERT INTO parent (id) VALUES (1)"));
  EXPECT_EQ(exec("INSERT INTO parent (id) VALUES (1)").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(exec("INSERT INTO child (parent_id, n) VALUES (NULL, 1)").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(exec("INSERT INTO child (parent_id, n) VALUES (1, -1)").code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_OK(exec("INSERT INTO child (parent_id, n) VALUES (1, 1)"));
  EXPECT_EQ(exec("DELETE FROM parent").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("parent"), 1);
}

TEST_F(SqliteDatabaseTest, ValuesRoundTrip) {
  ASSERT_NO_FATAL_FAILURE(Open());
  // No declared type: SQLite keeps every value as it was bound.
  ASSERT_OK(db_->Migrate(std::vector<Migration>{
      {1, "values", "CREATE TABLE v (id INTEGER PRIMARY KEY, x)"}}));
  const std::vector<Value> values = {
      Value(std::numeric_limits<int64_t>::max()),
      Value(std::numeric_limits<int64_t>::min()),
      Value(int64_t{0}),
      Value(int64_t{-1}),
      Value(0.1),
      Value(-2.5e300),
      Value(std::numeric_limits<double>::denorm_min()),
      Value(std::numeric_limits<double>::infinity()),
      Value(std::string("مرحبا بالعالم")),
      Value(std::string("你好，世界")),
      Value(std::string("👋🏽 🎉 🇩🇪")),
      Value(std::string("it's \"quoted\" `too`")),
      Value(std::string("'; DROP TABLE v; --")),
      Value(std::string("Robert'); DROP TABLE v;--")),
      Value(std::string("")),
      Value(std::string("a\0b", 3)),
      Value(Blob{std::string("\0\x01\xff\0tail", 8)}),
      Value(Blob{std::string()}),
      Value(),
  };
  ASSERT_OK(db_->Write([&](Transaction& txn) -> absl::Status {
    for (size_t i = 0; i < values.size(); ++i) {
      RETURN_IF_ERROR(txn.Exec("INSERT INTO v (id, x) VALUES (?, ?)",
                               {Value(static_cast<int64_t>(i)), values[i]})
                          .status());
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Transaction& txn) -> absl::Status {
    for (size_t i = 0; i < values.size(); ++i) {
      ASSIGN_OR_RETURN(std::vector<Row> rows,
                       txn.Query("SELECT x FROM v WHERE id = ?",
                                 {Value(static_cast<int64_t>(i))}));
      EXPECT_EQ(rows.size(), 1u) << i;
      if (rows.size() == 1) {
        EXPECT_TRUE(rows[0].value(0) == values[i]) << i;
      }
    }
    // Bound text is matched as data, never run as SQL.
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     txn.Query("SELECT id FROM v WHERE x = ?",
                               {Value(std::string("'; DROP TABLE v; --"))}));
    EXPECT_EQ(rows.size(), 1u);
    return absl::OkStatus();
  }));
  EXPECT_EQ(Count("v"), static_cast<int64_t>(values.size()));
}

TEST_F(SqliteDatabaseTest, ReadersSeeASnapshotAndDoNotBlockTheWriter) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  ASSERT_OK(InsertContact("ada@example.com"));
  ASSERT_OK(db_->Read([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> before,
                     txn.Query("SELECT count(*) FROM contacts"));
    EXPECT_EQ(before.at(0).Int(0), 1);
    // Another thread writes and commits while this read is open; a join
    // that never returns would mean the reader blocks the writer.
    absl::Status write_status;
    std::thread writer(
        [&] { write_status = InsertContact("grace@example.com"); });
    writer.join();
    EXPECT_OK(write_status);
    ASSIGN_OR_RETURN(std::vector<Row> after,
                     txn.Query("SELECT count(*) FROM contacts"));
    EXPECT_EQ(after.at(0).Int(0), 1);
    return absl::OkStatus();
  }));
  EXPECT_EQ(Count("contacts"), 2);
}

TEST_F(SqliteDatabaseTest, ConcurrentWritersAllCommit) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        if (!InsertContact(absl::StrCat(t, ".", i, "@example.com")).ok()) {
          ++failures;
        }
      }
    });
  }
  // Readers at the same time never see the count go down.
  std::thread reader([&] {
    int64_t last = 0;
    while (writing) {
      const int64_t now = Count("contacts");
      if (now < last) ++failures;
      last = now;
    }
  });
  for (std::thread& thread : threads) thread.join();
  writing = false;
  reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("contacts"), kThreads * kWritesPerThread);
}

TEST_F(SqliteDatabaseTest, CommittedWritesSurviveReopening) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  ASSERT_OK(InsertContact("ada@example.com"));
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_EQ(Count("contacts"), 1);
}

TEST_F(SqliteDatabaseTest, CommittedWritesSurviveAProcessThatDies) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  db_.reset();
  // "fast" forks without re-running SetUp, so the child uses path_ too.
  GTEST_FLAG_SET(death_test_style, "fast");
  // The child commits and exits without closing anything: the commit lives
  // only in the WAL, which the next open recovers.
  EXPECT_EXIT(
      {
        Open();
        if (!InsertContact("ada@example.com").ok()) _exit(1);
        _exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_EQ(Count("contacts"), 1);
}

TEST_F(SqliteDatabaseTest, ReadTransactionsCannotWrite) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  absl::Status status = db_->Read([](Transaction& txn) {
    return txn.Exec("INSERT INTO contacts (email) VALUES ('x@example.com')")
        .status();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(Count("contacts"), 0);
}

TEST_F(SqliteDatabaseTest, MisuseAnswersAnErrorAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  auto write = [this](absl::string_view sql, std::vector<Value> params = {}) {
    return db_->Write([&](Transaction& txn) -> absl::Status {
      RETURN_IF_ERROR(InsertContact("never@example.com").ok()
                          ? absl::InternalError("nested Write succeeded")
                          : absl::OkStatus());
      RETURN_IF_ERROR(txn.Exec("INSERT INTO contacts (email) VALUES (?)",
                               {Value("first@example.com")})
                          .status());
      return txn.Exec(sql, params).status();
    });
  };
  EXPECT_EQ(write("INSERT INTO nowhere VALUES (1)").code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(write("SELEC 1").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(write("INSERT INTO contacts (email) VALUES (?)").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      write("INSERT INTO contacts (email) VALUES (?)", {Value("a"), Value("b")})
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(write("DELETE FROM contacts; DELETE FROM tags").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(write("COMMIT").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(write("ROLLBACK").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(write("").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("contacts"), 0);
  EXPECT_EQ(Count("tags"), 1);

  // Calling back into the database from a body answers rather than hangs.
  EXPECT_EQ(db_->Read([this](Transaction&) { return db_->Ping(); }).code(),
            absl::StatusCode::kFailedPrecondition);

  // A trailing semicolon or comment is not a second statement.
  EXPECT_OK(db_->Write([](Transaction& txn) {
    return txn.Exec("DELETE FROM tags; -- all of them").status();
  }));
  EXPECT_EQ(Count("tags"), 0);
}

TEST_F(SqliteDatabaseTest, PingAnswersOk) {
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_OK(db_->Ping());
}

TEST_F(SqliteDatabaseTest, OpenRejectsBadOptions) {
  SqliteOptions options;
  options.path = ":memory:";
  EXPECT_EQ(SqliteDatabase::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.path = path_;
  options.read_connections = 0;
  EXPECT_EQ(SqliteDatabase::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteDatabaseTest, OpeningAFileThatIsNotADatabaseFails) {
  std::filesystem::create_directories(dir_ / "data");
  {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs(
        "this is not an SQLite database, just some text long enough "
        "to have a header............................................",
        f);
    std::fclose(f);
  }
  SqliteOptions options;
  options.path = path_;
  absl::StatusOr<std::unique_ptr<Database>> db = SqliteDatabase::Open(options);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss) << db.status();
}

TEST_F(SqliteDatabaseTest, FaultInjectedWriteFailsAndCommitsNothing) {
  ASSERT_NO_FATAL_FAILURE(OpenWithContacts());
  FaultInjectingDatabase faulty(std::move(db_));
  int bodies_run = 0;
  auto insert = [&](absl::string_view email) {
    return faulty.Write([&](Transaction& txn) {
      ++bodies_run;
      return txn
          .Exec("INSERT INTO contacts (email) VALUES (?)",
                {Value(std::string(email))})
          .status();
    });
  };

  faulty.FailNextWrites(1, absl::UnavailableError("disk on fire"));
  EXPECT_EQ(insert("a@example.com"), absl::UnavailableError("disk on fire"));
  EXPECT_EQ(bodies_run, 0);

  faulty.FailNextCommits(1, absl::UnavailableError("commit lost"));
  EXPECT_EQ(insert("b@example.com"), absl::UnavailableError("commit lost"));
  EXPECT_EQ(bodies_run, 1);

  EXPECT_OK(insert("c@example.com"));
  EXPECT_EQ(faulty.injected_failures(), 2);

  ASSERT_OK(faulty.Read([](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     txn.Query("SELECT email FROM contacts"));
    EXPECT_EQ(rows.size(), 1u);
    if (rows.size() == 1) {
      EXPECT_EQ(rows[0].String(0), "c@example.com");
    }
    return absl::OkStatus();
  }));

  faulty.SetPingStatus(absl::UnavailableError("down"));
  EXPECT_EQ(faulty.Ping().code(), absl::StatusCode::kUnavailable);
  faulty.ClearFaults();
  EXPECT_OK(faulty.Ping());
}

TEST(RowTest, ConvertsBetweenTypes) {
  Row row({Value(), Value(int64_t{42}), Value(2.75), Value(std::string("17")),
           Value(std::string("abc")), Value(Blob{std::string("b\0y", 3)})});
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.String(0), "");
  EXPECT_EQ(row.Double(1), 42.0);
  EXPECT_EQ(row.String(1), "42");
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_EQ(row.Int(3), 17);
  EXPECT_EQ(row.Int(4), 0);
  EXPECT_EQ(row.String(5), std::string("b\0y", 3));
}

}  // namespace
}  // namespace clientele::sql

// The SQL layer every service uses. SQL text is written once with `?`
// placeholders and values are always bound, never spliced into the text.
// SQLite (sqlite_database.h) is the embedded implementation; a PostgreSQL
// one can sit behind the same interface (it rewrites `?` to `$n`).
#ifndef CLIENTELE_COMMON_SQL_DATABASE_H_
#define CLIENTELE_COMMON_SQL_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace clientele::sql {

// Binary data, kept apart from text so that it binds as a BLOB.
struct Blob {
  std::string bytes;
  bool operator==(const Blob& other) const { return bytes == other.bytes; }
};

// One bound parameter or one column of a result row. std::monostate is NULL.
using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

// One result row. Accessors return the column converted to the asked type:
// NULL reads as 0, 0.0 or "" (use IsNull to tell); an integer asked for as a
// double (or the reverse) is converted; text asked for as a number is parsed
// and reads as 0 when it is not one; a number asked for as a string is
// formatted. `column` must be below size(); out of range is a programming
// error (std::out_of_range, which ends the process).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool IsNull(size_t column) const;
  int64_t Int(size_t column) const;
  double Double(size_t column) const;
  // Text or blob bytes.
  std::string String(size_t column) const;
  const Value& value(size_t column) const { return values_.at(column); }

 private:
  std::vector<Value> values_;
};

// The statements of one transaction. Obtained from Database::Write or
// Database::Read; never outlives the callback it is handed to, and is used
// only by the thread that runs that callback.
//
// Each call runs exactly one statement; SQL holding a second statement
// answers INVALID_ARGUMENT and runs nothing. The number of values must equal
// the number of `?` placeholders, else INVALID_ARGUMENT. Transaction control
// (BEGIN, COMMIT, ROLLBACK) belongs to Database and answers INVALID_ARGUMENT;
// SAVEPOINT / RELEASE / ROLLBACK TO are allowed for partial rollback.
//
// Errors, with SQLite's message and the statement's text (never the values):
//   ALREADY_EXISTS       UNIQUE or PRIMARY KEY conflict
//   FAILED_PRECONDITION  FOREIGN KEY violation (a referenced row is missing
//                        or a referencing row still exists)
//   INVALID_ARGUMENT     NOT NULL or CHECK violation; misuse as above
//   UNAVAILABLE          database busy after the busy timeout, disk full,
//                        I/O error: retrying the whole transaction may work
//   DATA_LOSS            the database file is corrupt or not a database
//   INTERNAL             anything else, bad SQL included
// A failed statement leaves the transaction open with the statement's own
// changes undone, so a body may handle, say, ALREADY_EXISTS and go on. If
// SQLite itself had to abandon the transaction (it may on disk full or I/O
// errors), Write answers with an error even if the body returns OK.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs a statement and returns the number of rows it inserted, updated or
  // deleted (0 for other statements). Rows it returns are discarded.
  virtual absl::StatusOr<int64_t> Exec(absl::string_view sql,
                                       absl::Span<const Value> params) = 0;
  absl::StatusOr<int64_t> Exec(absl::string_view sql) { return Exec(sql, {}); }

  // Runs a query and returns every row it produced.
  virtual absl::StatusOr<std::vector<Row>> Query(
      absl::string_view sql, absl::Span<const Value> params) = 0;
  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql) {
    return Query(sql, {});
  }

  // Rowid / serial of the last row inserted in this transaction.
  virtual int64_t LastInsertId() = 0;

  // Runs `callback` once this write transaction has committed and the
  // database is free for the next writer; never when it rolls back, and
  // never for a read. For work that must follow what the commit made
  // visible, such as invalidating caches of what it changed: done earlier,
  // a reader could cache the old state again before the commit.
  void AfterCommit(absl::AnyInvocable<void() &&> callback) {
    after_commit_.push_back(std::move(callback));
  }

  // AfterCommit, once per `key` in this transaction: a second call with the
  // same key does nothing. For effects that cover the whole commit however
  // often the body asks for them (waking the outbox relay after any number
  // of events). `key` is only compared, never dereferenced.
  void AfterCommitOnce(const void* key,
                       absl::AnyInvocable<void() &&> callback) {
    for (const void* seen : once_keys_) {
      if (seen == key) return;
    }
    once_keys_.push_back(key);
    AfterCommit(std::move(callback));
  }

  // For Database implementations: what AfterCommit collected, in order.
  std::vector<absl::AnyInvocable<void() &&>> TakeAfterCommit() {
    once_keys_.clear();
    return std::exchange(after_commit_, {});
  }

 private:
  std::vector<absl::AnyInvocable<void() &&>> after_commit_;
  std::vector<const void*> once_keys_;
};

// One versioned schema step. Versions start at 1 and increase by one.
struct Migration {
  int version;
  std::string description;
  std::string sql;  // may hold several statements separated by `;`
};

// A database handle, safe to use from many threads at once. Bodies must not
// call back into the same Database (Write, Read, Migrate or Ping): that would
// deadlock, so it answers FAILED_PRECONDITION instead.
class Database {
 public:
  virtual ~Database() = default;

  // Runs `body` inside a write transaction and commits when it returns OK.
  // When `body` returns an error, or the commit fails, everything `body` did is
  // rolled back and that error is returned. Writes are serialized: keep
  // bodies short and free of network calls. Never returns OK unless
  // everything `body` did is committed.
  virtual absl::Status Write(
      const std::function<absl::Status(Transaction&)>& body) = 0;

  // Runs `body` inside a read-only transaction: a consistent snapshot that
  // does not block writers (WAL), taken at the body's first query. Writing
  // statements fail. Returns the body's status, or the error that kept it
  // from running.
  virtual absl::Status Read(
      const std::function<absl::Status(Transaction&)>& body) = 0;

  // Applies, in order and each in its own transaction, the migrations whose
  // version is above the schema version recorded in the database, recording
  // each one as it commits. Safe to call at every start-up, also from several
  // processes at once; a migration that fails leaves the schema at the
  // previous version and returns its error. Returns the schema version
  // reached.
  // INVALID_ARGUMENT: versions are not 1, 2, 3, ... in order.
  // FAILED_PRECONDITION: the database is at a version above every migration
  // given (a newer binary migrated it); nothing is changed.
  // A migration runs inside a transaction, so it must not hold BEGIN/COMMIT,
  // and `PRAGMA foreign_keys` has no effect there (use
  // `PRAGMA defer_foreign_keys = ON` when rebuilding a table).
  virtual absl::StatusOr<int> Migrate(
      absl::Span<const Migration> migrations) = 0;

  // Cheap liveness probe used by the readiness check: OK when the database
  // file can be read.
  virtual absl::Status Ping() = 0;

  // Makes the rows deleted by committed transactions unrecoverable from the
  // database's files, not only from queries: call after a commit that erased
  // personal data. (SQLite overwrites deleted content in the database file
  // as it deletes, but its write-ahead log keeps earlier images of the pages
  // until it is checkpointed and truncated, which this does.) Holds back
  // writers and waits for reads in progress while it runs.
  // OK: done. UNAVAILABLE: a reader or another process held on for longer
  // than the busy timeout; the rows are gone from queries anyway, and a
  // later call finishes the job. FAILED_PRECONDITION: called from a body.
  // The default does nothing, for a database that keeps no old images.
  virtual absl::Status PurgeDeletedData() { return absl::OkStatus(); }
};

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_DATABASE_H_

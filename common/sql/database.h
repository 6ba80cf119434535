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

// One result row. Accessors return the column converted to the asked type;
// NULL reads as 0, 0.0 or "" (use IsNull to tell).
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
// Database::Read; never outlives the callback it is handed to.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs a statement that returns no rows. Returns the number of rows it
  // changed. A UNIQUE or PRIMARY KEY conflict answers ALREADY_EXISTS, a busy
  // database after the busy timeout UNAVAILABLE, anything else INTERNAL.
  virtual absl::StatusOr<int64_t> Exec(absl::string_view sql,
                                       absl::Span<const Value> params = {}) = 0;

  // Runs a query and returns every row it produced.
  virtual absl::StatusOr<std::vector<Row>> Query(
      absl::string_view sql, absl::Span<const Value> params = {}) = 0;

  // Rowid / serial of the last row inserted in this transaction.
  virtual int64_t LastInsertId() = 0;
};

// One versioned schema step. Versions start at 1 and increase by one.
struct Migration {
  int version;
  std::string description;
  std::string sql;  // may hold several statements separated by `;`
};

// A database handle, safe to use from many threads at once.
class Database {
 public:
  virtual ~Database() = default;

  // Runs `body` inside a write transaction and commits when it returns OK.
  // When `body` returns an error, or the commit fails, everything `body` did is
  // rolled back and that error is returned. Writes are serialized.
  virtual absl::Status Write(
      const std::function<absl::Status(Transaction&)>& body) = 0;

  // Runs `body` inside a read-only transaction: a consistent snapshot that
  // does not block writers (WAL). Errors as for Write.
  virtual absl::Status Read(
      const std::function<absl::Status(Transaction&)>& body) = 0;

  // Applies, in order and each in its own transaction, the migrations whose
  // version is above the schema version recorded in the database, recording
  // each one as it commits. Safe to call at every start-up; a migration that
  // fails leaves the schema at the previous version and returns its error.
  // Returns the schema version reached.
  virtual absl::StatusOr<int> Migrate(absl::Span<const Migration> migrations) = 0;

  // Cheap liveness probe used by the readiness check.
  virtual absl::Status Ping() = 0;
};

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_DATABASE_H_

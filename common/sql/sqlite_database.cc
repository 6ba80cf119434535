#include "common/sql/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/sql/sqlite_status.h"
#include "common/status_macros.h"

namespace clientele::sql {
namespace {

// The WAL a commit may leave, in checkpoint_pages, before the commit
// checkpoints by itself (the background checkpoint is not keeping up:
// readers holding old snapshots, a slow disk). Well above one large
// transaction: reporting's consumer commits tens of thousands of pages at
// a time, and at 16 (64 MiB at the default) every such commit copied the
// whole WAL into the file on the committing thread, a third of its
// ingestion time at issue 13's size (docs/performance.md).
constexpr int kWalLimitCheckpoints = 64;

// Per-connection cache settings (negative cache_size means KiB).
std::string CachePragmas(const SqliteOptions& options) {
  return absl::StrCat("PRAGMA cache_size = -", options.cache_size_kib,
                      "; PRAGMA mmap_size = ", options.mmap_size_bytes,
                      "; PRAGMA temp_store = MEMORY");
}

// Enough for every statement a service writes; a caller that builds SQL
// text dynamically only causes the cache to be emptied now and then.
constexpr size_t kMaxCachedStatements = 256;
constexpr size_t kMaxSqlInMessage = 200;

constexpr absl::string_view kTransactionControlMessage =
    "transaction control (BEGIN/COMMIT/ROLLBACK) is not allowed inside a "
    "Write, Read or migration body; the Database begins and ends the "
    "transaction";

std::string Abbreviate(absl::string_view sql) {
  if (sql.size() <= kMaxSqlInMessage) return std::string(sql);
  return absl::StrCat(sql.substr(0, kMaxSqlInMessage), "...");
}

// Which databases the calling thread is inside a body of; used to turn
// re-entrant calls, which would deadlock, into errors.
thread_local std::vector<const void*> active_databases;

class BodyScope {
 public:
  explicit BodyScope(const void* db) : db_(db) {
    active_databases.push_back(db_);
  }
  ~BodyScope() {
    auto it =
        std::find(active_databases.rbegin(), active_databases.rend(), db_);
    active_databases.erase(std::next(it).base());
  }
  BodyScope(const BodyScope&) = delete;
  BodyScope& operator=(const BodyScope&) = delete;

 private:
  const void* const db_;
};

// Resets a statement and drops its bindings when it goes out of scope, so
// that no statement keeps a read snapshot open or points at a caller's
// memory after the call that used it.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* const stmt_;
};

Value ColumnValue(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, column);
    case SQLITE_TEXT: {
      const auto* text =
          reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      const int size = sqlite3_column_bytes(stmt, column);
      return text == nullptr ? std::string() : std::string(text, size);
    }
    case SQLITE_BLOB: {
      const auto* bytes =
          static_cast<const char*>(sqlite3_column_blob(stmt, column));
      const int size = sqlite3_column_bytes(stmt, column);
      return Blob{bytes == nullptr ? std::string() : std::string(bytes, size)};
    }
    default:
      return std::monostate();
  }
}

}  // namespace

// One sqlite3 handle with its statement cache. Used by one thread at a time
// (the owner of write_mu_ or of a reader taken from the pool), which is why
// it is opened with SQLITE_OPEN_NOMUTEX and has no lock of its own.
class SqliteDatabase::Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, int flags, absl::Duration busy_timeout) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX,
                        /*zVfs=*/nullptr);
    if (rc != SQLITE_OK) {
      absl::Status status(
          SqliteStatusCode(rc),
          absl::StrCat(
              "cannot open SQLite database ", path, ": ",
              db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
      sqlite3_close(db);
      return status;
    }
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    sqlite3_extended_result_codes(db, 1);
    const int64_t ms = absl::ToInt64Milliseconds(busy_timeout);
    sqlite3_busy_timeout(db, static_cast<int>(std::clamp<int64_t>(
                                 ms, 0, std::numeric_limits<int>::max())));
    sqlite3_set_authorizer(db, &Connection::Authorize, conn.get());
    return conn;
  }

  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

  // Runs BEGIN / COMMIT / ROLLBACK, which bodies may not.
  absl::Status Control(const char* sql) {
    allow_transaction_control_ = true;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    allow_transaction_control_ = false;
    if (rc != SQLITE_OK) return Error(sql);
    return absl::OkStatus();
  }

  // Ends the open transaction, if any, undoing its changes. A failure is
  // returned, and the next transaction on this connection tries again before
  // it begins.
  absl::Status RollBack() {
    if (!InTransaction()) return absl::OkStatus();
    return Control("ROLLBACK");
  }

  // Runs every statement in `sql`, without parameters and without caching.
  absl::Status ExecScript(absl::string_view sql) {
    const std::string text(sql);
    denied_transaction_control_ = false;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return absl::OkStatus();
    if (denied_transaction_control_) {
      return absl::InvalidArgumentError(
          absl::StrCat(kTransactionControlMessage, ": ", Abbreviate(sql)));
    }
    return Error(sql);
  }

  absl::StatusOr<int64_t> Exec(absl::string_view sql,
                               absl::Span<const Value> params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset(stmt);
    RETURN_IF_ERROR(Bind(stmt, sql, params));
    const int64_t changes_before = sqlite3_total_changes64(db_);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return Error(sql);
    // sqlite3_changes64 still holds the count of the last INSERT, UPDATE or
    // DELETE after a statement of another kind; the total tells them apart.
    if (sqlite3_total_changes64(db_) == changes_before) return 0;
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset(stmt);
    RETURN_IF_ERROR(Bind(stmt, sql, params));
    const int columns = sqlite3_column_count(stmt);
    std::vector<Row> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int i = 0; i < columns; ++i) values.push_back(ColumnValue(stmt, i));
      rows.emplace_back(std::move(values));
    }
    if (rc != SQLITE_DONE) return Error(sql);
    return rows;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  // Called by SQLite while it prepares a statement.
  static int Authorize(void* self, int action, const char* /*arg1*/,
                       const char* /*arg2*/, const char* /*db_name*/,
                       const char* /*trigger*/) {
    auto* conn = static_cast<Connection*>(self);
    if (action == SQLITE_TRANSACTION && !conn->allow_transaction_control_) {
      conn->denied_transaction_control_ = true;
      return SQLITE_DENY;
    }
    return SQLITE_OK;
  }

  // The status for the error SQLite just reported on this connection.
  absl::Status Error(absl::string_view sql) const {
    const int code = sqlite3_extended_errcode(db_);
    return absl::Status(SqliteStatusCode(code),
                        absl::StrCat(sqlite3_errmsg(db_), " (SQLite code ",
                                     code, ") in: ", Abbreviate(sql)));
  }

  // Returns the cached statement for `sql`, preparing it on first use.
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (sql.size() >= static_cast<size_t>(INT_MAX)) {
      return absl::InvalidArgumentError("SQL text too long");
    }
    const char* const end = sql.data() + sql.size();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    denied_transaction_control_ = false;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      if (denied_transaction_control_) {
        return absl::InvalidArgumentError(
            absl::StrCat(kTransactionControlMessage, ": ", Abbreviate(sql)));
      }
      return Error(sql);
    }
    if (stmt == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no SQL statement in: ", Abbreviate(sql)));
    }
    // Refuse a second statement rather than silently skip it. What follows
    // the first statement may only be blanks, comments and semicolons, which
    // prepare to no statement at all.
    if (tail != nullptr && tail < end) {
      sqlite3_stmt* extra = nullptr;
      rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra,
                              nullptr);
      if (rc != SQLITE_OK || extra != nullptr) {
        sqlite3_finalize(extra);
        sqlite3_finalize(stmt);
        return absl::InvalidArgumentError(
            absl::StrCat("Exec and Query run one statement; found more in: ",
                         Abbreviate(sql)));
      }
    }
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, cached] : cache_) sqlite3_finalize(cached);
      cache_.clear();
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  absl::Status Bind(sqlite3_stmt* stmt, absl::string_view sql,
                    absl::Span<const Value> params) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(expected) != params.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("statement has ", expected, " parameters but ",
                       params.size(), " values were given: ", Abbreviate(sql)));
    }
    for (int i = 0; i < expected; ++i) {
      const int index = i + 1;
      // The values outlive the statement's execution (StatementReset clears
      // the bindings before the call returns), so SQLite need not copy them.
      const int rc = std::visit(
          [stmt, index](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              return sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              return sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(stmt, index, v);
            } else if constexpr (std::is_same_v<T, std::string>) {
              return sqlite3_bind_text64(stmt, index, v.data(), v.size(),
                                         SQLITE_STATIC, SQLITE_UTF8);
            } else {
              // A null pointer would bind NULL, not an empty blob.
              if (v.bytes.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
              return sqlite3_bind_blob64(stmt, index, v.bytes.data(),
                                         v.bytes.size(), SQLITE_STATIC);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) {
        return absl::Status(
            SqliteStatusCode(rc),
            absl::StrCat("cannot bind parameter ", index, ": ",
                         sqlite3_errstr(rc), " in: ", Abbreviate(sql)));
      }
    }
    return absl::OkStatus();
  }

  sqlite3* const db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> cache_;
  bool allow_transaction_control_ = false;
  bool denied_transaction_control_ = false;
};

class SqliteDatabase::TransactionImpl final : public Transaction {
 public:
  explicit TransactionImpl(Connection* conn) : conn_(conn) {}

  using Transaction::Exec;
  using Transaction::Query;
  absl::StatusOr<int64_t> Exec(absl::string_view sql,
                               absl::Span<const Value> params) override {
    return conn_->Exec(sql, params);
  }
  absl::StatusOr<std::vector<Row>> Query(
      absl::string_view sql, absl::Span<const Value> params) override {
    return conn_->Query(sql, params);
  }
  int64_t LastInsertId() override { return conn_->LastInsertId(); }

 private:
  Connection* const conn_;
};

absl::StatusOr<std::unique_ptr<Database>> SqliteDatabase::Open(
    const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:" ||
      absl::StartsWith(options.path, "file:")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SqliteOptions.path must name a file, got \"", options.path, "\""));
  }
  if (options.read_connections < 1) {
    return absl::InvalidArgumentError(
        "SqliteOptions.read_connections must be at least 1");
  }
  if (options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "SqliteOptions.busy_timeout must not be negative");
  }
  const std::filesystem::path parent =
      std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create directory ", parent.string(), ": ", error.message()));
    }
  }

  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       options.busy_timeout));
  ASSIGN_OR_RETURN(std::vector<Row> mode,
                   writer->Query("PRAGMA journal_mode = WAL", {}));
  if (mode.size() != 1 || mode[0].String(0) != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot put ", options.path, " in WAL mode"));
  }
  RETURN_IF_ERROR(writer->ExecScript(options.synchronous_full
                                         ? "PRAGMA synchronous = FULL"
                                         : "PRAGMA synchronous = NORMAL"));
  RETURN_IF_ERROR(writer->ExecScript("PRAGMA foreign_keys = ON"));
  // Only the writer deletes, so only it needs the setting.
  RETURN_IF_ERROR(writer->ExecScript(options.secure_delete
                                         ? "PRAGMA secure_delete = ON"
                                         : "PRAGMA secure_delete = OFF"));
  RETURN_IF_ERROR(writer->ExecScript(CachePragmas(options)));
  // A first read creates the -wal and -shm files, which read-only
  // connections cannot create themselves; the writer keeps them open.
  RETURN_IF_ERROR(writer->ExecScript("SELECT count(*) FROM sqlite_schema"));

  std::vector<std::unique_ptr<Connection>> readers;
  readers.reserve(options.read_connections);
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     Connection::Open(options.path, SQLITE_OPEN_READONLY,
                                      options.busy_timeout));
    RETURN_IF_ERROR(reader->ExecScript(CachePragmas(options)));
    readers.push_back(std::move(reader));
  }
  std::unique_ptr<Connection> checkpointer;
  if (options.checkpoint_pages > 0) {
    ASSIGN_OR_RETURN(checkpointer,
                     Connection::Open(options.path, SQLITE_OPEN_READWRITE,
                                      options.busy_timeout));
    // A connection learns that the file is in WAL mode on its first read;
    // until then it would take checkpoints for no-ops.
    RETURN_IF_ERROR(
        checkpointer->ExecScript("SELECT count(*) FROM sqlite_schema"));
  }
  return std::unique_ptr<Database>(
      new SqliteDatabase(std::move(writer), std::move(readers),
                         std::move(checkpointer), options.checkpoint_pages));
}

SqliteDatabase::SqliteDatabase(std::unique_ptr<Connection> writer,
                               std::vector<std::unique_ptr<Connection>> readers,
                               std::unique_ptr<Connection> checkpointer,
                               int checkpoint_pages)
    : writer_(std::move(writer)),
      readers_(std::move(readers)),
      checkpointer_(std::move(checkpointer)),
      checkpoint_pages_(checkpoint_pages) {
  {
    absl::MutexLock lock(&pool_mu_);
    for (const auto& reader : readers_) idle_readers_.push_back(reader.get());
  }
  if (checkpointer_ != nullptr) {
    // Replaces SQLite's automatic checkpoint, which would run on the
    // committing thread.
    sqlite3_wal_hook(writer_->handle(), &SqliteDatabase::OnWalCommit, this);
    checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
  }
}

// Members are destroyed in reverse order: the readers close before the
// writer, whose close, as the last connection, checkpoints the WAL.
SqliteDatabase::~SqliteDatabase() {
  if (checkpoint_thread_.joinable()) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_thread_.join();
  }
}

int SqliteDatabase::OnWalCommit(void* self, sqlite3* db, const char* name,
                                int pages) {
  auto* database = static_cast<SqliteDatabase*>(self);
  if (pages >= kWalLimitCheckpoints * database->checkpoint_pages_) {
    // The background checkpoint is not keeping up (readers holding old
    // snapshots, a slow disk): bound the WAL here, as SQLite would.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  } else if (pages >= database->checkpoint_pages_) {
    absl::MutexLock lock(&database->checkpoint_mu_);
    database->checkpoint_wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteDatabase::CheckpointLoop() {
  while (true) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_mu_.Await(absl::Condition(
          +[](SqliteDatabase* d)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(d->checkpoint_mu_) {
                 return d->checkpoint_wanted_ || d->checkpoint_stop_;
               },
          this));
      if (checkpoint_stop_) return;
      checkpoint_wanted_ = false;
    }
    // PASSIVE: copies what no reader still needs, never waits for the
    // writer or readers; the next commit past the threshold asks again.
    absl::MutexLock run(&checkpoint_run_mu_);
    sqlite3_wal_checkpoint_v2(checkpointer_->handle(), "main",
                              SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

absl::Status SqliteDatabase::PurgeDeletedData() {
  if (InBody()) {
    return absl::FailedPreconditionError(
        "PurgeDeletedData called from inside a Write or Read body of the same "
        "database; it would deadlock");
  }
  // No write of this process is in progress while write_mu_ is held; the
  // checkpoint waits (busy handler) for readers to move off the WAL.
  absl::MutexLock write(&write_mu_);
  absl::MutexLock run(&checkpoint_run_mu_);
  const int rc = sqlite3_wal_checkpoint_v2(
      writer_->handle(), "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if (rc == SQLITE_OK) return absl::OkStatus();
  const std::string message = absl::StrCat("WAL checkpoint (TRUNCATE) failed: ",
                                           sqlite3_errmsg(writer_->handle()));
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    return absl::UnavailableError(message);
  }
  return absl::Status(
      SqliteStatusCode(sqlite3_extended_errcode(writer_->handle())), message);
}

bool SqliteDatabase::InBody() const {
  return std::find(active_databases.begin(), active_databases.end(), this) !=
         active_databases.end();
}

absl::Status SqliteDatabase::Write(
    const std::function<absl::Status(Transaction&)>& body) {
  if (!body) return absl::InvalidArgumentError("Write: no body");
  std::vector<absl::AnyInvocable<void() &&>> after_commit;
  RETURN_IF_ERROR(
      RunWrite([&](Connection&, Transaction& transaction) -> absl::Status {
        RETURN_IF_ERROR(body(transaction));
        after_commit = transaction.TakeAfterCommit();
        return absl::OkStatus();
      }));
  for (auto& callback : after_commit) std::move(callback)();
  return absl::OkStatus();
}

absl::Status SqliteDatabase::RunWrite(
    const std::function<absl::Status(Connection&, Transaction&)>& body) {
  if (InBody()) {
    return absl::FailedPreconditionError(
        "Write called from inside a Write or Read body of the same database; "
        "it would deadlock");
  }
  absl::MutexLock lock(&write_mu_);
  BodyScope scope(this);
  Connection& conn = *writer_;
  // Normally a no-op: only a ROLLBACK that failed leaves a transaction open.
  RETURN_IF_ERROR(conn.RollBack());
  RETURN_IF_ERROR(conn.Control("BEGIN IMMEDIATE"));
  TransactionImpl transaction(&conn);
  absl::Status status = body(conn, transaction);
  if (!conn.InTransaction()) {
    // SQLite abandoned the transaction on its own after an error (disk
    // full, I/O error, out of memory), perhaps one the body chose to ignore.
    if (status.ok()) {
      status = absl::UnavailableError(
          "SQLite rolled the transaction back after an error; nothing was "
          "committed");
    }
    return status;
  }
  if (!status.ok()) {
    // Should the rollback fail, the next Write retries it before beginning;
    // the body's error is the one the caller needs.
    conn.RollBack().IgnoreError();
    return status;
  }
  status = conn.Control("COMMIT");
  if (!status.ok()) conn.RollBack().IgnoreError();
  return status;
}

SqliteDatabase::Connection* SqliteDatabase::AcquireReader() {
  absl::MutexLock lock(&pool_mu_);
  pool_mu_.Await(absl::Condition(
      +[](std::vector<Connection*>* idle) { return !idle->empty(); },
      &idle_readers_));
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void SqliteDatabase::ReleaseReader(Connection* reader) {
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(reader);
}

absl::Status SqliteDatabase::Read(
    const std::function<absl::Status(Transaction&)>& body) {
  if (!body) return absl::InvalidArgumentError("Read: no body");
  if (InBody()) {
    return absl::FailedPreconditionError(
        "Read called from inside a Write or Read body of the same database; "
        "it could deadlock and would not see the uncommitted writes");
  }
  Connection* conn = AcquireReader();
  absl::Status status;
  {
    BodyScope scope(this);
    status = conn->RollBack();
    if (status.ok()) status = conn->Control("BEGIN");
    if (status.ok()) {
      TransactionImpl transaction(conn);
      status = body(transaction);
      // Nothing to undo: this only ends the snapshot.
      absl::Status end = conn->RollBack();
      if (status.ok()) status = std::move(end);
    }
  }
  ReleaseReader(conn);
  return status;
}

absl::StatusOr<int> SqliteDatabase::Migrate(
    absl::Span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration versions must be 1, 2, 3, ... in order; position ", i,
          " holds version ", migrations[i].version));
    }
  }
  const int latest = static_cast<int>(migrations.size());
  int version = 0;
  // One transaction per migration. Each re-reads the recorded version under
  // the write lock, so two processes migrating at once apply each migration
  // once.
  for (bool done = false; !done;) {
    RETURN_IF_ERROR(RunWrite([&](Connection& conn,
                                 Transaction& transaction) -> absl::Status {
      RETURN_IF_ERROR(transaction
                          .Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version INTEGER PRIMARY KEY, "
                                "description TEXT NOT NULL, "
                                "applied_at TEXT NOT NULL)")
                          .status());
      ASSIGN_OR_RETURN(
          std::vector<Row> rows,
          transaction.Query(
              "SELECT coalesce(max(version), 0) FROM schema_migrations"));
      version = static_cast<int>(rows.at(0).Int(0));
      if (version > latest) {
        return absl::FailedPreconditionError(
            absl::StrCat("the database is at schema version ", version,
                         " but this binary knows versions up to ", latest,
                         "; a newer binary migrated it"));
      }
      if (version == latest) {
        done = true;
        return absl::OkStatus();
      }
      const Migration& migration = migrations[version];
      absl::Status status = conn.ExecScript(migration.sql);
      if (!status.ok()) {
        return absl::Status(status.code(),
                            absl::StrCat("migration ", migration.version, " (",
                                         migration.description,
                                         ") failed: ", status.message()));
      }
      RETURN_IF_ERROR(transaction
                          .Exec("INSERT INTO schema_migrations "
                                "(version, description, applied_at) VALUES "
                                "(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                                {Value(int64_t{migration.version}),
                                 Value(migration.description)})
                          .status());
      version = migration.version;
      return absl::OkStatus();
    }));
  }
  return version;
}

absl::Status SqliteDatabase::Ping() {
  // Reads the schema page, so a missing or unreadable file shows up; a
  // reader, so a long write does not make the service look unready.
  return Read([](Transaction& transaction) {
    return transaction.Query("SELECT count(*) FROM sqlite_schema").status();
  });
}

}  // namespace clientele::sql

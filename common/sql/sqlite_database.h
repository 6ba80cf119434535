// The SQLite implementation of Database: one file in WAL mode, one writer
// connection (writes are serialized) and a small pool of read-only
// connections (reads run in parallel with each other and with the writer).
#ifndef CLIENTELE_COMMON_SQL_SQLITE_DATABASE_H_
#define CLIENTELE_COMMON_SQL_SQLITE_DATABASE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/sql/database.h"

struct sqlite3;

namespace clientele::sql {

struct SqliteOptions {
  // The database file, created with its parent directories when missing.
  // ":memory:" is not supported: every connection must see the same file.
  std::string path;

  // How long a statement waits for a lock held by another process (or by a
  // checkpoint) before answering UNAVAILABLE.
  absl::Duration busy_timeout = absl::Seconds(5);

  // Read-only connections, i.e. how many Read bodies run at once; further
  // readers wait for one to be free. At least 1.
  int read_connections = 4;

  // true: a Write that returned OK survives power loss (synchronous=FULL).
  // false: it survives a crash of the process but the last commits may be
  // lost on power loss (synchronous=NORMAL); commits are cheaper.
  bool synchronous_full = true;

  // Page cache of each connection. SQLite's default (2 MiB) makes every
  // write to a table with a few indexes re-read pages from the OS once the
  // database outgrows it, so bulk writes slow down as the data grows.
  int64_t cache_size_kib = int64_t{64} * 1024;

  // Bytes of the file each connection reads through mmap instead of read().
  int64_t mmap_size_bytes = int64_t{1} << 30;

  // Once a commit leaves this many pages in the WAL, a background thread
  // (its own connection) copies them into the database file, instead of
  // the committing call doing it as SQLite does by default. The commit
  // itself stays durable (the WAL is synced at commit). 0: SQLite's own
  // automatic checkpoint on the committing thread.
  int checkpoint_pages = 1000;

  // PRAGMA secure_delete: deleted content is overwritten with zeros in the
  // database file as it is deleted, so that an erasure leaves no copy of
  // the data in free space or free pages (see Database::PurgeDeletedData
  // for the write-ahead log). Deletes and updates write a little more.
  bool secure_delete = true;
};

class SqliteDatabase final : public Database {
 public:
  // Opens (creating when missing) the database at `options.path`, in WAL
  // mode with foreign keys enforced. INVALID_ARGUMENT for bad options;
  // UNAVAILABLE or INTERNAL when the file cannot be created or opened;
  // FAILED_PRECONDITION when it cannot be put in WAL mode (e.g. a file
  // system without shared memory).
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const SqliteOptions& options);

  // No call may be in progress. Closing checkpoints the WAL into the file.
  ~SqliteDatabase() override;

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Write transactions begin with BEGIN IMMEDIATE, so a writer in another
  // process makes them wait (up to the busy timeout) at the start rather than
  // fail half-way.
  absl::Status Write(
      const std::function<absl::Status(Transaction&)>& body) override;
  absl::Status Read(
      const std::function<absl::Status(Transaction&)>& body) override;
  // The applied versions live in table `schema_migrations(version,
  // description, applied_at)`.
  absl::StatusOr<int> Migrate(absl::Span<const Migration> migrations) override;
  absl::Status Ping() override;
  // A TRUNCATE checkpoint on the writer connection: every page image in the
  // WAL is copied into the database file and the WAL is cut to zero bytes.
  absl::Status PurgeDeletedData() override;

 private:
  class Connection;
  class TransactionImpl;

  SqliteDatabase(std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers,
                 std::unique_ptr<Connection> checkpointer,
                 int checkpoint_pages);

  // sqlite3_wal_hook of the writer: wakes CheckpointLoop.
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int pages);
  void CheckpointLoop();

  // Write, with the writer connection also handed to `body`.
  absl::Status RunWrite(
      const std::function<absl::Status(Connection&, Transaction&)>& body);
  // Whether the calling thread is inside a body of this database.
  bool InBody() const;
  Connection* AcquireReader();
  void ReleaseReader(Connection* reader);

  absl::Mutex write_mu_;
  const std::unique_ptr<Connection> writer_ ABSL_PT_GUARDED_BY(write_mu_);

  // Owns the read connections; idle_readers_ lists those not in use.
  const std::vector<std::unique_ptr<Connection>> readers_;
  absl::Mutex pool_mu_;
  std::vector<Connection*> idle_readers_ ABSL_GUARDED_BY(pool_mu_);

  // The background checkpoint (see SqliteOptions::checkpoint_pages).
  const std::unique_ptr<Connection> checkpointer_;
  const int checkpoint_pages_;
  absl::Mutex checkpoint_mu_;
  // Held while a checkpoint runs in this process: SQLite answers a second,
  // concurrent one SQLITE_BUSY at once, without waiting. Taken after
  // write_mu_ when both are.
  absl::Mutex checkpoint_run_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool checkpoint_stop_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::thread checkpoint_thread_;
};

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_SQLITE_DATABASE_H_

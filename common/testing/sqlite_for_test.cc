#include "common/testing/sqlite_for_test.h"

#include "common/sql/sqlite_database.h"

namespace clientele::testing {

absl::StatusOr<std::unique_ptr<sql::Database>> OpenSqliteForTest(
    const TempDir& dir, const std::string& file) {
  sql::SqliteOptions options;
  options.path = dir.File(file);
  options.synchronous_full = false;
  return sql::SqliteDatabase::Open(options);
}

}  // namespace clientele::testing

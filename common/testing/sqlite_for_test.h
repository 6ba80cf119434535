// A real SQLite database for tests: a file in `dir`, WAL like production,
// without the fsync of every commit (tests do not survive power cuts).
#ifndef CLIENTELE_COMMON_TESTING_SQLITE_FOR_TEST_H_
#define CLIENTELE_COMMON_TESTING_SQLITE_FOR_TEST_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/sql/database.h"
#include "common/testing/temp_dir.h"

namespace clientele::testing {

// Opens (creating) `dir`/`file`; migrate it as the test needs.
absl::StatusOr<std::unique_ptr<sql::Database>> OpenSqliteForTest(
    const TempDir& dir, const std::string& file = "test.db");

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_SQLITE_FOR_TEST_H_

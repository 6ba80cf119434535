// What a SQLite result code means to a caller of Database: the status code
// a failed statement, open or checkpoint answers with (see Transaction in
// database.h for the contract). Internal to SqliteDatabase.
#ifndef CLIENTELE_COMMON_SQL_SQLITE_STATUS_H_
#define CLIENTELE_COMMON_SQL_SQLITE_STATUS_H_

#include "absl/status/status.h"

namespace clientele::sql {

// The status code of SQLite's extended result code `extended_code`:
// ALREADY_EXISTS for a unique or primary key, FAILED_PRECONDITION for a
// foreign key, INVALID_ARGUMENT for other constraints, UNAVAILABLE for what
// a retry may get past (busy, locked, full, I/O), DATA_LOSS for a corrupt
// file, INTERNAL otherwise.
absl::StatusCode SqliteStatusCode(int extended_code);

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_SQLITE_STATUS_H_

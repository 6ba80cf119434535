#include "common/testing/outbox_for_test.h"

#include <utility>

#include "common/sql/stored_proto.h"

namespace clientele::testing {

absl::StatusOr<std::vector<events::v1::Event>> OutboxEventsForTest(
    sql::Database& database) {
  std::vector<events::v1::Event> events;
  absl::Status status = database.Read([&](sql::Transaction& txn) {
    absl::StatusOr<std::vector<sql::Row>> rows =
        txn.Query("SELECT payload FROM outbox ORDER BY seq");
    if (!rows.ok()) return rows.status();
    absl::StatusOr<std::vector<events::v1::Event>> parsed =
        sql::ParseStoredColumn<events::v1::Event>(*rows, 0, "event");
    if (!parsed.ok()) return parsed.status();
    events = *std::move(parsed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return events;
}

absl::StatusOr<std::vector<std::string>> OutboxTypesForTest(
    sql::Database& database) {
  std::vector<std::string> types;
  absl::Status status = database.Read([&](sql::Transaction& txn) {
    absl::StatusOr<std::vector<sql::Row>> rows =
        txn.Query("SELECT type FROM outbox ORDER BY seq");
    if (!rows.ok()) return rows.status();
    for (const sql::Row& row : *rows) types.push_back(row.String(0));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return types;
}

}  // namespace clientele::testing

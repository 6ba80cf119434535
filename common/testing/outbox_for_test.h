// Test-only: what a service wrote to its event outbox (see
// common/events/outbox.h), to assert which events a change published.
#ifndef CLIENTELE_COMMON_TESTING_OUTBOX_FOR_TEST_H_
#define CLIENTELE_COMMON_TESTING_OUTBOX_FOR_TEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clientele/events/v1/event.pb.h"
#include "common/sql/database.h"

namespace clientele::testing {

// Every event in the outbox of `database`, oldest first.
absl::StatusOr<std::vector<events::v1::Event>> OutboxEventsForTest(
    sql::Database& database);

// The type (payload message name) of every event in the outbox of
// `database`, oldest first.
absl::StatusOr<std::vector<std::string>> OutboxTypesForTest(
    sql::Database& database);

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_OUTBOX_FOR_TEST_H_

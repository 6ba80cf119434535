// Stores keep resources as serialized protos in a `data` BLOB column; these
// read them back. A row that does not parse is DATA_LOSS: the file was
// damaged or written by something else, and retrying will not help.
#ifndef CLIENTELE_COMMON_SQL_STORED_PROTO_H_
#define CLIENTELE_COMMON_SQL_STORED_PROTO_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/sql/database.h"

namespace clientele::sql {

// `bytes` parsed as a `Message`; DATA_LOSS "stored <what> does not parse".
template <typename Message>
absl::StatusOr<Message> ParseStored(const std::string& bytes,
                                    absl::string_view what) {
  Message message;
  if (!message.ParseFromString(bytes)) {
    return absl::DataLossError(
        absl::StrCat("stored ", what, " does not parse"));
  }
  return message;
}

// Column `column` of every row parsed as a `Message`, in row order.
template <typename Message>
absl::StatusOr<std::vector<Message>> ParseStoredColumn(
    const std::vector<Row>& rows, size_t column, absl::string_view what) {
  std::vector<Message> messages;
  messages.reserve(rows.size());
  for (const Row& row : rows) {
    absl::StatusOr<Message> message =
        ParseStored<Message>(row.String(column), what);
    if (!message.ok()) return message.status();
    messages.push_back(*std::move(message));
  }
  return messages;
}

// Runs the query `sql` (column 0 holding the stored proto) and parses every
// row, in row order. The query's own errors as Transaction::Query.
template <typename Message>
absl::StatusOr<std::vector<Message>> QueryStored(Transaction& txn,
                                                 absl::string_view sql,
                                                 absl::Span<const Value> params,
                                                 absl::string_view what) {
  absl::StatusOr<std::vector<Row>> rows = txn.Query(sql, params);
  if (!rows.ok()) return rows.status();
  return ParseStoredColumn<Message>(*rows, 0, what);
}

// The same for a query of one resource: its first row parsed, nullopt when
// it returns none.
template <typename Message>
absl::StatusOr<std::optional<Message>> FindStored(
    Transaction& txn, absl::string_view sql, absl::Span<const Value> params,
    absl::string_view what) {
  absl::StatusOr<std::vector<Row>> rows = txn.Query(sql, params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  absl::StatusOr<Message> message =
      ParseStored<Message>((*rows)[0].String(0), what);
  if (!message.ok()) return message.status();
  return *std::move(message);
}

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_STORED_PROTO_H_

// Stores keep resources as serialized protos in a `data` BLOB column; these
// read them back. A row that does not parse is DATA_LOSS: the file was
// damaged or written by something else, and retrying will not help.
#ifndef CLIENTELE_COMMON_SQL_STORED_PROTO_H_
#define CLIENTELE_COMMON_SQL_STORED_PROTO_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_STORED_PROTO_H_

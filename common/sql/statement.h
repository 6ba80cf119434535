// SQL assembled from parts, for statements whose conditions depend on the
// request: a list adds only the filters in use, because "(? = '' OR col =
// ?)" would keep SQLite from choosing an index on col. The text and the
// values its `?` placeholders bind grow together, so they cannot drift
// apart; values are bound, never spliced into the text (database.h).
//
//   sql::Statement select{"SELECT data FROM deals WHERE tenant = ?",
//                         {std::string(tenant)}};
//   if (!owner.empty()) select.Append(" AND owner = ?", {owner});
//   select.Append(" ORDER BY deal_id LIMIT ?", {int64_t{limit}});
//   txn.Query(select.sql, select.params);
#ifndef CLIENTELE_COMMON_SQL_STATEMENT_H_
#define CLIENTELE_COMMON_SQL_STATEMENT_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/sql/database.h"

namespace clientele::sql {

// One statement and the values it binds, in placeholder order.
struct Statement {
  std::string sql;
  std::vector<Value> params;

  // Appends `text`, whose `?` placeholders bind `values` in order.
  void Append(absl::string_view text, std::initializer_list<Value> values = {});

  // Appends `text` then " IN (?, ..., ?)", one `?` bound to each of
  // `values` (none matches no row).
  void AppendIn(absl::string_view text, absl::Span<const int> values);
};

}  // namespace clientele::sql

#endif  // CLIENTELE_COMMON_SQL_STATEMENT_H_

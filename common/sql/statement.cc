#include "common/sql/statement.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace clientele::sql {

void Statement::Append(absl::string_view text,
                       std::initializer_list<Value> values) {
  absl::StrAppend(&sql, text);
  params.insert(params.end(), values.begin(), values.end());
}

void Statement::AppendIn(absl::string_view text, absl::Span<const int> values) {
  const std::vector<absl::string_view> marks(values.size(), "?");
  absl::StrAppend(&sql, text, " IN (", absl::StrJoin(marks, ", "), ")");
  for (int value : values) params.emplace_back(int64_t{value});
}

}  // namespace clientele::sql

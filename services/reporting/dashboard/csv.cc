#include "services/reporting/dashboard/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace clientele::reporting::dashboard {
namespace {

// An optional minus sign, digits, and at most one dot between digits:
// what the report exports write for amounts, counts and rates.
bool IsPlainNumber(absl::string_view value) {
  if (absl::ConsumePrefix(&value, "-") && value.empty()) return false;
  bool digits = false;
  bool dot = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot && digits && i + 1 < value.size()) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

std::string CsvField(absl::string_view value) {
  std::string field;
  if (!value.empty() && !IsPlainNumber(value)) {
    const char first = value[0];
    if (first == '=' || first == '+' || first == '-' || first == '@' ||
        first == '\t' || first == '\r') {
      field += '\'';
    }
  }
  field.append(value.data(), value.size());
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void CsvWriter::AddRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += CsvField(fields[i]);
  }
  text_ += "\r\n";
}

}  // namespace clientele::reporting::dashboard

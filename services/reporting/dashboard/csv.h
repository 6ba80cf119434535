// CSV as RFC 4180 writes it, made safe to open in a spreadsheet.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace clientele::reporting::dashboard {

// One field. A field that a spreadsheet would run as a formula (it starts
// with = + - @, or with a tab or carriage return) is prefixed with a single
// quote, unless it is a plain number ("-12.50" stays a number); then a field
// holding a comma, a double quote, CR or LF is enclosed in double quotes
// with its double quotes doubled.
std::string CsvField(absl::string_view value);

// A CSV document: a header row, then rows, each line ended by CRLF.
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<std::string>& header) { AddRow(header); }
  void AddRow(const std::vector<std::string>& fields);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_CSV_H_

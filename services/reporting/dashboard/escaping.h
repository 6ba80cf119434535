// Escaping for everything the dashboard writes: every string that did not
// come from a literal in this folder (account ids, staff ids, query
// parameters, reasons, currency codes) goes through one of these before it
// reaches HTML, SVG or a URL.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ESCAPING_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ESCAPING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clientele::reporting::dashboard {

// Text safe in HTML or XML (SVG) element content and in a double- or
// single-quoted attribute value: & < > " ' become character references.
// Bytes that are not valid UTF-8 and control characters other than tab and
// newline become U+FFFD, so a hostile string cannot break the document's
// encoding either.
std::string HtmlEscape(absl::string_view text);

// One query-string component (a name or a value), percent-encoded: every
// byte except A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex).
std::string UrlEncode(absl::string_view text);

// The reverse of UrlEncode for a query component ("+" is a space). Answers
// false when a % is not followed by two hex digits.
bool UrlDecode(absl::string_view text, std::string* out);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ESCAPING_H_

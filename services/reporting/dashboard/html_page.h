// The dashboard's HTML: the page frame (inline style, no script, nothing
// fetched from elsewhere) and the few building blocks every page uses. All
// text passed as `text` is escaped here; arguments named `html` must already
// be HTML this folder made.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_HTML_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_HTML_PAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace clientele::reporting::dashboard {

// A whole document: `title` in <title> and <h1>; with `tenant` non-empty, a
// header naming it with a logout button.
std::string HtmlDocument(absl::string_view title, absl::string_view tenant,
                         const std::string& body_html);

// The style sheet of HtmlDocument, for the pages with a layout of their own
// (the client portal, portal_page.h).
absl::string_view PageStyle();

// <a href="href">text</a>; `href` is built by the caller from escaped or
// URL-encoded parts and is escaped again as an attribute.
std::string Link(absl::string_view href, absl::string_view text);

// A section with a heading, optional links under it (CSV, accounts), and
// its content.
struct SectionLink {
  std::string href;
  std::string text;
};
std::string Section(absl::string_view id, absl::string_view heading,
                    const std::vector<SectionLink>& links,
                    const std::string& content_html);

// A table (no header row when `header` is empty). Cells hold HTML: use
// Text() for plain text.
struct TableCell {
  std::string html;
  bool numeric = false;  // right-aligned
};
TableCell Text(absl::string_view text);
TableCell Number(absl::string_view text);
TableCell LinkCell(absl::string_view href, absl::string_view text,
                   bool numeric = false);
std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<TableCell>>& rows);

// <p class="note">text</p>
std::string Note(absl::string_view text);

// An error page's body: the message, escaped, and a link back.
std::string ErrorBody(absl::string_view message);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_HTML_PAGE_H_

#include "services/reporting/dashboard/html_page.h"

#include "absl/strings/str_cat.h"
#include "services/reporting/dashboard/escaping.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr char kStyle[] = R"css(
body{font-family:sans-serif;margin:0;color:#222;background:#fafafa}
header{display:flex;justify-content:space-between;align-items:center;
background:#24364b;color:#fff;padding:8px 16px}
header a{color:#fff}
header form{margin:0}
main{padding:8px 16px;max-width:1100px}
h1{font-size:1.4em}
section{background:#fff;border:1px solid #ddd;border-radius:4px;
padding:8px 16px;margin:12px 0}
section h2{font-size:1.15em;margin:4px 0}
.links a{margin-right:12px;font-size:.9em}
table{border-collapse:collapse;margin:8px 0}
th,td{border-bottom:1px solid #e4e4e4;padding:3px 8px;text-align:left;
vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{color:#555;font-size:.9em}
.error{color:#9b1c1c;font-weight:bold}
form.filters{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center}
form.filters label{font-size:.9em;white-space:nowrap}
form.filters input{width:8em}
svg{max-width:100%;height:auto;display:block;margin:8px 0}
.wide{overflow-x:auto}
.wide svg{max-width:none}
)css";

}  // namespace

absl::string_view PageStyle() { return kStyle; }

std::string HtmlDocument(absl::string_view title, absl::string_view tenant,
                         const std::string& body_html) {
  std::string header;
  if (!tenant.empty()) {
    header = absl::StrCat(
        "<header><span><a href=\"/\">Clientele</a> &middot; tenant ",
        HtmlEscape(tenant),
        "</span><form method=\"post\" action=\"/logout\">"
        "<button type=\"submit\">Log out</button></form></header>\n");
  }
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      HtmlEscape(title), " - Clientele</title>\n<style>", kStyle,
      "</style></head>\n<body>\n", header, "<main>\n<h1>", HtmlEscape(title),
      "</h1>\n", body_html, "</main>\n</body></html>\n");
}

std::string Link(absl::string_view href, absl::string_view text) {
  return absl::StrCat("<a href=\"", HtmlEscape(href), "\">", HtmlEscape(text),
                      "</a>");
}

std::string Section(absl::string_view id, absl::string_view heading,
                    const std::vector<SectionLink>& links,
                    const std::string& content_html) {
  std::string out = absl::StrCat("<section id=\"", HtmlEscape(id), "\"><h2>",
                                 HtmlEscape(heading), "</h2>\n");
  if (!links.empty()) {
    out += "<div class=\"links\">";
    for (const SectionLink& link : links) out += Link(link.href, link.text);
    out += "</div>\n";
  }
  absl::StrAppend(&out, content_html, "</section>\n");
  return out;
}

TableCell Text(absl::string_view text) { return {HtmlEscape(text), false}; }

TableCell Number(absl::string_view text) { return {HtmlEscape(text), true}; }

TableCell LinkCell(absl::string_view href, absl::string_view text,
                   bool numeric) {
  return {Link(href, text), numeric};
}

std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<TableCell>>& rows) {
  std::string out = "<table>\n";
  if (!header.empty()) {
    out += "<thead><tr>";
    for (const std::string& name : header) {
      absl::StrAppend(&out, "<th>", HtmlEscape(name), "</th>");
    }
    out += "</tr></thead>\n";
  }
  out += "<tbody>\n";
  for (const std::vector<TableCell>& row : rows) {
    out += "<tr>";
    for (const TableCell& cell : row) {
      absl::StrAppend(&out, cell.numeric ? "<td class=\"num\">" : "<td>",
                      cell.html, "</td>");
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string Note(absl::string_view text) {
  return absl::StrCat("<p class=\"note\">", HtmlEscape(text), "</p>\n");
}

std::string ErrorBody(absl::string_view message) {
  return absl::StrCat("<p class=\"error\">", HtmlEscape(message),
                      "</p>\n<p><a href=\"/\">Back to the dashboard</a></p>\n");
}

}  // namespace clientele::reporting::dashboard

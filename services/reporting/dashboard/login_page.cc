#include "services/reporting/dashboard/login_page.h"

#include "absl/strings/str_cat.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/html_page.h"

namespace clientele::reporting::dashboard {

std::string LoginDocument(absl::string_view next, absl::string_view error) {
  return HtmlDocument(
      "Log in", "",
      absl::StrCat(
          error.empty() ? ""
                        : absl::StrCat("<p class=\"error\">", HtmlEscape(error),
                                       "</p>\n"),
          "<form method=\"post\" action=\"/login\">\n"
          "<p><label>API token <input type=\"password\" name=\"token\" "
          "autocomplete=\"current-password\" required autofocus></label></p>\n"
          "<input type=\"hidden\" name=\"next\" value=\"",
          HtmlEscape(next),
          "\">\n<p><button type=\"submit\">Log in</button></p>\n</form>\n",
          Note("The same bearer token the API takes (scripts/up.sh prints the "
               "demo tenant's). It is kept in a cookie that scripts cannot "
               "read and other sites cannot send, until you log out.")));
}

}  // namespace clientele::reporting::dashboard

#include "services/reporting/dashboard/account_labels.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/links.h"

namespace clientele::reporting::dashboard {

std::string AccountLabels::Label(absl::string_view account_id) const {
  const auto it = names_.find(account_id);
  return it == names_.end() ? std::string(account_id) : it->second;
}

std::string AccountLabels::LinkHtml(absl::string_view account_id) const {
  const std::string href = Links::Account(account_id);
  const auto it = names_.find(account_id);
  if (it == names_.end()) return Link(href, account_id);
  return absl::StrCat(Link(href, it->second), " <span class=\"note\">",
                      HtmlEscape(account_id), "</span>");
}

AccountLabels AccountNameSource::Fetch(
    const std::vector<std::string>& account_ids) const {
  if (names == nullptr || account_ids.empty()) return AccountLabels();
  absl::StatusOr<AccountNameMap> fetched = names->Names(caller, account_ids);
  if (!fetched.ok()) {
    LOG(WARNING) << "dashboard: no account names from contacts for "
                 << account_ids.size()
                 << " accounts, showing ids: " << fetched.status();
    return AccountLabels();
  }
  return AccountLabels(*std::move(fetched));
}

}  // namespace clientele::reporting::dashboard

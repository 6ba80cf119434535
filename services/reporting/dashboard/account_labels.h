// How the dashboard names an account: by its display name, asked of contacts
// (account_names.h) on behalf of the signed-in user once per page render,
// for every account the page shows at once; by its id when contacts did not
// name it (down, slow, not configured, or the account is gone there). Names
// are never stored: reporting's read model keeps ids only.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_LABELS_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_LABELS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/caller.h"
#include "services/reporting/account_names.h"
#include "services/reporting/dashboard/html_page.h"

namespace clientele::reporting::dashboard {

// The display names a page has for its accounts.
class AccountLabels {
 public:
  // No names: every account shows as its id.
  AccountLabels() = default;
  explicit AccountLabels(AccountNameMap names) : names_(std::move(names)) {}

  // The display name of `account_id` ("" when it has none), else the id.
  std::string Label(absl::string_view account_id) const;

  // A link to the account's page: its name with the id beside it, muted
  // ("<a href=...>Name</a> <span class="note">id</span>"), or its id alone.
  std::string LinkHtml(absl::string_view account_id) const;
  TableCell Cell(absl::string_view account_id) const {
    return {LinkHtml(account_id)};
  }

 private:
  AccountNameMap names_;
};

// Where a page gets its names: contacts (null: not configured) on behalf of
// the signed-in user.
struct AccountNameSource {
  AccountNames* names = nullptr;
  Caller caller;

  // One AccountNames::Names call for `account_ids` (none when there are no
  // ids or no contacts). When it fails, a WARNING is logged and every
  // account shows as its id: a page never fails for want of names.
  AccountLabels Fetch(const std::vector<std::string>& account_ids) const;
};

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_LABELS_H_

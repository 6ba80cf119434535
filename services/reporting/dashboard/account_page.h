// The account page (/accounts/<id>): who the account is, its relationship
// score with its reasons and history, its timeline, deals, orders and
// tickets, from the read model (account_record.h); and the score's
// components, which the read model does not hold, from engagement's live
// answer when it gave one.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "clientele/engagement/v1/relationship_score.pb.h"
#include "services/reporting/dashboard/account_labels.h"
#include "services/reporting/dashboard/account_record.h"

namespace clientele::reporting::dashboard {

// What the page says when engagement was asked for the score's components
// and did not give them.
inline constexpr char kComponentsUnavailable[] =
    "Score components are unavailable right now (engagement did not "
    "answer); showing the last projected score.";

// The page's body. `live` is engagement's current score of the account
// (LiveScores::GetScore), or nullptr when it was not asked. With a score,
// the score section shows it: its score, band, mode and trend, its
// components (a bar chart and a table) and its reasons. With an error, or
// nullptr, it shows the read model's last projected score and reasons, and
// with an error kComponentsUnavailable above them. The score history is
// always the read model's. `labels` names the account (its id is then shown
// under the page's heading, which names it) and the one it was merged into.
std::string AccountBody(
    const AccountRecord& record,
    const absl::StatusOr<engagement::v1::RelationshipScore>* live,
    const AccountLabels& labels);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_PAGE_H_

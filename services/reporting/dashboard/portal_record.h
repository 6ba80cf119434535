// What the client portal shows one account (portal_page.h), read from
// reporting's read model (reporting_schema.cc) in one read transaction, and
// only what a client may see of their own engagement: their tickets' ids,
// status and dates; their orders; the deals proposed to them; their upcoming
// meetings. Nothing here is internal: no score, band, reason or risk, no
// staff ids (owners, assignees), no probability, no notes (the read model
// holds none), no other account.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_RECORD_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sql/database.h"

namespace clientele::reporting::dashboard {

// At most this many rows of each list (newest first, soonest first for
// meetings).
inline constexpr int kPortalRows = 50;
// Solved tickets are shown this many days after they were solved.
inline constexpr int kPortalSolvedDays = 90;

struct PortalRecord {
  std::string account_id;

  struct Ticket {
    std::string id;
    int status = 0;  // events::v1::TicketStatus, current
    int64_t create_us = 0;
    // The latest of its creation, first response and last status change.
    int64_t update_us = 0;
    std::optional<int64_t> solve_us;
  };
  // Not solved or closed, newest first.
  std::vector<Ticket> open_tickets;
  // Solved or closed, solved in the last kPortalSolvedDays days.
  std::vector<Ticket> solved_tickets;

  struct Order {
    int status = 0;  // events::v1::OrderStatus
    std::string currency;
    int64_t total_minor = 0;
    int64_t item_count = 0;  // the items' quantities added up
    int64_t place_us = 0;
  };
  std::vector<Order> orders;

  struct Deal {
    int kind = 0;   // events::v1::DealKind
    int stage = 0;  // events::v1::DealStage: proposal, negotiation, won, lost
    std::string currency;
    int64_t amount_minor = 0;
    std::optional<int64_t> expected_close_day;
    std::optional<int64_t> close_day;
  };
  // Deals whose current stage is proposal, negotiation, won or lost (a deal
  // still being qualified has not been sent to the client).
  std::vector<Deal> deals;

  // Open MEETING follow-ups due after now, soonest first: their due times.
  std::vector<int64_t> meeting_us;
};

// Why an account has no portal page.
enum class PortalAccountState {
  kLive,
  // Deleted, erased, or never heard of: nothing to show, nothing to say.
  kGone,
  // Merged into another account: a link for the survivor is needed.
  kMerged,
};

struct PortalAccount {
  PortalAccountState state = PortalAccountState::kGone;
  // The survivor, for kMerged.
  std::string merged_into;
};

// The account as the read model has it now. Errors are the database's.
absl::StatusOr<PortalAccount> PortalAccountOf(sql::Transaction& txn,
                                              const std::string& tenant,
                                              const std::string& account_id);

// The portal's view of live account `account_id` of `tenant` at `now_us`
// (meetings after it, tickets solved in the 90 days before it). Call
// PortalAccountOf first: for an account that is not live the lists are empty.
// Errors are the database's.
absl::StatusOr<PortalRecord> LoadPortalRecord(sql::Transaction& txn,
                                              const std::string& tenant,
                                              const std::string& account_id,
                                              int64_t now_us);

// The items of an order, its `orders.items` text ("<quantity> x <product>"
// lines), added up; a line without a positive quantity counts as one.
int64_t ItemCount(absl::string_view items);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_PORTAL_RECORD_H_

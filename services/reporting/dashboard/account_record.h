// What the account page shows, read from reporting's own read model
// (reporting_schema.cc) in one read transaction: the account's current
// version, its score history, its timeline of interactions, its current
// deals, its orders and its tickets with their current status. Nothing here
// is fetched from another service, so the page answers when they are down.
//
// The score's components are not in the read model (the score events carry
// the score, band, mode, trend and top reasons only): the page asks
// engagement for them (account_page.h).
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_RECORD_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sql/database.h"

namespace clientele::reporting::dashboard {

// At most this many rows of each list (newest first); the counts say how
// many there are in all.
inline constexpr int kAccountPageRows = 100;

struct AccountRecord {
  std::string id;
  // 0 live, 2 merged (into merged_into).
  int state = 0;
  std::string merged_into;
  int kind = 0;     // type::v1::AccountKind
  int segment = 0;  // type::v1::AccountSegment
  int tier = 0;     // type::v1::AccountTier
  std::string owner;
  std::string account_manager;
  int declared_mode = 0;  // type::v1::RelationshipMode
  int64_t acquisition_day = 0;
  int64_t create_us = 0;
  int commercial_model = 0;  // type::v1::CommercialModel
  int billing_cycle = 0;     // type::v1::BillingCycle
  int64_t recurring_minor = 0;
  std::string recurring_currency;
  std::optional<int64_t> contract_start_day;
  std::optional<int64_t> contract_end_day;

  struct Score {
    int64_t from_us = 0;
    int mode = 0;
    int score = 0;
    int band = 0;
    int trend_delta = 0;
    std::vector<std::string> reasons;
  };
  // Newest first; the first is the current one when its to_us is open.
  std::vector<Score> scores;
  bool scored_now = false;

  struct Interaction {
    std::string id;
    int kind = 0;  // events::v1::InteractionKind
    int64_t occur_us = 0;
    std::string staff_user;
    bool personalized = false;
    std::string currency;  // "" when not revenue
    int64_t amount_minor = 0;
  };
  std::vector<Interaction> timeline;
  int64_t interaction_count = 0;

  struct Deal {
    std::string id;
    int kind = 0;   // events::v1::DealKind
    int stage = 0;  // events::v1::DealStage
    std::string currency;
    int64_t amount_minor = 0;
    double probability = 0;
    std::optional<int64_t> expected_close_day;
    std::optional<int64_t> close_day;
    std::string owner;
  };
  std::vector<Deal> deals;

  struct Order {
    std::string id;
    int status = 0;  // events::v1::OrderStatus
    std::string currency;
    int64_t total_minor = 0;
    std::string items;  // "<quantity> x <product>" lines
    int64_t place_us = 0;
    std::optional<int64_t> fulfil_us;
    std::optional<int64_t> cancel_us;
  };
  std::vector<Order> orders;
  int64_t order_count = 0;

  struct Ticket {
    std::string id;
    int status = 0;  // events::v1::TicketStatus, current
    std::string assignee;
    int64_t create_us = 0;
    std::optional<int64_t> first_response_s;
    std::optional<int64_t> resolution_s;
  };
  std::vector<Ticket> tickets;
  int64_t ticket_count = 0;
};

// The account `account_id` of `tenant` as the read model has it now.
// NOT_FOUND when the tenant has no such account, or it was deleted or
// erased (another tenant's account is NOT_FOUND too). Other errors are the
// database's.
absl::StatusOr<AccountRecord> LoadAccountRecord(sql::Transaction& txn,
                                                const std::string& tenant,
                                                const std::string& account_id);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_ACCOUNT_RECORD_H_

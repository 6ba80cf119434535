// TicketStore on the ticketing SQL schema (ticketing_schema.cc,
// kTicketTablesSql): tickets, comments and history entries as serialized
// protos plus the columns lists filter and sort on.
#ifndef CLIENTELE_SERVICES_TICKETING_SQLITE_TICKET_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_SQLITE_TICKET_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "services/ticketing/ticket_store.h"

namespace clientele::ticketing {

class SqliteTicketStore final : public TicketStore {
 public:
  absl::StatusOr<std::optional<v1::Ticket>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) override;
  absl::Status Put(sql::Transaction& txn, absl::string_view tenant,
                   absl::string_view ticket_id,
                   const v1::Ticket& ticket) override;
  absl::Status Delete(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view ticket_id) override;
  absl::StatusOr<std::vector<v1::Ticket>> List(
      sql::Transaction& txn, absl::string_view tenant,
      const TicketFilter& filter, const std::optional<TicketCursor>& after,
      int limit) override;
  absl::StatusOr<std::vector<std::string>> OpenTicketIdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> CountOpenAssigned(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view assignee) override;
  absl::StatusOr<std::vector<std::string>> TicketIdsOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<std::string>> TicketIdsOfRequester(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::Status PutPendingRequester(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view ticket_id,
                                   absl::string_view request_id) override;
  absl::Status DeletePendingRequester(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view ticket_id) override;
  absl::StatusOr<std::vector<PendingRequester>> PendingRequesters(
      sql::Transaction& txn, absl::string_view tenant, int limit) override;
  absl::StatusOr<std::vector<std::string>> TenantsWithPendingRequesters(
      sql::Transaction& txn) override;
  absl::Status EraseRequester(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view contact_id) override;
  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from_account_id,
                           absl::string_view to_account_id) override;
  absl::Status MoveRequester(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view from_contact_id,
                             absl::string_view to_contact_id,
                             absl::string_view to_account_id) override;
  absl::StatusOr<int64_t> AddComment(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view ticket_id,
                                     absl::string_view comment_id,
                                     const v1::TicketComment& comment) override;
  absl::StatusOr<std::vector<StoredComment>> ListComments(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id, int visibility,
      const std::optional<SeqCursor>& after, int limit) override;
  absl::Status AppendHistory(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view ticket_id,
                             const v1::TicketHistoryEntry& entry) override;
  absl::StatusOr<std::vector<v1::TicketHistoryEntry>> History(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) override;
  absl::StatusOr<std::vector<StoredHistoryEntry>> HistoryPage(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id, const std::optional<SeqCursor>& after,
      int limit) override;
  absl::StatusOr<std::optional<v1::RoutingPolicy>> FindRoutingPolicy(
      sql::Transaction& txn, absl::string_view tenant) override;
  absl::Status PutRoutingPolicy(sql::Transaction& txn, absl::string_view tenant,
                                const v1::RoutingPolicy& policy) override;
  absl::StatusOr<std::string> RoundRobinCursor(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view team) override;
  absl::Status SetRoundRobinCursor(sql::Transaction& txn,
                                   absl::string_view tenant,
                                   absl::string_view team,
                                   absl::string_view agent) override;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SQLITE_TICKET_STORE_H_

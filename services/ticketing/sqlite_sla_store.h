// SlaStore on the ticketing SQL schema (ticketing_schema.cc: sla_policies,
// ticket_sla, sla_clock_index).
#ifndef CLIENTELE_SERVICES_TICKETING_SQLITE_SLA_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_SQLITE_SLA_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "services/ticketing/sla_store.h"

namespace clientele::ticketing {

class SqliteSlaStore final : public SlaStore {
 public:
  absl::StatusOr<std::optional<v1::SlaPolicy>> FindPolicy(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view id) override;
  absl::Status InsertPolicy(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view id,
                            const v1::SlaPolicy& policy) override;
  absl::Status UpdatePolicy(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view id,
                            const v1::SlaPolicy& policy) override;
  absl::Status DeletePolicy(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view id) override;
  absl::StatusOr<std::vector<v1::SlaPolicy>> ListPolicies(
      sql::Transaction& txn, absl::string_view tenant,
      const std::optional<SlaPolicyCursor>& after, int limit) override;
  absl::StatusOr<std::vector<v1::SlaPolicy>> EnabledPolicies(
      sql::Transaction& txn, absl::string_view tenant) override;

  absl::StatusOr<std::optional<KeptSla>> FindKept(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) override;
  absl::Status PutKept(sql::Transaction& txn, absl::string_view tenant,
                       absl::string_view ticket_id,
                       const KeptSla& kept) override;

  absl::StatusOr<std::vector<SlaClockRow>> ClockRows(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) override;
  absl::Status PutClockRow(sql::Transaction& txn, absl::string_view tenant,
                           const SlaClockRow& row) override;
  absl::Status DeleteClockRow(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view ticket_id, int metric) override;
  absl::Status ForgetTicket(sql::Transaction& txn, absl::string_view tenant,
                            absl::string_view ticket_id) override;
  absl::Status MoveAccount(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view from_account_id,
                           absl::string_view to_account_id) override;
  absl::StatusOr<std::vector<SlaClockRow>> ListAlerts(
      sql::Transaction& txn, absl::string_view tenant,
      const SlaAlertQuery& query, const std::optional<SlaAlertCursor>& after,
      int limit) override;
  absl::StatusOr<std::vector<DueClock>> DueClocks(sql::Transaction& txn,
                                                  int64_t now_us,
                                                  int limit) override;
  absl::Status MarkPublished(sql::Transaction& txn, absl::string_view tenant,
                             absl::string_view ticket_id, int metric,
                             bool breach) override;

  // The plan SQLite chooses for each statement ListAlerts would run for
  // `query` (EXPLAIN QUERY PLAN, one line per step), so a test can check
  // that the alert list walks indexes instead of scanning.
  absl::StatusOr<std::vector<std::string>> AlertQueryPlansForTest(
      sql::Transaction& txn, absl::string_view tenant,
      const SlaAlertQuery& query, const std::optional<SlaAlertCursor>& after,
      int limit);
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SQLITE_SLA_STORE_H_

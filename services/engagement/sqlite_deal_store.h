// DealStore on the engagement SQL schema (engagement_schema.cc, tables
// `deals` and `deal_proposals`): the deal as a serialized proto plus the
// columns lists and the pipeline filter and sort on.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_DEAL_STORE_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_DEAL_STORE_H_

#include "services/engagement/deal_store.h"

namespace clientele::engagement {

class SqliteDealStore final : public DealStore {
 public:
  absl::StatusOr<std::optional<v1::Deal>> Find(sql::Transaction& txn,
                                               absl::string_view tenant,
                                               absl::string_view id) override;
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, const v1::Deal& deal) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view id, const v1::Deal& deal) override;
  absl::StatusOr<std::vector<v1::Deal>> List(
      sql::Transaction& txn, absl::string_view tenant, const DealFilter& filter,
      const std::optional<DealCursor>& after, int limit) override;
  absl::StatusOr<PipelineRows> ListForPipeline(
      sql::Transaction& txn, absl::string_view tenant,
      const PipelineQuery& query) override;
  absl::StatusOr<std::vector<ClosedDealRow>> ListClosed(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id, int64_t through_day) override;
  absl::StatusOr<std::vector<v1::Deal>> ListByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<std::vector<v1::Deal>> ListByContact(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<std::vector<std::string>> DeleteByAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::StatusOr<int64_t> MoveAccount(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view from_id,
                                      absl::string_view to_id) override;
  absl::StatusOr<int64_t> ClearContact(sql::Transaction& txn,
                                       absl::string_view tenant,
                                       absl::string_view contact_id) override;
  absl::Status AddProposal(sql::Transaction& txn, absl::string_view tenant,
                           absl::string_view deal_id, int64_t occur_us,
                           absl::string_view interaction_id) override;
  absl::Status RemoveProposal(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view interaction_id) override;
  absl::StatusOr<std::vector<std::string>> ListProposals(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view deal_id, int limit) override;
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SQLITE_DEAL_STORE_H_

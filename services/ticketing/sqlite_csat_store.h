// CsatStore on the ticketing SQLite database (kCsatTablesSql in
// ticketing_schema.cc).
#ifndef CLIENTELE_SERVICES_TICKETING_SQLITE_CSAT_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_SQLITE_CSAT_STORE_H_

#include "services/ticketing/csat_store.h"

namespace clientele::ticketing {

class SqliteCsatStore : public CsatStore {
 public:
  absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view survey_id, const v1::CsatSurvey& survey,
                      absl::string_view token_hash) override;
  absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                      absl::string_view survey_id,
                      const v1::CsatSurvey& survey) override;
  absl::StatusOr<std::optional<v1::CsatSurvey>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view survey_id) override;
  absl::StatusOr<std::optional<v1::CsatSurvey>> FindByTicket(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) override;
  absl::StatusOr<std::optional<CsatTokenRef>> FindToken(
      sql::Transaction& txn, absl::string_view token_hash) override;
  absl::StatusOr<std::vector<v1::CsatSurvey>> List(
      sql::Transaction& txn, absl::string_view tenant, const CsatFilter& filter,
      const std::optional<CsatCursor>& after, int limit) override;
  absl::StatusOr<std::vector<v1::CsatSurvey>> ListOfRequester(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) override;
  absl::StatusOr<std::vector<v1::CsatSurvey>> ListOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) override;
  absl::Status DeleteOfTicket(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view ticket_id) override;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_SQLITE_CSAT_STORE_H_

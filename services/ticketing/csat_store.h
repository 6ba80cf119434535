// Persistence of CSAT surveys and of the hashes of their tokens. Every
// method runs inside the caller's transaction; all but FindToken are scoped
// by tenant (the token is how a tenant-less SubmitCsatResponse finds its
// tenant). Ids are bare: the part after "csatSurveys/", "tickets/",
// "accounts/" and "contacts/".
#ifndef CLIENTELE_SERVICES_TICKETING_CSAT_STORE_H_
#define CLIENTELE_SERVICES_TICKETING_CSAT_STORE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/csat_survey.pb.h"
#include "common/sql/database.h"

namespace clientele::ticketing {

// Where a token leads.
struct CsatTokenRef {
  std::string tenant;
  std::string survey_id;
};

// ListCsatSurveys' filters, combined with AND; empty / zero match all.
struct CsatFilter {
  std::string ticket_id;
  std::string account_id;
  // v1::CsatSurveyState; SENT and EXPIRED are told apart at `now`.
  int state = 0;
  absl::Time now = absl::InfinitePast();
  // Sent within [send_start_us, send_end_us).
  int64_t send_start_us = std::numeric_limits<int64_t>::min();
  int64_t send_end_us = std::numeric_limits<int64_t>::max();
};

// A position in the (send time descending, id descending) order of List:
// the next page starts after it.
struct CsatCursor {
  int64_t send_us = 0;
  std::string survey_id;
};

class CsatStore {
 public:
  virtual ~CsatStore() = default;

  // Stores a new survey (its send_time, expire_time, ticket, account and
  // requester fill the indexed columns; its token field must be empty) and
  // the hash of its token. ALREADY_EXISTS when the ticket already has a
  // survey, the id is taken or the hash is (never, for 256 random bits).
  virtual absl::Status Insert(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view survey_id,
                              const v1::CsatSurvey& survey,
                              absl::string_view token_hash) = 0;

  // Replaces the stored survey `survey_id` (after an answer, an erasure or a
  // merge); the indexed columns follow. NOT_FOUND when there is none.
  virtual absl::Status Update(sql::Transaction& txn, absl::string_view tenant,
                              absl::string_view survey_id,
                              const v1::CsatSurvey& survey) = 0;

  // Survey `survey_id` as stored (state SENT or RESPONDED, never EXPIRED:
  // the manager computes that); nullopt when there is none.
  virtual absl::StatusOr<std::optional<v1::CsatSurvey>> Find(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view survey_id) = 0;

  // The survey of ticket `ticket_id`; nullopt when it has none.
  virtual absl::StatusOr<std::optional<v1::CsatSurvey>> FindByTicket(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view ticket_id) = 0;

  // The tenant and survey of the token whose SHA-256 (hex) is `token_hash`;
  // nullopt when no survey has it.
  virtual absl::StatusOr<std::optional<CsatTokenRef>> FindToken(
      sql::Transaction& txn, absl::string_view token_hash) = 0;

  // Up to `limit` surveys matching `filter`, newest first (send time, then
  // id, both descending), after `after` (nullopt: from the start).
  virtual absl::StatusOr<std::vector<v1::CsatSurvey>> List(
      sql::Transaction& txn, absl::string_view tenant, const CsatFilter& filter,
      const std::optional<CsatCursor>& after, int limit) = 0;

  // Every survey whose requester is contact `contact_id`, oldest first.
  virtual absl::StatusOr<std::vector<v1::CsatSurvey>> ListOfRequester(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id) = 0;

  // Every survey of account `account_id`, oldest first.
  virtual absl::StatusOr<std::vector<v1::CsatSurvey>> ListOfAccount(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view account_id) = 0;

  // Removes the survey of ticket `ticket_id` and its token hash (the ticket
  // was deleted). OK when it has none.
  virtual absl::Status DeleteOfTicket(sql::Transaction& txn,
                                      absl::string_view tenant,
                                      absl::string_view ticket_id) = 0;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_CSAT_STORE_H_

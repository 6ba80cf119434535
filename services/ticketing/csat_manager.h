// CSAT surveys: one per ticket, issued on its first solve, answered once with
// the survey's own token (the requester has no tenant token), expiring after
// deps.csat_survey_ttl. The answer travels as CsatSurveyResponded, which
// engagement scores.
#ifndef CLIENTELE_SERVICES_TICKETING_CSAT_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_CSAT_MANAGER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clientele/ticketing/v1/csat_survey.pb.h"
#include "clientele/ticketing/v1/ticket.pb.h"
#include "clientele/ticketing/v1/ticketing_service.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class CsatManager {
 public:
  explicit CsatManager(const TicketingDeps& deps) : deps_(deps) {}

  // Called by the ticket manager on a change of `ticket` to SOLVED, inside
  // that write's transaction `txn`. Issues the ticket's survey unless it
  // already has one (reopening and solving again issues none: one survey per
  // ticket, ever), expiring at now + deps.csat_survey_ttl; publishes
  // CsatSurveySent, appends a CSAT_SENT history entry through the
  // TicketStore and sets ticket->csat_survey (the caller stores the ticket).
  // Returns the survey WITH its token (the only place the token is ever
  // returned: only its hash is kept, and the solve's stored response while
  // a retry of that call may still ask for it), or nullopt when none was
  // issued.
  // Errors: those of the stores (the caller's write then rolls back).
  absl::StatusOr<std::optional<v1::CsatSurvey>> IssueOnSolve(
      sql::Transaction& txn, const Caller& caller, absl::Time now,
      v1::Ticket* ticket);

  // "csatSurveys/{id}" of the caller's tenant, never with its token; state
  // EXPIRED for a SENT survey past its expire_time. INVALID_ARGUMENT naming
  // "name" for a malformed name; NOT_FOUND when absent (or another tenant's).
  absl::StatusOr<v1::CsatSurvey> Get(const Caller& caller,
                                     absl::string_view name);

  // Surveys of the caller's tenant, newest first (send_time, then name),
  // filtered by ticket, account, state (EXPIRED as computed above) and send
  // time range; page_size 0 means 50, above 1000 means 1000.
  // INVALID_ARGUMENT naming the field for a bad filter, page token or
  // page_size < 0.
  absl::StatusOr<v1::ListCsatSurveysResponse> List(
      const Caller& caller, const v1::ListCsatSurveysRequest& request);

  // The requester's answer. `caller` has no tenant (the RPC carries its own
  // credential): the survey is found by the hash of request.token, and its
  // tenant scopes the write (and the request_id idempotency) from then on.
  //   UNAUTHENTICATED      token missing, unknown, or of another survey than
  //                        request.name (never says which)
  //   INVALID_ARGUMENT     "name" malformed; "rating" not 1-5; "comment"
  //                        above 2,000 characters
  //   FAILED_PRECONDITION  expired, or already answered (a retry with the
  //                        first answer's request_id returns that answer)
  // Publishes CsatSurveyResponded (rating, never the comment) and appends
  // CSAT_RESPONDED to the ticket's history.
  absl::StatusOr<v1::CsatSurvey> Submit(
      const Caller& caller, const v1::SubmitCsatResponseRequest& request);

  // --- Inside other writes' transactions ---

  // Accounts merged in contacts: surveys of `from_account_id` belong to
  // `to_account_id`. For the projection updater.
  absl::Status OnAccountsMerged(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view from_account_id,
                                absl::string_view to_account_id);

  // Contacts merged in contacts: surveys asked of `from_contact_id` were
  // asked of `to_contact_id`. For the projection updater.
  absl::Status OnContactsMerged(sql::Transaction& txn, absl::string_view tenant,
                                absl::string_view from_contact_id,
                                absl::string_view to_contact_id);

  // Erasure: blanks the comment of every survey asked of `contact_id` (and,
  // when `account_id` is set, of every survey of that erased account),
  // keeping ratings and times for reports. Returns the names of the surveys
  // it changed.
  absl::StatusOr<std::vector<std::string>> EraseComments(
      sql::Transaction& txn, absl::string_view tenant,
      absl::string_view contact_id, absl::string_view account_id);

 private:
  TicketingDeps deps_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_CSAT_MANAGER_H_

// Data subjects in ticketing: the export an admin runs for an access request
// (ExportDataSubject), and the erasure contacts announces with
// DataSubjectErased (applied by the projection updater in its transaction).
// Erasure removes the requester's personal data and the text they wrote
// (ticket subjects and descriptions, their comments, their survey comments,
// the emails intake learned) and keeps what reports count anonymously:
// tickets, statuses, times, ratings.
#ifndef CLIENTELE_SERVICES_TICKETING_DATA_SUBJECT_MANAGER_H_
#define CLIENTELE_SERVICES_TICKETING_DATA_SUBJECT_MANAGER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/contacts_events.pb.h"
#include "clientele/ticketing/v1/ticketing_service.pb.h"
#include "common/caller.h"
#include "common/sql/database.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class CsatManager;  // csat_manager.h

class DataSubjectManager {
 public:
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;

  // `csat` is not owned and must outlive this.
  DataSubjectManager(const TicketingDeps& deps, CsatManager* csat)
      : deps_(deps), csat_(csat) {}

  // One page of what ticketing holds about request.subject, oldest ticket
  // first, each with all its comments (oldest first) and its survey (never
  // its token): "accounts/{a}" every ticket of the account (of its survivor
  // when it was merged), "contacts/{c}" every ticket the contact requested.
  // A subject ticketing holds nothing about exports nothing.
  // INVALID_ARGUMENT naming "subject" (neither form), "page_size" (< 0) or
  // "page_token" (not one this export issued).
  absl::StatusOr<v1::ExportDataSubjectResponse> Export(
      const Caller& caller, const v1::ExportDataSubjectRequest& request);

  // Applies contacts' DataSubjectErased inside `txn` (the consumer's): for
  // each erased contact, TicketStore::EraseRequester, its survey comments
  // blanked, its requester_emails rows and projection row gone; for an
  // erased account, also the subject and description of its other tickets,
  // its survey comments and its projection (deleted). Stored responses
  // mentioning any of them are forgotten, and once `txn` commits the
  // deleted text is purged from the database file
  // (PurgeDeletedDataAfterCommit). Idempotent.
  absl::Status ApplyErasure(sql::Transaction& txn, absl::string_view tenant,
                            const events::v1::DataSubjectErased& erased);

 private:
  TicketingDeps deps_;
  CsatManager* const csat_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_DATA_SUBJECT_MANAGER_H_

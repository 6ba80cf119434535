// Keeps ticketing's projection of accounts and contacts (projection_store.h)
// in step with contacts' events (clientele.events.contacts) and engagement's
// (clientele.events.engagement), so that ticket creation, routing and SLA
// selection never call a peer: the mode and tier a ticket's SLA is chosen by
// come from here. Runs inside each EventConsumer's transaction: every event
// is applied exactly once, together with what it changes in tickets.
//   AccountCreated / AccountUpdated  tier, declared mode and account manager
//                                    (a snapshot older than the one applied
//                                    is ignored; a deleted or merged account
//                                    stays so).
//   RelationshipScoreChanged         engagement's inferred mode (a declared
//                                    mode wins over it).
//   either, when the account's tier, effective mode or account manager
//   changes: TicketManager::OnAccountChanged, so its unfinished tickets
//   re-select their SLA policy.
//   AccountDeleted                   the account and its contacts are gone
//                                    (new tickets answer NOT_FOUND); tickets
//                                    stay for reports.
//   AccountsMerged                   tickets, surveys, contacts and emails
//                                    of the merged account move to the
//                                    survivor, which answers for it.
//   ContactCreated / ContactUpdated  the contact's account; a change of its
//                                    emails or account drops its
//                                    requester_emails rows (the next intake
//                                    asks contacts again).
//   ContactDeleted                   the contact and its emails are gone.
//   ContactsMerged                   tickets and surveys of the merged
//                                    contact move to the survivor.
//   DataSubjectErased                DataSubjectManager::ApplyErasure.
#ifndef CLIENTELE_SERVICES_TICKETING_PROJECTION_UPDATER_H_
#define CLIENTELE_SERVICES_TICKETING_PROJECTION_UPDATER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clientele/events/v1/event.pb.h"
#include "common/events/consumer.h"
#include "common/sql/database.h"
#include "services/ticketing/projection_store.h"
#include "services/ticketing/ticketing_deps.h"

namespace clientele::ticketing {

class TicketManager;       // ticket_manager.h
class CsatManager;         // csat_manager.h
class DataSubjectManager;  // data_subject_manager.h

class ProjectionUpdater {
 public:
  // None is owned; all must outlive this.
  ProjectionUpdater(const TicketingDeps& deps, TicketManager* tickets,
                    CsatManager* csat, DataSubjectManager* data_subjects)
      : deps_(deps),
        tickets_(tickets),
        csat_(csat),
        data_subjects_(data_subjects) {}

  // The EventHandler of both consumers (contacts' stream and engagement's):
  // events of other types are skipped unparsed. DATA_LOSS for a payload that
  // does not parse (retried, so it is never silently skipped).
  absl::Status Apply(sql::Transaction& txn, const events::StreamEvent& event);
  // The same for an already parsed event (tests).
  absl::Status ApplyEvent(sql::Transaction& txn, absl::string_view tenant,
                          const events::v1::Event& event);

 private:
  // Applies an account snapshot; sets `*changed` when what tickets read
  // (tier, effective mode, account manager) changed.
  absl::Status PutSnapshot(sql::Transaction& txn, absl::string_view tenant,
                           const events::v1::Event& event,
                           const events::v1::AccountSnapshot& snapshot,
                           bool* changed);
  // TicketManager::OnAccountChanged for `account_id`, as the service.
  absl::Status AccountChanged(sql::Transaction& txn, absl::string_view tenant,
                              const events::v1::Event& event,
                              absl::string_view account_id);

  TicketingDeps deps_;
  TicketManager* const tickets_;
  CsatManager* const csat_;
  DataSubjectManager* const data_subjects_;
};

}  // namespace clientele::ticketing

#endif  // CLIENTELE_SERVICES_TICKETING_PROJECTION_UPDATER_H_
